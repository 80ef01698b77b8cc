/**
 * Network ACL evaluation, exact: traffic is a block of peer addresses x ports, and walking the rules
 * in ascending rule number, each rule that intersects what is still undecided decides that
 * intersection (allow or deny); what no rule matched is denied by default (AWS's `*` rule). Rules
 * of the other direction, protocol or address family never match. The result lists which parts
 * are allowed and which denied, each with its deciding rule.
 */
import type { NetworkAclEntry } from '../domain/types';
import { formatIpRange, type IpFamily, parseIpRange } from './cidr';

export interface PortRange {
  from: number;
  to: number;
}

export interface AclTrafficRange {
  egress: boolean;
  /** @default 'tcp' */
  protocol?: 'tcp' | 'udp';
  /** The peer's address or CIDR (source when inbound, destination when outbound), IPv4 or IPv6. */
  peerCidr: string;
  fromPort: number;
  toPort: number;
}

export interface AclDecidedPart {
  /** The peer addresses of this part: a CIDR, or `first-last` when the part is not one. */
  addresses: string;
  fromPort: number;
  toPort: number;
  action: 'allow' | 'deny';
  /** The deciding rule's number; null for the default deny (no rule matched). */
  ruleNumber: number | null;
  /** `rule 90 deny 0.0.0.0/0 tcp/3389`, or `no matching rule (default deny)`. */
  rule: string;
}

export interface AclEvaluation {
  allowed: AclDecidedPart[];
  denied: AclDecidedPart[];
}

/** A block of undecided or decided traffic: peer addresses [first, last] x ports [from, to]. */
interface Box {
  first: bigint;
  last: bigint;
  from: number;
  to: number;
}

interface DecidedBox extends Box {
  entry: NetworkAclEntry | undefined;
}

const PROTOCOL_NUMBERS = { tcp: '6', udp: '17' } as const;
const DEFAULT_DENY = 'no matching rule (default deny)';

// Math.max and Math.min do not take bigints.
const later = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const earlier = (a: bigint, b: bigint): bigint => (a < b ? a : b);

const intersect = (a: Box, b: Box): Box | undefined => {
  const box = {
    first: later(a.first, b.first),
    last: earlier(a.last, b.last),
    from: Math.max(a.from, b.from),
    to: Math.min(a.to, b.to),
  };
  return box.first <= box.last && box.from <= box.to ? box : undefined;
};

/** `box` less `cut` (which lies inside it): at most four boxes. */
function subtract(box: Box, cut: Box): Box[] {
  const rest: Box[] = [];
  if (box.first < cut.first) rest.push({ ...box, last: cut.first - 1n });
  if (cut.last < box.last) rest.push({ ...box, first: cut.last + 1n });
  const middle = { first: cut.first, last: cut.last };
  if (box.from < cut.from) rest.push({ ...middle, from: box.from, to: cut.from - 1 });
  if (cut.to < box.to) rest.push({ ...middle, from: cut.to + 1, to: box.to });
  return rest;
}

function ruleBox(entry: NetworkAclEntry, family: IpFamily): Box | undefined {
  const range = parseIpRange(entry.cidr);
  if (range?.family !== family) return undefined;
  const ports =
    entry.protocol === '-1'
      ? { from: 0, to: 65535 }
      : { from: entry.fromPort ?? 0, to: entry.toPort ?? 65535 };
  return { first: range.first, last: range.last, ...ports };
}

function describeEntry(entry: NetworkAclEntry): string {
  if (entry.protocol === '-1') return `rule ${entry.ruleNumber} ${entry.action} ${entry.cidr} all traffic`;
  // Only tcp ('6') and udp ('17') rules get this far.
  const protocol = entry.protocol === '6' ? 'tcp' : 'udp';
  const from = entry.fromPort ?? 0;
  const to = entry.toPort ?? 65535;
  return `rule ${entry.ruleNumber} ${entry.action} ${entry.cidr} ${protocol}/${from === to ? from : `${from}-${to}`}`;
}

function validTraffic(traffic: AclTrafficRange): { family: IpFamily; box: Box } {
  const peer = parseIpRange(traffic.peerCidr);
  if (!peer)
    throw new RangeError(`network ACL traffic: "${traffic.peerCidr}" is not an IPv4 or IPv6 address or CIDR`);
  const { fromPort, toPort } = traffic;
  if (
    !(
      Number.isInteger(fromPort) &&
      Number.isInteger(toPort) &&
      0 <= fromPort &&
      fromPort <= toPort &&
      toPort <= 65535
    )
  ) {
    throw new RangeError(`network ACL traffic: ports ${fromPort}-${toPort} are not a range within 0-65535`);
  }
  return { family: peer.family, box: { first: peer.first, last: peer.last, from: fromPort, to: toPort } };
}

function decide(
  entries: readonly NetworkAclEntry[],
  traffic: AclTrafficRange,
): { family: IpFamily; decided: DecidedBox[] } {
  const { family, box } = validTraffic(traffic);
  const protocol = PROTOCOL_NUMBERS[traffic.protocol ?? 'tcp'];
  const rules = entries
    .filter(
      (entry) => entry.egress === traffic.egress && (entry.protocol === '-1' || entry.protocol === protocol),
    )
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
  let undecided: Box[] = [box];
  const decided: DecidedBox[] = [];
  for (const entry of rules) {
    const matched = ruleBox(entry, family);
    if (!matched) continue;
    undecided = undecided.flatMap((part) => {
      const hit = intersect(part, matched);
      if (!hit) return [part];
      decided.push({ ...hit, entry });
      return subtract(part, hit);
    });
  }
  decided.push(...undecided.map((part) => ({ ...part, entry: undefined })));
  return { family, decided };
}

function toPart(family: IpFamily, box: DecidedBox): AclDecidedPart {
  return {
    addresses: formatIpRange({ family, first: box.first, last: box.last }),
    fromPort: box.from,
    toPort: box.to,
    action: box.entry?.action ?? 'deny',
    ruleNumber: box.entry?.ruleNumber ?? null,
    rule: box.entry ? describeEntry(box.entry) : DEFAULT_DENY,
  };
}

const byAddressThenPort = (a: Box, b: Box): number =>
  a.first === b.first ? a.from - b.from : a.first < b.first ? -1 : 1;

/** Which parts of the traffic the ACL allows and which it denies, each with the rule that decided it. */
export function evaluateAclTraffic(
  entries: readonly NetworkAclEntry[],
  traffic: AclTrafficRange,
): AclEvaluation {
  const { family, decided } = decide(entries, traffic);
  const sorted = [...decided].sort(byAddressThenPort);
  const parts = sorted.map((box) => toPart(family, box));
  return {
    allowed: parts.filter((part) => part.action === 'allow'),
    denied: parts.filter((part) => part.action === 'deny'),
  };
}

// ---------------------------------------------------------------------------------------------
// Return traffic on ephemeral ports.

/**
 * The ephemeral ports a client picks its source port from, as AWS lists them in "Ephemeral ports"
 * (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html). The reply goes back
 * to that port, so it is the port range the return traffic's ACL rules must allow.
 */
export const EPHEMERAL_PORTS = {
  /** Requests originating from Elastic Load Balancing (ALB and NLB nodes). */
  elasticLoadBalancing: { from: 1024, to: 65535 },
  natGateway: { from: 1024, to: 65535 },
  lambda: { from: 1024, to: 65535 },
  /** "Many Linux kernels (including the Amazon Linux kernel)"; the kernel's own default ends at 60999. */
  linux: { from: 32768, to: 61000 },
  /** Windows Server 2008 and later. */
  windows: { from: 49152, to: 65535 },
} as const satisfies Record<string, PortRange>;

/**
 * A sender picks each connection's ephemeral port from its whole range, so a denied share of that
 * range loses about that share of connections. AWS's page suggests denying single malicious ports
 * inside 1024-65535 before the allow of the range: such a hardening (even a few dozen ports, a few
 * hundredths of a percent) is no outage, only a note. Above 1% of the range for some peer address
 * (more than one connection in a hundred), it is: the return traffic is blocked.
 */
export const NEGLIGIBLE_DENIED_SHARE = 0.01;

export interface ReturnTraffic {
  /** The direction of the return traffic at this ACL (outbound from the responder's subnet, inbound to the sender's). */
  egress: boolean;
  protocol?: 'tcp' | 'udp';
  /** The original sender's address or range (where the replies go, or come from). */
  peerCidr: string;
  /** The ephemeral ports the original sender uses (see `EPHEMERAL_PORTS`). */
  ephemeralPorts: PortRange;
}

export interface ReturnTrafficVerdict {
  /** `allowed-with-notes`: some ports are denied, a negligible share of the range (hardening). */
  status: 'allowed' | 'allowed-with-notes' | 'blocked';
  /** The largest share of the ephemeral range denied to any one peer address (0 to 1). */
  deniedShare: number;
  denied: AclDecidedPart[];
  /** One line: what is denied, by which rules, and how much of the range that is. */
  summary: string;
}

/** The largest number of denied ports any single address of the peer range has. */
function worstDeniedPorts(denied: readonly Box[]): number {
  const starts = [...new Set(denied.flatMap((box) => [box.first, box.last + 1n]))].sort((a, b) =>
    a < b ? -1 : 1,
  );
  // Denied boxes are disjoint, so an address's denied ports are the widths of the boxes that hold it.
  return Math.max(
    0,
    ...starts.map((address) =>
      denied
        .filter((box) => box.first <= address && address <= box.last)
        .reduce((sum, box) => sum + box.to - box.from + 1, 0),
    ),
  );
}

const formatShare = (share: number): string => `${Number((share * 100).toPrecision(2))}%`;

/** Whether the replies to a sender's ephemeral ports pass this ACL, by the rule above. */
export function judgeReturnTraffic(
  entries: readonly NetworkAclEntry[],
  traffic: ReturnTraffic,
): ReturnTrafficVerdict {
  const { from, to } = traffic.ephemeralPorts;
  const flow: AclTrafficRange = {
    egress: traffic.egress,
    peerCidr: traffic.peerCidr,
    fromPort: from,
    toPort: to,
    ...(traffic.protocol ? { protocol: traffic.protocol } : {}),
  };
  const { family, decided } = decide(entries, flow);
  const deniedBoxes = decided
    .filter((box) => (box.entry?.action ?? 'deny') === 'deny')
    .sort(byAddressThenPort);
  const denied = deniedBoxes.map((box) => toPart(family, box));
  const deniedShare = worstDeniedPorts(deniedBoxes) / (to - from + 1);
  const range = `${from}-${to}`;
  if (denied.length === 0) {
    return { status: 'allowed', deniedShare, denied, summary: `return traffic to ports ${range} allowed` };
  }
  const rules = [...new Set(denied.map((part) => part.rule))].join('; ');
  const ports = [
    ...new Set(
      denied.map((part) =>
        part.fromPort === part.toPort ? `${part.fromPort}` : `${part.fromPort}-${part.toPort}`,
      ),
    ),
  ];
  const what = `ports ${ports.join(', ')} of ${range} denied (${formatShare(deniedShare)} of the range) by ${rules}`;
  if (deniedShare > NEGLIGIBLE_DENIED_SHARE) {
    return { status: 'blocked', deniedShare, denied, summary: `return traffic blocked: ${what}` };
  }
  return {
    status: 'allowed-with-notes',
    deniedShare,
    denied,
    summary: `return traffic allowed; negligible: ${what}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The all-or-nothing verdict the subnet-network-acls check still reads.

export interface AclTraffic {
  egress: boolean;
  /** The peer's CIDR (source when inbound, destination when outbound). */
  peerCidr: string;
  fromPort: number;
  toPort: number;
}

export interface AclVerdict {
  allowed: boolean;
  /** The lowest-numbered rule that denies part of the traffic, or the default deny; when allowed, the allowing rules. */
  rule: string;
}

/** Allowed only when every part of the traffic is; `evaluateAclTraffic` says which parts are not. */
export function evaluateAcl(entries: readonly NetworkAclEntry[], traffic: AclTraffic): AclVerdict {
  const { allowed, denied } = evaluateAclTraffic(entries, traffic);
  const [firstDenied] = [...denied].sort(
    (a, b) => (a.ruleNumber ?? Number.MAX_SAFE_INTEGER) - (b.ruleNumber ?? Number.MAX_SAFE_INTEGER),
  );
  if (firstDenied) return { allowed: false, rule: firstDenied.rule };
  return { allowed: true, rule: [...new Set(allowed.map((part) => part.rule))].join(', ') };
}
