/**
 * The portable registry must have the shape scale-info gives (ids in first-seen pre-order, params before the def,
 * one id per type, declaration-order variants). Expected JSON is taken from paritytech/scale-info
 * test_suite/tests/json.rs (commit 7629a7fa): `test_registry`, `registry_knows_about_compact_types`,
 * `test_recursive_type_with_box`, `enums_with_scale_indexed_variants`; prelude types from src/impls.rs
 * (`Option`/`Result`/`BTreeMap`/`BTreeSet` paths and params, `Vec<T>` → Sequence, `[T; N]` → Array, Compact).
 */
import { describe, expect, test } from 'vitest';
import {
  type AnyCodec,
  Codec,
  TypeRegistry,
  type PortableType,
  bitvec,
  btreeMap,
  btreeSet,
  bytes,
  bytesFixed,
  compact,
  enumeration,
  i32,
  lazy,
  option,
  result,
  str,
  struct,
  tuple,
  u128,
  u16,
  u32,
  u64,
  u8,
  vec,
} from '../../src/scale/index.ts';

/** scale-info's serde form: empty path/params/docs/fields and absent names are left out. */
function json(types: PortableType[]) {
  const field = (f: { name?: string; type: number; typeName?: string; docs: string[] }) => ({
    ...(f.name !== undefined && { name: f.name }),
    type: f.type,
    ...(f.typeName !== undefined && { typeName: f.typeName }),
    ...(f.docs.length > 0 && { docs: f.docs }),
  });
  return {
    types: types.map(({ id, type: t }) => {
      const d = t.def;
      let def: unknown;
      switch (d.type) {
        case 'Composite':
          def = { composite: d.value.fields.length ? { fields: d.value.fields.map(field) } : {} };
          break;
        case 'Variant':
          def = {
            variant: {
              variants: d.value.variants.map((v) => ({
                name: v.name,
                ...(v.fields.length > 0 && { fields: v.fields.map(field) }),
                index: v.index,
                ...(v.docs.length > 0 && { docs: v.docs }),
              })),
            },
          };
          break;
        case 'Sequence':
          def = { sequence: d.value };
          break;
        case 'Array':
          def = { array: d.value };
          break;
        case 'Tuple':
          def = { tuple: d.value };
          break;
        case 'Primitive':
          def = { primitive: d.value.type.toLowerCase() };
          break;
        case 'Compact':
          def = { compact: d.value };
          break;
        case 'BitSequence':
          def = { bitsequence: d.value };
          break;
      }
      return {
        id,
        type: {
          ...(t.path.length > 0 && { path: t.path }),
          ...(t.params.length > 0 && { params: t.params }),
          def,
          ...(t.docs.length > 0 && { docs: t.docs }),
        },
      };
    }),
  };
}

/** A Rust tuple struct / tuple variant: unnamed fields with their Rust type names. */
function unnamed(...fields: Array<[AnyCodec, string]>): Codec<unknown[]> {
  const t = tuple(...fields.map(([c]) => c));
  return new Codec(
    t.write,
    t.read,
    {
      path: [],
      params: [],
      def: { kind: 'composite', fields: fields.map(([type, typeName]) => ({ type, typeName })) },
      docs: [],
    },
    t.minLength,
  );
}

describe('scale-info test_suite/tests/json.rs', () => {
  test('`test_registry`: ids, shared u8/u32/[u8; 32], recursion through Vec', () => {
    const UnitStruct = struct({}).named(['json', 'UnitStruct']);
    const TupleStruct = unnamed([u8, 'u8'], [u32, 'u32']).named(['json', 'TupleStruct']);
    // Each `bytesFixed(32)` is a fresh codec: the registry still gives `[u8; 32]` one id, as scale-info does.
    const Struct = struct({ a: u8, b: u32, c: bytesFixed(32) }, { a: 'u8', b: 'u32', c: '[u8; 32]' }).named([
      'json',
      'Struct',
    ]);
    const RecursiveStruct: AnyCodec = struct(
      { rec: vec(lazy(() => RecursiveStruct)) },
      { rec: 'Vec<RecursiveStruct>' },
    ).named(['json', 'RecursiveStruct']);
    const ClikeEnum = enumeration({ A: [0], B: [1], C: [2] }).named(['json', 'ClikeEnum']);
    const RustEnum = enumeration({
      A: [0],
      B: [1, unnamed([u8, 'u8'], [u32, 'u32'])],
      C: [2, struct({ a: u8, b: u32, c: bytesFixed(32) }, { a: 'u8', b: 'u32', c: '[u8; 32]' })],
    }).named(['json', 'RustEnum']);

    const registry = new TypeRegistry();
    for (const c of [UnitStruct, TupleStruct, Struct, RecursiveStruct, ClikeEnum, RustEnum])
      registry.register(c);
    expect(json(registry.types)).toEqual({
      types: [
        { id: 0, type: { path: ['json', 'UnitStruct'], def: { composite: {} } } },
        {
          id: 1,
          type: {
            path: ['json', 'TupleStruct'],
            def: {
              composite: {
                fields: [
                  { type: 2, typeName: 'u8' },
                  { type: 3, typeName: 'u32' },
                ],
              },
            },
          },
        },
        { id: 2, type: { def: { primitive: 'u8' } } },
        { id: 3, type: { def: { primitive: 'u32' } } },
        {
          id: 4,
          type: {
            path: ['json', 'Struct'],
            def: {
              composite: {
                fields: [
                  { name: 'a', type: 2, typeName: 'u8' },
                  { name: 'b', type: 3, typeName: 'u32' },
                  { name: 'c', type: 5, typeName: '[u8; 32]' },
                ],
              },
            },
          },
        },
        { id: 5, type: { def: { array: { len: 32, type: 2 } } } },
        {
          id: 6,
          type: {
            path: ['json', 'RecursiveStruct'],
            def: { composite: { fields: [{ name: 'rec', type: 7, typeName: 'Vec<RecursiveStruct>' }] } },
          },
        },
        { id: 7, type: { def: { sequence: { type: 6 } } } },
        {
          id: 8,
          type: {
            path: ['json', 'ClikeEnum'],
            def: {
              variant: {
                variants: [
                  { name: 'A', index: 0 },
                  { name: 'B', index: 1 },
                  { name: 'C', index: 2 },
                ],
              },
            },
          },
        },
        {
          id: 9,
          type: {
            path: ['json', 'RustEnum'],
            def: {
              variant: {
                variants: [
                  { name: 'A', index: 0 },
                  {
                    name: 'B',
                    index: 1,
                    fields: [
                      { type: 2, typeName: 'u8' },
                      { type: 3, typeName: 'u32' },
                    ],
                  },
                  {
                    name: 'C',
                    index: 2,
                    fields: [
                      { name: 'a', type: 2, typeName: 'u8' },
                      { name: 'b', type: 3, typeName: 'u32' },
                      { name: 'c', type: 5, typeName: '[u8; 32]' },
                    ],
                  },
                ],
              },
            },
          },
        },
      ],
    });
  });

  test('`registry_knows_about_compact_types`: Compact<T> refers to T, shared with the plain field', () => {
    const Dense = struct(
      { a: compact(u128), a_not_compact: u128, b: bytesFixed(32), c: compact(u64) },
      { a: 'u128', a_not_compact: 'u128', b: '[u8; 32]', c: 'u64' },
    ).named(['json', 'Dense']);
    const registry = new TypeRegistry();
    expect(registry.register(Dense)).toBe(0);
    expect(json(registry.types)).toEqual({
      types: [
        {
          id: 0,
          type: {
            path: ['json', 'Dense'],
            def: {
              composite: {
                fields: [
                  { name: 'a', type: 1, typeName: 'u128' },
                  { name: 'a_not_compact', type: 2, typeName: 'u128' },
                  { name: 'b', type: 3, typeName: '[u8; 32]' },
                  { name: 'c', type: 5, typeName: 'u64' },
                ],
              },
            },
          },
        },
        { id: 1, type: { def: { compact: { type: 2 } } } },
        { id: 2, type: { def: { primitive: 'u128' } } },
        { id: 3, type: { def: { array: { len: 32, type: 4 } } } },
        { id: 4, type: { def: { primitive: 'u8' } } },
        { id: 5, type: { def: { compact: { type: 6 } } } },
        { id: 6, type: { def: { primitive: 'u64' } } },
      ],
    });
  });

  test('`test_recursive_type_with_box`: a recursive enum refers to its own id', () => {
    const Tree: AnyCodec = enumeration({
      Leaf: [0, struct({ value: i32 }, { value: 'i32' })],
      Node: [
        1,
        struct(
          { right: lazy(() => Tree), left: lazy(() => Tree) },
          { right: 'Box<Tree>', left: 'Box<Tree>' },
        ),
      ],
    }).named(['json', 'Tree']);
    const registry = new TypeRegistry();
    registry.register(Tree);
    expect(json(registry.types)).toEqual({
      types: [
        {
          id: 0,
          type: {
            path: ['json', 'Tree'],
            def: {
              variant: {
                variants: [
                  { name: 'Leaf', index: 0, fields: [{ name: 'value', type: 1, typeName: 'i32' }] },
                  {
                    name: 'Node',
                    index: 1,
                    fields: [
                      { name: 'right', type: 0, typeName: 'Box<Tree>' },
                      { name: 'left', type: 0, typeName: 'Box<Tree>' },
                    ],
                  },
                ],
              },
            },
          },
        },
        { id: 1, type: { def: { primitive: 'i32' } } },
      ],
    });
  });

  test('`enums_with_scale_indexed_variants`: variants stay in declaration order with their indices', () => {
    const Animal = enumeration({
      Ape: [123, unnamed([u8, 'u8'])],
      Boar: [12, struct({ a: u16, b: u32 }, { a: 'u16', b: 'u32' })],
      Cat: [1],
      Dog: [0, unnamed([u64, 'u64'], [u128, 'u128'])],
    }).named(['json', 'Animal']);
    const registry = new TypeRegistry();
    registry.register(Animal);
    // scale-info's vector converts Animal alone (children from id 0); here Animal is id 0, so children are +1.
    expect(json(registry.types).types[0].type).toEqual({
      path: ['json', 'Animal'],
      def: {
        variant: {
          variants: [
            { name: 'Ape', index: 123, fields: [{ type: 1, typeName: 'u8' }] },
            {
              name: 'Boar',
              index: 12,
              fields: [
                { name: 'a', type: 2, typeName: 'u16' },
                { name: 'b', type: 3, typeName: 'u32' },
              ],
            },
            { name: 'Cat', index: 1 },
            {
              name: 'Dog',
              index: 0,
              fields: [
                { type: 4, typeName: 'u64' },
                { type: 5, typeName: 'u128' },
              ],
            },
          ],
        },
      },
    });
  });
});

describe('prelude types (scale-info src/impls.rs)', () => {
  test('Option, Result, BTreeMap, BTreeSet, Vec, String, tuple shapes and one id per distinct type', () => {
    const registry = new TypeRegistry();
    const id = registry.register(
      struct({
        o: option(u32),
        r: result(u8, str),
        m: btreeMap(u32, bytes),
        s: btreeSet(u64),
        t: tuple(u8, u32),
        again: option(u32), // built again: still the same type
        v: vec(u8),
      }),
    );
    const types = json(registry.types).types;
    const byId = (n: number) => types[n].type;
    const fields = (byId(id).def as { composite: { fields: Array<{ name: string; type: number }> } })
      .composite.fields;
    const f = Object.fromEntries(fields.map((x) => [x.name, x.type]));
    expect(f.again).toBe(f.o);
    // `bytes` (Uint8Array) and `vec(u8)` (number[]) are both Rust's Vec<u8>: one id.
    expect(registry.register(bytes)).toBe(f.v);
    const u32Id = types.findIndex((t) => JSON.stringify(t.type.def) === '{"primitive":"u32"}');
    const u8Id = types.findIndex((t) => JSON.stringify(t.type.def) === '{"primitive":"u8"}');
    expect(byId(f.o)).toEqual({
      path: ['Option'],
      params: [{ name: 'T', type: u32Id }],
      def: {
        variant: {
          variants: [
            { name: 'None', index: 0 },
            { name: 'Some', index: 1, fields: [{ type: u32Id }] },
          ],
        },
      },
    });
    const strId = types.findIndex((t) => JSON.stringify(t.type.def) === '{"primitive":"str"}');
    expect(byId(f.r)).toEqual({
      path: ['Result'],
      params: [
        { name: 'T', type: u8Id },
        { name: 'E', type: strId },
      ],
      def: {
        variant: {
          variants: [
            { name: 'Ok', index: 0, fields: [{ type: u8Id }] },
            { name: 'Err', index: 1, fields: [{ type: strId }] },
          ],
        },
      },
    });
    // BTreeMap<K, V>: composite with one unnamed field of `[(K, V)]` (a Sequence of the tuple).
    const m = byId(f.m) as { path: string[]; params: Array<{ name: string; type: number }>; def: any };
    expect(m.path).toEqual(['BTreeMap']);
    expect(m.params.map((p) => p.name)).toEqual(['K', 'V']);
    const seq = byId(m.def.composite.fields[0].type).def as any;
    const pair = byId(seq.sequence.type).def as any;
    expect(pair).toEqual({ tuple: [u32Id, f.v] });
    const s = byId(f.s) as any;
    expect(s.path).toEqual(['BTreeSet']);
    expect(byId(s.def.composite.fields[0].type).def).toEqual({ sequence: { type: s.params[0].type } });
    expect(byId(f.t).def).toEqual({ tuple: [u8Id, u32Id] });
    expect(byId(f.v).def).toEqual({ sequence: { type: u8Id } });
    // No two entries are the same portable type.
    const seen = new Set(types.map((t) => JSON.stringify(t.type)));
    expect(seen.size).toBe(types.length);
  });
});

describe('BitVec (scale-info src/impls.rs `bit_vec`, src/tests.rs)', () => {
  test('TypeDefBitSequence refers to the store type and to bitvec::order::Lsb0/Msb0 unit composites', () => {
    const registry = new TypeRegistry();
    const a = registry.register(bitvec());
    const b = registry.register(bitvec('u16', 'Msb0'));
    expect(registry.register(bitvec())).toBe(a);
    const types = json(registry.types).types;
    const t = (id: number) => types[id].type as any;
    expect(t(a).def).toEqual({ bitsequence: { bitStoreType: a + 1, bitOrderType: a + 2 } });
    expect(t(a + 1).def).toEqual({ primitive: 'u8' });
    expect(t(a + 2)).toEqual({ path: ['bitvec', 'order', 'Lsb0'], def: { composite: {} } });
    const { bitStoreType, bitOrderType } = t(b).def.bitsequence;
    expect(t(bitStoreType).def).toEqual({ primitive: 'u16' });
    expect(t(bitOrderType).path).toEqual(['bitvec', 'order', 'Msb0']);
  });
});
