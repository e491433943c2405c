/**
 * pallet_sudo (polkadot-sdk substrate/frame/sudo): one key that may dispatch any call as Root (`sudo`,
 * `sudo_unchecked_weight`) or as any signed account (`sudo_as`), hand the key on (`set_key`) or give it up
 * (`remove_key`). Calls by the key pay no fee (Pays::No after dispatch); the inner call's result is reported in
 * `Sudid` / `SudoAsDone`, never as the sudo call's own failure.
 */
import { AccountId, AccountIdLookupOf, lookup } from '../../frame/account.ts';
import { DispatchErrorCodec, type DispatchError, type PostDispatchInfo } from '../../frame/dispatch-error.ts';
import { currentEnv } from '../../frame/env.ts';
import { ensureSignedOrRoot, type Origin, rootOrigin, signedOrigin } from '../../frame/origin.ts';
import { RuntimeCallRef } from '../../frame/outer-enums.ts';
import { call, pallet, type RuntimeCallValue } from '../../frame/pallet.ts';
import type { DispatchOutcome, Runtime } from '../../frame/runtime.ts';
import {
  addWeight,
  type DispatchClass,
  ROCKS_DB_WEIGHT,
  weight,
  type Weight,
  WeightCodec,
} from '../../frame/weights.ts';
import { option, result, struct, unit } from '../../scale/composite.ts';

const p = pallet<{}>('Sudo', { module: 'pallet_sudo' });

export const Key = p.value('Key', AccountId, { docs: [' The `AccountId` of the sudo key.'] });

/** `DispatchResult = Result<(), DispatchError>` */
export const DispatchResultCodec = result(unit, DispatchErrorCodec);

export const Event = p.events({
  Sudid: [
    0,
    struct(
      { sudo_result: DispatchResultCodec },
      { sudo_result: 'DispatchResult' },
      {
        sudo_result: [' The result of the call made by the sudo user.'],
      },
    ),
    [' A sudo call just took place.'],
  ],
  KeyChanged: [
    1,
    struct(
      { old: option(AccountId), new: AccountId },
      { old: 'Option<T::AccountId>', new: 'T::AccountId' },
      {
        old: [' The old sudo key (if one was previously set).'],
        new: [' The new sudo key (if one was set).'],
      },
    ),
    [' The sudo key has been updated.'],
  ],
  KeyRemoved: [2, undefined, [' The key was permanently removed.']],
  SudoAsDone: [
    3,
    struct(
      { sudo_result: DispatchResultCodec },
      { sudo_result: 'DispatchResult' },
      {
        sudo_result: [' The result of the call made by the sudo user.'],
      },
    ),
    [' A [sudo_as](Pallet::sudo_as) call just took place.'],
  ],
});

export const Error = p.errors({
  RequireSudo: [0, [' Sender must be the Sudo account.']],
});

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
/** polkadot-sdk pallet_sudo SubstrateWeight (each reads Key; set_key/remove_key write it). */
export const SudoWeights = {
  setKey: () => addWeight(weight(9_793_000, 1517), weight(READ + WRITE, 0)),
  sudo: () => addWeight(weight(10_556_000, 1517), weight(READ, 0)),
  sudoAs: () => addWeight(weight(10_376_000, 1517), weight(READ, 0)),
  removeKey: () => addWeight(weight(8_836_000, 1517), weight(READ + WRITE, 0)),
};

/** The composed runtime (dispatch and call info of the inner call). */
function runtime(): Runtime {
  const rt = currentEnv('sudo').runtime as unknown as Runtime;
  if (typeof rt.dispatch !== 'function') throw new TypeError('sudo needs a composed Runtime as its env');
  return rt;
}

function innerInfo(inner: RuntimeCallValue): { weight: Weight; class: DispatchClass } {
  return runtime().callInfo(inner);
}

/** `ensure_sudo`: Root, or a signed origin holding the key (else RequireSudo); anything else is BadOrigin. */
function ensureSudo(origin: Origin): void {
  const sender = ensureSignedOrRoot(origin);
  if (sender === undefined) return;
  const key = Key.get();
  if (!key || !sameBytes(key, sender)) throw Error.fail('RequireSudo');
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const asResult = (o: DispatchOutcome): { ok: undefined } | { err: DispatchError } =>
  o.ok ? { ok: undefined } : { err: o.error };
const NO_FEE: PostDispatchInfo = { paysFee: 'No' };

const boxedCall = { call: RuntimeCallRef as typeof RuntimeCallRef };
const boxedCallName = { call: 'Box<<T as Config>::RuntimeCall>' } as const;

export const Sudo = p.build({
  docs: [],
  calls: {
    sudo: call(0, boxedCall, {
      weight: ({ call }) => addWeight(SudoWeights.sudo(), innerInfo(call).weight),
      dispatch(origin, { call }) {
        ensureSudo(origin);
        const outcome = runtime().dispatch(call, rootOrigin());
        Event.deposit({ type: 'Sudid', value: { sudo_result: asResult(outcome) } });
        return NO_FEE;
      },
      typeNames: boxedCallName,
      docs: [' Authenticates the sudo key and dispatches a function call with `Root` origin.'],
    }),
    sudo_unchecked_weight: call(
      1,
      { ...boxedCall, weight: WeightCodec },
      {
        weight: ({ weight }) => weight,
        dispatch(origin, { call }) {
          ensureSudo(origin);
          const outcome = runtime().dispatch(call, rootOrigin());
          Event.deposit({ type: 'Sudid', value: { sudo_result: asResult(outcome) } });
          return NO_FEE;
        },
        typeNames: { ...boxedCallName, weight: 'Weight' },
        docs: [
          ' Authenticates the sudo key and dispatches a function call with `Root` origin.',
          ' This function does not check the weight of the call, and instead allows the',
          ' Sudo user to specify the weight of the call.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    set_key: call(
      2,
      { new: AccountIdLookupOf },
      {
        weight: SudoWeights.setKey,
        dispatch(origin, { new: address }) {
          ensureSudo(origin);
          const next = lookup(address);
          Event.deposit({ type: 'KeyChanged', value: { old: Key.get(), new: next } });
          Key.set(next);
          return NO_FEE;
        },
        typeNames: { new: 'AccountIdLookupOf<T>' },
        docs: [
          ' Authenticates the current sudo key and sets the given AccountId (`new`) as the new sudo',
          ' key.',
        ],
      },
    ),
    sudo_as: call(
      3,
      { who: AccountIdLookupOf, ...boxedCall },
      {
        weight: ({ call }) => addWeight(SudoWeights.sudoAs(), innerInfo(call).weight),
        dispatch(origin, { who, call }) {
          ensureSudo(origin);
          const account = lookup(who);
          const outcome = runtime().dispatch(call, signedOrigin(account));
          Event.deposit({ type: 'SudoAsDone', value: { sudo_result: asResult(outcome) } });
          return NO_FEE;
        },
        typeNames: { who: 'AccountIdLookupOf<T>', ...boxedCallName },
        docs: [
          ' Authenticates the sudo key and dispatches a function call with `Signed` origin from',
          ' a given account.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    remove_key: call(
      4,
      {},
      {
        weight: SudoWeights.removeKey,
        dispatch(origin) {
          ensureSudo(origin);
          Event.deposit({ type: 'KeyRemoved' });
          Key.kill();
          return NO_FEE;
        },
        docs: [' Permanently removes the sudo key.', '', ' **This cannot be un-done.**'],
      },
    ),
  },
  genesis: {
    default: (): SudoGenesis => ({ key: undefined }),
    build({ key }: SudoGenesis) {
      if (key) Key.set(key);
    },
  },
});

export interface SudoGenesis {
  /** The `AccountId` of the sudo key. */
  key: Uint8Array | undefined;
}

export { Error as SudoError, Event as SudoEvent };
