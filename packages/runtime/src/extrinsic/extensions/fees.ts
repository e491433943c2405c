/**
 * pallet-transaction-payment's fee arithmetic: `compute_fee_raw` (base + length + multiplier × weight fee + tip),
 * FixedU128 multiplication, and `get_priority` (tip scaled by how many such transactions fit in a block, with
 * a virtual tip for Operational calls).
 */
import { U64_MAX } from '../../scale/index.ts';
import type { ExtensionEnv, FeeConfig } from './extension.ts';
import {
  type BlockWeights,
  type DispatchClass,
  type DispatchInfo,
  forClass,
  minWeight,
  type Weight,
} from './weights.ts';

const U128_MAX = (1n << 128n) - 1n;
/** FixedU128's accuracy: 1.0 is 10^18. */
export const FIXED_U128_ONE = 10n ** 18n;

const sat128 = (x: bigint) => (x > U128_MAX ? U128_MAX : x);

export interface InclusionFee {
  baseFee: bigint;
  lenFee: bigint;
  adjustedWeightFee: bigint;
}

export interface FeeDetails {
  inclusionFee?: InclusionFee;
  tip: bigint;
}

export function finalFee(d: FeeDetails): bigint {
  const i = d.inclusionFee;
  return sat128((i ? i.baseFee + i.lenFee + i.adjustedWeightFee : 0n) + d.tip);
}

/** `Pallet::weight_to_fee`: weight capped at the block maximum first. */
function cappedWeightToFee(fees: FeeConfig, limits: BlockWeights, w: Weight): bigint {
  return fees.weightToFee(minWeight(w, limits.max_block));
}

export function computeFeeRaw(
  fees: FeeConfig,
  limits: BlockWeights,
  len: number,
  w: Weight,
  tip: bigint,
  paysFee: boolean,
  cls: DispatchClass,
): FeeDetails {
  if (!paysFee) return { tip };
  const unadjusted = cappedWeightToFee(fees, limits, w);
  // FixedU128::saturating_mul_int truncates toward zero.
  const adjustedWeightFee = sat128((fees.nextFeeMultiplier() * unadjusted) / FIXED_U128_ONE);
  return {
    inclusionFee: {
      baseFee: cappedWeightToFee(fees, limits, forClass(limits.per_class, cls).base_extrinsic),
      lenFee: fees.lengthToFee(len),
      adjustedWeightFee,
    },
    tip,
  };
}

export function computeFee(env: ExtensionEnv, len: number, info: DispatchInfo, tip: bigint): bigint {
  return finalFee(
    computeFeeRaw(env.fees, env.blockWeights, len, info.weight, tip, info.paysFee === 'Yes', info.class),
  );
}

/** `ChargeTransactionPayment::get_priority`. */
export function transactionPriority(
  env: ExtensionEnv,
  info: DispatchInfo,
  len: number,
  tip: bigint,
  fee: bigint,
): bigint {
  const maxBlock = env.blockWeights.max_block;
  const maxLength = forClass(env.blockLength.max, info.class);
  const w = info.weight;
  const bounded = minWeight(
    { refTime: Math.max(w.refTime, 1), proofSize: Math.max(w.proofSize, 1) },
    maxBlock,
  );
  const boundedLength = Math.min(Math.max(len, 1), maxLength);
  // Weight::checked_div_per_component: a zero divisor component counts as u64::MAX; all zero = None → 1.
  const rt = bounded.refTime === 0 ? undefined : BigInt(Math.floor(maxBlock.refTime / bounded.refTime));
  const ps = bounded.proofSize === 0 ? undefined : BigInt(Math.floor(maxBlock.proofSize / bounded.proofSize));
  const perWeight = rt === undefined && ps === undefined ? 1n : bigMin(rt ?? U64_MAX, ps ?? U64_MAX);
  const perLength = boundedLength === 0 ? 0n : BigInt(Math.floor(maxLength / boundedLength));
  const maxTxPerBlock = bigMin(perLength, perWeight);
  const maxReward = (v: bigint) => sat128(v * maxTxPerBlock);
  const scaledTip = maxReward(sat128(tip + 1n));
  let priority = scaledTip;
  if (info.class === 'Operational') {
    const virtualTip = sat128(fee * BigInt(env.fees.operationalFeeMultiplier));
    priority = sat128(scaledTip + maxReward(virtualTip));
  }
  return priority > U64_MAX ? U64_MAX : priority;
}

const bigMin = (a: bigint, b: bigint) => (a < b ? a : b);
