/**
 * `sp_weights::Weight` as XCM carries it: both dimensions are `Compact<u64>` and messages do carry values above 2^53
 * (`Weight::MAX` is what V5→V4 puts in `Transact` without a fallback), so here they are bigints. The executor's
 * own arithmetic uses frame's `Weight` (numbers); convert at the boundary with `toFrameWeight` / `fromFrameWeight`.
 */
import type { Weight } from '../frame/weights.ts';
import type { Codec } from '../scale/codec.ts';
import { struct } from '../scale/composite.ts';
import { U64_MAX } from '../scale/limits.ts';
import { compact, u64 } from '../scale/primitives.ts';

export interface XcmWeight {
  refTime: bigint;
  proofSize: bigint;
}

/** Same metadata type as frame's `WeightCodec` (one registry entry), with bigint fields. */
export const XcmWeightCodec: Codec<XcmWeight> = struct({ ref_time: compact(u64), proof_size: compact(u64) })
  .named(['sp_weights', 'weight_v2', 'Weight'])
  .map(
    (w) => ({ refTime: w.ref_time, proofSize: w.proof_size }),
    (w) => ({ ref_time: w.refTime, proof_size: w.proofSize }),
  );

/** `Weight::MAX`. */
export const XCM_WEIGHT_MAX: Readonly<XcmWeight> = Object.freeze({ refTime: U64_MAX, proofSize: U64_MAX });

export function xcmWeight(refTime: bigint | number, proofSize: bigint | number = 0n): XcmWeight {
  return { refTime: BigInt(refTime), proofSize: BigInt(proofSize) };
}

/** Saturates each dimension at `Number.MAX_SAFE_INTEGER` (no real block gets near it). */
export function toFrameWeight(w: XcmWeight): Weight {
  const cap = BigInt(Number.MAX_SAFE_INTEGER);
  return {
    refTime: Number(w.refTime > cap ? cap : w.refTime),
    proofSize: Number(w.proofSize > cap ? cap : w.proofSize),
  };
}

export function fromFrameWeight(w: Weight): XcmWeight {
  return { refTime: BigInt(w.refTime), proofSize: BigInt(w.proofSize) };
}
