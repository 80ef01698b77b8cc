import { instanceArn } from '../domain/arns';
import type { CheckDefinition } from '../domain/check';
import type {
  CheckResult,
  CollectionError,
  Inventory,
  SecurityGroupFacts,
  TargetGroupFacts,
} from '../domain/types';
import { ARTICLE } from './docs-links';
import {
  describeLoadBalancer,
  evaluateLoadBalancersOfType,
  evaluateTargetGroups,
  type LoadBalancerPath,
  targetGroupResource,
} from './load-balancer-path';
import { couldNotRead, lookup, notApplicable, RESOURCE_TYPES } from './results';
import { findAllowingRule, type TrafficSources } from './security-group-rules';

interface KnownSources {
  sources: TrafficSources;
  /** Facts that could not be read: a source we could not list might be the one a rule allows. */
  gaps: CollectionError[];
}

/** Where an NLB's traffic to its targets may come from, as far as the inventory knows. */
function nlbSources(path: LoadBalancerPath, inventory: Inventory): KnownSources {
  const { loadBalancer } = path;
  const gaps: CollectionError[] = [];
  const cidrs = ['0.0.0.0/0'];
  if (loadBalancer.networkInterfaces.ok) {
    cidrs.push(...loadBalancer.networkInterfaces.value.map((eni) => eni.privateIp));
  } else {
    gaps.push(loadBalancer.networkInterfaces.error);
  }
  const vpc = lookup(inventory.vpcs, loadBalancer.vpcId, 'ec2:DescribeVpcs');
  if (vpc.ok) cidrs.push(...vpc.value.cidrs);
  else gaps.push(vpc.error);
  return { sources: { cidrs, securityGroupIds: loadBalancer.securityGroupIds }, gaps };
}

function evaluateTargetGroup(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  inventory: Inventory,
  known: KnownSources,
): CheckResult[] {
  const { apis, loadBalancer } = path;
  if (targetGroup.targetType !== 'instance') {
    return [
      notApplicable(
        targetGroupResource(targetGroup),
        apis,
        `target group ${targetGroup.name} has ${targetGroup.targetType} targets: their security groups are not resolved, only instance targets are checked`,
      ),
    ];
  }
  if (!targetGroup.targets.ok) {
    return [
      couldNotRead(
        targetGroupResource(targetGroup),
        apis,
        `the targets of ${targetGroup.name}`,
        targetGroup.targets.error,
      ),
    ];
  }
  return targetGroup.targets.value.map((target) => {
    const resource = {
      resourceArn: instanceArn(inventory.region, inventory.account, target.id),
      resourceType: RESOURCE_TYPES.instance,
    };
    const instance = lookup(inventory.instances, target.id, 'ec2:DescribeInstances');
    if (!instance.ok) return couldNotRead(resource, apis, `instance ${target.id}`, instance.error);
    const groups: SecurityGroupFacts[] = [];
    for (const id of instance.value.securityGroupIds) {
      const group = lookup(inventory.securityGroups, id, 'ec2:DescribeSecurityGroups');
      if (!group.ok) return couldNotRead(resource, apis, `security group ${id} of ${target.id}`, group.error);
      groups.push(group.value);
    }
    const port = target.port || targetGroup.port;
    const allowing = findAllowingRule(groups, port, known.sources);
    const evidence = {
      port,
      securityGroups: instance.value.securityGroupIds,
      acceptedSources: known.sources.cidrs,
      loadBalancerSecurityGroups: known.sources.securityGroupIds,
    };
    const subject = `instance ${target.id} (target group ${targetGroup.name} of ${describeLoadBalancer(loadBalancer)})`;
    if (allowing) {
      return {
        ...resource,
        status: 'PASS',
        apis,
        message: `${subject} accepts tcp/${port}: ${allowing}`,
        evidence,
      };
    }
    const firstGap = known.gaps[0];
    if (firstGap) {
      return couldNotRead(
        resource,
        apis,
        `the addresses ${describeLoadBalancer(loadBalancer)} connects from`,
        firstGap,
      );
    }
    return {
      ...resource,
      status: 'FAIL',
      apis,
      message: `security groups ${instance.value.securityGroupIds.join(', ') || '(none)'} of ${subject} do not allow tcp/${port} from all sources, the NLB's private IPs, the VPC CIDR or the NLB's security groups`,
      evidence,
    };
  });
}

export const nlbTargetSecurityGroups: CheckDefinition = {
  id: 'nlb-target-security-groups',
  title: "Targets' security groups admit the NLB",
  group: 'high-frequency',
  severity: 'high',
  runsFor: ['high-frequency'],
  risk: "When the targets' security groups do not admit the NLB's traffic on the target port, every connection the NLB forwards is dropped and API Gateway reports a network error.",
  remediation:
    "Allow the target port in the targets' security groups from the NLB's private IP addresses (or the VPC CIDR, or the NLB's security group when it has one); with client IP preservation on, from the clients' addresses too.",
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#target-security-groups',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html',
  ],
  evaluate: ({ inventory, stages }) =>
    evaluateLoadBalancersOfType(stages, inventory, 'network', (path) => {
      const known = nlbSources(path, inventory);
      return evaluateTargetGroups(path, inventory, (targetGroup) =>
        evaluateTargetGroup(path, targetGroup, inventory, known),
      );
    }),
};
