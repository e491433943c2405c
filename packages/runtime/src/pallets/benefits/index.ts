/**
 * Crust's `benefits` (`Benefits`): reserved funds that are a group owner's market collateral and fee reductions, and
 * a worker account's fee-free work reports; `benefitInterface` is the `BenefitInterface` market and swork take.
 */
export * from './items.ts';
export {
  benefitInterface,
  collateralAndReward,
  consolidateUnlocked,
  doUpdateEraBenefit,
  feeReductionQuota,
  marketFundsRatio,
  maybeFreeCount,
  maybeReduceFee,
  rebond,
  totalFeeReductionCount,
  updateEraBenefit,
  updateReward,
} from './logic.ts';
export { Benefits, type BenefitsGenesis, BenefitsWeights } from './pallet.ts';
export { perbillFromRationalApproximation } from './perbill.ts';

/** Crust mainnet (runtime/src/lib.rs `parameter_types!` for benefits and staking's era/bonding duration). */
export const CRUST_BENEFITS_DEFAULTS = {
  benefitReportWorkCost: 3n * 1_000_000_000_000n, // 3 CRU
  benefitsLimitRatio: 2_000_000, // Perbill::from_rational_approximation(2, 1000)
  benefitMarketCostRatio: 1_000_000_000, // Perbill::one()
  bondingDuration: 112, // 28 * 4 eras
  eraLength: 3_600, // 6 sessions of 600 blocks
} as const;
