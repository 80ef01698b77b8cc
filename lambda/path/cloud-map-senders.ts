/**
 * Who connects to a Cloud Map service's instances: the VPC link V2's interfaces, one per link
 * subnet, carrying the link's own security groups; and the instances as receivers. Kept apart from
 * cloud-map.ts so the path build does not load the sender model (which reads the build).
 */
import type { NetworkFacts } from '../domain/check';
import { type Collected, failed, type IpTargetInterfaceFacts } from '../domain/types';
import { type CloudMapDestination, type CloudMapPath, describeInstance } from './cloud-map';
import type { TrafficSource } from './security-groups';
import { type KnownSources, linkInterfaceSources } from './senders';

/** An instance as a receiver of the link's connections: its address, zone and security groups. */
export function instanceAsDestination(
  instance: CloudMapDestination['instance'],
  eni: IpTargetInterfaceFacts | null,
): TrafficSource {
  return {
    label: describeInstance(instance),
    ...(eni?.availabilityZone ? { zone: eni.availabilityZone } : {}),
    cidr: instance.ipv4,
    securityGroupIds: eni?.securityGroupIds ?? [],
  };
}

/**
 * The link interfaces that connect to the service's instances, with the links' own groups (what a
 * security-group reference on the instances matches). The links' VPC stands in, approximated, for a
 * link that lists no subnets.
 */
export function linkSenders(
  path: CloudMapPath,
  vpcId: string,
  network: NetworkFacts,
): Collected<Omit<KnownSources, 'senders'>> {
  const [unreadable] = path.unreadableVpcLinks;
  if (path.vpcLinks.length === 0 && unreadable) return failed(unreadable);
  return linkInterfaceSources(path.vpcLinks, vpcId, network, (link) => link.securityGroupIds);
}

/** The VPC of an instance's interface (its subnet's), where a link without subnets stands in. */
export const vpcOfInterface = (eni: IpTargetInterfaceFacts, network: NetworkFacts): string => {
  const subnet = network.subnets[eni.subnetId];
  return subnet?.ok ? subnet.value.vpcId : '';
};
