/**
 * One codec per SCALE type family, each with the @polkadot/types name of the same Rust type (hand-written, so the
 * oracle does not depend on our own type descriptions). Struct/enum names refer to `pjsDefinitions`.
 */
import {
  type AnyCodec,
  bitvec,
  bool,
  btreeMap,
  btreeSet,
  bytes,
  bytesFixed,
  compact,
  enumeration,
  i128,
  i16,
  i256,
  i32,
  i64,
  i8,
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

export const TestStruct = struct({
  a: u32,
  b: option(str),
  c: vec(u16),
  d: compact(u128),
  e: bytesFixed(4),
  f: bool,
});

/** Sparse explicit indices, as `#[codec(index = N)]`, with unit, single, tuple and struct variants. */
export const TestEnum = enumeration({
  Zero: [0],
  Five: [5, u32],
  Nine: [9, struct({ x: u8, y: bytes })],
  Twelve: [12, tuple(u16, bool)],
  Top: [255, option(u64)],
});

function padded(variants: Record<number, [string, string | Record<string, string>]>) {
  const max = Math.max(...Object.keys(variants).map(Number));
  const out: Record<string, string | Record<string, string>> = {};
  for (let i = 0; i <= max; i++) out[variants[i]?.[0] ?? `__Unused${i}`] = variants[i]?.[1] ?? 'Null';
  return out;
}

/** polkadot-js fills gaps in sparse enums with `__UnusedN` variants, exactly as it does for metadata types. */
export const pjsDefinitions = {
  TestStruct: { a: 'u32', b: 'Option<Text>', c: 'Vec<u16>', d: 'Compact<u128>', e: '[u8; 4]', f: 'bool' },
  TestEnum: {
    _enum: padded({
      0: ['Zero', 'Null'],
      5: ['Five', 'u32'],
      9: ['Nine', { x: 'u8', y: 'Bytes' }],
      12: ['Twelve', '(u16, bool)'],
      255: ['Top', 'Option<u64>'],
    }),
  },
};

export interface Family {
  name: string;
  codec: AnyCodec;
  pjs: string;
}

export const families: Family[] = [
  { name: 'bool', codec: bool, pjs: 'bool' },
  { name: 'u8', codec: u8, pjs: 'u8' },
  { name: 'u16', codec: u16, pjs: 'u16' },
  { name: 'u32', codec: u32, pjs: 'u32' },
  { name: 'u64', codec: u64, pjs: 'u64' },
  { name: 'u128', codec: u128, pjs: 'u128' },
  { name: 'u256', codec: u256, pjs: 'u256' },
  { name: 'i8', codec: i8, pjs: 'i8' },
  { name: 'i16', codec: i16, pjs: 'i16' },
  { name: 'i32', codec: i32, pjs: 'i32' },
  { name: 'i64', codec: i64, pjs: 'i64' },
  { name: 'i128', codec: i128, pjs: 'i128' },
  { name: 'i256', codec: i256, pjs: 'i256' },
  { name: 'Compact<u8>', codec: compact(u8), pjs: 'Compact<u8>' },
  { name: 'Compact<u16>', codec: compact(u16), pjs: 'Compact<u16>' },
  { name: 'Compact<u32>', codec: compact(u32), pjs: 'Compact<u32>' },
  { name: 'Compact<u64>', codec: compact(u64), pjs: 'Compact<u64>' },
  { name: 'Compact<u128>', codec: compact(u128), pjs: 'Compact<u128>' },
  { name: 'Vec<u8>', codec: bytes, pjs: 'Bytes' },
  { name: 'String', codec: str, pjs: 'Text' },
  { name: '[u8; 1]', codec: bytesFixed(1), pjs: '[u8; 1]' },
  { name: '[u8; 32]', codec: bytesFixed(32), pjs: '[u8; 32]' },
  { name: 'Vec<u16>', codec: vec(u16), pjs: 'Vec<u16>' },
  { name: 'Vec<String>', codec: vec(str), pjs: 'Vec<Text>' },
  { name: 'Vec<Vec<u8>>', codec: vec(bytes), pjs: 'Vec<Bytes>' },
  { name: 'Vec<Option<u32>>', codec: vec(option(u32)), pjs: 'Vec<Option<u32>>' },
  { name: 'Option<u64>', codec: option(u64), pjs: 'Option<u64>' },
  { name: 'Option<Vec<u8>>', codec: option(bytes), pjs: 'Option<Bytes>' },
  { name: 'Option<bool>', codec: option(bool), pjs: 'Option<bool>' },
  { name: 'Result<u32, String>', codec: result(u32, str), pjs: 'Result<u32, Text>' },
  { name: 'Result<(), u8>', codec: result(unit, u8), pjs: 'Result<(), u8>' },
  { name: '(u8, String, bool)', codec: tuple(u8, str, bool), pjs: '(u8, Text, bool)' },
  {
    name: '(Compact<u64>, [u8; 2])',
    codec: tuple(compact(u64), bytesFixed(2)),
    pjs: '(Compact<u64>, [u8; 2])',
  },
  { name: 'struct', codec: TestStruct, pjs: 'TestStruct' },
  { name: 'enum with sparse indices', codec: TestEnum, pjs: 'TestEnum' },
  { name: 'Vec<enum>', codec: vec(TestEnum), pjs: 'Vec<TestEnum>' },
  { name: 'BTreeMap<u32, Vec<u8>>', codec: btreeMap(u32, bytes), pjs: 'BTreeMap<u32, Bytes>' },
  { name: 'BTreeMap<Vec<u8>, u64>', codec: btreeMap(bytes, u64), pjs: 'BTreeMap<Bytes, u64>' },
  { name: 'BTreeMap<[u8; 2], bool>', codec: btreeMap(bytesFixed(2), bool), pjs: 'BTreeMap<[u8; 2], bool>' },
  { name: 'BTreeSet<u64>', codec: btreeSet(u64), pjs: 'BTreeSet<u64>' },
  { name: 'BTreeSet<String>', codec: btreeSet(str), pjs: 'BTreeSet<Text>' },
  { name: 'BTreeSet<i32>', codec: btreeSet(i32), pjs: 'BTreeSet<i32>' },
  // polkadot-js builds a BitVec only from bytes, so this one checks decoding and re-encoding only.
  { name: 'BitVec<u8, Lsb0>', codec: bitvec(), pjs: 'BitVec' },
];
