/**
 * pallet_utility (polkadot-sdk substrate/frame/utility): batches (`batch` stops at the first failure and reports it
 * in an event, `batch_all` is all-or-nothing, `force_batch` runs every call), pseudonymous dispatch from a
 * derivative account (`as_derivative`), and Root's `dispatch_as` / `with_weight` / `dispatch_as_checked`.
 * The inner calls are dispatched with the caller's origin, so every filter it carries (a proxy's, the runtime's
 * BaseCallFilter) applies to them, as in FRAME; Root skips the filters. Declared weight = the inner calls' weights
 * + the pallet's own; post-dispatch weight = what the inner calls actually used + the pallet's own.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { accountKind } from '../../frame/account.ts';
import {
  badOrigin,
  type DispatchError,
  DispatchErrorCodec,
  DispatchFailure,
  type PostDispatchInfo,
} from '../../frame/dispatch-error.ts';
import { callInfoOf } from '../../frame/nested-dispatch.ts';
import { ensureRoot, ensureSigned, type Origin, rootOrigin, signedOrigin } from '../../frame/origin.ts';
import { call, constant, pallet, type RuntimeCallValue } from '../../frame/pallet.ts';
import type { DispatchOutcome } from '../../frame/runtime.ts';
import {
  addWeight,
  type DispatchClass,
  type Weight,
  WeightCodec,
  weight,
  ZERO_WEIGHT,
} from '../../frame/weights.ts';
import { result, struct, unit } from '../../scale/composite.ts';
import { u16, u32 } from '../../scale/primitives.ts';
import { extractActualWeight } from '../system/block.ts';
import { config as systemConfig } from '../system/pallet.ts';
import { BOXED_CALL_NAME, BoxedCall, CALL_VEC_NAME, CallVec } from './nested-call.ts';
import { originFromCaller, OriginCallerRef } from './origin-caller.ts';
import { addFilter, dispatchFiltered, withCallerFrom } from './origin-filter.ts';

const p = pallet<{}>('Utility', { module: 'pallet_utility' });

/**
 * `batched_calls_limit()`: sp_core's MAX_POSSIBLE_ALLOCATION (32 MiB) / 3 / the RuntimeCall size rounded up to
 * CALL_ALIGN (1024 bytes; every runtime keeps its call enum within it).
 */
export const BATCHED_CALLS_LIMIT = Math.floor(Math.floor((32 * 1024 * 1024) / 3) / 1024);

/** `DispatchResult` */
const DispatchResultCodec = result(unit, DispatchErrorCodec);

export const UtilityEvent = p.events({
  BatchInterrupted: [
    0,
    struct({ index: u32, error: DispatchErrorCodec }, { index: 'u32', error: 'DispatchError' }),
    [
      ' Batch of dispatches did not complete fully. Index of first failing dispatch given, as',
      ' well as the error.',
    ],
  ],
  BatchCompleted: [1, undefined, [' Batch of dispatches completed fully with no error.']],
  BatchCompletedWithErrors: [2, undefined, [' Batch of dispatches completed but has errors.']],
  ItemCompleted: [3, undefined, [' A single item within a Batch of dispatches has completed with no error.']],
  ItemFailed: [
    4,
    struct({ error: DispatchErrorCodec }, { error: 'DispatchError' }),
    [' A single item within a Batch of dispatches has completed with error.'],
  ],
  DispatchedAs: [
    5,
    struct({ result: DispatchResultCodec }, { result: 'DispatchResult' }),
    [' A call was dispatched.'],
  ],
});

export const UtilityError = p.errors({
  TooManyCalls: [0, [' Too many calls batched.']],
});

/**
 * polkadot-sdk pallet_utility SubstrateWeight (ref time; the 3997-byte proof of the two filter reads it benchmarks
 * with), plus the reads it declares.
 */
export const UtilityWeights = {
  batch: (c: number) => weight(19_388_813 + 4_591_113 * c, 3997),
  asDerivative: () => weight(10_896_000, 3997),
  batchAll: (c: number) => weight(22_628_420 + 4_797_007 * c, 3997),
  dispatchAs: () => weight(6_985_000, 0),
  forceBatch: (c: number) => weight(23_270_604 + 4_570_923 * c, 3997),
  dispatchAsChecked: () => weight(6_985_000, 0),
};

/** `T::DbWeight::get().reads_writes(1, 1)`: the derivative's / proxied account data. */
function accountReadWrite(): Weight {
  const db = systemConfig().dbWeight;
  return weight(Number(db.read + db.write), 0);
}

/** `weight_and_dispatch_class`: the calls' summed weight; Operational only if every call is (none: Operational). */
export function weightAndClass(calls: readonly RuntimeCallValue[]): { weight: Weight; class: DispatchClass } {
  let total: Weight = ZERO_WEIGHT;
  let cls: DispatchClass = 'Operational';
  for (const c of calls) {
    const info = callInfoOf(c);
    total = addWeight(total, info.weight);
    if (info.class === 'Normal') cls = 'Normal';
  }
  return { weight: total, class: cls };
}

/** `Pallet::derivative_account_id`: blake2_256(b"modlpy/utilisuba" ++ who ++ index_le), as an account id. */
export function derivativeAccountId(who: Uint8Array, index: number): Uint8Array {
  const prefix = new TextEncoder().encode('modlpy/utilisuba');
  const data = new Uint8Array(prefix.length + who.length + 2);
  data.set(prefix, 0);
  data.set(who, prefix.length);
  data.set(u16.encode(index), prefix.length + who.length);
  return trailingZeroAccount(blake2_256(data));
}

/** `AccountId::decode(&mut TrailingZeroInput::new(entropy))`: the first 32 (or 20) bytes, zero-padded. */
export function trailingZeroAccount(entropy: Uint8Array): Uint8Array {
  const out = new Uint8Array(accountKind().length);
  out.set(entropy.subarray(0, out.length));
  return out;
}

/** Batches may be sent by any origin except `None`. */
function ensureNotNone(origin: Origin): void {
  if (origin.type === 'None') throw badOrigin();
}

function ensureWithinLimit(calls: readonly RuntimeCallValue[]): void {
  if (calls.length > BATCHED_CALLS_LIMIT) throw UtilityError.fail('TooManyCalls');
}

/** Dispatches one inner call and adds what it actually used to `used`. */
function dispatchCounted(inner: RuntimeCallValue, origin: Origin, used: { weight: Weight }): DispatchOutcome {
  const info = callInfoOf(inner);
  const outcome = dispatchFiltered(inner, origin);
  used.weight = addWeight(used.weight, extractActualWeight(outcome.postInfo, info));
  return outcome;
}

const asResult = (o: DispatchOutcome): { ok: undefined } | { err: DispatchError } =>
  o.ok ? { ok: undefined } : { err: o.error };

const isBatchAll = (c: RuntimeCallValue) => c?.type === 'Utility' && c.value?.type === 'batch_all';

export const Utility = p.build({
  docs: [],
  calls: {
    batch: call(
      0,
      { calls: CallVec },
      {
        weight: ({ calls }) => addWeight(weightAndClass(calls).weight, UtilityWeights.batch(calls.length)),
        dispatch(origin, { calls }): PostDispatchInfo {
          ensureNotNone(origin);
          ensureWithinLimit(calls);
          const used = { weight: ZERO_WEIGHT as Weight };
          for (let i = 0; i < calls.length; i++) {
            const outcome = dispatchCounted(calls[i], origin, used);
            if (!outcome.ok) {
              UtilityEvent.deposit({ type: 'BatchInterrupted', value: { index: i, error: outcome.error } });
              return { actualWeight: addWeight(UtilityWeights.batch(i + 1), used.weight) };
            }
            UtilityEvent.deposit({ type: 'ItemCompleted' });
          }
          UtilityEvent.deposit({ type: 'BatchCompleted' });
          return { actualWeight: addWeight(UtilityWeights.batch(calls.length), used.weight) };
        },
        typeNames: { calls: CALL_VEC_NAME },
        docs: [
          ' Send a batch of dispatch calls.',
          '',
          ' May be called from any origin except `None`.',
          '',
          ' This will return `Ok` in all circumstances. To determine the success of the batch, an',
          ' event is deposited. If a call failed and the batch was interrupted, then the',
          ' `BatchInterrupted` event is deposited, along with the number of successful calls made',
          ' and the error of the failed call. If all were successful, then the `BatchCompleted`',
          ' event is deposited.',
        ],
      },
    ),
    as_derivative: call(
      1,
      { index: u16, call: BoxedCall },
      {
        weight: ({ call: inner }) =>
          addWeight(addWeight(UtilityWeights.asDerivative(), accountReadWrite()), callInfoOf(inner).weight),
        dispatch(origin, { index, call: inner }): PostDispatchInfo {
          const who = ensureSigned(origin);
          const pseudonym = withCallerFrom(origin, signedOrigin(derivativeAccountId(who, index)));
          const used = { weight: addWeight(UtilityWeights.asDerivative(), accountReadWrite()) };
          const outcome = dispatchCounted(inner, pseudonym, used);
          if (!outcome.ok) throw new DispatchFailure(outcome.error, { actualWeight: used.weight });
          return { actualWeight: used.weight };
        },
        typeNames: { index: 'u16', call: BOXED_CALL_NAME },
        docs: [
          ' Send a call through an indexed pseudonym of the sender.',
          '',
          ' Filter from origin are passed along. The call will be dispatched with an origin which',
          ' use the same filter as the origin of this call.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    batch_all: call(
      2,
      { calls: CallVec },
      {
        weight: ({ calls }) => addWeight(weightAndClass(calls).weight, UtilityWeights.batchAll(calls.length)),
        dispatch(origin, { calls }): PostDispatchInfo {
          ensureNotNone(origin);
          ensureWithinLimit(calls);
          // Don't allow users to nest `batch_all` calls (Root dispatches bypass every filter).
          const inner = origin.type === 'Root' ? origin : addFilter(origin, (c) => !isBatchAll(c));
          const used = { weight: ZERO_WEIGHT as Weight };
          for (let i = 0; i < calls.length; i++) {
            const outcome = dispatchCounted(calls[i], inner, used);
            if (!outcome.ok) {
              throw new DispatchFailure(outcome.error, {
                actualWeight: addWeight(UtilityWeights.batchAll(i + 1), used.weight),
              });
            }
            UtilityEvent.deposit({ type: 'ItemCompleted' });
          }
          UtilityEvent.deposit({ type: 'BatchCompleted' });
          return { actualWeight: addWeight(UtilityWeights.batchAll(calls.length), used.weight) };
        },
        typeNames: { calls: CALL_VEC_NAME },
        docs: [
          ' Send a batch of dispatch calls and atomically execute them.',
          ' The whole transaction will rollback and fail if any of the calls failed.',
          '',
          ' May be called from any origin except `None`.',
        ],
      },
    ),
    dispatch_as: call(
      3,
      { as_origin: OriginCallerRef, call: BoxedCall },
      {
        weight: ({ call: inner }) => addWeight(UtilityWeights.dispatchAs(), callInfoOf(inner).weight),
        dispatch(origin, { as_origin, call: inner }) {
          ensureRoot(origin);
          const outcome = dispatchFiltered(inner, originFromCaller(as_origin));
          UtilityEvent.deposit({ type: 'DispatchedAs', value: { result: asResult(outcome) } });
        },
        typeNames: { as_origin: 'Box<T::PalletsOrigin>', call: BOXED_CALL_NAME },
        docs: [
          ' Dispatches a function call with a provided origin.',
          '',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
    force_batch: call(
      4,
      { calls: CallVec },
      {
        weight: ({ calls }) =>
          addWeight(weightAndClass(calls).weight, UtilityWeights.forceBatch(calls.length)),
        dispatch(origin, { calls }): PostDispatchInfo {
          ensureNotNone(origin);
          ensureWithinLimit(calls);
          const used = { weight: ZERO_WEIGHT as Weight };
          let failed = false;
          for (const c of calls) {
            const outcome = dispatchCounted(c, origin, used);
            if (outcome.ok) UtilityEvent.deposit({ type: 'ItemCompleted' });
            else {
              failed = true;
              UtilityEvent.deposit({ type: 'ItemFailed', value: { error: outcome.error } });
            }
          }
          UtilityEvent.deposit({ type: failed ? 'BatchCompletedWithErrors' : 'BatchCompleted' });
          // As upstream: the base weight of `batch`, not `force_batch`.
          return { actualWeight: addWeight(UtilityWeights.batch(calls.length), used.weight) };
        },
        typeNames: { calls: CALL_VEC_NAME },
        docs: [
          ' Send a batch of dispatch calls.',
          " Unlike `batch`, it allows errors and won't interrupt.",
          '',
          ' May be called from any origin except `None`.',
        ],
      },
    ),
    with_weight: call(
      5,
      { call: BoxedCall, weight: WeightCodec },
      {
        weight: ({ weight: w }) => w,
        dispatch(origin, { call: inner }) {
          ensureRoot(origin);
          // The weight witness is deliberately not checked.
          const outcome = dispatchFiltered(inner, rootOrigin());
          if (!outcome.ok) throw new DispatchFailure(outcome.error);
        },
        typeNames: { call: BOXED_CALL_NAME, weight: 'Weight' },
        docs: [
          ' Dispatch a function call with a specified weight.',
          '',
          ' This function does not check the weight of the call, and instead allows the',
          ' Root origin to specify the weight of the call.',
          '',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
    dispatch_as_checked: call(
      6,
      { as_origin: OriginCallerRef, call: BoxedCall },
      {
        weight: ({ call: inner }) => addWeight(UtilityWeights.dispatchAsChecked(), callInfoOf(inner).weight),
        dispatch(origin, { as_origin, call: inner }) {
          ensureRoot(origin);
          const outcome = dispatchFiltered(inner, originFromCaller(as_origin));
          if (!outcome.ok) throw new DispatchFailure(outcome.error);
          UtilityEvent.deposit({ type: 'DispatchedAs', value: { result: { ok: undefined } } });
        },
        typeNames: { as_origin: 'Box<T::PalletsOrigin>', call: BOXED_CALL_NAME },
        docs: [
          ' Dispatches a function call with a provided origin.',
          ' Almost the same as [`Pallet::dispatch_as`] but check the result of the call.',
          '',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
  },
  constants: {
    batched_calls_limit: constant(u32, () => BATCHED_CALLS_LIMIT, [
      ' The limit on the number of batched calls.',
    ]),
  },
});
