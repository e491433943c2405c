/**
 * The weight vocabulary of the extensions, taken from the framework (frame/weights.ts is the one definition),
 * plus the two `PostDispatchInfo` rules the extensions need.
 */
import type { PostDispatchInfo } from '../../frame/dispatch-error.ts';
import { type DispatchInfo, minWeight, type Weight } from '../../frame/weights.ts';

export type { PostDispatchInfo } from '../../frame/dispatch-error.ts';
export {
  addWeight,
  anyGt,
  type BlockLength,
  type BlockWeights,
  type ConsumedWeight,
  calculateConsumedWeight,
  type DispatchClass,
  type DispatchInfo,
  emptyConsumedWeight,
  forClass,
  minWeight,
  subWeight,
  totalConsumed,
  type Weight,
  weight,
  ZERO_WEIGHT,
} from '../../frame/weights.ts';

/** `PostDispatchInfo::calc_actual_weight`: the smaller of the declared and the reported weight. */
export function actualWeight(info: DispatchInfo, post: PostDispatchInfo): Weight {
  return post.actualWeight ? minWeight(post.actualWeight, info.weight) : info.weight;
}

/** `PostDispatchInfo::pays_fee`: a call may waive its fee after the fact but never impose one. */
export function actualPaysFee(info: DispatchInfo, post: PostDispatchInfo): boolean {
  return info.paysFee === 'Yes' && post.paysFee !== 'No';
}
