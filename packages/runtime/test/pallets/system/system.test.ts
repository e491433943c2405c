import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import {
  apiId,
  blockWeightsFor,
  calculateConsumedWeight,
  DispatchErrorCodec,
  defineRuntime,
  emptyConsumedWeight,
  exceedsMaxExtrinsic,
  type Origin,
  RuntimeVersionCodec,
  weight,
} from '../../../src/frame/index.ts';
import {
  Account,
  accountStore,
  BlockHash,
  defaultSystemConfig,
  Events,
  ExtrinsicCount,
  finalize,
  incProviders,
  initialize,
  noteAppliedExtrinsic,
  noteExtrinsic,
  noteFinishedExtrinsics,
  noteFinishedInitialize,
  resetEvents,
  System,
} from '../../../src/pallets/system/index.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { runtime as mini, Template } from '../../frame/mini-runtime.ts';

const alice = new Uint8Array(32).fill(1);
const signed: Origin = { type: 'Signed', who: alice };
const root: Origin = { type: 'Root' };
const u8 = (...x: number[]) => new Uint8Array(x);

function block<T>(rt: typeof mini, fn: (o: Overlay) => T, n = 1): T {
  const o = rt.buildGenesis();
  return rt.execute(o, () => {
    initialize(n, new Uint8Array(32).fill(n - 1), { logs: [] });
    noteFinishedInitialize();
    return fn(o);
  });
}

describe('System calls', () => {
  it('remark accepts Signed and Root, refuses None; remark_with_event emits Remarked with blake2_256(remark)', () => {
    block(mini, () => {
      expect(mini.dispatch(System.tx.remark({ remark: u8(1, 2) }), signed).ok).toBe(true);
      expect(mini.dispatch(System.tx.remark({ remark: u8(1, 2) }), root).ok).toBe(true);
      expect(mini.dispatch(System.tx.remark({ remark: u8() }), { type: 'None' })).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
      const remark = new TextEncoder().encode('hello xstorage');
      expect(mini.dispatch(System.tx.remark_with_event({ remark }), root).ok).toBe(false);
      expect(mini.dispatch(System.tx.remark_with_event({ remark }), signed).ok).toBe(true);
      const ev = Events.get().at(-1)!.event;
      expect(ev.type).toBe('System');
      expect(ev.value.type).toBe('Remarked');
      expect(u8aToHex(ev.value.value.hash)).toBe(u8aToHex(blake2AsU8a(remark, 256)));
      expect(ev.value.value.sender).toEqual(alice);
    });
  });

  it('set_storage, kill_storage and kill_prefix write raw keys, Root only, as Operational calls', () => {
    block(mini, (o) => {
      const items: Array<[Uint8Array, Uint8Array]> = [
        [u8(0xaa, 1), u8(1)],
        [u8(0xaa, 2), u8(2)],
        [u8(0xaa, 3), u8(3)],
        [u8(0xbb), u8(4)],
      ];
      expect(mini.dispatch(System.tx.set_storage({ items }), signed)).toMatchObject({
        error: { type: 'BadOrigin' },
      });
      expect(o.get(u8(0xbb))).toBeUndefined();
      expect(mini.dispatch(System.tx.set_storage({ items }), root).ok).toBe(true);
      expect(o.get(u8(0xbb))).toEqual(u8(4));
      expect(mini.dispatch(System.tx.kill_storage({ keys: [u8(0xbb)] }), root).ok).toBe(true);
      expect(o.get(u8(0xbb))).toBeUndefined();
      expect(mini.dispatch(System.tx.kill_prefix({ prefix: u8(0xaa), subkeys: 2 }), root).ok).toBe(true);
      expect([...o.entriesWithPrefix(u8(0xaa))].map(([k]) => u8aToHex(k))).toEqual(['0xaa03']);
      expect(mini.callInfo(System.tx.kill_prefix({ prefix: u8(), subkeys: 1 })).class).toBe('Operational');
    });
  });

  it('a call filter rejects non-Root calls with System::CallFiltered (Module { index 0, error 5 })', () => {
    const filtered = defineRuntime({
      pallets: [
        [0, System, defaultSystemConfig()],
        [42, Template, { maxValue: 10 }],
      ],
      version: { ...mini.version, spec_name: 'filtered' },
      callFilter: (call) => call.type !== 'Template',
    });
    block(filtered, () => {
      const r = filtered.dispatch(Template.tx.store({ value: 1 }), signed);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(u8aToHex(DispatchErrorCodec.encode(r.error))).toBe('0x030005000000');
      expect(filtered.dispatch(Template.tx.root_set({ value: 1, note: u8() }), root).ok).toBe(true);
      expect(filtered.dispatch(System.tx.remark({ remark: u8() }), signed).ok).toBe(true);
    });
  });

  it('rejects a runtime without exactly one System pallet, duplicate indices or names', () => {
    const version = mini.version;
    expect(() => defineRuntime({ pallets: [[1, Template, { maxValue: 1 }]], version })).toThrow(/System/);
    expect(() =>
      defineRuntime({
        pallets: [
          [0, System, defaultSystemConfig()],
          [0, Template, { maxValue: 1 }],
        ],
        version,
      }),
    ).toThrow(/index 0 used twice/);
    expect(() =>
      defineRuntime({
        pallets: [
          [0, System, defaultSystemConfig()],
          [1, System, defaultSystemConfig()],
        ],
        version,
      }),
    ).toThrow(/twice/);
  });
});

describe('System block bookkeeping', () => {
  it('initialize → note extrinsics → finalize: counts extrinsics, returns their data, prunes old block hashes', () => {
    const short = defineRuntime({
      pallets: [[0, System, defaultSystemConfig({ blockHashCount: 2 })]],
      version: mini.version,
    });
    const backend = new MemoryBackend();
    backend.apply(short.buildGenesis().drainChanges());
    for (let n = 1; n <= 5; n++) {
      const o = new Overlay(backend);
      const done = short.execute(o, () => {
        resetEvents(); // as Executive::initialize_block does before System::initialize
        initialize(n, new Uint8Array(32).fill(n), { logs: [] });
        noteFinishedInitialize();
        for (const tx of [u8(n, 1), u8(n, 2)]) {
          noteExtrinsic(tx);
          const call = System.tx.remark({ remark: tx });
          noteAppliedExtrinsic(short.dispatch(call, signed), short.callInfo(call));
        }
        noteFinishedExtrinsics();
        expect(ExtrinsicCount.get()).toBe(2);
        return finalize();
      });
      expect(done.number).toBe(n);
      expect(done.extrinsics).toEqual([u8(n, 1), u8(n, 2)]);
      backend.apply(o.drainChanges());
    }
    short.execute(new Overlay(backend), () => {
      // BlockHash keeps the last `blockHashCount` (+1) entries: block 5 removed hash 2, block 4 removed hash 1.
      expect([...BlockHash.iterKeys()].sort()).toEqual([0, 3, 4]);
      expect(BlockHash.get(4)).toEqual(new Uint8Array(32).fill(5));
      expect(ExtrinsicCount.get()).toBeUndefined();
      expect(Events.get().length).toBe(2); // the last block's events stay readable until the next block
    });
  });

  it('accountStore keeps data only while the account has a provider', () => {
    block(mini, () => {
      const bob = new Uint8Array(32).fill(2);
      const data = { free: 5n, reserved: 0n, frozen: 0n, flags: 0n };
      accountStore.tryMutateExists(bob, () => ({ data, result: undefined }));
      expect(Account.contains(bob)).toBe(false);
      accountStore.tryMutateExists(bob, (d) => {
        expect(d).toBeUndefined();
        incProviders(bob);
        return { data, result: undefined };
      });
      expect(accountStore.get(bob)).toEqual(data);
      expect(Account.get(bob).providers).toBe(1);
      expect(() =>
        accountStore.tryMutateExists(bob, () => {
          throw new Error('insufficient');
        }),
      ).toThrow('insufficient');
      expect(accountStore.get(bob)).toEqual(data);
    });
  });
});

describe('CheckWeight accounting', () => {
  const limits = blockWeightsFor({
    maxBlock: weight(1_000, 100),
    normalRatio: 0.75,
    avgOnInitializeRatio: 0.1,
    baseExtrinsic: weight(10, 0),
    baseBlock: weight(5, 0),
  });

  it('derives per-class limits as BlockWeightsBuilder: normal 75%, operational all with reserve, max_extrinsic after init share', () => {
    expect(limits.per_class.normal.max_total).toEqual(weight(750, 75));
    expect(limits.per_class.normal.max_extrinsic).toEqual(weight(750 - 100 - 10, 75 - 10));
    expect(limits.per_class.operational.reserved).toEqual(weight(250, 25));
    expect(limits.per_class.mandatory.max_total).toBeUndefined();
  });

  it('fills Normal up to its max_total, then lets Operational use the reserve, and never limits Mandatory', () => {
    let c = emptyConsumedWeight();
    for (let i = 0; i < 10; i++)
      c = calculateConsumedWeight(limits, c, { weight: weight(65, 5), class: 'Normal' })!;
    expect(c.normal).toEqual(weight(750, 50));
    expect(calculateConsumedWeight(limits, c, { weight: weight(1, 0), class: 'Normal' })).toBeUndefined();
    const op = calculateConsumedWeight(limits, c, { weight: weight(200, 0), class: 'Operational' })!;
    expect(op.operational).toEqual(weight(210, 0));
    expect(
      calculateConsumedWeight(limits, op, { weight: weight(100, 0), class: 'Operational' }),
    ).toBeUndefined();
    const m = calculateConsumedWeight(limits, op, { weight: weight(10_000, 10_000), class: 'Mandatory' })!;
    expect(m.mandatory).toEqual(weight(10_010, 10_000));
    expect(exceedsMaxExtrinsic(limits, { weight: weight(641, 0), class: 'Normal' })).toBe(true);
    expect(exceedsMaxExtrinsic(limits, { weight: weight(640, 0), class: 'Normal' })).toBe(false);
    expect(exceedsMaxExtrinsic(limits, { weight: weight(1e12, 0), class: 'Mandatory' })).toBe(false);
  });
});

describe('RuntimeVersion', () => {
  it('encodes as polkadot-js’s RuntimeVersion and api ids are blake2_64 of the trait names (Polkadot’s list)', () => {
    // Ids as in Polkadot's runtime version (@polkadot/types-support metadata/v15/polkadot-ver).
    expect(u8aToHex(apiId('Core'))).toBe('0xdf6acb689907609b');
    expect(u8aToHex(apiId('Metadata'))).toBe('0x37e397fc7c91f5e4');
    expect(u8aToHex(apiId('BlockBuilder'))).toBe('0x40fe3ad401f8959a');
    expect(u8aToHex(apiId('TaggedTransactionQueue'))).toBe('0xd2bc9897eed08f15');
    expect(u8aToHex(apiId('AccountNonceApi'))).toBe('0xbc9d89904f5b923f');
    const v = {
      spec_name: 'crust',
      impl_name: 'crustio-crust',
      authoring_version: 1,
      spec_version: 2_000_000,
      impl_version: 3,
      apis: [[apiId('Core'), 5] as [Uint8Array, number]],
      transaction_version: 7,
      system_version: 1,
    };
    const pjs = new TypeRegistry().createType('RuntimeVersion', {
      specName: 'crust',
      implName: 'crustio-crust',
      authoringVersion: 1,
      specVersion: 2_000_000,
      implVersion: 3,
      apis: [['0xdf6acb689907609b', 5]],
      transactionVersion: 7,
      stateVersion: 1,
    });
    expect(u8aToHex(RuntimeVersionCodec.encode(v))).toBe(u8aToHex(pjs.toU8a()));
    expect(RuntimeVersionCodec.decode(pjs.toU8a())).toEqual(v);
    expect(() => RuntimeVersionCodec.decode(pjs.toU8a().subarray(0, 20))).toThrow();
    expect(mini.version.apis.map(([id, ver]) => [u8aToHex(id), ver])).toEqual([['0x37e397fc7c91f5e4', 2]]);
  });
});
