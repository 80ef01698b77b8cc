import { securityGroupArn } from '../domain/arns';
import type { NetworkFacts } from '../domain/check';
import type { CheckResult, CollectionError, SecurityGroupFacts, StageKey } from '../domain/types';
import { describeHop, type LoadBalancerPath, loadBalancerResource, type StagePath } from '../path/build';
import { type CloudMapPath, cloudMapResource, describeCloudMapService, instancesOf } from '../path/cloud-map';
import { instanceAsDestination } from '../path/cloud-map-senders';
import { eachLoadBalancer } from '../path/query';
import { evaluateEgress, permissionCovers, type TrafficSource } from '../path/security-groups';
import { loadBalancerNodes } from '../path/senders';
import type { CheckDefinition } from './check-definition';
import { couldNotRead, failedCheck, lookup, notApplicable, passed, RESOURCE_TYPES } from './results';

/** One sender on the path whose own security groups must let its connections out. */
interface SenderLeg {
  /** `VPC link orders-link` or `ALB orders-alb`. */
  sender: string;
  groupIds: string[];
  /** Where it connects to, on which port. */
  destinations: {
    port: number;
    to: string;
    addresses: TrafficSource[];
    approximatedBecause?: CollectionError;
    /** Some receivers on this port could not be read: only an egress rule open to every address covers them. */
    unreadReceivers?: CollectionError;
  }[];
}

/**
 * The senders of a load balancer's path that carry security groups: a V2 link's interfaces towards
 * the load balancer on the listener ports, and the load balancer's own groups (an ALB's, an NLB's
 * that has some) towards its targets on the target ports.
 */
function sendersOf(path: LoadBalancerPath, inventory: NetworkFacts): SenderLeg[] {
  const { loadBalancer } = path;
  const legs: SenderLeg[] = [];
  const listenerPorts = [...new Set(path.listeners.map(({ listener }) => listener.port))];
  const known = loadBalancerNodes(loadBalancer, inventory);
  const nodes = known.ok
    ? {
        addresses: known.value.sources,
        ...(known.value.approximatedBecause ? { approximatedBecause: known.value.approximatedBecause } : {}),
      }
    : { addresses: [], approximatedBecause: known.error };
  for (const link of path.vpcLinks.filter((one) => one.version === 'V2' && one.securityGroupIds.length > 0)) {
    legs.push({
      sender: `VPC link ${link.name}`,
      groupIds: link.securityGroupIds,
      destinations: listenerPorts.map((port) => ({ port, to: describeHop(path), ...nodes })),
    });
  }
  if (loadBalancer.securityGroupIds.length > 0) {
    const byPort = new Map<number, TrafficSource[]>();
    const unreadByPort = new Map<number, CollectionError>();
    for (const hop of path.targetGroups) {
      if (!hop.targets.ok) unreadByPort.set(hop.targetGroup.port, hop.targets.error);
      for (const { host, port } of hop.targets.ok ? hop.targets.value : []) {
        if (!host.ok) unreadByPort.set(port, host.error);
        if (!host.ok || host.value === null || host.value === 'outside') continue;
        const target = host.value;
        const destination = {
          label: `${target.name} ${target.address}`,
          ...(target.zone ? { zone: target.zone } : {}),
          cidr: target.address,
          securityGroupIds: target.securityGroupIds,
        };
        byPort.set(port, [...(byPort.get(port) ?? []), destination]);
      }
    }
    legs.push({
      sender: describeHop(path),
      groupIds: loadBalancer.securityGroupIds,
      destinations: [...new Set([...byPort.keys(), ...unreadByPort.keys()])].map((port) => {
        const unread = unreadByPort.get(port);
        return {
          port,
          to: 'its targets',
          addresses: byPort.get(port) ?? [],
          ...(unread ? { unreadReceivers: unread } : {}),
        };
      }),
    });
  }
  return legs;
}

/**
 * A V2 link's interfaces towards the Cloud Map service's instances, on each instance's port. An
 * instance whose interface could not be read is still judged by its address: only a block that a
 * security-group reference might have lifted is then unknown (`approximatedBecause`).
 */
function cloudMapLegs(path: CloudMapPath): SenderLeg[] {
  const byPort = new Map<number, { addresses: TrafficSource[]; approximatedBecause?: CollectionError }>();
  for (const { instance, networkInterface } of instancesOf(path).destinations) {
    const kept = byPort.get(instance.port) ?? { addresses: [] };
    kept.addresses.push(instanceAsDestination(instance, networkInterface.ok ? networkInterface.value : null));
    if (!networkInterface.ok) kept.approximatedBecause ??= networkInterface.error;
    byPort.set(instance.port, kept);
  }
  const to = describeCloudMapService(path);
  return path.vpcLinks
    .filter((link) => link.version === 'V2' && link.securityGroupIds.length > 0)
    .map((link) => ({
      sender: `VPC link ${link.name}`,
      groupIds: link.securityGroupIds,
      destinations: [...byPort].map(([port, destination]) => ({ port, to, ...destination })),
    }));
}

function readGroups(ids: readonly string[], inventory: NetworkFacts) {
  const groups: SecurityGroupFacts[] = [];
  for (const id of ids) {
    const group = lookup(inventory.securityGroups, id, 'ec2:DescribeSecurityGroups');
    if (!group.ok) return { ok: false as const, id, error: group.error };
    groups.push(group.value);
  }
  return { ok: true as const, groups };
}

function judgeLeg(apis: StageKey[], leg: SenderLeg, inventory: NetworkFacts): CheckResult | undefined {
  const [firstId] = leg.groupIds;
  if (!firstId) return undefined;
  const resource = {
    resourceArn: securityGroupArn(inventory.region, inventory.account, firstId),
    resourceType: RESOURCE_TYPES.securityGroup,
  };
  if (leg.destinations.every((destination) => destination.addresses.length === 0)) {
    // Neither the receiver's interfaces nor its subnets could be read: the leg is unjudged, not absent.
    const unknown = leg.destinations
      .map((destination) => destination.approximatedBecause ?? destination.unreadReceivers)
      .find((error) => error !== undefined);
    return unknown
      ? couldNotRead(resource, apis, `the addresses ${leg.sender} connects to`, unknown)
      : undefined;
  }
  const groups = readGroups(leg.groupIds, inventory);
  if (!groups.ok)
    return couldNotRead(resource, apis, `security group ${groups.id} of ${leg.sender}`, groups.error);
  const named = `security group${leg.groupIds.length === 1 ? '' : 's'} ${leg.groupIds.join(', ')} of ${leg.sender}`;
  const blocked: string[] = [];
  const allowed: string[] = [];
  let unjudged: CollectionError | undefined;
  for (const { port, to, addresses, approximatedBecause, unreadReceivers } of leg.destinations) {
    const traffic = { protocol: 'tcp' as const, port };
    if (unreadReceivers && !opensToEveryAddress(groups.groups, traffic, inventory))
      unjudged ??= unreadReceivers;
    if (addresses.length === 0) continue;
    const verdict = evaluateEgress({
      groups: groups.groups,
      traffic,
      prefixLists: inventory.prefixLists ?? {},
      destinations: addresses,
    });
    // Approximated addresses prove a block only when no egress rule opens the port at all.
    const anyRuleForPort = groups.groups.some((group) =>
      (
        group.outbound ?? [
          { protocol: '-1', cidrs: [], ipv6Cidrs: [], sourceSecurityGroupIds: [], prefixListIds: [] },
        ]
      ).some((permission) => permissionCovers(permission, traffic)),
    );
    if (verdict.status === 'some-blocked' && approximatedBecause && anyRuleForPort) {
      return couldNotRead(resource, apis, `the addresses ${leg.sender} connects to`, approximatedBecause);
    }
    const [gap] = verdict.gaps;
    if (verdict.status === 'could-not-tell' && gap) {
      return couldNotRead(resource, apis, `a prefix list the egress rules of ${named} reference`, gap);
    }
    if (verdict.status === 'some-blocked') {
      blocked.push(
        `tcp/${port} to ${to} (${verdict.blocked.map((destination) => destination.label).join(', ')})`,
      );
    } else allowed.push(`tcp/${port} to ${to}`);
  }
  const evidence = { securityGroups: leg.groupIds, sender: leg.sender, blocked, allowed };
  if (blocked.length > 0) {
    const message = `${named} ${leg.groupIds.length === 1 ? 'has' : 'have'} no egress rule that lets ${blocked.join('; ')} out: ${leg.sender} cannot open these connections`;
    return failedCheck(resource, apis, message, evidence);
  }
  // What was read is let out, but a receiver that could not be read may sit where no rule reaches.
  if (unjudged) return couldNotRead(resource, apis, `every receiver ${leg.sender} connects to`, unjudged);
  return passed(resource, apis, `${named} let ${allowed.join(', ')} out`, evidence);
}

/** An egress rule lets the port out to any address: receivers that could not be read are covered too. */
const opensToEveryAddress = (
  groups: readonly SecurityGroupFacts[],
  traffic: { protocol: 'tcp'; port: number },
  inventory: NetworkFacts,
): boolean =>
  evaluateEgress({
    groups,
    traffic,
    prefixLists: inventory.prefixLists ?? {},
    destinations: [{ label: 'any address', cidr: '0.0.0.0/0', securityGroupIds: [] }],
  }).status === 'all-allowed';

function evaluatePath(path: LoadBalancerPath, inventory: NetworkFacts): CheckResult[] {
  const results = sendersOf(path, inventory).flatMap((leg) => judgeLeg(path.apis, leg, inventory) ?? []);
  if (results.length > 0) return results;
  const reason = `no sender on the path of ${describeHop(path)} carries security groups (a V1 link, an NLB without groups): nothing filters egress`;
  return [notApplicable(loadBalancerResource(path.loadBalancer), path.apis, reason)];
}

/** The links towards a Cloud Map service's instances; cloud-map-instance-security-groups reports what could not be read. */
function evaluateCloudMap(path: CloudMapPath, inventory: NetworkFacts): CheckResult[] {
  const legs = cloudMapLegs(path);
  const results = legs.flatMap((leg) => judgeLeg(path.apis, leg, inventory) ?? []);
  if (results.length > 0 || legs.length > 0 || !path.service.ok) return results;
  const reason = `no VPC link to ${describeCloudMapService(path)} carries security groups: nothing filters egress`;
  return [notApplicable(cloudMapResource(path.serviceArn), path.apis, reason)];
}

/** A stage whose links lead to Cloud Map is judged here, not skipped for want of a load balancer. */
const judgedHere = (path: StagePath): StagePath =>
  path.cloudMapServices.length === 0
    ? path
    : {
        ...path,
        problems: path.problems.filter(
          (problem) => problem.evidence?.explanation !== 'CLOUD_MAP_BEHIND_LINK',
        ),
      };

const evaluatePaths = (paths: readonly StagePath[], network: NetworkFacts): CheckResult[] => [
  ...eachLoadBalancer(paths.map(judgedHere), (path) => evaluatePath(path, network)),
  ...paths.flatMap((path) =>
    path.cloudMapServices.flatMap((cloudMap) => evaluateCloudMap(cloudMap, network)),
  ),
];

export const senderSecurityGroupEgress: CheckDefinition<'paths' | 'network'> = {
  id: 'sender-security-group-egress',
  title: "Senders' security groups let the connections out",
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: "A security group stops a connection at the sender too: a VPC link V2's groups, or a load balancer's own groups, without an egress rule for the listener, Cloud Map instance or target port let no connection out, and API Gateway answers 504 while every ingress rule looks right.",
  remediation:
    "Add an egress rule for the port to the receiver (its addresses, subnets or security group) on the VPC link's security groups (listener port, towards the load balancer; or each Cloud Map instance's port, towards the instances) and on the load balancer's own groups (target port, towards the targets); Terraform and CIS hardening remove the default allow-all egress rule.",
  docs: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html',
  ],
  reads: ['paths', 'network'],
  evaluate: ({ paths, network }) => evaluatePaths(paths, network),
};
