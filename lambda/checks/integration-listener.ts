import type { CheckResult, IntegrationFacts, ListenerFacts, StageInventory } from '../domain/types';
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
import type { CheckDefinition } from './check-definition';
import { couldNotRead, failedCheck, notApplicable, passed, warned } from './results';

/** The scheme of a REST integration URI: what API Gateway speaks to the listener. */
const uriScheme = (uri: string | undefined): 'http' | 'https' | undefined => {
  const scheme = /^(https?):\/\//i.exec(uri ?? '')?.[1]?.toLowerCase();
  return scheme === 'http' || scheme === 'https' ? scheme : undefined;
};

/**
 * Whether the listener speaks what the integration sends (ELB guides, listener protocols): plain
 * HTTP to a TLS or HTTPS listener fails the handshake; TLS to an HTTP listener is not HTTP. A TCP
 * listener passes bytes through, so `https://` works only if the targets terminate TLS: unknown.
 */
function protocolMismatch(
  scheme: 'http' | 'https' | undefined,
  listener: ListenerFacts,
): { certain: boolean; why: string } | undefined {
  if (scheme === 'http' && (listener.protocol === 'HTTPS' || listener.protocol === 'TLS')) {
    return {
      certain: true,
      why: `http:// sends plain HTTP to a ${listener.protocol} listener, which expects a TLS handshake`,
    };
  }
  if (scheme === 'https' && listener.protocol === 'HTTP') {
    return {
      certain: true,
      why: 'https:// opens a TLS handshake with an HTTP listener, which expects plain HTTP',
    };
  }
  if (scheme === 'https' && listener.protocol === 'TCP') {
    return {
      certain: false,
      why: 'https:// to a TCP listener works only if the targets terminate TLS themselves (the listener passes bytes through)',
    };
  }
  return undefined;
}

function evaluateIntegration(
  stage: StageInventory,
  path: LoadBalancerPath,
  integration: IntegrationFacts,
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
      return passed(
        resource,
        apis,
        `integration ${integration.label} sends to ${name}'s ${listener.protocol}:${listener.port} listener`,
        evidence,
      );
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
  const mismatch = listener && protocolMismatch(uriScheme(integration.uri), listener);
  if (listener && mismatch) {
    const message = `integration ${integration.label} sends ${integration.uri ?? ''} to port ${port}, where ${name} has a ${listener.protocol} listener: ${mismatch.why}`;
    const withProtocol = { ...evidence, port, listenerProtocol: listener.protocol };
    return mismatch.certain
      ? failedCheck(resource, apis, message, withProtocol)
      : warned(resource, apis, message, withProtocol, 'medium');
  }
  if (listener) {
    return passed(
      resource,
      apis,
      `integration ${integration.label} sends to port ${port}, where ${name} has a ${listener.protocol} listener`,
      { ...evidence, port },
    );
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

function evaluatePath(path: StagePath): CheckResult[] {
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
        : lb.integrations.map((integration) => evaluateIntegration(stage, lb, integration)),
    ),
  ];
}

export const integrationListener: CheckDefinition<'paths'> = {
  id: 'integration-listener',
  title: 'Load balancer listens where the integration sends',
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'An integration that sends to a port (REST) or listener (HTTP) the load balancer does not have gets no connection: every request fails.',
  remediation:
    'Point the integration URI at a port the load balancer listens on (REST), or at an existing listener ARN (HTTP API), or add the missing listener.',
  docs: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html',
  ],
  reads: ['paths'],
  evaluate: ({ paths }) => paths.flatMap(evaluatePath),
};
