/**
 * Crust's `benefits` as a pallet named `Benefits` (cstrml/benefits/src/lib.rs, mainnet): reserved funds that give a
 * group owner market collateral (checked before the first four reporters of a file are paid) and fee reductions,
 * and a worker's account fee-free work reports. Calls at Crust's indices (`decl_module!` order): 0
 * `add_benefit_funds`, 1 `cut_benefit_funds`, 2 `withdraw_benefit_funds`, 3 `rebond_benefit_funds`. Cut funds
 * unlock `BondingDuration` eras later; eras come from the pallet's own clock (see `BenefitsConfig.eraLength`).
 */

import { DispatchFailure } from '../../frame/dispatch-error.ts';
import { ensureSigned } from '../../frame/origin.ts';
import { call, constant } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, weight } from '../../frame/weights.ts';
import { compact, u32, u128 } from '../../scale/primitives.ts';
import { Perbill } from '../market/primitives.ts';
import {
  type BenefitsConfig,
  BenefitsError,
  BenefitsEvent,
  CurrentBenefits,
  config,
  type FundsType,
  FundsTypeCodec,
  MAX_UNLOCKING_CHUNKS,
  MarketBenefits,
  p,
  SworkBenefits,
} from './items.ts';
import {
  checkAndUpdateMarketFunds,
  checkAndUpdateSworkFunds,
  consolidateUnlocked,
  rebond,
  totalFeeReductionCount,
  updateEraBenefit,
} from './logic.ts';

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
const w = (refTime: number, reads: number, writes: number): Weight =>
  addWeight(weight(refTime, 4_000), weight(reads * READ + writes * WRITE, 0));

/** Crust's benchmarked weights (cstrml/benefits/src/weight.rs) plus RocksDb reads and writes. */
export const BenefitsWeights = {
  addBenefitFunds: () => w(84_000_000, 7, 5),
  cutBenefitFunds: () => w(63_000_000, 6, 4),
  rebondBenefitFunds: () => w(71_000_000, 6, 4),
  withdrawBenefitFunds: () => w(114_000_000, 8, 4),
};

const satSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);

export interface BenefitsGenesis {
  /** Funds reserved at genesis as `add_benefit_funds` would (the account must hold them free). */
  funds?: Array<[who: Uint8Array, amount: bigint, type: FundsType]>;
}

function addFunds(who: Uint8Array, value: bigint, type: FundsType): void {
  try {
    config().currency.reserve(who, value);
  } catch (err) {
    if (err instanceof DispatchFailure) throw BenefitsError.fail('InsuffientBalance');
    throw err;
  }
  if (type === 'SWORK') {
    SworkBenefits.mutate(who, (b) => {
      b.active_funds += value;
      b.total_funds += value;
      b.total_fee_reduction_count = totalFeeReductionCount(b.active_funds);
    });
  } else {
    MarketBenefits.mutate(who, (b) => {
      b.active_funds += value;
      b.total_funds += value;
    });
    CurrentBenefits.mutate((c) => {
      c.total_market_active_funds += value;
    });
  }
}

/** Moves up to `value` of active funds into an unlocking chunk; returns what was cut (dust included). */
function cutFunds(
  b: { active_funds: bigint; unlocking_funds: Array<{ value: bigint; era: number }> },
  requested: bigint,
): bigint {
  if (b.unlocking_funds.length >= MAX_UNLOCKING_CHUNKS) throw BenefitsError.fail('NoMoreChunks');
  let value = requested < b.active_funds ? requested : b.active_funds;
  if (value === 0n) return 0n;
  b.active_funds -= value;
  // No dust below the existential deposit is left in the benefit system.
  if (b.active_funds < config().currency.existentialDeposit()) {
    value += b.active_funds;
    b.active_funds = 0n;
  }
  b.unlocking_funds.push({ value, era: CurrentBenefits.get().active_era + config().bondingDuration });
  return value;
}

export const Benefits = p.build({
  docs: [' Crust benefits: market collateral, fee reductions and fee-free work reports.'],
  calls: {
    add_benefit_funds: call(
      0,
      { value: compact(u128), funds_type: FundsTypeCodec },
      {
        weight: BenefitsWeights.addBenefitFunds,
        dispatch(origin, { value, funds_type }) {
          const who = ensureSigned(origin);
          addFunds(who, value, funds_type.type);
          BenefitsEvent.deposit({ type: 'AddBenefitFundsSuccess', value: [who, value, funds_type] });
        },
        typeNames: { value: 'BalanceOf<T>', funds_type: 'FundsType' },
        docs: [' Add benefit funds'],
      },
    ),
    cut_benefit_funds: call(
      1,
      { value: compact(u128), funds_type: FundsTypeCodec },
      {
        weight: BenefitsWeights.cutBenefitFunds,
        dispatch(origin, { value, funds_type }) {
          const who = ensureSigned(origin);
          if (funds_type.type === 'SWORK') {
            if (!SworkBenefits.contains(who)) throw BenefitsError.fail('InvalidTarget');
            const b = SworkBenefits.get(who);
            if (cutFunds(b, value) !== 0n) {
              b.total_fee_reduction_count = totalFeeReductionCount(b.active_funds);
              SworkBenefits.set(who, b);
            }
          } else {
            if (!MarketBenefits.contains(who)) throw BenefitsError.fail('InvalidTarget');
            const b = MarketBenefits.get(who);
            const cut = cutFunds(b, value);
            if (cut !== 0n) {
              MarketBenefits.set(who, b);
              CurrentBenefits.mutate((c) => {
                c.total_market_active_funds = satSub(c.total_market_active_funds, cut);
              });
            }
          }
          // Crust's event carries the value asked for (its arms shadow `value`; the event reads the argument).
          BenefitsEvent.deposit({ type: 'CutBenefitFundsSuccess', value: [who, value, funds_type] });
        },
        typeNames: { value: 'BalanceOf<T>', funds_type: 'FundsType' },
        docs: [' Cut benefit funds'],
      },
    ),
    withdraw_benefit_funds: call(
      2,
      {},
      {
        weight: BenefitsWeights.withdrawBenefitFunds,
        dispatch(origin) {
          const who = ensureSigned(origin);
          const { currency } = config();
          const era = CurrentBenefits.get().active_era;
          let unreserved = 0n;
          if (SworkBenefits.contains(who)) {
            checkAndUpdateSworkFunds(who);
            const b = SworkBenefits.get(who);
            const old = b.total_funds;
            consolidateUnlocked(b, era);
            const freed = satSub(old, b.total_funds);
            currency.unreserve(who, freed);
            if (b.unlocking_funds.length === 0 && b.active_funds === 0n) SworkBenefits.remove(who);
            else SworkBenefits.set(who, b);
            unreserved += freed;
          }
          if (MarketBenefits.contains(who)) {
            checkAndUpdateMarketFunds(who);
            const b = MarketBenefits.get(who);
            const old = b.total_funds;
            consolidateUnlocked(b, era);
            const freed = satSub(old, b.total_funds);
            currency.unreserve(who, freed);
            if (b.unlocking_funds.length === 0 && b.active_funds === 0n && b.file_reward === 0n)
              MarketBenefits.remove(who);
            else MarketBenefits.set(who, b);
            unreserved += freed;
          }
          BenefitsEvent.deposit({ type: 'WithdrawBenefitFundsSuccess', value: [who, unreserved] });
        },
        docs: [' Withdraw benefit funds'],
      },
    ),
    rebond_benefit_funds: call(
      3,
      { value: compact(u128), funds_type: FundsTypeCodec },
      {
        weight: BenefitsWeights.rebondBenefitFunds,
        dispatch(origin, { value, funds_type }) {
          const who = ensureSigned(origin);
          const ed = config().currency.existentialDeposit();
          if (funds_type.type === 'SWORK') {
            if (!SworkBenefits.contains(who)) throw BenefitsError.fail('InvalidTarget');
            const b = SworkBenefits.get(who);
            if (b.unlocking_funds.length === 0) throw BenefitsError.fail('NoUnlockChunk');
            rebond(b, value);
            if (b.active_funds < ed) throw BenefitsError.fail('InsufficientValue');
            b.total_fee_reduction_count = totalFeeReductionCount(b.active_funds);
            SworkBenefits.set(who, b);
          } else {
            if (!MarketBenefits.contains(who)) throw BenefitsError.fail('InvalidTarget');
            const b = MarketBenefits.get(who);
            const oldActive = b.active_funds;
            if (b.unlocking_funds.length === 0) throw BenefitsError.fail('NoUnlockChunk');
            rebond(b, value);
            if (b.active_funds < ed) throw BenefitsError.fail('InsufficientValue');
            MarketBenefits.set(who, b);
            CurrentBenefits.mutate((c) => {
              c.total_market_active_funds = satSub(c.total_market_active_funds + b.active_funds, oldActive);
            });
          }
          BenefitsEvent.deposit({ type: 'RebondBenefitFundsSuccess', value: [who, value, funds_type] });
        },
        typeNames: { value: 'BalanceOf<T>', funds_type: 'FundsType' },
        docs: [' Rebond benefit funds'],
      },
    ),
  },
  constants: {
    BenefitReportWorkCost: constant(u128, (c: BenefitsConfig) => c.benefitReportWorkCost, [
      ' The amount of active swork funds for one fee-free report works extrinsic.',
    ]),
    BenefitsLimitRatio: constant(Perbill, (c: BenefitsConfig) => c.benefitsLimitRatio, [
      ' The ratio between total benefit limitation and total reward.',
    ]),
    BenefitMarketCostRatio: constant(Perbill, (c: BenefitsConfig) => c.benefitMarketCostRatio, [
      ' The ratio that benefit will cost, the remaining fee would still be charged.',
    ]),
    BondingDuration: constant(u32, (c: BenefitsConfig) => c.bondingDuration, [
      ' Number of eras that cut funds must remain reserved for.',
    ]),
    EraLength: constant(u32, (c: BenefitsConfig) => c.eraLength, [
      ' Blocks per era of the pallet clock (0: eras advance only through update_era_benefit).',
    ]),
  },
  hooks: {
    onInitialize(now) {
      const c = p.config();
      if (c.eraLength <= 0 || now === 0 || now % c.eraLength !== 0) return weight(0);
      const era = now / c.eraLength;
      updateEraBenefit(era, c.eraReward?.(era) ?? 0n);
      return addWeight(weight(0), weight(READ + WRITE, 0));
    },
  },
  genesis: {
    default: (): BenefitsGenesis => ({}),
    build(g: BenefitsGenesis) {
      for (const [who, amount, type] of g.funds ?? []) addFunds(who, amount, type);
    },
  },
});
