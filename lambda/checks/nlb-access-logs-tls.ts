import type { CheckResult } from '../domain/types';
import { describeLoadBalancer, type LoadBalancerPath, loadBalancerResource } from '../path/build';
import { eachLoadBalancerOfType } from '../path/query';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { couldNotRead, failedCheck, notApplicable, passed } from './results';

const ACCESS_LOGS_ATTRIBUTE = 'access_logs.s3.enabled';

function evaluatePath({ loadBalancer, apis }: LoadBalancerPath): CheckResult {
  const resource = loadBalancerResource(loadBalancer);
  const name = describeLoadBalancer(loadBalancer);
  if (!loadBalancer.attributes.ok) {
    return couldNotRead(resource, apis, `the attributes of ${name}`, loadBalancer.attributes.error);
  }
  if (loadBalancer.attributes.value[ACCESS_LOGS_ATTRIBUTE] !== 'true') {
    return notApplicable(resource, apis, `access logs are off on ${name}`);
  }
  if (!loadBalancer.listeners.ok) {
    return couldNotRead(resource, apis, `the listeners of ${name}`, loadBalancer.listeners.error);
  }
  const listeners = loadBalancer.listeners.value.map((listener) => `${listener.protocol}:${listener.port}`);
  const evidence = { listeners, bucket: loadBalancer.attributes.value['access_logs.s3.bucket'] ?? null };
  if (loadBalancer.listeners.value.some((listener) => listener.protocol === 'TLS')) {
    return passed(resource, apis, `${name} writes access logs for its TLS listener`, evidence);
  }
  return failedCheck(
    resource,
    apis,
    `access logs are on for ${name} but it has no TLS listener (${listeners.join(', ') || 'no listener'}): an NLB writes access logs only for TLS listeners, so no connection is logged`,
    evidence,
  );
}

export const nlbAccessLogsTls: CheckDefinition<'paths'> = {
  id: 'nlb-access-logs-tls',
  title: 'NLB access logs come from a TLS listener',
  group: 'high-frequency',
  severity: 'low',
  role: 'observability',
  runsFor: ['high-frequency'],
  risk: 'An NLB writes access logs only for TLS listeners: with TCP listeners alone the logs stay empty and give no evidence of failing connections.',
  remediation:
    'Add a TLS listener if connection logs are needed, or rely on VPC flow logs and the NLB metrics for TCP listeners.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html',
  ],
  reads: ['paths'],
  evaluate: ({ paths }) => eachLoadBalancerOfType(paths, 'network', (path) => [evaluatePath(path)]),
};
