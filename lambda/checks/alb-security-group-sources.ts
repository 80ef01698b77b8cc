import type { CheckDefinition } from '../domain/check';
import { listenersReached } from '../domain/path';
import type { CheckResult, Inventory, SecurityGroupFacts } from '../domain/types';
import { ARTICLE } from './docs-links';
import {
  describeHop,
  describeLoadBalancer,
  evaluateLoadBalancersOfType,
  type LoadBalancerPath,
  loadBalancerResource,
} from './load-balancer-path';
import { couldNotRead, lookup, notApplicable } from './results';
import { findAllowingRule } from './security-group-rules';

function evaluatePath(path: LoadBalancerPath, inventory: Inventory): CheckResult {
  const { loadBalancer, apis } = path;
  const resource = loadBalancerResource(loadBalancer);
  const name = describeLoadBalancer(loadBalancer);
  if (!loadBalancer.listeners.ok) {
    return couldNotRead(resource, apis, `the listeners of ${name}`, loadBalancer.listeners.error);
  }
  const groups: SecurityGroupFacts[] = [];
  for (const id of loadBalancer.securityGroupIds) {
    const group = lookup(inventory.securityGroups, id, 'ec2:DescribeSecurityGroups');
    if (!group.ok) return couldNotRead(resource, apis, `security group ${id} of ${name}`, group.error);
    groups.push(group.value);
  }
  const vpc = lookup(inventory.vpcs, loadBalancer.vpcId, 'ec2:DescribeVpcs');
  // The VPC link's interfaces live in the VPC: its CIDR or the link's security groups are where traffic comes from.
  const sources = {
    cidrs: ['0.0.0.0/0', ...(vpc.ok ? vpc.value.cidrs : [])],
    securityGroupIds: path.vpcLinks.flatMap((link) => link.securityGroupIds),
  };
  // Only the listeners the traffic reaches: another service's listener on a shared ALB is not ours to judge.
  const { reached } = listenersReached(loadBalancer.listeners.value, path.entries);
  if (reached.length === 0) {
    return notApplicable(
      resource,
      apis,
      `no listener of ${describeHop(path)} answers what the integrations send to: integration-listener reports it`,
    );
  }
  const verdicts = reached.map((listener) => ({
    port: listener.port,
    allowing: findAllowingRule(groups, listener.port, sources),
  }));
  const blocked = verdicts.filter((verdict) => !verdict.allowing).map((verdict) => verdict.port);
  const evidence = {
    securityGroups: loadBalancer.securityGroupIds,
    acceptedSources: sources,
    blockedPorts: blocked,
  };
  if (blocked.length === 0) {
    const allowed = verdicts.map((verdict) => `${verdict.port} (${verdict.allowing})`);
    return {
      ...resource,
      status: 'PASS',
      apis,
      message: `${name} admits its listener ports from where the VPC link connects: ${allowed.join(', ') || 'no listener'}`,
      evidence,
    };
  }
  if (!vpc.ok) return couldNotRead(resource, apis, `the VPC of ${name}`, vpc.error);
  const [unreadableLink] = path.unreadableVpcLinks;
  if (unreadableLink) {
    return couldNotRead(
      resource,
      apis,
      `the VPC link (its security groups) in front of ${name}`,
      unreadableLink,
    );
  }
  return {
    ...resource,
    status: 'FAIL',
    apis,
    message: `security groups ${loadBalancer.securityGroupIds.join(', ') || '(none)'} of ${name} do not allow listener port ${blocked.join(', ')} from all sources, the VPC CIDR or the VPC link's security groups`,
    evidence,
  };
}

export const albSecurityGroupSources: CheckDefinition = {
  id: 'alb-security-group-sources',
  title: "ALB's security group admits the VPC link",
  group: 'high-frequency',
  severity: 'high',
  runsFor: ['high-frequency'],
  risk: "When the ALB's security group does not admit the listener port from where the VPC link connects, API Gateway cannot open a connection and answers 504.",
  remediation:
    "Allow the listener port in the ALB's security group from all sources, or at least from the VPC CIDR or the VPC link's security group.",
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html',
  ],
  evaluate: ({ inventory, stages }) =>
    evaluateLoadBalancersOfType(stages, inventory, 'application', (path) => [evaluatePath(path, inventory)]),
};
