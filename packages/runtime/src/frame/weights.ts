/**
 * Weights (sp_weights::Weight: ref_time picoseconds + proof_size bytes), dispatch classes, block weight limits
 * (frame_system::limits) and the CheckWeight accounting the extrinsic pipeline runs per transaction.
 * Weights are JS numbers: both dimensions stay far below 2^53 (a 2 s block is 2e12 ps; a PoV is a few MiB).
 */
import type { Codec } from '../scale/codec.ts';
import { enumeration, option, struct } from '../scale/composite.ts';
import { compact, u32, u64 } from '../scale/primitives.ts';

export interface Weight {
  refTime: number;
  proofSize: number;
}

const compactU64 = compact(u64);
export const WeightCodec: Codec<Weight> = struct({ ref_time: compactU64, proof_size: compactU64 })
  .named(['sp_weights', 'weight_v2', 'Weight'])
  .map(
    (w) => ({ refTime: Number(w.ref_time), proofSize: Number(w.proof_size) }),
    (w) => ({ ref_time: BigInt(w.refTime), proof_size: BigInt(w.proofSize) }),
  );

export const ZERO_WEIGHT: Readonly<Weight> = Object.freeze({ refTime: 0, proofSize: 0 });
/** frame_support::weights::constants */
export const WEIGHT_REF_TIME_PER_SECOND = 1_000_000_000_000;
export const WEIGHT_REF_TIME_PER_MILLIS = 1_000_000_000;
export const WEIGHT_REF_TIME_PER_NANOS = 1_000;

export function weight(refTime: number, proofSize = 0): Weight {
  return { refTime, proofSize };
}
export function addWeight(a: Weight, b: Weight): Weight {
  return { refTime: a.refTime + b.refTime, proofSize: a.proofSize + b.proofSize };
}
export function subWeight(a: Weight, b: Weight): Weight {
  return { refTime: Math.max(0, a.refTime - b.refTime), proofSize: Math.max(0, a.proofSize - b.proofSize) };
}
export function minWeight(a: Weight, b: Weight): Weight {
  return { refTime: Math.min(a.refTime, b.refTime), proofSize: Math.min(a.proofSize, b.proofSize) };
}
/** `Weight::any_gt`: either dimension exceeds `b`'s. */
export function anyGt(a: Weight, b: Weight): boolean {
  return a.refTime > b.refTime || a.proofSize > b.proofSize;
}
/** `Weight::all_lte`. */
export function allLte(a: Weight, b: Weight): boolean {
  return a.refTime <= b.refTime && a.proofSize <= b.proofSize;
}
export function scaleWeight(w: Weight, factor: number): Weight {
  return { refTime: Math.floor(w.refTime * factor), proofSize: Math.floor(w.proofSize * factor) };
}

export type DispatchClass = 'Normal' | 'Operational' | 'Mandatory';
export const DISPATCH_CLASSES: readonly DispatchClass[] = ['Normal', 'Operational', 'Mandatory'];
export const DispatchClassCodec: Codec<DispatchClass> = enumeration({
  Normal: [0],
  Operational: [1],
  Mandatory: [2],
})
  .named(['frame_support', 'dispatch', 'DispatchClass'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

export type Pays = 'Yes' | 'No';
export const PaysCodec: Codec<Pays> = enumeration({ Yes: [0], No: [1] })
  .named(['frame_support', 'dispatch', 'Pays'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

/** `frame_support::dispatch::PerDispatchClass<T>` */
export interface PerDispatchClass<T> {
  normal: T;
  operational: T;
  mandatory: T;
}
export function perDispatchClassCodec<T>(of: Codec<T>): Codec<PerDispatchClass<T>> {
  return struct({ normal: of, operational: of, mandatory: of }).named(
    ['frame_support', 'dispatch', 'PerDispatchClass'],
    { params: [{ name: 'T', type: of }] },
  );
}
export function forClass<T>(per: PerDispatchClass<T>, cls: DispatchClass): T {
  return cls === 'Normal' ? per.normal : cls === 'Operational' ? per.operational : per.mandatory;
}

/** `frame_system::ConsumedWeight` (= PerDispatchClass<Weight>): the block's weight so far, by class. */
export type ConsumedWeight = PerDispatchClass<Weight>;
export const ConsumedWeightCodec = perDispatchClassCodec(WeightCodec);
export function emptyConsumedWeight(): ConsumedWeight {
  return { normal: weight(0), operational: weight(0), mandatory: weight(0) };
}
export function totalConsumed(c: ConsumedWeight): Weight {
  return addWeight(addWeight(c.normal, c.operational), c.mandatory);
}

/** `frame_system::limits::WeightsPerClass` */
export interface WeightsPerClass {
  base_extrinsic: Weight;
  max_extrinsic: Weight | undefined;
  max_total: Weight | undefined;
  reserved: Weight | undefined;
}
export const WeightsPerClassCodec: Codec<WeightsPerClass> = struct({
  base_extrinsic: WeightCodec,
  max_extrinsic: option(WeightCodec),
  max_total: option(WeightCodec),
  reserved: option(WeightCodec),
}).named(['frame_system', 'limits', 'WeightsPerClass']);

/** `frame_system::limits::BlockWeights` */
export interface BlockWeights {
  base_block: Weight;
  max_block: Weight;
  per_class: PerDispatchClass<WeightsPerClass>;
}
export const BlockWeightsCodec: Codec<BlockWeights> = struct({
  base_block: WeightCodec,
  max_block: WeightCodec,
  per_class: perDispatchClassCodec(WeightsPerClassCodec),
}).named(['frame_system', 'limits', 'BlockWeights']);

/** `frame_system::limits::BlockLength` */
export interface BlockLength {
  max: PerDispatchClass<number>;
}
export const BlockLengthCodec: Codec<BlockLength> = struct({ max: perDispatchClassCodec(u32) }).named([
  'frame_system',
  'limits',
  'BlockLength',
]);

/** `BlockLength::max_with_normal_ratio` */
export function blockLengthWithNormalRatio(max: number, normalRatio: number): BlockLength {
  return { max: { normal: Math.floor(max * normalRatio), operational: max, mandatory: max } };
}

/** `sp_weights::RuntimeDbWeight` */
export interface RuntimeDbWeight {
  read: bigint;
  write: bigint;
}
export const RuntimeDbWeightCodec: Codec<RuntimeDbWeight> = struct({ read: u64, write: u64 }).named([
  'sp_weights',
  'RuntimeDbWeight',
]);
/** frame_support::weights::constants::RocksDbWeight */
export const ROCKS_DB_WEIGHT: RuntimeDbWeight = {
  read: 25_000n * BigInt(WEIGHT_REF_TIME_PER_NANOS),
  write: 100_000n * BigInt(WEIGHT_REF_TIME_PER_NANOS),
};
/**
 * A pallet's hand-set weight: `refTime`/`proof` of its own work plus `reads`/`writes` of RocksDB
 * (`Weight::from_parts(..) + T::DbWeight::get().reads_writes(r, w)`, as benchmarked weight files write it).
 */
export function dbWeight(refTime: number, proof: number, reads: number, writes: number): Weight {
  const rw = reads * Number(ROCKS_DB_WEIGHT.read) + writes * Number(ROCKS_DB_WEIGHT.write);
  return addWeight(weight(refTime, proof), weight(rw, 0));
}
/** frame_support::weights::constants::{BlockExecutionWeight, ExtrinsicBaseWeight} (substrate defaults). */
export const BLOCK_EXECUTION_WEIGHT = weight(5_000_000 * WEIGHT_REF_TIME_PER_NANOS, 0);
export const EXTRINSIC_BASE_WEIGHT = weight(125_000 * WEIGHT_REF_TIME_PER_NANOS, 0);

/**
 * `BlockWeights::with_sensible_defaults`-style builder (as the parachain template): Normal may use `normalRatio`
 * of the block, Operational all of it with the rest reserved, Mandatory unlimited; each class's max_extrinsic
 * leaves room for the average on_initialize share, as `BlockWeightsBuilder::build` computes it.
 */
export function blockWeightsFor(opts: {
  maxBlock: Weight;
  normalRatio: number;
  avgOnInitializeRatio: number;
  baseBlock?: Weight;
  baseExtrinsic?: Weight;
}): BlockWeights {
  const base_extrinsic = opts.baseExtrinsic ?? EXTRINSIC_BASE_WEIGHT;
  const maxNormal = scaleWeight(opts.maxBlock, opts.normalRatio);
  const init = scaleWeight(opts.maxBlock, opts.avgOnInitializeRatio);
  const maxExtrinsic = (total: Weight) => subWeight(subWeight(total, init), base_extrinsic);
  return {
    base_block: opts.baseBlock ?? BLOCK_EXECUTION_WEIGHT,
    max_block: opts.maxBlock,
    per_class: {
      normal: {
        base_extrinsic,
        max_extrinsic: maxExtrinsic(maxNormal),
        max_total: maxNormal,
        reserved: weight(0),
      },
      operational: {
        base_extrinsic,
        max_extrinsic: maxExtrinsic(opts.maxBlock),
        max_total: opts.maxBlock,
        reserved: subWeight(opts.maxBlock, maxNormal),
      },
      mandatory: { base_extrinsic, max_extrinsic: undefined, max_total: undefined, reserved: undefined },
    },
  };
}

/** What a dispatch declares up front (frame_support::dispatch::DispatchInfo). */
export interface DispatchInfo {
  weight: Weight;
  class: DispatchClass;
  paysFee: Pays;
}

/**
 * frame_system::extensions::check_weight::calculate_consumed_weight: the block's consumed weight with one more
 * extrinsic of `info`, or undefined when it would exhaust the block (InvalidTransaction::ExhaustsResources).
 */
export function calculateConsumedWeight(
  limits: BlockWeights,
  consumed: ConsumedWeight,
  info: { weight: Weight; class: DispatchClass },
): ConsumedWeight | undefined {
  const perClass = forClass(limits.per_class, info.class);
  const extrinsicWeight = addWeight(info.weight, perClass.base_extrinsic);
  const key = info.class === 'Normal' ? 'normal' : info.class === 'Operational' ? 'operational' : 'mandatory';
  const next: ConsumedWeight = { ...consumed, [key]: addWeight(consumed[key], extrinsicWeight) };
  const classTotal = next[key];
  // u64 overflow of `checked_accrue` cannot happen with numbers below 2^53 in practice; cap like saturation.
  if (perClass.max_total && anyGt(classTotal, perClass.max_total)) return undefined;
  if (
    anyGt(totalConsumed(next), limits.max_block) &&
    perClass.reserved &&
    anyGt(classTotal, perClass.reserved)
  )
    return undefined;
  return next;
}

/** CheckWeight::check_extrinsic_weight: a single extrinsic above its class's max_extrinsic is never valid. */
export function exceedsMaxExtrinsic(limits: BlockWeights, info: { weight: Weight; class: DispatchClass }) {
  const max = forClass(limits.per_class, info.class).max_extrinsic;
  return max !== undefined && anyGt(info.weight, max);
}
