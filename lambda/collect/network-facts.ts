/**
 * The network around the path's load balancers, targets and VPC links: their security groups (and
 * the prefix lists these allow), subnets, network ACLs, VPCs and flow logs.
 */
import {
  type Collected,
  collected,
  type Inventory,
  ipTargetKey,
  type NetworkInterfaceFacts,
  type TargetGroupFacts,
  type VpcLinkFacts,
} from '../domain/types';
import type { AwsClients } from './clients';
import { interfaceDescriptionOf, type LoadBalancerDescription } from './load-balancers';
import { unique } from './memo';
import {
  describeFlowLogs,
  describeManagedPrefixListEntries,
  describeNetworkAclsBySubnet,
  describeSecurityGroups,
  describeSubnets,
  describeVpcs,
} from './network';

/** What the path reached, whose network is read. */
export interface PathResources {
  loadBalancers: LoadBalancerDescription[];
  /** By interface description (`interfaceDescriptionOf`). */
  loadBalancerInterfaces: Record<string, Collected<NetworkInterfaceFacts[]>>;
  vpcLinks: Record<string, Collected<VpcLinkFacts>>;
  targetGroups: TargetGroupFacts[];
  instances: Inventory['instances'];
  ipTargetInterfaces: Inventory['ipTargetInterfaces'];
}

export type NetworkFacts = Required<
  Pick<
    Inventory,
    'securityGroups' | 'subnets' | 'networkAclsBySubnet' | 'vpcs' | 'flowLogsByVpc' | 'prefixLists'
  >
>;

/** Flow logs may sit on the VPC, a subnet or an interface: each such resource on the path, with its VPC. */
function vpcOfFlowLogResources(path: PathResources, vpcIds: string[]): Map<string, string> {
  const vpcOfResource = new Map<string, string>();
  for (const vpcId of vpcIds) vpcOfResource.set(vpcId, vpcId);
  for (const lb of path.loadBalancers) {
    for (const zone of lb.zones) vpcOfResource.set(zone.subnetId, lb.vpcId);
    const enis = path.loadBalancerInterfaces[interfaceDescriptionOf(lb)];
    for (const eni of enis?.ok ? enis.value : []) vpcOfResource.set(eni.id, lb.vpcId);
  }
  for (const group of path.targetGroups) {
    for (const target of group.targets.ok ? group.targets.value : []) {
      const instance = path.instances[target.id];
      if (instance?.ok) vpcOfResource.set(instance.value.subnetId, group.vpcId);
      const eni =
        group.targetType === 'ip' ? path.ipTargetInterfaces[ipTargetKey(group.vpcId, target.id)] : undefined;
      if (eni?.ok && eni.value) vpcOfResource.set(eni.value.subnetId, group.vpcId);
    }
  }
  return vpcOfResource;
}

/** Each VPC's flow logs, from those of its resources; one failed read makes the VPC's unknown. */
function fileFlowLogsByVpc(
  vpcIds: string[],
  vpcOfResource: Map<string, string>,
  flowLogs: Awaited<ReturnType<typeof describeFlowLogs>>,
): Inventory['flowLogsByVpc'] {
  const flowLogsByVpc: Inventory['flowLogsByVpc'] = {};
  for (const vpcId of vpcIds) {
    const results = [...vpcOfResource.entries()]
      .filter(([, vpc]) => vpc === vpcId)
      .map(([resource]) => flowLogs[resource] ?? collected([]));
    const failure = results.find((result) => !result.ok);
    flowLogsByVpc[vpcId] = failure ?? collected(results.flatMap((result) => (result.ok ? result.value : [])));
  }
  return flowLogsByVpc;
}

export async function readNetworkFacts(ec2: AwsClients['ec2'], path: PathResources): Promise<NetworkFacts> {
  const lbs = path.loadBalancers;
  const instanceFacts = Object.values(path.instances).flatMap((r) => (r.ok ? [r.value] : []));
  const ipTargetFacts = Object.values(path.ipTargetInterfaces).flatMap((r) =>
    r.ok && r.value ? [r.value] : [],
  );
  const securityGroupIds = unique([
    ...instanceFacts.flatMap((instance) => instance.securityGroupIds),
    ...ipTargetFacts.flatMap((eni) => eni.securityGroupIds),
    ...lbs.flatMap((lb) => lb.securityGroupIds),
    // A V2 link's own groups: their egress rules must let its connections out.
    ...Object.values(path.vpcLinks).flatMap((link) => (link.ok ? link.value.securityGroupIds : [])),
  ]);
  // A V2 link's subnets are where its interfaces send from (the sources targets see with client IP preservation).
  const linkSubnetIds = Object.values(path.vpcLinks).flatMap((link) => (link.ok ? link.value.subnetIds : []));
  const subnetIds = unique([
    ...lbs.flatMap((lb) => lb.zones.map((zone) => zone.subnetId)),
    ...instanceFacts.map((instance) => instance.subnetId),
    ...ipTargetFacts.map((eni) => eni.subnetId),
    ...linkSubnetIds,
  ]).filter(Boolean);
  const vpcIds = unique([
    ...lbs.map((lb) => lb.vpcId),
    ...path.targetGroups.map((group) => group.vpcId),
  ]).filter(Boolean);
  const vpcOfResource = vpcOfFlowLogResources(path, vpcIds);

  const [securityGroups, subnets, networkAclsBySubnet, vpcs, flowLogs] = await Promise.all([
    describeSecurityGroups(ec2, securityGroupIds),
    describeSubnets(ec2, subnetIds),
    describeNetworkAclsBySubnet(ec2, subnetIds),
    describeVpcs(ec2, vpcIds),
    describeFlowLogs(ec2, [...vpcOfResource.keys()]),
  ]);
  const prefixListIds = unique(
    Object.values(securityGroups).flatMap((group) =>
      group.ok ? group.value.inbound.flatMap((permission) => permission.prefixListIds) : [],
    ),
  );
  const prefixLists =
    prefixListIds.length > 0 ? await describeManagedPrefixListEntries(ec2, prefixListIds) : {};
  return {
    securityGroups,
    subnets,
    networkAclsBySubnet,
    vpcs,
    flowLogsByVpc: fileFlowLogsByVpc(vpcIds, vpcOfResource, flowLogs),
    prefixLists,
  };
}
