import { instanceArn } from '../domain/arns';
import type { CheckDefinition } from '../domain/check';
import type { CheckResult, Inventory, SecurityGroupFacts, TargetGroupFacts } from '../domain/types';
import { ARTICLE } from './docs-links';
import {
  describeHop,
  describeLoadBalancer,
  evaluateLoadBalancersOfType,
  evaluateTargetGroups,
  type LoadBalancerPath,
  targetGroupResource,
} from './load-balancer-path';
import { evaluateNlbOwnSecurityGroups } from './nlb-own-security-groups';
import { couldNotRead, lookup, notApplicable, RESOURCE_TYPES } from './results';
import { evaluateSecurityGroups } from './security-group-rules';
import { nlbSources } from './senders';

function evaluateTargetGroup(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  inventory: Inventory,
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
    const known = nlbSources(path, targetGroup, instance.value.availabilityZone, inventory);
    if (!known.ok) {
      return couldNotRead(
        resource,
        apis,
        `the addresses ${describeLoadBalancer(loadBalancer)} connects from`,
        known.error,
      );
    }
    const port = target.port || targetGroup.port;
    const subject = `instance ${target.id} (target group ${targetGroup.name} of ${describeHop(path)})`;
    if (known.value.sources.length === 0) {
      return notApplicable(
        resource,
        apis,
        `no sender reaches ${subject}: ${known.value.senders} are unknown`,
      );
    }
    const verdict = evaluateSecurityGroups({
      groups,
      traffic: { protocol: 'tcp', port },
      prefixLists: inventory.prefixLists ?? {},
      sources: known.value.sources,
    });
    const evidence = {
      port,
      securityGroups: instance.value.securityGroupIds,
      senders: known.value.senders,
      sources: verdict.sources.map((one) => ({
        source: one.source.label,
        status: one.status,
        ...(one.status === 'allowed' ? { rule: one.rule.description } : {}),
      })),
      blockedZones: verdict.blockedZones,
    };
    if (verdict.status === 'all-allowed') {
      return {
        ...resource,
        status: 'PASS',
        apis,
        message: `${subject} accepts tcp/${port} from ${known.value.senders}: ${verdict.summary}`,
        evidence,
      };
    }
    const [gap] = [
      ...verdict.gaps,
      ...(known.value.approximatedBecause ? [known.value.approximatedBecause] : []),
    ];
    if (gap) {
      return couldNotRead(
        resource,
        apis,
        known.value.approximatedBecause
          ? `the addresses ${describeLoadBalancer(loadBalancer)} connects from`
          : `a prefix list the security groups of ${target.id} reference`,
        gap,
      );
    }
    return {
      ...resource,
      status: 'FAIL',
      apis,
      message: `security groups ${instance.value.securityGroupIds.join(', ') || '(none)'} of ${subject} do not admit tcp/${port} from ${known.value.senders}: ${verdict.summary}`,
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
  risk: "When the targets' security groups do not admit the NLB's traffic on the target port, or the NLB's own security groups do not admit the VPC link on the listener port, every connection is dropped and API Gateway reports a network error.",
  remediation:
    "Allow the target port in the targets' security groups from the NLB's private IP addresses (or the VPC CIDR, or the NLB's security group when it has one); with client IP preservation on, from the clients' addresses too. When the NLB has security groups, they must admit the listener port from the VPC link: a V2 link's security group or subnets; for a V1 link, turn off \"enforce inbound rules on PrivateLink traffic\" (or admit 0.0.0.0/0).",
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#target-security-groups',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html',
  ],
  evaluate: ({ inventory, stages }) =>
    evaluateLoadBalancersOfType(stages, inventory, 'network', (path) => [
      ...evaluateNlbOwnSecurityGroups(path, inventory),
      ...evaluateTargetGroups(path, inventory, (targetGroup) =>
        evaluateTargetGroup(path, targetGroup, inventory),
      ),
    ]),
};
