/**
 * pallet-transaction-payment's fee arithmetic: `compute_fee_raw` (base + length + multiplier × weight fee + tip),
 * FixedU128 multiplication, and `get_priority` (tip scaled by how many such transactions fit in a block, with
 * a virtual tip for Operational calls).
 */
import type { ExtensionEnv, FeeConfig } from './extension.ts';
import {
  type BlockWeights,
  classKey,
  type DispatchClass,
  type DispatchInfo,
  minWeight,
  weight,
  type Weight,
} from './weights.ts';

const U64_MAX = (1n << 64n) - 1n;
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
  return fees.weightToFee(minWeight(w, limits.maxBlock));
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
      baseFee: cappedWeightToFee(fees, limits, limits.perClass[classKey(cls)].baseExtrinsic),
      lenFee: fees.lengthToFee(len),
      adjustedWeightFee,
    },
    tip,
  };
}

export function computeFee(env: ExtensionEnv, len: number, info: DispatchInfo, tip: bigint): bigint {
  return finalFee(computeFeeRaw(env.fees, env.blockWeights, len, info.weight, tip, info.paysFee, info.class));
}

/** `ChargeTransactionPayment::get_priority`. */
export function transactionPriority(
  env: ExtensionEnv,
  info: DispatchInfo,
  len: number,
  tip: bigint,
  fee: bigint,
): bigint {
  const maxBlock = env.blockWeights.maxBlock;
  const maxLength = BigInt(env.blockLength.max[classKey(info.class)]);
  const w = info.weight;
  const bounded = minWeight(
    { refTime: w.refTime > 1n ? w.refTime : 1n, proofSize: w.proofSize > 1n ? w.proofSize : 1n },
    maxBlock,
  );
  const boundedLength = BigInt(Math.max(len, 1)) < maxLength ? BigInt(Math.max(len, 1)) : maxLength;
  // Weight::checked_div_per_component: a zero divisor component counts as u64::MAX; all zero = None → 1.
  const rt = bounded.refTime === 0n ? undefined : maxBlock.refTime / bounded.refTime;
  const ps = bounded.proofSize === 0n ? undefined : maxBlock.proofSize / bounded.proofSize;
  const perWeight =
    rt === undefined && ps === undefined ? 1n : (rt ?? U64_MAX) < (ps ?? U64_MAX) ? rt! : (ps ?? U64_MAX);
  const perLength = boundedLength === 0n ? 0n : maxLength / boundedLength;
  const maxTxPerBlock = perLength < perWeight ? perLength : perWeight;
  const maxReward = (v: bigint) => sat128(v * maxTxPerBlock);
  const scaledTip = maxReward(sat128(tip + 1n));
  let priority = scaledTip;
  if (info.class === 'Operational') {
    const virtualTip = sat128(fee * BigInt(env.fees.operationalFeeMultiplier));
    priority = sat128(scaledTip + maxReward(virtualTip));
  }
  return priority > U64_MAX ? U64_MAX : priority;
}

export { weight };
