/**
 * The weight vocabulary the transaction extensions and the executive need (sp_weights / frame_support::dispatch /
 * frame_system::limits), kept minimal: two-dimensional weights, dispatch classes, per-class block limits.
 */
export interface Weight {
  refTime: bigint;
  proofSize: bigint;
}

export type DispatchClass = 'Normal' | 'Operational' | 'Mandatory';

export interface DispatchInfo {
  /** Weight of the call itself plus the extensions' own weight (`DispatchInfo::total_weight`). */
  weight: Weight;
  class: DispatchClass;
  paysFee: boolean;
}

export interface PostDispatchInfo {
  /** The weight actually used, if the call reported less than its declared weight. */
  actualWeight?: Weight;
  paysFee: boolean;
}

export interface PerClass<T> {
  normal: T;
  operational: T;
  mandatory: T;
}

export interface WeightsPerClass {
  baseExtrinsic: Weight;
  maxExtrinsic?: Weight;
  maxTotal?: Weight;
  reserved?: Weight;
}

export interface BlockWeights {
  baseBlock: Weight;
  maxBlock: Weight;
  perClass: PerClass<WeightsPerClass>;
}

export interface BlockLength {
  max: PerClass<number>;
}

const U64_MAX = (1n << 64n) - 1n;
export const ZERO_WEIGHT: Weight = Object.freeze({ refTime: 0n, proofSize: 0n });

export function weight(refTime: bigint | number, proofSize: bigint | number = 0n): Weight {
  return { refTime: BigInt(refTime), proofSize: BigInt(proofSize) };
}

export function classKey(c: DispatchClass): keyof PerClass<unknown> {
  return c === 'Normal' ? 'normal' : c === 'Operational' ? 'operational' : 'mandatory';
}

const sat = (x: bigint) => (x > U64_MAX ? U64_MAX : x);
export const addWeight = (a: Weight, b: Weight): Weight => ({
  refTime: sat(a.refTime + b.refTime),
  proofSize: sat(a.proofSize + b.proofSize),
});
export const subWeight = (a: Weight, b: Weight): Weight => ({
  refTime: a.refTime > b.refTime ? a.refTime - b.refTime : 0n,
  proofSize: a.proofSize > b.proofSize ? a.proofSize - b.proofSize : 0n,
});
export const minWeight = (a: Weight, b: Weight): Weight => ({
  refTime: a.refTime < b.refTime ? a.refTime : b.refTime,
  proofSize: a.proofSize < b.proofSize ? a.proofSize : b.proofSize,
});
export const anyGt = (a: Weight, b: Weight): boolean => a.refTime > b.refTime || a.proofSize > b.proofSize;

/** `PostDispatchInfo::calc_actual_weight`: the smaller of the declared and the reported weight. */
export function actualWeight(info: DispatchInfo, post: PostDispatchInfo): Weight {
  return post.actualWeight ? minWeight(post.actualWeight, info.weight) : info.weight;
}

/** `PostDispatchInfo::pays_fee`: a call may waive its fee after the fact but never impose one. */
export function actualPaysFee(info: DispatchInfo, post: PostDispatchInfo): boolean {
  return info.paysFee && post.paysFee;
}

/** Per-class consumed weight (`frame_system::ConsumedWeight`). */
export type ConsumedWeight = PerClass<Weight>;

export function totalConsumed(c: ConsumedWeight): Weight {
  return addWeight(addWeight(c.normal, c.operational), c.mandatory);
}
