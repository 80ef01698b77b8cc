import { isAcmCertificate } from '../domain/arns';
import { listenersReached, presentsCertificates } from '../domain/path';
import type {
  CertificateFacts,
  CheckResult,
  Inventory,
  ListenerFacts,
  StageInventory,
} from '../domain/types';
import { integrationsInto } from '../path/build';
import {
  describeHop,
  followStageToLoadBalancers,
  type LoadBalancerPath,
  loadBalancerResource,
} from '../path/query';
import {
  type CertificateNames,
  integrationScheme,
  listenerCertificates,
  namesIn,
  presentedByListener,
  servedBy,
  tlsPassesThrough,
  verifiedName,
} from '../path/tls';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { type ErrorWindow, errorWindowOf, type Judgement, minutesText } from './error-minutes';
import { couldNotRead, lookup, notApplicable } from './results';

/** A certificate this close to its NotAfter is worth renewing now. */
export const SOON_DAYS = 30;
const DAY_MS = 86_400_000;

export interface CertificateInput {
  where: string;
  certificate: CertificateFacts;
  /** The audit's end: "now" for the window. */
  now: string;
  errorWindow: ErrorWindow | null;
}

/** Pure: is the listener's certificate expired (and was it when the stage failed), or about to be? */
export function judgeCertificateExpiry({
  where,
  certificate,
  now,
  errorWindow,
}: CertificateInput): Judgement {
  const evidence = {
    certificateArn: certificate.arn,
    domainName: certificate.domainName,
    notAfter: certificate.notAfter,
    status: certificate.status,
  };
  if (certificate.notAfter === null) {
    return {
      status: 'SKIPPED',
      message: `the certificate of ${where} has no expiry date yet (ACM status ${certificate.status})`,
      evidence,
    };
  }
  const notAfter = Date.parse(certificate.notAfter);
  const left = notAfter - Date.parse(now);
  const name = `the certificate of ${where} (${certificate.domainName})`;
  if (left <= 0) {
    const failing =
      errorWindow?.periods.filter(
        (index) =>
          Date.parse(errorWindow.window.start) + (index + 1) * errorWindow.window.periodSeconds * 1000 >
          notAfter,
      ) ?? [];
    if (errorWindow && failing.length > 0) {
      return {
        status: 'FAIL',
        message: `${name} expired at ${certificate.notAfter}, and the stage failed after that, at ${minutesText(errorWindow, failing)}: API Gateway's TLS handshake with the listener fails on an expired certificate`,
        evidence: {
          ...evidence,
          coincidedMinutes: failing.map((i) =>
            new Date(
              Date.parse(errorWindow.window.start) + i * errorWindow.window.periodSeconds * 1000,
            ).toISOString(),
          ),
        },
      };
    }
    return {
      status: 'WARN',
      severity: 'high',
      message: `${name} expired at ${certificate.notAfter}`,
      evidence,
    };
  }
  if (left < SOON_DAYS * DAY_MS) {
    return {
      status: 'WARN',
      severity: 'low',
      message: `${name} expires at ${certificate.notAfter}, in ${Math.floor(left / DAY_MS)} days: renew or replace it before TLS handshakes start failing`,
      evidence,
    };
  }
  return { status: 'PASS', message: `${name} is valid until ${certificate.notAfter}`, evidence };
}

/** A certificate a listener serves the path's traffic, with the names it is served for. */
interface Served {
  arn: string;
  /** The names API Gateway sends as SNI that get this certificate; empty where it sends none known (the default). */
  serverNames: string[];
  /** False when the listener may present another certificate instead (names unknown, several cover the name). */
  certain: boolean;
  /** The listener's default certificate (named as "the listener's"; an SNI one by the names it serves). */
  isDefault: boolean;
}

/**
 * The certificates `listener` serves the integrations that enter it: for each name API Gateway
 * verifies, the one the listener presents for it (tls.ts); the default where no name is known (plain
 * HTTP, an HTTP API TlsConfig without ServerNameToVerify, an ALB behind an NLB that ends TLS itself).
 */
function servedCertificates(
  path: LoadBalancerPath,
  listener: ListenerFacts,
  namesOf: (arn: string) => CertificateNames,
): Served[] {
  if (!presentsCertificates(listener)) return [];
  const listed = listenerCertificates(listener);
  const defaults = listed.ok
    ? listed.value.filter((certificate) => certificate.isDefault).map((certificate) => certificate.arn)
    : (listener.certificateArns ?? []);
  const served = new Map<string, Served>();
  const serve = (arns: readonly string[], serverName: string | undefined, certain: boolean) => {
    for (const arn of arns) {
      const kept = served.get(arn) ?? {
        arn,
        serverNames: [],
        certain: false,
        isDefault: defaults.includes(arn),
      };
      if (serverName && !kept.serverNames.includes(serverName)) kept.serverNames.push(serverName);
      kept.certain ||= certain;
      served.set(arn, kept);
    }
  };
  const nameReaches = !path.via || tlsPassesThrough(path.via);
  for (const integration of integrationsInto(path, listener)) {
    const serverName =
      !nameReaches || integrationScheme(integration) !== 'https' ? undefined : verifiedName(integration);
    if (serverName === undefined) {
      serve(defaults, undefined, true);
      continue;
    }
    const presented = presentedByListener(listener, serverName, namesOf);
    if (presented.kind === 'unreadable') serve(defaults, serverName, false);
    else {
      const { arns, certain } = servedBy(presented);
      serve(arns, serverName, certain);
    }
  }
  return [...served.values()];
}

function evaluatePath(
  path: LoadBalancerPath,
  inventory: Inventory,
  errorWindow: ErrorWindow | null,
): CheckResult[] {
  const { loadBalancer, apis } = path;
  const resource = loadBalancerResource(loadBalancer);
  if (!loadBalancer.listeners.ok)
    return [
      couldNotRead(resource, apis, `the listeners of ${describeHop(path)}`, loadBalancer.listeners.error),
    ];
  const certificates = inventory.certificates ?? {};
  const namesOf = namesIn(certificates);
  const listeners = listenersReached(loadBalancer.listeners.value, path.entries).reached.flatMap(
    (listener) => {
      const served = servedCertificates(path, listener, namesOf);
      return served.length > 0 ? [{ listener, served }] : [];
    },
  );
  if (listeners.length === 0)
    return [
      notApplicable(resource, apis, `no listener of ${describeHop(path)} on the path holds a certificate`),
    ];
  return listeners.flatMap(({ listener, served }) =>
    served.map(({ arn, serverNames, certain, isDefault }): CheckResult => {
      const forNames = !isDefault && serverNames.length > 0 ? ` for ${serverNames.join(', ')}` : '';
      const where = `listener ${listener.protocol}:${listener.port} of ${describeHop(path)}${forNames}`;
      if (!isAcmCertificate(arn))
        return notApplicable(
          resource,
          apis,
          `${where} uses an IAM server certificate: its expiry is not read`,
        );
      const certificate = lookup(certificates, arn, 'acm:DescribeCertificate');
      if (!certificate.ok) return couldNotRead(resource, apis, `certificate ${arn}`, certificate.error);
      const judged = judgeCertificateExpiry({
        where,
        certificate: certificate.value,
        now: inventory.window.end,
        errorWindow,
      });
      return { ...resource, apis, ...(certain ? judged : mayBeServed(judged)) };
    }),
  );
}

/** A failure of a certificate the listener only may present is a WARN that says so, never a FAIL on its own. */
const mayBeServed = (judged: Judgement): Judgement =>
  judged.status === 'FAIL'
    ? {
        ...judged,
        status: 'WARN',
        severity: 'medium',
        message: `${judged.message}; the listener may present another of its certificates instead`,
      }
    : judged;

function evaluateStage(stage: StageInventory, inventory: Inventory): CheckResult[] {
  const errorWindow = errorWindowOf(stage, inventory.window);
  const { reached, problems } = followStageToLoadBalancers(stage, inventory);
  return [...problems, ...reached.flatMap((path) => evaluatePath(path, inventory, errorWindow))];
}

export const listenerCertificateExpiry: CheckDefinition = {
  id: 'listener-certificate-expiry',
  title: "The listener's certificate is valid",
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'An HTTPS or TLS listener that presents an expired ACM certificate fails every TLS handshake API Gateway starts with it; one about to expire will soon. The certificate judged is the one the listener serves for the name API Gateway verifies: an SNI certificate of its list that covers it, else its default. Imported certificates are not renewed by ACM.',
  remediation:
    'Renew or re-import the certificate (ACM renews the certificates it issued only while their validation records stay in place), or attach a valid one to the listener.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/acm/latest/userguide/check-certificate-renewal-status.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) => stages.flatMap((stage) => evaluateStage(stage, inventory)),
};
