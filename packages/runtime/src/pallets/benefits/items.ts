/**
 * Crust's `benefits` declarations (cstrml/benefits/src/lib.rs, mainnet): its Config, stored types field for field
 * (`EraBenefits`, `MarketBenefit`, `SworkBenefit`, `FundsUnlockChunk`, `FundsType`), storage names, hashers and
 * defaults, events and errors at Crust's indices.
 */
import { AccountId } from '../../frame/account.ts';
import { pallet } from '../../frame/pallet.ts';
import type { Codec } from '../../scale/codec.ts';
import { enumeration, struct, tuple, vec } from '../../scale/composite.ts';
import { compact, u32, u128 } from '../../scale/primitives.ts';
import type { NativeCurrency } from '../balances/adapter.ts';

/** The currency benefits reserve collateral with (a subset of `NativeCurrency`, e.g. `BalancesCurrency`). */
export type BenefitsCurrency = Pick<
  NativeCurrency,
  'existentialDeposit' | 'reserve' | 'unreserve' | 'reserved' | 'withdraw'
>;

export interface BenefitsConfig {
  currency: BenefitsCurrency;
  /** `Balanced::issue` (a credit of new units): what a fee reduction is paid with. */
  issue: (amount: bigint) => bigint;
  /** `BenefitReportWorkCost`: active swork funds per fee-free work report in an era. */
  benefitReportWorkCost: bigint;
  /** `BenefitsLimitRatio` (Perbill parts): the era's fee-reduction quota as a share of the era's total reward. */
  benefitsLimitRatio: number;
  /** `BenefitMarketCostRatio` (Perbill parts): the share of a fee the reduction pays. */
  benefitMarketCostRatio: number;
  /** `BondingDuration` in eras: cut funds unlock this many eras later. */
  bondingDuration: number;
  /**
   * Blocks per era. Crust's staking starts each era and calls `update_era_benefit`; without staking the pallet keeps
   * its own era clock: era `n / eraLength` begins at block `n` (0 = never; eras advance only through
   * `updateEraBenefit`).
   */
  eraLength: number;
  /** The era's total staking reward (what `BenefitsLimitRatio` is taken of); no staking here, so 0 by default. */
  eraReward?: (era: number) => bigint;
}

export const p = pallet<BenefitsConfig>('Benefits', { module: 'cstrml_benefits' });
export const config = (): BenefitsConfig => p.config();

const Balance = compact(u128);
const EraIndex = compact(u32);

export interface FundsUnlockChunk {
  value: bigint;
  era: number;
}

export const FundsUnlockChunkCodec: Codec<FundsUnlockChunk> = struct(
  { value: Balance, era: EraIndex },
  { value: 'Balance', era: 'EraIndex' },
).named(['cstrml_benefits', 'FundsUnlockChunk']);

export interface EraBenefits {
  /** The era's total fee-reduction quota. */
  total_fee_reduction_quota: bigint;
  /** Market collateral of every owner together. */
  total_market_active_funds: bigint;
  /** Fee reduction used in the era. */
  used_fee_reduction_quota: bigint;
  active_era: number;
}

export const EraBenefitsCodec: Codec<EraBenefits> = struct(
  {
    total_fee_reduction_quota: Balance,
    total_market_active_funds: Balance,
    used_fee_reduction_quota: Balance,
    active_era: EraIndex,
  },
  {
    total_fee_reduction_quota: 'Balance',
    total_market_active_funds: 'Balance',
    used_fee_reduction_quota: 'Balance',
    active_era: 'EraIndex',
  },
).named(['cstrml_benefits', 'EraBenefits']);

export interface MarketBenefit {
  /** Reserved funds: active plus unlocking. */
  total_funds: bigint;
  /** The collateral a group owner's first-reporter rewards are checked against. */
  active_funds: bigint;
  used_fee_reduction_quota: bigint;
  /** File rewards earned and not yet claimed (`market.reward_merchant`). */
  file_reward: bigint;
  refreshed_at: number;
  unlocking_funds: FundsUnlockChunk[];
}

export const MarketBenefitCodec: Codec<MarketBenefit> = struct(
  {
    total_funds: Balance,
    active_funds: Balance,
    used_fee_reduction_quota: Balance,
    file_reward: Balance,
    refreshed_at: EraIndex,
    unlocking_funds: vec(FundsUnlockChunkCodec),
  },
  {
    total_funds: 'Balance',
    active_funds: 'Balance',
    used_fee_reduction_quota: 'Balance',
    file_reward: 'Balance',
    refreshed_at: 'EraIndex',
    unlocking_funds: 'Vec<FundsUnlockChunk<Balance>>',
  },
).named(['cstrml_benefits', 'MarketBenefit']);

export interface SworkBenefit {
  total_funds: bigint;
  active_funds: bigint;
  /** Fee-free work reports per era: active funds / `BenefitReportWorkCost`. */
  total_fee_reduction_count: number;
  used_fee_reduction_count: number;
  refreshed_at: number;
  unlocking_funds: FundsUnlockChunk[];
}

export const SworkBenefitCodec: Codec<SworkBenefit> = struct(
  {
    total_funds: Balance,
    active_funds: Balance,
    total_fee_reduction_count: u32,
    used_fee_reduction_count: u32,
    refreshed_at: EraIndex,
    unlocking_funds: vec(FundsUnlockChunkCodec),
  },
  {
    total_funds: 'Balance',
    active_funds: 'Balance',
    refreshed_at: 'EraIndex',
    unlocking_funds: 'Vec<FundsUnlockChunk<Balance>>',
  },
).named(['cstrml_benefits', 'SworkBenefit']);

export type FundsType = 'SWORK' | 'MARKET';
export const FundsTypeCodec = enumeration({ SWORK: [0], MARKET: [1] }).named([
  'cstrml_benefits',
  'FundsType',
]) as unknown as Codec<{ type: FundsType }>;

export const emptyMarketBenefit = (): MarketBenefit => ({
  total_funds: 0n,
  active_funds: 0n,
  used_fee_reduction_quota: 0n,
  file_reward: 0n,
  refreshed_at: 0,
  unlocking_funds: [],
});

export const emptySworkBenefit = (): SworkBenefit => ({
  total_funds: 0n,
  active_funds: 0n,
  total_fee_reduction_count: 0,
  used_fee_reduction_count: 0,
  refreshed_at: 0,
  unlocking_funds: [],
});

export const CurrentBenefits = p.value('CurrentBenefits', EraBenefitsCodec, {
  default: {
    total_fee_reduction_quota: 0n,
    total_market_active_funds: 0n,
    used_fee_reduction_quota: 0n,
    active_era: 0,
  },
  docs: [' The global benefits information'],
});
export const MarketBenefits = p.map('MarketBenefits', ['Blake2_128Concat', AccountId], MarketBenefitCodec, {
  default: emptyMarketBenefit(),
  docs: [' The market benefit'],
});
export const SworkBenefits = p.map('SworkBenefits', ['Blake2_128Concat', AccountId], SworkBenefitCodec, {
  default: emptySworkBenefit(),
  docs: [' The sworker benefit'],
});

const BalanceRaw = u128;

export const BenefitsEvent = p.events({
  AddBenefitFundsSuccess: [
    0,
    tuple(AccountId, BalanceRaw, FundsTypeCodec),
    [
      ' Add benefit funds success.',
      ' The first item is the account.',
      ' The second item is the added benefit amount.',
    ],
  ],
  CutBenefitFundsSuccess: [
    1,
    tuple(AccountId, BalanceRaw, FundsTypeCodec),
    [
      ' Cut benefit funds success',
      ' The first item is the account.',
      ' The second item is the decreased benefit amount.',
    ],
  ],
  RebondBenefitFundsSuccess: [
    2,
    tuple(AccountId, BalanceRaw, FundsTypeCodec),
    [
      ' Rebond benefit funds success',
      ' The first item is the account.',
      ' The second item is the rebonded benefit amount.',
    ],
  ],
  WithdrawBenefitFundsSuccess: [
    3,
    tuple(AccountId, BalanceRaw),
    [
      ' Withdraw benefit funds success',
      ' The first item is the account.',
      ' The second item is the withdrawed benefit amount.',
    ],
  ],
});

export const BenefitsError = p.errors({
  InsuffientBalance: [0, [" Don't have enough money"]],
  InvalidTarget: [1, [" Don't have benefit records"]],
  NoMoreChunks: [2, [' Can not schedule more unlock chunks.']],
  NoUnlockChunk: [3, [' Can not rebond without unlocking chunks.']],
  InsufficientValue: [4, [' Can not bond with value less than minimum balance.']],
});

/** `MAX_UNLOCKING_CHUNKS` */
export const MAX_UNLOCKING_CHUNKS = 16;
