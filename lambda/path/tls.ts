/**
 * TLS between API Gateway and a listener, as AWS documents it, in pure rules:
 * - API Gateway verifies the listener's certificate against a name. REST: the integration URI's host,
 *   stage variables resolved (API Gateway guide, "Set up API with private integrations using
 *   OpenAPI": the `uri` of an HTTPS private integration "is used to verify the stated domain name
 *   against the one in the certificate"); `tlsConfig.insecureSkipVerification` skips only the issuer
 *   check, "API Gateway still performs basic certificate validation, which includes checking the
 *   certificate's expiration date, hostname" (API Gateway API reference, TlsConfig). HTTP API private
 *   integrations: `TlsConfig.ServerNameToVerify`, which is also sent as SNI (apigatewayv2 API
 *   reference, TlsConfig); AWS does not document which name is verified without it.
 * - A listener presents a certificate of its certificate list whose names match the SNI name, and its
 *   default certificate when none does (ELB guides, "SSL certificates" for ALBs, "Server
 *   certificates" for NLBs; DescribeListenerCertificates lists both, `IsDefault` marks the default).
 * - A certificate covers its DomainName and SubjectAlternativeNames; a wildcard `*.example.com`
 *   covers exactly one label (`a.example.com`, not `a.b.example.com` nor `example.com`; ALB guide,
 *   "SSL certificates").
 */
import { isAcmCertificate } from '../domain/arns';
import { presentsCertificates } from '../domain/path';
import type {
  CertificateFacts,
  Collected,
  CollectionError,
  IntegrationFacts,
  ListenerCertificate,
  ListenerFacts,
} from '../domain/types';
import { lookup } from './resources';

const normalized = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/** Whether one name of a certificate (`orders.example.com`, `*.example.com`) covers `host`. */
export function nameCovers(certificateName: string, host: string): boolean {
  const pattern = normalized(certificateName);
  const name = normalized(host);
  if (pattern === '' || name === '') return false;
  if (!pattern.startsWith('*.')) return pattern === name;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === pattern.slice(2);
}

/** The names a certificate covers: its domain name and subject alternative names, once each, lower case. */
export const certificateNames = (certificate: {
  domainName: string;
  subjectAlternativeNames?: string[];
}): string[] =>
  [
    ...new Set([certificate.domainName, ...(certificate.subjectAlternativeNames ?? [])].map(normalized)),
  ].filter((name) => name !== '');

/**
 * The certificates a listener can present: its certificate list when read (the default once, even
 * where DescribeListenerCertificates lists it twice), else the default DescribeListeners gives.
 * Failed when the list could not be read: an SNI certificate may then be missing.
 */
export function listenerCertificates(listener: ListenerFacts): Collected<ListenerCertificate[]> {
  if (listener.certificates && !listener.certificates.ok) return listener.certificates;
  const listed = listener.certificates?.ok
    ? listener.certificates.value
    : (listener.certificateArns ?? []).map((arn, index) => ({ arn, isDefault: index === 0 }));
  const byArn = new Map<string, ListenerCertificate>();
  for (const certificate of listed) {
    const kept = byArn.get(certificate.arn);
    byArn.set(certificate.arn, {
      arn: certificate.arn,
      isDefault: certificate.isDefault || !!kept?.isDefault,
    });
  }
  return { ok: true, value: [...byArn.values()] };
}

/** A certificate's names: known, unknown by design (an IAM server certificate: null), or unreadable. */
export type CertificateNames = Collected<string[]> | null;

/** A certificate whose names the audit does not know: an IAM server certificate, or one it could not read. */
export interface UnknownNames {
  arn: string;
  /** Why it could not be read; absent for an IAM server certificate (its names are not read). */
  error?: CollectionError;
}

/** The names of the certificates read (DescribeCertificate), by ARN; IAM server certificates are not read. */
export const namesIn =
  (certificates: Record<string, Collected<CertificateFacts>>) =>
  (arn: string): CertificateNames => {
    if (!isAcmCertificate(arn)) return null;
    const read = lookup(certificates, arn, 'acm:DescribeCertificate');
    return read.ok ? { ok: true, value: certificateNames(read.value) } : read;
  };

/**
 * What a listener presents to a client that sends `serverName` as SNI:
 * `covered` certificates whose names cover it (the listener presents one of them); `not-covered`
 * none covers it, so the listener presents its default, which does not; `unknown` no known name
 * covers it, but the names of a certificate it may present are unknown (`arns`: those it may present).
 */
export type Presented =
  | { kind: 'covered'; arns: string[] }
  | { kind: 'not-covered'; defaultArn: string }
  | { kind: 'unknown'; arns: string[]; unknown: UnknownNames[] }
  | { kind: 'no-certificate' };

export function presentedFor(
  certificates: readonly ListenerCertificate[],
  serverName: string,
  namesOf: (arn: string) => CertificateNames,
): Presented {
  const names = new Map(certificates.map((certificate) => [certificate.arn, namesOf(certificate.arn)]));
  const covering = certificates.filter((certificate) => {
    const known = names.get(certificate.arn);
    return known?.ok === true && known.value.some((name) => nameCovers(name, serverName));
  });
  if (covering.length > 0) return { kind: 'covered', arns: covering.map((certificate) => certificate.arn) };
  const defaultCertificate = certificates.find((certificate) => certificate.isDefault) ?? certificates[0];
  if (!defaultCertificate) return { kind: 'no-certificate' };
  const unknown = certificates.flatMap((certificate): UnknownNames[] => {
    const known = names.get(certificate.arn);
    if (known === null) return [{ arn: certificate.arn }];
    return known && !known.ok ? [{ arn: certificate.arn, error: known.error }] : [];
  });
  if (unknown.length === 0) return { kind: 'not-covered', defaultArn: defaultCertificate.arn };
  // The default is presented unless a certificate with unknown names covers the name.
  const arns = [...new Set([defaultCertificate.arn, ...unknown.map((certificate) => certificate.arn)])];
  return { kind: 'unknown', arns, unknown };
}

/**
 * What `listener` presents for `serverName`. When its certificate list could not be read, only its
 * default is known: a default that covers the name still settles it; otherwise the list is unreadable.
 */
export function presentedByListener(
  listener: ListenerFacts,
  serverName: string,
  namesOf: (arn: string) => CertificateNames,
): Presented | { kind: 'unreadable'; error: CollectionError } {
  const certificates = listenerCertificates(listener);
  if (certificates.ok) return presentedFor(certificates.value, serverName, namesOf);
  const defaults = (listener.certificateArns ?? []).map((arn) => ({ arn, isDefault: true }));
  const presented = presentedFor(defaults, serverName, namesOf);
  return presented.kind === 'covered' ? presented : { kind: 'unreadable', error: certificates.error };
}

/** The certificates a presentation may serve, and whether it is known to serve one of them. */
export function servedBy(presented: Presented): { arns: string[]; certain: boolean } {
  switch (presented.kind) {
    case 'covered':
      // Several certificates cover the name: the listener picks the best the client supports.
      return { arns: presented.arns, certain: presented.arns.length === 1 };
    case 'not-covered':
      return { arns: [presented.defaultArn], certain: true };
    case 'unknown':
      return { arns: presented.arns, certain: false };
    case 'no-certificate':
      return { arns: [], certain: false };
  }
}

/**
 * What API Gateway speaks to the listener: an HTTP API private integration (it names a listener ARN)
 * HTTPS exactly when it has a `TlsConfig`, whatever its URI; any other integration by its URI's scheme.
 */
export function integrationScheme(
  integration: Pick<IntegrationFacts, 'listenerArn' | 'tlsConfig' | 'uri'>,
): 'http' | 'https' | undefined {
  if (integration.listenerArn) return integration.tlsConfig ? 'https' : 'http';
  const scheme = /^(https?):\/\//i.exec(integration.uri ?? '')?.[1]?.toLowerCase();
  return scheme === 'http' || scheme === 'https' ? scheme : undefined;
}

/**
 * The name API Gateway verifies the listener's certificate against and sends as SNI: an HTTP API
 * private integration's `ServerNameToVerify` (undefined without it: undocumented), else the host of
 * the integration URI, stage variables resolved.
 */
export function verifiedName(
  integration: Pick<IntegrationFacts, 'listenerArn' | 'tlsConfig' | 'uri'>,
): string | undefined {
  if (integration.listenerArn) return integration.tlsConfig?.serverNameToVerify;
  try {
    return new URL(integration.uri ?? '').hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The TLS explanation codes of a listener for the integrations that enter it (`auditedPath`): a name
 * API Gateway verifies that none of its certificates covers, or a certificate it may present whose
 * names are not read.
 */
export function tlsExplanations(
  listener: ListenerFacts,
  integrations: readonly IntegrationFacts[],
  certificates: Record<string, Collected<CertificateFacts>>,
): ('CERTIFICATE_NOT_COVERING_NAME' | 'CERTIFICATE_NAMES_UNKNOWN')[] {
  if (!presentsCertificates(listener)) return [];
  const namesOf = namesIn(certificates);
  const codes = integrations.flatMap((integration) => {
    const serverName = integrationScheme(integration) === 'https' ? verifiedName(integration) : undefined;
    if (serverName === undefined) return [];
    const presented = presentedByListener(listener, serverName, namesOf);
    if (presented.kind === 'not-covered') return ['CERTIFICATE_NOT_COVERING_NAME' as const];
    return presented.kind === 'unknown' && presented.unknown.every((certificate) => !certificate.error)
      ? ['CERTIFICATE_NAMES_UNKNOWN' as const]
      : [];
  });
  return [...new Set(codes)];
}

/**
 * An ALB behind an NLB sees API Gateway's own TLS session, and so the name it verifies, when every
 * NLB listener that forwards to the `alb` target group is TCP: it passes the bytes through.
 */
export function tlsPassesThrough(via: {
  loadBalancer: { listeners: Collected<ListenerFacts[]> };
  targetGroup: { arn: string };
}): boolean {
  if (!via.loadBalancer.listeners.ok) return false;
  const front = via.loadBalancer.listeners.value.filter((listener) =>
    listener.targetGroupArns.includes(via.targetGroup.arn),
  );
  return front.length > 0 && front.every((listener) => listener.protocol === 'TCP');
}
