/**
 * `Perbill::from_rational_approximation(p, q)` exactly as sp-arithmetic 3.0 (Crust's) computes it: q is at least 1,
 * p at most q, both are first divided by `ceil(q / 10^9)` so they fit a u32, then `p' × 10^9 / q'` rounds down.
 * For large balances this differs from the exact `p × 10^9 / q` (the reduction truncates first), and `(0, 0)` is
 * zero while `(p > 0, 0)` is one.
 */
import { PERBILL_ACCURACY } from '../market/primitives.ts';

export function perbillFromRationalApproximation(p: bigint, q: bigint): number {
  const qq = q < 1n ? 1n : q;
  const pp = p < qq ? p : qq;
  const ceil = (qq + PERBILL_ACCURACY - 1n) / PERBILL_ACCURACY;
  const factor = ceil < 1n ? 1n : ceil;
  const qReduced = qq / factor;
  const pReduced = pp / factor;
  return Number((pReduced * PERBILL_ACCURACY) / qReduced);
}
