/**
 * `frame_system::CheckWeight`: keeps the block within its weight and length limits per dispatch class
 * (`Normal` / `Operational` / `Mandatory`). Validation checks the extrinsic alone (length against the block's
 * remaining length, weight against `max_extrinsic`); prepare accrues weight (with base_extrinsic and the length as
 * proof size) into `BlockWeight`, falling back to the class's `reserved` pool when the block is full.
 */
import { unit } from '../../scale/index.ts';
import { invalid } from '../transaction-validity.ts';
import type { ExtensionEnv, TransactionExtension } from './extension.ts';
import { emptyExtensionType, systemExtensionPath } from './extension-type.ts';
import {
  actualWeight,
  addWeight,
  anyGt,
  calculateConsumedWeight,
  type DispatchInfo,
  forClass,
  type PostDispatchInfo,
  subWeight,
  weight,
} from './weights.ts';

function checkBlockLength(env: ExtensionEnv, info: DispatchInfo, len: number): number {
  const next = env.allExtrinsicsLen() + len;
  if (next > forClass(env.blockLength.max, info.class)) throw invalid('ExhaustsResources');
  return next;
}

function checkExtrinsicWeight(env: ExtensionEnv, info: DispatchInfo, len: number): void {
  const max = forClass(env.blockWeights.per_class, info.class).max_extrinsic;
  if (max && anyGt(addWeight(info.weight, weight(0, len)), max)) throw invalid('ExhaustsResources');
}

function consumedAfter(env: ExtensionEnv, info: DispatchInfo, len: number) {
  // The encoded length also counts as proof size (frame_system check_weight.rs).
  const next = calculateConsumedWeight(env.blockWeights, env.blockWeight(), {
    weight: addWeight(info.weight, weight(0, len)),
    class: info.class,
  });
  if (!next) throw invalid('ExhaustsResources');
  return next;
}

function doValidate(env: ExtensionEnv, info: DispatchInfo, len: number): number {
  const nextLen = checkBlockLength(env, info, len);
  checkExtrinsicWeight(env, info, len);
  return nextLen;
}

function doPrepare(env: ExtensionEnv, info: DispatchInfo, len: number, nextLen: number): void {
  const next = consumedAfter(env, info, len);
  env.setAllExtrinsicsLen(nextLen);
  env.setBlockWeight(next);
}

/** `System::reclaim_weight`: give back what the call did not use. */
function reclaim(env: ExtensionEnv, info: DispatchInfo, post: PostDispatchInfo): void {
  const unspent = subWeight(info.weight, actualWeight(info, post));
  if (unspent.refTime === 0 && unspent.proofSize === 0) return;
  const key = info.class === 'Normal' ? 'normal' : info.class === 'Operational' ? 'operational' : 'mandatory';
  const current = env.blockWeight();
  env.setBlockWeight({ ...current, [key]: subWeight(current[key], unspent) });
}

export const CheckWeight: TransactionExtension<undefined, undefined, number, undefined> = {
  identifier: 'CheckWeight',
  extra: emptyExtensionType(systemExtensionPath('check_weight', 'CheckWeight')),
  implicit: unit,
  computeImplicit: () => undefined,
  validate: ({ env, info, len }) => ({ val: doValidate(env, info, len) }),
  prepare({ env, info, len }, nextLen) {
    doPrepare(env, info, len, nextLen);
    return undefined;
  },
  postDispatch: ({ env, info, post }) => reclaim(env, info, post),
  bareValidate(env, info, len) {
    doValidate(env, info, len);
    return undefined;
  },
  bareValidateAndPrepare(env, info, len) {
    doPrepare(env, info, len, doValidate(env, info, len));
  },
  barePostDispatch: (env, info, post) => reclaim(env, info, post),
};
