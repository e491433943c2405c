/**
 * The parachain-side xstorage pallet's types (crustio/xstorage's `CurrencyId` argument, and what this pallet keeps
 * of an order): `CurrencyId`, the mirror of Crust's fees and execution budget the pallet quotes with, the price of
 * the chain's token in CRU, an order with its status, and why an order failed.
 */
import { AccountId } from '../../frame/account.ts';
import { type Weight, WeightCodec } from '../../frame/weights.ts';
import type { Codec } from '../../scale/codec.ts';
import { enumeration, struct } from '../../scale/composite.ts';
import { bytes, u8, u32, u64, u128 } from '../../scale/primitives.ts';
import { type XcmError, XcmErrorCodec } from '../../xcm/index.ts';
import { type MaybeErrorCode, MaybeErrorCodeCodec } from '../../xcm/shared.ts';

const MODULE = 'xstorage_client';

/** What a storage order is paid with: the chain's own token, or CRU held in `ForeignAssets`. */
export type CurrencyId = { type: 'Native'; value?: undefined } | { type: 'Cru'; value?: undefined };
export const CurrencyIdCodec = enumeration({ Native: [0], Cru: [1] }).named([
  MODULE,
  'primitives',
  'CurrencyId',
]) as unknown as Codec<CurrencyId>;

/**
 * What the pallet quotes an order with: a mirror of Crust's market fees (`market.fileBaseFee`, `fileByteFee` per
 * MiB, `fileKeysCountFee`, `MaximumFileSize`) and of what executing the order's message on Crust costs (Crust's
 * `UnitWeightCost`, the weight of the `Transact`ed call, its weight-to-fee for CRU and its fee rate for this chain's
 * token, CRU's existential deposit and this token's minimum balance in Crust's `ForeignAssets`). Kept up to date by
 * the admin; an order quoted below Crust's real fees fails on Crust and is refunded.
 */
export interface FeeParameters {
  file_base_fee: bigint;
  file_byte_fee: bigint;
  file_keys_count_fee: bigint;
  /** Crust's `MaximumFileSize`: an order must be smaller. */
  maximum_file_size: bigint;
  /** Crust's XCM `UnitWeightCost`: the weight of one instruction. */
  instruction_weight: Weight;
  /** The declared weight of the call a CRU order `Transact`s on Crust (xstorage's call 0). */
  order_call_weight: Weight;
  /** The declared weight of the call an order paid in this chain's token `Transact`s (xstorage's call 3: a swap
   * and the order). */
  native_order_call_weight: Weight;
  /** CRU units Crust charges per second (10^12) of ref time (`UsingComponents` over its `WeightToFee`). */
  cru_per_second: bigint;
  /** Units of this chain's token Crust charges per second of ref time (its `FixedRateOfFungible` for the token). */
  native_per_second: bigint;
  /** CRU's existential deposit on Crust: the user's account there is created with at least this. */
  cru_existential_deposit: bigint;
  /** This token's `min_balance` in Crust's `ForeignAssets`. */
  native_min_balance: bigint;
}
export const FeeParametersCodec: Codec<FeeParameters> = struct(
  {
    file_base_fee: u128,
    file_byte_fee: u128,
    file_keys_count_fee: u128,
    maximum_file_size: u64,
    instruction_weight: WeightCodec,
    order_call_weight: WeightCodec,
    native_order_call_weight: WeightCodec,
    cru_per_second: u128,
    native_per_second: u128,
    cru_existential_deposit: u128,
    native_min_balance: u128,
  },
  {
    file_base_fee: 'u128',
    file_byte_fee: 'u128',
    file_keys_count_fee: 'u128',
    maximum_file_size: 'u64',
    instruction_weight: 'Weight',
    order_call_weight: 'Weight',
    native_order_call_weight: 'Weight',
    cru_per_second: 'u128',
    native_per_second: 'u128',
    cru_existential_deposit: 'u128',
    native_min_balance: 'u128',
  },
).named([MODULE, 'primitives', 'FeeParameters']);

/** `native` units of this chain's token are worth `cru` units of CRU (for `Native` payments). */
export interface NativePrice {
  native: bigint;
  cru: bigint;
}
export const NativePriceCodec: Codec<NativePrice> = struct(
  { native: u128, cru: u128 },
  { native: 'u128', cru: 'u128' },
).named([MODULE, 'primitives', 'NativePrice']);

/** Why Crust did not place an order. */
export type OrderFailure =
  /** The order call ran on Crust and failed: the encoded `DispatchError` (e.g. `market.FileTooLarge`). */
  | { type: 'Refused'; value: MaybeErrorCode }
  /** The message stopped at instruction `index` on Crust before the call could run (e.g. `NoPermission`). */
  | { type: 'Execution'; value: { index: number; error: XcmError } }
  /** Crust answered with something this pallet did not ask for. */
  | { type: 'UnexpectedResponse'; value?: undefined };
export const OrderFailureCodec: Codec<OrderFailure> = enumeration({
  Refused: [0, MaybeErrorCodeCodec],
  Execution: [1, struct({ index: u8, error: XcmErrorCodec }, { index: 'u8', error: 'XcmError' })],
  UnexpectedResponse: [2],
}).named([MODULE, 'primitives', 'OrderFailure']) as unknown as Codec<OrderFailure>;

export type OrderStatus =
  | { type: 'Pending'; value?: undefined }
  | { type: 'Confirmed'; value?: undefined }
  | { type: 'Failed'; value: OrderFailure }
  /** No answer by the deadline; a late answer still settles the order. */
  | { type: 'TimedOut'; value?: undefined };
export const OrderStatusCodec: Codec<OrderStatus> = enumeration({
  Pending: [0],
  Confirmed: [1],
  Failed: [2, OrderFailureCodec],
  TimedOut: [3],
}).named([MODULE, 'primitives', 'OrderStatus']) as unknown as Codec<OrderStatus>;

export interface Order {
  who: Uint8Array;
  cid: Uint8Array;
  size: bigint;
  currency_id: CurrencyId;
  /** What was taken from `who` (in `currency_id`). */
  amount: bigint;
  /** What went into `who`'s account on Crust for the market (in `currency_id`). */
  deposit: bigint;
  /** The least Crust sends home if it refuses the order: the deposit and the refunded weight of the instructions it
   * skipped (this chain's fee for the trip comes out of it). */
  refund: bigint;
  /** Crust's market tips. */
  tips: bigint;
  /** pallet-xcm's query the answer comes back as. */
  query_id: bigint;
  placed_at: number;
  /** The block the order times out at if Crust has not answered. */
  timeout_at: number;
  status: OrderStatus;
}
export const OrderCodec: Codec<Order> = struct(
  {
    who: AccountId,
    cid: bytes,
    size: u64,
    currency_id: CurrencyIdCodec,
    amount: u128,
    deposit: u128,
    refund: u128,
    tips: u128,
    query_id: u64,
    placed_at: u32,
    timeout_at: u32,
    status: OrderStatusCodec,
  },
  {
    who: 'AccountId',
    cid: 'Vec<u8>',
    size: 'u64',
    currency_id: 'CurrencyId',
    amount: 'u128',
    deposit: 'u128',
    refund: 'u128',
    tips: 'u128',
    query_id: 'QueryId',
    placed_at: 'BlockNumber',
    timeout_at: 'BlockNumber',
    status: 'OrderStatus',
  },
).named([MODULE, 'primitives', 'Order']);
