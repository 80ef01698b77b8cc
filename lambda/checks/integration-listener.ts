import type { CheckDefinition } from '../domain/check';
import type { CheckResult, IntegrationFacts, Inventory, StageInventory } from '../domain/types';
import {
  describeHop,
  describeLoadBalancer,
  followStageToLoadBalancers,
  integrationResource,
  type LoadBalancerPath,
  loadBalancerResource,
  targetGroupResource,
  vanishedMessage,
} from './load-balancer-path';
import { couldNotRead, notApplicable, stageKeyOf } from './results';

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
      return {
        ...resource,
        status: 'PASS',
        apis,
        message: `integration ${integration.label} sends to ${name}'s ${listener.protocol}:${listener.port} listener`,
        evidence,
      };
    }
    return {
      ...resource,
      status: 'FAIL',
      apis,
      message: `integration ${integration.label} sends to listener ${integration.listenerArn}, which ${name} does not have (it has ${described})`,
      evidence: { ...evidence, listenerArn: integration.listenerArn },
    };
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
    return {
      ...resource,
      status: 'PASS',
      apis,
      message: `integration ${integration.label} sends to port ${port}, where ${name} has a ${listener.protocol} listener`,
      evidence: { ...evidence, port },
    };
  }
  return {
    ...resource,
    status: 'FAIL',
    apis,
    message: `integration ${integration.label} sends to port ${port} but ${name} listens on ${described}`,
    evidence: { ...evidence, port },
  };
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
    return {
      ...resource,
      status: 'PASS',
      apis,
      message: `target group ${via.targetGroup.name} forwards to ${name} on port ${ports.join(', ')}, where it listens`,
      evidence,
    };
  }
  return {
    ...resource,
    status: 'FAIL',
    apis,
    message: `target group ${via.targetGroup.name} forwards to ${name} on port ${missing.join(', ')}, where it has no listener`,
    evidence,
  };
}

function evaluateStage(stage: StageInventory, inventory: Inventory): CheckResult[] {
  const { reached, problems, vanished } = followStageToLoadBalancers(stage, inventory);
  const goneArns = new Set(vanished.map((gone) => gone.arn));
  return [
    ...problems.filter((problem) => !goneArns.has(problem.resourceArn)),
    ...vanished.map(
      (gone): CheckResult => ({
        ...loadBalancerResource(gone),
        status: 'FAIL',
        apis: [stageKeyOf(stage)],
        message: vanishedMessage(gone),
        evidence: { action: gone.error.action, code: gone.error.code },
      }),
    ),
    ...reached.flatMap((path) =>
      path.via
        ? [evaluateAlbBehindNlb(path, path.via)]
        : path.integrations.map((integration) => evaluateIntegration(stage, path, integration)),
    ),
  ];
}

export const integrationListener: CheckDefinition = {
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
  evaluate: ({ inventory, stages }) => stages.flatMap((stage) => evaluateStage(stage, inventory)),
};
