import type { CheckDefinition } from '../domain/check';
import type { CheckResult, IntegrationFacts, Inventory, StageInventory } from '../domain/types';
import {
  describeLoadBalancer,
  followStageToLoadBalancers,
  integrationResource,
  type LoadBalancerPath,
} from './load-balancer-path';
import { couldNotRead, notApplicable } from './results';

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

function evaluateStage(stage: StageInventory, inventory: Inventory): CheckResult[] {
  const { reached, problems } = followStageToLoadBalancers(stage, inventory);
  return [
    ...problems,
    ...reached.flatMap((path) =>
      path.integrations.map((integration) => evaluateIntegration(stage, path, integration)),
    ),
  ];
}

export const integrationListener: CheckDefinition = {
  id: 'integration-listener',
  title: 'Load balancer listens where the integration sends',
  group: 'beyond-the-article',
  severity: 'high',
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
