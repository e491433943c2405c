/**
 * FRAME storage key hashing. `StorageHasher` uses the same indices as frame-metadata's `StorageHasher` enum so that
 * metadata can carry it as-is. Key layout (frame_support::storage): twox128(pallet) ++ twox128(item) ++ for each
 * map key: hasher(SCALE-encoded key).
 */
import { blake2_128, blake2_256, twox64, twox128, twox256 } from './hashing.ts';

export enum StorageHasher {
  Blake2_128 = 0,
  Blake2_256 = 1,
  Blake2_128Concat = 2,
  Twox128 = 3,
  Twox256 = 4,
  Twox64Concat = 5,
  Identity = 6,
}

/** Thrown when stored key bytes cannot be split according to their hasher (too short, opaque hasher). */
export class StorageKeyError extends Error {
  override name = 'StorageKeyError';
}

const textEncoder = new TextEncoder();

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function blake2_128Concat(data: Uint8Array): Uint8Array {
  return concat(blake2_128(data), data);
}

export function twox64Concat(data: Uint8Array): Uint8Array {
  return concat(twox64(data), data);
}

export function hashKey(hasher: StorageHasher, encodedKey: Uint8Array): Uint8Array {
  switch (hasher) {
    case StorageHasher.Blake2_128:
      return blake2_128(encodedKey);
    case StorageHasher.Blake2_256:
      return blake2_256(encodedKey);
    case StorageHasher.Blake2_128Concat:
      return blake2_128Concat(encodedKey);
    case StorageHasher.Twox128:
      return twox128(encodedKey);
    case StorageHasher.Twox256:
      return twox256(encodedKey);
    case StorageHasher.Twox64Concat:
      return twox64Concat(encodedKey);
    case StorageHasher.Identity:
      return encodedKey.slice();
    default:
      throw new StorageKeyError(`unknown storage hasher ${hasher as number}`);
  }
}

/** Length of the hash part a hasher puts before (concat hashers) or instead of (opaque hashers) the key. */
export function hasherPrefixLength(hasher: StorageHasher): number {
  switch (hasher) {
    case StorageHasher.Blake2_128:
    case StorageHasher.Blake2_128Concat:
    case StorageHasher.Twox128:
      return 16;
    case StorageHasher.Blake2_256:
    case StorageHasher.Twox256:
      return 32;
    case StorageHasher.Twox64Concat:
      return 8;
    case StorageHasher.Identity:
      return 0;
    default:
      throw new StorageKeyError(`unknown storage hasher ${hasher as number}`);
  }
}

/** True when the original key bytes follow the hash and can be recovered (Blake2_128Concat, Twox64Concat, Identity). */
export function isTransparentHasher(hasher: StorageHasher): boolean {
  return (
    hasher === StorageHasher.Blake2_128Concat ||
    hasher === StorageHasher.Twox64Concat ||
    hasher === StorageHasher.Identity
  );
}

/** twox128(pallet) ++ twox128(item): the prefix of every key of one storage item. */
export function storagePrefix(pallet: string, item: string): Uint8Array {
  return concat(twox128(textEncoder.encode(pallet)), twox128(textEncoder.encode(item)));
}

/** Full key of a (possibly N-)map entry: storagePrefix ++ hasher_1(key_1) ++ ... ++ hasher_n(key_n). */
export function storageMapKey(
  pallet: string,
  item: string,
  ...keys: Array<[hasher: StorageHasher, encodedKey: Uint8Array]>
): Uint8Array {
  const parts = [storagePrefix(pallet, item), ...keys.map(([h, k]) => hashKey(h, k))];
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * Splits one hashed key segment off `bytes` (which starts at that segment) for a transparent hasher and returns the
 * original encoded key and the remaining bytes. `keyLength` is the encoded key's byte length; it may be omitted
 * only for the last segment, which then takes everything that is left (SCALE-decoding the key tells the length for
 * variable-length keys: decode first, then call with the consumed length).
 */
export function splitHashedKey(
  hasher: StorageHasher,
  bytes: Uint8Array,
  keyLength?: number,
): { key: Uint8Array; rest: Uint8Array } {
  if (!isTransparentHasher(hasher)) {
    throw new StorageKeyError(
      `hasher ${StorageHasher[hasher] ?? hasher} is opaque: the key cannot be recovered`,
    );
  }
  const skip = hasherPrefixLength(hasher);
  const end = keyLength === undefined ? bytes.length : skip + keyLength;
  if (keyLength !== undefined && (!Number.isInteger(keyLength) || keyLength < 0)) {
    throw new StorageKeyError(`invalid key length ${keyLength}`);
  }
  if (bytes.length < skip || end > bytes.length) {
    throw new StorageKeyError(
      `hashed key segment needs ${keyLength === undefined ? `at least ${skip}` : end} bytes, got ${bytes.length}`,
    );
  }
  return { key: bytes.subarray(skip, end), rest: bytes.subarray(end) };
}

/** The original key bytes of a single-key map entry with a transparent hasher, given the full storage key. */
export function mapKeyFromStorageKey(hasher: StorageHasher, storageKey: Uint8Array): Uint8Array {
  if (storageKey.length < 32)
    throw new StorageKeyError('storage key shorter than its 32-byte pallet/item prefix');
  return splitHashedKey(hasher, storageKey.subarray(32)).key;
}
