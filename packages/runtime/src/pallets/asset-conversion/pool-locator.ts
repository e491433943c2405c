/**
 * `T::PoolLocator` (types.rs `WithFirstAsset`, `Ascending`, `Chain`) and the pool id → account converters
 * (`AccountIdConverter<Seed, PoolId>`, `AccountIdConverterNoSeed<PoolId>`). Pure functions: a pool's id and account
 * follow from its two assets alone.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { type Location, locationEquals, LocationCodec } from '../../xcm/index.ts';
import type { PoolAccountScheme, PoolId, PoolLocatorKind } from './types.ts';

/** `WithFirstAsset<First>::pool_id`: (first, other) when exactly one side is `first`, else none. */
export function withFirstAsset(first: Location, asset1: Location, asset2: Location): PoolId | undefined {
  if (locationEquals(asset1, asset2)) return undefined;
  if (locationEquals(first, asset1)) return [first, asset2];
  if (locationEquals(first, asset2)) return [first, asset1];
  return undefined;
}

/** `Ascending::pool_id`: the pair in Rust's `Ord` of `Location`; none for equal assets. */
export function ascending(asset1: Location, asset2: Location): PoolId | undefined {
  const c = LocationCodec.compare(asset1, asset2);
  if (c > 0) return [asset2, asset1];
  if (c < 0) return [asset1, asset2];
  return undefined;
}

/** `PoolLocator::pool_id` of the configured locator (`Chain` falls back to the second when the first refuses). */
export function poolIdOf(
  kind: PoolLocatorKind,
  native: Location,
  asset1: Location,
  asset2: Location,
): PoolId | undefined {
  switch (kind) {
    case 'WithFirstAsset':
      return withFirstAsset(native, asset1, asset2);
    case 'Ascending':
      return ascending(asset1, asset2);
    case 'WithFirstAssetThenAscending':
      return withFirstAsset(native, asset1, asset2) ?? ascending(asset1, asset2);
  }
}

/**
 * The pool's account: blake2_256 of `(PalletId, pool_id)` (or of `pool_id` alone for `NoSeed`) read as an account
 * id through `TrailingZeroInput`: 32-byte accounts are the hash, 20-byte accounts its first 20 bytes.
 */
export function poolAccountOf(
  scheme: PoolAccountScheme,
  palletId: Uint8Array,
  poolId: PoolId,
  accountLength: 32 | 20,
): Uint8Array {
  const a = LocationCodec.encode(poolId[0]);
  const b = LocationCodec.encode(poolId[1]);
  const seed = scheme === 'PalletIdSeed' ? palletId : new Uint8Array();
  const preimage = new Uint8Array(seed.length + a.length + b.length);
  preimage.set(seed, 0);
  preimage.set(a, seed.length);
  preimage.set(b, seed.length + a.length);
  return blake2_256(preimage).slice(0, accountLength);
}
