/** Fixed-width integers, bool, strings, byte vectors and compact integers. */
import { Codec, compareBytes } from './codec.ts';
import { compactLength, readCompact, writeCompact } from './compact.ts';
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
  return new Codec<number>(
    (w, v) => {
      if (!Number.isInteger(v) || v < 0 || v > max)
        throw new ScaleEncodeError(`${name}: ${v} out of range 0..${max}`);
      w.reserve(bytes);
      for (let i = 0; i < bytes; i++) w.buf[w.length++] = (v >>> (8 * i)) & 0xff;
    },
    (r) => {
      r.need(bytes, name);
      const b = r.bytes;
      const o = r.offset;
      r.offset += bytes;
      if (bytes === 1) return b[o];
      if (bytes === 2) return b[o] | (b[o + 1] << 8);
      return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    },
    primitiveInfo(name),
    bytes,
    numeric,
  );
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
  const [n, next] = readCompact(r.bytes, r.offset);
  if (typeof n !== 'number') r.fail(`${what}: length ${n} too large`);
  r.offset = next;
  // Every item takes at least minItemLength bytes, so a length the input cannot hold is rejected before any
  // allocation; zero-sized items are capped so `Vec<()>` cannot ask for billions of elements.
  const limit =
    minItemLength === 0 ? Math.max(r.remaining, 1 << 16) : Math.floor(r.remaining / minItemLength);
  if (n > limit) {
    r.offset = start;
    r.fail(`${what}: length ${n} exceeds what the remaining ${r.remaining} bytes can hold`);
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
    writeLength(w, v.length);
    w.bytes(v);
  },
  (r) => r.take(readLength(r, 1, 'Vec<u8>'), 'Vec<u8>').slice(),
  { path: [], params: [], def: { kind: 'sequence', of: u8 }, docs: [] },
  1,
  compareBytes,
);

/** `[u8; N]` as a Uint8Array of exactly N bytes. */
export function bytesFixed(len: number): Codec<Uint8Array> {
  return new Codec<Uint8Array>(
    (w, v) => {
      if (v.length !== len) throw new ScaleEncodeError(`[u8; ${len}]: got ${v.length} bytes`);
      w.bytes(v);
    },
    (r) => r.take(len, `[u8; ${len}]`).slice(),
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
  const tooBig = (v: number | bigint) => (typeof v === 'number' ? v > maxNumber && BigInt(v) > max : v > max);
  return new Codec<T>(
    (w, v) => {
      if (tooBig(v)) throw new ScaleEncodeError(`Compact<${name}>: ${v} out of range`);
      w.reserve(compactLength(v));
      w.length = writeCompact(w.buf, w.length, v);
    },
    (r) => {
      const [v, next] = readCompact(r.bytes, r.offset);
      if (tooBig(v)) r.fail(`Compact<${name}>: ${v} out of range`);
      r.offset = next;
      return (asBig ? BigInt(v) : Number(v)) as T;
    },
    { path: [], params: [], def: { kind: 'compact', of: inner }, docs: [] },
    1,
    inner.compare,
  );
}
