/**
 * SCALE compact integers (Polkadot spec §B.1.1.4): the two low bits of the first byte pick the mode.
 * 0b00 single byte (< 2^6), 0b01 two bytes (< 2^14), 0b10 four bytes (< 2^30), 0b11 big-integer mode where the
 * upper six bits give (byte length - 4). Decoding rejects non-canonical forms, as parity-scale-codec does.
 * Hot path: values below 2^53 never touch BigInt.
 */
import { ScaleDecodeError, ScaleEncodeError } from './errors.ts';
import { U128_MAX, U64_MAX } from './limits.ts';

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const TWO_32 = 2 ** 32;

function checkNumber(value: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new ScaleEncodeError(`compact: ${value} is not a non-negative integer`);
}

function checkBig(value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint' || value < 0n || value > U128_MAX)
    throw new ScaleEncodeError(`compact: ${String(value)} out of range 0..2^128-1`);
}

/** Byte length of the compact encoding of a safe integer. */
function numberLength(n: number): number {
  if (n < 0x40) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x40000000) return 4;
  const hi = Math.floor(n / TWO_32);
  return hi === 0 ? 5 : hi < 0x100 ? 6 : hi < 0x10000 ? 7 : 8;
}

/** Bytes of a bigint above 2^53 (7..16 for u128). */
function bigByteLength(value: bigint): number {
  return (value.toString(16).length + 1) >> 1;
}

/** Byte length of the compact encoding of `value` without allocating. */
export function compactLength(value: number | bigint): number {
  if (typeof value === 'number') {
    checkNumber(value);
    if (value <= Number.MAX_SAFE_INTEGER) return numberLength(value);
    value = BigInt(value);
  }
  checkBig(value);
  if (value <= MAX_SAFE_BIG) return numberLength(Number(value));
  return 1 + bigByteLength(value);
}

function writeNumber(out: Uint8Array, o: number, n: number): number {
  if (n < 0x40) {
    out[o] = n << 2;
    return o + 1;
  }
  if (n < 0x4000) {
    const v = (n << 2) | 0b01;
    out[o] = v & 0xff;
    out[o + 1] = v >>> 8;
    return o + 2;
  }
  if (n < 0x40000000) {
    const v = ((n << 2) | 0b10) >>> 0;
    out[o] = v & 0xff;
    out[o + 1] = (v >>> 8) & 0xff;
    out[o + 2] = (v >>> 16) & 0xff;
    out[o + 3] = v >>> 24;
    return o + 4;
  }
  const lo = n >>> 0;
  let hi = Math.floor(n / TWO_32);
  const len = hi === 0 ? 4 : hi < 0x100 ? 5 : hi < 0x10000 ? 6 : 7;
  out[o] = ((len - 4) << 2) | 0b11;
  out[o + 1] = lo & 0xff;
  out[o + 2] = (lo >>> 8) & 0xff;
  out[o + 3] = (lo >>> 16) & 0xff;
  out[o + 4] = lo >>> 24;
  for (let i = 5; i <= len; i++) {
    out[o + i] = hi & 0xff;
    hi >>>= 8;
  }
  return o + 1 + len;
}

/** Writes the compact encoding of `value` into `out` at `offset`; returns the new offset. */
export function writeCompact(out: Uint8Array, offset: number, value: number | bigint): number {
  if (typeof value === 'number') {
    checkNumber(value);
    if (value <= Number.MAX_SAFE_INTEGER) return writeNumber(out, offset, value);
    value = BigInt(value);
  }
  checkBig(value);
  if (value <= MAX_SAFE_BIG) return writeNumber(out, offset, Number(value));
  if (value <= U64_MAX) {
    // Two 32-bit halves (balances live here): no string, two BigInt operations.
    const lo = Number(BigInt.asUintN(32, value));
    let hi = Number(value >> 32n); // >= 2^21 since value > 2^53
    const len = hi < 0x1000000 ? 7 : 8;
    out[offset] = ((len - 4) << 2) | 0b11;
    out[offset + 1] = lo & 0xff;
    out[offset + 2] = (lo >>> 8) & 0xff;
    out[offset + 3] = (lo >>> 16) & 0xff;
    out[offset + 4] = lo >>> 24;
    for (let i = 5; i <= len; i++) {
      out[offset + i] = hi & 0xff;
      hi >>>= 8;
    }
    return offset + 1 + len;
  }
  const len = bigByteLength(value);
  out[offset] = ((len - 4) << 2) | 0b11;
  // 32-bit limbs: a few BigInt operations instead of two per byte.
  let v = value;
  for (let i = 0; i < len; i += 4) {
    const limb = Number(BigInt.asUintN(32, v));
    v >>= 32n;
    for (let k = 0; k < 4 && i + k < len; k++) out[offset + 1 + i + k] = (limb >>> (8 * k)) & 0xff;
  }
  return offset + 1 + len;
}

export function encodeCompact(value: number | bigint): Uint8Array {
  const out = new Uint8Array(compactLength(value));
  writeCompact(out, 0, value);
  return out;
}

/** Offset after the value read by the last `readCompactValue` (saves allocating a pair on the hot path). */
export const compactEnd = { offset: 0 };

/**
 * Reads a compact integer at `offset` and sets `compactEnd`. Returns a number when it is a safe integer, otherwise
 * a bigint.
 */
export function readCompactValue(input: Uint8Array, offset: number): number | bigint {
  if (offset >= input.length) throw new ScaleDecodeError('compact: unexpected end of input', offset);
  const b0 = input[offset];
  switch (b0 & 0b11) {
    case 0b00:
      compactEnd.offset = offset + 1;
      return b0 >>> 2;
    case 0b01: {
      if (offset + 2 > input.length) throw new ScaleDecodeError('compact: unexpected end of input', offset);
      const v = (b0 | (input[offset + 1] << 8)) >>> 2;
      if (v < 0x40) throw new ScaleDecodeError('compact: non-canonical two-byte encoding', offset);
      compactEnd.offset = offset + 2;
      return v;
    }
    case 0b10: {
      if (offset + 4 > input.length) throw new ScaleDecodeError('compact: unexpected end of input', offset);
      const v =
        ((b0 | (input[offset + 1] << 8) | (input[offset + 2] << 16) | (input[offset + 3] << 24)) >>> 0) >>> 2;
      if (v < 0x4000) throw new ScaleDecodeError('compact: non-canonical four-byte encoding', offset);
      compactEnd.offset = offset + 4;
      return v;
    }
    default: {
      const len = (b0 >>> 2) + 4;
      if (len > 16) throw new ScaleDecodeError(`compact: ${len}-byte integer exceeds u128`, offset);
      if (offset + 1 + len > input.length)
        throw new ScaleDecodeError('compact: unexpected end of input', offset);
      if (input[offset + len] === 0)
        throw new ScaleDecodeError('compact: non-canonical big-integer encoding', offset);
      compactEnd.offset = offset + 1 + len;
      if (len <= 6) {
        let v = 0;
        for (let i = len; i >= 1; i--) v = v * 256 + input[offset + i];
        if (len === 4 && v < 0x40000000)
          throw new ScaleDecodeError('compact: non-canonical big-integer encoding', offset);
        return v;
      }
      // Top chunk of 1..4 bytes, then whole 32-bit limbs.
      let i = len;
      let chunk = 0;
      for (let k = len % 4 || 4; k > 0; k--) chunk = chunk * 256 + input[offset + i--];
      let v = BigInt(chunk);
      while (i >= 1) {
        const p = offset + i - 3;
        v =
          (v << 32n) |
          BigInt(input[p + 3] * 0x1000000 + ((input[p + 2] << 16) | (input[p + 1] << 8) | input[p]));
        i -= 4;
      }
      return v <= MAX_SAFE_BIG ? Number(v) : v;
    }
  }
}

/**
 * Reads a compact integer at `offset`. Returns the value (a number when it is a safe integer, otherwise a bigint)
 * and the offset after it.
 */
export function readCompact(input: Uint8Array, offset: number): [value: number | bigint, next: number] {
  const v = readCompactValue(input, offset);
  return [v, compactEnd.offset];
}

/** Reads a compact integer that must fit a JS number (lengths, counts); bigger values are a decode error. */
export function readCompactNumber(input: Uint8Array, offset: number): [value: number, next: number] {
  const v = readCompactValue(input, offset);
  if (typeof v !== 'number') throw new ScaleDecodeError('compact: length too large', offset);
  return [v, compactEnd.offset];
}
