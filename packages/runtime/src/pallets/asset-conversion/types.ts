/**
 * pallet-asset-conversion's types (polkadot-sdk substrate/frame/asset-conversion/src/types.rs) as Asset Hub
 * instantiates them: `AssetKind = xcm::v5::Location`, `PoolId = (AssetKind, AssetKind)`, `PoolAssetId = u32`,
 * `Balance = u128`; and the `Config` a runtime passes in.
 */
import { newtype } from '../../extrinsic/newtype.ts';
import type { Codec } from '../../scale/codec.ts';
import { struct, tuple, vec } from '../../scale/composite.ts';
import { bytesFixed, u128, u32 } from '../../scale/primitives.ts';
import { type Location, LocationCodec } from '../../xcm/index.ts';
import type { Fungibles } from '../assets/pallet.ts';
import type { ConversionAssets } from './adapter.ts';

type AccountId = Uint8Array;

/** `T::AssetKind`: an XCM location (`xcm::v5::Location`), the chain's own token being `{ parents: 0, interior: [] }`. */
export const AssetKindCodec: Codec<Location> = LocationCodec;

/** `T::PoolId`: the pair as the pool locator orders it. */
export type PoolId = [Location, Location];
export const PoolIdCodec: Codec<PoolId> = tuple(AssetKindCodec, AssetKindCodec) as unknown as Codec<PoolId>;

/** `PoolInfo<PoolAssetId>`: which `PoolAssets` token is the pool's LP token. */
export interface PoolInfo {
  lp_token: number;
}
export const PoolInfoCodec: Codec<PoolInfo> = struct(
  { lp_token: u32 },
  { lp_token: 'PoolAssetId' },
  { lp_token: [' Liquidity pool asset'] },
).named(['pallet_asset_conversion', 'types', 'PoolInfo'], {
  params: [{ name: 'PoolAssetId', type: u32 }],
  docs: [' Stores the lp_token asset id a particular pool has been assigned.'],
});

/** `BalancePath<T>`: each asset of a swap with the amount moved into the next pool (the first: the amount in). */
export type BalancePath = Array<[Location, bigint]>;
export const BalancePathCodec: Codec<BalancePath> = vec(
  tuple(AssetKindCodec, u128),
) as unknown as Codec<BalancePath>;

/** `sp_arithmetic::Permill`: parts per million (a u32). */
export const PermillCodec: Codec<number> = newtype(u32, ['sp_arithmetic', 'per_things', 'Permill'], 'u32');
export const PERMILL_ONE = 1_000_000;

/** `frame_support::PalletId`: 8 bytes. */
export const PalletIdCodec: Codec<Uint8Array> = newtype(
  bytesFixed(8),
  ['frame_support', 'PalletId'],
  '[u8; 8]',
);
/** `PalletId(*b"py/ascon")`, Asset Hub's `AssetConversionPalletId`. */
export const ASSET_CONVERSION_PALLET_ID = new TextEncoder().encode('py/ascon');

/**
 * `T::PoolLocator`: how a pair of assets names its pool.
 * - `WithFirstAsset`: every pool holds the native asset, which comes first (Asset Hub);
 * - `Ascending`: any pair, in Rust's `Ord` of `Location`;
 * - `WithFirstAssetThenAscending`: `Chain<WithFirstAsset, Ascending>` (the pallet's own mock).
 */
export type PoolLocatorKind = 'WithFirstAsset' | 'Ascending' | 'WithFirstAssetThenAscending';

/**
 * How a pool id becomes the pool's account (`T::PoolLocator`'s `AccountIdConverter`):
 * - `PalletIdSeed`: `AccountIdConverter<PalletId, PoolId>`: blake2_256(SCALE((PalletId, pool_id))), Asset Hub today;
 * - `NoSeed`: `AccountIdConverterNoSeed<PoolId>`: blake2_256(SCALE(pool_id)), Asset Hub before the
 *   asset-conversion-ops migration.
 * Either way the 32 hash bytes are decoded as the account (`TrailingZeroInput`): a 20-byte account takes the first 20.
 */
export type PoolAccountScheme = 'PalletIdSeed' | 'NoSeed';

/** What a runtime passes as AssetConversion's config (FRAME's `Config`, with Asset Hub's values as defaults). */
export interface AssetConversionConfig {
  /** `T::Assets`: every asset a pool can hold, by kind: build it with `nativeAndAssets(...)` (adapter.ts). */
  assets: ConversionAssets;
  /** `T::PoolAssets`: the LP tokens, an assets instance with u32 ids (`defineAssets({ name: 'PoolAssets' })`'s
   * `fungibles`, its deposits 0). The pallet creates one token per pool, owned by the pool's account. */
  poolAssets: Fungibles<number>;
  /** The chain's own token as an asset kind (`WithFirstAsset`'s first asset): `{ parents: 0, interior: [] }` on
   * Crust, `Location::parent()` on Asset Hub. */
  native: Location;
  /** Default `WithFirstAsset`. */
  poolLocator?: PoolLocatorKind;
  /** Default `PalletIdSeed`. */
  poolAccount?: PoolAccountScheme;
  /** `T::PalletId`; default `py/ascon`. */
  palletId?: Uint8Array;
  /** `T::LPFee`: the liquidity providers' share of every swap in permille (tenths of a percent); default 3 (0.3%). */
  lpFee?: number;
  /** `T::PoolSetupFee`, paid by `create_pool`; default 0 (Asset Hub). */
  poolSetupFee?: bigint;
  /** `T::PoolSetupFeeAsset`; default `native`. */
  poolSetupFeeAsset?: Location;
  /** `T::PoolSetupFeeTarget` (`ResolveAssetTo<account>`): who receives the setup fee; absent, the fee is burned. */
  poolSetupFeeTarget?: AccountId;
  /** `T::LiquidityWithdrawalFee` in parts per million of the LP tokens burned; default 0. */
  liquidityWithdrawalFee?: number;
  /** `T::MintMinLiquidity`: LP tokens locked in the pool at its first deposit; default 100. */
  mintMinLiquidity?: bigint;
  /** `T::MaxSwapPathLength`: most assets in a swap path; default 3 (Asset Hub), at least 2. */
  maxSwapPathLength?: number;
}

/** The config with every default applied. */
export type ResolvedConfig = Required<Omit<AssetConversionConfig, 'poolSetupFeeTarget'>> &
  Pick<AssetConversionConfig, 'poolSetupFeeTarget'>;

export class AssetConversionConfigError extends Error {
  override name = 'AssetConversionConfigError';
}

export function resolveConfig(c: AssetConversionConfig): ResolvedConfig {
  const r: ResolvedConfig = {
    assets: c.assets,
    poolAssets: c.poolAssets,
    native: c.native,
    poolLocator: c.poolLocator ?? 'WithFirstAsset',
    poolAccount: c.poolAccount ?? 'PalletIdSeed',
    palletId: c.palletId ?? ASSET_CONVERSION_PALLET_ID,
    lpFee: c.lpFee ?? 3,
    poolSetupFee: c.poolSetupFee ?? 0n,
    poolSetupFeeAsset: c.poolSetupFeeAsset ?? c.native,
    poolSetupFeeTarget: c.poolSetupFeeTarget,
    liquidityWithdrawalFee: c.liquidityWithdrawalFee ?? 0,
    mintMinLiquidity: c.mintMinLiquidity ?? 100n,
    maxSwapPathLength: c.maxSwapPathLength ?? 3,
  };
  if (r.palletId.length !== 8) throw new AssetConversionConfigError('palletId must be 8 bytes');
  if (!Number.isInteger(r.lpFee) || r.lpFee < 0 || r.lpFee >= 1000)
    throw new AssetConversionConfigError('lpFee is in permille: an integer in 0..999');
  if (!Number.isInteger(r.maxSwapPathLength) || r.maxSwapPathLength < 2)
    throw new AssetConversionConfigError('the `MaxSwapPathLength` should be greater than 1');
  if (
    !Number.isInteger(r.liquidityWithdrawalFee) ||
    r.liquidityWithdrawalFee < 0 ||
    r.liquidityWithdrawalFee > PERMILL_ONE
  )
    throw new AssetConversionConfigError('liquidityWithdrawalFee is a Permill: an integer in 0..1_000_000');
  return r;
}
