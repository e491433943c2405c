/**
 * Property-based checks (fast-check) over every type family: encode → decode is the identity, and decoding any
 * bytes either yields a value whose encoding is exactly the bytes consumed (SCALE is canonical) or throws
 * ScaleDecodeError, never another exception. BTreeMap/BTreeSet accept non-canonical order like Rust, so for them the
 * decoded value is a fixed point instead.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type AnyCodec,
  Codec,
  ScaleDecodeError,
  array,
  bitvec,
  bool,
  bytes,
  bytesFixed,
  compact,
  compactLength,
  encodeCompact,
  enumeration,
  lazy,
  lengthPrefixed,
  option,
  readCompact,
  result,
  str,
  struct,
  u16,
  u32,
  u8,
  unit,
  vec,
} from '../../src/scale/index.ts';
import { arbitraryFor } from './arbitraries.ts';
import { Block, makeBlock } from './block-model.ts';
import { TestEnum, TestStruct, families } from './families.ts';
import { hex } from './helpers.ts';

const extra: Array<{ name: string; codec: AnyCodec; arb?: fc.Arbitrary<unknown> }> = [
  { name: '[u16; 3]', codec: array(u16, 3) },
  { name: 'BitVec<u32, Msb0>', codec: bitvec('u32', 'Msb0') },
  { name: 'BitVec<u64, Lsb0>', codec: bitvec('u64', 'Lsb0') },
  { name: '[u8; 0]', codec: bytesFixed(0) },
  { name: 'Vec<()>', codec: vec(unit) },
  { name: 'Option<Result<bool, u8>>', codec: option(result(bool, u8)) },
  // These describe themselves as something else (opaque Vec<u8>, the inner u32), so say what their values are.
  { name: 'length-prefixed struct', codec: lengthPrefixed(TestStruct), arb: arbitraryFor(TestStruct) },
  {
    name: 'Vec<length-prefixed enum>',
    codec: vec(lengthPrefixed(TestEnum)),
    arb: fc.array(arbitraryFor(TestEnum), { maxLength: 4 }),
  },
  {
    name: 'named + map',
    codec: u32.named(['x', 'Id']).map(
      (n) => `#${n}`,
      (s) => Number(s.slice(1)),
    ),
    arb: fc.nat().map((n) => `#${n}`),
  },
];
const all = [...families.map(({ name, codec }) => ({ name, codec, arb: arbitraryFor(codec) })), ...extra].map(
  (f) => ({ ...f, arb: f.arb ?? arbitraryFor(f.codec) }),
);
// Rust accepts BTree entries in any order and BitVec padding bits that are not zero; re-encoding normalises them.
const unordered = (name: string) => name.startsWith('BTree') || name.startsWith('BitVec');

type Tree = { type: 'Leaf'; value: number } | { type: 'Node'; value: Tree[] };
const Tree: Codec<Tree> = lazy(() => enumeration({ Leaf: [0, u8], Node: [1, vec(Tree)] }) as Codec<Tree>);
const treeArb = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 8 },
    fc.integer({ min: 0, max: 255 }).map((value): Tree => ({ type: 'Leaf', value })),
    fc.array(tie('tree'), { maxLength: 3 }).map((value): Tree => ({ type: 'Node', value })),
  ),
})).tree;

/** A valid encoding with a few bytes overwritten, inserted or deleted. */
function mutated(codec: AnyCodec, arb: fc.Arbitrary<unknown>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      arb,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 2)), {
        maxLength: 3,
      }),
    )
    .map(([v, edits]) => {
      const b = [...codec.encode(v)];
      for (const [at, byte, op] of edits) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (op === 0 && b.length > 0) b[i] = byte;
        else if (op === 1) b.splice(i, 0, byte);
        else b.splice(i, 1);
      }
      return Uint8Array.from(b);
    });
}

function decodeAnything(codec: AnyCodec, input: Uint8Array, canonical: boolean) {
  let value: unknown;
  let end: number;
  try {
    [value, end] = codec.decodeAt(input, 0);
  } catch (err) {
    expect(err).toBeInstanceOf(ScaleDecodeError);
    expect((err as ScaleDecodeError).offset).toBeGreaterThanOrEqual(0);
    return;
  }
  const again = codec.encode(value);
  if (canonical) expect(hex(again)).toBe(hex(input.subarray(0, end)));
  else expect(codec.decode(again)).toEqual(value);
}

describe('encode → decode is the identity', () => {
  test.each(all)('$name', ({ codec, arb }) => {
    fc.assert(
      fc.property(arb, fc.uint8Array({ maxLength: 3 }), (v, tail) => {
        const e = codec.encode(v);
        expect(codec.decode(e)).toEqual(v);
        // decodeAt stops exactly at the end of the value, whatever follows.
        const withTail = new Uint8Array([...e, ...tail]);
        const [again, end] = codec.decodeAt(withTail, 0);
        expect(end).toBe(e.length);
        expect(again).toEqual(v);
      }),
      { numRuns: 200 },
    );
  });

  test('recursive type through lazy', () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        expect(Tree.decode(Tree.encode(t))).toEqual(t);
      }),
      { numRuns: 300 },
    );
  });

  test('a block of signed extrinsics, for many seeds and sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 0, max: 40 }), (seed, n) => {
        const block = makeBlock(n, seed);
        expect(Block.decode(Block.encode(block))).toEqual(block);
      }),
      { numRuns: 50 },
    );
  });
});

describe('decoding arbitrary bytes: a canonical value or ScaleDecodeError, nothing else', () => {
  test.each(all)('$name', ({ name, codec, arb }) => {
    const canonical = !unordered(name);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (b) => decodeAnything(codec, b, canonical)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(mutated(codec, arb), (b) => decodeAnything(codec, b, canonical)),
      { numRuns: 300 },
    );
  });

  test('recursive type: nesting bytes (0x01 0x04 = Node of one child) never escape as RangeError', () => {
    const nesting = fc
      .array(fc.constantFrom(0, 1, 4, 8, 1, 4), { maxLength: 400 })
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(nesting, (b) => decodeAnything(Tree, b, true)),
      { numRuns: 500 },
    );
  });

  test('a mutated block', () => {
    const block = Block.encode(makeBlock(3, 9));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(block.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const b = block.slice();
          for (const [i, x] of edits) b[i] = x;
          decodeAnything(Block, b, true);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('str round-trips every well-formed string, including a leading BOM and astral characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        expect(str.decode(str.encode(s))).toBe(s);
        const withBom = `\uFEFF${s}`;
        expect(str.decode(str.encode(withBom))).toBe(withBom);
      }),
    );
  });

  test('compact(u32) decodes every 5-byte window either canonically or with ScaleDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 5 }), (b) =>
        decodeAnything(compact(u32), b, true),
      ),
      { numRuns: 2000 },
    );
  });
});

describe('compact helpers agree with each other', () => {
  test('compactLength = encodeCompact length; readCompact inverts it; numbers and bigints encode alike', () => {
    const anyU128 = fc
      .integer({ min: 0, max: 128 })
      .chain((b) => fc.bigInt({ min: 0n, max: b === 0 ? 0n : (1n << BigInt(b)) - 1n }));
    fc.assert(
      fc.property(anyU128, (v) => {
        const e = encodeCompact(v);
        expect(compactLength(v)).toBe(e.length);
        const [back, end] = readCompact(e, 0);
        expect(BigInt(back)).toBe(v);
        expect(end).toBe(e.length);
        // A safe-integer result comes back as a number, anything larger as a bigint.
        expect(typeof back).toBe(v <= BigInt(Number.MAX_SAFE_INTEGER) ? 'number' : 'bigint');
        // The same integer given as a JS number (exact, even above 2^53) encodes to the same bytes.
        const asNumber = Number(v);
        if (BigInt(asNumber) === v) expect(hex(encodeCompact(asNumber))).toBe(hex(e));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('lengthPrefixed is Vec<u8> of the encoding', () => {
  test('for every prefix size (1, 2 and 4 bytes), the same bytes as encoding twice', () => {
    const sizes = fc.oneof(
      fc.integer({ min: 0, max: 70 }),
      fc.integer({ min: 16370, max: 16400 }),
      fc.integer({ min: 1 << 16, max: (1 << 16) + 10 }),
    );
    fc.assert(
      fc.property(sizes, (n) => {
        const value = new Uint8Array(n).fill(n & 0xff);
        const twice = bytes.encode(bytes.encode(value));
        const once = lengthPrefixed(bytes).encode(value);
        expect(hex(once)).toBe(hex(twice));
        expect(lengthPrefixed(bytes).decode(once)).toEqual(value);
      }),
      { numRuns: 60 },
    );
  });
});
