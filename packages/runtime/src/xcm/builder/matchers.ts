/**
 * xcm-builder's asset matchers (`asset_conversion.rs`, `MatchesFungible(s)`): which assets an adapter handles and
 * as what. A matcher that does not handle an asset throws `XcmFailure(AssetNotFound)` (Rust's
 * `MatchError::AssetNotHandled`), so a transactor tuple moves on; one that handles it but cannot convert its id
 * throws `FailedToTransactAsset` (`AssetIdConversionFailed`), which stops the tuple, as in Rust.
 */
import { type Asset, type Junction, type Location, locationEquals, startsWith } from '../index.ts';
import { xcmFail } from '../executor/errors.ts';

/** `MatchesFungible<Balance>`: the amount of a handled asset. */
export type MatchesFungible = (asset: Asset) => bigint | undefined;
/** `MatchesFungibles<AssetId, Balance>`: the local id and amount of a handled asset; throws `XcmFailure`. */
export type MatchesFungibles<Id> = (asset: Asset) => { id: Id; amount: bigint };

/** `IsConcrete<T>`: fungible `T` (e.g. `Here` for the native token, `Parent` for the relay token). */
export function isConcrete(location: Location): MatchesFungible {
  return (asset) =>
    asset.fun.type === 'Fungible' && locationEquals(asset.id, location) ? asset.fun.value : undefined;
}

/** `ConvertedConcreteId<AssetId, Balance, ConvertAssetId, _>`: every fungible; its id converted (or failing). */
export function convertedConcreteId<Id>(
  convert: (location: Location) => Id | undefined,
): MatchesFungibles<Id> {
  return matchedConvertedConcreteId(() => true, convert);
}

/** `MatchedConvertedConcreteId<_, _, MatchAssetId, ConvertAssetId, _>`: fungibles whose id `matches`. */
export function matchedConvertedConcreteId<Id>(
  matches: (location: Location) => boolean,
  convert: (location: Location) => Id | undefined,
): MatchesFungibles<Id> {
  return (asset) => {
    if (asset.fun.type !== 'Fungible' || !matches(asset.id)) throw xcmFail('AssetNotFound');
    const id = convert(asset.id);
    if (id === undefined) throw xcmFail('FailedToTransactAsset', 'AssetIdConversionFailed');
    return { id, amount: asset.fun.value };
  };
}

/** `StartsWith<Prefix>` for asset ids. */
export const startsWithLocation =
  (prefix: Location) =>
  (l: Location): boolean =>
    startsWith(l, prefix);

/** `AsPrefixedGeneralIndex<Prefix, AssetId, _>`: `prefix ++ GeneralIndex(i)` ↔ `i` (u32 ids). */
export function asPrefixedGeneralIndex(prefix: Location): (l: Location) => number | undefined {
  return (l) => {
    if (l.parents !== prefix.parents || l.interior.length !== prefix.interior.length + 1) return undefined;
    if (!startsWith({ parents: l.parents, interior: l.interior.slice(0, -1) }, prefix)) return undefined;
    const j: Junction = l.interior[l.interior.length - 1];
    return j.type === 'GeneralIndex' && j.value <= 0xffff_ffffn ? Number(j.value) : undefined;
  };
}

/** Foreign assets keyed by their `Location` itself (Asset Hub's `ForeignAssets`). */
export const asLocation = (l: Location): Location => l;
