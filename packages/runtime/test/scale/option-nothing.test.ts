/**
 * `Option<()>` and `Option<Option<T>>`: JS has one `undefined`, Rust has None and Some(()) / Some(None). Some of a
 * type whose value is `undefined` is `null`, so each Rust value has its own JS value and bytes. The bytes are
 * checked against @polkadot/types 16.5.6 (`Option<Null>`, `Option<Option<u8>>`), built and decoded there.
 */
import { TypeRegistry as PjsRegistry } from '@polkadot/types';
import type { Option as PjsOption } from '@polkadot/types';
import { describe, expect, test } from 'vitest';
import {
  option,
  ScaleDecodeError,
  ScaleDefinitionError,
  struct,
  u8,
  unit,
  vec,
} from '../../src/scale/index.ts';
import { hex, unhex } from './helpers.ts';

const pjs = new PjsRegistry();

describe('Option<()>', () => {
  const OptionUnit = option(unit);

  test('Some(()) is null and 0x01, None is undefined and 0x00, as polkadot-js encodes Option<Null>', () => {
    const some = pjs.createType('Option<Null>', pjs.createType('Null')).toU8a();
    const none = pjs.createType('Option<Null>').toU8a();
    expect(hex(OptionUnit.encode(null))).toBe(hex(some));
    expect(hex(OptionUnit.encode(undefined))).toBe(hex(none));
    expect(OptionUnit.decode(some)).toBeNull();
    expect(OptionUnit.decode(none)).toBeUndefined();
  });

  test('a set of flags (Vec<Option<()>>) keeps every Some', () => {
    const Flags = vec(OptionUnit);
    const bytes = Flags.encode([null, undefined, null]);
    expect(hex(bytes)).toBe('0c010001');
    expect(Flags.decode(bytes)).toEqual([null, undefined, null]);
  });
});

describe('Option<Option<u8>>', () => {
  const Nested = option(option(u8));
  const cases: Array<[string, number | null | undefined, () => PjsOption<any>]> = [
    ['None', undefined, () => pjs.createType('Option<Option<u8>>')],
    ['Some(None)', null, () => pjs.createType('Option<Option<u8>>', pjs.createType('Option<u8>'))],
    ['Some(Some(5))', 5, () => pjs.createType('Option<Option<u8>>', 5)],
  ];

  test.each(cases)('%s has polkadot-js bytes both ways', (_name, ours, theirs) => {
    const bytes = theirs().toU8a();
    expect(hex(Nested.encode(ours))).toBe(hex(bytes));
    expect(Nested.decode(bytes)).toBe(ours);
    const back = pjs.createType('Option<Option<u8>>', Nested.encode(ours));
    expect(back.isSome).toBe(ours !== undefined);
    if (back.isSome) expect((back.unwrap() as PjsOption<any>).isSome).toBe(ours !== null);
  });

  test('an omitted struct field of this type is still None', () => {
    const S = struct({ a: u8, b: Nested });
    expect(hex(S.encode({ a: 1 } as never))).toBe('0100');
    expect(S.decode(unhex('010100'))).toEqual({ a: 1, b: null });
  });

  test('a bad inner tag is a decode error at its offset', () => {
    expect(() => Nested.decode(unhex('0102'))).toThrow(ScaleDecodeError);
    expect(() => Nested.decode(unhex('01'))).toThrow(ScaleDecodeError);
  });

  test('ordering (BTreeMap keys) puts None < Some(None) < Some(Some(x)), as Rust derives it', () => {
    // (Array.prototype.sort never hands `undefined` to a comparator, so compare pairs directly.)
    const ascending = [undefined, null, 0, 5];
    for (let i = 0; i + 1 < ascending.length; i++) {
      expect(Nested.compare(ascending[i], ascending[i + 1])).toBeLessThan(0);
      expect(Nested.compare(ascending[i + 1], ascending[i])).toBeGreaterThan(0);
      expect(Nested.compare(ascending[i], ascending[i])).toBe(0);
    }
  });
});

test('Option<Option<()>> has no JS form and is refused when defined, with the reason', () => {
  expect(() => option(option(option(unit)))).toThrow(ScaleDefinitionError);
  expect(() => option(option(unit))).toThrow(/Option<Option<\(\)>>/);
});

test('a named unit keeps the Some(()) = null rule', () => {
  const Marker = unit.named(['Marker']);
  expect(option(Marker).decode(unhex('01'))).toBeNull();
});
