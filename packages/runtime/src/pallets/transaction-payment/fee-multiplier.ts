/**
 * `TargetedFeeAdjustment` (pallet_transaction_payment): the end-of-block update of NextFeeMultiplier that keeps
 * Normal-class blocks near a target fullness: next = prev × (1 + v·diff + v²·diff²/2) when above the target,
 * prev × (1 − v·diff + v²·diff²/2) below it, clamped to [min, max]; diff is taken in the limiting weight dimension.
 * FixedU128 arithmetic as sp-arithmetic: inner values with 10^18 = 1.0, products and quotients rounded down.
 */
import type { BlockWeights, ConsumedWeight } from '../../frame/weights.ts';
import { FIXED_ONE } from './items.ts';

const U128_MAX = (1n << 128n) - 1n;
/** Perquintill accuracy. */
export const PERQUINTILL = 10n ** 18n;
const PERBILL = 1_000_000_000n;

const mul = (a: bigint, b: bigint) => sat((a * b) / FIXED_ONE);
const div = (a: bigint, b: bigint) => sat((a * FIXED_ONE) / b);
const sat = (x: bigint) => (x > U128_MAX ? U128_MAX : x);
const fromRational = (n: bigint, d: bigint) => sat((n * FIXED_ONE) / d);
/** `Perquintill * n`, rounding to nearest, ties down. */
function perquintillMul(parts: bigint, n: bigint): bigint {
  const p = parts * n;
  const q = p / PERQUINTILL;
  return (p % PERQUINTILL) * 2n > PERQUINTILL ? q + 1n : q;
}

export interface TargetedFeeAdjustmentParams {
  /** `TargetBlockFullness` in Perquintill parts (Polkadot: 25%). */
  targetBlockFullness: bigint;
  /** `AdjustmentVariable` as FixedU128 inner (Polkadot: 75/1_000_000). */
  adjustmentVariable: bigint;
  /** `MinimumMultiplier` (Polkadot: 1/10). */
  minimumMultiplier: bigint;
  /** `MaximumMultiplier` (Polkadot: FixedU128::max_value()). */
  maximumMultiplier: bigint;
  blockWeights: BlockWeights;
  /** The block's consumed weight so far (System.BlockWeight). */
  blockWeight: () => ConsumedWeight;
}

/** Polkadot's `SlowAdjustingFeeUpdate` parameters (polkadot runtime constants). */
export const POLKADOT_SLOW_ADJUSTING = {
  targetBlockFullness: PERQUINTILL / 4n,
  adjustmentVariable: fromRational(75n, 1_000_000n),
  minimumMultiplier: fromRational(1n, 10n),
  maximumMultiplier: U128_MAX,
} as const;

export function targetedFeeAdjustment(p: TargetedFeeAdjustmentParams): (previous: bigint) => bigint {
  return (prev) => {
    const min = p.minimumMultiplier;
    const max = p.maximumMultiplier;
    const previous = prev > min ? prev : min;
    const normalMax = p.blockWeights.per_class.normal.max_total ?? p.blockWeights.max_block;
    const consumed = p.blockWeight().normal;
    const normal = {
      refTime: BigInt(Math.min(consumed.refTime, normalMax.refTime)),
      proofSize: BigInt(Math.min(consumed.proofSize, normalMax.proofSize)),
    };
    const maxRef = BigInt(Math.max(normalMax.refTime, 1));
    const maxProof = BigInt(Math.max(normalMax.proofSize, 1));
    // Perbill::from_rational (rounding down) of each dimension picks the limiting one.
    const nRef = (normal.refTime * PERBILL) / maxRef;
    const nProof = (normal.proofSize * PERBILL) / maxProof;
    const [blockWeight, maxDim] =
      nRef < nProof
        ? [normal.proofSize, BigInt(normalMax.proofSize)]
        : [normal.refTime, BigInt(normalMax.refTime)];
    const target = perquintillMul(p.targetBlockFullness, maxDim);
    const positive = blockWeight >= target;
    const diffAbs = positive ? blockWeight - target : target - blockWeight;
    const diff = fromRational(diffAbs, maxDim > 0n ? maxDim : 1n);
    const diffSquared = mul(diff, diff);
    const v = p.adjustmentVariable;
    const vSquared2 = div(mul(v, v), 2n * FIXED_ONE);
    const first = mul(v, diff);
    const second = mul(vSquared2, diffSquared);
    let next: bigint;
    if (positive) next = sat(previous + mul(sat(first + second), previous));
    else {
      const negative = mul(first > second ? first - second : 0n, previous);
      next = previous > negative ? previous - negative : 0n;
    }
    return next < min ? min : next > max ? max : next;
  };
}
