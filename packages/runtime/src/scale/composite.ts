/** Structs, tuples, enums, vectors, arrays, options, results, BTree maps/sets and recursive types. */
import { Codec, type AnyCodec, type Infer } from './codec.ts';
import { compactLength, writeCompact } from './compact.ts';
import { ScaleDecodeError, ScaleDefinitionError, ScaleEncodeError } from './errors.ts';
import { Reader } from './io.ts';
import { readLength, u8, writeLength } from './primitives.ts';
import type { FieldInfo, TypeInfo } from './type-info.ts';

const anon = (def: TypeInfo['def']): TypeInfo => ({ path: [], params: [], def, docs: [] });

/** `()` */
export const unit = new Codec<undefined>(
  () => {},
  () => undefined,
  anon({ kind: 'tuple', of: [] }),
  0,
  () => 0,
);
unit.nothing = 'undefined';

/**
 * What `Option<T>` is in JS: `T` or `undefined` (None). When `T` itself has `undefined` as a value (`()`, an
 * inner `Option`), `Some` of it is `null`: `Option<()>` is `null` (Some(())) or `undefined` (None), and
 * `Option<Option<u8>>` is `5` (Some(Some(5))), `null` (Some(None)) or `undefined` (None).
 */
export type OptionValue<T> = undefined extends T ? Exclude<T, undefined> | null | undefined : T | undefined;

export type StructShape = Record<string, AnyCodec>;
export type StructValue<S extends StructShape> = { [K in keyof S]: Infer<S[K]> };

/** A Rust struct with named fields, encoded in declaration order. `typeNames` feed metadata's field type names. */
export function struct<S extends StructShape>(
  shape: S,
  typeNames: Partial<Record<keyof S, string>> = {},
  docs: Partial<Record<keyof S, string[]>> = {},
): Codec<StructValue<S>> {
  const keys = Object.keys(shape);
  const codecs = keys.map((k) => shape[k]);
  const n = keys.length;
  return new Codec<StructValue<S>>(
    (w, v) => {
      let i = 0;
      try {
        // A missing field reads as `undefined`: right for an `option` field (None), an error for the others.
        for (; i < n; i++) codecs[i].write(w, (v as Record<string, unknown>)[keys[i]]);
      } catch (err) {
        throw new ScaleEncodeError(`field '${keys[i]}': ${(err as Error)?.message ?? String(err)}`, {
          cause: err,
        });
      }
    },
    (r) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) out[keys[i]] = codecs[i].read(r);
      return out as StructValue<S>;
    },
    () =>
      anon({
        kind: 'composite',
        fields: keys.map(
          (k): FieldInfo => ({
            name: k,
            type: shape[k],
            typeName: typeNames[k as keyof S],
            docs: docs[k as keyof S],
          }),
        ),
      }),
    codecs.reduce((s, c) => s + c.minLength, 0),
    (a, b) => {
      for (let i = 0; i < n; i++) {
        const c = codecs[i].compare((a as any)[keys[i]], (b as any)[keys[i]]);
        if (c !== 0) return c;
      }
      return 0;
    },
  );
}

type TupleValue<C extends readonly AnyCodec[]> = { [K in keyof C]: Infer<C[K]> };

export function tuple<const C extends readonly AnyCodec[]>(...codecs: C): Codec<TupleValue<C>> {
  const n = codecs.length;
  return new Codec<TupleValue<C>>(
    (w, v) => {
      if (!Array.isArray(v) || v.length !== n) throw new ScaleEncodeError(`tuple: expected ${n} items`);
      for (let i = 0; i < n; i++) codecs[i].write(w, v[i]);
    },
    (r) => {
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = codecs[i].read(r);
      return out as TupleValue<C>;
    },
    () => anon({ kind: 'tuple', of: [...codecs] }),
    codecs.reduce((s, c) => s + c.minLength, 0),
    (a, b) => {
      for (let i = 0; i < n; i++) {
        const c = codecs[i].compare(a[i], b[i]);
        if (c !== 0) return c;
      }
      return 0;
    },
  );
}

/** `Vec<T>` as a JS array (use `bytes` for `Vec<u8>`). `maxLength` bounds `BoundedVec`s. */
export function vec<T>(of: Codec<T>, maxLength = Number.POSITIVE_INFINITY): Codec<T[]> {
  return new Codec<T[]>(
    (w, v) => {
      if (v.length > maxLength)
        throw new ScaleEncodeError(`vec: ${v.length} items exceed the bound ${maxLength}`);
      writeLength(w, v.length);
      for (let i = 0; i < v.length; i++) of.write(w, v[i]);
    },
    (r) => {
      const n = readLength(r, of.minLength, 'Vec');
      if (n > maxLength) r.fail(`vec: ${n} items exceed the bound ${maxLength}`);
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = of.read(r);
      return out;
    },
    () => anon({ kind: 'sequence', of }),
    1,
    (a, b) => {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const c = of.compare(a[i], b[i]);
        if (c !== 0) return c;
      }
      return a.length - b.length;
    },
  );
}

/** `[T; N]` as a JS array (use `bytesFixed` for `[u8; N]`). */
export function array<T>(of: Codec<T>, len: number): Codec<T[]> {
  return new Codec<T[]>(
    (w, v) => {
      if (v.length !== len) throw new ScaleEncodeError(`[T; ${len}]: got ${v.length} items`);
      for (let i = 0; i < len; i++) of.write(w, v[i]);
    },
    (r) => {
      const out = new Array<T>(len);
      for (let i = 0; i < len; i++) out[i] = of.read(r);
      return out;
    },
    () => anon({ kind: 'array', len, of }),
    of.minLength * len,
    vec(of).compare,
  );
}

/**
 * `Option<T>` as `T | undefined`: 0x00, or 0x01 then the value. Rust's `Option<bool>` uses this generic form too
 * (the one-byte form is parity-scale-codec's separate `OptionBool`). Do not nest options: `undefined` is ambiguous.
 */
export function option<T>(of: Codec<T>): Codec<OptionValue<T>> {
  if (of.nothing === 'null-and-undefined') {
    throw new ScaleDefinitionError(
      'Option of a type that already decodes to both null and undefined (e.g. Option<Option<()>>) has no JS form',
    );
  }
  // Some(x) where x is `undefined` travels as `null`, so that it stays apart from None.
  const someOfNothing = of.nothing === 'undefined';
  const codec = new Codec<any>(
    (w, v) => {
      if (v === undefined) w.byte(0);
      else {
        w.byte(1);
        of.write(w, someOfNothing && v === null ? undefined : v);
      }
    },
    (r) => {
      const b = r.byte('Option');
      if (b === 0) return undefined;
      if (b !== 1) r.fail(`Option: invalid tag ${b}`);
      const v = of.read(r);
      return someOfNothing && v === undefined ? null : v;
    },
    () => optionInfo(of),
    1,
    (a, b) => {
      if (a === undefined) return b === undefined ? 0 : -1;
      if (b === undefined) return 1;
      return of.compare(
        someOfNothing && a === null ? undefined : a,
        someOfNothing && b === null ? undefined : b,
      );
    },
  );
  codec.nothing = someOfNothing ? 'null-and-undefined' : 'undefined';
  return codec;
}

function optionInfo(of: AnyCodec): TypeInfo {
  return {
    path: ['Option'],
    params: [{ name: 'T', type: of }],
    def: {
      kind: 'variant',
      variants: [
        { name: 'None', index: 0, fields: [] },
        { name: 'Some', index: 1, fields: [{ type: of }] },
      ],
    },
    docs: [],
  };
}

export type ResultValue<T, E> = { ok: T } | { err: E };

export function result<T, E>(ok: Codec<T>, err: Codec<E>): Codec<ResultValue<T, E>> {
  return new Codec<ResultValue<T, E>>(
    (w, v) => {
      if ('ok' in v) {
        w.byte(0);
        ok.write(w, v.ok);
      } else {
        w.byte(1);
        err.write(w, v.err);
      }
    },
    (r) => {
      const b = r.byte('Result');
      if (b === 0) return { ok: ok.read(r) };
      if (b === 1) return { err: err.read(r) };
      return r.fail(`Result: invalid tag ${b}`);
    },
    () => ({
      path: ['Result'],
      params: [
        { name: 'T', type: ok },
        { name: 'E', type: err },
      ],
      def: {
        kind: 'variant',
        variants: [
          { name: 'Ok', index: 0, fields: [{ type: ok }] },
          { name: 'Err', index: 1, fields: [{ type: err }] },
        ],
      },
      docs: [],
    }),
    1,
  );
}

/**
 * A variant of an enum: `[index]` for a unit variant, `[index, codec]` for one with data (use `struct` for named
 * fields, `tuple` for several unnamed ones), optionally docs.
 */
export type VariantSpec = readonly [index: number, codec?: AnyCodec, docs?: string[]];
export type EnumShape = Record<string, VariantSpec>;
export type EnumValue<S extends EnumShape> = {
  [K in keyof S]: S[K][1] extends AnyCodec
    ? { type: K; value: Infer<S[K][1]> }
    : { type: K; value?: undefined };
}[keyof S];

/** A Rust enum with explicit variant indices (`#[codec(index = N)]`); values are `{ type: 'Name', value }`. */
export function enumeration<S extends EnumShape>(shape: S): Codec<EnumValue<S>> {
  const names = Object.keys(shape);
  const byIndex: Array<{ name: string; codec?: AnyCodec } | undefined> = new Array(256);
  const byName = new Map<string, { index: number; codec?: AnyCodec }>();
  for (const name of names) {
    const [index, codec] = shape[name];
    if (!Number.isInteger(index) || index < 0 || index > 255)
      throw new Error(`enum variant ${name}: bad index ${index}`);
    if (byIndex[index])
      throw new Error(`enum variants ${byIndex[index]!.name} and ${name} share index ${index}`);
    byIndex[index] = { name, codec };
    byName.set(name, { index, codec });
  }
  return new Codec<EnumValue<S>>(
    (w, v) => {
      const variant = byName.get(v?.type as string);
      if (!variant)
        throw new ScaleEncodeError(
          `enum: unknown variant '${String(v?.type)}' (expected ${names.join(', ')})`,
        );
      w.byte(variant.index);
      if (variant.codec) {
        try {
          variant.codec.write(w, v.value);
        } catch (err) {
          throw new ScaleEncodeError(
            `variant '${String(v.type)}': ${(err as Error)?.message ?? String(err)}`,
            {
              cause: err,
            },
          );
        }
      }
    },
    (r) => {
      const index = r.byte('enum');
      const variant = byIndex[index];
      if (!variant) return r.fail(`enum: unknown variant index ${index}`);
      return (
        variant.codec ? { type: variant.name, value: variant.codec.read(r) } : { type: variant.name }
      ) as EnumValue<S>;
    },
    () =>
      anon({
        kind: 'variant',
        variants: names.map((name) => {
          const [index, codec, docs] = shape[name];
          return { name, index, fields: variantFields(codec), docs };
        }),
      }),
    1,
    (a, b) => {
      const va = byName.get(a.type as string)!;
      const vb = byName.get(b.type as string)!;
      if (va.index !== vb.index) return va.index - vb.index;
      return va.codec ? va.codec.compare(a.value, b.value) : 0;
    },
  );
}

/** A variant's data becomes metadata fields: a struct's named fields, a tuple's items, or one unnamed field. */
function variantFields(codec: AnyCodec | undefined): FieldInfo[] {
  if (!codec) return [];
  const info = codec.info;
  if (info.path.length === 0 && info.def.kind === 'composite') return info.def.fields;
  if (info.path.length === 0 && info.def.kind === 'tuple' && info.def.of.length !== 1) {
    return info.def.of.map((type) => ({ type }));
  }
  return [{ type: codec }];
}

/**
 * `BTreeMap<K, V>`: encoded in key order (Rust `Ord`, the key codec's `compare`). Decoding accepts what Rust accepts
 * (any order, repeated keys: the last value wins, as `BTreeMap::from_iter`) and yields the Map in key order, as
 * Rust iterates it. Encoding a Map with two keys that compare equal (e.g. two Uint8Arrays with the same bytes) is
 * an error: Rust's map could not hold both.
 */
export function btreeMap<K, V>(key: Codec<K>, value: Codec<V>): Codec<Map<K, V>> {
  const pair = tuple(key, value);
  const byKey = (a: [K, V], b: [K, V]) => key.compare(a[0], b[0]);
  return new Codec<Map<K, V>>(
    (w, v) => {
      const entries = [...v.entries()];
      if (!isSorted(entries, byKey)) entries.sort(byKey);
      writeLength(w, entries.length);
      for (let i = 0; i < entries.length; i++) {
        if (i > 0 && byKey(entries[i - 1], entries[i]) === 0)
          throw new ScaleEncodeError('BTreeMap: two keys compare equal');
        key.write(w, entries[i][0]);
        value.write(w, entries[i][1]);
      }
    },
    (r) => {
      const n = readLength(r, pair.minLength, 'BTreeMap');
      const entries = new Array<[K, V]>(n);
      for (let i = 0; i < n; i++) entries[i] = [key.read(r), value.read(r)];
      return new Map(canonicalOrder(entries, byKey));
    },
    () => ({
      path: ['BTreeMap'],
      params: [
        { name: 'K', type: key },
        { name: 'V', type: value },
      ],
      def: { kind: 'composite', fields: [{ type: vec(pair) }] },
      docs: [],
    }),
    1,
  );
}

/** `BTreeSet<T>`: encoded in order; decoding accepts any order and repeats, as Rust does, and yields sorted items. */
export function btreeSet<T>(of: Codec<T>): Codec<Set<T>> {
  const cmp = of.compare;
  return new Codec<Set<T>>(
    (w, v) => {
      const items = [...v];
      if (!isSorted(items, cmp)) items.sort(cmp);
      writeLength(w, items.length);
      for (let i = 0; i < items.length; i++) {
        if (i > 0 && cmp(items[i - 1], items[i]) === 0)
          throw new ScaleEncodeError('BTreeSet: two items compare equal');
        of.write(w, items[i]);
      }
    },
    (r) => {
      const n = readLength(r, of.minLength, 'BTreeSet');
      const items = new Array<T>(n);
      for (let i = 0; i < n; i++) items[i] = of.read(r);
      return new Set(canonicalOrder(items, cmp));
    },
    () => ({
      path: ['BTreeSet'],
      params: [{ name: 'T', type: of }],
      def: { kind: 'composite', fields: [{ type: vec(of) }] },
      docs: [],
    }),
    1,
  );
}

function isSorted<T>(items: T[], cmp: (a: T, b: T) => number): boolean {
  for (let i = 1; i < items.length; i++) if (cmp(items[i - 1], items[i]) > 0) return false;
  return true;
}

/**
 * What Rust's `BTreeMap/BTreeSet::from_iter` makes of decoded items: sorted (stable), and of equal keys only the last.
 * Canonical input (strictly increasing) passes through untouched.
 */
function canonicalOrder<T>(items: T[], cmp: (a: T, b: T) => number): T[] {
  let strictlyIncreasing = true;
  for (let i = 1; i < items.length && strictlyIncreasing; i++)
    strictlyIncreasing = cmp(items[i - 1], items[i]) < 0;
  if (strictlyIncreasing) return items;
  const sorted = [...items].sort(cmp); // Array#sort is stable.
  const out: T[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i + 1 < sorted.length && cmp(sorted[i], sorted[i + 1]) === 0) continue;
    out.push(sorted[i]);
  }
  return out;
}

/**
 * A recursive type (XCM's `Xcm` inside its own instructions). `maxDepth` bounds nesting on decode so hostile input
 * cannot exhaust the stack (xcm uses a decode depth limit the same way).
 */
export function lazy<T>(get: () => Codec<T>, maxDepth = 64): Codec<T> {
  let inner: Codec<T> | undefined;
  const codec = () => {
    inner ??= get();
    return inner;
  };
  return new Codec<T>(
    (w, v) => codec().write(w, v),
    (r) => {
      if (++r.depth > maxDepth) r.fail(`nesting deeper than ${maxDepth}`);
      const v = codec().read(r);
      r.depth--;
      return v;
    },
    () => codec().info,
    0,
    (a, b) => codec().compare(a, b),
  );
}

/**
 * A value SCALE-encoded and then wrapped as `Vec<u8>` (compact byte length, then the bytes), as Substrate's
 * `UncheckedExtrinsic` and `OpaqueExtrinsic` are. Decoding requires the inner value to fill the length exactly
 * (as `UncheckedExtrinsic::decode` checks "Invalid length prefix"). Metadata sees `Vec<u8>`; `.named()` it.
 */
export function lengthPrefixed<T>(inner: Codec<T>): Codec<T> {
  return new Codec<T>(
    (w, v) => {
      // Guess a two-byte prefix (lengths 64..16383, most extrinsics), then move the body if the guess was wrong.
      const at = w.length;
      w.reserve(2);
      w.length += 2;
      inner.write(w, v);
      const len = w.length - at - 2;
      const prefix = compactLength(len);
      if (prefix !== 2) {
        w.reserve(Math.max(prefix - 2, 0));
        w.buf.copyWithin(at + prefix, at + 2, w.length);
        w.length += prefix - 2;
      }
      writeCompact(w.buf, at, len);
    },
    (r) => {
      const len = readLength(r, 1, 'length-prefixed');
      const start = r.offset;
      const sub = new Reader(r.bytes.subarray(start, start + len));
      sub.depth = r.depth;
      let value: T;
      try {
        value = inner.read(sub);
      } catch (err) {
        if (err instanceof ScaleDecodeError)
          throw new ScaleDecodeError(err.message.replace(/ \(at byte \d+\)$/, ''), start + err.offset);
        throw err;
      }
      if (sub.offset !== len)
        throw new ScaleDecodeError(
          `length prefix says ${len} bytes, the value took ${sub.offset}`,
          start + sub.offset,
        );
      r.offset = start + len;
      return value;
    },
    () => anon({ kind: 'sequence', of: u8 }),
    1,
  );
}
