/**
 * The CIDs a storage challenge walks (multiformats CID spec): a file's CID as the market keys it (the CID string's
 * bytes: CIDv0 `Qm…` in base58btc, CIDv1 `b…` base32 or `z…` base58btc) and the binary CIDs in dag-pb links
 * (CIDv0: the bare sha2-256 multihash; CIDv1: 0x01 ‖ varint codec ‖ multihash). Only what a challenge can check on
 * chain is accepted as checkable: sha2-256 digests of dag-pb or raw blocks.
 */

export class CidError extends Error {
  override name = 'CidError';
}

export const CODEC_DAG_PB = 0x70;
export const CODEC_RAW = 0x55;
export const MH_SHA2_256 = 0x12;
export const MH_IDENTITY = 0x00;

export interface Cid {
  version: 0 | 1;
  codec: number;
  /** Multihash function code (0x12 sha2-256, 0x00 identity, …). */
  hashCode: number;
  digest: Uint8Array;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
const MAX_CID_STRING = 512;

function base58Decode(s: string): Uint8Array {
  const bytes: number[] = [0];
  for (const ch of s) {
    const v = B58.indexOf(ch);
    if (v < 0) throw new CidError(`'${ch}' is not base58btc`);
    let carry = v;
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i] * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  let zeros = 0;
  while (zeros < s.length && s[zeros] === '1') zeros++;
  const out = bytes.reverse();
  while (out.length > 0 && out[0] === 0) out.shift();
  return new Uint8Array([...new Array(zeros).fill(0), ...out]);
}

function base32Decode(s: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new CidError(`'${ch}' is not base32 (lower case, no padding)`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0)
    throw new CidError('base32: non-canonical trailing bits');
  return new Uint8Array(out);
}

/** An unsigned varint (at most 9 bytes, as multiformats allows) at `offset`: [value, next offset]. */
export function readVarint(b: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = offset; i < b.length && i < offset + 9; i++) {
    const byte = b[i];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      if (byte === 0 && i > offset) throw new CidError('varint: not minimal');
      if (value > Number.MAX_SAFE_INTEGER) throw new CidError('varint: too large');
      return [value, i + 1];
    }
    shift += 7;
  }
  throw new CidError('varint: truncated or longer than 9 bytes');
}

function parseMultihash(
  b: Uint8Array,
  offset: number,
): { hashCode: number; digest: Uint8Array; end: number } {
  const [hashCode, o1] = readVarint(b, offset);
  const [length, o2] = readVarint(b, o1);
  if (o2 + length > b.length) throw new CidError('multihash: digest shorter than its length');
  return { hashCode, digest: b.subarray(o2, o2 + length), end: o2 + length };
}

/** A binary CID (as in a dag-pb link); the whole input must be the CID. */
export function parseBinaryCid(b: Uint8Array): Cid {
  if (b.length === 34 && b[0] === MH_SHA2_256 && b[1] === 32) {
    return { version: 0, codec: CODEC_DAG_PB, hashCode: MH_SHA2_256, digest: b.subarray(2) };
  }
  const [version, o1] = readVarint(b, 0);
  if (version !== 1) throw new CidError(`unsupported CID version ${version}`);
  const [codec, o2] = readVarint(b, o1);
  const mh = parseMultihash(b, o2);
  if (mh.end !== b.length) throw new CidError('trailing bytes after the CID');
  return { version: 1, codec, hashCode: mh.hashCode, digest: mh.digest };
}

/** A CID string's bytes as the market stores them (`Qm…`, `b…`, `z…`). */
export function parseCidString(bytes: Uint8Array): Cid {
  if (bytes.length === 0 || bytes.length > MAX_CID_STRING) throw new CidError('CID string empty or too long');
  const s = String.fromCharCode(...bytes);
  if (s.length === 46 && s.startsWith('Qm')) {
    const mh = base58Decode(s);
    if (mh.length !== 34 || mh[0] !== MH_SHA2_256 || mh[1] !== 32)
      throw new CidError('CIDv0 is not a sha2-256 multihash');
    return parseBinaryCid(mh);
  }
  if (s[0] === 'b') return parseBinaryCid(base32Decode(s.slice(1)));
  if (s[0] === 'z') {
    const cid = parseBinaryCid(base58Decode(s.slice(1)));
    if (cid.version === 0) throw new CidError('a CIDv1 string holds a CIDv0');
    return cid;
  }
  throw new CidError('not a CIDv0 (Qm…) or a base32/base58btc CIDv1 string');
}

/** Whether a block named by `cid` can be checked on chain: sha2-256 of a dag-pb or raw block. */
export function isCheckable(cid: Cid): boolean {
  return (
    cid.hashCode === MH_SHA2_256 &&
    cid.digest.length === 32 &&
    (cid.codec === CODEC_DAG_PB || cid.codec === CODEC_RAW)
  );
}
