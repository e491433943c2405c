/** pallet-asset-conversion (`AssetConversion`): see README.md for the wiring a runtime needs. */
export { type ConversionAssets, nativeAndAssets } from './adapter.ts';
export * from './api.ts';
export {
  AssetConversionError,
  type AssetConversionErrorName,
  AssetConversionEvent,
  NextPoolAssetId,
  Pools,
} from './items.ts';
export {
  AssetConversionMathError,
  getAmountIn,
  getAmountOut,
  integerSqrt,
  lpAmountForZeroSupply,
  mulDiv,
  quote,
} from './math.ts';
export { AssetConversion, type AssetConversionGenesis, AssetConversionGenesisError } from './pallet.ts';
export { ascending, poolAccountOf, poolIdOf, withFirstAsset } from './pool-locator.ts';
export { AssetConversionApiDecl, assetConversionApi } from './runtime-api.ts';
export * from './types.ts';
export { AssetConversionWeights } from './weights.ts';
