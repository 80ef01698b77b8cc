/**
 * What the targets on the path run on: the instances of `instance` targets and the network
 * interfaces of `ip` targets, and so each target's Availability Zone where the target group does
 * not say it.
 */
import {
  type Collected,
  collected,
  type Inventory,
  type IpTargetInterfaceFacts,
  ipTargetKey,
  type SubnetFacts,
  type TargetFacts,
  type TargetGroupFacts,
} from '../domain/types';
import type { AwsClients } from './clients';
import { unique } from './memo';
import { describeInstances, describeInterfacesByPrivateIp, describeSubnetsOfVpcs } from './network';

export interface TargetHosts {
  /** The target groups on the path, each target with its zone where it could be told. */
  targetGroups: Record<string, Collected<TargetGroupFacts>>;
  instances: Inventory['instances'];
  ipTargetInterfaces: Inventory['ipTargetInterfaces'];
}

/** VPC id -> the addresses of the `ip` targets on the path in it (an address is unique within its VPC only). */
function ipTargetAddressesByVpc(groups: TargetGroupFacts[]): Map<string, string[]> {
  const byVpc = new Map<string, string[]>();
  for (const group of groups) {
    if (group.targetType !== 'ip' || !group.targets.ok || group.targets.value.length === 0) continue;
    const addresses = group.targets.value.map((target) => target.id);
    byVpc.set(group.vpcId, unique([...(byVpc.get(group.vpcId) ?? []), ...addresses]));
  }
  return byVpc;
}

/** The interfaces of the `ip` targets, one batched call per VPC, filed by `ipTargetKey`. */
async function describeIpTargetInterfaces(
  ec2: AwsClients['ec2'],
  addressesByVpc: Map<string, string[]>,
): Promise<Record<string, Collected<IpTargetInterfaceFacts | null>>> {
  const perVpc = await Promise.all(
    [...addressesByVpc].map(async ([vpcId, addresses]) => {
      const found = await describeInterfacesByPrivateIp(ec2, vpcId, addresses);
      return Object.entries(found).map(([address, eni]) => [ipTargetKey(vpcId, address), eni] as const);
    }),
  );
  return Object.fromEntries(perVpc.flat());
}

/** Whether an IPv4 address lies in a CIDR block. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const toNumber = (address: string) =>
    address.split('.').reduce((value, octet) => (value << 8) + Number(octet), 0) >>> 0;
  const prefix = Number(bits);
  if (!base || !Number.isInteger(prefix) || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (toNumber(ip) & mask) >>> 0 === (toNumber(base) & mask) >>> 0;
}

/**
 * Reads the instances and `ip` target interfaces behind the target groups the hops reached, and the
 * subnets of the `ip` targets' VPCs (an address outside every interface is placed by its subnet).
 */
export async function readTargetHosts(
  ec2: AwsClients['ec2'],
  reached: Record<string, Collected<TargetGroupFacts>>,
): Promise<TargetHosts> {
  const groupsOnPath = Object.values(reached).flatMap((group) => (group.ok ? [group.value] : []));
  const instanceIds = unique(
    groupsOnPath
      .filter((group) => group.targetType === 'instance')
      .flatMap((group) => (group.targets.ok ? group.targets.value.map((target) => target.id) : [])),
  );
  const ipTargetsByVpc = ipTargetAddressesByVpc(groupsOnPath);
  const ipTargetVpcs = [...ipTargetsByVpc.keys()];
  const [instances, vpcSubnets, ipTargetInterfaces] = await Promise.all([
    describeInstances(ec2, instanceIds),
    ipTargetVpcs.length > 0
      ? describeSubnetsOfVpcs(ec2, ipTargetVpcs)
      : ({} as Record<string, Collected<SubnetFacts[]>>),
    describeIpTargetInterfaces(ec2, ipTargetsByVpc),
  ]);
  const knownSubnets: SubnetFacts[] = Object.values(vpcSubnets).flatMap((r) => (r.ok ? r.value : []));
  const zoneOf = (target: TargetFacts, group: TargetGroupFacts): string | undefined => {
    if (target.availabilityZone) return target.availabilityZone;
    if (group.targetType === 'instance') {
      const instance = instances[target.id];
      return instance?.ok ? instance.value.availabilityZone : undefined;
    }
    if (group.targetType !== 'ip') return undefined;
    const eni = ipTargetInterfaces[ipTargetKey(group.vpcId, target.id)];
    if (eni?.ok && eni.value) return eni.value.availabilityZone;
    return knownSubnets.find((subnet) => ipInCidr(target.id, subnet.cidr))?.availabilityZone;
  };
  const targetGroups: Record<string, Collected<TargetGroupFacts>> = Object.fromEntries(
    Object.entries(reached).map(([arn, group]) => {
      if (!group.ok || !group.value.targets.ok) return [arn, group];
      const targets = group.value.targets.value.map((target) => {
        const zone = zoneOf(target, group.value);
        return zone ? { ...target, availabilityZone: zone } : target;
      });
      return [arn, collected({ ...group.value, targets: collected(targets) })];
    }),
  );
  return { targetGroups, instances, ipTargetInterfaces };
}
