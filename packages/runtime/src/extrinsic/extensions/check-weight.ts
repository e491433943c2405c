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
  type ConsumedWeight,
  classKey,
  type DispatchInfo,
  type PostDispatchInfo,
  subWeight,
  totalConsumed,
  weight,
} from './weights.ts';

const U64_MAX = (1n << 64n) - 1n;

function checkBlockLength(env: ExtensionEnv, info: DispatchInfo, len: number): number {
  const next = env.allExtrinsicsLen() + len;
  if (next > env.blockLength.max[classKey(info.class)]) throw invalid('ExhaustsResources');
  return next;
}

function checkExtrinsicWeight(env: ExtensionEnv, info: DispatchInfo, len: number): void {
  const max = env.blockWeights.perClass[classKey(info.class)].maxExtrinsic;
  if (max && anyGt(addWeight(info.weight, weight(0n, BigInt(len))), max)) throw invalid('ExhaustsResources');
}

/** `calculate_consumed_weight`: the block weight after this extrinsic, or ExhaustsResources. */
export function calculateConsumedWeight(env: ExtensionEnv, info: DispatchInfo, len: number): ConsumedWeight {
  const key = classKey(info.class);
  const limits = env.blockWeights.perClass[key];
  const extrinsicWeight = addWeight(addWeight(info.weight, limits.baseExtrinsic), weight(0n, BigInt(len)));
  const current = env.blockWeight();
  const before = current[key];
  const sum = {
    refTime: before.refTime + extrinsicWeight.refTime,
    proofSize: before.proofSize + extrinsicWeight.proofSize,
  };
  const unlimited = limits.maxTotal === undefined && limits.reserved === undefined;
  if (!unlimited && (sum.refTime > U64_MAX || sum.proofSize > U64_MAX)) throw invalid('ExhaustsResources');
  const perClass = addWeight(before, extrinsicWeight);
  const next: ConsumedWeight = { ...current, [key]: perClass };
  if (limits.maxTotal && anyGt(perClass, limits.maxTotal)) throw invalid('ExhaustsResources');
  if (
    anyGt(totalConsumed(next), env.blockWeights.maxBlock) &&
    limits.reserved &&
    anyGt(perClass, limits.reserved)
  ) {
    throw invalid('ExhaustsResources');
  }
  return next;
}

function doValidate(env: ExtensionEnv, info: DispatchInfo, len: number): number {
  const nextLen = checkBlockLength(env, info, len);
  checkExtrinsicWeight(env, info, len);
  return nextLen;
}

function doPrepare(env: ExtensionEnv, info: DispatchInfo, len: number, nextLen: number): void {
  const next = calculateConsumedWeight(env, info, len);
  env.setAllExtrinsicsLen(nextLen);
  env.setBlockWeight(next);
}

/** `System::reclaim_weight`: give back what the call did not use. */
function reclaim(env: ExtensionEnv, info: DispatchInfo, post: PostDispatchInfo): void {
  const unspent = subWeight(info.weight, actualWeight(info, post));
  if (unspent.refTime === 0n && unspent.proofSize === 0n) return;
  const key = classKey(info.class);
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
