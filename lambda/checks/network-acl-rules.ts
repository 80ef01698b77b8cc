/**
 * Network ACL evaluation: rules in ascending rule number, the first match decides, and traffic no
 * rule matches is denied. Traffic here is a range of addresses and ports, not one packet, so the
 * evaluation is conservative: a deny rule matches when it overlaps the traffic at all, an allow
 * rule only when it covers all of it (an allow covering part of it is passed over).
 */
import type { NetworkAclEntry } from '../domain/types';
import { rangeContains, rangesOverlap } from './ipv4-ranges';

export interface AclTraffic {
  egress: boolean;
  /** The peer's CIDR (source when inbound, destination when outbound). */
  peerCidr: string;
  fromPort: number;
  toPort: number;
}

export interface AclVerdict {
  allowed: boolean;
  /** The deciding rule, e.g. `rule 100 allow 0.0.0.0/0`, or `no matching rule (default deny)`. */
  rule: string;
}

const TCP = '6';

function portsOf(entry: NetworkAclEntry): { from: number; to: number } {
  if (entry.protocol === '-1') return { from: 0, to: 65535 };
  return { from: entry.fromPort ?? 0, to: entry.toPort ?? 65535 };
}

export function evaluateAcl(entries: readonly NetworkAclEntry[], traffic: AclTraffic): AclVerdict {
  const rules = entries
    .filter((entry) => entry.egress === traffic.egress && (entry.protocol === '-1' || entry.protocol === TCP))
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const entry of rules) {
    const ports = portsOf(entry);
    const described = `rule ${entry.ruleNumber} ${entry.action} ${entry.cidr}`;
    if (entry.action === 'deny') {
      const overlaps =
        ports.from <= traffic.toPort &&
        traffic.fromPort <= ports.to &&
        rangesOverlap(entry.cidr, traffic.peerCidr);
      if (overlaps) return { allowed: false, rule: described };
    } else {
      const covers =
        ports.from <= traffic.fromPort &&
        traffic.toPort <= ports.to &&
        rangeContains(entry.cidr, traffic.peerCidr);
      if (covers) return { allowed: true, rule: described };
    }
  }
  return { allowed: false, rule: 'no matching rule (default deny)' };
}
