/**
 * Differential test against @polkadot/types 16.5.6 (the oracle): for a generated corpus of values of every type
 * family, both libraries must produce the same bytes, and each must decode the other's output to the same value.
 * Types are named twice: by hand (polkadot-js type strings, independent of us) and through our own portable
 * registry fed to polkadot-js's PortableRegistry (which proves our scale-info descriptions are read as intended).
 */
import { PortableRegistry } from '@polkadot/types/metadata';
import { TypeRegistry as PjsRegistry } from '@polkadot/types';
import type { Block as PjsBlock } from '@polkadot/types/interfaces';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type AnyCodec, TypeRegistry, type PortableTypeDef, bitvec } from '../../src/scale/index.ts';
import { arbitraryFor } from './arbitraries.ts';
import { Block, makeBlock, polkadotJsRegistry } from './block-model.ts';
import { families, pjsDefinitions } from './families.ts';
import { hex } from './helpers.ts';
import { toPjs } from './pjs-oracle.ts';

const RUNS = 150;

function agree(registry: PjsRegistry, pjsType: string, codec: AnyCodec, value: unknown) {
  const ours = codec.encode(value);
  const theirs = registry.createType(pjsType, toPjs(codec, value)).toU8a();
  expect(hex(theirs)).toBe(hex(ours));
  // Each decodes the other's bytes to the same value.
  expect(codec.decode(theirs)).toEqual(value);
  const decodedByThem = registry.createType(pjsType, ours);
  expect(hex(decodedByThem.toU8a())).toBe(hex(ours));
  expect(decodedByThem.toJSON()).toEqual(registry.createType(pjsType, toPjs(codec, value)).toJSON());
}

describe('same bytes as @polkadot/types (hand-written type names)', () => {
  const registry = new PjsRegistry();
  registry.register(pjsDefinitions as never);
  test.each(families)('$name', ({ codec, pjs }) => {
    fc.assert(
      fc.property(arbitraryFor(codec), (v) => agree(registry, pjs, codec, v)),
      { numRuns: RUNS },
    );
  });
});

function toPjsDef(def: PortableTypeDef): unknown {
  const field = (f: { name?: string; type: number; typeName?: string; docs: string[] }) => ({
    name: f.name ?? null,
    type: f.type,
    typeName: f.typeName ?? null,
    docs: f.docs,
  });
  switch (def.type) {
    case 'Composite':
      return { composite: { fields: def.value.fields.map(field) } };
    case 'Variant':
      return {
        variant: {
          variants: def.value.variants.map((v) => ({ ...v, fields: v.fields.map(field) })),
        },
      };
    case 'Sequence':
      return { sequence: def.value };
    case 'Array':
      return { array: def.value };
    case 'Tuple':
      return { tuple: def.value };
    case 'Primitive':
      return { primitive: def.value.type };
    case 'Compact':
      return { compact: def.value };
    case 'BitSequence':
      return { bitSequence: def.value };
  }
}

describe('same bytes as @polkadot/types reading our portable registry', () => {
  const ours = new TypeRegistry();
  const ids = families.map((f) => ours.register(f.codec));
  const registry = new PjsRegistry();
  const lookup = new PortableRegistry(registry, {
    types: ours.types.map((t) => ({
      id: t.id,
      type: {
        path: t.type.path,
        params: t.type.params.map((p) => ({ name: p.name, type: p.type ?? null })),
        def: toPjsDef(t.type.def),
        docs: t.type.docs,
      },
    })),
  } as never);
  registry.setLookup(lookup);
  test.each(families.map((f, i) => ({ ...f, id: ids[i] })))('$name (lookup type $id)', ({ codec, id }) => {
    const name = registry.createLookupType(id);
    fc.assert(
      fc.property(arbitraryFor(codec), (v) => agree(registry, name, codec, v)),
      { numRuns: 40 },
    );
  });
});

describe('BitVec<u8, Lsb0> bit order as polkadot-js reads it', () => {
  test('toBoolArray of our bytes gives our bits (then padding zeros)', () => {
    const registry = new PjsRegistry();
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 70 }), (bits) => {
        const ours = bitvec().encode(bits);
        const theirs = registry.createType('BitVec', ours) as unknown as {
          toBoolArray(): boolean[];
          toU8a(): Uint8Array;
        };
        expect(hex(theirs.toU8a())).toBe(hex(ours));
        const all = theirs.toBoolArray();
        expect(all.slice(0, bits.length)).toEqual(bits);
        expect(all.slice(bits.length).every((b) => !b)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a Polkadot block of signed transfers', () => {
  test('polkadot-js decodes our block (Polkadot metadata) and re-encodes the same bytes; we decode it back', () => {
    const registry = polkadotJsRegistry();
    const value = makeBlock(25, 7);
    const bytes = Block.encode(value);
    const block = registry.createType('Block', bytes) as unknown as PjsBlock;
    expect(hex(block.toU8a())).toBe(hex(bytes));
    expect(block.extrinsics.length).toBe(25);
    const xt = block.extrinsics[3];
    const ourXt = value.extrinsics[3];
    expect(xt.isSigned).toBe(true);
    expect(xt.version).toBe(0x84); // signed bit | extrinsic format version 4
    expect(hex(xt.signer.toU8a())).toBe(`00${hex(ourXt.signer.value as Uint8Array)}`);
    expect(xt.nonce.toNumber()).toBe(ourXt.nonce);
    expect(xt.method.section).toBe('balances');
    expect(xt.method.method).toBe('transferKeepAlive');
    expect(BigInt(xt.method.args[1].toString())).toBe(ourXt.call.value.value.value);
    expect(block.header.number.toNumber()).toBe(1_234_567);
    expect(Block.decode(block.toU8a())).toEqual(value);
  });
});
