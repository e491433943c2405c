/**
 * Known-answer vectors from outside sources:
 * - paritytech/parity-scale-codec (the reference implementation), commit 772bd04a:
 *   src/compact.rs tests `compact_integers_encoded_as_expected`, `compact_{8,16,32,64,128}_encoding_works`,
 *   `should_avoid_overlapping_definition`; src/codec.rs tests `string_encoded_as_expected`,
 *   `vec_of_u8_encoded_as_expected`, `vec_of_i16_encoded_as_expected`, `vec_of_option_int_encoded_as_expected`,
 *   `vec_of_option_bool_encoded_as_expected`, `vec_of_empty_tuples_encoded_as_expected`,
 *   `vec_of_string_encoded_as_expected`, `vec_is_sliceable`, `boolean`, `string_invalid_utf8`;
 *   tests/mod.rs `should_work_for_simple_enum`, `should_work_for_enum_with_discriminant`, `should_derive_encode`,
 *   `should_work_for_indexed`, `crafted_input_for_vec_u8`.
 * - The Polkadot spec, Appendix A "SCALE Codec" (w3f/polkadot-spec docs/id-cryptography-encoding.md): definitions
 *   of Option (idx 0 None / 1 Some), Result (T1 ok = 0, T2 err = 1), sequences, dictionaries, booleans and the
 *   length/compact modes (0b00 < 2^6, 0b01 < 2^14, 0b10 < 2^30, 0b11 big-integer with m-4 in the upper bits).
 * (w3f/polkadot-tests' scale-codec suite only compares implementations' string encodings with each other; it has no
 * byte fixtures to import.)
 */
import { describe, expect, test } from 'vitest';
import {
  ScaleDecodeError,
  bitvec,
  bool,
  btreeMap,
  btreeSet,
  bytes,
  compact,
  encodeCompact,
  enumeration,
  i16,
  i8,
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
  unit,
  vec,
} from '../../src/scale/index.ts';
import { hex, unhex } from './helpers.ts';

const parityCompact: Array<[bigint, string]> = [
  // src/compact.rs `compact_integers_encoded_as_expected`
  [0n, '00'],
  [63n, 'fc'],
  [64n, '01 01'],
  [16383n, 'fd ff'],
  [16384n, '02 00 01 00'],
  [1073741823n, 'fe ff ff ff'],
  [1073741824n, '03 00 00 00 40'],
  [(1n << 32n) - 1n, '03 ff ff ff ff'],
  [1n << 32n, '07 00 00 00 00 01'],
  [1n << 40n, '0b 00 00 00 00 00 01'],
  [1n << 48n, '0f 00 00 00 00 00 00 01'],
  [(1n << 56n) - 1n, '0f ff ff ff ff ff ff ff'],
  [1n << 56n, '13 00 00 00 00 00 00 00 01'],
  [(1n << 64n) - 1n, '13 ff ff ff ff ff ff ff ff'],
];

describe('compact integers (parity-scale-codec src/compact.rs)', () => {
  test.each(parityCompact)('Compact<u64>(%s) = %s, and u8..u32 agree where the value fits', (n, s) => {
    const expected = unhex(s);
    expect(hex(compact(u64).encode(n))).toBe(hex(expected));
    expect(compact(u64).decode(expected)).toBe(n);
    expect(compact(u128).decode(expected)).toBe(n);
    for (const [inner, max] of [
      [u32, 0xffffffffn],
      [u16, 0xffffn],
      [u8, 0xffn],
    ] as const) {
      if (n <= max) {
        expect(hex(compact(inner).encode(Number(n)))).toBe(hex(expected));
        expect(compact(inner).decode(expected)).toBe(Number(n));
      } else {
        // `assert!(<Compact<u16>>::decode(&mut &Compact(65536u32).encode()[..]).is_err())`
        expect(() => compact(inner).decode(expected)).toThrow(ScaleDecodeError);
      }
    }
    expect(hex(encodeCompact(n))).toBe(hex(expected));
  });

  // `compact_128_encoding_works`: (value, encoded length)
  const lengths128: Array<[bigint, number]> = [
    [0n, 1],
    [63n, 1],
    [64n, 2],
    [16383n, 2],
    [16384n, 4],
    [1073741823n, 4],
    [1073741824n, 5],
    [(1n << 32n) - 1n, 5],
    [1n << 32n, 6],
    [1n << 40n, 7],
    [1n << 48n, 8],
    [(1n << 56n) - 1n, 8],
    [1n << 56n, 9],
    [(1n << 64n) - 1n, 9],
    [1n << 64n, 10],
    [1n << 72n, 11],
    [1n << 80n, 12],
    [1n << 88n, 13],
    [1n << 96n, 14],
    [1n << 104n, 15],
    [1n << 112n, 16],
    [(1n << 120n) - 1n, 16],
    [1n << 120n, 17],
    [(1n << 128n) - 1n, 17],
  ];
  test.each(lengths128)('Compact<u128>(%s) takes %i bytes and round-trips', (n, len) => {
    const e = compact(u128).encode(n);
    expect(e.length).toBe(len);
    expect(compact(u128).decode(e)).toBe(n);
  });

  test('u128::MAX is 0x33 then sixteen 0xff (big-integer mode, m - 4 = 12)', () => {
    expect(hex(compact(u128).encode((1n << 128n) - 1n))).toBe(`33${'ff'.repeat(16)}`);
  });

  test('`should_avoid_overlapping_definition`: the top value of a smaller mode in a bigger mode is rejected', () => {
    // two-byte mode holding u8::MAX >> 2 (fits one byte): `((u8::MAX >> 2) as u16) << 2 | 0b01`
    const two = Uint8Array.from([((0xff >> 2) << 2) | 0b01, 0]);
    // four-byte mode holding u16::MAX >> 2 (fits two bytes)
    const v4 = (((0xffff >> 2) << 2) | 0b10) >>> 0;
    const four = Uint8Array.from([v4 & 0xff, (v4 >> 8) & 0xff, (v4 >> 16) & 0xff, v4 >>> 24]);
    // big-integer mode with 4 bytes holding u32::MAX >> 2 (fits the four-byte mode)
    const big4 = Uint8Array.from([0b11, 0xff, 0xff, 0xff, 0xff >> 2]);
    for (const inner of [u8, u16, u32, u64, u128]) {
      expect(() => compact(inner as typeof u32).decode(two)).toThrow(ScaleDecodeError);
    }
    for (const inner of [u16, u32, u64, u128]) {
      expect(() => compact(inner as typeof u32).decode(four)).toThrow(ScaleDecodeError);
    }
    for (const inner of [u32, u64, u128]) {
      expect(() => compact(inner as typeof u32).decode(big4)).toThrow(ScaleDecodeError);
    }
    // `check_bound_high!(s)`: s bytes whose top byte is 0 (fits s - 1 bytes), for u64 (s = 5..8) and u128 (8..16)
    for (let s = 5; s <= 16; s++) {
      const dest = [0b11 + ((s - 4) << 2), ...new Array(s - 1).fill(0xff), 0];
      if (s <= 8) expect(() => compact(u64).decode(Uint8Array.from(dest))).toThrow(ScaleDecodeError);
      expect(() => compact(u128).decode(Uint8Array.from(dest))).toThrow(ScaleDecodeError);
    }
  });

  test('Compact<u8> of 256 and Compact<u16> of 65536 are rejected (`compact_8/16_encoding_works`)', () => {
    expect(() => compact(u8).decode(compact(u32).encode(256))).toThrow(ScaleDecodeError);
    expect(() => compact(u16).decode(compact(u32).encode(65536))).toThrow(ScaleDecodeError);
    expect(compact(u8).decode(compact(u32).encode(255))).toBe(255);
  });
});

describe('collections and strings (parity-scale-codec src/codec.rs)', () => {
  test('`string_encoded_as_expected`', () => {
    const e = str.encode('Hello, World!');
    expect(hex(e)).toBe('3448656c6c6f2c20576f726c6421');
    expect(str.decode(e)).toBe('Hello, World!');
  });

  test('`vec_is_sliceable`: b"Hello world" as Vec<u8> is 0x2c + the bytes', () => {
    const e = bytes.encode(new TextEncoder().encode('Hello world'));
    expect(hex(e)).toBe(`2c${Buffer.from('Hello world').toString('hex')}`);
  });

  test('`vec_of_u8_encoded_as_expected`', () => {
    const v = Uint8Array.from([0, 1, 1, 2, 3, 5, 8, 13, 21, 34]);
    expect(hex(bytes.encode(v))).toBe('2800010102030508 0d1522'.replace(/ /g, ''));
    expect(bytes.decode(unhex('28 00 01 01 02 03 05 08 0d 15 22'))).toEqual(v);
    // Vec<u8> spelled as a generic vector encodes the same bytes.
    expect(hex(vec(u8).encode([...v]))).toBe(hex(bytes.encode(v)));
  });

  test('`vec_of_i16_encoded_as_expected`', () => {
    const v = [0, 1, -1, 2, -2, 3, -3];
    const s = '1c 00 00 01 00 ff ff 02 00 fe ff 03 00 fd ff';
    expect(hex(vec(i16).encode(v))).toBe(hex(unhex(s)));
    expect(vec(i16).decode(unhex(s))).toEqual(v);
  });

  test('`vec_of_option_int_encoded_as_expected`', () => {
    const v = [1, -1, undefined];
    expect(hex(vec(option(i8)).encode(v))).toBe('0c010101ff00');
    expect(vec(option(i8)).decode(unhex('0c 01 01 01 ff 00'))).toEqual(v);
  });

  test('Option<bool> is the generic Option (01 01 / 01 00 / 00); only the OptionBool shim is one byte', () => {
    // `vec_of_option_bool_encoded_as_expected` encodes `OptionBool` as 01 / 02 / 00; `impl Encode for Option<T>`
    // has no bool special case, so Rust's `Option<bool>` is 0x01 then the bool.
    expect(hex(vec(option(bool)).encode([true, false, undefined]))).toBe('0c0101010000');
    expect(vec(option(bool)).decode(unhex('0c 01 01 01 00 00'))).toEqual([true, false, undefined]);
  });

  test('`vec_of_empty_tuples_encoded_as_expected`', () => {
    expect(hex(vec(unit).encode([undefined, undefined, undefined, undefined, undefined]))).toBe('14');
    expect(vec(unit).decode(unhex('14'))).toHaveLength(5);
  });

  test('`vec_of_string_encoded_as_expected`', () => {
    const v = ['Hamlet', 'Война и мир', '三国演义', 'أَلْف لَيْلَة وَلَيْلَة‎'];
    const s =
      '10 18 48 61 6d 6c 65 74 50 d0 92 d0 be d0 b9 d0 bd d0 b0 20 d0 ' +
      'b8 20 d0 bc d0 b8 d1 80 30 e4 b8 89 e5 9b bd e6 bc 94 e4 b9 89 bc d8 a3 d9 8e d9 84 d9 92 ' +
      'd9 81 20 d9 84 d9 8e d9 8a d9 92 d9 84 d9 8e d8 a9 20 d9 88 d9 8e d9 84 d9 8e d9 8a d9 92 ' +
      'd9 84 d9 8e d8 a9 e2 80 8e';
    expect(hex(vec(str).encode(v))).toBe(hex(unhex(s)));
    expect(vec(str).decode(unhex(s))).toEqual(v);
  });

  test('`boolean`', () => {
    expect(hex(bool.encode(true))).toBe('01');
    expect(hex(bool.encode(false))).toBe('00');
    expect(bool.decode(unhex('01'))).toBe(true);
    expect(bool.decode(unhex('00'))).toBe(false);
  });

  test('`string_invalid_utf8`: [20, 114, 167, 10, 20, 114] is an error', () => {
    expect(() => str.decode(Uint8Array.from([20, 114, 167, 10, 20, 114]))).toThrow(ScaleDecodeError);
  });

  test('`crafted_input_for_vec_u8`: Compact(u32::MAX) alone is "not enough data"', () => {
    expect(() => bytes.decode(compact(u32).encode(0xffffffff))).toThrow(ScaleDecodeError);
    expect(() => vec(u32).decode(compact(u32).encode(0xffffffff))).toThrow(ScaleDecodeError);
  });

  test('BTreeMap<u16, u32> / BTreeSet<u32> from `codec_iterator`: count, then entries in key order', () => {
    // t4: (0..10).flat_map(|i| 0..i).map(|i| (i as u16, i + 10)) collects to keys 0..=8.
    const m = new Map<number, number>();
    for (let i = 8; i >= 0; i--) m.set(i, i + 10); // inserted out of order on purpose
    const e = btreeMap(u16, u32).encode(m);
    const expected = [0x24]; // Compact(9)
    for (let i = 0; i <= 8; i++) expected.push(i, 0, i + 10, 0, 0, 0);
    expect(hex(e)).toBe(hex(Uint8Array.from(expected)));
    expect([...btreeMap(u16, u32).decode(e)]).toEqual([...m].sort((a, b) => a[0] - b[0]));
    const set = btreeSet(u32).encode(new Set([3, 1, 2]));
    expect(hex(set)).toBe('0c010000000200000003000000');
  });
});

describe('derived structs and enums (parity-scale-codec tests/mod.rs)', () => {
  // enum EnumType { #[codec(index = 15)] A, B(u32, u64), C { a: u32, b: u64 } }
  const EnumType = enumeration({
    A: [15],
    B: [1, tuple(u32, u64)],
    C: [2, struct({ a: u32, b: u64 })],
  });

  test('`should_work_for_simple_enum`', () => {
    expect(hex(EnumType.encode({ type: 'A' }))).toBe('0f');
    expect(hex(EnumType.encode({ type: 'B', value: [1, 2n] }))).toBe('01010000000200000000000000');
    expect(hex(EnumType.encode({ type: 'C', value: { a: 1, b: 2n } }))).toBe('02010000000200000000000000');
    expect(EnumType.decode(unhex('0f'))).toEqual({ type: 'A' });
    expect(EnumType.decode(unhex('01010000000200000000000000'))).toEqual({ type: 'B', value: [1, 2n] });
    expect(EnumType.decode(unhex('02010000000200000000000000'))).toEqual({
      type: 'C',
      value: { a: 1, b: 2n },
    });
    // `let mut dz: &[u8] = &[0]; assert_eq!(EnumType::decode(&mut dz).ok(), None);`
    expect(() => EnumType.decode(unhex('00'))).toThrow(ScaleDecodeError);
  });

  test('`should_work_for_enum_with_discriminant`: A = 1, B = 15, C = 255', () => {
    const E = enumeration({ A: [1], B: [15], C: [255] });
    expect([...E.encode({ type: 'A' }), ...E.encode({ type: 'B' }), ...E.encode({ type: 'C' })]).toEqual([
      1, 15, 255,
    ]);
    expect(E.decode(Uint8Array.from([255]))).toEqual({ type: 'C' });
    expect(() => E.decode(Uint8Array.from([2]))).toThrow(ScaleDecodeError);
  });

  test('`should_derive_encode` / `should_derive_decode`: Struct<u32, u64, Vec<u8>>', () => {
    const TestType = struct({ a: u32, b: u64, c: bytes });
    const e = TestType.encode({ a: 15, b: 9n, c: new TextEncoder().encode('Hello world') });
    expect(hex(e)).toBe(
      `0f000000090000000000000 02c${Buffer.from('Hello world').toString('hex')}`.replace(' ', ''),
    );
    expect(TestType.decode(e)).toEqual({ a: 15, b: 9n, c: new TextEncoder().encode('Hello world') });
  });

  test('`should_work_for_indexed`: Indexed(1u32, 2u64)', () => {
    expect(hex(tuple(u32, u64).encode([1, 2n]))).toBe('010000000200000000000000');
  });

  test('`should_work_for_unit`: () is zero bytes', () => {
    expect(unit.encode(undefined)).toHaveLength(0);
    expect(unit.decode(new Uint8Array())).toBeUndefined();
  });
});

describe('Polkadot spec Appendix A varying data types', () => {
  test('Option: None is 0x00, Some(x) is 0x01 || Enc(x)', () => {
    expect(hex(option(u32).encode(undefined))).toBe('00');
    expect(hex(option(u32).encode(0x01020304))).toBe('0104030201');
  });

  test('Result: Ok is index 0, Err index 1', () => {
    const R = result(u8, str);
    expect(hex(R.encode({ ok: 42 }))).toBe('002a');
    expect(hex(R.encode({ err: 'no' }))).toBe('01086e6f');
    expect(R.decode(unhex('002a'))).toEqual({ ok: 42 });
    expect(R.decode(unhex('01086e6f'))).toEqual({ err: 'no' });
  });

  test('fixed-width integers are little-endian', () => {
    expect(hex(u16.encode(42))).toBe('2a00');
    expect(hex(u32.encode(0xdeadbeef))).toBe('efbeadde');
    expect(hex(u128.encode(1n))).toBe(`01${'00'.repeat(15)}`);
    expect(hex(i8.encode(-1))).toBe('ff');
  });
});

describe('BitVec (parity-scale-codec src/bit_vec.rs)', () => {
  const b = (s: string) => s.split('').map((c) => c === '1');
  test.each([
    // `bitvec_u8_encodes_as_expected`: (bits, (Compact(len), bytes...).encode())
    ['0011', [4 << 2, 0b00001100]],
    ['0111', [4 << 2, 0b00001110]],
    ['1111', [4 << 2, 0b00001111]],
    ['11111', [5 << 2, 0b00011111]],
    ['111110', [6 << 2, 0b00011111]],
    ['111110001101', [12 << 2, 0b00011111, 0b00001011]],
  ])('BitVec<u8, Lsb0> %s', (bits, bytes) => {
    expect([...bitvec().encode(b(bits))]).toEqual(bytes);
    expect(bitvec().decode(Uint8Array.from(bytes))).toEqual(b(bits));
  });

  test('`bitvec_u{8,16,32,64}`: encoded length is compact_len(bits) + elements * store size', () => {
    for (const [store, size] of [
      ['u8', 1],
      ['u16', 2],
      ['u32', 4],
      ['u64', 8],
    ] as const) {
      for (const n of [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 16 * 1024 * 8 + 1]) {
        const bits = Array.from({ length: n }, (_, i) => i % 3 === 0);
        const e = bitvec(store, 'Msb0').encode(bits);
        expect(e.length).toBe(encodeCompact(n).length + Math.ceil(n / (size * 8)) * size);
        expect(bitvec(store, 'Msb0').decode(e)).toEqual(bits);
      }
    }
  });

  test('Msb0 fills each store element from its most significant bit; elements are little-endian', () => {
    expect([...bitvec('u8', 'Msb0').encode(b('1000000001'))]).toEqual([10 << 2, 0x80, 0x40]);
    // u16 Msb0: sequence bit 0 is value bit 15, which is the high bit of the second (little-endian) byte.
    expect([...bitvec('u16', 'Msb0').encode(b('1'))]).toEqual([1 << 2, 0x00, 0x80]);
    expect([...bitvec('u16', 'Lsb0').encode(b('000000001'))]).toEqual([9 << 2, 0x00, 0x01]);
  });

  test('padding bits are ignored on decode (Rust truncates)', () => {
    expect(bitvec().decode(Uint8Array.of(3 << 2, 0xff))).toEqual([true, true, true]);
  });
});
