/**
 * What Crust's `benefits` does besides its calls (cstrml/benefits/src/lib.rs): the era update (`update_era_benefit`),
 * the fee-free work report count (`maybe_free_count`), the fee reduction of a market fee (`maybe_reduce_fee`), the
 * group owners' collateral and unclaimed rewards the market reads and writes (`get_collateral_and_reward`,
 * `update_reward`), and the funds bookkeeping shared by the calls (`consolidate_unlocked`, `rebond`).
 */
import { state } from '../../frame/env.ts';
import type { BenefitInterface } from '../market/primitives.ts';
import { perbillMul } from '../market/primitives.ts';
import {
  CurrentBenefits,
  config,
  type FundsUnlockChunk,
  type MarketBenefit,
  MarketBenefits,
  type SworkBenefit,
  SworkBenefits,
} from './items.ts';
import { perbillFromRationalApproximation } from './perbill.ts';

const satSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
const U32_MAX = 0xffff_ffffn;

/** `consolidate_unlocked`: chunks whose era has come leave the total (the caller unreserves the difference). */
export function consolidateUnlocked<B extends { total_funds: bigint; unlocking_funds: FundsUnlockChunk[] }>(
  benefit: B,
  currentEra: number,
): B {
  let total = benefit.total_funds;
  const kept: FundsUnlockChunk[] = [];
  for (const chunk of benefit.unlocking_funds) {
    if (chunk.era > currentEra) kept.push(chunk);
    else total = satSub(total, chunk.value);
  }
  benefit.total_funds = total;
  benefit.unlocking_funds = kept;
  return benefit;
}

/** `rebond`: moves up to `value` of the latest unlocking chunks back to active funds. */
export function rebond<B extends { active_funds: bigint; unlocking_funds: FundsUnlockChunk[] }>(
  benefit: B,
  value: bigint,
): B {
  let unlocking = 0n;
  for (;;) {
    const last = benefit.unlocking_funds[benefit.unlocking_funds.length - 1];
    if (!last) break;
    if (unlocking + last.value <= value) {
      unlocking += last.value;
      benefit.active_funds += last.value;
      benefit.unlocking_funds.pop();
    } else {
      const diff = value - unlocking;
      unlocking += diff;
      benefit.active_funds += diff;
      last.value -= diff;
    }
    if (unlocking >= value) break;
  }
  return benefit;
}

/** `calculate_total_fee_reduction_count`: active funds / `BenefitReportWorkCost`, saturated into a u32. */
export function totalFeeReductionCount(activeFunds: bigint): number {
  const cost = config().benefitReportWorkCost;
  if (cost === 0n) return Number(U32_MAX);
  const n = activeFunds / cost;
  return Number(n > U32_MAX ? U32_MAX : n);
}

/** `calculate_fee_reduction_quota`: the owner's share of the era's quota by its share of market collateral. */
export function feeReductionQuota(activeFunds: bigint, totalActiveFunds: bigint, totalQuota: bigint): bigint {
  return perbillMul(perbillFromRationalApproximation(activeFunds, totalActiveFunds), totalQuota);
}

function refreshMarket(era: number, b: MarketBenefit): void {
  if (b.refreshed_at < era) {
    b.refreshed_at = era;
    b.used_fee_reduction_quota = 0n;
  }
}

function refreshSwork(era: number, b: SworkBenefit): void {
  if (b.refreshed_at < era) {
    b.refreshed_at = era;
    b.used_fee_reduction_count = 0;
  }
}

/**
 * `update_era_benefit(next_era, total_reward)`: starts `nextEra` with `BenefitsLimitRatio × totalReward` as its
 * fee-reduction quota; returns the quota used in the era that ended.
 */
export function updateEraBenefit(nextEra: number, totalReward: bigint): bigint {
  return doUpdateEraBenefit(nextEra, perbillMul(config().benefitsLimitRatio, totalReward));
}

/** `do_update_era_benefit`: the quota is given directly. */
export function doUpdateEraBenefit(nextEra: number, totalFeeReductionQuota: bigint): bigint {
  const current = CurrentBenefits.get();
  const used = current.used_fee_reduction_quota;
  current.active_era = nextEra;
  current.total_fee_reduction_quota = totalFeeReductionQuota;
  current.used_fee_reduction_quota = 0n;
  CurrentBenefits.set(current);
  return used;
}

/** `maybe_do_free_count`: whether `who`'s next work report is fee-free this era (and counts it if so). */
export function maybeFreeCount(who: Uint8Array): boolean {
  const era = CurrentBenefits.get().active_era;
  const benefit = SworkBenefits.get(who);
  refreshSwork(era, benefit);
  // Nothing is written for an account without swork funds (Crust saves the write).
  if (benefit.used_fee_reduction_count < benefit.total_fee_reduction_count) {
    benefit.used_fee_reduction_count += 1;
    SworkBenefits.set(who, benefit);
    return true;
  }
  return false;
}

/**
 * `maybe_do_reduce_fee`: withdraws `fee` from `who` (keeping it alive), of which `BenefitMarketCostRatio × fee` is
 * paid by newly issued units when both `who`'s share of the era's quota and the era's quota cover it. Returns the
 * credit of the whole fee (withdrawn + issued) for the caller to deposit, and the part the reduction paid. Changes
 * nothing if the withdrawal fails (the currency's error is thrown).
 */
export function maybeReduceFee(who: Uint8Array, fee: bigint): { credit: bigint; reduced: bigint } {
  return state().transactional(() => {
    const current = CurrentBenefits.get();
    const benefit = MarketBenefits.get(who);
    refreshMarket(current.active_era, benefit);
    const quota = feeReductionQuota(
      benefit.active_funds,
      current.total_market_active_funds,
      current.total_fee_reduction_quota,
    );
    const cost = perbillMul(config().benefitMarketCostRatio, fee);
    const reducible =
      benefit.used_fee_reduction_quota + cost <= quota &&
      current.used_fee_reduction_quota + cost <= current.total_fee_reduction_quota;
    const [charged, reduced] = reducible ? [fee - cost, cost] : [fee, 0n];
    const { currency, issue } = config();
    let credit = currency.withdraw(who, charged, { precision: 'Exact', preservation: 'Preserve' });
    if (reduced !== 0n) {
      current.used_fee_reduction_quota += reduced;
      benefit.used_fee_reduction_quota += reduced;
      MarketBenefits.set(who, benefit);
      CurrentBenefits.set(current);
      credit += issue(reduced);
    }
    return { credit, reduced };
  });
}

/** `get_market_funds_ratio`: `who`'s share (Perbill parts) of all market collateral. */
export function marketFundsRatio(who: Uint8Array): number {
  const b = MarketBenefits.get(who);
  if (b.active_funds === 0n) return 0;
  return perbillFromRationalApproximation(b.active_funds, CurrentBenefits.get().total_market_active_funds);
}

/** `update_reward`: sets `who`'s unclaimed file reward; a benefit left with nothing at all is removed. */
export function updateReward(who: Uint8Array, value: bigint): void {
  const b = MarketBenefits.get(who);
  b.file_reward = value;
  if (b.unlocking_funds.length === 0 && b.active_funds === 0n && b.file_reward === 0n)
    MarketBenefits.remove(who);
  else MarketBenefits.set(who, b);
}

/** `get_collateral_and_reward` */
export function collateralAndReward(who: Uint8Array): [bigint, bigint] {
  const b = MarketBenefits.get(who);
  return [b.active_funds, b.file_reward];
}

/** Crust's `BenefitInterface` as the market and swork take it through their Configs. */
export const benefitInterface: BenefitInterface = {
  collateralAndReward,
  updateReward,
  maybeFreeCount,
};

/**
 * `check_and_update_market_funds`: if the books say more is reserved than the account holds in reserve (a slash
 * elsewhere), the books follow the reserve.
 */
export function checkAndUpdateMarketFunds(who: Uint8Array): void {
  const b = MarketBenefits.get(who);
  const reserved = config().currency.reserved(who);
  if (b.total_funds <= reserved) return;
  const oldTotal = b.total_funds;
  const oldActive = b.active_funds;
  b.total_funds = reserved;
  b.active_funds = satSub(b.active_funds + b.total_funds, oldTotal);
  CurrentBenefits.mutate((c) => {
    c.total_market_active_funds = satSub(c.total_market_active_funds + b.active_funds, oldActive);
  });
  MarketBenefits.set(who, b);
}

/** `check_and_update_swork_funds`: as for market funds. */
export function checkAndUpdateSworkFunds(who: Uint8Array): void {
  const b = SworkBenefits.get(who);
  const reserved = config().currency.reserved(who);
  if (b.total_funds <= reserved) return;
  const oldTotal = b.total_funds;
  b.total_funds = reserved;
  b.active_funds = satSub(b.active_funds + b.total_funds, oldTotal);
  b.total_fee_reduction_count = totalFeeReductionCount(b.active_funds);
  SworkBenefits.set(who, b);
}
