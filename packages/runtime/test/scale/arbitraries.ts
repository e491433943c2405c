/**
 * fast-check generators for the values of any (non-recursive) codec, read off its type description. Numbers lean
 * to the edges of every compact mode; byte strings sometimes cross the 2^6 and 2^14 length boundaries.
 */
import fc from 'fast-check';
import type { AnyCodec } from '../../src/scale/index.ts';

/** `bytes`/`bytesFixed` give Uint8Array, `vec(u8)`/`array(u8, n)` give number[]: same description, so probe. */
function isByteString(codec: AnyCodec, len: number): boolean {
  try {
    return codec.decode(len === -1 ? Uint8Array.of(0) : new Uint8Array(len)) instanceof Uint8Array;
  } catch {
    return false;
  }
}

const MAX: Record<string, bigint> = {
  u8: 0xffn,
  u16: 0xffffn,
  u32: 0xffffffffn,
  u64: (1n << 64n) - 1n,
  u128: (1n << 128n) - 1n,
  u256: (1n << 256n) - 1n,
};
const BITS: Record<string, number> = { i8: 8, i16: 16, i32: 32, i64: 64, i128: 128, i256: 256 };
const small = new Set(['u8', 'u16', 'u32', 'i8', 'i16', 'i32']);

/** An unsigned integer of a random bit width up to `max`, so each byte length / compact mode gets its share. */
function unsigned(max: bigint): fc.Arbitrary<bigint> {
  const bits = max.toString(2).length;
  return fc
    .integer({ min: 0, max: bits })
    .chain((b) =>
      fc.oneof(
        fc.bigInt({ min: 0n, max: b === 0 ? 0n : (1n << BigInt(b)) - 1n }),
        fc.constant(b === 0 ? 0n : (1n << BigInt(b)) - 1n),
        fc.constant(b === 0 ? 0n : 1n << BigInt(b - 1)),
      ),
    )
    .map((v) => (v > max ? max : v));
}

const byteString = (min: number, max: number) =>
  fc.oneof(
    { weight: 20, arbitrary: fc.uint8Array({ minLength: min, maxLength: Math.min(max, 80) }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: Math.max(min, 60), maxLength: Math.min(max, 70) }) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: Math.max(min, 16380), maxLength: Math.min(max, 16390) }),
    },
  );

export function arbitraryFor(codec: AnyCodec): fc.Arbitrary<unknown> {
  const info = codec.info;
  const def = info.def;
  switch (def.kind) {
    case 'primitive': {
      const name = def.name;
      if (name === 'bool') return fc.boolean();
      if (name === 'str') return fc.string({ unit: 'binary', maxLength: 40 });
      if (name === 'char') return fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
      if (name in MAX) {
        const a = unsigned(MAX[name]);
        return small.has(name) ? a.map(Number) : a;
      }
      const bits = BITS[name];
      const half = 1n << BigInt(bits - 1);
      const a = fc.oneof(
        unsigned(half - 1n),
        unsigned(half - 1n).map((v) => -v - 1n),
        fc.constantFrom(-half, half - 1n, 0n, -1n),
      );
      return small.has(name) ? a.map(Number) : a;
    }
    case 'compact': {
      const inner = def.of.info.def;
      const name = inner.kind === 'primitive' ? inner.name : 'u128';
      const a = unsigned(MAX[name]);
      return small.has(name) ? a.map(Number) : a;
    }
    case 'sequence':
      if (isByteString(codec, -1)) return byteString(0, 20000);
      return fc.array(arbitraryFor(def.of), { maxLength: 6 });
    case 'array':
      if (isByteString(codec, def.len)) return fc.uint8Array({ minLength: def.len, maxLength: def.len });
      return fc.array(arbitraryFor(def.of), { minLength: def.len, maxLength: def.len });
    case 'tuple':
      if (def.of.length === 0) return fc.constant(codec.decode(new Uint8Array()));
      return fc.tuple(...def.of.map(arbitraryFor));
    case 'composite': {
      if (info.path[0] === 'BTreeMap') {
        const [k, v] = [info.params[0].type!, info.params[1].type!];
        return fc
          .uniqueArray(fc.tuple(arbitraryFor(k), arbitraryFor(v)), {
            maxLength: 6,
            selector: (e) => Buffer.from(k.encode(e[0])).toString('hex'),
          })
          .map((entries) => new Map(entries));
      }
      if (info.path[0] === 'BTreeSet') {
        const t = info.params[0].type!;
        return fc
          .uniqueArray(arbitraryFor(t), {
            maxLength: 6,
            selector: (e) => Buffer.from(t.encode(e)).toString('hex'),
          })
          .map((items) => new Set(items));
      }
      return fc.record(Object.fromEntries(def.fields.map((f) => [f.name!, arbitraryFor(f.type)])));
    }
    case 'bitSequence':
      return fc.array(fc.boolean(), { maxLength: 80 });
    case 'variant': {
      if (info.path[0] === 'Option') return fc.option(arbitraryFor(info.params[0].type!), { nil: undefined });
      if (info.path[0] === 'Result') {
        return fc.oneof(
          arbitraryFor(info.params[0].type!).map((ok) => ({ ok })),
          arbitraryFor(info.params[1].type!).map((err) => ({ err })),
        );
      }
      return fc.oneof(
        ...def.variants.map((v) => {
          if (v.fields.length === 0) return fc.constant({ type: v.name });
          if (v.fields.length === 1 && v.fields[0].name === undefined)
            return arbitraryFor(v.fields[0].type).map((value) => ({ type: v.name, value }));
          if (v.fields[0].name === undefined)
            return fc
              .tuple(...v.fields.map((f) => arbitraryFor(f.type)))
              .map((value) => ({ type: v.name, value }));
          return fc
            .record(Object.fromEntries(v.fields.map((f) => [f.name!, arbitraryFor(f.type)])))
            .map((value) => ({ type: v.name, value }));
        }),
      );
    }
  }
}
