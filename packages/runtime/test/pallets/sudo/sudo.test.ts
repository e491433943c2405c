/**
 * pallet_sudo (polkadot-sdk substrate/frame/sudo/src/tests.rs scenarios): the key dispatches as Root or as any
 * account, the inner result lands in Sudid / SudoAsDone while the sudo call itself succeeds with Pays::No; non-keys
 * get RequireSudo; set_key / remove_key; weights include the inner call's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Balances } from '../../../src/pallets/balances/index.ts';
import { Key, Sudo, SudoWeights } from '../../../src/pallets/sudo/index.ts';
import { Account as SystemAccount } from '../../../src/pallets/system/pallet.ts';
import { devAccounts } from '../../../src/runtimes/index.ts';
import { acc, id, inBlock, moduleError, ready } from '../balances/helpers.ts';
import { currentEnv } from '../../../src/frame/env.ts';
import type { Runtime } from '../../../src/frame/runtime.ts';
import { ScaleDecodeError } from '../../../src/scale/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { newDevChain } from '../../runtimes/dev-chain.ts';

beforeAll(() => ready);

const ED = 1_000_000_000n;
const runtime = () => currentEnv().runtime as unknown as Runtime;

describe('sudo', () => {
  it('the genesis key is //Alice; sudo(force_set_balance) works for her, RequireSudo for others', () => {
    inBlock((b) => {
      const { Alice, Bob } = devAccounts();
      expect(Key.get()).toEqual(Alice);
      const inner = Balances.tx.force_set_balance({ who: id(acc(9)), new_free: 5n * ED });
      expect(b.dispatch(Sudo.tx.sudo({ call: inner }), Bob)).toEqual(moduleError(4, 0));
      b.clearEvents();
      expect(b.dispatch(Sudo.tx.sudo({ call: inner }), Alice)).toEqual({
        ok: true,
        postInfo: { paysFee: 'No' },
      });
      expect(SystemAccount.get(acc(9)).data.free).toBe(5n * ED);
      expect(b.events().at(-1)).toEqual(['Sudo', 'Sudid', { sudo_result: { ok: undefined } }]);
    });
  });

  it('a failing inner call is reported in Sudid; the sudo call itself succeeds and its writes are rolled back', () => {
    inBlock((b) => {
      const { Alice } = devAccounts();
      const inner = Balances.tx.force_transfer({ source: id(acc(1)), dest: id(acc(2)), value: ED });
      expect(b.dispatch(Sudo.tx.sudo({ call: inner }), Alice)).toMatchObject({ ok: true });
      expect(b.events().at(-1)).toEqual([
        'Sudo',
        'Sudid',
        { sudo_result: { err: { type: 'Token', value: { type: 'FundsUnavailable' } } } },
      ]);
    });
  });

  it('sudo_as dispatches as the given signed account (SudoAsDone); Root-only calls then fail with BadOrigin', () => {
    inBlock((b) => {
      const { Alice, Bob, Charlie } = devAccounts();
      const before = SystemAccount.get(Charlie).data.free;
      const send = Balances.tx.transfer_keep_alive({ dest: id(Charlie), value: 7n * ED });
      expect(b.dispatch(Sudo.tx.sudo_as({ who: id(Bob), call: send }), Alice)).toMatchObject({ ok: true });
      expect(b.events().at(-1)).toEqual(['Sudo', 'SudoAsDone', { sudo_result: { ok: undefined } }]);
      expect(SystemAccount.get(Charlie).data.free).toBe(before + 7n * ED);
      const force = Balances.tx.force_set_balance({ who: id(Bob), new_free: 0n });
      b.dispatch(Sudo.tx.sudo_as({ who: id(Bob), call: force }), Alice);
      expect(b.events().at(-1)).toEqual([
        'Sudo',
        'SudoAsDone',
        { sudo_result: { err: { type: 'BadOrigin' } } },
      ]);
    });
  });

  it('set_key hands the key over (KeyChanged); remove_key drops it (KeyRemoved) and then only Root passes', () => {
    inBlock((b) => {
      const { Alice, Bob } = devAccounts();
      expect(b.dispatch(Sudo.tx.set_key({ new: id(Bob) }), Alice)).toMatchObject({ ok: true });
      expect(b.events().at(-1)).toEqual(['Sudo', 'KeyChanged', { old: Alice, new: Bob }]);
      expect(b.dispatch(Sudo.tx.set_key({ new: id(Alice) }), Alice)).toEqual(moduleError(4, 0));
      expect(b.dispatch(Sudo.tx.remove_key({}), Bob)).toMatchObject({ ok: true });
      expect(b.events().at(-1)).toEqual(['Sudo', 'KeyRemoved', undefined]);
      expect(Key.get()).toBeUndefined();
      expect(b.dispatch(Sudo.tx.remove_key({}), Bob)).toEqual(moduleError(4, 0));
      expect(b.dispatch(Sudo.tx.set_key({ new: id(Alice) }))).toMatchObject({ ok: true });
      expect(b.dispatch(Sudo.tx.set_key({ new: id(Alice) }), undefined)).toMatchObject({ ok: true });
    });
  });

  it('weights: sudo = its own + the inner call; sudo_unchecked_weight = what the key says', () => {
    inBlock(() => {
      const inner = Balances.tx.force_set_balance({ who: id(acc(9)), new_free: 5n * ED });
      const innerW = runtime().callInfo(inner).weight;
      const w = runtime().callInfo(Sudo.tx.sudo({ call: inner })).weight;
      expect(w.refTime).toBe(SudoWeights.sudo().refTime + innerW.refTime);
      const unchecked = Sudo.tx.sudo_unchecked_weight({ call: inner, weight: { refTime: 1, proofSize: 2 } });
      expect(runtime().callInfo(unchecked).weight).toEqual({ refTime: 1, proofSize: 2 });
    });
  });

  it('hostile input: a call nested 200 000 sudo levels deep is a typed decode error, not a crash', () => {
    const chain = newDevChain();
    const depth = 200_000;
    const body = new Uint8Array(depth * 2 + 2);
    for (let i = 0; i < depth; i++) body.set([4, 0], i * 2);
    body.set([4, 4], depth * 2); // sudo.remove_key at the bottom
    const decode = (bytes: Uint8Array) =>
      chain.dev.runtime.execute(new Overlay(chain.backend), () => chain.dev.runtime.decodeCall(bytes));
    expect(() => decode(body)).toThrow(ScaleDecodeError);
    // A short nest decodes fine; truncated input and unknown indices are decode errors too.
    expect(decode(new Uint8Array([4, 0, 4, 0, 4, 4]))).toEqual(
      Sudo.tx.sudo({ call: Sudo.tx.sudo({ call: Sudo.tx.remove_key({}) }) }),
    );
    expect(() => decode(new Uint8Array([4, 0, 4]))).toThrow(ScaleDecodeError);
    expect(() => decode(new Uint8Array([4, 9]))).toThrow(ScaleDecodeError);
    expect(() => decode(new Uint8Array([99, 0]))).toThrow(ScaleDecodeError);
  });
});
