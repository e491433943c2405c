/**
 * Typed decoders for JSON-RPC method parameters. A method declares its parameters once (name + decoder) and the
 * registry turns positional (`[a, b]`) or named (`{ "a": .., "b": .. }`) params into typed values, answering
 * -32602 with what was expected when a value does not fit.
 */
import { RpcError } from './errors.ts';

/** Raised inside a decoder; the registry adds the parameter's position and name. */
export class ParamDecodeError extends Error {
  override readonly name = 'ParamDecodeError';
}

export interface ParamDecoder<T> {
  /** Human description used in error messages and docs, e.g. "0x-prefixed hex bytes". */
  readonly expected: string;
  /** Whether the parameter may be omitted (or null). */
  readonly optional: boolean;
  decode(value: unknown): T;
}

export interface ParamSpec<T = unknown> {
  name: string;
  decoder: ParamDecoder<T>;
}

export type ParamValues<P extends readonly ParamSpec[]> = {
  [K in keyof P]: P[K] extends ParamSpec<infer T> ? T : never;
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length > 40 ? `string "${value.slice(0, 40)}…"` : `string "${value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function decoder<T>(expected: string, decode: (value: unknown) => T): ParamDecoder<T> {
  return { expected, optional: false, decode };
}

function fail(expected: string, value: unknown): never {
  throw new ParamDecodeError(`expected ${expected}, got ${describe(value)}`);
}

const HEX_RE = /^0x(?:[0-9a-fA-F]{2})*$/;

/** Param decoders. */
export const p = {
  any(): ParamDecoder<unknown> {
    return decoder('any JSON value', (v) => v);
  },
  string(): ParamDecoder<string> {
    return decoder('a string', (v) => (typeof v === 'string' ? v : fail('a string', v)));
  },
  bool(): ParamDecoder<boolean> {
    return decoder('a boolean', (v) => (typeof v === 'boolean' ? v : fail('a boolean', v)));
  },
  /** Unsigned integer that fits in `bits` (≤ 53 as a JS number). */
  uint(bits = 32): ParamDecoder<number> {
    const max = bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** bits - 1;
    const expected = `an unsigned integer ≤ ${max}`;
    return decoder(expected, (v) => {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return v;
      // Substrate block numbers may arrive as hex strings ("0x1a").
      if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,14}$/.test(v)) {
        const n = Number.parseInt(v.slice(2), 16);
        if (n <= max) return n;
      }
      return fail(expected, v);
    });
  },
  /** 0x-prefixed hex of whole bytes, optionally of an exact length or at most `maxBytes`. */
  hex(opts: { bytes?: number; maxBytes?: number } = {}): ParamDecoder<Uint8Array> {
    const expected =
      opts.bytes !== undefined
        ? `0x-prefixed hex of exactly ${opts.bytes} bytes`
        : `0x-prefixed hex bytes${opts.maxBytes !== undefined ? ` (at most ${opts.maxBytes} bytes)` : ''}`;
    return decoder(expected, (v) => {
      if (typeof v !== 'string' || !HEX_RE.test(v)) return fail(expected, v);
      const len = (v.length - 2) / 2;
      if (opts.bytes !== undefined && len !== opts.bytes) return fail(expected, v);
      if (opts.maxBytes !== undefined && len > opts.maxBytes) return fail(expected, v);
      const b = Buffer.from(v.slice(2), 'hex');
      return new Uint8Array(b.buffer, b.byteOffset, b.length);
    });
  },
  /** 32-byte hash as 0x hex. */
  hash(): ParamDecoder<Uint8Array> {
    return p.hex({ bytes: 32 });
  },
  array<T>(item: ParamDecoder<T>, maxLen = 1024): ParamDecoder<T[]> {
    const expected = `an array (at most ${maxLen} items) of ${item.expected}`;
    return decoder(expected, (v) => {
      if (!Array.isArray(v) || v.length > maxLen) return fail(expected, v);
      return v.map((x, i) => {
        try {
          return item.decode(x);
        } catch (err) {
          if (err instanceof ParamDecodeError) throw new ParamDecodeError(`item ${i}: ${err.message}`);
          throw err;
        }
      });
    });
  },
  /** Omitted or null → undefined. */
  optional<T>(inner: ParamDecoder<T>): ParamDecoder<T | undefined> {
    return {
      expected: `${inner.expected} or null`,
      optional: true,
      decode: (v) => (v === undefined || v === null ? undefined : inner.decode(v)),
    };
  },
} as const;

/** Builds a typed params spec list: `params(['key', p.hex()], ['at', p.optional(p.hash())])`. */
export function params<const T extends readonly [string, ParamDecoder<any>][]>(
  ...specs: T
): { [K in keyof T]: ParamSpec<T[K] extends [string, ParamDecoder<infer V>] ? V : never> } {
  return specs.map(([name, d]) => ({ name, decoder: d })) as any;
}

/**
 * Applies `specs` to raw JSON-RPC `params` (array, object or absent). Throws RpcError -32602 naming the
 * offending parameter and what was expected.
 */
export function decodeParams(specs: readonly ParamSpec[], raw: unknown, method: string): unknown[] {
  let values: unknown[];
  if (raw === undefined || raw === null) {
    values = [];
  } else if (Array.isArray(raw)) {
    if (raw.length > specs.length) {
      throw RpcError.invalidParams(
        `${method} takes at most ${specs.length} parameter(s) (${signature(specs)}), got ${raw.length}`,
      );
    }
    values = raw;
  } else if (typeof raw === 'object') {
    const obj = raw as Record<string, unknown>;
    const known = new Set(specs.map((s) => s.name));
    const unknown = Object.keys(obj).filter((k) => !known.has(k));
    if (unknown.length > 0) {
      // At most a few names, each cut short: the answer must not grow with a hostile request.
      const named = unknown
        .slice(0, 5)
        .map((k) => `"${k.length > 40 ? `${k.slice(0, 40)}…` : k}"`)
        .join(', ');
      throw RpcError.invalidParams(
        `${method} has no parameter named ${named}${unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : ''} (${signature(specs)})`,
      );
    }
    values = specs.map((s) => obj[s.name]);
  } else {
    throw RpcError.invalidParams(`params must be an array or an object, got ${describe(raw)}`);
  }
  return specs.map((spec, i) => {
    const v = values[i];
    if ((v === undefined || v === null) && !spec.decoder.optional) {
      throw RpcError.invalidParams(
        `${method}: missing parameter ${i} "${spec.name}": expected ${spec.decoder.expected} (${signature(specs)})`,
      );
    }
    try {
      return spec.decoder.decode(v);
    } catch (err) {
      if (err instanceof ParamDecodeError) {
        throw RpcError.invalidParams(`${method}: parameter ${i} "${spec.name}": ${err.message}`);
      }
      throw err;
    }
  });
}

function signature(specs: readonly ParamSpec[]): string {
  return `${specs.map((s) => `${s.name}${s.decoder.optional ? '?' : ''}`).join(', ')}`;
}
