/**
 * Who really connects at each hop of a path (docs/reachability.md, "Who connects to whom"): the
 * senders a load balancer or a target sees, as sources for `evaluateSecurityGroups`.
 */
import type { NetworkFacts } from '../domain/check';
import {
  type Collected,
  type CollectionError,
  collected,
  failed,
  type LoadBalancerFacts,
  type TargetGroupFacts,
  type VpcLinkFacts,
} from '../domain/types';
import { describeLoadBalancer } from './build';
import { effectiveCrossZone } from './cross-zone';
import { lookup } from './resources';
import type { TrafficSource } from './security-groups';

export interface KnownSources {
  sources: TrafficSource[];
  /**
   * Set when the senders' addresses are not known exactly and a range that holds them stands in
   * (an NLB's subnets for its unreadable interfaces, the VPC for a link that lists no subnets): a
   * rule that admits the range admits the senders, but one that does not proves nothing.
   */
  approximatedBecause?: CollectionError;
  /** How the senders were decided, for the evidence: `NLB nodes` or `VPC link interfaces (client IP preserved)`. */
  senders: string;
}

/**
 * Client IP preservation (`preserve_client_ip.enabled`): on by default for instance targets and
 * for UDP, off for ip targets with TCP or TLS. An `alb` target (an ALB behind the NLB) sees the
 * clients' addresses: the ELB guide ("Application Load Balancers as targets") has the ALB's security
 * group admit the clients' CIDR blocks.
 */
export function preservesClientIp(targetGroup: TargetGroupFacts): boolean {
  const set = targetGroup.attributes.ok
    ? targetGroup.attributes.value['preserve_client_ip.enabled']
    : undefined;
  if (set === 'true' || set === 'false') return set === 'true';
  return (
    targetGroup.targetType === 'instance' ||
    targetGroup.targetType === 'alb' ||
    targetGroup.protocol.startsWith('UDP') ||
    targetGroup.protocol === 'TCP_UDP'
  );
}

const noSubnetsListed = (link: VpcLinkFacts): CollectionError => ({
  action: 'apigateway:GetVpcLinks',
  code: 'NoSubnets',
  message: `VPC link ${link.id} lists no subnets: its interfaces stand in as the whole VPC`,
});

/**
 * The network interfaces of V2 links, one source per link subnet (a link has an interface in each).
 * `groupsSeen` is what a security-group reference can match: the link's own groups where the link
 * connects itself, the NLB's where an NLB forwards its traffic. A link that lists no subnets stands
 * in as its VPC's ranges, approximated.
 */
export function linkInterfaceSources(
  links: readonly VpcLinkFacts[],
  vpcId: string,
  inventory: NetworkFacts,
  groupsSeen: (link: VpcLinkFacts) => string[],
): Collected<Omit<KnownSources, 'senders'>> {
  const sources: TrafficSource[] = [];
  let approximatedBecause: CollectionError | undefined;
  for (const link of links.filter((candidate) => candidate.version === 'V2')) {
    const securityGroupIds = groupsSeen(link);
    if (link.subnetIds.length === 0) {
      const vpc = lookup(inventory.vpcs, vpcId, 'ec2:DescribeVpcs');
      if (!vpc.ok) return vpc;
      approximatedBecause ??= noSubnetsListed(link);
      for (const cidr of vpc.value.cidrs) {
        sources.push({ label: `VPC link ${link.name} (somewhere in ${cidr})`, cidr, securityGroupIds });
      }
      continue;
    }
    for (const subnetId of link.subnetIds) {
      const subnet = lookup(inventory.subnets, subnetId, 'ec2:DescribeSubnets');
      if (!subnet.ok) return subnet;
      sources.push({
        label: `VPC link ${link.name} in ${subnet.value.availabilityZone} (${subnet.value.cidr})`,
        zone: subnet.value.availabilityZone,
        cidr: subnet.value.cidr,
        securityGroupIds,
      });
    }
  }
  return collected({ sources, ...(approximatedBecause ? { approximatedBecause } : {}) });
}

/**
 * API Gateway's connections through V1 links, as an NLB that enforces its inbound rules on
 * PrivateLink traffic sees them: "the source of the traffic is the private IP address of the
 * client, not the endpoint interface" (ELB guide, NLB security groups), and that client is API
 * Gateway in its own VPC, at addresses AWS does not publish. Only a rule that admits every address
 * is sure to match it, so the source is the whole IPv4 space; no security group of the account is
 * on it.
 */
export function privateLinkSource(links: readonly VpcLinkFacts[]): TrafficSource {
  const names = links.map((link) => link.name).join(', ');
  return {
    label: `API Gateway through VPC link ${names} (PrivateLink: an address in API Gateway's own VPC)`,
    cidr: '0.0.0.0/0',
    securityGroupIds: [],
  };
}

const nodesNotFound = (loadBalancer: LoadBalancerFacts): CollectionError => ({
  action: 'ec2:DescribeNetworkInterfaces',
  code: 'NotFound',
  message: `no network interface of ${describeLoadBalancer(loadBalancer)} was found: its subnets stand in for its nodes' addresses`,
});

/** Where an NLB's traffic comes from: the VPC links that send to it. */
export interface NlbFront {
  loadBalancer: LoadBalancerFacts;
  vpcLinks: VpcLinkFacts[];
}

/**
 * Who a target of an NLB really receives connections from:
 * - through a V1 link (PrivateLink), and whenever client IP preservation is off: the NLB's nodes,
 *   in every zone with cross-zone load balancing on, else in the target's zone only (`zone`; none
 *   given: every zone), carrying the NLB's security groups;
 * - through a V2 link with client IP preservation on: the link's interfaces, in its subnets;
 * - from the internet (an integration straight to a public NLB) with preservation on: any address.
 * With preservation on, a reference to the NLB's own security groups still admits the traffic (ELB
 * guide, NLB security groups), so those sources carry the NLB's groups.
 */
export function nlbSources(
  front: NlbFront,
  targetGroup: TargetGroupFacts,
  zone: string | undefined,
  inventory: NetworkFacts,
): Collected<KnownSources> {
  const { loadBalancer } = front;
  const viaV2 = front.vpcLinks.some((link) => link.version === 'V2');
  const viaV1 = front.vpcLinks.some((link) => link.version === 'V1');
  if (preservesClientIp(targetGroup) && !viaV1) {
    if (!viaV2) {
      return collected({
        sources: [
          {
            label: 'any client (client IP preserved)',
            cidr: '0.0.0.0/0',
            securityGroupIds: loadBalancer.securityGroupIds,
          },
        ],
        senders: 'clients (client IP preserved)',
      });
    }
    const links = linkInterfaceSources(
      front.vpcLinks,
      loadBalancer.vpcId,
      inventory,
      () => loadBalancer.securityGroupIds,
    );
    if (!links.ok) return links;
    return collected({ ...links.value, senders: 'VPC link interfaces (client IP preserved)' });
  }
  const crossZone = effectiveCrossZone(loadBalancer, targetGroup);
  const sameZoneOnly = crossZone.ok && !crossZone.value.enabled && zone !== undefined;
  const senders = `${describeLoadBalancer(loadBalancer)} nodes${sameZoneOnly ? ` in ${zone} (cross-zone off)` : ''}`;
  const nodes = loadBalancerNodes(loadBalancer, inventory, sameZoneOnly ? zone : undefined);
  return nodes.ok ? collected({ ...nodes.value, senders }) : nodes;
}

/**
 * A load balancer's nodes as addresses, with its security groups: its network interfaces, or when
 * they are unreadable or not found, its subnets, which bound their addresses (`approximatedBecause`
 * says why). Only the nodes in `zone` when given.
 */
export function loadBalancerNodes(
  loadBalancer: LoadBalancerFacts,
  inventory: NetworkFacts,
  zone?: string,
): Collected<Omit<KnownSources, 'senders'>> {
  const name = describeLoadBalancer(loadBalancer);
  const zones = loadBalancer.zones.filter((candidate) => zone === undefined || candidate.zoneName === zone);
  const unknownNodes = loadBalancer.networkInterfaces.ok
    ? loadBalancer.networkInterfaces.value.length === 0
      ? nodesNotFound(loadBalancer)
      : undefined
    : loadBalancer.networkInterfaces.error;
  if (unknownNodes) {
    const sources: TrafficSource[] = [];
    for (const lbZone of zones) {
      const subnet = lookup(inventory.subnets, lbZone.subnetId, 'ec2:DescribeSubnets');
      if (!subnet.ok) return failed(unknownNodes);
      sources.push({
        label: `${name} subnet in ${lbZone.zoneName} (${subnet.value.cidr})`,
        zone: lbZone.zoneName,
        cidr: subnet.value.cidr,
        securityGroupIds: loadBalancer.securityGroupIds,
      });
    }
    return collected({ sources, approximatedBecause: unknownNodes });
  }
  if (!loadBalancer.networkInterfaces.ok) return loadBalancer.networkInterfaces;
  const zoneOfSubnet = new Map(loadBalancer.zones.map((lbZone) => [lbZone.subnetId, lbZone.zoneName]));
  const sources = loadBalancer.networkInterfaces.value.flatMap((eni) => {
    const nodeZone = zoneOfSubnet.get(eni.subnetId);
    if (zone !== undefined && nodeZone !== zone) return [];
    return [
      {
        label: `${name} node${nodeZone ? ` in ${nodeZone}` : ''} ${eni.privateIp}`,
        ...(nodeZone ? { zone: nodeZone } : {}),
        cidr: eni.privateIp,
        securityGroupIds: loadBalancer.securityGroupIds,
      },
    ];
  });
  return collected({ sources });
}
