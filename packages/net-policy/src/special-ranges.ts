import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Address ranges that are not the public internet, blocked unless a policy allows them. */
const SPECIAL_RANGES: ReadonlyArray<readonly [cidr: string, name: string]> = [
  ['0.0.0.0/8', 'this network'],
  ['10.0.0.0/8', 'private network'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['172.16.0.0/12', 'private network'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private network'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (incl. broadcast)'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  // IPv4-compatible addresses (deprecated); ::ffff:0:0/96 is unwrapped before this table.
  ['::/96', 'IPv4-compatible'],
  ['64:ff9b:1::/48', 'local NAT64'],
  ['100::/64', 'discard-only'],
  ['2001::/32', 'Teredo tunnel'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
];

const PARSED = SPECIAL_RANGES.map(([cidr, name]) => ({ range: ipaddr.parseCIDR(cidr), name }));

const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');

export function parseAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Only canonical forms: ipaddr.js also reads '127.1' and '0x7f.1', which are host names to us.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (bare.includes(':') && ipaddr.IPv6.isValid(bare)) {
    const address = ipaddr.IPv6.parse(bare);
    return address.zoneId === undefined ? address : undefined;
  }
  return undefined;
}

/**
 * The addresses a connection to `address` really reaches: the address itself
 * with an IPv4-mapped IPv6 address unwrapped, plus the IPv4 address that a
 * NAT64 or 6to4 address embeds.
 */
export function effectiveAddresses(address: IpAddress): IpAddress[] {
  if (address.kind() === 'ipv4') return [address];
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return [v6.toIPv4Address()];
  const bytes = v6.toByteArray();
  if (v6.match(NAT64)) return [v6, new ipaddr.IPv4(bytes.slice(12, 16))];
  if (v6.match(SIX_TO_FOUR)) return [v6, new ipaddr.IPv4(bytes.slice(2, 6))];
  return [v6];
}

/** The name of the special-use range the address falls in, or undefined for a public address. */
export function specialRangeOf(address: IpAddress): string | undefined {
  for (const candidate of effectiveAddresses(address)) {
    for (const { range, name } of PARSED) {
      if (inRange(candidate, range)) return name;
    }
  }
  return undefined;
}

export function inRange(address: IpAddress, range: [IpAddress, number]): boolean {
  return address.kind() === range[0].kind() && address.match(range);
}
