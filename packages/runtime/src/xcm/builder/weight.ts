/**
 * xcm-builder `weight.rs`: the `FixedWeightBounds` weigher (a unit cost per instruction, nested messages counted,
 * `Transact` adding its call's weight) and two traders: `UsingComponents` (the native token at the runtime's
 * weight-to-fee) and `FixedRateOfFungible` (so many units of one asset per second of ref time and per MB of proof).
 * Traders keep what they took and hand it to a revenue sink when the message is done (Rust's `Drop`).
 */
import { addWeight, anyGt, minWeight, subWeight, type Weight, ZERO_WEIGHT } from '../../frame/weights.ts';
import { WEIGHT_REF_TIME_PER_SECOND } from '../../frame/weights.ts';
import {
  type Asset,
  type AssetId,
  AssetIdCodec,
  fromFrameWeight,
  type Instruction,
  type Location,
  type Xcm,
} from '../index.ts';
import { transactCallInfo } from '../executor/call.ts';
import { XcmFailure, xcmFail } from '../executor/errors.ts';
import { XcmInstructionFailure } from '../executor/executor.ts';
import type { WeightBounds, WeightTrader, WeightTraderFactory } from '../executor/traits.ts';

/** frame_support `WEIGHT_PROOF_SIZE_PER_MB`. */
export const WEIGHT_PROOF_SIZE_PER_MB = 1024 * 1024;
/** The parachain template's `UnitWeightCost`: one XCM instruction. */
export const UNIT_WEIGHT_COST: Readonly<Weight> = Object.freeze({
  refTime: 1_000_000_000,
  proofSize: 64 * 1024,
});
/** The parachain template's `MaxInstructions`. */
export const MAX_INSTRUCTIONS = 100;

const U32_MAX = 0xffff_ffff;

/** `FixedWeightBounds<UnitWeightCost, RuntimeCall, MaxInstructions>`. */
export function fixedWeightBounds(
  unitWeightCost: Weight = UNIT_WEIGHT_COST,
  maxInstructions: number = MAX_INSTRUCTIONS,
): WeightBounds {
  const counter = { left: 0 };
  function instrWeight(instruction: Instruction, left: { left: number }, limit: Weight): Weight {
    let extra: Weight = ZERO_WEIGHT;
    switch (instruction.type) {
      case 'Transact':
        extra = transactCallInfo(instruction.value.call).weight;
        break;
      case 'SetErrorHandler':
      case 'SetAppendix':
        extra = nested(instruction.value, left, limit);
        break;
      case 'ExecuteWithOrigin':
        extra = nested(instruction.value.xcm, left, limit);
        break;
    }
    const total = addWeight(unitWeightCost, extra);
    if (total.refTime > Number.MAX_SAFE_INTEGER || total.proofSize > Number.MAX_SAFE_INTEGER)
      throw xcmFail('Overflow');
    return total;
  }
  function nested(xcm: Xcm, left: { left: number }, limit: Weight): Weight {
    try {
      return weightWithLimit(xcm, left, limit);
    } catch (err) {
      // A nested failure is the outer instruction's (polkadot-sdk maps the inner InstructionError to its error).
      if (err instanceof XcmInstructionFailure) throw new XcmFailure(err.error, err.reason);
      throw err;
    }
  }
  function weightWithLimit(xcm: Xcm, left: { left: number }, limit: Weight): Weight {
    let total: Weight = ZERO_WEIGHT;
    for (let index = 0; index < xcm.length; index++) {
      const i = Math.min(index, 255);
      if (left.left === 0)
        throw new XcmInstructionFailure(i, { type: 'ExceedsStackLimit' }, 'too many instructions');
      left.left--;
      let w: Weight;
      try {
        w = instrWeight(xcm[index], left, limit);
      } catch (err) {
        if (err instanceof XcmInstructionFailure) throw err;
        if (err instanceof XcmFailure) throw new XcmInstructionFailure(i, err.error, err.reason);
        throw err;
      }
      total = addWeight(total, w);
      if (total.refTime > Number.MAX_SAFE_INTEGER || total.proofSize > Number.MAX_SAFE_INTEGER)
        throw new XcmInstructionFailure(i, { type: 'Overflow' });
      if (anyGt(total, limit)) {
        throw new XcmInstructionFailure(i, { type: 'WeightLimitReached', value: fromFrameWeight(total) });
      }
    }
    return total;
  }
  return {
    weight(message, weightLimit) {
      counter.left = maxInstructions;
      return weightWithLimit(message, counter, weightLimit);
    },
    instrWeight(instruction) {
      const max = { refTime: Number.MAX_SAFE_INTEGER, proofSize: Number.MAX_SAFE_INTEGER };
      return instrWeight(instruction, { left: U32_MAX }, max);
    },
  };
}

const sameId = (a: AssetId, b: AssetId) => AssetIdCodec.compare(a, b) === 0;

/** `UsingComponents` configuration. */
export interface UsingComponentsOptions {
  /** The runtime's `WeightToFee` (e.g. transaction-payment's polynomial). */
  weightToFee: (w: Weight) => bigint;
  /** The native token as XCM names it here (`Here`, or `Parent` for a relay token). */
  assetId: Location;
  /** `OnUnbalanced`: what becomes of the fees taken, once the message is done; absent: burned. */
  onUnbalanced?: (amount: bigint) => void;
}

/** `UsingComponents<WeightToFee, AssetId, AccountId, Currency, OnUnbalanced>`. */
export function usingComponents(opts: UsingComponentsOptions): WeightTraderFactory {
  return () => {
    let bought: Weight = ZERO_WEIGHT;
    let paid = 0n;
    return {
      buyWeight(weight, payment) {
        const amount = opts.weightToFee(weight);
        const rest = payment.checkedSub({ id: opts.assetId, fun: { type: 'Fungible', value: amount } });
        if (!rest) throw xcmFail('TooExpensive');
        bought = addWeight(bought, weight);
        paid += amount;
        return rest;
      },
      refundWeight(weight) {
        const w = minWeight(weight, bought);
        const amount = opts.weightToFee(w);
        bought = subWeight(bought, w);
        const refund = amount < paid ? amount : paid;
        paid -= refund;
        return refund > 0n ? { id: opts.assetId, fun: { type: 'Fungible', value: refund } } : undefined;
      },
      quoteWeight(weight, given) {
        if (!sameId(given, opts.assetId)) throw xcmFail('AssetNotFound');
        return { id: opts.assetId, fun: { type: 'Fungible', value: opts.weightToFee(weight) } };
      },
      finish() {
        if (paid > 0n) opts.onUnbalanced?.(paid);
        paid = 0n;
      },
    };
  };
}

/** `FixedRateOfFungible` configuration: `T::get() = (AssetId, units per second, units per MB)`. */
export interface FixedRateOptions {
  assetId: AssetId;
  unitsPerSecond: bigint;
  unitsPerMb: bigint;
  /** `TakeRevenue`: what becomes of the fees taken; absent: burned. */
  takeRevenue?: (revenue: Asset) => void;
}

/** The price of `w` at a fixed rate (both dimensions, each rounded down, as polkadot-sdk). */
export function fixedRatePrice(
  opts: Pick<FixedRateOptions, 'unitsPerSecond' | 'unitsPerMb'>,
  w: Weight,
): bigint {
  return (
    (opts.unitsPerSecond * BigInt(w.refTime)) / BigInt(WEIGHT_REF_TIME_PER_SECOND) +
    (opts.unitsPerMb * BigInt(w.proofSize)) / BigInt(WEIGHT_PROOF_SIZE_PER_MB)
  );
}

/** `FixedRateOfFungible<T, R>`. */
export function fixedRateOfFungible(opts: FixedRateOptions): WeightTraderFactory {
  return () => {
    let bought: Weight = ZERO_WEIGHT;
    let paid = 0n;
    const trader: WeightTrader = {
      buyWeight(weight, payment) {
        const amount = fixedRatePrice(opts, weight);
        if (amount === 0n) return payment;
        const rest = payment.checkedSub({ id: opts.assetId, fun: { type: 'Fungible', value: amount } });
        if (!rest) throw xcmFail('TooExpensive');
        bought = addWeight(bought, weight);
        paid += amount;
        return rest;
      },
      refundWeight(weight) {
        const w = minWeight(weight, bought);
        const amount = fixedRatePrice(opts, w);
        bought = subWeight(bought, w);
        const refund = amount < paid ? amount : paid;
        paid -= refund;
        return refund > 0n ? { id: opts.assetId, fun: { type: 'Fungible', value: refund } } : undefined;
      },
      quoteWeight(weight, given) {
        if (!sameId(given, opts.assetId)) throw xcmFail('AssetNotFound');
        return { id: opts.assetId, fun: { type: 'Fungible', value: fixedRatePrice(opts, weight) } };
      },
      finish() {
        if (paid > 0n) opts.takeRevenue?.({ id: opts.assetId, fun: { type: 'Fungible', value: paid } });
        paid = 0n;
      },
    };
    return trader;
  };
}

/** Holding-free helper for tests and fee queries: what `trader` would charge for `weight` in `asset`. */
export function quoteWith(trader: WeightTraderFactory, weight: Weight, asset: AssetId): Asset {
  const t = trader();
  if (!t.quoteWeight) throw xcmFail('Unimplemented');
  return t.quoteWeight(weight, asset, { origin: undefined, messageId: new Uint8Array(32), topic: undefined });
}
