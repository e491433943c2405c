/**
 * The market's Config (Crust's `market::Config` plus the durations Crust hard-codes in `primitives::constants`), and
 * Crust mainnet's values (runtime/src/lib.rs `parameter_types!` for market, primitives/src/constants.rs `market`),
 * which a devnet overrides to run a file's whole life in minutes.
 */
import type { NativeCurrency } from '../balances/adapter.ts';
import {
  type BenefitInterface,
  CRUST_REPORT_SLOT,
  perbillFromPercent,
  perbillFromRational,
  type SworkerInterface,
} from './primitives.ts';

/** The currency the market charges and pays with (a subset of `NativeCurrency`, e.g. `BalancesCurrency`). */
export type MarketCurrency = Pick<
  NativeCurrency,
  'existentialDeposit' | 'free' | 'reducible' | 'transfer' | 'mint' | 'burn'
>;

/** Told about every replica the market adds or removes (the storage challenge pallet keeps its index with it). */
export interface ReplicaObserver {
  added(cid: Uint8Array, owner: Uint8Array): void;
  removed(cid: Uint8Array, owner: Uint8Array): void;
}

export interface MarketConfig {
  currency: MarketCurrency;
  /** `T::SworkerInterface` (swork's `sworkerInterface`). */
  sworker: SworkerInterface;
  /** `T::BenefitInterface`: market collateral and unclaimed rewards of group owners. */
  benefits: BenefitInterface;
  replicaObserver?: ReplicaObserver;
  /** `ModuleId`: the 8 bytes the pots are derived from (`*b"crmarket"`). */
  moduleId: Uint8Array;
  /** `FileDuration` in blocks: a file's lifetime from its first replica (or renewal). */
  fileDuration: number;
  /** `LiquidityDuration` in blocks. Declared by Crust's runtime; its current market no longer reads it. */
  liquidityDuration: number;
  /** `FileReplica`: the base replica count (a constant only). */
  fileReplica: number;
  /** `REPORT_SLOT` in blocks: fees are adjusted once every `FileFeeAdjustInterval` slots. */
  reportSlot: number;
  /** `PRICE_UPDATE_OFFSET`: the byte/keys-count fees move at blocks where (n + offset) % interval == 0. */
  priceUpdateOffset: number;
  /** `BASE_FEE_UPDATE_OFFSET`: likewise for the base fee. */
  baseFeeUpdateOffset: number;
  /** `SpowerReadyPeriod`'s genesis value in blocks: a replica counts the file size, then the file's spower. */
  spowerReadyPeriod: number;
  initFileByteFee: bigint;
  initFileKeysCountFee: bigint;
  initMaxFileByteFee: bigint;
  initMaxFileKeysCountFee: bigint;
  initMaxFileBaseFee: bigint;
  /** `StorageReferenceRatio` (numerator, denominator): the used-capacity ratio the byte fee steers to. */
  storageReferenceRatio: readonly [bigint, bigint];
  /** `StorageIncreaseRatio` / `StorageDecreaseRatio` (Perbill parts): constants only; the ratios in use are storage. */
  storageIncreaseRatio: number;
  storageDecreaseRatio: number;
  /** `StakingRatio` (Perbill parts) of v into the staking pot. */
  stakingRatio: number;
  /** `StorageRatio` (Perbill parts) of v into the storage pot. */
  storageRatio: number;
  /** `RenewRewardRatio` (a constant only). */
  renewRewardRatio: number;
  /** `MaximumFileSize`: an order's size must be below it. */
  maximumFileSize: bigint;
  /** `COLLATERAL_RATIO`: a reporter's owner needs collateral ≥ (reward + new reward) × this to be paid. */
  collateralRatio: bigint;
  /** `EnableMarket`'s genesis value (Crust starts disabled and turns it on by root). */
  enableMarket: boolean;
}

const CRUS = 1_000_000_000_000n;
const DOLLARS = CRUS;
const CENTS = DOLLARS / 100n;
const MILLICENTS = CENTS / 1_000n;
const DAYS = 14_400;

/** Crust mainnet: every value as its runtime and primitives declare it. */
export const CRUST_MARKET_DEFAULTS = {
  moduleId: new TextEncoder().encode('crmarket'),
  fileDuration: 180 * DAYS,
  liquidityDuration: 15 * DAYS,
  fileReplica: 4,
  reportSlot: CRUST_REPORT_SLOT,
  priceUpdateOffset: 3,
  baseFeeUpdateOffset: 22,
  spowerReadyPeriod: 1_296_000,
  initFileByteFee: MILLICENTS / 1_000n, // 10^4 per MiB
  initFileKeysCountFee: MILLICENTS / 10n, // 10^6
  initMaxFileByteFee: MILLICENTS / 10n, // 10^6
  initMaxFileKeysCountFee: MILLICENTS, // 10^7
  initMaxFileBaseFee: CENTS * 5n, // 0.05 CRU
  storageReferenceRatio: [50n, 100n] as const,
  storageIncreaseRatio: perbillFromRational(33n, 10_000n),
  storageDecreaseRatio: perbillFromRational(3n, 1_000n),
  stakingRatio: perbillFromPercent(72),
  storageRatio: perbillFromPercent(18),
  renewRewardRatio: perbillFromPercent(5),
  maximumFileSize: 8_589_934_592n, // 8 GiB
  collateralRatio: 1n,
  enableMarket: false,
} satisfies Omit<MarketConfig, 'currency' | 'sworker' | 'benefits' | 'replicaObserver'>;

/** Crust's `primitives::constants::market` initial values of the fee-adjustment storage items. */
export const CRUST_FEE_ADJUSTMENT = {
  fileFeeAdjustInterval: 1,
  fileByteFeeIncreaseRatio: 3_300_000,
  fileByteFeeDecreaseRatio: 3_000_000,
  fileKeysCountFeeAdjustThreshold: 5_000_000,
  fileKeysCountFeeIncreaseRatio: 3_300_000,
  fileKeysCountFeeDecreaseRatio: 3_000_000,
  fileBaseFeeIncreaseThreshold: 10,
  fileBaseFeeDecreaseThreshold: 30,
  fileBaseFeeIncreaseRatio: 3_300_000,
  fileBaseFeeDecreaseRatio: 3_000_000,
} as const;

/** `MAX_REPLICAS`: replicas (group owners) a file records. */
export const MAX_REPLICAS = 200;
/** `REWARD_PERSON`: the first reporters paid from the file's amount. */
export const REWARD_PERSON = 4;
