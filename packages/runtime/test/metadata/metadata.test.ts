/**
 * Our metadata decoded by @polkadot/types (the decoder polkadot.js Apps and @polkadot/api use): the pallets, calls,
 * storage, events, errors and constants it shows must be our definitions, and keys/events it computes must match.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import { compactStripLength, u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { state } from '../../src/frame/env.ts';
import { generateMetadata, MetadataError } from '../../src/metadata/index.ts';
import {
  Events,
  initialize,
  noteAppliedExtrinsic,
  noteFinishedInitialize,
} from '../../src/pallets/system/index.ts';
import { u32 } from '../../src/scale/index.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { Owners, Pairs, runtime, Something, Template, Triples } from '../frame/mini-runtime.ts';

const ALICE = Uint8Array.from(
  Buffer.from('d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d', 'hex'),
);

function load(version: 14 | 15) {
  const bytes = generateMetadata(runtime, version);
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata);
  return { bytes, registry, metadata, decorated: expandMetadata(registry, metadata) };
}

describe.each([14, 15] as const)('metadata V%i decoded by @polkadot/types', (version) => {
  const { bytes, registry, metadata, decorated } = load(version);

  it('has the "meta" magic and version byte', () => {
    expect(u8aToHex(bytes.subarray(0, 5))).toBe(`0x6d657461${version.toString(16).padStart(2, '0')}`);
    expect(metadata.version).toBe(version);
  });

  it('lists our pallets with their indices, calls with argument names and types', () => {
    const pallets = metadata.asLatest.pallets;
    expect(pallets.map((p) => [p.name.toString(), p.index.toNumber()])).toEqual([
      ['System', 0],
      ['Second', 7],
      ['Template', 42],
    ]);
    const store = decorated.tx.template.store;
    expect(store.meta.args.map((a) => [a.name.toString(), a.typeName.toString()])).toEqual([
      ['value', 'u32'],
    ]);
    expect(store.meta.docs.map(String)).toEqual([' Store a value as a signed account.']);
    expect(u8aToHex(store(7).toU8a())).toBe('0x2a0007000000');
    const rootSet = registry.createType('Call', '0x2a01090000000c616263');
    expect([rootSet.section, rootSet.method]).toEqual(['template', 'rootSet']);
    expect(rootSet.toHuman()).toMatchObject({ args: { value: '9', note: 'abc' } });
    const remark = decorated.tx.system.remarkWithEvent;
    expect(remark.callIndex).toEqual(new Uint8Array([0, 7]));
    expect(decorated.tx.system.setStorage.meta.args.map((a) => a.name.toString())).toEqual(['items']);
  });

  it('describes storage entries with modifiers, hashers and defaults', () => {
    const items = metadata.asLatest.pallets[2].storage.unwrap().items;
    const owners = items.find((i) => i.name.eq('Owners'))!;
    expect(owners.modifier.isDefault).toBe(true);
    expect(owners.type.asMap.hashers.map((h) => h.type)).toEqual(['Blake2_128Concat']);
    expect(u8aToHex(owners.fallback)).toBe('0x00000000000000000000000000000000');
    const something = items.find((i) => i.name.eq('Something'))!;
    expect(something.modifier.isOptional).toBe(true);
    expect(something.docs.map(String)).toEqual([' Some stored value.']);
    const pairs = items.find((i) => i.name.eq('Pairs'))!;
    expect(pairs.type.asMap.hashers.map((h) => h.type)).toEqual(['Twox64Concat', 'Blake2_128Concat']);
    const account = metadata.asLatest.pallets[0].storage.unwrap().items.find((i) => i.name.eq('Account'))!;
    expect(registry.lookup.getTypeDef(account.type.asMap.value).lookupName).toBe('FrameSystemAccountInfo');
    expect(metadata.asLatest.pallets[0].storage.unwrap().prefix.toString()).toBe('System');
  });

  it('computes the same storage keys as ours for value, map, double map and n-map items', () => {
    const q = decorated.query;
    // The decorated query functions return the key with a compact length prefix (as sent over RPC).
    const pjsKey = (k: Uint8Array) => u8aToHex(compactStripLength(k)[1]);
    runtime.execute(new Overlay(new MemoryBackend()), () => {
      expect(pjsKey(q.template.something())).toBe(u8aToHex(Something.key()));
      expect(pjsKey(q.template.owners(ALICE))).toBe(u8aToHex(Owners.key(ALICE)));
      expect(pjsKey(q.template.pairs(3, ALICE))).toBe(u8aToHex(Pairs.key(3, ALICE)));
      expect(pjsKey(q.template.triples(5, 6, '0x0102'))).toBe(
        u8aToHex(Triples.keyOf([5, 6n, new Uint8Array([1, 2])])),
      );
      // System.Account for //Alice: the key every Substrate tutorial shows.
      expect(pjsKey(q.system.account(ALICE))).toBe(
        '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d',
      );
    });
  });

  it('shows events and errors with our docs, and constants with our values', () => {
    const ev = decorated.events.template.Stored;
    expect(ev.meta.docs.map(String)).toEqual([' A value was stored.']);
    expect(ev.meta.fields.map((f) => f.name.toString())).toEqual(['value', 'who']);
    const err = registry.findMetaError(new Uint8Array([42, 1]));
    expect([err.section, err.name, err.docs]).toEqual([
      'template',
      'TooBig',
      [' The value exceeds MaxValue.'],
    ]);
    expect(registry.findMetaError(new Uint8Array([0, 5])).name).toBe('CallFiltered');
    expect((decorated.consts.template.maxValue as any).toNumber()).toBe(100);
    expect((decorated.consts.system.blockHashCount as any).toNumber()).toBe(4096);
    expect((decorated.consts.system.ss58Prefix as any).toNumber()).toBe(42);
    const v = decorated.consts.system.version as any;
    expect(v.specName.toString()).toBe('mini');
    expect(v.specVersion.toNumber()).toBe(100);
    const bw = decorated.consts.system.blockWeights as any;
    expect(bw.maxBlock.refTime.toBigInt()).toBe(2_000_000_000_000n);
    expect(bw.perClass.normal.maxTotal.unwrap().refTime.toBigInt()).toBe(1_500_000_000_000n);
  });

  it('decodes a System.Events blob we produced, with event names and fields', () => {
    const raw = runtime.execute(runtime.buildGenesis(), () => {
      initialize(1, new Uint8Array(32), { logs: [] });
      noteFinishedInitialize();
      for (const value of [7, 700]) {
        const call = Template.tx.store({ value });
        noteAppliedExtrinsic(runtime.dispatch(call, { type: 'Signed', who: ALICE }), runtime.callInfo(call));
      }
      return state().get(Events.key())!;
    });
    const events = registry.createType('Vec<FrameSystemEventRecord>', raw) as any;
    expect(events.length).toBe(3);
    const [stored, success, failed] = events;
    expect(stored.phase.asApplyExtrinsic.toNumber()).toBe(0);
    expect([stored.event.section, stored.event.method]).toEqual(['template', 'Stored']);
    expect(stored.event.data.who.toString()).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    expect(stored.event.data.value.toNumber()).toBe(7);
    expect(stored.topics.map((t: any) => t.toHex())).toEqual([`0x${'07'.repeat(32)}`]);
    expect([success.event.section, success.event.method]).toEqual(['system', 'ExtrinsicSuccess']);
    expect(success.event.data.dispatchInfo.weight.refTime.toNumber()).toBe(135_000_000);
    expect(failed.event.method).toBe('ExtrinsicFailed');
    const dispatchError = failed.event.data.dispatchError;
    expect(dispatchError.isModule).toBe(true);
    const meta = registry.findMetaError(dispatchError.asModule);
    expect(`${meta.section}.${meta.name}`).toBe('template.TooBig');
    expect(failed.phase.asApplyExtrinsic.toNumber()).toBe(1);
  });
});

describe('metadata V15 extras', () => {
  it('lists runtime APIs and the outer enums', () => {
    const { metadata, registry } = load(15);
    const v15 = metadata.asV15;
    expect(v15.apis.map((a) => a.name.toString())).toEqual(['Metadata']);
    expect(v15.apis[0].methods.map((m) => m.name.toString())).toEqual([
      'metadata',
      'metadata_at_version',
      'metadata_versions',
    ]);
    expect(registry.lookup.getSiType(v15.outerEnums.callType).path.map(String)).toEqual([
      'mini_runtime',
      'RuntimeCall',
    ]);
    expect(registry.lookup.getSiType(v15.outerEnums.eventType).path.map(String)).toEqual([
      'mini_runtime',
      'RuntimeEvent',
    ]);
    expect(registry.lookup.getSiType(v15.outerEnums.errorType).path.map(String)).toEqual([
      'mini_runtime',
      'RuntimeError',
    ]);
    expect(v15.custom.map.size).toBe(0);
    expect(v15.extrinsic.signedExtensions.map((s) => s.identifier.toString())).toContain('CheckNonce');
  });

  it('serves the Metadata runtime API: versions, at_version, None for unknown versions', () => {
    const o = new Overlay(new MemoryBackend());
    expect(u8aToHex(runtime.callApi(o, 'Metadata_metadata_versions', new Uint8Array()))).toBe(
      '0x080e0000000f000000',
    );
    const at15 = runtime.callApi(o, 'Metadata_metadata_at_version', u32.encode(15));
    expect(at15[0]).toBe(1);
    const registry = new TypeRegistry();
    const opaque = registry.createType('Option<OpaqueMetadata>', at15) as any;
    expect(new Metadata(registry, opaque.unwrap().toU8a(true)).version).toBe(15);
    expect(u8aToHex(runtime.callApi(o, 'Metadata_metadata_at_version', u32.encode(16)))).toBe('0x00');
    const v14 = runtime.callApi(o, 'Metadata_metadata', new Uint8Array());
    expect(
      new Metadata(new TypeRegistry(), registry.createType('OpaqueMetadata', v14).toU8a(true)).version,
    ).toBe(14);
    expect(() => runtime.callApi(o, 'Metadata_metadata_at_version', new Uint8Array([1]))).toThrow(
      /ScaleDecode|bytes/,
    );
    expect(() => runtime.callApi(o, 'Metadata_nope', new Uint8Array())).toThrow(/not found/);
  });

  it('refuses unsupported versions and a runtime without an extrinsic format', () => {
    expect(() => generateMetadata(runtime, 16 as 15)).toThrow(MetadataError);
    const bare = Object.create(runtime, { extrinsic: { value: undefined } });
    expect(() => generateMetadata(bare, 15)).toThrow(MetadataError);
  });

  it('is deterministic', () => {
    expect(u8aToHex(generateMetadata(runtime, 15))).toBe(u8aToHex(generateMetadata(runtime, 15)));
  });
});
