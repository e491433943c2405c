/** XCM V3 (`xcm::v3`): `MultiLocation`, `MultiAsset(s)` with a `Concrete | Abstract` asset id, tuple `Junctions`. */
import type { Codec } from '../../scale/codec.ts';
import { enumeration, tuple } from '../../scale/composite.ts';
import { defineXcmVersion } from '../define-version.ts';
import type { MaybeErrorCode, OriginKind, WeightLimit, XcmErrorV3 } from '../shared.ts';
import { XcmErrorV3Codec } from '../shared.ts';
import type {
  AssetFilterOf,
  AssetInstance,
  CommonInstruction,
  Fungibility,
  JunctionOf,
  PalletInfo,
  QueryResponseInfoOf,
  ResponseOf,
  TransactV3,
  WildAssetOf,
  WildFungibility,
} from '../types.ts';
import { type XcmWeight, XcmWeightCodec } from '../weight.ts';
import type { NetworkId } from '../v4/index.ts';

export const VERSION = 3;

/** Same variants as V4's. */
export type { NetworkId };
export type Junction = JunctionOf<NetworkId>;
export type Junctions = Junction[];
export interface MultiLocation {
  parents: number;
  interior: Junctions;
}
export type AssetId = { type: 'Concrete'; value: MultiLocation } | { type: 'Abstract'; value: Uint8Array };
export type { AssetInstance, Fungibility, WildFungibility, PalletInfo };
export interface MultiAsset {
  id: AssetId;
  fun: Fungibility;
}
export type MultiAssets = MultiAsset[];
export type WildMultiAsset = WildAssetOf<AssetId>;
export type MultiAssetFilter = AssetFilterOf<MultiAsset, WildMultiAsset>;
export type XcmError = XcmErrorV3;
export type Response = ResponseOf<MultiAsset, XcmError>;
export type QueryResponseInfo = QueryResponseInfoOf<MultiLocation>;
interface V3 {
  NetworkId: NetworkId;
  Junction: Junction;
  Location: MultiLocation;
  Asset: MultiAsset;
  AssetFilter: MultiAssetFilter;
  Response: Response;
  QueryResponseInfo: QueryResponseInfo;
  Error: XcmError;
  Xcm: Xcm;
}
export type Instruction = CommonInstruction<V3> | TransactV3;
export type Xcm = Instruction[];
export type Outcome =
  | { type: 'Complete'; value: XcmWeight }
  | { type: 'Incomplete'; value: [XcmWeight, XcmError] }
  | { type: 'Error'; value: XcmError };
export type { MaybeErrorCode, OriginKind, WeightLimit };

const T = defineXcmVersion(3);
export const NetworkIdCodec = T.NetworkId as Codec<NetworkId>;
export const JunctionCodec = T.Junction as Codec<Junction>;
export const JunctionsCodec = T.Junctions as Codec<Junctions>;
export const MultiLocationCodec = T.Location as Codec<MultiLocation>;
export const AssetIdCodec = T.AssetId as Codec<AssetId>;
export const AssetInstanceCodec = T.AssetInstance as Codec<AssetInstance>;
export const FungibilityCodec = T.Fungibility as Codec<Fungibility>;
export const MultiAssetCodec = T.Asset as Codec<MultiAsset>;
export const MultiAssetsCodec = T.Assets as Codec<MultiAssets>;
export const WildFungibilityCodec = T.WildFungibility as Codec<WildFungibility>;
export const WildMultiAssetCodec = T.WildAsset as Codec<WildMultiAsset>;
export const MultiAssetFilterCodec = T.AssetFilter as Codec<MultiAssetFilter>;
export const XcmErrorCodec = T.Error as Codec<XcmError>;
export const PalletInfoCodec = T.PalletInfo as Codec<PalletInfo>;
export const ResponseCodec = T.Response as Codec<Response>;
export const QueryResponseInfoCodec = T.QueryResponseInfo as Codec<QueryResponseInfo>;
export const InstructionCodec = T.Instruction as Codec<Instruction>;
export const XcmCodec = T.Xcm as Codec<Xcm>;
export const codecs = T;

export const OutcomeCodec = enumeration({
  Complete: [0, XcmWeightCodec],
  Incomplete: [1, tuple(XcmWeightCodec, XcmErrorV3Codec)],
  Error: [2, XcmErrorV3Codec],
}).named(['xcm', 'v3', 'traits', 'Outcome']) as Codec<Outcome>;
