import { describe, expect, it } from 'vitest';
import {
  DispatchErrorCodec,
  type DispatchOutcome,
  type Origin,
  TRANSACTIONAL_LIMIT,
  weight,
} from '../../src/frame/index.ts';
import {
  Account,
  BlockHash,
  decProviders,
  EventCount,
  Events,
  EventTopics,
  finalize,
  incConsumers,
  incProviders,
  initialize,
  LastRuntimeUpgrade,
  noteAppliedExtrinsic,
  noteFinishedExtrinsics,
  noteFinishedInitialize,
  ParentHash,
  resetEvents,
} from '../../src/pallets/system/index.ts';
import { ScaleDecodeError } from '../../src/scale/index.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { Counter, HookLog, Owners, runtime, Something, Template, TemplateError } from './mini-runtime.ts';

const alice = new Uint8Array(32).fill(1);
const signed: Origin = { type: 'Signed', who: alice };
const root: Origin = { type: 'Root' };
const none: Origin = { type: 'None' };

/** A fresh chain at block 1 with the given genesis, inside the runtime env. */
function inBlock<T>(fn: (o: Overlay) => T, genesis: Record<string, unknown> = {}): T {
  const g = runtime.buildGenesis(genesis);
  const backend = new MemoryBackend();
  backend.apply(g.drainChanges());
  const o = new Overlay(backend);
  return runtime.execute(o, () => {
    initialize(1, new Uint8Array(32).fill(9), { logs: [] });
    noteFinishedInitialize();
    return fn(o);
  });
}

function apply(call: Parameters<typeof runtime.dispatch>[0], origin: Origin): DispatchOutcome {
  const r = runtime.dispatch(call, origin);
  noteAppliedExtrinsic(r, runtime.callInfo(call));
  return r;
}

describe('dispatch', () => {
  it('checks origins: Signed, Root and None calls succeed with the right origin and fail with BadOrigin otherwise', () => {
    inBlock(() => {
      expect(runtime.dispatch(Template.tx.store({ value: 5 }), signed)).toEqual({ ok: true, postInfo: {} });
      expect(runtime.dispatch(Template.tx.root_set({ value: 6, note: new Uint8Array() }), root).ok).toBe(
        true,
      );
      expect(runtime.dispatch(Template.tx.ping({}), none).ok).toBe(true);
      for (const [call, origin] of [
        [Template.tx.store({ value: 5 }), root],
        [Template.tx.store({ value: 5 }), none],
        [Template.tx.root_set({ value: 1, note: new Uint8Array() }), signed],
        [Template.tx.root_set({ value: 1, note: new Uint8Array() }), none],
        [Template.tx.ping({}), signed],
        [Template.tx.ping({}), root],
      ] as const) {
        expect(runtime.dispatch(call, origin)).toEqual({
          ok: false,
          error: { type: 'BadOrigin' },
          postInfo: {},
        });
      }
      expect(Something.get()).toBe(6);
      expect(Counter.get()).toBe(1n);
    });
  });

  it('rolls back every write of a failed call and reports DispatchError::Module with the exact bytes', () => {
    inBlock(() => {
      expect(Something.get()).toBe(1); // genesis default
      const r = runtime.dispatch(Template.tx.store({ value: 101 }), signed);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      // ModuleError { index: 42 (pallet index), error: [1 (TooBig), 0, 0, 0] } = 03 2a 01000000
      expect(Buffer.from(DispatchErrorCodec.encode(r.error)).toString('hex')).toBe('032a01000000');
      expect(
        runtime.execute(new Overlay(new MemoryBackend()), () => TemplateError.is(r.error, 'TooBig')),
      ).toBe(true);
      expect(Something.get()).toBe(1);
      expect(Owners.contains(alice)).toBe(false);
      // A failed call with post info keeps its actual weight; its writes (Counter = 999) are gone.
      const f = runtime.dispatch(Template.tx.take_or_fail({}), signed);
      expect(f.ok).toBe(true); // Something was set at genesis, so take() succeeds
      const g = runtime.dispatch(Template.tx.take_or_fail({}), signed);
      expect(g).toMatchObject({ ok: false, postInfo: { actualWeight: weight(10, 0) } });
      expect(Counter.get()).toBe(999n);
    });
  });

  it('rolls back a failed inner storage layer while keeping the outer call’s writes', () => {
    inBlock(() => {
      const r = runtime.dispatch(Template.tx.bump_twice_inner_fails({}), signed);
      expect(r).toEqual({ ok: true, postInfo: { actualWeight: weight(20_000_000, 0) } });
      expect(Counter.get()).toBe(2n);
    });
  });

  it('fails with Transactional(LimitReached) beyond 255 nested layers', () => {
    inBlock((o) => {
      for (let i = 0; i < TRANSACTIONAL_LIMIT; i++) o.startTransaction();
      const r = runtime.dispatch(Template.tx.ping({}), none);
      expect(r).toEqual({
        ok: false,
        error: { type: 'Transactional', value: { type: 'LimitReached' } },
        postInfo: {},
      });
      for (let i = 0; i < TRANSACTIONAL_LIMIT; i++) o.rollbackTransaction();
    });
  });

  it('declares weight, class and pays from the call definition', () => {
    expect(runtime.callInfo(Template.tx.root_set({ value: 1, note: new Uint8Array() }))).toEqual({
      weight: weight(5_000_000, 0),
      class: 'Operational',
      paysFee: 'No',
    });
    expect(runtime.callInfo(Template.tx.store({ value: 1 }))).toEqual({
      weight: weight(10_000_000, 1_000),
      class: 'Normal',
      paysFee: 'Yes',
    });
  });

  it('encodes RuntimeCall as pallet index, call index, args; rejects hostile call bytes with a decode error', () => {
    expect(Buffer.from(runtime.encodeCall(Template.tx.store({ value: 7 }))).toString('hex')).toBe(
      '2a0007000000',
    );
    expect(runtime.decodeCall(Uint8Array.from(Buffer.from('2a0007000000', 'hex')))).toEqual(
      Template.tx.store({ value: 7 }),
    );
    for (const bad of ['', '2a', '2a09', '2a0007', '2a000700000000', '0900', 'ff00', '000003ffffffff']) {
      expect(() => runtime.decodeCall(Uint8Array.from(Buffer.from(bad, 'hex'))), bad).toThrow(
        ScaleDecodeError,
      );
    }
  });
});

describe('events', () => {
  it('records events with phase and topics; ExtrinsicSuccess/Failed carry the dispatch info', () => {
    inBlock(() => {
      apply(Template.tx.store({ value: 7 }), signed);
      apply(Template.tx.store({ value: 700 }), signed);
      const events = Events.get();
      expect(events.map((e) => [e.phase, e.event.type, e.event.value.type])).toEqual([
        [{ type: 'ApplyExtrinsic', value: 0 }, 'Template', 'Stored'],
        [{ type: 'ApplyExtrinsic', value: 0 }, 'System', 'ExtrinsicSuccess'],
        [{ type: 'ApplyExtrinsic', value: 1 }, 'System', 'ExtrinsicFailed'],
      ]);
      expect(events[0].topics).toEqual([new Uint8Array(32).fill(7)]);
      expect(events[0].event.value.value).toEqual({ value: 7, who: alice });
      // weight = declared 10_000_000 + base extrinsic 125_000_000 (ExtrinsicBaseWeight)
      expect(events[1].event.value.value.dispatch_info).toEqual({
        weight: weight(135_000_000, 1_000),
        class: 'Normal',
        paysFee: 'Yes',
      });
      expect(events[2].event.value.value.dispatch_error).toEqual({
        type: 'Module',
        value: { index: 42, error: new Uint8Array([1, 0, 0, 0]) },
      });
      expect(EventCount.get()).toBe(3);
      expect(EventTopics.get(new Uint8Array(32).fill(7))).toEqual([[1, 0]]);
      noteFinishedExtrinsics();
      const done = finalize();
      expect(done.number).toBe(1);
    });
  });

  it('records no events in the genesis block; resetEvents (not initialize, as in polkadot-sdk) clears the previous block’s', () => {
    const g = runtime.buildGenesis();
    runtime.execute(g, () => {
      incProviders(alice); // would deposit NewAccount
      expect(Events.get()).toEqual([]);
      initialize(1, new Uint8Array(32), { logs: [] });
      incProviders(new Uint8Array(32).fill(2));
      expect(Events.get().map((e) => [e.phase.type, e.event.value.type])).toEqual([
        ['Initialization', 'NewAccount'],
      ]);
      // frame_system::initialize alone keeps them (validate_transaction initializes the next block this way)...
      initialize(2, new Uint8Array(32), { logs: [] });
      expect(EventCount.get()).toBe(1);
      // ...Executive::initialize_block calls reset_events before it.
      resetEvents();
      initialize(2, new Uint8Array(32), { logs: [] });
      expect(Events.get()).toEqual([]);
      expect(EventCount.get()).toBe(0);
    });
  });
});

describe('hooks and genesis', () => {
  it('runs hooks in pallet index order and sums their weights', () => {
    inBlock(() => {
      HookLog.kill();
      expect(runtime.onInitialize(1)).toEqual(weight(3_000, 10));
      expect(runtime.onIdle(1, weight(5, 0))).toEqual(weight(5, 0));
      runtime.onFinalize(1);
      // Second is index 7, Template index 42 (declaration order was Template first).
      expect(HookLog.get()).toEqual([
        'Second.onInitialize(1)',
        'Template.onInitialize(1)',
        'Template.onIdle(1)',
        'Second.onFinalize(1)',
        'Template.onFinalize(1)',
      ]);
    });
  });

  it('builds genesis from per-pallet configs and frame_system’s own genesis', () => {
    const bob = new Uint8Array(32).fill(2);
    const o = runtime.buildGenesis({ Template: { initial: 77, owners: [[bob, 5n]] } });
    runtime.execute(o, () => {
      expect(Something.get()).toBe(77);
      expect(Owners.get(bob)).toBe(5n);
      expect(ParentHash.get()).toEqual(new Uint8Array(32).fill(69));
      expect(BlockHash.get(0)).toEqual(new Uint8Array(32).fill(69));
      expect(LastRuntimeUpgrade.get()).toEqual({ spec_version: 100, spec_name: 'mini' });
    });
    expect(() => runtime.buildGenesis({ Nope: {} })).toThrow(/unknown pallet/);
  });
});

describe('System accounts', () => {
  it('counts providers and consumers as frame_system: reaping, ConsumerRemaining, NoProviders', () => {
    inBlock(() => {
      const bob = new Uint8Array(32).fill(2);
      expect(() => incConsumers(bob)).toThrow(expect.objectContaining({ error: { type: 'NoProviders' } }));
      expect(incProviders(bob)).toBe('Created');
      expect(incProviders(bob)).toBe('Existed');
      incConsumers(bob);
      expect(decProviders(bob)).toBe('Exists');
      expect(() => decProviders(bob)).toThrow(
        expect.objectContaining({ error: { type: 'ConsumerRemaining' } }),
      );
      expect(Account.get(bob)).toMatchObject({ providers: 1, consumers: 1 });
      Account.mutate(bob, (a) => {
        a.consumers = 0;
      });
      expect(decProviders(bob)).toBe('Reaped');
      expect(Account.contains(bob)).toBe(false);
      expect(Events.get().map((e) => e.event.value.type)).toEqual(['NewAccount', 'KilledAccount']);
    });
  });
});
