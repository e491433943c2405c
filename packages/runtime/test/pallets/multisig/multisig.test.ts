/**
 * pallet_multisig's rules, after polkadot-sdk substrate/frame/multisig/src/tests.rs: the composite account is
 * @polkadot/util-crypto's `createKeyMulti` (blake2_256(b"modlpy/utilisuba" ++ sorted signatories ++ threshold));
 * deposits (`DepositBase + threshold × DepositFactor`) are held by the first approver until execution or
 * cancellation; approvals need the opening timepoint; the weight witness must cover the call; signatories must be
 * sorted, exclude the sender and stay within MaxSignatories; 20-byte account runtimes derive 20-byte multisig ids.
 */
import { createKeyMulti } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_20 } from '../../../src/frame/account.ts';
import { callInfoOf } from '../../../src/frame/nested-dispatch.ts';
import { Balances } from '../../../src/pallets/balances/index.ts';
import { Multisig, multiAccountId, Multisigs, timepoint } from '../../../src/pallets/multisig/index.ts';
import { Account, System } from '../../../src/pallets/system/pallet.ts';
import { blake2_256 } from '../../../src/crypto/hashing.ts';
import { devAccounts, devWalletConfigs, UNIT } from '../../../src/runtimes/index.ts';
import { compareBytes } from '../../../src/scale/index.ts';
import { type RuntimeEnv, withCodecRuntime } from '../../../src/frame/env.ts';
import { hex, id, mockChain, moduleError, ready } from '../utility/mock.ts';

beforeAll(() => ready);

const MULTISIG = 8;
const err = (i: number) => ({ ok: false, error: moduleError(MULTISIG, i) });
const BIG = { refTime: 10 ** 12, proofSize: 10 ** 6 };
const sorted = (xs: Uint8Array[]) => [...xs].sort(compareBytes);
const free = (who: Uint8Array) => Account.get(who).data.free;
const reserved = (who: Uint8Array) => Account.get(who).data.reserved;
const { depositBase, depositFactor } = devWalletConfigs.multisig;

describe('multi account id', () => {
  it('is createKeyMulti of the signatories and threshold (@polkadot/util-crypto)', () => {
    const { Alice, Bob, Charlie, Dave } = devAccounts();
    mockChain().inBlock(() => {
      for (const [who, t] of [
        [[Alice, Bob, Charlie], 2],
        [[Alice, Bob], 1],
        [[Alice, Bob, Charlie, Dave], 3],
        [[Dave, Alice], 65535],
      ] as const)
        expect(hex(multiAccountId(sorted([...who]), t))).toBe(hex(createKeyMulti([...who], t)));
    });
  });

  it('is the first 20 bytes of the same hash on an AccountId20 runtime', () => {
    const a = new Uint8Array(20).fill(1);
    const b = new Uint8Array(20).fill(2);
    // Outside any env, account codecs follow the runtime being encoded for: one with 20-byte accounts here.
    withCodecRuntime({ accounts: ACCOUNT_20 } as unknown as RuntimeEnv, () => {
      const full = blake2_256(
        new Uint8Array([...new TextEncoder().encode('modlpy/utilisuba'), 8, ...a, ...b, 2, 0]),
      );
      expect(hex(multiAccountId([a, b], 2))).toBe(hex(full.subarray(0, 20)));
    });
  });
});

describe('as_multi', () => {
  it('3-of-3 through approve_as_multi and as_multi: deposit held by the opener, returned at execution', () => {
    const { Alice, Bob, Charlie, Dave } = devAccounts();
    mockChain().inBlock((b) => {
      const all = sorted([Alice, Bob, Charlie]);
      const ms = multiAccountId(all, 3);
      b.dispatch(Balances.tx.transfer_allow_death({ dest: id(ms), value: 5n * UNIT }), Alice);
      const call = Balances.tx.transfer_allow_death({ dest: id(Dave), value: UNIT });
      const hash = blake2_256(b.chain.runtime.callCodec.encode(call));
      const others = (me: Uint8Array) => all.filter((x) => x !== me);
      const r0 = reserved(Alice);
      const open = b.dispatch(
        Multisig.tx.approve_as_multi({
          threshold: 3,
          other_signatories: others(Alice),
          maybe_timepoint: undefined,
          call_hash: hash,
          max_weight: BIG,
        }),
        Alice,
      );
      expect(open.ok).toBe(true);
      expect(reserved(Alice)).toBe(r0 + depositBase + 3n * depositFactor);
      const when = timepoint();
      // Approving twice without the call is useless: AlreadyApproved.
      const again = Multisig.tx.approve_as_multi({
        threshold: 3,
        other_signatories: others(Alice),
        maybe_timepoint: when,
        call_hash: hash,
        max_weight: BIG,
      });
      expect(b.dispatch(again, Alice)).toMatchObject(err(1));
      const bob = b.dispatch(
        Multisig.tx.approve_as_multi({
          threshold: 3,
          other_signatories: others(Bob),
          maybe_timepoint: when,
          call_hash: hash,
          max_weight: BIG,
        }),
        Bob,
      );
      expect(bob.ok).toBe(true);
      expect(Multisigs.get(ms, hash)!.approvals.map(hex)).toEqual(sorted([Alice, Bob]).map(hex));
      const d0 = free(Dave);
      // The weight witness must cover the call's weight.
      const low = { refTime: callInfoOf(call).weight.refTime - 1, proofSize: BIG.proofSize };
      const tooLow = Multisig.tx.as_multi({
        threshold: 3,
        other_signatories: others(Charlie),
        maybe_timepoint: when,
        call,
        max_weight: low,
      });
      expect(b.dispatch(tooLow, Charlie)).toMatchObject(err(12));
      const exec = b.dispatch(
        Multisig.tx.as_multi({
          threshold: 3,
          other_signatories: others(Charlie),
          maybe_timepoint: when,
          call,
          max_weight: BIG,
        }),
        Charlie,
      );
      expect(exec.ok).toBe(true);
      expect(b.events().at(-1)).toEqual([
        'Multisig',
        'MultisigExecuted',
        { approving: Charlie, timepoint: when, multisig: ms, call_hash: hash, result: { ok: undefined } },
      ]);
      expect(free(Dave)).toBe(d0 + UNIT);
      expect(reserved(Alice)).toBe(r0);
      expect(Multisigs.get(ms, hash)).toBeUndefined();
    });
  });

  it('refuses what polkadot-sdk refuses, each with its error, holding nothing', () => {
    const { Alice, Bob, Charlie } = devAccounts();
    mockChain().inBlock((b) => {
      const call = System.tx.remark({ remark: new Uint8Array([1]) });
      const am = (threshold: number, others: Uint8Array[], tp?: { height: number; index: number }) =>
        b.dispatch(
          Multisig.tx.as_multi({
            threshold,
            other_signatories: others,
            maybe_timepoint: tp,
            call,
            max_weight: BIG,
          }),
          Alice,
        );
      const r0 = reserved(Alice);
      expect(am(1, [Bob])).toMatchObject(err(0));
      expect(am(0, [Bob])).toMatchObject(err(0));
      expect(am(2, [])).toMatchObject(err(3));
      expect(am(2, sorted([Bob, Charlie]).reverse())).toMatchObject(err(5));
      expect(am(2, [Bob, Bob])).toMatchObject(err(5));
      expect(am(2, sorted([Alice, Bob]))).toMatchObject(err(6));
      const many = Array.from({ length: 100 }, (_, i) => new Uint8Array(32).fill(i + 1));
      expect(am(2, sorted(many))).toMatchObject(err(4));
      expect(am(2, [Bob], { height: 1, index: 0 })).toMatchObject(err(11));
      expect(reserved(Alice)).toBe(r0);
      // Threshold 1 belongs to as_multi_threshold_1.
      expect(
        b.dispatch(Multisig.tx.as_multi_threshold_1({ other_signatories: [], call }), Alice),
      ).toMatchObject(err(3));
    });
  });

  it('cancel_as_multi: only the depositor, with the right timepoint; the deposit comes back', () => {
    const { Alice, Bob } = devAccounts();
    mockChain().inBlock((b) => {
      const hash = new Uint8Array(32).fill(9);
      const r0 = reserved(Alice);
      const approve = (who: Uint8Array, other: Uint8Array) =>
        Multisig.tx.approve_as_multi({
          threshold: 2,
          other_signatories: [other],
          maybe_timepoint: undefined,
          call_hash: hash,
          max_weight: BIG,
        });
      expect(b.dispatch(approve(Alice, Bob), Alice).ok).toBe(true);
      const when = timepoint();
      const cancel = (other: Uint8Array, tp: typeof when) =>
        Multisig.tx.cancel_as_multi({
          threshold: 2,
          other_signatories: [other],
          timepoint: tp,
          call_hash: hash,
        });
      expect(b.dispatch(cancel(Alice, when), Bob)).toMatchObject(err(8));
      expect(b.dispatch(cancel(Bob, { height: when.height, index: when.index + 1 }), Alice)).toMatchObject(
        err(10),
      );
      expect(b.dispatch(cancel(Bob, when), Alice).ok).toBe(true);
      expect(reserved(Alice)).toBe(r0);
      expect(b.dispatch(cancel(Bob, when), Alice)).toMatchObject(err(7));
    });
  });
});
