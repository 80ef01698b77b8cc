import { securityGroupArn } from '../domain/arns';
import type { NetworkFacts } from '../domain/check';
import type { CheckResult, SecurityGroupFacts, TargetGroupFacts } from '../domain/types';
import {
  describeHop,
  describeLoadBalancer,
  type LoadBalancerPath,
  type TargetGroupHop,
  targetGroupResource,
} from '../path/build';
import { evaluateNlbOwnSecurityGroups } from '../path/nlb-own-security-groups';
import { eachLoadBalancerOfType, eachTargetGroup } from '../path/query';
import { evaluateSecurityGroups } from '../path/security-groups';
import { nlbSources } from '../path/senders';
import type { ResolvedTarget, TargetHost } from '../path/targets';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { couldNotRead, failedCheck, lookup, notApplicable, passed, RESOURCE_TYPES } from './results';

function evaluateTargetGroup(
  path: LoadBalancerPath,
  hop: TargetGroupHop,
  inventory: NetworkFacts,
): CheckResult[] {
  const { apis } = path;
  const { targetGroup } = hop;
  if (targetGroup.targetType !== 'instance' && targetGroup.targetType !== 'ip') {
    return [
      notApplicable(
        targetGroupResource(targetGroup),
        apis,
        `target group ${targetGroup.name} has ${targetGroup.targetType} targets: security groups apply to instance and ip targets only`,
      ),
    ];
  }
  if (!hop.targets.ok) {
    return [
      couldNotRead(
        targetGroupResource(targetGroup),
        apis,
        `the targets of ${targetGroup.name}`,
        hop.targets.error,
      ),
    ];
  }
  const results: CheckResult[] = [];
  const judged: Judged[] = [];
  const outside: string[] = [];
  for (const resolved of hop.targets.value) {
    const { host, target } = resolved;
    if (!host.ok) results.push(couldNotRead(resolved.resource, apis, resolved.subject, host.error));
    else if (host.value === 'outside') outside.push(target.id);
    else if (host.value) judged.push(judgeTarget(path, targetGroup, resolved, host.value, inventory));
  }
  results.push(
    ...judged.flatMap((one) => (one.blocked ? [] : [one.result])),
    ...blockedBySecurityGroups(path, targetGroup, judged, inventory),
  );
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

/** One target's verdict; a FAIL carries what blocked it, so the targets one group blocks become one finding. */
interface Judged {
  result: CheckResult;
  blocked?: {
    host: TargetHost;
    port: number;
    senders: string;
    sources: string[];
    /** The blocked senders' addresses, what a fix admits. */
    cidrs: string[];
    zones: string[];
  };
}

function judgeTarget(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  { port }: ResolvedTarget,
  receiving: TargetHost,
  inventory: NetworkFacts,
): Judged {
  const { apis, loadBalancer } = path;
  const { resource, name, securityGroupIds } = receiving;
  const groups: SecurityGroupFacts[] = [];
  for (const id of securityGroupIds) {
    const group = lookup(inventory.securityGroups, id, 'ec2:DescribeSecurityGroups');
    if (!group.ok)
      return { result: couldNotRead(resource, apis, `security group ${id} of ${name}`, group.error) };
    groups.push(group.value);
  }
  const known = nlbSources(path, targetGroup, receiving.zone, inventory);
  if (!known.ok) {
    const subject = `the addresses ${describeLoadBalancer(loadBalancer)} connects from`;
    return { result: couldNotRead(resource, apis, subject, known.error) };
  }
  const subject = `${name} (target group ${targetGroup.name} of ${describeHop(path)})`;
  if (known.value.sources.length === 0) {
    const reason = `no sender reaches ${subject}: ${known.value.senders} are unknown`;
    return { result: notApplicable(resource, apis, reason) };
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
      cidr: one.source.cidr,
      status: one.status,
      ...(one.status === 'allowed' ? { rule: one.rule.description } : {}),
    })),
    blockedZones: verdict.blockedZones,
  };
  if (verdict.status === 'all-allowed') {
    const message = `${subject} accepts tcp/${port} from ${known.value.senders}: ${verdict.summary}`;
    return { result: passed(resource, apis, message, evidence) };
  }
  const [gap] = [
    ...verdict.gaps,
    ...(known.value.approximatedBecause ? [known.value.approximatedBecause] : []),
  ];
  if (gap) {
    const unread = known.value.approximatedBecause
      ? `the addresses ${describeLoadBalancer(loadBalancer)} connects from`
      : `a prefix list the security groups of ${name} reference`;
    return { result: couldNotRead(resource, apis, unread, gap) };
  }
  const message = `security groups ${securityGroupIds.join(', ') || '(none)'} of ${subject} do not admit tcp/${port} from ${known.value.senders}: ${verdict.summary}`;
  return {
    result: failedCheck(resource, apis, message, evidence),
    blocked: {
      host: receiving,
      port,
      senders: known.value.senders,
      sources: verdict.blocked.map((source) => source.label),
      cidrs: verdict.blocked.map((source) => source.cidr),
      zones: verdict.blockedZones,
    },
  };
}

/**
 * The root cause of a blocked target is its security groups: the targets one set of groups blocks
 * on one port become one FAIL on the (first) group, listing every target, sender and zone.
 */
function blockedBySecurityGroups(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  judged: readonly Judged[],
  inventory: NetworkFacts,
): CheckResult[] {
  const byGroups = new Map<string, NonNullable<Judged['blocked']>[]>();
  for (const { blocked } of judged) {
    if (!blocked) continue;
    const key = `${[...blocked.host.securityGroupIds].sort().join(',')}|${blocked.port}`;
    byGroups.set(key, [...(byGroups.get(key) ?? []), blocked]);
  }
  return [...byGroups.values()].map((targets) => {
    const [first] = targets as [NonNullable<Judged['blocked']>];
    const groupIds = first.host.securityGroupIds;
    const resource = {
      resourceArn: securityGroupArn(inventory.region, inventory.account, groupIds[0] ?? 'none'),
      resourceType: RESOURCE_TYPES.securityGroup,
    };
    const sources = [...new Set(targets.flatMap((target) => target.sources))];
    const cidrs = [...new Set(targets.flatMap((target) => target.cidrs))];
    const zones = [...new Set(targets.flatMap((target) => target.zones))].sort();
    const names = targets.map((target) => target.host.name);
    const groups =
      groupIds.length === 1
        ? `security group ${groupIds[0]}`
        : `security groups ${groupIds.join(', ') || '(none)'}`;
    const message =
      `${groups} of the targets ${groupIds.length === 1 ? 'blocks' : 'block'} ${sources.join(' and ')} on tcp/${first.port} ` +
      `(${first.senders}): ${names.join(', ')} of target group ${targetGroup.name} (${describeHop(path)})`;
    return failedCheck(resource, path.apis, message, {
      securityGroups: groupIds,
      port: first.port,
      senders: first.senders,
      blockedSources: sources,
      blockedCidrs: cidrs,
      blockedZones: zones,
      targets: targets.map((target) => target.host.resource.resourceArn),
    });
  });
}

export const nlbTargetSecurityGroups: CheckDefinition<'paths' | 'network'> = {
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
  reads: ['paths', 'network'],
  evaluate: ({ paths, network }) =>
    eachLoadBalancerOfType(paths, 'network', (path) => [
      ...evaluateNlbOwnSecurityGroups(path, network),
      ...eachTargetGroup(path, (hop) => evaluateTargetGroup(path, hop, network)),
    ]),
};
