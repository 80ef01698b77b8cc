import { presentsCertificates } from '../domain/path';
import type {
  CertificateFacts,
  CheckResult,
  Collected,
  IntegrationFacts,
  ListenerFacts,
  StageInventory,
} from '../domain/types';
import {
  describeHop,
  describeLoadBalancer,
  integrationResource,
  type LoadBalancerPath,
  loadBalancerResource,
  type StagePath,
  targetGroupResource,
  vanishedMessage,
} from '../path/build';
import { explained } from '../path/explanations';
import {
  type CertificateNames,
  integrationScheme,
  namesIn,
  presentedByListener,
  verifiedName,
} from '../path/tls';
import type { CheckDefinition } from './check-definition';
import { couldNotRead, failedCheck, notApplicable, passed, type Resource, warned } from './results';

type Certificates = Record<string, Collected<CertificateFacts>>;

/** What an integration's judgement reads beside its own load balancer: the certificates, and the ALBs behind it. */
interface Context {
  certificates: Certificates;
  /** The stage path's ALBs reached through an NLB's `alb` target groups. */
  behind: LoadBalancerPath[];
}

/**
 * Whether the listener speaks what the integration sends (ELB guides, listener protocols): plain
 * HTTP to a TLS or HTTPS listener fails the handshake; TLS to an HTTP listener is not HTTP. A TCP
 * (or TCP_UDP) listener passes bytes through, so HTTPS works only if the targets terminate TLS:
 * unknown. API Gateway connects over TCP, which a UDP listener does not accept. The sender is named
 * by how the integration chose its protocol: its URI's scheme, or (HTTP API private integrations)
 * its TlsConfig.
 */
function protocolMismatch(
  integration: IntegrationFacts,
  listener: ListenerFacts,
): { certain: boolean; why: string } | undefined {
  const scheme = integrationScheme(integration);
  const byTlsConfig = integration.listenerArn !== undefined;
  if (listener.protocol === 'UDP') {
    return {
      certain: true,
      why: 'API Gateway opens a TCP connection, which a UDP listener does not accept',
    };
  }
  if (scheme === 'http' && presentsCertificates(listener)) {
    const sender = byTlsConfig ? 'an integration without TlsConfig' : 'http://';
    return {
      certain: true,
      why: `${sender} sends plain HTTP to a ${listener.protocol} listener, which expects a TLS handshake`,
    };
  }
  const sender = byTlsConfig ? 'TlsConfig makes the integration open' : 'https:// opens';
  if (scheme === 'https' && listener.protocol === 'HTTP') {
    return {
      certain: true,
      why: `${sender} a TLS handshake with an HTTP listener, which expects plain HTTP`,
    };
  }
  if (scheme === 'https' && (listener.protocol === 'TCP' || listener.protocol === 'TCP_UDP')) {
    return {
      certain: false,
      why: `${byTlsConfig ? 'HTTPS (TlsConfig)' : 'https://'} to a ${listener.protocol} listener works only if the targets terminate TLS themselves (the listener passes bytes through)`,
    };
  }
  return undefined;
}

/** `arn (a.example.com, *.example.com)`: a certificate and the names it covers, or why they are unknown. */
function describeCertificate(arn: string, names: CertificateNames): string {
  if (names === null) return `${arn} (an IAM server certificate: names not read)`;
  return names.ok ? `${arn} (${names.value.join(', ')})` : `${arn} (unreadable)`;
}

/**
 * Whether the certificate the listener presents covers the name API Gateway verifies: a TLS or HTTPS
 * listener reached with HTTPS. Undefined when the integration does not speak HTTPS to such a listener.
 */
function judgeCertificate(
  integration: IntegrationFacts,
  listener: ListenerFacts,
  sends: string,
  where: string,
  resource: Resource,
  apis: LoadBalancerPath['apis'],
  certificates: Certificates,
): CheckResult | undefined {
  if (integrationScheme(integration) !== 'https') return undefined;
  if (!presentsCertificates(listener)) return undefined;
  const serverName = verifiedName(integration);
  if (serverName === undefined) {
    return warned(
      resource,
      apis,
      `${sends} with a TlsConfig that names no ServerNameToVerify: AWS does not document which name API Gateway then verifies, so whether the certificate of ${where} covers it is not judged (set ServerNameToVerify to a name the certificate covers)`,
      { listener: listener.arn },
      'info',
    );
  }
  const namesOf = namesIn(certificates);
  const presented = presentedByListener(listener, serverName, namesOf);
  const listed = (arns: readonly string[]) =>
    arns.map((arn) => describeCertificate(arn, namesOf(arn))).join('; ');
  const evidence = { listener: listener.arn, serverName };
  switch (presented.kind) {
    case 'covered':
      return passed(
        resource,
        apis,
        `${sends}; it presents ${listed(presented.arns)}, which covers ${serverName}, the name API Gateway verifies`,
        {
          ...evidence,
          certificateArns: presented.arns,
        },
      );
    case 'not-covered': {
      const all = listenerCertificateArns(listener);
      return explained(
        'CERTIFICATE_NOT_COVERING_NAME',
        failedCheck(
          resource,
          apis,
          `${sends} over HTTPS and API Gateway verifies the name ${serverName}, which none of the certificates of ${where} covers (${listed(all)}): the listener presents its default certificate ${presented.defaultArn} and API Gateway fails the TLS handshake (REST execution logs: "General SSL engine problem")`,
          { ...evidence, certificateArns: all, defaultCertificateArn: presented.defaultArn },
        ),
      );
    }
    case 'unknown': {
      const unreadable = presented.unknown.find((certificate) => certificate.error);
      if (unreadable?.error)
        return couldNotRead(resource, apis, `certificate ${unreadable.arn} of ${where}`, unreadable.error);
      return explained(
        'CERTIFICATE_NAMES_UNKNOWN',
        warned(
          resource,
          apis,
          `${sends} over HTTPS and API Gateway verifies the name ${serverName}: no certificate of ${where} whose names the audit read covers it, and the names of ${listed(presented.unknown.map((c) => c.arn))} are not read, so the listener may present a certificate that does not cover it (${listed(presented.arns)})`,
          { ...evidence, certificateArns: presented.arns },
          'info',
        ),
      );
    }
    case 'unreadable':
      return couldNotRead(resource, apis, `the certificates of ${where}`, presented.error);
    case 'no-certificate':
      return couldNotRead(resource, apis, `the certificates of ${where}`, {
        action: 'elasticloadbalancing:DescribeListenerCertificates',
        code: 'NotCollected',
        message: `no certificate of ${listener.arn} was collected`,
      });
  }
}

const listenerCertificateArns = (listener: ListenerFacts): string[] => [
  ...new Set([
    ...(listener.certificateArns ?? []),
    ...(listener.certificates?.ok ? listener.certificates.value.map((certificate) => certificate.arn) : []),
  ]),
];

/** Worst first: a FAIL decides, then what could not be read, then a warning. */
const STATUS_ORDER: readonly CheckResult['status'][] = ['FAIL', 'ERROR', 'WARN', 'PASS', 'SKIPPED'];

/**
 * HTTPS to an NLB's TCP listener whose traffic goes only to `alb` target groups: the TLS session
 * passes through to the ALB's listener on the group's port ("Application Load Balancers as
 * targets", NLB guide), which must speak HTTPS and present a certificate that covers the name.
 * Undefined when another kind of target may receive the traffic: who ends TLS is then unknown.
 */
function judgeThroughToAlbs(
  integration: IntegrationFacts,
  listener: ListenerFacts,
  path: LoadBalancerPath,
  resource: Resource,
  context: Context,
  sends: string,
): CheckResult | undefined {
  const routed = path.listeners.find((hop) => hop.listener.arn === listener.arn)?.routing.groups ?? [];
  const albs = routed.map((group) => context.behind.find((alb) => alb.via?.targetGroup.arn === group.arn));
  const albListeners = albs.flatMap((alb) => (alb ? alb.listeners.map((hop) => ({ alb, hop })) : []));
  if (routed.length === 0 || albs.some((alb) => !alb?.listeners.length)) return undefined;
  const results = albListeners.map(({ alb, hop }): CheckResult => {
    const where = `the ${hop.listener.protocol}:${hop.listener.port} listener of ${describeHop(alb)}`;
    const passesTo = `${sends}; the TCP listener passes its TLS session through to ${where}`;
    if (hop.listener.protocol === 'HTTP')
      return explained(
        'PROTOCOL_MISMATCH',
        failedCheck(resource, path.apis, `${passesTo}, an HTTP listener, which expects plain HTTP`, {
          albListener: hop.listener.arn,
        }),
      );
    return (
      judgeCertificate(
        integration,
        hop.listener,
        passesTo,
        where,
        resource,
        path.apis,
        context.certificates,
      ) ?? passed(resource, path.apis, passesTo, { albListener: hop.listener.arn })
    );
  });
  return [...results].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status))[0];
}

/**
 * An integration that reaches a listener: the listener must speak its protocol and, for HTTPS to a
 * TLS or HTTPS listener, present a certificate that covers the name API Gateway verifies.
 */
function judgeReachedListener(
  integration: IntegrationFacts,
  listener: ListenerFacts,
  path: LoadBalancerPath,
  resource: Resource,
  context: Context,
  sent: { text: string; evidence: Record<string, unknown> },
): CheckResult {
  const { apis } = path;
  const withProtocol = { ...sent.evidence, listenerProtocol: listener.protocol };
  const sends = `integration ${integration.label} ${sent.text}`;
  const mismatch = protocolMismatch(integration, listener);
  if (mismatch) {
    const message = `integration ${integration.label} ${sent.text}: ${mismatch.why}`;
    if (mismatch.certain)
      return explained('PROTOCOL_MISMATCH', failedCheck(resource, apis, message, withProtocol));
    const throughToAlbs = judgeThroughToAlbs(integration, listener, path, resource, context, sends);
    return throughToAlbs
      ? { ...throughToAlbs, evidence: { ...withProtocol, ...throughToAlbs.evidence } }
      : warned(resource, apis, message, withProtocol, 'medium');
  }
  const where = `the ${listener.protocol}:${listener.port} listener of ${describeHop(path)}`;
  const tls = judgeCertificate(integration, listener, sends, where, resource, apis, context.certificates);
  if (tls) return { ...tls, evidence: { ...withProtocol, ...tls.evidence } };
  return passed(resource, apis, sends, sent.evidence);
}

function evaluateIntegration(
  stage: StageInventory,
  path: LoadBalancerPath,
  integration: IntegrationFacts,
  context: Context,
): CheckResult {
  const { loadBalancer, apis } = path;
  const resource = integrationResource(stage, integration);
  const name = describeLoadBalancer(loadBalancer);
  if (!loadBalancer.listeners.ok) {
    return couldNotRead(resource, apis, `the listeners of ${name}`, loadBalancer.listeners.error);
  }
  if (integration.connectionType === 'INTERNET' && loadBalancer.scheme === 'internal') {
    return failedCheck(
      resource,
      apis,
      `integration ${integration.label} is not on a VPC link, yet its URI names internal ${name}: an internal load balancer has private addresses only, which API Gateway cannot reach over the internet`,
      {
        loadBalancer: loadBalancer.name,
        scheme: 'internal',
        connectionType: 'INTERNET',
        uri: integration.uri ?? null,
      },
    );
  }
  const listeners = loadBalancer.listeners.value;
  const described =
    listeners.map((listener) => `${listener.protocol}:${listener.port}`).join(', ') || 'no listener';
  const evidence = {
    loadBalancer: loadBalancer.name,
    listeners: listeners.map((l) => ({ arn: l.arn, port: l.port, protocol: l.protocol })),
  };
  if (integration.listenerArn) {
    const listener = listeners.find((candidate) => candidate.arn === integration.listenerArn);
    if (listener) {
      return judgeReachedListener(integration, listener, path, resource, context, {
        text: `sends to ${name}'s ${listener.protocol}:${listener.port} listener`,
        evidence,
      });
    }
    return failedCheck(
      resource,
      apis,
      `integration ${integration.label} sends to listener ${integration.listenerArn}, which ${name} does not have (it has ${described})`,
      { ...evidence, listenerArn: integration.listenerArn },
    );
  }
  if (integration.port === undefined) {
    return notApplicable(
      resource,
      apis,
      `integration ${integration.label} names neither a port nor a listener (URI ${integration.uri ?? 'absent'})`,
    );
  }
  const port = integration.port;
  const listener = listeners.find((candidate) => candidate.port === port);
  if (listener) {
    const mismatched = protocolMismatch(integration, listener) !== undefined;
    return judgeReachedListener(integration, listener, path, resource, context, {
      text: `${mismatched ? `sends ${integration.uri ?? ''}` : 'sends'} to port ${port}, where ${name} has a ${listener.protocol} listener`,
      evidence: { ...evidence, port },
    });
  }
  return failedCheck(
    resource,
    apis,
    `integration ${integration.label} sends to port ${port} but ${name} listens on ${described}`,
    { ...evidence, port },
  );
}

/** An NLB's `alb` target group forwards to its ALB on the group's port: the ALB must listen there. */
function evaluateAlbBehindNlb(
  path: LoadBalancerPath,
  via: NonNullable<LoadBalancerPath['via']>,
): CheckResult {
  const { loadBalancer, apis } = path;
  const resource = targetGroupResource(via.targetGroup);
  const name = describeHop(path);
  if (!loadBalancer.listeners.ok) {
    return couldNotRead(resource, apis, `the listeners of ${name}`, loadBalancer.listeners.error);
  }
  const ports = path.entries.flatMap((entry) => ('port' in entry ? [entry.port] : []));
  const missing = ports.filter(
    (port) => !loadBalancer.listeners.ok || !loadBalancer.listeners.value.some((l) => l.port === port),
  );
  const evidence = {
    targetGroup: via.targetGroup.name,
    ports,
    listeners: loadBalancer.listeners.value.map((l) => l.port),
  };
  if (missing.length === 0) {
    return passed(
      resource,
      apis,
      `target group ${via.targetGroup.name} forwards to ${name} on port ${ports.join(', ')}, where it listens`,
      evidence,
    );
  }
  return failedCheck(
    resource,
    apis,
    `target group ${via.targetGroup.name} forwards to ${name} on port ${missing.join(', ')}, where it has no listener`,
    evidence,
  );
}

function evaluatePath(path: StagePath, certificates: Certificates): CheckResult[] {
  const { stage, apis } = path;
  const goneArns = new Set(path.vanished.map((gone) => gone.arn));
  return [
    ...path.problems.filter((problem) => !goneArns.has(problem.resourceArn)),
    ...path.vanished.map((gone) =>
      failedCheck(loadBalancerResource(gone), apis, vanishedMessage(gone), {
        action: gone.error.action,
        code: gone.error.code,
      }),
    ),
    ...path.loadBalancers.flatMap((lb) =>
      lb.via
        ? [evaluateAlbBehindNlb(lb, lb.via)]
        : lb.integrations.map((integration) =>
            evaluateIntegration(stage, lb, integration, {
              certificates,
              behind: path.loadBalancers.filter(
                (behind) => behind.via?.loadBalancer.arn === lb.loadBalancer.arn,
              ),
            }),
          ),
    ),
  ];
}

export const integrationListener: CheckDefinition<'paths' | 'certificates'> = {
  id: 'integration-listener',
  title: 'Load balancer listens where the integration sends',
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: "An integration that sends to a port (REST) or listener (HTTP) the load balancer does not have gets no connection, and one whose protocol the listener does not speak (plain HTTP to TLS or HTTPS, HTTPS to HTTP; HTTP APIs choose HTTPS by TlsConfig) fails the handshake: every request fails. Over HTTPS, API Gateway verifies the listener's certificate against the integration URI's host (REST) or ServerNameToVerify (HTTP APIs): when none of the listener's certificates (its default and SNI list) covers that name, it fails the TLS handshake (REST: \"General SSL engine problem\").",
  remediation:
    'Point the integration URI at a port the load balancer listens on (REST), or at an existing listener ARN (HTTP API), or add the missing listener; match the protocol (the URI scheme for REST, TlsConfig for HTTP APIs); over HTTPS, add a certificate that covers the name API Gateway verifies to the listener (as its default or in its certificate list), or send a name a certificate covers.',
  docs: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-api-with-vpclink-using-swagger.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html',
  ],
  reads: ['paths', 'certificates'],
  evaluate: ({ paths, certificates }) => paths.flatMap((path) => evaluatePath(path, certificates)),
};
