/**
 * What an order costs, from the pallet's mirror of Crust's fees (pure; see README.md "Fee quote"):
 *
 *   market fee  = fileBaseFee + fileByteFee × ⌈size / MiB⌉ + fileKeysCountFee            (Crust's get_file_fee)
 *   weight W    = instructions × UnitWeightCost + the Transact'ed call's weight             (FixedWeightBounds)
 *   execution   = ⌈per_second × W.ref_time / 10^12⌉                                          (CRU: UsingComponents)
 *   Cru:    deposit = market fee + tips + CRU's existential deposit;        amount = execution + deposit
 *   Native: CRU needed = market fee + tips + CRU's ED;  max_in = ⌈CRU needed × price.native / price.cru⌉
 *           deposit = max_in + the token's min balance on Crust;              amount = execution + deposit
 *   refund  = deposit + ⌊per_second × UnitWeightCost.ref_time / 10^12⌋, and deposit is raised so that refund
 *             pays the refund's trip home (`refund_fee`, what this chain's executor charges for it)
 *
 * The deposit goes into the user's account on Crust, which then pays the market (Native: after swapping at most
 * `max_in` of the token for the CRU). CRU's existential deposit keeps that account alive and is slack for a market
 * fee that rose after the mirror was last set; what the market does not take stays the user's on Crust. When Crust
 * refuses the order, its error handler sends the deposit home with the refunded weight of the message's last
 * instruction (its `SetTopic`, never run then): at least the `refund` above, which buys the trip home.
 */
import type { Weight } from '../../frame/weights.ts';
import type { CurrencyId, FeeParameters, NativePrice } from './types.ts';

export const MIB = 1_048_576n;
/** `WEIGHT_REF_TIME_PER_SECOND`. */
export const REF_TIME_PER_SECOND = 1_000_000_000_000n;

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** Crust's `get_file_fee` at the mirrored fees: base + byte × whole MiB (rounded up) + keys-count. */
export function marketFee(p: FeeParameters, size: bigint): bigint {
  return p.file_base_fee + p.file_byte_fee * ceilDiv(size, MIB) + p.file_keys_count_fee;
}

/** The weight Crust's `FixedWeightBounds` gives a message of `instructions` (nested ones counted) and `call`. */
export function messageWeight(p: FeeParameters, instructions: number, call: Weight): Weight {
  return {
    refTime: p.instruction_weight.refTime * instructions + call.refTime,
    proofSize: p.instruction_weight.proofSize * instructions + call.proofSize,
  };
}

/** The weight of the call an order in `currency` Transacts on Crust. */
export function orderCallWeight(p: FeeParameters, currency: CurrencyId): Weight {
  return currency.type === 'Cru' ? p.order_call_weight : p.native_order_call_weight;
}

/** `per_second` × ref time, rounded up (never below what Crust's trader takes). */
export function perSecondFee(perSecond: bigint, w: Weight): bigint {
  return ceilDiv(perSecond * BigInt(w.refTime), REF_TIME_PER_SECOND);
}

/** `per_second` × ref time, rounded down (never above what Crust's trader gives back). */
export function perSecondRefund(perSecond: bigint, w: Weight): bigint {
  return (perSecond * BigInt(w.refTime)) / REF_TIME_PER_SECOND;
}

export interface OrderQuote {
  currency_id: CurrencyId;
  /** What the user pays here, in `currency_id`. */
  amount: bigint;
  /** The part that buys the message's execution on Crust. */
  execution: bigint;
  /** The part that lands in the user's account on Crust (and comes back if Crust refuses the order). */
  deposit: bigint;
  /** Crust's market fee at the mirrored fees (CRU), without tips. */
  market_fee: bigint;
  /** CRU the order needs on Crust: market fee + tips + CRU's existential deposit. */
  cru_needed: bigint;
  /** Native only: the most of the token the swap on Crust may take for `cru_needed`. */
  max_in: bigint;
  /** The message's weight on Crust (what `BuyExecution` buys). */
  weight: Weight;
  /** What this chain charges to take a refund home (in `currency_id`). */
  refund_fee: bigint;
  /** The least a refused order sends home: the deposit and one refunded instruction (what the refund's
   * `BuyExecution` may spend). */
  refund: bigint;
}

export class QuoteError extends Error {
  override name = 'QuoteError';
  constructor(readonly reason: 'NoNativePrice' | 'Overflow') {
    super(reason === 'NoNativePrice' ? 'no price of the native token in CRU is set' : 'fee overflows u128');
  }
}

const U128_MAX = (1n << 128n) - 1n;

/**
 * The quote of an order of `size` bytes with `tips`, its message having `instructions` instructions; `refundFee`
 * is what this chain charges (in the order currency) to take a refund home.
 */
export function quoteOrder(
  p: FeeParameters,
  price: NativePrice | undefined,
  currency: CurrencyId,
  size: bigint,
  tips: bigint,
  instructions: number,
  refundFee = 0n,
): OrderQuote {
  const weight = messageWeight(p, instructions, orderCallWeight(p, currency));
  const fee = marketFee(p, size);
  const cruNeeded = fee + tips + p.cru_existential_deposit;
  const cru = currency.type === 'Cru';
  let maxIn = 0n;
  let deposit = cruNeeded;
  if (!cru) {
    if (!price || price.cru === 0n || price.native === 0n) throw new QuoteError('NoNativePrice');
    maxIn = ceilDiv(cruNeeded * price.native, price.cru);
    deposit = maxIn + p.native_min_balance;
  }
  const perSecond = cru ? p.cru_per_second : p.native_per_second;
  const execution = perSecondFee(perSecond, weight);
  const refunded = perSecondRefund(perSecond, p.instruction_weight);
  if (deposit + refunded < refundFee) deposit = refundFee - refunded;
  const q: OrderQuote = {
    currency_id: currency,
    amount: execution + deposit,
    execution,
    deposit,
    market_fee: fee,
    cru_needed: cruNeeded,
    max_in: maxIn,
    weight,
    refund_fee: refundFee,
    refund: deposit + refunded,
  };
  if (q.amount > U128_MAX) throw new QuoteError('Overflow');
  return q;
}
