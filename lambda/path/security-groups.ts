/**
 * Who may connect through a set of security groups: every sender that really connects (a load
 * balancer node in each zone, a VPC link's interfaces, a client) is judged on its own, so a rule
 * that admits one zone's subnet never passes the senders of the other zones.
 */

import { singleLine } from '../domain/display-text';
import type { Collected, CollectionError, IpPermission, SecurityGroupFacts } from '../domain/types';
import { contains, type IpRange, parseIpRange } from './cidr';

/** One sender of the traffic, as the path model knows it. */
export interface TrafficSource {
  /** What it is, for people: `NLB node in us-east-1a 10.0.1.23`. */
  label: string;
  zone?: string;
  /** The address or range it sends from, IPv4 or IPv6; a range must be admitted whole. */
  cidr: string;
  /** The groups of its network interfaces (what a security-group reference matches). */
  securityGroupIds: string[];
}

export interface SecurityGroupTraffic {
  protocol: 'tcp' | 'udp';
  port: number;
}

export interface SecurityGroupEvaluationInput {
  /** The groups on the receiving side (a target's, a load balancer's). */
  groups: readonly SecurityGroupFacts[];
  traffic: SecurityGroupTraffic;
  /** Managed prefix lists' entries by id; one missing here is treated as unreadable. */
  prefixLists: Readonly<Record<string, Collected<string[]>>>;
  sources: readonly TrafficSource[];
}

export interface AllowingRule {
  groupId: string;
  kind: 'cidr' | 'security-group' | 'prefix-list';
  /** The CIDR, security group id or prefix list id the rule names. */
  reference: string;
  /** For a prefix list: the entry that holds the source. */
  prefixListEntry?: string;
  /** `sg-123 allows pl-abc (10.0.0.0/8) tcp/80`. */
  description: string;
}

export interface UnreadablePrefixList {
  groupId: string;
  prefixListId: string;
  error: CollectionError;
}

export type SourceVerdict =
  | { source: TrafficSource; status: 'allowed'; rule: AllowingRule }
  | { source: TrafficSource; status: 'blocked' }
  /** No rule admits it, but a prefix list that could not be read might. */
  | { source: TrafficSource; status: 'unknown'; unreadable: UnreadablePrefixList[] };

type AllowedSource = Extract<SourceVerdict, { status: 'allowed' }>;

export interface SecurityGroupVerdict {
  /** `some-blocked` wins over `could-not-tell`: a source no rule can admit is blocked whatever the gaps. */
  status: 'all-allowed' | 'some-blocked' | 'could-not-tell';
  sources: SourceVerdict[];
  blocked: TrafficSource[];
  /** Zones of the blocked sources, sorted. */
  blockedZones: string[];
  /** Prefix lists that could not be read and might admit a source no other rule admits. */
  gaps: CollectionError[];
  /** One line for a finding's message. */
  summary: string;
}

const PROTOCOL_NUMBERS: Record<SecurityGroupTraffic['protocol'], string> = { tcp: '6', udp: '17' };
const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp' };

function permissionPorts(permission: IpPermission): string {
  if (permission.protocol === '-1') return 'all traffic';
  const from = permission.fromPort ?? -1;
  const to = permission.toPort ?? 65535;
  const protocol = PROTOCOL_NAMES[permission.protocol] ?? permission.protocol;
  if (from === -1 || (from === 0 && to === 65535)) return `${protocol}/all`;
  return from === to ? `${protocol}/${from}` : `${protocol}/${from}-${to}`;
}

export function permissionCovers(permission: IpPermission, traffic: SecurityGroupTraffic): boolean {
  if (permission.protocol === '-1') return true;
  if (permission.protocol !== traffic.protocol && permission.protocol !== PROTOCOL_NUMBERS[traffic.protocol])
    return false;
  const from = permission.fromPort ?? 0;
  const to = permission.toPort ?? 65535;
  // EC2 writes -1 for "all ports" on some protocols.
  return from === -1 || (from <= traffic.port && traffic.port <= to);
}

type PermissionMatch =
  | { allowed: Omit<AllowingRule, 'groupId' | 'description'> }
  | { unreadable: { prefixListId: string; error: CollectionError }[] };

function unreadablePrefixList(
  prefixListId: string,
  entries: Collected<string[]> | undefined,
): CollectionError {
  if (entries && !entries.ok) return entries.error;
  return {
    action: 'ec2:GetManagedPrefixListEntries',
    code: 'NotCollected',
    message: `the entries of prefix list ${prefixListId} were not collected`,
  };
}

/** Whether one rule admits the source: by CIDR of the source's family, by group, or by prefix list. */
function matchPermission(
  permission: IpPermission,
  source: TrafficSource,
  range: IpRange | undefined,
  prefixLists: SecurityGroupEvaluationInput['prefixLists'],
): PermissionMatch {
  const cidrs = range?.family === 6 ? permission.ipv6Cidrs : permission.cidrs;
  const cidr = range && cidrs.find((rule) => isWithin(rule, range));
  if (cidr) return { allowed: { kind: 'cidr', reference: cidr } };
  const group = permission.sourceSecurityGroupIds.find((id) => source.securityGroupIds.includes(id));
  if (group) return { allowed: { kind: 'security-group', reference: group } };
  const unreadable: { prefixListId: string; error: CollectionError }[] = [];
  for (const prefixListId of permission.prefixListIds) {
    const entries = prefixLists[prefixListId];
    if (!entries?.ok) {
      unreadable.push({ prefixListId, error: unreadablePrefixList(prefixListId, entries) });
      continue;
    }
    const entry = range && entries.value.find((candidate) => isWithin(candidate, range));
    if (entry) return { allowed: { kind: 'prefix-list', reference: prefixListId, prefixListEntry: entry } };
  }
  return { unreadable };
}

function isWithin(rule: string, source: IpRange): boolean {
  const parsed = parseIpRange(rule);
  return parsed !== undefined && contains(parsed, source);
}

function describeRule(groupId: string, match: Omit<AllowingRule, 'groupId' | 'description'>, ports: string) {
  const entry = match.prefixListEntry ? ` (${match.prefixListEntry})` : '';
  return `${groupId} allows ${match.reference}${entry} ${ports}`;
}

function judgeSource(input: SecurityGroupEvaluationInput, source: TrafficSource): SourceVerdict {
  const range = parseIpRange(source.cidr);
  const unreadable: UnreadablePrefixList[] = [];
  for (const group of input.groups) {
    for (const permission of group.inbound) {
      if (!permissionCovers(permission, input.traffic)) continue;
      const match = matchPermission(permission, source, range, input.prefixLists);
      if ('allowed' in match) {
        const description = describeRule(group.id, match.allowed, permissionPorts(permission));
        return { source, status: 'allowed', rule: { groupId: group.id, ...match.allowed, description } };
      }
      unreadable.push(...match.unreadable.map((gap) => ({ groupId: group.id, ...gap })));
    }
  }
  return unreadable.length > 0 ? { source, status: 'unknown', unreadable } : { source, status: 'blocked' };
}

const labelOf = (source: TrafficSource): string => singleLine(source.label);

function summarise(
  traffic: SecurityGroupTraffic,
  verdicts: SourceVerdict[],
  blocked: TrafficSource[],
  blockedZones: string[],
): string {
  const port = `${traffic.protocol}/${traffic.port}`;
  if (blocked.length > 0) {
    const zones = blockedZones.length > 0 ? ` (zones ${blockedZones.join(', ')})` : '';
    return `${blocked.length} of ${verdicts.length} sources blocked on ${port}${zones}: ${blocked.map(labelOf).join('; ')}`;
  }
  const unknown = verdicts.flatMap((verdict) => (verdict.status === 'unknown' ? [verdict] : []));
  if (unknown.length > 0) {
    const lists = [
      ...new Set(unknown.flatMap((verdict) => verdict.unreadable.map((gap) => gap.prefixListId))),
    ];
    return `could not tell whether ${unknown.map((verdict) => labelOf(verdict.source)).join('; ')} may connect on ${port}: prefix list ${lists.join(', ')} could not be read`;
  }
  const allowed = verdicts
    .filter((verdict): verdict is AllowedSource => verdict.status === 'allowed')
    .map((verdict) => `${labelOf(verdict.source)} (${verdict.rule.description})`);
  return `all ${verdicts.length} sources allowed on ${port}: ${allowed.join('; ')}`;
}

/** Judges every source against the receiving side's groups; throws on an empty list of sources. */
export function evaluateSecurityGroups(input: SecurityGroupEvaluationInput): SecurityGroupVerdict {
  if (input.sources.length === 0) {
    throw new RangeError('evaluateSecurityGroups needs at least one traffic source: nothing to judge');
  }
  const sources = input.sources.map((source) => judgeSource(input, source));
  const blocked = sources.flatMap((verdict) => (verdict.status === 'blocked' ? [verdict.source] : []));
  const blockedZones = [...new Set(blocked.flatMap((source) => (source.zone ? [source.zone] : [])))].sort();
  const gaps = sources.flatMap((verdict) =>
    verdict.status === 'unknown' ? verdict.unreadable.map((gap) => gap.error) : [],
  );
  const status = blocked.length > 0 ? 'some-blocked' : gaps.length > 0 ? 'could-not-tell' : 'all-allowed';
  return {
    status,
    sources,
    blocked,
    blockedZones,
    gaps: [...new Map(gaps.map((gap) => [`${gap.action} ${gap.message}`, gap])).values()],
    summary: summarise(input.traffic, sources, blocked, blockedZones),
  };
}

/** AWS's default egress rule of a new group: all traffic out (VPC guide, security group default rules). */
const DEFAULT_EGRESS: IpPermission[] = [
  {
    protocol: '-1',
    cidrs: ['0.0.0.0/0'],
    ipv6Cidrs: ['::/0'],
    sourceSecurityGroupIds: [],
    prefixListIds: [],
  },
];

/**
 * Whether a sender's groups let the connection out to each destination: the egress rules judged as
 * ingress rules are, with the destination (its address, its groups) in place of the source. A group
 * whose egress was not read keeps AWS's default (all out); one whose rules were all removed lets
 * nothing out.
 */
export function evaluateEgress(
  input: Omit<SecurityGroupEvaluationInput, 'sources'> & { destinations: readonly TrafficSource[] },
): SecurityGroupVerdict {
  const { destinations, ...rest } = input;
  const groups = input.groups.map((group) => ({ ...group, inbound: group.outbound ?? DEFAULT_EGRESS }));
  return evaluateSecurityGroups({ ...rest, groups, sources: destinations });
}
