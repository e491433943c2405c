/**
 * The asset trap and its claims (pallet-xcm's `DropAssets` / `ClaimAssets`), over a small store of trap counts
 * (pallet-xcm's `AssetTraps` map): what an execution leaves in holding is trapped under
 * `blake2_256((origin, VersionedAssets::from(assets)).encode())`; `ClaimAsset` with the same origin and assets takes
 * it back (the ticket `(0, [GeneralIndex(v)])` names the XCM version the assets were trapped in, `Here` the latest).
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { ZERO_WEIGHT } from '../../frame/weights.ts';
import {
  type Assets,
  type Location,
  LocationCodec,
  type VersionedAssets,
  VersionedAssetsCodec,
  assetsIntoVersion,
} from '../index.ts';
import type { AssetsInHolding } from '../executor/holding.ts';
import type { ClaimAssets, DropAssets } from '../executor/traits.ts';

/** `BlakeTwo256::hash_of(&(origin, versioned_assets))`. */
export function assetTrapHash(origin: Location, assets: VersionedAssets): Uint8Array {
  const o = LocationCodec.encode(origin);
  const a = VersionedAssetsCodec.encode(assets);
  const both = new Uint8Array(o.length + a.length);
  both.set(o);
  both.set(a, o.length);
  return blake2_256(both);
}

/** Where trap counts live (pallet-xcm's `AssetTraps`), and who is told (its events). */
export interface AssetTrapStore {
  count(hash: Uint8Array): number;
  setCount(hash: Uint8Array, n: number): void;
  onTrapped?(hash: Uint8Array, origin: Location, assets: VersionedAssets): void;
  onClaimed?(hash: Uint8Array, origin: Location, assets: VersionedAssets): void;
}

/** The `VersionedAssets` a claim's ticket asks for, or undefined when the ticket is not a version ticket. */
export function claimedVersion(ticket: Location, assets: Assets): VersionedAssets | undefined {
  const latest: VersionedAssets = { type: 'V5', value: assets };
  if (ticket.parents !== 0) return undefined;
  if (ticket.interior.length === 0) return latest;
  const j = ticket.interior[0];
  if (ticket.interior.length !== 1 || j.type !== 'GeneralIndex' || j.value > 0xffff_ffffn) return undefined;
  try {
    return assetsIntoVersion(latest, Number(j.value));
  } catch {
    return undefined;
  }
}

/** `impl DropAssets + ClaimAssets for pallet_xcm::Pallet` over `store`. */
export function assetTrap(store: AssetTrapStore): DropAssets & ClaimAssets {
  return {
    dropAssets(origin: Location, holding: AssetsInHolding) {
      if (holding.isEmpty()) return ZERO_WEIGHT;
      const versioned: VersionedAssets = { type: 'V5', value: holding.assets() };
      const hash = assetTrapHash(origin, versioned);
      store.setCount(hash, store.count(hash) + 1);
      store.onTrapped?.(hash, origin, versioned);
      // polkadot-sdk charges nothing here either (TODO #3735 upstream).
      return ZERO_WEIGHT;
    },
    claimAssets(origin: Location, ticket: Location, assets: Assets) {
      const versioned = claimedVersion(ticket, assets);
      if (!versioned) return false;
      const hash = assetTrapHash(origin, versioned);
      const n = store.count(hash);
      if (n === 0) return false;
      store.setCount(hash, n - 1);
      store.onClaimed?.(hash, origin, versioned);
      return true;
    },
  };
}
