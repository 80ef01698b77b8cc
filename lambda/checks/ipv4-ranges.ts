/** IPv4-only view of `ip-ranges.ts`, kept for the checks that import it. */
import { parseIpRange } from './ip-ranges';

export { rangeContains, rangesOverlap } from './ip-ranges';

export interface Ipv4Range {
  first: number;
  last: number;
}

/** `10.0.0.0/16` or a bare address (a /32); anything else, IPv6 included, is undefined. */
export function parseIpv4Range(cidr: string): Ipv4Range | undefined {
  const range = parseIpRange(cidr);
  if (range?.family !== 4) return undefined;
  return { first: Number(range.first), last: Number(range.last) };
}
