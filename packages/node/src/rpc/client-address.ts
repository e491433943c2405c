/**
 * Who a connection counts as for per-client limits, and the operator's exemption list.
 *
 * IPv4 addresses count one each; IPv6 addresses count per /64, the block one host usually gets, so a
 * client cannot step around its limit by walking its own prefix. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) counts
 * as the IPv4 address.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export class InvalidCidrError extends Error {
  override readonly name = 'InvalidCidrError';
}

/** The key per-client limits are counted under. */
export function clientKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const v4 = mappedIPv4(address);
  if (v4 !== undefined) return v4;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** `::ffff:a.b.c.d` → `a.b.c.d`; plain IPv4 as is; anything else undefined. */
function mappedIPv4(address: string): string | undefined {
  if (isIPv4(address)) return address;
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m && isIPv4(m[1]!) ? m[1] : undefined;
}

/** Eight 4-digit hex groups of an IPv6 address (with `::` and a trailing dotted quad expanded). */
function expandIPv6(address: string): string[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const b = dotted[1]!.split('.').map(Number);
    text = `${text.slice(0, -dotted[1]!.length)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => g.padStart(4, '0'));
}

/**
 * A list of CIDR blocks (`127.0.0.0/8`, `::1/128`, `10.1.2.3`): `--rpc-limits-exempt`. An address in the list
 * is matched as IPv4 or IPv6 (an IPv4-mapped IPv6 peer matches its IPv4 block).
 */
export class AddressList {
  readonly #list = new BlockList();
  readonly entries: readonly string[];

  constructor(cidrs: readonly string[]) {
    this.entries = cidrs;
    for (const text of cidrs) {
      const [addr, bits] = text.trim().split('/');
      const family = addr && isIPv4(addr) ? 'ipv4' : addr && isIPv6(addr) ? 'ipv6' : undefined;
      if (family === undefined) throw new InvalidCidrError(`not an IP address or CIDR block: '${text}'`);
      const max = family === 'ipv4' ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (!/^\d+$/.test(bits ?? String(max)) || prefix > max) {
        throw new InvalidCidrError(`bad prefix length in '${text}' (0..${max})`);
      }
      this.#list.addSubnet(addr!, prefix, family);
    }
  }

  /** Parses `a/8,b/128` (commas or spaces). */
  static parse(text: string): AddressList {
    return new AddressList(text.split(/[\s,]+/).filter((s) => s !== ''));
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  has(address: string | undefined): boolean {
    if (address === undefined || this.entries.length === 0) return false;
    const v4 = mappedIPv4(address);
    if (v4 !== undefined) return this.#list.check(v4, 'ipv4');
    return isIPv6(address) && this.#list.check(address, 'ipv6');
  }
}
