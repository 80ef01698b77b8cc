import { instanceArn, networkInterfaceArn } from '../domain/arns';
import type { CheckDefinition } from '../domain/check';
import {
  type CheckResult,
  type Inventory,
  ipTargetKey,
  type SecurityGroupFacts,
  type StageKey,
  type TargetFacts,
  type TargetGroupFacts,
} from '../domain/types';
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
import { couldNotRead, lookup, notApplicable, RESOURCE_TYPES, type Resource } from './results';
import { evaluateSecurityGroups } from './security-group-rules';
import { nlbSources } from './senders';

/** A target resolved to what receives its traffic: its resource, groups and zone. */
interface ReceivingTarget {
  resource: Resource;
  /** `instance i-0a1` or `ip target 10.0.12.40 (eni-...)`. */
  name: string;
  securityGroupIds: string[];
  zone: string | undefined;
}

type Resolution =
  | { ok: true; value: ReceivingTarget }
  | { ok: false; result: CheckResult }
  /** An ip target no interface of the VPC holds (a peered VPC, on premises). */
  | { ok: false; outside: true };

/** An instance target's instance, or an `ip` target's interface; a result when it cannot be judged. */
function resolveTarget(
  target: TargetFacts,
  targetGroup: TargetGroupFacts,
  inventory: Inventory,
  apis: StageKey[],
): Resolution {
  if (targetGroup.targetType === 'instance') {
    const resource = {
      resourceArn: instanceArn(inventory.region, inventory.account, target.id),
      resourceType: RESOURCE_TYPES.instance,
    };
    const instance = lookup(inventory.instances, target.id, 'ec2:DescribeInstances');
    if (!instance.ok)
      return { ok: false, result: couldNotRead(resource, apis, `instance ${target.id}`, instance.error) };
    const { securityGroupIds, availabilityZone } = instance.value;
    const value = { resource, name: `instance ${target.id}`, securityGroupIds, zone: availabilityZone };
    return { ok: true, value };
  }
  const eni = lookup(
    inventory.ipTargetInterfaces,
    ipTargetKey(targetGroup.vpcId, target.id),
    'ec2:DescribeNetworkInterfaces',
  );
  if (!eni.ok) {
    const subject = `the network interface of ip target ${target.id} in ${targetGroup.vpcId}`;
    return { ok: false, result: couldNotRead(targetGroupResource(targetGroup), apis, subject, eni.error) };
  }
  if (eni.value === null) return { ok: false, outside: true };
  return {
    ok: true,
    value: {
      resource: {
        resourceArn: networkInterfaceArn(inventory.region, inventory.account, eni.value.id),
        resourceType: RESOURCE_TYPES.networkInterface,
      },
      name: `ip target ${target.id} (${eni.value.id})`,
      securityGroupIds: eni.value.securityGroupIds,
      zone: eni.value.availabilityZone || undefined,
    },
  };
}

function evaluateTargetGroup(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  inventory: Inventory,
): CheckResult[] {
  const { apis } = path;
  if (targetGroup.targetType !== 'instance' && targetGroup.targetType !== 'ip') {
    return [
      notApplicable(
        targetGroupResource(targetGroup),
        apis,
        `target group ${targetGroup.name} has ${targetGroup.targetType} targets: security groups apply to instance and ip targets only`,
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
  const results: CheckResult[] = [];
  const outside: string[] = [];
  for (const target of targetGroup.targets.value) {
    const resolved = resolveTarget(target, targetGroup, inventory, apis);
    if (resolved.ok) results.push(judgeTarget(path, targetGroup, target, resolved.value, inventory));
    else if ('result' in resolved) results.push(resolved.result);
    else outside.push(target.id);
  }
  if (outside.length > 0) {
    const reason =
      `ip ${outside.length === 1 ? 'target' : 'targets'} ${outside.join(', ')} of target group ${targetGroup.name} ` +
      `${outside.length === 1 ? 'lies' : 'lie'} outside ${targetGroup.vpcId} (no network interface there holds the address: ` +
      `a peered VPC or on premises): ${outside.length === 1 ? 'its' : 'their'} security groups cannot be read from here`;
    results.push({
      ...notApplicable(targetGroupResource(targetGroup), apis, reason),
      evidence: { targets: outside },
    });
  }
  return results;
}

function judgeTarget(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  target: TargetFacts,
  receiving: ReceivingTarget,
  inventory: Inventory,
): CheckResult {
  const { apis, loadBalancer } = path;
  const { resource, name, securityGroupIds } = receiving;
  const groups: SecurityGroupFacts[] = [];
  for (const id of securityGroupIds) {
    const group = lookup(inventory.securityGroups, id, 'ec2:DescribeSecurityGroups');
    if (!group.ok) return couldNotRead(resource, apis, `security group ${id} of ${name}`, group.error);
    groups.push(group.value);
  }
  const known = nlbSources(path, targetGroup, receiving.zone, inventory);
  if (!known.ok) {
    return couldNotRead(
      resource,
      apis,
      `the addresses ${describeLoadBalancer(loadBalancer)} connects from`,
      known.error,
    );
  }
  const port = target.port || targetGroup.port;
  const subject = `${name} (target group ${targetGroup.name} of ${describeHop(path)})`;
  if (known.value.sources.length === 0) {
    return notApplicable(resource, apis, `no sender reaches ${subject}: ${known.value.senders} are unknown`);
  }
  const verdict = evaluateSecurityGroups({
    groups,
    traffic: { protocol: 'tcp', port },
    prefixLists: inventory.prefixLists ?? {},
    sources: known.value.sources,
  });
  const evidence = {
    port,
    ...(receiving.zone ? { zone: receiving.zone } : {}),
    securityGroups: securityGroupIds,
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
        : `a prefix list the security groups of ${name} reference`,
      gap,
    );
  }
  return {
    ...resource,
    status: 'FAIL',
    apis,
    message: `security groups ${securityGroupIds.join(', ') || '(none)'} of ${subject} do not admit tcp/${port} from ${known.value.senders}: ${verdict.summary}`,
    evidence,
  };
}

export const nlbTargetSecurityGroups: CheckDefinition = {
  id: 'nlb-target-security-groups',
  title: "Targets' security groups admit the NLB",
  group: 'high-frequency',
  severity: 'high',
  role: 'cause',
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
