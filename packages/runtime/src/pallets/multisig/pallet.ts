/**
 * pallet_multisig (polkadot-sdk substrate/frame/multisig): a composite account derived from a sorted set of
 * signatories and a threshold dispatches a call once `threshold` of them approved it. The first approval opens the
 * operation (its `Timepoint` names it afterwards) and reserves `DepositBase + threshold × DepositFactor` from the
 * depositor, returned when the call executes or the depositor cancels. Threshold 1 dispatches at once, statelessly.
 * The call runs as a fresh `Signed(multisig)` origin (the runtime's BaseCallFilter applies, no caller filter).
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { AccountId } from '../../frame/account.ts';
import { currentEnv } from '../../frame/env.ts';
import { DispatchErrorCodec, DispatchFailure, type PostDispatchInfo } from '../../frame/dispatch-error.ts';
import { callInfoOf } from '../../frame/nested-dispatch.ts';
import { ensureSigned, signedOrigin } from '../../frame/origin.ts';
import { call, constant, pallet, type RuntimeCallValue } from '../../frame/pallet.ts';
import { addWeight, allLte, type Weight, WeightCodec, weight } from '../../frame/weights.ts';
import type { Codec } from '../../scale/codec.ts';
import { compareBytes } from '../../scale/codec.ts';
import { option, result, struct, unit, vec } from '../../scale/composite.ts';
import { bytesFixed, u16, u32, u128 } from '../../scale/primitives.ts';
import type { NativeCurrency } from '../balances/adapter.ts';
import { blockNumber, extrinsicIndex } from '../system/block.ts';
import { config as systemConfig } from '../system/pallet.ts';
import { BOXED_CALL_NAME, BoxedCall } from '../utility/nested-call.ts';
import { dispatchFiltered } from '../utility/origin-filter.ts';
import { trailingZeroAccount } from '../utility/pallet.ts';

export interface MultisigConfig {
  /** `T::Currency` (ReservableCurrency). */
  currency: Pick<NativeCurrency, 'reserve' | 'unreserve'>;
  depositBase: bigint;
  depositFactor: bigint;
  maxSignatories: number;
}

const p = pallet<MultisigConfig>('Multisig', { module: 'pallet_multisig' });

const BlockNumber = u32;
const Balance = u128;
const CallHashCodec = bytesFixed(32);

export interface Timepoint {
  height: number;
  index: number;
}

export const TimepointCodec: Codec<Timepoint> = struct(
  { height: BlockNumber, index: u32 },
  { height: 'BlockNumber', index: 'u32' },
).named(['pallet_multisig', 'Timepoint'], { params: [{ name: 'BlockNumber', type: BlockNumber }] });

export interface MultisigOperation {
  when: Timepoint;
  deposit: bigint;
  depositor: Uint8Array;
  approvals: Uint8Array[];
}

export const MultisigCodec: Codec<MultisigOperation> = struct(
  {
    when: TimepointCodec,
    deposit: Balance,
    depositor: AccountId,
    approvals: vec(AccountId).named(['bounded_collections', 'bounded_vec', 'BoundedVec'], {
      params: [{ name: 'T', type: AccountId }, { name: 'S' }],
    }),
  },
  {
    when: 'Timepoint<BlockNumber>',
    deposit: 'Balance',
    depositor: 'AccountId',
    approvals: 'BoundedVec<AccountId, MaxApprovals>',
  },
).named(['pallet_multisig', 'Multisig'], {
  params: [
    { name: 'BlockNumber', type: BlockNumber },
    { name: 'Balance', type: Balance },
    { name: 'AccountId', type: AccountId },
    { name: 'MaxApprovals' },
  ],
});

export const Multisigs = p.doubleMap(
  'Multisigs',
  ['Twox64Concat', AccountId],
  ['Blake2_128Concat', CallHashCodec],
  MultisigCodec,
  { docs: [' The set of open multisig operations.'] },
);

const DispatchResultCodec = result(unit, DispatchErrorCodec);

export const MultisigEvent = p.events({
  NewMultisig: [
    0,
    struct(
      { approving: AccountId, multisig: AccountId, call_hash: CallHashCodec },
      { approving: 'T::AccountId', multisig: 'T::AccountId', call_hash: 'CallHash' },
    ),
    [' A new multisig operation has begun.'],
  ],
  MultisigApproval: [
    1,
    struct(
      { approving: AccountId, timepoint: TimepointCodec, multisig: AccountId, call_hash: CallHashCodec },
      {
        approving: 'T::AccountId',
        timepoint: 'Timepoint<BlockNumberFor<T>>',
        multisig: 'T::AccountId',
        call_hash: 'CallHash',
      },
    ),
    [' A multisig operation has been approved by someone.'],
  ],
  MultisigExecuted: [
    2,
    struct(
      {
        approving: AccountId,
        timepoint: TimepointCodec,
        multisig: AccountId,
        call_hash: CallHashCodec,
        result: DispatchResultCodec,
      },
      {
        approving: 'T::AccountId',
        timepoint: 'Timepoint<BlockNumberFor<T>>',
        multisig: 'T::AccountId',
        call_hash: 'CallHash',
        result: 'DispatchResult',
      },
    ),
    [' A multisig operation has been executed.'],
  ],
  MultisigCancelled: [
    3,
    struct(
      { cancelling: AccountId, timepoint: TimepointCodec, multisig: AccountId, call_hash: CallHashCodec },
      {
        cancelling: 'T::AccountId',
        timepoint: 'Timepoint<BlockNumberFor<T>>',
        multisig: 'T::AccountId',
        call_hash: 'CallHash',
      },
    ),
    [' A multisig operation has been cancelled.'],
  ],
});

export const MultisigError = p.errors({
  MinimumThreshold: [0, [' Threshold must be 2 or greater.']],
  AlreadyApproved: [1, [' Call is already approved by this signatory.']],
  NoApprovalsNeeded: [2, [" Call doesn't need any (more) approvals."]],
  TooFewSignatories: [3, [' There are too few signatories in the list.']],
  TooManySignatories: [4, [' There are too many signatories in the list.']],
  SignatoriesOutOfOrder: [5, [' The signatories were provided out of order; they should be ordered.']],
  SenderInSignatories: [6, [" The sender was contained in the other signatories; it shouldn't be."]],
  NotFound: [7, [' Multisig operation not found in storage.']],
  NotOwner: [
    8,
    [
      ' Only the account that originally created the multisig is able to cancel it or update',
      ' its deposits.',
    ],
  ],
  NoTimepoint: [9, [' No timepoint was given, yet the multisig operation is already underway.']],
  WrongTimepoint: [10, [' A different timepoint was given to the multisig operation that is underway.']],
  UnexpectedTimepoint: [11, [' A timepoint was given, yet no multisig operation is underway.']],
  MaxWeightTooLow: [12, [' The maximum weight information provided was too low.']],
  AlreadyStored: [13, [' The data to be stored is already stored.']],
});

function dbReadsWrites(reads: number, writes: number): Weight {
  const db = systemConfig().dbWeight;
  return weight(Number(db.read) * reads + Number(db.write) * writes, 0);
}

/** polkadot-sdk pallet_multisig SubstrateWeight (ref time, proof size, db ops) in `s` signatories, `z` call bytes. */
export const MultisigWeights = {
  asMultiThreshold1: (z: number) => weight(20_727_356 + 572 * z, 3997),
  asMultiCreate: (s: number, z: number) =>
    addWeight(weight(32_052_125 + 111_179 * s + 1_447 * z, 6811), dbReadsWrites(1, 1)),
  asMultiApprove: (s: number, z: number) =>
    addWeight(weight(17_940_334 + 106_203 * s + 1_441 * z, 6811), dbReadsWrites(1, 1)),
  asMultiComplete: (s: number, z: number) =>
    addWeight(weight(42_418_863 + 164_555 * s + 1_573 * z, 6811), dbReadsWrites(2, 2)),
  approveAsMultiCreate: (s: number) => addWeight(weight(30_237_756 + 107_619 * s, 6811), dbReadsWrites(1, 1)),
  approveAsMultiApprove: (s: number) =>
    addWeight(weight(16_907_862 + 101_887 * s, 6811), dbReadsWrites(1, 1)),
  cancelAsMulti: (s: number) => addWeight(weight(31_473_005 + 107_460 * s, 6811), dbReadsWrites(1, 1)),
};

const maxWeight = (a: Weight, b: Weight): Weight => ({
  refTime: Math.max(a.refTime, b.refTime),
  proofSize: Math.max(a.proofSize, b.proofSize),
});

const cfg = () => p.config();
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * `Pallet::multi_account_id`: blake2_256(b"modlpy/utilisuba" ++ Vec<AccountId>(sorted signatories) ++ threshold_le),
 * as an account id. `signatories` must be sorted.
 */
export function multiAccountId(signatories: readonly Uint8Array[], threshold: number): Uint8Array {
  const prefix = new TextEncoder().encode('modlpy/utilisuba');
  const who = vec(AccountId).encode([...signatories]);
  const data = new Uint8Array(prefix.length + who.length + 2);
  data.set(prefix, 0);
  data.set(who, prefix.length);
  data.set(u16.encode(threshold), prefix.length + who.length);
  return trailingZeroAccount(blake2_256(data));
}

/** `ensure_sorted_and_insert`: others must be strictly ascending and not contain `who`; returns all, sorted. */
export function ensureSortedAndInsert(others: readonly Uint8Array[], who: Uint8Array): Uint8Array[] {
  const out = [...others];
  let index = 0;
  let last: Uint8Array | undefined;
  for (const item of others) {
    if (last && compareBytes(last, item) >= 0) throw MultisigError.fail('SignatoriesOutOfOrder');
    if (compareBytes(item, who) <= 0) {
      if (sameBytes(item, who)) throw MultisigError.fail('SenderInSignatories');
      index++;
    }
    last = item;
  }
  out.splice(index, 0, who);
  return out;
}

/** The current `Timepoint` (block number, extrinsic index). */
export function timepoint(): Timepoint {
  return { height: blockNumber(), index: extrinsicIndex() ?? 0 };
}

function callBytes(c: RuntimeCallValue): Uint8Array {
  return currentEnv('a call encoding').runtime.callCodec.encode(c);
}

const sameTimepoint = (a: Timepoint, b: Timepoint) => a.height === b.height && a.index === b.index;

function checkSignatories(others: readonly Uint8Array[]): void {
  if (others.length === 0) throw MultisigError.fail('TooFewSignatories');
  if (others.length >= cfg().maxSignatories) throw MultisigError.fail('TooManySignatories');
}

type CallOrHash = { call: RuntimeCallValue } | { hash: Uint8Array };

/** `operate`: opens, approves or (at threshold, with the call) executes a multisig operation. */
function operate(
  who: Uint8Array,
  threshold: number,
  others: readonly Uint8Array[],
  maybeTimepoint: Timepoint | undefined,
  callOrHash: CallOrHash,
  maxWeightArg: Weight,
): PostDispatchInfo {
  if (threshold < 2) throw MultisigError.fail('MinimumThreshold');
  checkSignatories(others);
  const signatories = ensureSortedAndInsert(others, who);
  const id = multiAccountId(signatories, threshold);
  let callHash: Uint8Array;
  let callLen = 0;
  let maybeCall: RuntimeCallValue | undefined;
  if ('call' in callOrHash) {
    const encoded = callBytes(callOrHash.call);
    callHash = blake2_256(encoded);
    callLen = encoded.length;
    maybeCall = callOrHash.call;
  } else callHash = callOrHash.hash;
  const s = others.length;

  const m = Multisigs.get(id, callHash);
  if (m) {
    if (!maybeTimepoint) throw MultisigError.fail('NoTimepoint');
    if (!sameTimepoint(m.when, maybeTimepoint)) throw MultisigError.fail('WrongTimepoint');
    let approvals = m.approvals.length;
    // Only bother with the approval while below threshold.
    let pos: number | undefined;
    if (approvals < threshold) {
      const i = m.approvals.findIndex((a) => compareBytes(a, who) >= 0);
      const at = i < 0 ? m.approvals.length : i;
      if (!(at < m.approvals.length && sameBytes(m.approvals[at], who))) pos = at;
    }
    if (pos !== undefined) approvals++;

    if (maybeCall && approvals >= threshold) {
      if (!allLte(callInfoOf(maybeCall).weight, maxWeightArg)) throw MultisigError.fail('MaxWeightTooLow');
      // Storage is cleaned up before the call runs (no re-entrancy into this operation).
      Multisigs.remove(id, callHash);
      cfg().currency.unreserve(m.depositor, m.deposit);
      const outcome = dispatchFiltered(maybeCall, signedOrigin(id));
      MultisigEvent.deposit({
        type: 'MultisigExecuted',
        value: {
          approving: who,
          timepoint: maybeTimepoint,
          multisig: id,
          call_hash: callHash,
          result: outcome.ok ? { ok: undefined } : { err: outcome.error },
        },
      });
      const used = outcome.postInfo.actualWeight;
      return used ? { actualWeight: addWeight(MultisigWeights.asMultiComplete(s, callLen), used) } : {};
    }
    if (pos === undefined) throw MultisigError.fail('AlreadyApproved');
    if (m.approvals.length >= cfg().maxSignatories) throw MultisigError.fail('TooManySignatories');
    m.approvals.splice(pos, 0, who);
    Multisigs.set(id, callHash, m);
    MultisigEvent.deposit({
      type: 'MultisigApproval',
      value: { approving: who, timepoint: maybeTimepoint, multisig: id, call_hash: callHash },
    });
    return { actualWeight: MultisigWeights.asMultiApprove(s, callLen) };
  }

  if (maybeTimepoint) throw MultisigError.fail('UnexpectedTimepoint');
  const deposit = cfg().depositBase + cfg().depositFactor * BigInt(threshold);
  cfg().currency.reserve(who, deposit);
  Multisigs.set(id, callHash, { when: timepoint(), deposit, depositor: who, approvals: [who] });
  MultisigEvent.deposit({
    type: 'NewMultisig',
    value: { approving: who, multisig: id, call_hash: callHash },
  });
  return { actualWeight: MultisigWeights.asMultiCreate(s, callLen) };
}

const Signatories = vec(AccountId);
const TimepointOption = option(TimepointCodec);

export const Multisig = p.build({
  docs: [],
  calls: {
    as_multi_threshold_1: call(
      0,
      { other_signatories: Signatories, call: BoxedCall },
      {
        weight: ({ call: inner }) =>
          addWeight(
            addWeight(MultisigWeights.asMultiThreshold1(callBytes(inner).length), dbReadsWrites(1, 1)),
            callInfoOf(inner).weight,
          ),
        dispatch(origin, { other_signatories, call: inner }): PostDispatchInfo {
          const who = ensureSigned(origin);
          checkSignatories(other_signatories);
          const signatories = ensureSortedAndInsert(other_signatories, who);
          const id = multiAccountId(signatories, 1);
          const callLen = callBytes(inner).length;
          const outcome = dispatchFiltered(inner, signedOrigin(id));
          const used = outcome.postInfo.actualWeight;
          const post: PostDispatchInfo = used
            ? { actualWeight: addWeight(MultisigWeights.asMultiThreshold1(callLen), used) }
            : {};
          if (!outcome.ok) throw new DispatchFailure(outcome.error, post);
          return post;
        },
        typeNames: { other_signatories: 'Vec<T::AccountId>', call: BOXED_CALL_NAME },
        docs: [
          ' Immediately dispatch a multi-signature call using a single approval from the caller.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    as_multi: call(
      1,
      {
        threshold: u16,
        other_signatories: Signatories,
        maybe_timepoint: TimepointOption,
        call: BoxedCall,
        max_weight: WeightCodec,
      },
      {
        weight: ({ other_signatories, call: inner, max_weight }) => {
          const s = other_signatories.length;
          const z = callBytes(inner).length;
          return addWeight(
            maxWeight(
              maxWeight(MultisigWeights.asMultiCreate(s, z), MultisigWeights.asMultiApprove(s, z)),
              MultisigWeights.asMultiComplete(s, z),
            ),
            max_weight,
          );
        },
        dispatch(origin, { threshold, other_signatories, maybe_timepoint, call: inner, max_weight }) {
          const who = ensureSigned(origin);
          return operate(
            who,
            threshold,
            other_signatories,
            maybe_timepoint ?? undefined,
            { call: inner },
            max_weight,
          );
        },
        typeNames: {
          threshold: 'u16',
          other_signatories: 'Vec<T::AccountId>',
          maybe_timepoint: 'Option<Timepoint<BlockNumberFor<T>>>',
          call: BOXED_CALL_NAME,
          max_weight: 'Weight',
        },
        docs: [
          ' Register approval for a dispatch to be made from a deterministic composite account if',
          ' approved by a total of `threshold - 1` of `other_signatories`.',
          '',
          ' If there are enough, then dispatch the call.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    approve_as_multi: call(
      2,
      {
        threshold: u16,
        other_signatories: Signatories,
        maybe_timepoint: TimepointOption,
        call_hash: CallHashCodec,
        max_weight: WeightCodec,
      },
      {
        weight: ({ other_signatories, max_weight }) => {
          const s = other_signatories.length;
          return addWeight(
            maxWeight(MultisigWeights.approveAsMultiCreate(s), MultisigWeights.approveAsMultiApprove(s)),
            max_weight,
          );
        },
        dispatch(origin, { threshold, other_signatories, maybe_timepoint, call_hash, max_weight }) {
          const who = ensureSigned(origin);
          return operate(
            who,
            threshold,
            other_signatories,
            maybe_timepoint ?? undefined,
            { hash: call_hash },
            max_weight,
          );
        },
        typeNames: {
          threshold: 'u16',
          other_signatories: 'Vec<T::AccountId>',
          maybe_timepoint: 'Option<Timepoint<BlockNumberFor<T>>>',
          call_hash: '[u8; 32]',
          max_weight: 'Weight',
        },
        docs: [
          ' Register approval for a dispatch to be made from a deterministic composite account if',
          ' approved by a total of `threshold - 1` of `other_signatories`.',
          '',
          ' NOTE: If this is the final approval, you will want to use `as_multi` instead.',
        ],
      },
    ),
    cancel_as_multi: call(
      3,
      { threshold: u16, other_signatories: Signatories, timepoint: TimepointCodec, call_hash: CallHashCodec },
      {
        weight: ({ other_signatories }) => MultisigWeights.cancelAsMulti(other_signatories.length),
        dispatch(origin, { threshold, other_signatories, timepoint: when, call_hash }) {
          const who = ensureSigned(origin);
          if (threshold < 2) throw MultisigError.fail('MinimumThreshold');
          checkSignatories(other_signatories);
          const signatories = ensureSortedAndInsert(other_signatories, who);
          const id = multiAccountId(signatories, threshold);
          const m = Multisigs.get(id, call_hash);
          if (!m) throw MultisigError.fail('NotFound');
          if (!sameTimepoint(m.when, when)) throw MultisigError.fail('WrongTimepoint');
          if (!sameBytes(m.depositor, who)) throw MultisigError.fail('NotOwner');
          cfg().currency.unreserve(m.depositor, m.deposit);
          Multisigs.remove(id, call_hash);
          MultisigEvent.deposit({
            type: 'MultisigCancelled',
            value: { cancelling: who, timepoint: when, multisig: id, call_hash },
          });
        },
        typeNames: {
          threshold: 'u16',
          other_signatories: 'Vec<T::AccountId>',
          timepoint: 'Timepoint<BlockNumberFor<T>>',
          call_hash: '[u8; 32]',
        },
        docs: [
          ' Cancel a pre-existing, on-going multisig transaction. Any deposit reserved previously',
          ' for this operation will be unreserved on success.',
        ],
      },
    ),
  },
  constants: {
    DepositBase: constant(Balance, (c: MultisigConfig) => c.depositBase, [
      ' The base amount of currency needed to reserve for creating a multisig execution or to',
      ' store a dispatch call for later.',
    ]),
    DepositFactor: constant(Balance, (c: MultisigConfig) => c.depositFactor, [
      ' The amount of currency needed per unit threshold when creating a multisig execution.',
    ]),
    MaxSignatories: constant(u32, (c: MultisigConfig) => c.maxSignatories, [
      ' The maximum amount of signatories allowed in the multisig.',
    ]),
  },
});
