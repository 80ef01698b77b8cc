/** Does a set of security groups let TCP traffic to a port in from a given kind of source? */
import type { IpPermission, SecurityGroupFacts } from '../domain/types';
import { rangeContains } from './ipv4-ranges';

export interface TrafficSources {
  /** Addresses or CIDRs the traffic may come from; a rule allows them when its CIDR contains one. */
  cidrs: string[];
  /** Security groups the traffic may come from (a rule referencing one of them allows it). */
  securityGroupIds: string[];
}

export function permissionCoversTcpPort(permission: IpPermission, port: number): boolean {
  if (permission.protocol === '-1') return true;
  if (permission.protocol !== 'tcp' && permission.protocol !== '6') return false;
  const from = permission.fromPort ?? 0;
  const to = permission.toPort ?? 65535;
  // EC2 writes -1 for "all ports" on some protocols.
  return from === -1 || (from <= port && port <= to);
}

/** The first rule of the groups that allows TCP `port` from one of the sources, as a readable string. */
export function findAllowingRule(
  groups: readonly SecurityGroupFacts[],
  port: number,
  sources: TrafficSources,
): string | undefined {
  for (const group of groups) {
    for (const permission of group.inbound) {
      if (!permissionCoversTcpPort(permission, port)) continue;
      const cidr = permission.cidrs.find((rule) =>
        sources.cidrs.some((source) => rangeContains(rule, source)),
      );
      if (cidr) return `${group.id} allows ${cidr}`;
      const sourceGroup = permission.sourceSecurityGroupIds.find((id) =>
        sources.securityGroupIds.includes(id),
      );
      if (sourceGroup) return `${group.id} allows ${sourceGroup}`;
    }
  }
  return undefined;
}
