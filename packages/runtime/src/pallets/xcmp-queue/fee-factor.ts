/**
 * The delivery fee factor (cumulus xcmp-queue `FeeTracker`, `delivery_fee_constants`; parachain-system's UMP factor
 * uses the same rule and constants): it grows by
 * 1.05 (+0.001 per KiB of the message) each time a send leaves the channel's queue above half the channel's total
 * size, and shrinks by 1.05, never below 1, each time a page leaves with the queue at or below half.
 * FixedU128 inner values (10^18 = 1.0), products and quotients rounded to nearest, ties down (sp-arithmetic's
 * `NearestPrefDown`, as `saturating_mul`/`checked_div` use).
 */
import type { ParaId } from '../../parachains/ids.ts';
import { FIXED_ONE } from '../transaction-payment/index.ts';
import { DeliveryFeeFactor } from './items.ts';

/** `THRESHOLD_FACTOR`: fees rise once the queue passes `max_total_size / 2`. */
export const THRESHOLD_FACTOR = 2;
/** `EXPONENTIAL_FEE_BASE` = 1.05. */
export const EXPONENTIAL_FEE_BASE = (FIXED_ONE * 105n) / 100n;
/** `MESSAGE_SIZE_FEE_BASE` = 0.001 per KiB. */
export const MESSAGE_SIZE_FEE_BASE = FIXED_ONE / 1000n;
const U128_MAX = (1n << 128n) - 1n;

function nearestPrefDown(n: bigint, d: bigint): bigint {
  const q = n / d;
  return 2n * (n % d) > d ? q + 1n : q;
}

function fixedMul(a: bigint, b: bigint): bigint {
  const r = nearestPrefDown(a * b, FIXED_ONE);
  return r > U128_MAX ? U128_MAX : r;
}

/** `increase_fee_factor`: f × (1.05 + size factor), saturating at u128::MAX. */
export function increasedFeeFactor(f: bigint, sizeFactor: bigint): bigint {
  return fixedMul(f, EXPONENTIAL_FEE_BASE + sizeFactor);
}

/** `decrease_fee_factor`: f / 1.05, never below 1. */
export function decreasedFeeFactor(f: bigint): bigint {
  const next = nearestPrefDown(f * FIXED_ONE, EXPONENTIAL_FEE_BASE);
  if (next < FIXED_ONE) return FIXED_ONE;
  return next;
}

export function increaseFeeFactor(para: ParaId, sizeFactor: bigint): bigint {
  return DeliveryFeeFactor.mutate(para, (f) => increasedFeeFactor(f, sizeFactor));
}

export function decreaseFeeFactor(para: ParaId): bigint {
  return DeliveryFeeFactor.mutate(para, (f) => decreasedFeeFactor(f));
}

/** The size factor of a message of `len` bytes: whole KiB × 0.001. */
export function messageSizeFactor(len: number): bigint {
  return BigInt(Math.floor(len / 1024)) * MESSAGE_SIZE_FEE_BASE;
}
