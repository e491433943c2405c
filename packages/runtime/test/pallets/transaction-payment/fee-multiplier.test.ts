/**
 * TargetedFeeAdjustment with Polkadot's parameters (25% target, v = 0.000075, min 0.1) against the reference
 * ("truth value") float implementation and the growth bound of polkadot-sdk's runtime tests
 * (the Polkadot/Kusama runtimes' `multiplier_tests`: truth_value_update_poc_works, min_change_per_day,
 * assert_eq_error_rate with Multiplier::from_inner(100)).
 */
import { describe, expect, it } from 'vitest';
import { emptyConsumedWeight, type Weight } from '../../../src/frame/weights.ts';
import {
  FIXED_ONE,
  POLKADOT_SLOW_ADJUSTING,
  targetedFeeAdjustment,
} from '../../../src/pallets/transaction-payment/index.ts';
import { devSystemConfig } from '../../../src/runtimes/index.ts';

const limits = devSystemConfig.blockWeights;
const maxNormal = limits.per_class.normal.max_total!;
const target: Weight = {
  refTime: Math.floor(maxNormal.refTime / 4),
  proofSize: Math.floor(maxNormal.proofSize / 4),
};

function updateAt(w: Weight) {
  return targetedFeeAdjustment({
    ...POLKADOT_SLOW_ADJUSTING,
    blockWeights: limits,
    blockWeight: () => ({ ...emptyConsumedWeight(), normal: w }),
  });
}

/** The reference implementation, in floats, as polkadot-sdk's tests write it. */
function truthValueUpdate(w: Weight, previous: bigint): bigint {
  const prev = Math.max(Number(previous) / 1e18, 0.1);
  const [normal, max, tgt] =
    w.refTime / maxNormal.refTime < w.proofSize / maxNormal.proofSize
      ? [w.proofSize, maxNormal.proofSize, target.proofSize]
      : [w.refTime, maxNormal.refTime, target.refTime];
  const m = max;
  const s = Math.min(normal, m);
  const v = 75 / 1_000_000;
  const t1 = v * (s / m - tgt / m);
  const t2 = (v ** 2 * (s / m - tgt / m) ** 2) / 2;
  return BigInt(Math.round(prev * (1 + t1 + t2) * 1e18));
}

describe('TargetedFeeAdjustment (SlowAdjustingFeeUpdate)', () => {
  it('matches the truth-value update within 100 inner units (truth_value_update_poc_works)', () => {
    const fm = FIXED_ONE / 2n;
    const weights: Weight[] = [
      { refTime: 0, proofSize: 0 },
      { refTime: 100, proofSize: 0 },
      { refTime: 1000, proofSize: 0 },
      target,
      { refTime: maxNormal.refTime / 2, proofSize: 0 },
      maxNormal,
    ];
    for (const w of weights) {
      const got = updateAt(w)(fm);
      const want = truthValueUpdate(w, fm);
      expect(got > want ? got - want : want - got, `at ${w.refTime}`).toBeLessThanOrEqual(100n);
    }
  });

  it('full blocks for a day raise the multiplier by more than 23.4% (min_change_per_day)', () => {
    const update = updateAt(maxNormal);
    let fm = FIXED_ONE;
    for (let i = 0; i < 14_400; i++) fm = update(fm);
    expect(fm > (FIXED_ONE * 1234n) / 1000n).toBe(true);
  });

  it('empty blocks lower it, never below the minimum (0.1)', () => {
    const update = updateAt({ refTime: 0, proofSize: 0 });
    const once = update(FIXED_ONE);
    expect(once < FIXED_ONE).toBe(true);
    let fm = FIXED_ONE;
    for (let i = 0; i < 200_000 && fm > FIXED_ONE / 10n; i++) fm = update(fm);
    expect(fm).toBe(FIXED_ONE / 10n);
    expect(update(0n)).toBe(FIXED_ONE / 10n);
  });
});
