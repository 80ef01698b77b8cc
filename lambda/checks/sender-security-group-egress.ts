import { securityGroupArn } from '../domain/arns';
import type { CheckDefinition, NetworkFacts } from '../domain/check';
import type { CheckResult, CollectionError, SecurityGroupFacts } from '../domain/types';
import { describeHop, type LoadBalancerPath, loadBalancerResource } from '../path/build';
import { eachLoadBalancer } from '../path/query';
import { evaluateEgress, permissionCovers, type TrafficSource } from '../path/security-groups';
import { loadBalancerNodes } from '../path/senders';
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
    for (const hop of path.targetGroups) {
      for (const { host, port } of hop.targets.ok ? hop.targets.value : []) {
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
      destinations: [...byPort].map(([port, addresses]) => ({ port, to: 'its targets', addresses })),
    });
  }
  return legs;
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

function judgeLeg(path: LoadBalancerPath, leg: SenderLeg, inventory: NetworkFacts): CheckResult | undefined {
  const [firstId] = leg.groupIds;
  if (!firstId) return undefined;
  const resource = {
    resourceArn: securityGroupArn(inventory.region, inventory.account, firstId),
    resourceType: RESOURCE_TYPES.securityGroup,
  };
  if (leg.destinations.every((destination) => destination.addresses.length === 0)) {
    // Neither the receiver's interfaces nor its subnets could be read: the leg is unjudged, not absent.
    const unknown = leg.destinations.find((destination) => destination.approximatedBecause);
    return unknown?.approximatedBecause
      ? couldNotRead(
          resource,
          path.apis,
          `the addresses ${leg.sender} connects to`,
          unknown.approximatedBecause,
        )
      : undefined;
  }
  const groups = readGroups(leg.groupIds, inventory);
  if (!groups.ok)
    return couldNotRead(resource, path.apis, `security group ${groups.id} of ${leg.sender}`, groups.error);
  const named = `security group${leg.groupIds.length === 1 ? '' : 's'} ${leg.groupIds.join(', ')} of ${leg.sender}`;
  const blocked: string[] = [];
  const allowed: string[] = [];
  for (const { port, to, addresses, approximatedBecause } of leg.destinations) {
    if (addresses.length === 0) continue;
    const traffic = { protocol: 'tcp' as const, port };
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
      return couldNotRead(
        resource,
        path.apis,
        `the addresses ${leg.sender} connects to`,
        approximatedBecause,
      );
    }
    const [gap] = verdict.gaps;
    if (verdict.status === 'could-not-tell' && gap) {
      return couldNotRead(resource, path.apis, `a prefix list the egress rules of ${named} reference`, gap);
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
    return failedCheck(resource, path.apis, message, evidence);
  }
  return passed(resource, path.apis, `${named} let ${allowed.join(', ')} out`, evidence);
}

function evaluatePath(path: LoadBalancerPath, inventory: NetworkFacts): CheckResult[] {
  const results = sendersOf(path, inventory).flatMap((leg) => judgeLeg(path, leg, inventory) ?? []);
  if (results.length > 0) return results;
  const reason = `no sender on the path of ${describeHop(path)} carries security groups (a V1 link, an NLB without groups): nothing filters egress`;
  return [notApplicable(loadBalancerResource(path.loadBalancer), path.apis, reason)];
}

export const senderSecurityGroupEgress: CheckDefinition<'paths' | 'network'> = {
  id: 'sender-security-group-egress',
  title: "Senders' security groups let the connections out",
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: "A security group stops a connection at the sender too: a VPC link V2's groups, or a load balancer's own groups, without an egress rule for the listener or target port let no connection out, and API Gateway answers 504 while every ingress rule looks right.",
  remediation:
    "Add an egress rule for the port to the receiver (its addresses, subnets or security group) on the VPC link's security groups (listener port, towards the load balancer) and on the load balancer's own groups (target port, towards the targets); Terraform and CIS hardening remove the default allow-all egress rule.",
  docs: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html',
  ],
  reads: ['paths', 'network'],
  evaluate: ({ paths, network }) => eachLoadBalancer(paths, (path) => evaluatePath(path, network)),
};
