import ipaddr from 'ipaddr.js';

/** A parsed address range: the network address and its prefix length. */
export type IpRange = readonly [ipaddr.IPv4 | ipaddr.IPv6, number];

const MAX_IP_LENGTH = 64;

/**
 * An IP address in canonical textual form: dotted-quad IPv4 (no octal or hex parts) or IPv6
 * without a zone id. IPv4-mapped IPv6 addresses are unwrapped to IPv4 so they match IPv4 ranges.
 */
export function parseIp(value: unknown): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (typeof value !== 'string' || value.length > MAX_IP_LENGTH || value.includes('%')) return undefined;
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  if (!ipaddr.IPv6.isValid(value)) return undefined;
  const v6 = ipaddr.IPv6.parse(value);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/** A CIDR range (`10.0.0.0/8`, `2001:db8::/32`) or a single address (a /32 or /128 range). */
export function parseCidr(value: unknown): IpRange | undefined {
  if (typeof value !== 'string' || value.length > MAX_IP_LENGTH + 4) return undefined;
  const slash = value.indexOf('/');
  if (slash < 0) {
    const address = parseIp(value);
    return address === undefined ? undefined : [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  const prefixText = value.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const address = parseIp(value.slice(0, slash));
  const prefix = Number(prefixText);
  if (address === undefined || prefix > (address.kind() === 'ipv4' ? 32 : 128)) return undefined;
  return [address, prefix];
}

/** Whether an address lies in a range of the same family. */
export function ipInRange(address: ipaddr.IPv4 | ipaddr.IPv6, range: IpRange): boolean {
  const [network, prefix] = range;
  if (address.kind() !== network.kind()) return false;
  return address.match(network, prefix);
}
