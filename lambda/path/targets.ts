/**
 * A target resolved once to what receives its traffic: the instance or network interface, its
 * zone, subnet and security groups. Every check that needs a target's zone, subnet or groups reads
 * it from here.
 */
import { instanceArn, networkInterfaceArn } from '../domain/arns';
import {
  type Collected,
  collected,
  type Inventory,
  ipTargetKey,
  type TargetFacts,
  type TargetGroupFacts,
} from '../domain/types';
import { lookup, RESOURCE_TYPES, type Resource } from './resources';

/** Where an instance or ip target's traffic lands. */
export interface TargetHost {
  resource: Resource;
  /** `instance i-0a1` or `ip target 10.0.12.40 (eni-...)`. */
  name: string;
  zone?: string;
  subnetId: string;
  /** The private address the load balancer connects to. */
  address: string;
  securityGroupIds: string[];
}

export interface ResolvedTarget {
  target: TargetFacts;
  /** Where a problem with this target is filed: its instance, else its target group. */
  resource: Resource;
  /** `instance i-0a1`, or `the network interface of ip target 10.0.12.40 in vpc-1`. */
  subject: string;
  /** The port the load balancer sends to: the target's, else the group's. */
  port: number;
  /**
   * The zones it serves: its own, its instance's, or an ALB target's ALB zones. `all`: an ip target
   * outside the VPC or an ALB that could not be read. Empty while its host could not be read.
   */
  zones: string[];
  /**
   * Instance and ip targets: their host; `outside`: an ip target no interface of the VPC holds (a
   * peered VPC, on premises); null for `lambda` and `alb` targets. An error when it could not be read.
   */
  host: Collected<TargetHost | 'outside' | null>;
}

function hostOf(target: TargetFacts, group: TargetGroupFacts, inventory: Inventory): ResolvedTarget['host'] {
  if (group.targetType === 'instance') {
    const instance = lookup(inventory.instances, target.id, 'ec2:DescribeInstances');
    if (!instance.ok) return instance;
    return collected({
      resource: {
        resourceArn: instanceArn(inventory.region, inventory.account, target.id),
        resourceType: RESOURCE_TYPES.instance,
      },
      name: `instance ${target.id}`,
      zone: instance.value.availabilityZone,
      subnetId: instance.value.subnetId,
      address: instance.value.privateIp,
      securityGroupIds: instance.value.securityGroupIds,
    });
  }
  if (group.targetType !== 'ip') return collected(null);
  const eni = lookup(
    inventory.ipTargetInterfaces,
    ipTargetKey(group.vpcId, target.id),
    'ec2:DescribeNetworkInterfaces',
  );
  if (!eni.ok) return eni;
  if (eni.value === null) return collected('outside');
  return collected({
    resource: {
      resourceArn: networkInterfaceArn(inventory.region, inventory.account, eni.value.id),
      resourceType: RESOURCE_TYPES.networkInterface,
    },
    name: `ip target ${target.id} (${eni.value.id})`,
    ...(eni.value.availabilityZone ? { zone: eni.value.availabilityZone } : {}),
    subnetId: eni.value.subnetId,
    address: eni.value.privateIp,
    securityGroupIds: eni.value.securityGroupIds,
  });
}

function zonesOf(
  target: TargetFacts,
  group: TargetGroupFacts,
  host: ResolvedTarget['host'],
  inventory: Inventory,
): string[] {
  if (group.targetType === 'alb') {
    const alb = inventory.loadBalancers[target.id];
    return alb?.ok ? alb.value.zones.map((zone) => zone.zoneName) : ['all'];
  }
  if (target.availabilityZone) return [target.availabilityZone];
  if (!host.ok || host.value === null) return [];
  if (host.value === 'outside') return ['all'];
  return host.value.zone ? [host.value.zone] : [];
}

export function resolveTarget(
  target: TargetFacts,
  group: TargetGroupFacts,
  inventory: Inventory,
): ResolvedTarget {
  const host = hostOf(target, group, inventory);
  const instance = group.targetType === 'instance';
  return {
    target,
    resource: instance
      ? {
          resourceArn: instanceArn(inventory.region, inventory.account, target.id),
          resourceType: RESOURCE_TYPES.instance,
        }
      : { resourceArn: group.arn, resourceType: RESOURCE_TYPES.targetGroup },
    subject: instance
      ? `instance ${target.id}`
      : `the network interface of ip target ${target.id} in ${group.vpcId}`,
    port: target.port || group.port,
    zones: zonesOf(target, group, host, inventory),
    host,
  };
}

export interface ZoneTargets {
  zone: string;
  registered: TargetFacts[];
  healthy: TargetFacts[];
}

/** Targets in zone `all` (IP targets outside the VPC) serve every zone. */
export function targetsByZone(zones: readonly string[], targets: readonly ResolvedTarget[]): ZoneTargets[] {
  return zones.map((zone) => {
    const registered = targets
      .filter((resolved) => resolved.zones.includes(zone) || resolved.zones.includes('all'))
      .map((resolved) => resolved.target);
    return { zone, registered, healthy: registered.filter((target) => target.state === 'healthy') };
  });
}

export const describeTargets = (targets: readonly TargetFacts[]): string =>
  targets
    .map((target) => `${target.id} ${target.state}${target.reason ? ` (${target.reason})` : ''}`)
    .join(', ');
