/**
 * Crust's DSM prices (cstrml/market/src/lib.rs): the order fee (`get_file_fee`), its split into the staking, storage
 * and reserved pots (`split_into_reserved_and_storage_and_staking_pot`), the first reporters' rewards
 * (`calculate_reward_amount`), a file's storage power (`calculate_spower`) and the per-slot fee adjustments
 * (`update_file_byte_fee`, `update_file_keys_count_fee`, `update_base_fee`, `base_fee_ratio`).
 */
import { U128_MAX } from '../../scale/limits.ts';
import {
  FileBaseFee,
  FileBaseFeeDecreaseRatio,
  FileBaseFeeDecreaseThreshold,
  FileBaseFeeIncreaseRatio,
  FileBaseFeeIncreaseThreshold,
  FileByteFee,
  FileByteFeeDecreaseRatio,
  FileByteFeeIncreaseRatio,
  FileKeysCount,
  FileKeysCountFee,
  FileKeysCountFeeAdjustThreshold,
  FileKeysCountFeeDecreaseRatio,
  FileKeysCountFeeIncreaseRatio,
  MaxFileBaseFee,
  MaxFileByteFee,
  MaxFileKeysCountFee,
  MinFileBaseFee,
  MinFileByteFee,
  MinFileKeysCountFee,
  OrdersCount,
  config,
} from './items.ts';
import { perbillMul } from './primitives.ts';

export const MIB = 1_048_576n;

/** The size charged for: bytes rounded up to whole MiB. */
export function roundedMiB(fileSize: bigint): bigint {
  return (fileSize + MIB - 1n) / MIB;
}

/** What one order costs and where it goes. */
export interface OrderFee {
  /** `FileBaseFee`: all of it goes to the reserved pot. */
  baseFee: bigint;
  /** `FileByteFee` × size in whole MiB (0 if that overflows u128, as Crust's `checked_mul`). */
  byteFee: bigint;
  /** `FileKeysCountFee` */
  keysCountFee: bigint;
  /** v = byteFee + keysCountFee */
  value: bigint;
  /** `StakingRatio` × v */
  staking: bigint;
  /** `StorageRatio` × v (plus tips, this is what the file's `amount` grows by) */
  storage: bigint;
  /** v + baseFee − staking − storage */
  reserved: bigint;
  /** baseFee + v: what the payer is charged besides tips. */
  total: bigint;
}

/** `get_file_fee`: (base fee, byte fee × MiB + keys-count fee) at the current fees. */
export function getFileFee(fileSize: bigint): [baseFee: bigint, value: bigint] {
  const f = orderFee(fileSize);
  return [f.baseFee, f.value];
}

/** The fee of an order of `fileSize` bytes at the current fees, split as the pallet charges it (read-only). */
export function orderFee(fileSize: bigint): OrderFee {
  const product = FileByteFee.get() * roundedMiB(fileSize);
  const byteFee = product > U128_MAX ? 0n : product;
  const keysCountFee = FileKeysCountFee.get();
  const baseFee = FileBaseFee.get();
  const value = byteFee + keysCountFee;
  return { baseFee, byteFee, keysCountFee, value, ...splitFee(value, baseFee) };
}

/** The pots' shares of an order worth `value` plus `baseFee` (Perbill products rounded to nearest). */
export function splitFee(
  value: bigint,
  baseFee: bigint,
): { staking: bigint; storage: bigint; reserved: bigint; total: bigint } {
  const c = config();
  const staking = perbillMul(c.stakingRatio, value);
  const storage = perbillMul(c.storageRatio, value);
  const total = value + baseFee;
  const reserved = satSub(satSub(total, staking), storage);
  return { staking, storage, reserved, total };
}

/** `calculate_reward_amount`: the next of the first four reporters gets 2.5/(18 − 2.5k) of what is left. */
export function calculateRewardAmount(remainingPaidCount: number, amount: bigint): bigint {
  switch (remainingPaidCount) {
    case 4:
      return perbillMul(138_888_888, amount); // 2.5 / 18
    case 3:
      return perbillMul(161_290_320, amount); // 2.5 / 15.5
    case 2:
      return perbillMul(192_307_690, amount); // 2.5 / 13
    case 1:
      return perbillMul(238_095_240, amount); // 2.5 / 10.5
    default:
      return 0n;
  }
}

/**
 * α(replicas) as (α × multiplier, multiplier) of Crust mainnet's `calculate_spower` (which computes
 * `(alpha * multiplier as f64) as u64`; every entry is exact in f64, e.g. 0.1 × 10 = 1.0).
 */
const ALPHA_TABLE: ReadonlyArray<readonly [maxReplicas: number, scaled: bigint, multiplier: bigint]> = [
  [0, 0n, 1n],
  [8, 1n, 10n],
  [16, 1n, 1n],
  [24, 3n, 1n],
  [32, 7n, 1n],
  [40, 9n, 1n],
  [48, 14n, 1n],
  [55, 19n, 1n],
  [65, 49n, 1n],
  [74, 79n, 1n],
  [83, 99n, 1n],
  [92, 119n, 1n],
  [100, 149n, 1n],
  [115, 159n, 1n],
  [127, 169n, 1n],
  [142, 179n, 1n],
  [157, 189n, 1n],
];

/** `calculate_spower`: size + size × α(replicas), integer division as Crust's u64 arithmetic. */
export function calculateSpower(fileSize: bigint, reportedReplicaCount: number): bigint {
  let scaled = 199n;
  let multiplier = 1n;
  for (const [max, s, m] of ALPHA_TABLE) {
    if (reportedReplicaCount <= max) {
      scaled = s;
      multiplier = m;
      break;
    }
  }
  return wrapU64(fileSize + wrapU64(fileSize * scaled) / multiplier);
}

// ---- per-slot adjustments ------------------------------------------------------------------------------------------

const clamp = (v: bigint, min: bigint, max: bigint): bigint => {
  const lo = v < min ? min : v;
  return lo > max ? max : lo;
};

/** `update_file_byte_fee`: down by the decrease ratio while used capacity ≤ the reference ratio, else up (≥ 1). */
export function updateFileByteFee(): void {
  const [filesSize, free] = config().sworker.filesSizeAndFreeSpace();
  const totalCapacity = satAdd(filesSize, free);
  const [numerator, denominator] = config().storageReferenceRatio;
  const min = MinFileByteFee.get();
  const max = MaxFileByteFee.get();
  const fee = FileByteFee.get();
  if (satMul(filesSize, denominator) <= satMul(totalCapacity, numerator)) {
    const gap = perbillMul(FileByteFeeDecreaseRatio.get(), fee);
    FileByteFee.set(clamp(satSub(fee, gap), min, max));
  } else {
    const gap = maxBig(perbillMul(FileByteFeeIncreaseRatio.get(), fee), 1n);
    FileByteFee.set(clamp(satAdd(fee, gap), min, max));
  }
}

/** `update_file_keys_count_fee`: up (≥ 1) while more files than the threshold are stored, else down. */
export function updateFileKeysCountFee(): void {
  const min = MinFileKeysCountFee.get();
  const max = MaxFileKeysCountFee.get();
  const fee = FileKeysCountFee.get();
  if (FileKeysCount.get() > FileKeysCountFeeAdjustThreshold.get()) {
    const gap = maxBig(perbillMul(FileKeysCountFeeIncreaseRatio.get(), fee), 1n);
    FileKeysCountFee.set(clamp(satAdd(fee, gap), min, max));
  } else {
    const gap = perbillMul(FileKeysCountFeeDecreaseRatio.get(), fee);
    FileKeysCountFee.set(clamp(satSub(fee, gap), min, max));
  }
}

/** `base_fee_ratio(added files / orders)`: [decrease?, ratio]; no order in the period decreases. */
export function baseFeeRatio(alpha: number | undefined): [decrease: boolean, ratio: number] {
  if (alpha === undefined) return [true, FileBaseFeeDecreaseRatio.get()];
  if (alpha < FileBaseFeeIncreaseThreshold.get()) return [false, FileBaseFeeIncreaseRatio.get()];
  if (alpha <= FileBaseFeeDecreaseThreshold.get()) return [false, 0];
  return [true, FileBaseFeeDecreaseRatio.get()];
}

/** `update_base_fee`: from the files added by work reports per order placed since the last update. */
export function updateBaseFee(): void {
  const added = config().sworker.addedFilesCountAndClearRecord();
  const orders = OrdersCount.get();
  OrdersCount.set(0);
  const [decrease, ratio] = baseFeeRatio(orders === 0 ? undefined : Math.floor(added / orders));
  const min = MinFileBaseFee.get();
  const max = MaxFileBaseFee.get();
  const fee = FileBaseFee.get();
  const gap = perbillMul(ratio, fee);
  FileBaseFee.set(clamp(decrease ? satSub(fee, gap) : satAdd(fee, gap), min, max));
}

// ---- saturating u128 / wrapping u64 ------------------------------------------------------------------------------

export const satSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
const capU128 = (x: bigint): bigint => {
  if (x > U128_MAX) return U128_MAX;
  return x;
};
export const satAdd = (a: bigint, b: bigint): bigint => capU128(a + b);
const satMul = (a: bigint, b: bigint): bigint => capU128(a * b);
const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const wrapU64 = (x: bigint): bigint => x & 0xffff_ffff_ffff_ffffn;
