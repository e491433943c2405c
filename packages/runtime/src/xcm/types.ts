/**
 * The JS shapes of XCM values, shared by V3, V4 and V5 through a table of each version's own pieces. Enums are the
 * scale DSL's `{ type, value }`; structs keep polkadot-sdk's snake_case field names (they are the metadata's);
 * `Junctions` and `Xcm` are plain arrays; amounts, indices and weights that are u64/u128 in Rust are bigints.
 */
import type { BodyId, BodyPart, DoubleEncoded, MaybeErrorCode, OriginKind, WeightLimit } from './shared.ts';
import type { XcmWeight } from './weight.ts';

type Unit<K extends string> = { type: K; value?: undefined };

/** One version's building blocks, which the shared instruction set refers to. */
export interface VersionTypes {
  NetworkId: unknown;
  Junction: unknown;
  Location: unknown;
  Asset: unknown;
  AssetFilter: unknown;
  Response: unknown;
  QueryResponseInfo: unknown;
  Error: unknown;
  Xcm: unknown;
}

export interface QueryResponseInfoOf<L> {
  destination: L;
  query_id: bigint;
  max_weight: XcmWeight;
}

export interface PalletInfo {
  index: number;
  name: Uint8Array;
  module_name: Uint8Array;
  major: number;
  minor: number;
  patch: number;
}

export type ResponseOf<A, E> =
  | Unit<'Null'>
  | { type: 'Assets'; value: A[] }
  | { type: 'ExecutionResult'; value: [number, E] | undefined }
  | { type: 'Version'; value: number }
  | { type: 'PalletsInfo'; value: PalletInfo[] }
  | { type: 'DispatchResult'; value: MaybeErrorCode };

export type JunctionOf<N> =
  | { type: 'Parachain'; value: number }
  | { type: 'AccountId32'; value: { network?: N; id: Uint8Array } }
  | { type: 'AccountIndex64'; value: { network?: N; index: bigint } }
  | { type: 'AccountKey20'; value: { network?: N; key: Uint8Array } }
  | { type: 'PalletInstance'; value: number }
  | { type: 'GeneralIndex'; value: bigint }
  | { type: 'GeneralKey'; value: { length: number; data: Uint8Array } }
  | Unit<'OnlyChild'>
  | { type: 'Plurality'; value: { id: BodyId; part: BodyPart } }
  | { type: 'GlobalConsensus'; value: N };

export type AssetInstance =
  | Unit<'Undefined'>
  | { type: 'Index'; value: bigint }
  | { type: 'Array4'; value: Uint8Array }
  | { type: 'Array8'; value: Uint8Array }
  | { type: 'Array16'; value: Uint8Array }
  | { type: 'Array32'; value: Uint8Array };

/** `Fungible(0)` does not decode (V3..V5): an asset of nothing is not an asset. */
export type Fungibility = { type: 'Fungible'; value: bigint } | { type: 'NonFungible'; value: AssetInstance };

export type WildFungibility = Unit<'Fungible'> | Unit<'NonFungible'>;

export type WildAssetOf<Id> =
  | Unit<'All'>
  | { type: 'AllOf'; value: { id: Id; fun: WildFungibility } }
  | { type: 'AllCounted'; value: number }
  | { type: 'AllOfCounted'; value: { id: Id; fun: WildFungibility; count: number } };

export type AssetFilterOf<A, W> = { type: 'Definite'; value: A[] } | { type: 'Wild'; value: W };

/** The instructions every version has (V3 names its types MultiLocation/MultiAsset, same shapes). */
export type CommonInstruction<T extends VersionTypes> =
  | { type: 'WithdrawAsset'; value: T['Asset'][] }
  | { type: 'ReserveAssetDeposited'; value: T['Asset'][] }
  | { type: 'ReceiveTeleportedAsset'; value: T['Asset'][] }
  | {
      type: 'QueryResponse';
      value: { query_id: bigint; response: T['Response']; max_weight: XcmWeight; querier?: T['Location'] };
    }
  | { type: 'TransferAsset'; value: { assets: T['Asset'][]; beneficiary: T['Location'] } }
  | { type: 'TransferReserveAsset'; value: { assets: T['Asset'][]; dest: T['Location']; xcm: T['Xcm'] } }
  | {
      type: 'HrmpNewChannelOpenRequest';
      value: { sender: number; max_message_size: number; max_capacity: number };
    }
  | { type: 'HrmpChannelAccepted'; value: { recipient: number } }
  | { type: 'HrmpChannelClosing'; value: { initiator: number; sender: number; recipient: number } }
  | Unit<'ClearOrigin'>
  | { type: 'DescendOrigin'; value: T['Junction'][] }
  | { type: 'ReportError'; value: T['QueryResponseInfo'] }
  | { type: 'DepositAsset'; value: { assets: T['AssetFilter']; beneficiary: T['Location'] } }
  | {
      type: 'DepositReserveAsset';
      value: { assets: T['AssetFilter']; dest: T['Location']; xcm: T['Xcm'] };
    }
  | { type: 'ExchangeAsset'; value: { give: T['AssetFilter']; want: T['Asset'][]; maximal: boolean } }
  | {
      type: 'InitiateReserveWithdraw';
      value: { assets: T['AssetFilter']; reserve: T['Location']; xcm: T['Xcm'] };
    }
  | { type: 'InitiateTeleport'; value: { assets: T['AssetFilter']; dest: T['Location']; xcm: T['Xcm'] } }
  | { type: 'ReportHolding'; value: { response_info: T['QueryResponseInfo']; assets: T['AssetFilter'] } }
  | { type: 'BuyExecution'; value: { fees: T['Asset']; weight_limit: WeightLimit } }
  | Unit<'RefundSurplus'>
  | { type: 'SetErrorHandler'; value: T['Xcm'] }
  | { type: 'SetAppendix'; value: T['Xcm'] }
  | Unit<'ClearError'>
  | { type: 'ClaimAsset'; value: { assets: T['Asset'][]; ticket: T['Location'] } }
  | { type: 'Trap'; value: bigint }
  | { type: 'SubscribeVersion'; value: { query_id: bigint; max_response_weight: XcmWeight } }
  | Unit<'UnsubscribeVersion'>
  | { type: 'BurnAsset'; value: T['Asset'][] }
  | { type: 'ExpectAsset'; value: T['Asset'][] }
  | { type: 'ExpectOrigin'; value: T['Location'] | undefined }
  | { type: 'ExpectError'; value: [number, T['Error']] | undefined }
  | { type: 'ExpectTransactStatus'; value: MaybeErrorCode }
  | { type: 'QueryPallet'; value: { module_name: Uint8Array; response_info: T['QueryResponseInfo'] } }
  | {
      type: 'ExpectPallet';
      value: {
        index: number;
        name: Uint8Array;
        module_name: Uint8Array;
        crate_major: number;
        min_crate_minor: number;
      };
    }
  | { type: 'ReportTransactStatus'; value: T['QueryResponseInfo'] }
  | Unit<'ClearTransactStatus'>
  | { type: 'UniversalOrigin'; value: T['Junction'] }
  | {
      type: 'ExportMessage';
      value: { network: T['NetworkId']; destination: T['Junction'][]; xcm: T['Xcm'] };
    }
  | { type: 'LockAsset'; value: { asset: T['Asset']; unlocker: T['Location'] } }
  | { type: 'UnlockAsset'; value: { asset: T['Asset']; target: T['Location'] } }
  | { type: 'NoteUnlockable'; value: { asset: T['Asset']; owner: T['Location'] } }
  | { type: 'RequestUnlock'; value: { asset: T['Asset']; locker: T['Location'] } }
  | { type: 'SetFeesMode'; value: { jit_withdraw: boolean } }
  | { type: 'SetTopic'; value: Uint8Array }
  | Unit<'ClearTopic'>
  | { type: 'AliasOrigin'; value: T['Location'] }
  | { type: 'UnpaidExecution'; value: { weight_limit: WeightLimit; check_origin?: T['Location'] } };

/** V3 and V4 `Transact`: the sender states the call's weight. */
export type TransactV3 = {
  type: 'Transact';
  value: { origin_kind: OriginKind; require_weight_at_most: XcmWeight; call: DoubleEncoded };
};
