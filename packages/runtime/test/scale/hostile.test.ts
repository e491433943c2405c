/**
 * Hostile and malformed input: every decoder answers with ScaleDecodeError (with the offset), quickly and without
 * allocating for lengths the input cannot hold (Polkadot spec Appendix A, Decoding: "the decoder should strictly use
 * the size of the encoded data as an upper bound ... to prevent denial of service attacks"); every encoder refuses
 * values outside the Rust type with ScaleEncodeError. Non-canonical compacts are rejected as parity-scale-codec does
 * (src/compact.rs `should_avoid_overlapping_definition`).
 */
import { describe, expect, test } from 'vitest';
import {
  type AnyCodec,
  type Codec,
  ScaleDecodeError,
  ScaleEncodeError,
  array,
  bitvec,
  bool,
  btreeMap,
  btreeSet,
  bytes,
  bytesFixed,
  compact,
  encodeCompact,
  enumeration,
  i64,
  i8,
  lazy,
  lengthPrefixed,
  option,
  result,
  str,
  struct,
  tuple,
  u128,
  u16,
  u256,
  u32,
  u64,
  u8,
  unit,
  vec,
} from '../../src/scale/index.ts';
import { Block, makeBlock } from './block-model.ts';
import { TestEnum, TestStruct } from './families.ts';
import { unhex } from './helpers.ts';

function decodeError(codec: AnyCodec, input: Uint8Array): ScaleDecodeError {
  try {
    codec.decode(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ScaleDecodeError);
    return err as ScaleDecodeError;
  }
  throw new Error(`decoded ${Buffer.from(input).toString('hex')} without complaint`);
}

function encodeError(codec: AnyCodec, value: unknown): ScaleEncodeError {
  try {
    codec.encode(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ScaleEncodeError);
    return err as ScaleEncodeError;
  }
  throw new Error(`encoded ${String(value)} without complaint`);
}

const pad = (prefix: string, total = 10) => {
  const p = unhex(prefix);
  const out = new Uint8Array(Math.max(total, p.length));
  out.set(p);
  return out;
};

describe('lengths the input cannot hold', () => {
  const claims: Array<[string, string]> = [
    ['2^30 - 1 (four-byte mode)', 'fe ff ff ff'],
    ['2^30 (big-integer mode)', '03 00 00 00 40'],
    ['2^32', '07 00 00 00 00 01'],
    ['2^64 - 1', '13 ff ff ff ff ff ff ff ff'],
    ['2^128 - 1', '33 ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff'],
    ['a 67-byte integer (mode byte 0xff)', 'ff ff ff ff ff'],
  ];
  const containers: Array<[string, AnyCodec]> = [
    ['Vec<u8>', bytes],
    ['String', str],
    ['Vec<u32>', vec(u32)],
    ['Vec<()>', vec(unit)],
    ['Vec<Vec<u8>>', vec(bytes)],
    ['BTreeMap<u32, u32>', btreeMap(u32, u32)],
    ['BTreeSet<u8>', btreeSet(u8)],
    ['length-prefixed', lengthPrefixed(u8)],
    ['Vec<recursive>', vec(lazy(() => vec(u8)))],
  ];
  for (const [claim, prefix] of claims) {
    test.each(containers)(
      `${claim} as the length of %s in a 10-byte input: error in microseconds`,
      (_, codec) => {
        const input = pad(prefix);
        const err = decodeError(codec, input);
        expect(err.offset).toBe(0);
        const n = 2000;
        const cpu = process.cpuUsage();
        for (let i = 0; i < n; i++) {
          try {
            codec.decode(input);
          } catch {}
        }
        const used = process.cpuUsage(cpu);
        const perCall = (used.user + used.system) / n; // CPU µs: steady on a shared, loaded machine
        // Building the error (with its stack) is most of it; a length-sized allocation of 2^30+ would take
        // milliseconds, or crash.
        expect(perCall).toBeLessThan(100);
      },
    );
  }

  test('a length that fits the input is still checked item by item', () => {
    // 3 u32 items claimed, 8 bytes present.
    decodeError(vec(u32), unhex('0c 01000000 02000000'));
    decodeError(bytes, unhex('10 aa bb cc'));
  });
});

describe('non-canonical and out-of-range compacts', () => {
  const nonCanonical = [
    '01 00', // 0 in two-byte mode
    'fd 00', // 63 in two-byte mode
    '02 00 00 00', // 0 in four-byte mode
    'fe ff 00 00', // 16383 in four-byte mode
    '03 ff ff ff 3f', // 2^30 - 1 in big-integer mode
    '07 00 00 00 00 00', // five bytes, top byte zero
    '13 ff ff ff ff ff ff ff 00', // eight bytes, top byte zero
  ];
  test.each(nonCanonical)('%s is rejected as Compact<u64>, Compact<u128> and as a Vec length', (s) => {
    decodeError(compact(u64), unhex(s));
    decodeError(compact(u128), unhex(s));
    decodeError(bytes, pad(s, 64));
  });

  test('values beyond the inner type: Compact<u32> of 2^32, Compact<u64> of 2^64, Compact<u128> of 17 bytes', () => {
    decodeError(compact(u32), unhex('07 00 00 00 00 01'));
    decodeError(compact(u64), unhex(`17 ${'00 '.repeat(8)}01`));
    decodeError(compact(u128), unhex(`37 ${'00 '.repeat(16)}01`));
  });

  test('truncated compacts', () => {
    for (const s of ['', '01', '02 00 01', '03 00 00 00', '13 ff ff']) decodeError(compact(u128), unhex(s));
  });
});

describe('invalid tags, bytes and text', () => {
  test('bool other than 0/1', () => {
    for (const b of [2, 0x80, 0xff]) decodeError(bool, Uint8Array.of(b));
  });

  test('Option and Result tags other than 0/1', () => {
    decodeError(option(u8), Uint8Array.of(2, 0));
    decodeError(option(bool), Uint8Array.of(0xff));
    decodeError(result(u8, u8), Uint8Array.of(2, 0));
  });

  test('unknown enum indices, including the gaps of a sparse enum', () => {
    for (const i of [1, 4, 6, 10, 13, 254]) {
      const err = decodeError(TestEnum, Uint8Array.of(i, 0, 0, 0, 0));
      expect(err.message).toMatch(/unknown variant index/);
    }
  });

  test.each([
    ['overlong NUL', 'c0 80'],
    ['encoded surrogate', 'ed a0 80'],
    ['beyond U+10FFFF', 'f4 90 80 80'],
    ['truncated sequence', 'e2 82'],
    ['lone continuation byte', '80'],
    ['parity `string_invalid_utf8`', '72 a7 0a 14 72'],
  ])('invalid UTF-8: %s', (_, s) => {
    const body = unhex(s);
    decodeError(str, Uint8Array.from([...encodeCompact(body.length), ...body]));
  });

  test('trailing bytes after a complete value', () => {
    const err = decodeError(u32, unhex('01 00 00 00 ff'));
    expect(err.offset).toBe(4);
    expect(err.message).toMatch(/1 trailing bytes/);
    decodeError(TestStruct, new Uint8Array([...TestStruct.encode(sampleStruct()), 0]));
  });

  test('a length prefix that disagrees with the value inside (UncheckedExtrinsic "Invalid length prefix")', () => {
    const lp = lengthPrefixed(tuple(u8, u8));
    expect(lp.decode(unhex('08 01 02'))).toEqual([1, 2]);
    decodeError(lp, unhex('0c 01 02 03')); // value ends before the prefix says
    decodeError(lp, unhex('04 01 02')); // value needs more than the prefix gives
  });

  test('decodeAt with an offset outside the input', () => {
    expect(() => u8.decodeAt(Uint8Array.of(1), 5)).toThrow(ScaleDecodeError);
    expect(() => u8.decodeAt(Uint8Array.of(1), -1)).toThrow(ScaleDecodeError);
  });
});

function sampleStruct() {
  return { a: 7, b: 'text', c: [1, 2, 65535], d: 10n ** 20n, e: Uint8Array.of(1, 2, 3, 4), f: true };
}

describe('truncation at every position', () => {
  test.each<[string, AnyCodec, unknown]>([
    ['struct', TestStruct, sampleStruct()],
    ['sparse enum', TestEnum, { type: 'Nine', value: { x: 1, y: Uint8Array.of(9, 9, 9) } }],
    ['BTreeMap', btreeMap(bytes, u64), new Map([[Uint8Array.of(1), 5n]])],
    ['u256', u256, (1n << 255n) + 12345n],
    ['block of 5 signed extrinsics', Block, makeBlock(5, 3)],
  ])('%s: every strict prefix is a ScaleDecodeError', (_, codec, value) => {
    const full = codec.encode(value);
    expect(codec.decode(full)).toEqual(value);
    for (let n = 0; n < full.length; n++) {
      const err = decodeError(codec, full.subarray(0, n));
      expect(err.offset).toBeLessThanOrEqual(n);
    }
  });
});

describe('recursion depth', () => {
  type Tree = { type: 'Leaf'; value: number } | { type: 'Node'; value: Tree[] };
  const Tree: Codec<Tree> = lazy(() => enumeration({ Leaf: [0, u8], Node: [1, vec(Tree)] }) as Codec<Tree>);
  const nested = (depth: number) => {
    const b: number[] = [];
    for (let i = 0; i < depth; i++) b.push(1, 4); // Node with one child
    b.push(0, 7); // Leaf(7)
    return Uint8Array.from(b);
  };

  test('64 levels decode (the default maxDepth), 65 do not', () => {
    // nested(d) holds d Nodes and a Leaf: d + 1 trips through `lazy`.
    expect(() => Tree.decode(nested(63))).not.toThrow();
    const err = decodeError(Tree, nested(64));
    expect(err.message).toMatch(/nesting deeper than 64/);
  });

  test('100,000 levels: ScaleDecodeError, not a stack overflow, in well under a second', () => {
    const start = performance.now();
    decodeError(Tree, nested(100_000));
    expect(performance.now() - start).toBeLessThan(1000);
  });

  test('maxDepth is per codec', () => {
    const Shallow: Codec<unknown> = lazy(() => option(Shallow), 3);
    expect(Shallow.decode(unhex('01 01 00'))).toBeUndefined();
    decodeError(Shallow, unhex('01 01 01 01 00'));
  });

  test('encoding a value nested far too deep for the stack is a ScaleEncodeError', () => {
    let t: Tree = { type: 'Leaf', value: 1 };
    for (let i = 0; i < 200_000; i++) t = { type: 'Node', value: [t] };
    encodeError(Tree, t);
  });
});

describe('values outside the Rust type', () => {
  test.each<[string, AnyCodec, unknown]>([
    ['u8 256', u8, 256],
    ['u8 -1', u8, -1],
    ['u8 1.5', u8, 1.5],
    ['u8 NaN', u8, Number.NaN],
    ['u16 65536', u16, 65536],
    ['u32 2^32', u32, 2 ** 32],
    ['u32 as string', u32, '5'],
    ['i8 128', i8, 128],
    ['i8 -129', i8, -129],
    ['u64 2^64', u64, 1n << 64n],
    ['u64 -1n', u64, -1n],
    ['u64 unsafe number', u64, 2 ** 60],
    ['i64 2^63', i64, 1n << 63n],
    ['u256 2^256', u256, 1n << 256n],
    ['Compact<u8> 256', compact(u8), 256],
    ['Compact<u32> 2^32', compact(u32), 2 ** 32],
    ['Compact<u32> NaN', compact(u32), Number.NaN],
    ['Compact<u32> Infinity', compact(u32), Number.POSITIVE_INFINITY],
    ['Compact<u64> Infinity', compact(u64), Number.POSITIVE_INFINITY],
    ['Compact<u128> 2^128', compact(u128), 1n << 128n],
    ['Compact<u128> -1n', compact(u128), -1n],
    ['str with a lone surrogate', str, 'a\uD800b'],
    ['str given a number', str, 5],
    ['Vec<u8> given undefined', bytes, undefined],
    ['Vec<u8> given a string (would copy as zeros)', bytes, 'abc'],
    ['Vec<u8> given number[]', bytes, [1, 2, 300]],
    ['[u8; 2] given a string', bytesFixed(2), 'ab'],
    ['[u8; 4] of 3 bytes', bytesFixed(4), Uint8Array.of(1, 2, 3)],
    ['[u16; 2] of 3 items', array(u16, 2), [1, 2, 3]],
    ['bounded vec over its bound', vec(u8, 2), [1, 2, 3]],
    ['tuple of the wrong arity', tuple(u8, u8), [1]],
    ['enum with an unknown variant', TestEnum, { type: 'Six', value: 1 }],
    ['enum given null', TestEnum, null],
    ['struct missing a field', TestStruct, { ...sampleStruct(), a: undefined }],
    ['struct given undefined', TestStruct, undefined],
    ['Result neither ok nor err', result(u8, u8), 3],
    [
      'BTreeMap with two equal byte keys',
      btreeMap(bytes, u8),
      new Map([
        [Uint8Array.of(1), 1],
        [Uint8Array.of(1), 2],
      ]),
    ],
    [
      'BTreeSet with two equal byte items',
      btreeSet(bytesFixed(1)),
      new Set([Uint8Array.of(1), Uint8Array.of(1)]),
    ],
  ])('%s', (_, codec, value) => {
    encodeError(codec, value);
  });

  test('a struct field error names the field path', () => {
    const Outer = struct({ inner: struct({ n: u8 }) });
    expect(encodeError(Outer, { inner: { n: 300 } }).message).toMatch(/field 'inner': field 'n': u8: 300/);
  });

  test('an omitted Option field is None', () => {
    expect([...struct({ a: u8, b: option(u8) }).encode({ a: 1 } as never)]).toEqual([1, 0]);
  });

  test('Compact<T> exists only for u8..u128', () => {
    expect(() => compact(i8 as never)).toThrow();
    expect(() => compact(u256 as never)).toThrow();
  });
});

describe('BTreeMap/BTreeSet decode as Rust does (BTreeMap::from_iter)', () => {
  test('entries out of order come back in key order; of repeated keys the last wins', () => {
    // Compact(3), (2 → 1), (1 → 2), (2 → 3)
    const m = btreeMap(u32, u8).decode(unhex('0c 02000000 01 01000000 02 02000000 03'));
    expect([...m]).toEqual([
      [1, 2],
      [2, 3],
    ]);
    const s = btreeSet(bytes).decode(unhex('0c 080202 00 080202'));
    expect([...s]).toEqual([new Uint8Array(), Uint8Array.of(2, 2)]);
  });

  test('encoding sorts by Rust Ord: shorter byte strings first when one is a prefix; numbers numerically', () => {
    const e = btreeSet(bytes).encode(new Set([Uint8Array.of(1, 0), Uint8Array.of(1), Uint8Array.of(0, 9)]));
    expect(Buffer.from(e).toString('hex')).toBe('0c' + '080009' + '0401' + '080100');
    const n = btreeSet(i64).encode(new Set([5n, -3n, 0n]));
    expect(btreeSet(i64).decode(n)).toEqual(new Set([-3n, 0n, 5n]));
    expect([...btreeSet(i64).decode(n)]).toEqual([-3n, 0n, 5n]);
  });
});

describe('inputs of other shapes', () => {
  test('a Node Buffer decodes to independent plain Uint8Arrays (Buffer#slice would alias the input)', () => {
    const input = Buffer.from([0x08, 1, 2, 9, 9]);
    const [b, f] = tuple(bytes, bytesFixed(2)).decode(input);
    expect(b.constructor).toBe(Uint8Array);
    expect(f.constructor).toBe(Uint8Array);
    input.fill(0);
    expect([...b, ...f]).toEqual([1, 2, 9, 9]);
  });

  test('a subarray view decodes from its own start', () => {
    const whole = Uint8Array.of(0xff, 0x04, 7, 0xff);
    expect(bytes.decode(whole.subarray(1, 3))).toEqual(Uint8Array.of(7));
  });

  test('something that is not bytes is a ScaleDecodeError', () => {
    expect(() => u8.decode('0x01' as never)).toThrow(ScaleDecodeError);
    expect(() => u8.decode([1] as never)).toThrow(ScaleDecodeError);
  });
});

describe('encode error messages point at the bad part', () => {
  test('enum variant data', () => {
    const e = encodeError(TestEnum, { type: 'Nine', value: { x: 1, y: 'not bytes' } });
    expect(e.message).toMatch(/variant 'Nine': field 'y'/);
  });
});

describe('BitVec hostile input', () => {
  test('a bit count the input cannot hold, or beyond 2^29 - 1, fails at once', () => {
    decodeError(bitvec(), pad('fe ff ff ff')); // 2^28 - 1 bits, 10 bytes
    decodeError(bitvec('u64'), unhex('24 ff')); // 9 bits of u64 need 8 bytes
    decodeError(bitvec(), unhex('03 00 00 00 20')); // 2^29 bits: over parity's ARCH32BIT_BITSLICE_MAX_BITS
  });

  test('encoding refuses non-booleans', () => {
    encodeError(bitvec(), [true, 1]);
    encodeError(bitvec(), 'true');
  });
});
