/**
 * XCM data types V3, V4 and V5 (pure, deterministic): codecs that encode byte for byte as polkadot-sdk and describe
 * themselves for metadata, polkadot-sdk's decode limits, version conversions, Location helpers, location → account
 * converters and message ids. Unprefixed names are V5 (`xcm::latest`); `v3`, `v4`, `v5` hold each version whole.
 * See README.md for value shapes.
 */
export * as v3 from './v3/index.ts';
export * as v4 from './v4/index.ts';
export * as v5 from './v5/index.ts';
export {
  type Asset,
  AssetCodec,
  type AssetFilter,
  AssetFilterCodec,
  type AssetId,
  AssetIdCodec,
  type AssetInstance,
  AssetInstanceCodec,
  type Assets,
  AssetsCodec,
  type AssetTransferFilter,
  AssetTransferFilterCodec,
  type Fungibility,
  FungibilityCodec,
  type Hint,
  HintCodec,
  type Instruction,
  InstructionCodec,
  type InstructionError,
  InstructionErrorCodec,
  type InstructionType,
  type Junction,
  JunctionCodec,
  type Junctions,
  JunctionsCodec,
  type Location,
  LocationCodec,
  type NetworkId,
  NetworkIdCodec,
  type Outcome,
  OutcomeCodec,
  type PalletInfo,
  PalletInfoCodec,
  type QueryResponseInfo,
  QueryResponseInfoCodec,
  type Response,
  ResponseCodec,
  type WildAsset,
  WildAssetCodec,
  type WildFungibility,
  WildFungibilityCodec,
  type Xcm,
  XcmCodec,
  type XcmError,
  XcmErrorCodec,
} from './v5/index.ts';
export {
  type BodyId,
  BodyIdCodec,
  type BodyPart,
  BodyPartCodec,
  type DoubleEncoded,
  DoubleEncodedCodec,
  type MaybeErrorCode,
  MaybeErrorCodeCodec,
  type OriginKind,
  OriginKindCodec,
  type SendError,
  SendErrorCodec,
  type WeightLimit,
  WeightLimitCodec,
} from './shared.ts';
export {
  XCM_WEIGHT_MAX,
  type XcmWeight,
  XcmWeightCodec,
  fromFrameWeight,
  toFrameWeight,
  xcmWeight,
} from './weight.ts';
export {
  HINT_NUM_VARIANTS,
  MAX_ASSET_TRANSFER_FILTERS,
  MAX_DISPATCH_ERROR_LEN,
  MAX_INSTRUCTIONS_TO_DECODE,
  MAX_ITEMS_IN_ASSETS,
  MAX_PALLETS_INFO,
  MAX_PALLET_NAME_LEN,
  MAX_XCM_DECODE_DEPTH,
  decodeAllWithDepthLimit,
  decodeWithDepthLimit,
} from './limits.ts';
export * from './versioned.ts';
export * from './location.ts';
export * from './assets.ts';
export * from './hash.ts';
export * from './convert.ts';
export * from './location-to-account.ts';
