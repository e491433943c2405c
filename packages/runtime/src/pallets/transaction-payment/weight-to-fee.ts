/**
 * `WeightToFeePolynomial` (frame_support::weights): fee = Σ ±(coeff_integer + coeff_frac) × ref_time^degree, with
 * Perbill multiplication rounding to nearest (ties down) and saturating u128 arithmetic, as polkadot-sdk computes it.
 */
import type { Weight } from '../../frame/weights.ts';

export const PERBILL = 1_000_000_000n;
const U128_MAX = (1n << 128n) - 1n;

/** `WeightToFeeCoefficient<Balance>`: `coeffFrac` in Perbill parts (0..=10^9). */
export interface WeightToFeeCoefficient {
  coeffInteger: bigint;
  coeffFrac: bigint;
  negative: boolean;
  degree: number;
}

/** `Perbill::from_rational(p, q)` (rounding down), in parts per billion. */
export function perbillFromRational(p: bigint, q: bigint): bigint {
  if (q === 0n || p >= q) return PERBILL;
  return (p * PERBILL) / q;
}

/** `Perbill * n`: `overflow_prune_mul` with `Rounding::NearestPrefDown`. */
export function perbillMul(parts: bigint, n: bigint): bigint {
  const product = parts * n;
  const q = product / PERBILL;
  const r = product % PERBILL;
  return r * 2n > PERBILL ? q + 1n : q;
}

const sat = (x: bigint) => (x > U128_MAX ? U128_MAX : x < 0n ? 0n : x);

export function evalPolynomial(poly: readonly WeightToFeeCoefficient[], w: Weight): bigint {
  const refTime = BigInt(w.refTime);
  let acc = 0n;
  for (const c of poly) {
    const x = sat(refTime ** BigInt(c.degree));
    const frac = perbillMul(c.coeffFrac, x);
    const integer = sat(c.coeffInteger * x);
    acc = c.negative ? sat(sat(acc - frac) - integer) : sat(sat(acc + frac) + integer);
  }
  return acc;
}

/**
 * The polynomial that maps `baseWeight` (usually ExtrinsicBaseWeight) to `fee`, linear in ref time, as the
 * polkadot-sdk templates write it: `p = fee; q = base ref time; coeff_integer = p / q; coeff_frac = (p % q) / q`.
 */
export function linearWeightToFee(fee: bigint, baseWeight: Weight): WeightToFeeCoefficient[] {
  const q = BigInt(baseWeight.refTime);
  return [{ degree: 1, negative: false, coeffInteger: fee / q, coeffFrac: perbillFromRational(fee % q, q) }];
}

/** `IdentityFee`: one unit per picosecond of ref time. */
export const IDENTITY_FEE: readonly WeightToFeeCoefficient[] = [
  { degree: 1, negative: false, coeffInteger: 1n, coeffFrac: 0n },
];
