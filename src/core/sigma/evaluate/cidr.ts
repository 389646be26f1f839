/**
 * `cidr`: IPv4 and IPv6 networks. Addresses are parsed to BigInt so one code
 * path serves both families; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) matches IPv4 networks.
 */

/** A parsed network, or null when the text is not a CIDR. */
export interface Network {
  family: 4 | 6;
  base: bigint;
  bits: number;
}

/** Parses `10.0.0.0/8`, `fe80::/10`, or a bare address (a /32 or /128). */
export function parseCidr(text: string): Network | null {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined || addr === undefined) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = ip.family === 4 ? 32 : 128;
  const bits = len === undefined ? max : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > max || (len !== undefined && !/^\d+$/.test(len))) return null;
  return { family: ip.family, base: mask(ip.value, bits, max), bits };
}

/** Whether an address (text) lies in the network. */
export function inNetwork(network: Network, address: string): boolean {
  let ip = parseIp(address.trim());
  if (!ip) return false;
  if (ip.family === 6 && network.family === 4 && ip.value >> 32n === 0xffffn)
    ip = { family: 4, value: ip.value & 0xffffffffn };
  if (ip.family !== network.family) return false;
  const max = ip.family === 4 ? 32 : 128;
  return mask(ip.value, network.bits, max) === network.base;
}

function mask(value: bigint, bits: number, max: number): bigint {
  if (bits === 0) return 0n;
  const shift = BigInt(max - bits);
  return (value >> shift) << shift;
}

function parseIp(text: string): { family: 4 | 6; value: bigint } | null {
  if (text.includes(':')) {
    const v6 = parseIpv6(text.replace(/%.*$/, ''));
    return v6 === null ? null : { family: 6, value: v6 };
  }
  const v4 = parseIpv4(text);
  return v4 === null ? null : { family: 4, value: v4 };
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  let head = text;
  let tailV4: bigint | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== null) value = (value & ~0xffffffffn) | tailV4;
  return value;
}
