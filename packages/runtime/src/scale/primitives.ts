/** Fixed-width integers, bool, strings, byte vectors and compact integers. */
import { Codec, compareBytes } from './codec.ts';
import { compactEnd, readCompactValue, writeCompact } from './compact.ts';
import { ScaleEncodeError } from './errors.ts';
import type { Reader, Writer } from './io.ts';
import type { PrimitiveName, TypeInfo } from './type-info.ts';

const primitiveInfo = (name: PrimitiveName): TypeInfo => ({
  path: [],
  params: [],
  def: { kind: 'primitive', name },
  docs: [],
});
const numeric = (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0);

export const bool = new Codec<boolean>(
  (w, v) => w.byte(v ? 1 : 0),
  (r) => {
    const b = r.byte('bool');
    if (b > 1) r.fail(`bool: invalid byte ${b}`);
    return b === 1;
  },
  primitiveInfo('bool'),
  1,
  (a, b) => Number(a) - Number(b),
);

function smallUint(name: PrimitiveName, bytes: 1 | 2 | 4): Codec<number> {
  const max = 2 ** (bytes * 8) - 1;
  const check = (v: number) => {
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new ScaleEncodeError(`${name}: ${v} out of range 0..${max}`);
  };
  // One monomorphic function per width: this is the hottest code of every codec.
  const write =
    bytes === 1
      ? (w: Writer, v: number) => {
          check(v);
          if (w.length >= w.buf.length) w.reserve(1);
          w.buf[w.length++] = v;
        }
      : bytes === 2
        ? (w: Writer, v: number) => {
            check(v);
            if (w.length + 2 > w.buf.length) w.reserve(2);
            const b = w.buf;
            const o = w.length;
            b[o] = v & 0xff;
            b[o + 1] = v >>> 8;
            w.length = o + 2;
          }
        : (w: Writer, v: number) => {
            check(v);
            if (w.length + 4 > w.buf.length) w.reserve(4);
            const b = w.buf;
            const o = w.length;
            b[o] = v & 0xff;
            b[o + 1] = (v >>> 8) & 0xff;
            b[o + 2] = (v >>> 16) & 0xff;
            b[o + 3] = v >>> 24;
            w.length = o + 4;
          };
  const read =
    bytes === 1
      ? (r: Reader) => r.byte(name)
      : bytes === 2
        ? (r: Reader) => {
            const o = r.offset;
            if (o + 2 > r.bytes.length) r.need(2, name);
            const b = r.bytes;
            r.offset = o + 2;
            return b[o] | (b[o + 1] << 8);
          }
        : (r: Reader) => {
            const o = r.offset;
            if (o + 4 > r.bytes.length) r.need(4, name);
            const b = r.bytes;
            r.offset = o + 4;
            return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
          };
  return new Codec<number>(write, read, primitiveInfo(name), bytes, numeric);
}

function smallInt(name: PrimitiveName, bytes: 1 | 2 | 4): Codec<number> {
  const half = 2 ** (bytes * 8 - 1);
  const u = smallUint(name, bytes);
  return new Codec<number>(
    (w, v) => {
      if (!Number.isInteger(v) || v < -half || v >= half)
        throw new ScaleEncodeError(`${name}: ${v} out of range`);
      u.write(w, v < 0 ? v + 2 * half : v);
    },
    (r) => {
      const v = u.read(r);
      return v >= half ? v - 2 * half : v;
    },
    primitiveInfo(name),
    bytes,
    numeric,
  );
}

function bigUint(name: PrimitiveName, bytes: 8 | 16 | 32): Codec<bigint> {
  const max = (1n << BigInt(bytes * 8)) - 1n;
  return new Codec<bigint>(
    (w, v) => {
      if (typeof v !== 'bigint') v = toBigInt(name, v);
      if (v < 0n || v > max) throw new ScaleEncodeError(`${name}: ${v} out of range 0..2^${bytes * 8}-1`);
      w.reserve(bytes);
      // 32-bit limbs: far fewer BigInt operations than byte-at-a-time.
      for (let i = 0; i < bytes; i += 4) {
        const limb = Number(v & 0xffffffffn);
        v >>= 32n;
        w.buf[w.length++] = limb & 0xff;
        w.buf[w.length++] = (limb >>> 8) & 0xff;
        w.buf[w.length++] = (limb >>> 16) & 0xff;
        w.buf[w.length++] = limb >>> 24;
      }
    },
    (r) => readBigUint(r, bytes, name),
    primitiveInfo(name),
    bytes,
    numeric,
  );
}

function readBigUint(r: Reader, bytes: number, name: string): bigint {
  r.need(bytes, name);
  const b = r.bytes;
  const start = r.offset;
  r.offset += bytes;
  let v = 0n;
  for (let o = start + bytes - 4; o >= start; o -= 4) {
    v = (v << 32n) | BigInt((b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0);
  }
  return v;
}

function bigInt(name: PrimitiveName, bytes: 8 | 16 | 32): Codec<bigint> {
  const bits = BigInt(bytes * 8);
  const half = 1n << (bits - 1n);
  const u = bigUint(name, bytes);
  return new Codec<bigint>(
    (w, v) => {
      if (typeof v !== 'bigint') v = toBigInt(name, v);
      if (v < -half || v >= half) throw new ScaleEncodeError(`${name}: ${v} out of range`);
      u.write(w, v < 0n ? v + (1n << bits) : v);
    },
    (r) => BigInt.asIntN(bytes * 8, u.read(r)),
    primitiveInfo(name),
    bytes,
    numeric,
  );
}

function describe(v: unknown): string {
  return v instanceof Uint8Array ? `${v.length} bytes` : typeof v;
}

function toBigInt(name: string, v: unknown): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new ScaleEncodeError(`${name}: expected a bigint, got ${typeof v} ${String(v)}`);
}

export const u8 = smallUint('u8', 1);
export const u16 = smallUint('u16', 2);
export const u32 = smallUint('u32', 4);
export const u64 = bigUint('u64', 8);
export const u128 = bigUint('u128', 16);
export const u256 = bigUint('u256', 32);
export const i8 = smallInt('i8', 1);
export const i16 = smallInt('i16', 2);
export const i32 = smallInt('i32', 4);
export const i64 = bigInt('i64', 8);
export const i128 = bigInt('i128', 16);
export const i256 = bigInt('i256', 32);

/** Length prefix of a vector/string: a compact that must fit a JS number and the bytes left. */
export function readLength(r: Reader, minItemLength: number, what: string): number {
  const start = r.offset;
  const input = r.bytes;
  let n: number;
  const b0 = input[start];
  if (start < input.length && (b0 & 0b11) === 0) {
    n = b0 >>> 2;
    r.offset = start + 1;
  } else {
    const v = readCompactValue(input, start);
    if (typeof v !== 'number') r.fail(`${what}: length ${v} too large`);
    n = v;
    r.offset = compactEnd.offset;
  }
  // Every item takes at least minItemLength bytes, so a length the input cannot hold is rejected before any
  // allocation; zero-sized items are capped so `Vec<()>` cannot ask for billions of elements.
  const remaining = input.length - r.offset;
  const limit = minItemLength === 0 ? Math.max(remaining, 1 << 16) : Math.floor(remaining / minItemLength);
  if (n > limit) {
    r.offset = start;
    r.fail(`${what}: length ${n} exceeds what the remaining ${remaining} bytes can hold`);
  }
  return n;
}

export function writeLength(w: Writer, n: number): void {
  w.reserve(5);
  if (n < 0x40) w.buf[w.length++] = n << 2;
  else w.length = writeCompact(w.buf, w.length, n);
}

/** `Vec<u8>` as a Uint8Array. */
export const bytes = new Codec<Uint8Array>(
  (w, v) => {
    if (!(v instanceof Uint8Array))
      throw new ScaleEncodeError(`Vec<u8>: expected a Uint8Array, got ${typeof v}`);
    writeLength(w, v.length);
    w.bytes(v);
  },
  (r) => {
    const n = readLength(r, 1, 'Vec<u8>');
    const o = r.offset;
    r.offset = o + n; // readLength checked the bytes are there
    return r.bytes.slice(o, o + n);
  },
  { path: [], params: [], def: { kind: 'sequence', of: u8 }, docs: [] },
  1,
  compareBytes,
);

/** `[u8; N]` as a Uint8Array of exactly N bytes. */
export function bytesFixed(len: number): Codec<Uint8Array> {
  const what = `[u8; ${len}]`;
  return new Codec<Uint8Array>(
    (w, v) => {
      if (!(v instanceof Uint8Array) || v.length !== len)
        throw new ScaleEncodeError(`${what}: expected ${len} bytes in a Uint8Array, got ${describe(v)}`);
      w.bytes(v);
    },
    (r) => {
      const o = r.offset;
      if (o + len > r.bytes.length) r.need(len, what);
      r.offset = o + len;
      return r.bytes.slice(o, o + len);
    },
    { path: [], params: [], def: { kind: 'array', len, of: u8 }, docs: [] },
    len,
    compareBytes,
  );
}

const utf8Encoder = new TextEncoder();
// ignoreBOM: keep a leading U+FEFF as Rust does (the default would strip it, so re-encoding would lose 3 bytes).
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const str = new Codec<string>(
  (w, v) => {
    // Rust strings are valid UTF-8: a lone surrogate would otherwise be replaced by U+FFFD, silently.
    if (typeof v !== 'string' || !(v as unknown as { isWellFormed(): boolean }).isWellFormed())
      throw new ScaleEncodeError('str: not a well-formed string (lone UTF-16 surrogate)');
    const b = utf8Encoder.encode(v);
    writeLength(w, b.length);
    w.bytes(b);
  },
  (r) => {
    const b = r.take(readLength(r, 1, 'str'), 'str');
    try {
      return utf8Decoder.decode(b);
    } catch {
      return r.fail('str: invalid UTF-8');
    }
  },
  primitiveInfo('str'),
  1,
  (a, b) => compareBytes(utf8Encoder.encode(a), utf8Encoder.encode(b)),
);

/**
 * `Compact<T>` for an unsigned integer codec. The JS type is the inner codec's (number for u8..u32, bigint above).
 * Values beyond the inner type's range are rejected, as parity-scale-codec does.
 */
export function compact<T extends number | bigint>(inner: Codec<T>): Codec<T> {
  const def = inner.info.def;
  const name = def.kind === 'primitive' ? def.name : undefined;
  const bits =
    name === 'u8'
      ? 8
      : name === 'u16'
        ? 16
        : name === 'u32'
          ? 32
          : name === 'u64'
            ? 64
            : name === 'u128'
              ? 128
              : 0;
  // parity-scale-codec implements `Compact<T>` (HasCompact) only for u8..u128 (and `()`, see compactUnit users).
  if (bits === 0) throw new Error(`Compact<T> needs an unsigned integer u8..u128, got ${name ?? def.kind}`);
  const asBig = bits > 32;
  const max = (1n << BigInt(bits)) - 1n;
  const maxNumber = 2 ** Math.min(bits, 53) - 1;
  const outOfRange = (v: unknown): never => {
    throw new ScaleEncodeError(`Compact<${name}>: ${String(v)} out of range 0..2^${bits}-1`);
  };
  return new Codec<T>(
    (w, v) => {
      if (typeof v === 'number') {
        if (!Number.isInteger(v) || v < 0 || (v > maxNumber && (bits <= 53 || BigInt(v) > max)))
          outOfRange(v);
      } else if (typeof v !== 'bigint' || v < 0n || v > max) outOfRange(v);
      if (w.length + 17 > w.buf.length) w.reserve(17);
      w.length = writeCompact(w.buf, w.length, v);
    },
    (r) => {
      const v = readCompactValue(r.bytes, r.offset);
      if (typeof v === 'number') {
        if (v > maxNumber) r.fail(`Compact<${name}>: ${v} out of range`);
        r.offset = compactEnd.offset;
        return (asBig ? BigInt(v) : v) as T;
      }
      if (!asBig || v > max) r.fail(`Compact<${name}>: ${v} out of range`);
      r.offset = compactEnd.offset;
      return v as T;
    },
    { path: [], params: [], def: { kind: 'compact', of: inner }, docs: [] },
    1,
    inner.compare,
  );
}
