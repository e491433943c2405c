/**
 * pallet_utility's rules, after polkadot-sdk substrate/frame/utility/src/tests.rs (whose mock's BaseCallFilter lets
 * `transfer_allow_death`, Utility and `System::remark` through and refuses `transfer_keep_alive`): batches obey the
 * origin's filters and Root bypasses them, batch stops / batch_all reverts / force_batch continues, batch_all does
 * not nest, the None origin is refused, the call limit and the decode depth limit hold, weights add up, derivative
 * accounts are @polkadot/util-crypto's `createKeyDerived`, dispatch_as / with_weight are Root's.
 */
import { createKeyDerived } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { callInfoOf } from '../../../src/frame/nested-dispatch.ts';
import { noneOrigin, type Origin, signedOrigin } from '../../../src/frame/origin.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { addWeight } from '../../../src/frame/weights.ts';
import { Balances } from '../../../src/pallets/balances/index.ts';
import { Sudo } from '../../../src/pallets/sudo/index.ts';
import { Account, System } from '../../../src/pallets/system/pallet.ts';
import {
  addFilter,
  BATCHED_CALLS_LIMIT,
  derivativeAccountId,
  MAX_EXTRINSIC_DEPTH,
  Utility,
  UtilityWeights,
  weightAndClass,
} from '../../../src/pallets/utility/index.ts';
import { devAccounts, UNIT } from '../../../src/runtimes/index.ts';
import { ScaleDecodeError } from '../../../src/scale/index.ts';
import { acc, CALL_FILTERED, hex, id, mockChain, moduleError, ready } from './mock.ts';

beforeAll(() => ready);

/** polkadot-sdk utility mock's BaseCallFilter. */
const testFilter = (c: RuntimeCallValue) =>
  (c.type === 'Balances' && c.value.type === 'transfer_allow_death') ||
  c.type === 'Utility' ||
  (c.type === 'System' && c.value.type === 'remark');

const pay = (to: Uint8Array, value: bigint) => Balances.tx.transfer_allow_death({ dest: id(to), value });
const payKeepAlive = (to: Uint8Array, value: bigint) =>
  Balances.tx.transfer_keep_alive({ dest: id(to), value });
const remark = () => System.tx.remark({ remark: new Uint8Array([1]) });
const free = (who: Uint8Array) => Account.get(who).data.free;
const utilityNames = (events: Array<[string, string, any]>) =>
  events.filter(([p]) => p === 'Utility').map(([, n, f]) => (f === undefined ? n : [n, f]));

describe('derivative accounts', () => {
  it('are blake2_256(b"modlpy/utilisuba" ++ who ++ index_le), as @polkadot/util-crypto createKeyDerived', () => {
    const { Alice, Bob } = devAccounts();
    mockChain().inBlock(() => {
      for (const [who, index] of [
        [Alice, 0],
        [Alice, 1],
        [Bob, 65535],
        [acc(7), 300],
      ] as const)
        expect(hex(derivativeAccountId(who, index))).toBe(hex(createKeyDerived(who, index)));
    });
  });
});

describe('batch', () => {
  it('stops at the first failure (BatchInterrupted with index and error); Ok with the weight actually used', () => {
    const { Alice, Bob } = devAccounts();
    mockChain({ callFilter: testFilter }).inBlock((b) => {
      const b0 = free(Bob);
      const calls = [pay(Bob, UNIT), pay(Bob, 10n ** 30n), pay(Bob, UNIT)];
      const out = b.dispatch(Utility.tx.batch({ calls }), Alice);
      expect(out.ok).toBe(true);
      expect(free(Bob)).toBe(b0 + UNIT);
      const events = utilityNames(b.events());
      expect(events[0]).toBe('ItemCompleted');
      expect(events[1]).toMatchObject(['BatchInterrupted', { index: 1 }]);
      expect(events).toHaveLength(2);
      // batch(i + 1) + what the two dispatched calls actually used (each at most its declared weight).
      const used = addWeight(callInfoOf(calls[0]).weight, callInfoOf(calls[1]).weight);
      expect(out.postInfo.actualWeight!.refTime).toBeLessThanOrEqual(
        addWeight(UtilityWeights.batch(2), used).refTime,
      );
      expect(out.postInfo.actualWeight!.refTime).toBeGreaterThanOrEqual(UtilityWeights.batch(2).refTime);
    });
  });

  it('applies the BaseCallFilter to each item (System.CallFiltered); Root bypasses it', () => {
    const { Alice, Bob } = devAccounts();
    mockChain({ callFilter: testFilter }).inBlock((b) => {
      const b0 = free(Bob);
      expect(b.dispatch(Utility.tx.batch({ calls: [payKeepAlive(Bob, UNIT)] }), Alice).ok).toBe(true);
      expect(utilityNames(b.events())).toEqual([['BatchInterrupted', { index: 0, error: CALL_FILTERED }]]);
      b.clearEvents();
      // Root skips the filter: force_transfer is not among the calls the filter lets through.
      const force = Balances.tx.force_transfer({ source: id(Alice), dest: id(Bob), value: UNIT });
      expect(b.dispatch(Utility.tx.batch({ calls: [force, force] })).ok).toBe(true);
      expect(utilityNames(b.events())).toEqual(['ItemCompleted', 'ItemCompleted', 'BatchCompleted']);
      expect(free(Bob)).toBe(b0 + 2n * UNIT);
    });
  });

  it('refuses the None origin (BadOrigin) and more than batched_calls_limit calls (TooManyCalls)', () => {
    const { Alice } = devAccounts();
    mockChain().inBlock((b) => {
      expect(b.dispatchAs(Utility.tx.batch({ calls: [remark()] }), noneOrigin())).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
      expect(BATCHED_CALLS_LIMIT).toBe(10922);
      const many = Array.from({ length: BATCHED_CALLS_LIMIT + 1 }, remark);
      for (const tx of [Utility.tx.batch, Utility.tx.batch_all, Utility.tx.force_batch])
        expect(b.dispatch(tx({ calls: many }), Alice)).toMatchObject({ ok: false, error: moduleError(6, 0) });
    });
  });

  it('declares the inner weights plus its own; Operational only when every item is', () => {
    mockChain().inBlock(() => {
      const calls = [remark(), remark(), pay(acc(1), 1n)];
      const info = callInfoOf(Utility.tx.batch({ calls }));
      const inner = calls.map((c) => callInfoOf(c).weight).reduce(addWeight);
      expect(info.weight).toEqual(addWeight(inner, UtilityWeights.batch(3)));
      expect(weightAndClass(calls).class).toBe('Normal');
      expect(weightAndClass([]).class).toBe('Operational');
      expect(callInfoOf(Utility.tx.batch_all({ calls })).weight).toEqual(
        addWeight(inner, UtilityWeights.batchAll(3)),
      );
    });
  });
});

describe('batch_all', () => {
  it('reverts every item when one fails and fails with its error (batch_all_revert)', () => {
    const { Alice, Bob } = devAccounts();
    mockChain({ callFilter: testFilter }).inBlock((b) => {
      const b0 = free(Bob);
      const a0 = free(Alice);
      const out = b.dispatch(
        Utility.tx.batch_all({ calls: [pay(Bob, UNIT), payKeepAlive(Bob, UNIT)] }),
        Alice,
      );
      expect(out).toMatchObject({ ok: false, error: CALL_FILTERED });
      expect(out.postInfo.actualWeight!.refTime).toBeGreaterThanOrEqual(UtilityWeights.batchAll(2).refTime);
      expect([free(Bob), free(Alice)]).toEqual([b0, a0]);
      expect(utilityNames(b.events())).toEqual([]);
    });
  });

  it('does not nest for signed origins (batch_all_does_not_nest); Root may nest it', () => {
    const { Alice, Bob } = devAccounts();
    mockChain({ callFilter: testFilter }).inBlock((b) => {
      const inner = Utility.tx.batch_all({ calls: [pay(Bob, 1n)] });
      expect(b.dispatch(Utility.tx.batch_all({ calls: [inner] }), Alice)).toMatchObject({
        ok: false,
        error: CALL_FILTERED,
      });
      // batch inside batch_all still works, but a batch_all inside that batch is filtered.
      b.dispatch(Utility.tx.batch_all({ calls: [Utility.tx.batch({ calls: [inner] })] }), Alice);
      expect(utilityNames(b.events()).at(-3)).toEqual([
        'BatchInterrupted',
        { index: 0, error: CALL_FILTERED },
      ]);
      b.clearEvents();
      const rootInner = Utility.tx.batch_all({ calls: [remark()] });
      expect(b.dispatch(Utility.tx.batch_all({ calls: [rootInner] })).ok).toBe(true);
    });
  });
});

describe('force_batch', () => {
  it('runs every item: ItemFailed for failures, then BatchCompletedWithErrors', () => {
    const { Alice, Bob } = devAccounts();
    mockChain({ callFilter: testFilter }).inBlock((b) => {
      const b0 = free(Bob);
      const out = b.dispatch(
        Utility.tx.force_batch({ calls: [pay(Bob, 10n ** 30n), pay(Bob, UNIT), payKeepAlive(Bob, UNIT)] }),
        Alice,
      );
      expect(out.ok).toBe(true);
      const names = utilityNames(b.events());
      expect(names.map((n) => (Array.isArray(n) ? n[0] : n))).toEqual([
        'ItemFailed',
        'ItemCompleted',
        'ItemFailed',
        'BatchCompletedWithErrors',
      ]);
      expect(names[2]).toEqual(['ItemFailed', { error: CALL_FILTERED }]);
      expect(free(Bob)).toBe(b0 + UNIT);
    });
  });
});

describe('as_derivative', () => {
  it('dispatches from the derivative account; the caller’s filters come along', () => {
    const { Alice, Bob } = devAccounts();
    mockChain().inBlock((b) => {
      const sub = derivativeAccountId(Alice, 3);
      b.dispatch(pay(sub, 10n * UNIT), Alice);
      const b0 = free(Bob);
      expect(b.dispatch(Utility.tx.as_derivative({ index: 3, call: pay(Bob, UNIT) }), Alice).ok).toBe(true);
      expect(free(Bob)).toBe(b0 + UNIT);
      expect(free(sub)).toBe(9n * UNIT);
      // An origin that may not transfer (a proxy's filter) may not transfer from its derivative either.
      const noTransfers: Origin = addFilter(signedOrigin(Alice), (c) => c.type !== 'Balances');
      const out = b.dispatchAs(Utility.tx.as_derivative({ index: 3, call: pay(Bob, UNIT) }), noTransfers);
      expect(out).toMatchObject({ ok: false, error: CALL_FILTERED });
      expect(
        b.dispatchAs(Utility.tx.as_derivative({ index: 3, call: pay(Bob, 1n) }), noneOrigin()),
      ).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
    });
  });
});

describe("Root's calls", () => {
  it('dispatch_as runs the call as the given origin and reports DispatchedAs; only Root may', () => {
    const { Alice, Bob } = devAccounts();
    mockChain().inBlock((b) => {
      const b0 = free(Bob);
      const asAlice = { type: 'system', value: { type: 'Signed', value: Alice } };
      expect(b.dispatch(Utility.tx.dispatch_as({ as_origin: asAlice, call: pay(Bob, UNIT) })).ok).toBe(true);
      expect(free(Bob)).toBe(b0 + UNIT);
      expect(b.events().at(-1)).toEqual(['Utility', 'DispatchedAs', { result: { ok: undefined } }]);
      // The inner failure is in the event; the call succeeds. dispatch_as_checked fails with it instead.
      const sudoCall = Sudo.tx.sudo({ call: remark() });
      const asBob = { type: 'system', value: { type: 'Signed', value: Bob } };
      expect(b.dispatch(Utility.tx.dispatch_as({ as_origin: asBob, call: sudoCall })).ok).toBe(true);
      expect(b.events().at(-1)).toEqual(['Utility', 'DispatchedAs', { result: { err: moduleError(4, 0) } }]);
      expect(b.dispatch(Utility.tx.dispatch_as_checked({ as_origin: asBob, call: sudoCall }))).toMatchObject({
        ok: false,
        error: moduleError(4, 0),
      });
      expect(b.dispatch(Utility.tx.dispatch_as({ as_origin: asAlice, call: remark() }), Alice)).toMatchObject(
        {
          ok: false,
          error: { type: 'BadOrigin' },
        },
      );
    });
  });

  it('with_weight declares the given weight, dispatches as Root, and refuses other origins', () => {
    const { Alice } = devAccounts();
    mockChain().inBlock((b) => {
      const w = { refTime: 123, proofSize: 4 };
      const call = Utility.tx.with_weight({ call: remark(), weight: w });
      expect(callInfoOf(call).weight).toEqual(w);
      expect(b.dispatch(call).ok).toBe(true);
      expect(b.dispatch(call, Alice)).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
    });
  });
});

describe('decoding nested calls', () => {
  it('decodes batches nested up to MAX_EXTRINSIC_DEPTH and refuses one level more without exhausting the stack', () => {
    const chain = mockChain();
    chain.inBlock(() => {
      const codec = chain.chain.runtime.callCodec;
      const nest = (levels: number) => {
        const inner = codec.encode(remark());
        const bytes = new Uint8Array(levels * 3 + inner.length);
        for (let i = 0; i < levels; i++) bytes.set([6, 0, 4], i * 3);
        bytes.set(inner, levels * 3);
        return bytes;
      };
      expect(MAX_EXTRINSIC_DEPTH).toBe(256);
      expect(codec.decode(nest(256)).type).toBe('Utility');
      expect(() => codec.decode(nest(257))).toThrow(ScaleDecodeError);
      expect(() => codec.decode(nest(100_000))).toThrow(/depth limit/);
      // as_derivative (Box<RuntimeCall>) counts too: 255 batches + 2 boxes = 257.
      const boxed = new Uint8Array([6, 1, 0, 0, 6, 1, 0, 0, ...nest(255)]);
      expect(() => codec.decode(boxed)).toThrow(ScaleDecodeError);
    });
  });
});
