/**
 * The hash functions and codecs `block/put` and `dag/import` accept, by their multicodec table names
 * (github.com/multiformats/multicodec table.csv), and the digest each block is checked against. The hash
 * functions are the ones Kubo's verifcid allows that node:crypto or @polkadot/util-crypto compute; names from
 * the table we cannot compute are refused with a reason rather than stored unverifiable.
 */
import { createHash } from 'node:crypto';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { GatewayError } from './errors.ts';

/**
 * A hash function or codec that cannot be used. Kubo fails the command with these after parsing its options
 * (`fmt.Errorf` in `block put`), so they are its plain command errors: HTTP 500, Code 0.
 */
export class BlockOptionError extends GatewayError {
  override name = 'BlockOptionError';
  override readonly status = 500;
}

export interface HashFunction {
  name: string;
  code: number;
  /** Digest length in bytes (-1: the data's own length, identity). */
  length: number;
  digest(bytes: Uint8Array): Uint8Array;
}

const node = (algorithm: string) => (bytes: Uint8Array) => createHash(algorithm).update(bytes).digest();

/** Identity CIDs carry their data; Kubo (boxo verifcid) refuses identity digests above 128 bytes. */
export const MAX_IDENTITY_DIGEST = 128;

const HASHES: HashFunction[] = [
  { name: 'identity', code: 0x00, length: -1, digest: (b) => b },
  { name: 'sha2-256', code: 0x12, length: 32, digest: node('sha256') },
  { name: 'sha2-512', code: 0x13, length: 64, digest: node('sha512') },
  { name: 'sha3-512', code: 0x14, length: 64, digest: node('sha3-512') },
  { name: 'sha3-384', code: 0x15, length: 48, digest: node('sha3-384') },
  { name: 'sha3-256', code: 0x16, length: 32, digest: node('sha3-256') },
  { name: 'sha3-224', code: 0x17, length: 28, digest: node('sha3-224') },
  { name: 'blake2b-256', code: 0xb220, length: 32, digest: (b) => blake2AsU8a(b, 256) },
  { name: 'blake2b-512', code: 0xb240, length: 64, digest: (b) => blake2AsU8a(b, 512) },
];
const BY_NAME = new Map(HASHES.map((h) => [h.name, h]));
// go-multihash's `Names` also has `sha3` for sha3-512 (Kubo t0050-block: `--mhtype=sha3`).
BY_NAME.set('sha3', BY_NAME.get('sha3-512')!);

/** Kubo (boxo verifcid) refuses digests shorter than this; a truncated digest may not go below it. */
export const MIN_DIGEST_LENGTH = 20;
const BY_CODE = new Map(HASHES.map((h) => [h.code, h]));

/** Names in the multihash table that Kubo knows and we cannot compute here. */
const KNOWN_UNSUPPORTED = new Set([
  'sha1',
  'md5',
  'keccak-224',
  'keccak-256',
  'keccak-384',
  'keccak-512',
  'shake-128',
  'shake-256',
  'murmur3-x64-64',
  'murmur3-32',
  'sha2-384',
  'sha2-224',
  'sha2-512-224',
  'sha2-512-256',
  'blake3',
  'dbl-sha2-256',
  'x11',
  'poseidon-bls12_381-a2-fc1',
]);

/** A hash function by name (`mhtype`); Kubo's words for a name it does not know. */
export function hashByName(name: string): HashFunction {
  const hash = BY_NAME.get(name);
  if (hash) return hash;
  if (KNOWN_UNSUPPORTED.has(name) || /^blake2[bs]-\d+$/.test(name) || /^skein/.test(name)) {
    throw new BlockOptionError(`multihash function ${name} is not supported by this gateway`);
  }
  throw new BlockOptionError(`unrecognized multihash function: ${name.slice(0, 40)}`);
}

export function hashByCode(code: number): HashFunction | undefined {
  return BY_CODE.get(code);
}

/** Codecs a block may be labelled with (multicodec table, the IPLD ones). */
const CODECS: Record<string, number> = {
  raw: 0x55,
  'dag-pb': 0x70,
  'dag-cbor': 0x71,
  'libp2p-key': 0x72,
  'git-raw': 0x78,
  'dag-jose': 0x85,
  'dag-cose': 0x86,
  'dag-json': 0x0129,
  json: 0x0200,
  cbor: 0x51,
};

/** A codec by name or number (`cid-codec`, go-multicodec's `Code.Set`). */
export function codecByName(name: string): number {
  if (Object.hasOwn(CODECS, name)) return CODECS[name]!;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(name)) {
    const code = Number(name);
    if (Object.values(CODECS).includes(code)) return code;
  }
  throw new BlockOptionError(`unknown multicodec: ${JSON.stringify(name.slice(0, 40))}`);
}

/** Thrown by {@link verifiedCid} when the bytes do not hash to the CID. */
export class DigestMismatchError extends Error {
  override name = 'DigestMismatchError';
}

/** The digest of `bytes` under `hash`, as a multihash. */
export function multihashOf(hash: HashFunction, bytes: Uint8Array, length = -1) {
  if (hash.code === 0x00 && bytes.byteLength > MAX_IDENTITY_DIGEST) {
    throw new BlockOptionError(
      `identity digest of ${bytes.byteLength} bytes is above the limit of ${MAX_IDENTITY_DIGEST} bytes`,
    );
  }
  const digest = hash.digest(bytes);
  // go-multihash `Sum(data, code, length)`: a shorter length truncates the digest.
  return Digest.create(hash.code, length === -1 ? digest : digest.subarray(0, length));
}

/** Checks `mhlen` for `hash`: -1 (its own length) or a truncation between 20 bytes and its length. */
export function digestLength(hash: HashFunction, text: string | null): number {
  if (text === null || text === '' || text === '-1') return -1;
  if (!/^-?\d{1,6}$/.test(text)) throw new BlockOptionError(`mhlen: invalid integer "${text.slice(0, 20)}"`);
  const n = Number(text);
  if (hash.length === -1) throw new BlockOptionError(`mhlen cannot be set for ${hash.name}`);
  if (n > hash.length) throw new BlockOptionError('requested length was too large for digest');
  if (n < MIN_DIGEST_LENGTH) {
    throw new BlockOptionError(`digests must be at least ${MIN_DIGEST_LENGTH} bytes long (mhlen ${n})`);
  }
  return n === hash.length ? -1 : n;
}

/**
 * Checks that `bytes` hash to `cid`: the digest is recomputed with the CID's own hash function. Throws
 * {@link DigestMismatchError} on a mismatch, or when the function is not one we compute.
 */
export function checkBlock(cid: CID, bytes: Uint8Array): void {
  const hash = hashByCode(cid.multihash.code);
  if (hash === undefined) {
    throw new DigestMismatchError(
      `cannot verify ${cid}: hash function 0x${cid.multihash.code.toString(16)} is not supported`,
    );
  }
  if (hash.code === 0x00 && cid.multihash.size > MAX_IDENTITY_DIGEST) {
    throw new DigestMismatchError(
      `identity CID ${cid.toString().slice(0, 80)}… is above ${MAX_IDENTITY_DIGEST} bytes`,
    );
  }
  const expected = cid.multihash.digest;
  const full = hash.digest(bytes);
  // A truncated digest (at least 20 bytes) is the start of the full one.
  const truncated =
    hash.length !== -1 && expected.byteLength >= MIN_DIGEST_LENGTH && expected.byteLength < full.byteLength;
  const digest = truncated ? full.subarray(0, expected.byteLength) : full;
  if (digest.byteLength !== expected.byteLength || !digest.every((b, i) => b === expected[i])) {
    throw new DigestMismatchError(`mismatch in content integrity, expected: ${cid}`);
  }
}

/** The CID of `bytes` with `codec` and `hash` (CIDv1; CIDv0 only for dag-pb + sha2-256). */
export function cidOf(
  bytes: Uint8Array,
  codec: number,
  hash: HashFunction,
  version: 0 | 1,
  length = -1,
): CID {
  const mh = multihashOf(hash, bytes, length);
  return version === 0 ? CID.createV0(mh as never) : CID.createV1(codec, mh);
}
