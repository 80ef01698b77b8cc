/** IPv4 CIDR arithmetic for security group and network ACL rules. Unparseable input matches nothing. */

export interface Ipv4Range {
  first: number;
  last: number;
}

function parseAddress(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** `10.0.0.0/16` or a bare address (a /32). */
export function parseIpv4Range(cidr: string): Ipv4Range | undefined {
  const [address, bits, extra] = cidr.trim().split('/');
  if (address === undefined || extra !== undefined) return undefined;
  const base = parseAddress(address);
  const prefix = bits === undefined ? 32 : /^\d{1,2}$/.test(bits) ? Number(bits) : Number.NaN;
  if (base === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(base / size) * size;
  return { first, last: first + size - 1 };
}

export function rangeContains(outer: string, inner: string): boolean {
  const a = parseIpv4Range(outer);
  const b = parseIpv4Range(inner);
  return a !== undefined && b !== undefined && a.first <= b.first && b.last <= a.last;
}

export function rangesOverlap(left: string, right: string): boolean {
  const a = parseIpv4Range(left);
  const b = parseIpv4Range(right);
  return a !== undefined && b !== undefined && a.first <= b.last && b.first <= a.last;
}
