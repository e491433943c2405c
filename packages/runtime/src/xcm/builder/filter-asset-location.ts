/**
 * xcm-builder `filter_asset_location.rs`: `IsReserve` / `IsTeleporter` filters over (asset, origin) pairs, and
 * pallet-xcm's `LocationWithAssetFilters` over (location, assets) for its transfer extrinsics.
 */
import {
  type Asset,
  type AssetFilter,
  type Location,
  AssetIdCodec,
  assetsContain,
  locationEquals,
} from '../index.ts';
import type { ContainsPair } from '../executor/traits.ts';

/** `NativeAsset`: an origin is the reserve (or teleporter) of the assets it is the location of. */
export const nativeAsset: ContainsPair<Asset, Location> = (asset, origin) => locationEquals(asset.id, origin);

/** `AssetFilter::matches`. */
export function filterMatches(filter: AssetFilter, asset: Asset): boolean {
  if (filter.type === 'Definite') return assetsContain(filter.value, asset);
  const w = filter.value;
  if (w.type === 'All' || w.type === 'AllCounted') return true;
  if (AssetIdCodec.compare(w.value.id, asset.id) !== 0) return false;
  return w.value.fun.type === asset.fun.type;
}

/** `Case<T>` with `T::get() = (filter, location)`: assets `filter` matches, from `location` only. */
export function caseOf(filter: AssetFilter, location: Location): ContainsPair<Asset, Location> {
  return (asset, origin) => filterMatches(filter, asset) && locationEquals(origin, location);
}

/** `()` / `Nothing`: no (asset, origin) pair. */
export const noAssetLocation: ContainsPair<Asset, Location> = () => false;

/** `LocationWithAssetFilters<LocationFilter, AssetFilters>`: every asset matched by one of `filters`. */
export function locationWithAssetFilters(
  locationFilter: (l: Location) => boolean,
  filters: readonly AssetFilter[],
): (pair: [Location, readonly Asset[]]) => boolean {
  return ([location, assets]) =>
    locationFilter(location) && assets.every((a) => filters.some((f) => filterMatches(f, a)));
}
