/**
 * The parachain side of a cross-chain storage order (`Xstorage`, crustio/xstorage's `place_storage_order` with its
 * argument order): a user pays here — CRU held in `ForeignAssets`, or this chain's own token — and the pallet sends
 * Crust the message of message.ts, which places a market order paid by the user's own account on Crust. Crust's
 * answer comes back as a pallet-xcm query response that notifies `on_order_response` (dispatched with the
 * `Response(Crust)` origin): the order is then `Confirmed`, or `Failed` with the refund on its way home. An order
 * without an answer by its deadline is marked `TimedOut` (a late answer still settles it).
 *
 * Calls: 0 `place_storage_order(currency_id, cid, size)`, 1 `place_storage_order_with_limits(currency_id, cid, size,
 * tips, max_fee)`, 2 `on_order_response(query_id, response)`, and the admin's (Root by default) 3 `set_crust_para_id`,
 * 4 `set_fee_parameters`, 5 `set_native_price`, 6 `set_paused`.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { H256 } from '../../extrinsic/primitives.ts';
import { AccountId } from '../../frame/account.ts';
import { badOrigin } from '../../frame/dispatch-error.ts';
import { currentEnv } from '../../frame/env.ts';
import { ensureRoot, ensureSigned, type Origin } from '../../frame/origin.ts';
import { call, constant, pallet } from '../../frame/pallet.ts';
import { dbWeight, type Weight } from '../../frame/weights.ts';
import { bool, bytes, option, u32, u64, u128, vec } from '../../scale/index.ts';
import { ensureResponse } from '../../xcm/builder/origins.ts';
import { XcmFailure } from '../../xcm/executor/errors.ts';
import type { TransactAsset } from '../../xcm/executor/traits.ts';
import { transferAsset, withdrawAsset } from '../../xcm/executor/tuples.ts';
import {
  type Junction,
  type Location,
  locationEquals,
  type Response,
  ResponseCodec,
  type SendError,
  type Xcm,
} from '../../xcm/index.ts';
import { Number as SystemNumber } from '../system/index.ts';
import {
  marketPlaceOrderCall,
  ORDER_MESSAGE_INSTRUCTIONS,
  orderMessage,
  placeOrderPayingWithCall,
  placeOrderThroughParachainCall,
  refundArrival,
} from './message.ts';
import { type OrderQuote, orderCallWeight, QuoteError, quoteOrder } from './quote.ts';
import {
  type CurrencyId,
  CurrencyIdCodec,
  type FeeParameters,
  FeeParametersCodec,
  type NativePrice,
  NativePriceCodec,
  type Order,
  OrderCodec,
  type OrderFailure,
  OrderFailureCodec,
} from './types.ts';

/** Crust's para id on Polkadot. */
export const CRUST_PARA_ID = 2008;
/** The longest CID accepted (bytes of its string form; the longest CID Crust's storage challenges here parse). */
export const MAX_CID_LENGTH = 512;
/** Blocks an order waits for Crust's answer before it is marked `TimedOut` (by default). */
export const DEFAULT_ORDER_TIMEOUT = 100;

export interface XstorageConfig {
  /** The runtime's XCM asset transactor: burns the user's CRU (`ForeignAssets`) or moves this chain's token into
   * Crust's sovereign account here, as the chain's own XCM would. */
  assetTransactor: TransactAsset;
  /** This chain's para id. */
  selfParaId: number;
  /** pallet-xcm's `send_xcm` from the chain itself (`Here`): the message id, or why it was not sent. */
  sendXcm(dest: Location, message: Xcm): { ok: Uint8Array } | { err: SendError };
  /** pallet-xcm's `new_notify_query(responder, notify: (pallet, call), timeout, match_querier)`. */
  newNotifyQuery(
    responder: Location,
    notify: [palletIndex: number, callIndex: number],
    timeout: number,
    matchQuerier: Location,
  ): bigint;
  /** What this chain's XCM executor charges, in `asset` (as named here), to run `message` (its weigher and trader):
   * a refused order's refund must pay its way home. Default: nothing. */
  homeExecutionFee?(asset: Location, message: Xcm): bigint;
  /** Blocks an order waits for Crust's answer (default `DEFAULT_ORDER_TIMEOUT`). */
  orderTimeout?: number;
  /** Who may change the pallet's parameters (default Root). */
  adminOrigin?: (origin: Origin) => void;
}

const p = pallet<XstorageConfig>('Xstorage', { module: 'xstorage_client' });
const config = (): XstorageConfig => p.config();

// ---- storage ------------------------------------------------------------------------------------------------------

export const CrustParaId = p.value('CrustParaId', u32, {
  default: CRUST_PARA_ID,
  docs: [" Crust's para id: orders go to `(1, [Parachain(id)])`, where CRU comes from."],
});
export const Fees = p.value('FeeParameters', FeeParametersCodec, {
  docs: [" The mirror of Crust's fees and execution costs orders are quoted with."],
});
export const Price = p.value('NativePrice', NativePriceCodec, {
  docs: [' What the chain token is worth in CRU, for `Native` payments (none: `Native` is refused).'],
});
export const Paused = p.value('Paused', bool, { default: false, docs: [' New orders are refused.'] });
export const OrderCount = p.value('OrderCount', u64, {
  default: 0n,
  docs: [' Orders placed so far (the next order id is derived from it).'],
});
export const Orders = p.map('Orders', ['Blake2_128Concat', H256], OrderCodec, {
  docs: [' Orders by id (the id is also the `SetTopic` of the order message).'],
});
export const QueryOrders = p.map('QueryOrders', ['Twox64Concat', u64], H256, {
  docs: [' The order each pending pallet-xcm query answers for.'],
});
export const OrderTimeouts = p.map('OrderTimeouts', ['Twox64Concat', u32], vec(H256), {
  default: [],
  docs: [' Orders that time out at a block if still pending.'],
});

// ---- events and errors ------------------------------------------------------------------------------------------

export const XstorageEvent = p.events({
  OrderPlaced: [
    0,
    {
      order_id: H256,
      who: AccountId,
      cid: bytes,
      size: u64,
      currency_id: CurrencyIdCodec,
      amount: u128,
      message_id: H256,
    },
    [' An order was paid for here and sent to Crust.'],
  ],
  OrderConfirmed: [
    1,
    { order_id: H256, who: AccountId, cid: bytes, size: u64 },
    [" Crust placed the order: its market charged the user's account there."],
  ],
  OrderFailed: [
    2,
    { order_id: H256, who: AccountId, error: OrderFailureCodec, refund: u128 },
    [
      ' Crust did not place the order; `refund` (in the order currency) is on its way back to the user, less the',
      " return trip's execution fee.",
    ],
  ],
  OrderTimedOut: [3, { order_id: H256, who: AccountId }, [' No answer from Crust by the deadline.']],
  CrustParaIdSet: [4, { para_id: u32 }],
  FeeParametersSet: [5, { fees: FeeParametersCodec }],
  NativePriceSet: [6, { price: option(NativePriceCodec) }],
  PausedSet: [7, { paused: bool }],
});

export const XstorageError = p.errors({
  Paused: [0, [' New orders are paused.']],
  EmptyCid: [1, [' The CID is empty.']],
  CidTooLong: [2, [' The CID is longer than `MaxCidLength`.']],
  ZeroSize: [3, [' A file of 0 bytes cannot be ordered.']],
  FileTooLarge: [4, [" The file is not smaller than Crust's `MaximumFileSize`."]],
  FeeAboveMaximum: [5, [' The quote is above the maximum the user accepts.']],
  NativePaymentUnavailable: [6, [' No price of the chain token in CRU is set.']],
  InsufficientBalance: [7, [' The user cannot pay the quote.']],
  Unreachable: [8, [' Crust cannot be reached.']],
  SendFailure: [9, [' The message could not be sent.']],
  UnknownQuery: [10, [' No order waits for this answer.']],
  NoFeeParameters: [11, [' The fee parameters are not set.']],
  Overflow: [12, [' The fee overflows.']],
});

// ---- weights ------------------------------------------------------------------------------------------------------

export const XstorageWeights = {
  /** Quote, payment (2 asset accounts), query, message, order, timeout index. */
  placeOrder: (): Weight => dbWeight(250_000_000, 16_000, 9, 9),
  onOrderResponse: (): Weight => dbWeight(60_000_000, 8_000, 3, 3),
  admin: (): Weight => dbWeight(10_000_000, 0, 0, 1),
};

// ---- logic -----------------------------------------------------------------------------------------------------

/** Crust as a location from here. */
export function crustLocation(): Location {
  return { parents: 1, interior: [{ type: 'Parachain', value: CrustParaId.get() }] };
}

/** The account's junction: `AccountId32` on 32-byte chains, `AccountKey20` on Ethereum-style ones. */
export function accountJunction(who: Uint8Array): Junction {
  return who.length === 20
    ? { type: 'AccountKey20', value: { key: who.slice() } }
    : { type: 'AccountId32', value: { id: who.slice() } };
}

function fees(): FeeParameters {
  const f = Fees.get();
  if (!f) throw XstorageError.fail('NoFeeParameters');
  return f;
}

/** The order currency as this chain names it: CRU in `ForeignAssets` at Crust's location, or `Here`. */
function assetHere(currency: CurrencyId): Location {
  return currency.type === 'Cru' ? crustLocation() : { parents: 0, interior: [] };
}

/** What bringing a refund of `currency` home to `who` costs here. */
function refundFee(currency: CurrencyId, who: Uint8Array): bigint {
  const asset = assetHere(currency);
  return config().homeExecutionFee?.(asset, refundArrival(currency.type, asset, accountJunction(who))) ?? 0n;
}

/** The quote of an order by `who` (throws the pallet's errors). */
export function quote(currency: CurrencyId, size: bigint, tips: bigint, who: Uint8Array): OrderQuote {
  try {
    return quoteOrder(
      fees(),
      Price.get(),
      currency,
      size,
      tips,
      ORDER_MESSAGE_INSTRUCTIONS,
      refundFee(currency, who),
    );
  } catch (err) {
    if (err instanceof QuoteError)
      throw XstorageError.fail(err.reason === 'NoNativePrice' ? 'NativePaymentUnavailable' : 'Overflow');
    throw err;
  }
}

/** What `estimate_fee` answers: the amount an order of `size` costs now with no tips, 0 when it cannot be placed. */
export function estimateFee(currency: CurrencyId, size: bigint): bigint {
  const f = Fees.get();
  if (!f || Paused.get() || size === 0n || size >= f.maximum_file_size) return 0n;
  try {
    const who = new Uint8Array(currentEnv('estimate_fee').runtime.accounts.length);
    return quoteOrder(
      f,
      Price.get(),
      currency,
      size,
      0n,
      ORDER_MESSAGE_INSTRUCTIONS,
      refundFee(currency, who),
    ).amount;
  } catch (err) {
    if (err instanceof QuoteError) return 0n;
    throw err;
  }
}

function checkOrder(cid: Uint8Array, size: bigint): void {
  if (Paused.get()) throw XstorageError.fail('Paused');
  if (cid.length === 0) throw XstorageError.fail('EmptyCid');
  if (cid.length > MAX_CID_LENGTH) throw XstorageError.fail('CidTooLong');
  if (size === 0n) throw XstorageError.fail('ZeroSize');
  if (size >= fees().maximum_file_size) throw XstorageError.fail('FileTooLarge');
}

const u32le = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

/** `blake2_256(b"xstorage/order" ++ u32_le(para id) ++ u64_le(nonce))`: unique across chains and orders. */
export function orderId(paraId: number, nonce: bigint): Uint8Array {
  const tag = new TextEncoder().encode('xstorage/order');
  const out = new Uint8Array(tag.length + 12);
  out.set(tag);
  out.set(u32le(paraId), tag.length);
  out.set(u64.encode(nonce), tag.length + 4);
  return blake2_256(out);
}

/** Takes `q.amount` of the order currency from `who`, as the chain's XCM would move it. */
function takePayment(who: Uint8Array, currency: CurrencyId, amount: bigint): void {
  const { assetTransactor } = config();
  const user: Location = { parents: 0, interior: [accountJunction(who)] };
  const crust = crustLocation();
  try {
    if (currency.type === 'Cru') {
      // CRU here is a claim on this chain's sovereign account on Crust: burnt here, withdrawn there.
      withdrawAsset(
        assetTransactor,
        { id: crust, fun: { type: 'Fungible', value: amount } },
        user,
        undefined,
      );
    } else {
      // The token's reserve is this chain: it goes into Crust's sovereign account here, deposited there.
      const ctx = { origin: user, messageId: new Uint8Array(32), topic: undefined };
      transferAsset(
        assetTransactor,
        { id: { parents: 0, interior: [] }, fun: { type: 'Fungible', value: amount } },
        user,
        crust,
        ctx,
      );
    }
  } catch (err) {
    if (err instanceof XcmFailure) throw XstorageError.fail('InsufficientBalance');
    throw err;
  }
}

/** The call Crust dispatches for the order. */
function orderCall(
  currency: CurrencyId,
  cid: Uint8Array,
  size: bigint,
  tips: bigint,
  q: OrderQuote,
): Uint8Array {
  if (currency.type === 'Native') {
    const token: Location = { parents: 1, interior: [{ type: 'Parachain', value: config().selfParaId }] };
    return placeOrderPayingWithCall(cid, size, tips, token, q.max_in);
  }
  return tips === 0n ? placeOrderThroughParachainCall(cid, size) : marketPlaceOrderCall(cid, size, tips);
}

function placeOrder(
  origin: Origin,
  currency: CurrencyId,
  cid: Uint8Array,
  size: bigint,
  tips: bigint,
  maxFee: bigint | undefined,
): void {
  const who = ensureSigned(origin);
  checkOrder(cid, size);
  const q = quote(currency, size, tips, who);
  if (maxFee !== undefined && q.amount > maxFee) throw XstorageError.fail('FeeAboveMaximum');
  takePayment(who, currency, q.amount);

  const c = config();
  const nonce = OrderCount.get();
  OrderCount.set(nonce + 1n);
  const id = orderId(c.selfParaId, nonce);
  const now = SystemNumber.get();
  const timeoutAt = now + (c.orderTimeout ?? DEFAULT_ORDER_TIMEOUT);
  const crust = crustLocation();
  const user = accountJunction(who);
  // Crust answers from the user's location there, which it names (0, [user]) as seen from here.
  const runtime = currentEnv('a notify query').runtime;
  const queryId = c.newNotifyQuery(
    crust,
    [runtime.palletIndex('Xstorage'), ON_ORDER_RESPONSE_INDEX],
    timeoutAt,
    { parents: 0, interior: [user] },
  );
  const f = fees();
  const message = orderMessage({
    currency: currency.type,
    selfParaId: c.selfParaId,
    crustParaId: CrustParaId.get(),
    user,
    amount: q.amount,
    execution: q.execution,
    deposit: q.deposit,
    refund: q.refund,
    weight: q.weight,
    call: orderCall(currency, cid, size, tips, q),
    callWeight: orderCallWeight(f, currency),
    queryId,
    responseWeight: XstorageWeights.onOrderResponse(),
    topic: id,
  });
  const sent = c.sendXcm(crust, message);
  if ('err' in sent)
    throw XstorageError.fail(
      sent.err.type === 'NotApplicable' || sent.err.type === 'Unroutable' ? 'Unreachable' : 'SendFailure',
    );
  const order: Order = {
    who,
    cid,
    size,
    currency_id: currency,
    amount: q.amount,
    deposit: q.deposit,
    refund: q.refund,
    tips,
    query_id: queryId,
    placed_at: now,
    timeout_at: timeoutAt,
    status: { type: 'Pending' },
  };
  Orders.set(id, order);
  QueryOrders.set(queryId, id);
  OrderTimeouts.mutate(timeoutAt, (ids) => {
    ids.push(id);
  });
  XstorageEvent.deposit({
    type: 'OrderPlaced',
    value: { order_id: id, who, cid, size, currency_id: currency, amount: q.amount, message_id: sent.ok },
  });
}

/**
 * What Crust's answer says went wrong, if anything: `DispatchResult` from `ReportTransactStatus` (the call's result),
 * or `ExecutionResult` from the error handler's `ReportError` (the call never ran); anything else is unexpected.
 */
export function orderFailureOf(response: Response): OrderFailure | undefined {
  if (response.type === 'DispatchResult')
    return response.value.type === 'Success' ? undefined : { type: 'Refused', value: response.value };
  if (response.type === 'ExecutionResult' && response.value)
    return { type: 'Execution', value: { index: response.value[0], error: response.value[1] } };
  return { type: 'UnexpectedResponse' };
}

function onOrderResponse(origin: Origin, queryId: bigint, response: Response): void {
  // Only Crust answers: pallet-xcm dispatches this with `Response(responder)`, any other origin is refused.
  const responder = ensureResponse(origin);
  if (!locationEquals(responder, crustLocation())) throw badOrigin();
  const id = QueryOrders.take(queryId);
  const order = id && Orders.get(id);
  if (!id || !order) throw XstorageError.fail('UnknownQuery');
  const failure = orderFailureOf(response);
  if (!failure) {
    order.status = { type: 'Confirmed' };
    XstorageEvent.deposit({
      type: 'OrderConfirmed',
      value: { order_id: id, who: order.who, cid: order.cid, size: order.size },
    });
  } else {
    order.status = { type: 'Failed', value: failure };
    const refund = failure.type === 'UnexpectedResponse' ? 0n : order.refund;
    XstorageEvent.deposit({
      type: 'OrderFailed',
      value: { order_id: id, who: order.who, error: failure, refund },
    });
  }
  Orders.set(id, order);
}

const admin = (origin: Origin) => (config().adminOrigin ?? ensureRoot)(origin);

const ON_ORDER_RESPONSE_INDEX = 2;

export interface XstorageGenesis {
  crust_para_id?: number;
  fee_parameters?: FeeParameters;
  native_price?: NativePrice;
  paused?: boolean;
}

export const Xstorage = p.build({
  docs: [' Storage orders placed on Crust from this chain, paid here in CRU or in the chain token.'],
  calls: {
    place_storage_order: call(
      0,
      { currency_id: CurrencyIdCodec, cid: bytes, size: u64 },
      {
        weight: XstorageWeights.placeOrder,
        typeNames: { currency_id: 'CurrencyId', cid: 'Vec<u8>', size: 'u64' },
        docs: [' Pay the quote of an order of `cid` (`size` bytes) in `currency_id` and send it to Crust.'],
        dispatch: (origin, { currency_id, cid, size }) =>
          placeOrder(origin, currency_id, cid, size, 0n, undefined),
      },
    ),
    place_storage_order_with_limits: call(
      1,
      { currency_id: CurrencyIdCodec, cid: bytes, size: u64, tips: u128, max_fee: u128 },
      {
        weight: XstorageWeights.placeOrder,
        typeNames: { currency_id: 'CurrencyId', cid: 'Vec<u8>', size: 'u64', tips: 'u128', max_fee: 'u128' },
        docs: [
          " As `place_storage_order`, with `tips` for Crust's storage merchants, refused with `FeeAboveMaximum`",
          ' (taking nothing) when the quote exceeds `max_fee`.',
        ],
        dispatch: (origin, { currency_id, cid, size, tips, max_fee }) =>
          placeOrder(origin, currency_id, cid, size, tips, max_fee),
      },
    ),
    on_order_response: call(
      ON_ORDER_RESPONSE_INDEX,
      { query_id: u64, response: ResponseCodec },
      {
        weight: XstorageWeights.onOrderResponse,
        typeNames: { query_id: 'QueryId', response: 'Response' },
        docs: [" Crust's answer to an order (pallet-xcm notifies it with the `Response(Crust)` origin)."],
        dispatch: (origin, { query_id, response }) => onOrderResponse(origin, query_id, response),
      },
    ),
    set_crust_para_id: call(
      3,
      { para_id: u32 },
      {
        weight: XstorageWeights.admin,
        typeNames: { para_id: 'u32' },
        docs: [" Set Crust's para id (admin)."],
        dispatch(origin, { para_id }) {
          admin(origin);
          CrustParaId.set(para_id);
          XstorageEvent.deposit({ type: 'CrustParaIdSet', value: { para_id } });
        },
      },
    ),
    set_fee_parameters: call(
      4,
      { fees: FeeParametersCodec },
      {
        weight: XstorageWeights.admin,
        typeNames: { fees: 'FeeParameters' },
        docs: [" Set the mirror of Crust's fees orders are quoted with (admin)."],
        dispatch(origin, { fees: f }) {
          admin(origin);
          Fees.set(f);
          XstorageEvent.deposit({ type: 'FeeParametersSet', value: { fees: f } });
        },
      },
    ),
    set_native_price: call(
      5,
      { price: option(NativePriceCodec) },
      {
        weight: XstorageWeights.admin,
        typeNames: { price: 'Option<NativePrice>' },
        docs: [' Set (or clear) the price of the chain token in CRU for `Native` payments (admin).'],
        dispatch(origin, { price }) {
          admin(origin);
          if (price) Price.set(price);
          else Price.kill();
          XstorageEvent.deposit({ type: 'NativePriceSet', value: { price } });
        },
      },
    ),
    set_paused: call(
      6,
      { paused: bool },
      {
        weight: XstorageWeights.admin,
        typeNames: { paused: 'bool' },
        docs: [' Pause or resume new orders (admin); answers to sent orders are still taken.'],
        dispatch(origin, { paused }) {
          admin(origin);
          Paused.set(paused);
          XstorageEvent.deposit({ type: 'PausedSet', value: { paused } });
        },
      },
    ),
  },
  constants: {
    MaxCidLength: constant(u32, () => MAX_CID_LENGTH, [' The longest CID an order may name (bytes).']),
    OrderTimeout: constant(u32, (c: XstorageConfig) => c.orderTimeout ?? DEFAULT_ORDER_TIMEOUT, [
      " Blocks an order waits for Crust's answer before it is marked `TimedOut`.",
    ]),
  },
  hooks: {
    onInitialize(n) {
      const due = OrderTimeouts.take(n);
      for (const id of due) {
        const order = Orders.get(id);
        if (order?.status.type !== 'Pending') continue;
        order.status = { type: 'TimedOut' };
        Orders.set(id, order);
        XstorageEvent.deposit({ type: 'OrderTimedOut', value: { order_id: id, who: order.who } });
      }
      return dbWeight(5_000_000, 0, 1 + 2 * due.length, 1 + due.length);
    },
  },
  genesis: {
    build(g: XstorageGenesis) {
      if (g.crust_para_id !== undefined) CrustParaId.set(g.crust_para_id);
      if (g.fee_parameters) Fees.set(g.fee_parameters);
      if (g.native_price) Price.set(g.native_price);
      if (g.paused) Paused.set(true);
    },
  },
});
