/**
 * SCALE compact integers (Polkadot spec §B.1.1.4): the two low bits of the first byte pick the mode.
 * 0b00 single byte (< 2^6), 0b01 two bytes (< 2^14), 0b10 four bytes (< 2^30), 0b11 big-integer mode where the
 * upper six bits give (byte length - 4). Decoding rejects non-canonical forms, as parity-scale-codec does.
 */
import { ScaleDecodeError, ScaleEncodeError } from './errors.ts';

const MAX_U128 = (1n << 128n) - 1n;

/** Byte length of the compact encoding of `value` without allocating. */
export function compactLength(value: number | bigint): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      throw new ScaleEncodeError(`compact: ${value} is not a non-negative integer`);
    if (value < 0x40) return 1;
    if (value < 0x4000) return 2;
    if (value < 0x40000000) return 4;
    if (value < 2 ** 32) return 5;
    value = BigInt(value);
  }
  if (typeof value !== 'bigint' || value < 0n || value > MAX_U128)
    throw new ScaleEncodeError(`compact: ${String(value)} out of range 0..2^128-1`);
  if (value < 0x40000000n) return compactLength(Number(value));
  let bytes = 0;
  for (let v = value; v > 0n; v >>= 8n) bytes++;
  return 1 + Math.max(bytes, 4);
}

/** Writes the compact encoding of `value` into `out` at `offset`; returns the new offset. */
export function writeCompact(out: Uint8Array, offset: number, value: number | bigint): number {
  if (typeof value === 'number' && (!Number.isInteger(value) || value < 0)) {
    throw new ScaleEncodeError(`compact: ${value} is not a non-negative integer`);
  }
  if (typeof value !== 'number' && (typeof value !== 'bigint' || value < 0n || value > MAX_U128)) {
    throw new ScaleEncodeError(`compact: ${String(value)} out of range 0..2^128-1`);
  }
  const n = typeof value === 'number' ? value : value < 0x40000000n ? Number(value) : -1;
  if (n >= 0 && n < 0x40) {
    out[offset] = n << 2;
    return offset + 1;
  }
  if (n >= 0 && n < 0x4000) {
    const v = (n << 2) | 0b01;
    out[offset] = v & 0xff;
    out[offset + 1] = v >>> 8;
    return offset + 2;
  }
  if (n >= 0 && n < 0x40000000) {
    const v = ((n << 2) | 0b10) >>> 0;
    out[offset] = v & 0xff;
    out[offset + 1] = (v >>> 8) & 0xff;
    out[offset + 2] = (v >>> 16) & 0xff;
    out[offset + 3] = v >>> 24;
    return offset + 4;
  }
  let big = BigInt(value);
  const len = compactLength(big) - 1;
  out[offset] = ((len - 4) << 2) | 0b11;
  for (let i = 1; i <= len; i++) {
    out[offset + i] = Number(big & 0xffn);
    big >>= 8n;
  }
  return offset + 1 + len;
}

export function encodeCompact(value: number | bigint): Uint8Array {
  const out = new Uint8Array(compactLength(value));
  writeCompact(out, 0, value);
  return out;
}

/**
 * Reads a compact integer at `offset`. Returns the value (a number when it is a safe integer, otherwise a bigint)
 * and the offset after it.
 */
export function readCompact(input: Uint8Array, offset: number): [value: number | bigint, next: number] {
  if (offset >= input.length) throw new ScaleDecodeError('compact: unexpected end of input', offset);
  const b0 = input[offset];
  switch (b0 & 0b11) {
    case 0b00:
      return [b0 >>> 2, offset + 1];
    case 0b01: {
      if (offset + 2 > input.length) throw new ScaleDecodeError('compact: unexpected end of input', offset);
      const v = (b0 | (input[offset + 1] << 8)) >>> 2;
      if (v < 0x40) throw new ScaleDecodeError('compact: non-canonical two-byte encoding', offset);
      return [v, offset + 2];
    }
    case 0b10: {
      if (offset + 4 > input.length) throw new ScaleDecodeError('compact: unexpected end of input', offset);
      const v =
        ((b0 | (input[offset + 1] << 8) | (input[offset + 2] << 16) | (input[offset + 3] << 24)) >>> 0) >>> 2;
      if (v < 0x4000) throw new ScaleDecodeError('compact: non-canonical four-byte encoding', offset);
      return [v, offset + 4];
    }
    default: {
      const len = (b0 >>> 2) + 4;
      if (len > 16) throw new ScaleDecodeError(`compact: ${len}-byte integer exceeds u128`, offset);
      if (offset + 1 + len > input.length)
        throw new ScaleDecodeError('compact: unexpected end of input', offset);
      let v = 0n;
      for (let i = len; i >= 1; i--) v = (v << 8n) | BigInt(input[offset + i]);
      if (input[offset + len] === 0)
        throw new ScaleDecodeError('compact: non-canonical big-integer encoding', offset);
      if (len === 4 && v < 0x40000000n)
        throw new ScaleDecodeError('compact: non-canonical big-integer encoding', offset);
      return [v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v, offset + 1 + len];
    }
  }
}

/** Reads a compact integer that must fit a JS number (lengths, counts); bigger values are a decode error. */
export function readCompactNumber(input: Uint8Array, offset: number): [value: number, next: number] {
  const [v, next] = readCompact(input, offset);
  if (typeof v !== 'number') throw new ScaleDecodeError('compact: length too large', offset);
  return [v, next];
}
