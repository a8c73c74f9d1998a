/** IPv4 CIDR arithmetic, shared by config validation, the network construct and the reachability oracle. */

/** Parses `a.b.c.d/n`; undefined when it is not a canonical IPv4 CIDR (host bits must be zero). */
export function parseIpv4Cidr(cidr: string): { network: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const network = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  if (network % hostBits !== 0) return undefined;
  return { network, prefix };
}

/** [first, last] address of a CIDR as numbers; throws on anything but a canonical IPv4 CIDR. */
export function cidrRange(cidr: string): [number, number] {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) throw new Error(`not a canonical IPv4 CIDR: ${cidr}`);
  return [parsed.network, parsed.network + 2 ** (32 - parsed.prefix) - 1];
}

/** True when `inner` lies entirely within `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [a, b] = cidrRange(outer);
  const [c, d] = cidrRange(inner);
  return a <= c && d <= b;
}

/** True when the two ranges share at least one address. */
export function cidrOverlaps(x: string, y: string): boolean {
  const [a, b] = cidrRange(x);
  const [c, d] = cidrRange(y);
  return a <= d && c <= b;
}
