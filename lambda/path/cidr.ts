/**
 * CIDR arithmetic for security group and network ACL rules, IPv4 and IPv6 alike. ipaddr.js parses
 * the addresses; a range is the interval [first, last] of one family, so containment and overlap
 * are comparisons, and an address of one family never matches a range of the other. Unparseable
 * input matches nothing.
 */
import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

export interface IpRange {
  family: IpFamily;
  first: bigint;
  last: bigint;
}

const WIDTH: Record<IpFamily, number> = { 4: 32, 6: 128 };

function parseAddress(text: string): { family: IpFamily; value: bigint } | undefined {
  // Only dotted quads: ipaddr.js also reads `10.1` or `0x0a.0.0.1`, which no AWS rule contains.
  const family = ipaddr.IPv4.isValidFourPartDecimal(text) ? 4 : ipaddr.IPv6.isValid(text) ? 6 : undefined;
  if (family === undefined || (family === 6 && text.includes('%'))) return undefined;
  const value = ipaddr
    .parse(text)
    .toByteArray()
    .reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n);
  return { family, value };
}

/** `10.0.0.0/16`, `2001:db8::/56`, or a bare address (a single-address range). */
export function parseIpRange(cidr: string): IpRange | undefined {
  const [address, bits, extra] = cidr.trim().split('/');
  if (address === undefined || extra !== undefined) return undefined;
  const parsed = parseAddress(address);
  if (parsed === undefined) return undefined;
  const width = WIDTH[parsed.family];
  const prefix = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (!(prefix >= 0 && prefix <= width)) return undefined;
  const hostBits = BigInt(width - prefix);
  const first = (parsed.value >> hostBits) << hostBits;
  return { family: parsed.family, first, last: first + (1n << hostBits) - 1n };
}

export function contains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

export function overlaps(left: IpRange, right: IpRange): boolean {
  return left.family === right.family && left.first <= right.last && right.first <= left.last;
}

export function rangeContains(outer: string, inner: string): boolean {
  const a = parseIpRange(outer);
  const b = parseIpRange(inner);
  return a !== undefined && b !== undefined && contains(a, b);
}

export function rangesOverlap(left: string, right: string): boolean {
  const a = parseIpRange(left);
  const b = parseIpRange(right);
  return a !== undefined && b !== undefined && overlaps(a, b);
}

function formatAddress(family: IpFamily, value: bigint): string {
  const length = WIDTH[family] / 8;
  const bytes = Array.from({ length }, (_, index) =>
    Number((value >> BigInt(8 * (length - 1 - index))) & 0xffn),
  );
  return ipaddr.fromByteArray(bytes).toString();
}

/** As a CIDR when the range is one (`10.0.1.0/24`), else `first-last`. */
export function formatIpRange(range: IpRange): string {
  const size = range.last - range.first + 1n;
  const hostBits = size.toString(2).length - 1;
  const aligned = size === 1n << BigInt(hostBits) && range.first % size === 0n;
  const first = formatAddress(range.family, range.first);
  if (!aligned) return `${first}-${formatAddress(range.family, range.last)}`;
  return `${first}/${WIDTH[range.family] - hostBits}`;
}
