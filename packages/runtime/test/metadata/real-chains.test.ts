/**
 * Outside vectors: the real Polkadot/Kusama/Substrate metadata shipped in @polkadot/types-support. Our metadata type
 * definitions must decode and re-encode them byte for byte, and our System pallet must describe itself as the
 * real frame_system does (names, indices, hashers, modifiers, type paths).
 */
import kusamaV14 from '@polkadot/types-support/metadata/v14/kusama-hex';
import polkadotV14 from '@polkadot/types-support/metadata/v14/polkadot-hex';
import polkadotV15 from '@polkadot/types-support/metadata/v15/polkadot-hex';
import substrateV15 from '@polkadot/types-support/metadata/v15/substrate-hex';
import { hexToU8a } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { generateMetadata, RuntimeMetadataPrefixedCodec } from '../../src/metadata/index.ts';
import { ScaleDecodeError } from '../../src/scale/index.ts';
import { runtime } from '../frame/mini-runtime.ts';

/** The fixtures are `metadata_at_version` results (Option<OpaqueMetadata>) or raw; start at the "meta" magic. */
function prefixed(hex: string): Uint8Array {
  const bytes = hexToU8a(hex);
  for (let i = 0; i < 16; i++) {
    if (bytes[i] === 0x6d && bytes[i + 1] === 0x65 && bytes[i + 2] === 0x74 && bytes[i + 3] === 0x61)
      return bytes.subarray(i);
  }
  throw new Error('no metadata magic');
}

type Md = ReturnType<typeof RuntimeMetadataPrefixedCodec.decode>['metadata']['value'];

function typePath(md: Md, id: number): string {
  return md.types[id].type.path.join('::');
}

function variants(md: Md, id: number) {
  const def = md.types[id].type.def;
  if (def.type !== 'Variant') throw new Error('not an enum');
  return def.value.variants.map((v) => [
    v.index,
    v.name,
    v.fields.map((f) => `${f.name ?? ''}: ${typePath(md, f.type)}`),
  ]);
}

function systemView(md: Md) {
  const sys = md.pallets.find((p) => p.name === 'System')!;
  return {
    index: sys.index,
    storage: sys.storage!.entries.map((e) => ({
      name: e.name,
      modifier: e.modifier.type,
      hashers: e.type.type === 'Map' ? e.type.value.hashers.map((h) => h.type) : [],
      value: typePath(md, e.type.type === 'Map' ? e.type.value.value : e.type.value),
    })),
    events: variants(md, sys.event!.type),
    errors: variants(md, sys.error!.type).map(([i, n]) => [i, n]),
    calls: variants(md, sys.calls!.type),
    constants: sys.constants.map((c) => [c.name, typePath(md, c.type)]),
  };
}

describe('real chain metadata through our metadata codecs', () => {
  it.each([
    ['polkadot v14', polkadotV14],
    ['kusama v14', kusamaV14],
    ['polkadot v15', polkadotV15],
    ['substrate v15', substrateV15],
  ])('%s decodes and re-encodes byte for byte', (_name, hex) => {
    const bytes = prefixed(hex);
    const md = RuntimeMetadataPrefixedCodec.decode(bytes);
    expect(md.magic).toBe(0x6174656d);
    expect(md.metadata.value.pallets.length).toBeGreaterThan(10);
    expect(Buffer.from(RuntimeMetadataPrefixedCodec.encode(md)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('rejects truncated and corrupted metadata with a decode error', () => {
    const bytes = prefixed(polkadotV15);
    expect(() => RuntimeMetadataPrefixedCodec.decode(bytes.subarray(0, 5000))).toThrow(ScaleDecodeError);
    const bad = bytes.slice();
    bad[4] = 13; // V13 is not a V14/V15 body
    expect(() => RuntimeMetadataPrefixedCodec.decode(bad)).toThrow(ScaleDecodeError);
  });
});

/** A type's structure with named types shown by path (anonymous ones expanded), for comparing across registries. */
function shape(md: Md, id: number, depth = 0): unknown {
  const t = md.types[id].type;
  if (depth > 0 && t.path.length > 0) return t.path.join('::');
  const d = t.def;
  const field = (f: { name?: string; type: number }) => [f.name ?? '', shape(md, f.type, depth + 1)];
  switch (d.type) {
    case 'Composite':
      return { composite: d.value.fields.map(field) };
    case 'Variant':
      // Variant order in the registry is cosmetic (clients index by `index`); compare by index.
      return {
        variant: [...d.value.variants]
          .sort((a, b) => a.index - b.index)
          .map((v) => [v.index, v.name, v.fields.map(field)]),
      };
    case 'Sequence':
      return { seq: shape(md, d.value.type, depth + 1) };
    case 'Array':
      return { array: [d.value.len, shape(md, d.value.type, depth + 1)] };
    case 'Tuple':
      return { tuple: d.value.map((x) => shape(md, x, depth + 1)) };
    case 'Compact':
      return { compact: shape(md, d.value.type, depth + 1) };
    case 'Primitive':
      return d.value.type;
    default:
      return d.type;
  }
}

function byPath(md: Md, path: string): number {
  const t = md.types.find((x) => x.type.path.join('::') === path);
  if (!t) throw new Error(`no type ${path}`);
  return t.id;
}

describe('our System pallet matches the real frame_system (Polkadot V15)', () => {
  const realMd = RuntimeMetadataPrefixedCodec.decode(prefixed(polkadotV15)).metadata.value;
  const ourMd = RuntimeMetadataPrefixedCodec.decode(generateMetadata(runtime, 15)).metadata.value;

  it.each([
    'frame_system::AccountInfo',
    'pallet_balances::types::AccountData',
    'pallet_balances::types::ExtraFlags',
    'frame_system::Phase',
    'frame_system::DispatchEventInfo',
    'frame_system::LastRuntimeUpgradeInfo',
    'frame_system::CodeUpgradeAuthorization',
    'frame_system::limits::BlockWeights',
    'frame_system::limits::WeightsPerClass',
    'frame_system::limits::BlockLength',
    'frame_support::dispatch::PerDispatchClass',
    'frame_support::dispatch::DispatchClass',
    'frame_support::dispatch::Pays',
    'sp_weights::weight_v2::Weight',
    'sp_weights::RuntimeDbWeight',
    'sp_version::RuntimeVersion',
    'sp_runtime::DispatchError',
    'sp_runtime::ModuleError',
    'sp_runtime::TokenError',
    'sp_arithmetic::ArithmeticError',
    'sp_runtime::TransactionalError',
    'sp_runtime::generic::digest::Digest',
    'sp_runtime::generic::digest::DigestItem',
    'sp_core::crypto::AccountId32',
    'primitive_types::H256',
  ])('%s has the same structure', (path) => {
    expect(shape(ourMd, byPath(ourMd, path))).toEqual(shape(realMd, byPath(realMd, path)));
  });

  const real = systemView(realMd);
  const ours = systemView(ourMd);

  it('has the same storage entries (names, modifiers, hashers, value types) where both have them', () => {
    const realByName = new Map(real.storage.map((e) => [e.name, e]));
    for (const e of ours.storage) {
      const r = realByName.get(e.name);
      expect(r, e.name).toBeDefined();
      expect({ ...e, value: e.name === 'Events' ? '' : e.value }).toEqual({
        ...r,
        value: e.name === 'Events' ? '' : r!.value,
      });
    }
    expect(ours.storage.map((e) => e.name)).toEqual(
      real.storage.map((e) => e.name).filter((n) => ours.storage.some((o) => o.name === n)),
    );
    expect(ours.storage.length).toBe(real.storage.length);
  });

  it('has the same event and error variants at the same indices, and call indices for the calls we have', () => {
    const realEvents = new Map(real.events.map(([i, n, f]) => [n, [i, f]]));
    for (const [i, n, f] of ours.events) expect([n, i, f]).toEqual([n, ...realEvents.get(n as string)!]);
    expect(ours.errors).toEqual(real.errors.filter(([, n]) => ours.errors.some(([, o]) => o === n)));
    const realCalls = new Map(real.calls.map(([i, n, f]) => [n, [i, f]]));
    for (const [i, n, f] of ours.calls) expect([n, i, f]).toEqual([n, ...realCalls.get(n as string)!]);
  });

  it('has the same constants with the same type paths', () => {
    expect(ours.constants).toEqual(real.constants);
  });
});
