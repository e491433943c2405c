/** XCM V4 (`staging_xcm::v4`): V5's shapes with Westend/Rococo/Wococo networks, V3's errors and V3's `Transact`. */
import type { Codec } from '../../scale/codec.ts';
import { enumeration, struct } from '../../scale/composite.ts';
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

export const VERSION = 4;

export type NetworkId =
  | { type: 'ByGenesis'; value: Uint8Array }
  | { type: 'ByFork'; value: { block_number: bigint; block_hash: Uint8Array } }
  | { type: 'Polkadot'; value?: undefined }
  | { type: 'Kusama'; value?: undefined }
  | { type: 'Westend'; value?: undefined }
  | { type: 'Rococo'; value?: undefined }
  | { type: 'Wococo'; value?: undefined }
  | { type: 'Ethereum'; value: { chain_id: bigint } }
  | { type: 'BitcoinCore'; value?: undefined }
  | { type: 'BitcoinCash'; value?: undefined }
  | { type: 'PolkadotBulletin'; value?: undefined };
export type Junction = JunctionOf<NetworkId>;
export type Junctions = Junction[];
export interface Location {
  parents: number;
  interior: Junctions;
}
export type AssetId = Location;
export type { AssetInstance, Fungibility, WildFungibility, PalletInfo };
export interface Asset {
  id: AssetId;
  fun: Fungibility;
}
export type Assets = Asset[];
export type WildAsset = WildAssetOf<AssetId>;
export type AssetFilter = AssetFilterOf<Asset, WildAsset>;
export type XcmError = XcmErrorV3;
export type Response = ResponseOf<Asset, XcmError>;
export type QueryResponseInfo = QueryResponseInfoOf<Location>;
interface V4 {
  NetworkId: NetworkId;
  Junction: Junction;
  Location: Location;
  Asset: Asset;
  AssetFilter: AssetFilter;
  Response: Response;
  QueryResponseInfo: QueryResponseInfo;
  Error: XcmError;
  Xcm: Xcm;
}
export type Instruction = CommonInstruction<V4> | TransactV3;
export type Xcm = Instruction[];
export type Outcome =
  | { type: 'Complete'; value: { used: XcmWeight } }
  | { type: 'Incomplete'; value: { used: XcmWeight; error: XcmError } }
  | { type: 'Error'; value: { error: XcmError } };
export type { MaybeErrorCode, OriginKind, WeightLimit };

const T = defineXcmVersion(4);
export const NetworkIdCodec = T.NetworkId as Codec<NetworkId>;
export const JunctionCodec = T.Junction as Codec<Junction>;
export const JunctionsCodec = T.Junctions as Codec<Junctions>;
export const LocationCodec = T.Location as Codec<Location>;
export const AssetIdCodec = T.AssetId as Codec<AssetId>;
export const AssetInstanceCodec = T.AssetInstance as Codec<AssetInstance>;
export const FungibilityCodec = T.Fungibility as Codec<Fungibility>;
export const AssetCodec = T.Asset as Codec<Asset>;
export const AssetsCodec = T.Assets as Codec<Assets>;
export const WildFungibilityCodec = T.WildFungibility as Codec<WildFungibility>;
export const WildAssetCodec = T.WildAsset as Codec<WildAsset>;
export const AssetFilterCodec = T.AssetFilter as Codec<AssetFilter>;
export const XcmErrorCodec = T.Error as Codec<XcmError>;
export const PalletInfoCodec = T.PalletInfo as Codec<PalletInfo>;
export const ResponseCodec = T.Response as Codec<Response>;
export const QueryResponseInfoCodec = T.QueryResponseInfo as Codec<QueryResponseInfo>;
export const InstructionCodec = T.Instruction as Codec<Instruction>;
export const XcmCodec = T.Xcm as Codec<Xcm>;
export const codecs = T;

export const OutcomeCodec = enumeration({
  Complete: [0, struct({ used: XcmWeightCodec }, { used: 'Weight' })],
  Incomplete: [
    1,
    struct({ used: XcmWeightCodec, error: XcmErrorV3Codec }, { used: 'Weight', error: 'Error' }),
  ],
  Error: [2, struct({ error: XcmErrorV3Codec }, { error: 'Error' })],
}).named(['staging_xcm', 'v4', 'traits', 'Outcome']) as Codec<Outcome>;
