/**
 * The XCM an order sends to Crust (pure; DESIGN.md §3, README.md "The message"). Seen from Crust, with P this
 * chain's para id and `user` the payer's `AccountId32` / `AccountKey20` junction:
 *
 *   WithdrawAsset(A CRU)                       Cru: from P's sovereign account on Crust (the pallet burnt A here)
 *     | ReserveAssetDeposited(A of (1,[P]))    Native: P's token, moved here into Crust's sovereign account
 *   BuyExecution { fees: E, Limited(W) }
 *   SetAppendix([RefundSurplus, DepositAsset(AllCounted(1), (1,[P, user]))])   unused weight goes to the user
 *   SetErrorHandler([                                                           a refused order goes home:
 *     WithdrawAsset(D) from the user's account, RefundSurplus,
 *     DepositReserveAsset (CRU, reserve Crust) | InitiateReserveWithdraw (P's token, reserve P)
 *       { to (1,[P]), xcm: [BuyExecution, DepositAsset(AllCounted(1), (0,[user]))] },
 *     ExpectTransactStatus(Success), ReportError(query)                         (only if the call never ran)
 *   ])
 *   DescendOrigin([user])
 *   DepositAsset(AllCounted(1), (1,[P, user]))  the user's account on Crust (HashedDescription)
 *   Transact { SovereignAccount, call }         the user's account places the market order
 *   ReportTransactStatus(query)                 the call's result comes home as the query's answer
 *   ExpectTransactStatus(Success)               a refused order jumps to the error handler
 *   SetTopic(order id)
 *
 * The call is Crust's `xstorage.place_storage_order_through_parachain(cid, size)` (127, 0); with tips,
 * `market.place_storage_order(cid, size, tips, memo)` (100, 0); paid in P's token,
 * `xstorage.place_storage_order_paying_with(cid, size, tips, asset, max_in)` (127, 3), which swaps the token for CRU.
 */
import type { Weight } from '../../frame/weights.ts';
import { encodeCompact } from '../../scale/compact.ts';
import { u64, u128 } from '../../scale/primitives.ts';
import {
  type Asset,
  fromFrameWeight,
  type Junction,
  type Location,
  type QueryResponseInfo,
  VersionedLocationCodec,
  type Xcm,
} from '../../xcm/index.ts';

/** crustio/xstorage `XSTORAGE_PALLET_INDEX`, `XSTORAGE_CALL_INDEX`. */
export const CRUST_XSTORAGE_PALLET_INDEX = 127;
export const CRUST_PLACE_ORDER_THROUGH_PARACHAIN = 0;
/** Crust's xstorage call 3 (ours): pay in a sibling's token swapped for CRU. */
export const CRUST_PLACE_ORDER_PAYING_WITH = 3;
/** Crust's `Market` (100), `place_storage_order` (0). */
export const CRUST_MARKET_PALLET_INDEX = 100;
export const CRUST_MARKET_PLACE_ORDER = 0;

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const vecU8 = (b: Uint8Array) => concat(encodeCompact(b.length), b);

/** `(127u8, 0u8, cid, size).encode()`: what crustio/xstorage Transacts. */
export function placeOrderThroughParachainCall(cid: Uint8Array, size: bigint): Uint8Array {
  return concat(
    Uint8Array.of(CRUST_XSTORAGE_PALLET_INDEX, CRUST_PLACE_ORDER_THROUGH_PARACHAIN),
    vecU8(cid),
    u64.encode(size),
  );
}

/** `market.place_storage_order(cid, size, Compact(tips), memo = [])`. */
export function marketPlaceOrderCall(cid: Uint8Array, size: bigint, tips: bigint): Uint8Array {
  return concat(
    Uint8Array.of(CRUST_MARKET_PALLET_INDEX, CRUST_MARKET_PLACE_ORDER),
    vecU8(cid),
    u64.encode(size),
    encodeCompact(tips),
    vecU8(new Uint8Array()),
  );
}

/** `xstorage.place_storage_order_paying_with(cid, size, tips, VersionedLocation(asset), max_in)`. */
export function placeOrderPayingWithCall(
  cid: Uint8Array,
  size: bigint,
  tips: bigint,
  asset: Location,
  maxIn: bigint,
): Uint8Array {
  return concat(
    Uint8Array.of(CRUST_XSTORAGE_PALLET_INDEX, CRUST_PLACE_ORDER_PAYING_WITH),
    vecU8(cid),
    u64.encode(size),
    u128.encode(tips),
    VersionedLocationCodec.encode({ type: 'V5', value: asset }),
    u128.encode(maxIn),
  );
}

export interface OrderMessageInput {
  currency: 'Cru' | 'Native';
  /** This chain's para id (P). */
  selfParaId: number;
  /** Crust's para id (the CRU reserve). */
  crustParaId: number;
  /** The payer's junction here: `AccountId32` or `AccountKey20`, no network. */
  user: Junction;
  /** What arrives on Crust (A), what buys execution (E ≤ A), what goes into the user's account there (D), and the
   * least a refused order sends home (D plus one refunded instruction: what the refund's `BuyExecution` may spend). */
  amount: bigint;
  execution: bigint;
  deposit: bigint;
  refund: bigint;
  /** W: the message's weight on Crust. */
  weight: Weight;
  /** The encoded call the message Transacts, and its weight (V4's `require_weight_at_most`). */
  call: Uint8Array;
  callWeight: Weight;
  /** The pallet-xcm query the answer comes back to, and the weight of its notify call here. */
  queryId: bigint;
  responseWeight: Weight;
  /** `SetTopic`: the order id. */
  topic: Uint8Array;
}

const here = (): Location => ({ parents: 0, interior: [] });
const fungible = (id: Location, amount: bigint): Asset => ({ id, fun: { type: 'Fungible', value: amount } });
const allCounted1 = { type: 'Wild', value: { type: 'AllCounted', value: 1 } } as const;

/** The order's message, as Crust receives it (before the router's version wrapping). */
export function orderMessage(m: OrderMessageInput): Xcm {
  const home: Location = { parents: 1, interior: [{ type: 'Parachain', value: m.selfParaId }] };
  const userOnCrust: Location = {
    parents: 1,
    interior: [{ type: 'Parachain', value: m.selfParaId }, m.user],
  };
  const cru = m.currency === 'Cru';
  // The paying asset as Crust names it, and as this chain names it when it comes back.
  const asset = cru ? here() : home;
  const assetAtHome: Location = cru
    ? { parents: 1, interior: [{ type: 'Parachain', value: m.crustParaId }] }
    : here();
  const info: QueryResponseInfo = {
    destination: home,
    query_id: m.queryId,
    max_weight: fromFrameWeight(m.responseWeight),
  };
  const homeward = homewardXcm(assetAtHome, m.refund, m.user);
  return [
    cru
      ? { type: 'WithdrawAsset', value: [fungible(asset, m.amount)] }
      : { type: 'ReserveAssetDeposited', value: [fungible(asset, m.amount)] },
    {
      type: 'BuyExecution',
      value: {
        fees: fungible(asset, m.execution),
        weight_limit: { type: 'Limited', value: fromFrameWeight(m.weight) },
      },
    },
    {
      type: 'SetAppendix',
      value: [
        { type: 'RefundSurplus' },
        { type: 'DepositAsset', value: { assets: allCounted1, beneficiary: userOnCrust } },
      ],
    },
    {
      type: 'SetErrorHandler',
      value: [
        { type: 'WithdrawAsset', value: [fungible(asset, m.deposit)] },
        { type: 'RefundSurplus' },
        cru
          ? { type: 'DepositReserveAsset', value: { assets: allCounted1, dest: home, xcm: homeward } }
          : { type: 'InitiateReserveWithdraw', value: { assets: allCounted1, reserve: home, xcm: homeward } },
        { type: 'ExpectTransactStatus', value: { type: 'Success' } },
        { type: 'ReportError', value: info },
      ],
    },
    { type: 'DescendOrigin', value: [m.user] },
    { type: 'DepositAsset', value: { assets: allCounted1, beneficiary: userOnCrust } },
    {
      type: 'Transact',
      value: {
        origin_kind: { type: 'SovereignAccount' },
        fallback_max_weight: fromFrameWeight(m.callWeight),
        call: { encoded: m.call },
      },
    },
    { type: 'ReportTransactStatus', value: info },
    { type: 'ExpectTransactStatus', value: { type: 'Success' } },
    { type: 'SetTopic', value: m.topic },
  ];
}

/** What a refund does once home: pay the trip with up to `fees` of the asset, the rest to the user. */
function homewardXcm(assetAtHome: Location, fees: bigint, user: Junction): Xcm {
  return [
    {
      type: 'BuyExecution',
      value: { fees: fungible(assetAtHome, fees), weight_limit: { type: 'Unlimited' } },
    },
    { type: 'DepositAsset', value: { assets: allCounted1, beneficiary: { parents: 0, interior: [user] } } },
  ];
}

/**
 * A refund as this chain receives it (what its executor weighs and charges for): `ReserveAssetDeposited` (CRU,
 * reserve Crust) or `WithdrawAsset` (this chain's token, from Crust's sovereign account), `ClearOrigin`, the
 * homeward instructions, and the router's `SetTopic`. `asset` is the asset as named here.
 */
export function refundArrival(currency: 'Cru' | 'Native', asset: Location, user: Junction): Xcm {
  const a = [fungible(asset, 1n)];
  return [
    currency === 'Cru' ? { type: 'ReserveAssetDeposited', value: a } : { type: 'WithdrawAsset', value: a },
    { type: 'ClearOrigin' },
    ...homewardXcm(asset, 1n, user),
    { type: 'SetTopic', value: new Uint8Array(32) },
  ];
}

/** Instructions as `FixedWeightBounds` counts them: nested `SetErrorHandler` / `SetAppendix` ones too. */
export function instructionCount(xcm: Xcm): number {
  let n = 0;
  for (const i of xcm) {
    n += 1;
    if (i.type === 'SetErrorHandler' || i.type === 'SetAppendix') n += instructionCount(i.value);
    else if (i.type === 'ExecuteWithOrigin') n += instructionCount(i.value.xcm);
  }
  return n;
}

/** The instruction count of every order message (the same for both currencies). */
export const ORDER_MESSAGE_INSTRUCTIONS: number = instructionCount(
  orderMessage({
    currency: 'Cru',
    selfParaId: 0,
    crustParaId: 0,
    user: { type: 'AccountId32', value: { id: new Uint8Array(32) } },
    amount: 1n,
    execution: 1n,
    deposit: 1n,
    refund: 1n,
    weight: { refTime: 0, proofSize: 0 },
    call: new Uint8Array(),
    callWeight: { refTime: 0, proofSize: 0 },
    queryId: 0n,
    responseWeight: { refTime: 0, proofSize: 0 },
    topic: new Uint8Array(32),
  }),
);
