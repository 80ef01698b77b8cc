/**
 * EC2 reads behind the load balancers: instances, security groups, subnets, network ACLs, VPCs,
 * flow logs and the load balancers' network interfaces. Every call is a filtered describe over a
 * batch of ids, so ids that no longer exist are simply absent (never a failed batch).
 */
import {
  type EC2Client,
  type IpPermission as Ec2IpPermission,
  type Filter,
  paginateDescribeFlowLogs,
  paginateDescribeInstances,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  paginateGetManagedPrefixListEntries,
  type Subnet,
} from '@aws-sdk/client-ec2';
import {
  type Collected,
  collected,
  type FlowLogFacts,
  failed,
  type InstanceFacts,
  type IpPermission,
  type IpTargetInterfaceFacts,
  type NetworkAclFacts,
  type NetworkInterfaceFacts,
  type SecurityGroupFacts,
  type SubnetFacts,
  type VpcFacts,
} from '../domain/types';
import { attempt, notFound, toCollectionError } from './collect-error';
import { chunk, mapBounded, unique } from './memo';

export const IAM_ACTIONS = [
  'ec2:DescribeFlowLogs',
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkAcls',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'ec2:GetManagedPrefixListEntries',
] as const;

/** Calls in flight at once for reads that take one id per call (EC2 throttles per action). */
const SINGLE_ID_CONCURRENCY = 5;

/** EC2 accepts at most 200 values per filter. */
const FILTER_VALUES_PER_CALL = 200;

/**
 * Describes ids in batches through one filter; each returned item is filed under the keys it
 * answers for, ids nothing answered for are `NotFound`, and a failed batch fails its ids.
 */
async function describeByFilter<T>(
  action: string,
  ids: readonly string[],
  read: (filter: Filter) => AsyncIterable<T[]>,
  filterName: string,
  keysOf: (item: T) => string[],
): Promise<Record<string, Collected<T[]>>> {
  const results: Record<string, Collected<T[]>> = {};
  for (const batch of chunk(unique(ids), FILTER_VALUES_PER_CALL)) {
    try {
      const found = new Map<string, T[]>();
      for await (const items of read({ Name: filterName, Values: batch })) {
        for (const item of items) {
          for (const key of keysOf(item)) found.set(key, [...(found.get(key) ?? []), item]);
        }
      }
      for (const id of batch) {
        const items = found.get(id);
        results[id] = items ? collected(items) : failed(notFound(action, id));
      }
    } catch (error) {
      for (const id of batch) results[id] = failed(toCollectionError(action, error));
    }
  }
  return results;
}

const first = <T>(results: Record<string, Collected<T[]>>): Record<string, Collected<T>> =>
  Object.fromEntries(
    Object.entries(results).map(([id, result]) => [
      id,
      result.ok && result.value[0] !== undefined ? collected(result.value[0]) : (result as Collected<T>),
    ]),
  );

export async function describeInstances(
  client: EC2Client,
  ids: readonly string[],
): Promise<Record<string, Collected<InstanceFacts>>> {
  const results = await describeByFilter(
    'ec2:DescribeInstances',
    ids,
    async function* (filter) {
      for await (const page of paginateDescribeInstances({ client }, { Filters: [filter] })) {
        yield (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
      }
    },
    'instance-id',
    (instance) => [instance.InstanceId ?? ''],
  );
  return first(
    mapCollected(results, (instances) =>
      instances.map((instance) => ({
        id: instance.InstanceId ?? '',
        state: instance.State?.Name ?? 'unknown',
        subnetId: instance.SubnetId ?? '',
        availabilityZone: instance.Placement?.AvailabilityZone ?? '',
        privateIp: instance.PrivateIpAddress ?? '',
        securityGroupIds: (instance.SecurityGroups ?? []).flatMap((group) =>
          group.GroupId ? [group.GroupId] : [],
        ),
      })),
    ),
  );
}

export function ipPermission(permission: Ec2IpPermission): IpPermission {
  return {
    protocol: permission.IpProtocol ?? '-1',
    ...(permission.FromPort !== undefined ? { fromPort: permission.FromPort } : {}),
    ...(permission.ToPort !== undefined ? { toPort: permission.ToPort } : {}),
    cidrs: (permission.IpRanges ?? []).flatMap((range) => (range.CidrIp ? [range.CidrIp] : [])),
    ipv6Cidrs: (permission.Ipv6Ranges ?? []).flatMap((range) => (range.CidrIpv6 ? [range.CidrIpv6] : [])),
    sourceSecurityGroupIds: (permission.UserIdGroupPairs ?? []).flatMap((pair) =>
      pair.GroupId ? [pair.GroupId] : [],
    ),
    prefixListIds: (permission.PrefixListIds ?? []).flatMap((list) =>
      list.PrefixListId ? [list.PrefixListId] : [],
    ),
  };
}

export async function describeSecurityGroups(
  client: EC2Client,
  ids: readonly string[],
): Promise<Record<string, Collected<SecurityGroupFacts>>> {
  const results = await describeByFilter(
    'ec2:DescribeSecurityGroups',
    ids,
    async function* (filter) {
      for await (const page of paginateDescribeSecurityGroups({ client }, { Filters: [filter] })) {
        yield page.SecurityGroups ?? [];
      }
    },
    'group-id',
    (group) => [group.GroupId ?? ''],
  );
  return first(
    mapCollected(results, (groups) =>
      groups.map((group) => ({
        id: group.GroupId ?? '',
        name: group.GroupName ?? '',
        vpcId: group.VpcId ?? '',
        inbound: (group.IpPermissions ?? []).map(ipPermission),
        outbound: (group.IpPermissionsEgress ?? []).map(ipPermission),
      })),
    ),
  );
}

export async function describeSubnets(
  client: EC2Client,
  ids: readonly string[],
): Promise<Record<string, Collected<SubnetFacts>>> {
  const results = await describeByFilter(
    'ec2:DescribeSubnets',
    ids,
    async function* (filter) {
      for await (const page of paginateDescribeSubnets({ client }, { Filters: [filter] })) {
        yield page.Subnets ?? [];
      }
    },
    'subnet-id',
    (subnet) => [subnet.SubnetId ?? ''],
  );
  return first(mapCollected(results, (subnets) => subnets.map(subnetFacts)));
}

const subnetFacts = (subnet: Subnet): SubnetFacts => ({
  id: subnet.SubnetId ?? '',
  vpcId: subnet.VpcId ?? '',
  cidr: subnet.CidrBlock ?? '',
  availabilityZone: subnet.AvailabilityZone ?? '',
});

/** Every subnet of the given VPCs (to place IP targets in their zones). */
export async function describeSubnetsOfVpcs(
  client: EC2Client,
  vpcIds: readonly string[],
): Promise<Record<string, Collected<SubnetFacts[]>>> {
  const results = await describeByFilter(
    'ec2:DescribeSubnets',
    vpcIds,
    async function* (filter) {
      for await (const page of paginateDescribeSubnets({ client }, { Filters: [filter] })) {
        yield page.Subnets ?? [];
      }
    },
    'vpc-id',
    (subnet) => [subnet.VpcId ?? ''],
  );
  // A VPC with no subnet is an empty list, not a missing resource.
  return Object.fromEntries(
    Object.entries(mapCollected(results, (subnets) => subnets.map(subnetFacts))).map(([id, result]) => [
      id,
      !result.ok && result.error.code === 'NotFound' ? collected([]) : result,
    ]),
  );
}

/** Keyed by subnet id: the ACL associated with it (explicitly, or the VPC's default). */
export async function describeNetworkAclsBySubnet(
  client: EC2Client,
  subnetIds: readonly string[],
): Promise<Record<string, Collected<NetworkAclFacts>>> {
  const results = await describeByFilter(
    'ec2:DescribeNetworkAcls',
    subnetIds,
    async function* (filter) {
      for await (const page of paginateDescribeNetworkAcls({ client }, { Filters: [filter] })) {
        yield page.NetworkAcls ?? [];
      }
    },
    'association.subnet-id',
    (acl) =>
      (acl.Associations ?? []).flatMap((association) => (association.SubnetId ? [association.SubnetId] : [])),
  );
  return first(
    mapCollected(results, (acls) =>
      acls.map((acl) => ({
        id: acl.NetworkAclId ?? '',
        entries: (acl.Entries ?? []).map((entry) => ({
          ruleNumber: entry.RuleNumber ?? 0,
          egress: entry.Egress ?? false,
          protocol: entry.Protocol ?? '-1',
          action: entry.RuleAction === 'allow' ? ('allow' as const) : ('deny' as const),
          cidr: entry.CidrBlock ?? entry.Ipv6CidrBlock ?? '',
          ...(entry.PortRange?.From !== undefined ? { fromPort: entry.PortRange.From } : {}),
          ...(entry.PortRange?.To !== undefined ? { toPort: entry.PortRange.To } : {}),
        })),
      })),
    ),
  );
}

export async function describeVpcs(
  client: EC2Client,
  ids: readonly string[],
): Promise<Record<string, Collected<VpcFacts>>> {
  const results = await describeByFilter(
    'ec2:DescribeVpcs',
    ids,
    async function* (filter) {
      for await (const page of paginateDescribeVpcs({ client }, { Filters: [filter] })) {
        yield page.Vpcs ?? [];
      }
    },
    'vpc-id',
    (vpc) => [vpc.VpcId ?? ''],
  );
  return first(
    mapCollected(results, (vpcs) =>
      vpcs.map((vpc) => {
        const associated = (vpc.CidrBlockAssociationSet ?? [])
          .filter((association) => association.CidrBlockState?.State !== 'disassociated')
          .flatMap((association) => (association.CidrBlock ? [association.CidrBlock] : []));
        return {
          id: vpc.VpcId ?? '',
          cidrs: unique([...(vpc.CidrBlock ? [vpc.CidrBlock] : []), ...associated]),
          ...(vpc.OwnerId ? { ownerId: vpc.OwnerId } : {}),
        };
      }),
    ),
  );
}

/** Flow logs attached to any of the resources (VPCs, subnets, interfaces); a resource without one has []. */
export async function describeFlowLogs(
  client: EC2Client,
  resourceIds: readonly string[],
): Promise<Record<string, Collected<FlowLogFacts[]>>> {
  const results = await describeByFilter(
    'ec2:DescribeFlowLogs',
    resourceIds,
    async function* (filter) {
      for await (const page of paginateDescribeFlowLogs({ client }, { Filter: [filter] })) {
        yield page.FlowLogs ?? [];
      }
    },
    'resource-id',
    (flowLog) => [flowLog.ResourceId ?? ''],
  );
  return Object.fromEntries(
    Object.entries(results).map(([id, result]) => [
      id,
      result.ok
        ? collected(
            result.value.map((flowLog) => ({
              id: flowLog.FlowLogId ?? '',
              resourceId: flowLog.ResourceId ?? '',
              status: flowLog.FlowLogStatus ?? 'UNKNOWN',
              trafficType: flowLog.TrafficType ?? 'ALL',
            })),
          )
        : result.error.code === 'NotFound'
          ? collected([])
          : result,
    ]),
  );
}

/** A load balancer's interfaces carry the description `ELB <net|app>/<name>/<id>`; none found is []. */
export async function describeInterfacesByDescription(
  client: EC2Client,
  descriptions: readonly string[],
): Promise<Record<string, Collected<NetworkInterfaceFacts[]>>> {
  const results = await describeByFilter(
    'ec2:DescribeNetworkInterfaces',
    descriptions,
    async function* (filter) {
      for await (const page of paginateDescribeNetworkInterfaces({ client }, { Filters: [filter] })) {
        yield page.NetworkInterfaces ?? [];
      }
    },
    'description',
    (eni) => [eni.Description ?? ''],
  );
  return Object.fromEntries(
    Object.entries(results).map(([description, result]) => [
      description,
      result.ok
        ? collected(
            result.value.map((eni) => ({
              id: eni.NetworkInterfaceId ?? '',
              privateIp: eni.PrivateIpAddress ?? '',
              subnetId: eni.SubnetId ?? '',
            })),
          )
        : result.error.code === 'NotFound'
          ? collected([])
          : result,
    ]),
  );
}

/**
 * The interfaces that hold `ip` targets' addresses in one VPC, one filtered call per 200 addresses
 * (`addresses.private-ip-address`, secondary addresses included). An address no interface of the
 * VPC holds is null: the target lies outside it (a peered VPC, on premises).
 */
export async function describeInterfacesByPrivateIp(
  client: EC2Client,
  vpcId: string,
  addresses: readonly string[],
): Promise<Record<string, Collected<IpTargetInterfaceFacts | null>>> {
  const results = await describeByFilter(
    'ec2:DescribeNetworkInterfaces',
    addresses,
    async function* (filter) {
      const filters = [filter, { Name: 'vpc-id', Values: [vpcId] }];
      for await (const page of paginateDescribeNetworkInterfaces({ client }, { Filters: filters })) {
        yield page.NetworkInterfaces ?? [];
      }
    },
    'addresses.private-ip-address',
    (eni) =>
      unique([
        ...(eni.PrivateIpAddress ? [eni.PrivateIpAddress] : []),
        ...(eni.PrivateIpAddresses ?? []).flatMap((address) =>
          address.PrivateIpAddress ? [address.PrivateIpAddress] : [],
        ),
      ]),
  );
  return Object.fromEntries(
    Object.entries(results).map(([address, result]): [string, Collected<IpTargetInterfaceFacts | null>] => {
      if (!result.ok) return [address, result.error.code === 'NotFound' ? collected(null) : result];
      const [eni] = result.value;
      return [
        address,
        collected(
          eni
            ? {
                id: eni.NetworkInterfaceId ?? '',
                privateIp: address,
                subnetId: eni.SubnetId ?? '',
                availabilityZone: eni.AvailabilityZone ?? '',
                securityGroupIds: (eni.Groups ?? []).flatMap((group) =>
                  group.GroupId ? [group.GroupId] : [],
                ),
              }
            : null,
        ),
      ];
    }),
  );
}

/**
 * The CIDRs of each managed prefix list (customer-managed or AWS-managed) that a security group
 * rule names, one paginated call chain per list; a list that cannot be read is that list's error.
 */
export async function describeManagedPrefixListEntries(
  client: EC2Client,
  prefixListIds: readonly string[],
): Promise<Record<string, Collected<string[]>>> {
  const ids = unique(prefixListIds);
  const results = await mapBounded(ids, SINGLE_ID_CONCURRENCY, (prefixListId) =>
    attempt('ec2:GetManagedPrefixListEntries', async () => {
      const cidrs: string[] = [];
      for await (const page of paginateGetManagedPrefixListEntries(
        { client },
        { PrefixListId: prefixListId },
      )) {
        cidrs.push(...(page.Entries ?? []).flatMap((entry) => (entry.Cidr ? [entry.Cidr] : [])));
      }
      return cidrs;
    }),
  );
  return Object.fromEntries(ids.map((id, index) => [id, results[index] as Collected<string[]>]));
}

function mapCollected<T, U>(
  results: Record<string, Collected<T[]>>,
  map: (items: T[]) => U[],
): Record<string, Collected<U[]>> {
  return Object.fromEntries(
    Object.entries(results).map(([id, result]) => [id, result.ok ? collected(map(result.value)) : result]),
  );
}
