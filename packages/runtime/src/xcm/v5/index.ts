/**
 * XCM V5 (`staging_xcm::v5`), the version the executor runs. Values are plain JS data (see ../README.md):
 * `{ parents: 1, interior: [{ type: 'Parachain', value: 2008 }] }` is a Location.
 */
import type { Codec } from '../../scale/codec.ts';
import { enumeration, struct } from '../../scale/composite.ts';
import { u8 } from '../../scale/primitives.ts';
import { defineXcmVersion } from '../define-version.ts';
import type { DoubleEncoded, MaybeErrorCode, OriginKind, WeightLimit, XcmErrorV5 } from '../shared.ts';
import type {
  AssetFilterOf,
  AssetInstance,
  CommonInstruction,
  Fungibility,
  JunctionOf,
  PalletInfo,
  QueryResponseInfoOf,
  ResponseOf,
  WildAssetOf,
  WildFungibility,
} from '../types.ts';
import { type XcmWeight, XcmWeightCodec } from '../weight.ts';

export const VERSION = 5;

export type NetworkId =
  | { type: 'ByGenesis'; value: Uint8Array }
  | { type: 'ByFork'; value: { block_number: bigint; block_hash: Uint8Array } }
  | { type: 'Polkadot'; value?: undefined }
  | { type: 'Kusama'; value?: undefined }
  | { type: 'Ethereum'; value: { chain_id: bigint } }
  | { type: 'BitcoinCore'; value?: undefined }
  | { type: 'BitcoinCash'; value?: undefined }
  | { type: 'PolkadotBulletin'; value?: undefined };
export type Junction = JunctionOf<NetworkId>;
/** `Junctions` / `InteriorLocation`: 0..8 junctions (`Here` is `[]`). */
export type Junctions = Junction[];
export interface Location {
  parents: number;
  interior: Junctions;
}
/** `AssetId(Location)`: the location itself. */
export type AssetId = Location;
export type { AssetInstance, Fungibility, WildFungibility, PalletInfo };
export interface Asset {
  id: AssetId;
  fun: Fungibility;
}
/** `Assets`: sorted and deduplicated (see `assetsFrom`); at most 20 decode. */
export type Assets = Asset[];
export type WildAsset = WildAssetOf<AssetId>;
export type AssetFilter = AssetFilterOf<Asset, WildAsset>;
export type AssetTransferFilter =
  | { type: 'Teleport'; value: AssetFilter }
  | { type: 'ReserveDeposit'; value: AssetFilter }
  | { type: 'ReserveWithdraw'; value: AssetFilter };
export type Hint = { type: 'AssetClaimer'; value: { location: Location } };
/** `xcm::v5::traits::Error`. */
export type XcmError = XcmErrorV5;
export type Response = ResponseOf<Asset, XcmError>;
export type QueryResponseInfo = QueryResponseInfoOf<Location>;

interface V5 {
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

export type Instruction =
  | CommonInstruction<V5>
  | {
      type: 'Transact';
      value: { origin_kind: OriginKind; fallback_max_weight?: XcmWeight; call: DoubleEncoded };
    }
  | { type: 'PayFees'; value: { asset: Asset } }
  | {
      type: 'InitiateTransfer';
      value: {
        destination: Location;
        remote_fees?: AssetTransferFilter;
        preserve_origin: boolean;
        assets: AssetTransferFilter[];
        remote_xcm: Xcm;
      };
    }
  | { type: 'ExecuteWithOrigin'; value: { descendant_origin?: Junctions; xcm: Xcm } }
  | { type: 'SetHints'; value: { hints: Hint[] } };
export type Xcm = Instruction[];
export type InstructionType = Instruction['type'];

/** `InstructionError`: which instruction failed (its index in the message) and why. */
export interface InstructionError {
  index: number;
  error: XcmError;
}
export type Outcome =
  | { type: 'Complete'; value: { used: XcmWeight } }
  | { type: 'Incomplete'; value: { used: XcmWeight; error: InstructionError } }
  | { type: 'Error'; value: InstructionError };
export type { MaybeErrorCode, OriginKind, WeightLimit };

const T = defineXcmVersion(5);
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
export const AssetTransferFilterCodec = T.AssetTransferFilter as Codec<AssetTransferFilter>;
export const HintCodec = T.Hint as Codec<Hint>;
export const XcmErrorCodec = T.Error as Codec<XcmError>;
export const PalletInfoCodec = T.PalletInfo as Codec<PalletInfo>;
export const ResponseCodec = T.Response as Codec<Response>;
export const QueryResponseInfoCodec = T.QueryResponseInfo as Codec<QueryResponseInfo>;
export const InstructionCodec = T.Instruction as Codec<Instruction>;
export const XcmCodec = T.Xcm as Codec<Xcm>;
/** The version's codecs, untyped, for code that works across versions (conversions, tests). */
export const codecs = T;

export const InstructionErrorCodec: Codec<InstructionError> = struct(
  { index: u8, error: XcmErrorCodec },
  { index: 'InstructionIndex', error: 'Error' },
).named(['staging_xcm', 'v5', 'traits', 'InstructionError']);
export const OutcomeCodec = enumeration({
  Complete: [0, struct({ used: XcmWeightCodec }, { used: 'Weight' })],
  Incomplete: [
    1,
    struct(
      { used: XcmWeightCodec, error: InstructionErrorCodec },
      { used: 'Weight', error: 'InstructionError' },
    ),
  ],
  Error: [2, InstructionErrorCodec],
}).named(['staging_xcm', 'v5', 'traits', 'Outcome']) as Codec<Outcome>;
