/**
 * Codec builders XCM needs beyond the scale DSL: tuple structs under their own path, `BoundedVec`s that descend
 * one nesting level as parity-scale-codec does, late-bound recursion without a depth of its own (the XCM limits
 * in limits.ts bound it), `Junctions` as plain JS arrays, and `Xcm` itself.
 */
import { type AnyCodec, Codec } from '../scale/codec.ts';
import { ScaleEncodeError } from '../scale/errors.ts';
import type { Reader, Writer } from '../scale/io.ts';
import { bytes, readLength, u8, writeLength } from '../scale/primitives.ts';
import type { FieldInfo, TypeInfo, VariantInfo } from '../scale/type-info.ts';
import { descending, readInstructions } from './limits.ts';

const info = (path: string[], def: TypeInfo['def'], params: TypeInfo['params'] = []): TypeInfo => ({
  path,
  params,
  def,
  docs: [],
});

/** A Rust tuple struct of one field (`AssetId(Location)`, `Assets(Vec<Asset>)`): the inner wire and JS form. */
export function newtype<T>(inner: Codec<T>, path: string[], typeName?: string): Codec<T> {
  const c = new Codec<T>(
    inner.write,
    inner.read,
    () => info(path, { kind: 'composite', fields: [{ type: inner, typeName }] }),
    inner.minLength,
    inner.compare,
  );
  c.nothing = inner.nothing;
  return c;
}

/** scale-info's `BoundedVec<T, S>`: a composite around `Vec<T>`. */
function boundedVecInfo(of: AnyCodec, vecCodec: AnyCodec): TypeInfo {
  return info(
    ['bounded_collections', 'bounded_vec', 'BoundedVec'],
    { kind: 'composite', fields: [{ type: vecCodec, typeName: 'Vec<T>' }] },
    [{ name: 'T', type: of }, { name: 'S' }],
  );
}

/** `BoundedVec<u8, S>`: decode refuses a length above `max` before reading the bytes (no nesting: u8 is primitive). */
export function boundedBytes(max: number): Codec<Uint8Array> {
  return new Codec<Uint8Array>(
    (w, v) => {
      if (v instanceof Uint8Array && v.length > max)
        throw new ScaleEncodeError(`BoundedVec<u8>: ${v.length} bytes exceed the bound ${max}`);
      bytes.write(w, v);
    },
    (r) => {
      const start = r.offset;
      const v = bytes.read(r);
      if (v.length > max) {
        r.offset = start;
        r.fail(`BoundedVec exceeds its limit: ${v.length} bytes > ${max}`);
      }
      return v;
    },
    () => boundedVecInfo(u8, bytes),
    1,
    bytes.compare,
  );
}

/** `Vec<T>` (or `BoundedVec<T, S>` when `max` is given) of non-primitive items: its items sit one nesting level down. */
export function nestedVec<T>(of: Codec<T>, max?: number): Codec<T[]> {
  const bound = max ?? Number.POSITIVE_INFINITY;
  const plain: Codec<T[]> = new Codec<T[]>(
    (w, v) => {
      if (!Array.isArray(v)) throw new ScaleEncodeError(`Vec: expected an array, got ${typeof v}`);
      if (v.length > bound)
        throw new ScaleEncodeError(`BoundedVec: ${v.length} items exceed the bound ${bound}`);
      writeLength(w, v.length);
      for (let i = 0; i < v.length; i++) of.write(w, v[i]);
    },
    (r) => readNestedItems(r, of, bound),
    () => info([], { kind: 'sequence', of }),
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
  if (max === undefined) return plain;
  return new Codec<T[]>(plain.write, plain.read, () => boundedVecInfo(of, plain), 1, plain.compare);
}

export function readNestedItems<T>(r: Reader, of: Codec<T>, bound: number): T[] {
  const start = r.offset;
  const n = readLength(r, of.minLength, 'Vec');
  if (n > bound) {
    r.offset = start;
    r.fail(`BoundedVec exceeds its limit: ${n} items > ${bound}`);
  }
  return descending(r, () => {
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = of.read(r);
    return out;
  });
}

/** A type defined in terms of itself (`Xcm` inside `Instruction`), bound late; no depth limit of its own. */
export function recursive<T>(get: () => Codec<T>): Codec<T> {
  let inner: Codec<T> | undefined;
  const c = () => (inner ??= get());
  return new Codec<T>(
    (w, v) => c().write(w, v),
    (r) => c().read(r),
    () => c().info,
    0,
    (a, b) => c().compare(a, b),
  );
}

/**
 * `Junctions` as a JS array of 0..8 junctions (`Here`, `X1`..`X8` on the wire: the variant index is the length).
 * V3 spells the variants as tuples (`X2(Junction, Junction)`); V4/V5 as `Xn(Arc<[Junction; n]>)`, and the `Arc`
 * is one nesting level on decode. Ordering is Rust's derived `Ord`: fewer junctions first, then item by item.
 */
export function junctionsCodec<J>(
  junction: Codec<J>,
  path: string[],
  style: 'tuple' | 'arc-array',
): Codec<J[]> {
  const arc = style === 'arc-array';
  const readItems = (r: Reader, n: number) => {
    const out = new Array<J>(n);
    for (let i = 0; i < n; i++) out[i] = junction.read(r);
    return out;
  };
  return new Codec<J[]>(
    (w: Writer, v: J[]) => {
      if (!Array.isArray(v))
        throw new ScaleEncodeError(`Junctions: expected an array of junctions, got ${typeof v}`);
      if (v.length > 8) throw new ScaleEncodeError(`Junctions: ${v.length} junctions, at most 8`);
      w.byte(v.length);
      for (let i = 0; i < v.length; i++) junction.write(w, v[i]);
    },
    (r: Reader) => {
      const n = r.byte('Junctions');
      if (n > 8) r.fail(`Junctions: unknown variant index ${n}`);
      if (n === 0) return [];
      return arc ? descending(r, () => readItems(r, n)) : readItems(r, n);
    },
    () => {
      const variants: VariantInfo[] = [{ name: 'Here', index: 0, fields: [] }];
      for (let n = 1; n <= 8; n++) {
        const fields: FieldInfo[] = arc
          ? [{ type: junctionArray(junction, n), typeName: `Arc<[Junction; ${n}]>` }]
          : Array.from({ length: n }, () => ({ type: junction, typeName: 'Junction' }));
        variants.push({ name: `X${n}`, index: n, fields });
      }
      return info(path, { kind: 'variant', variants });
    },
    1,
    (a, b) => {
      if (a.length !== b.length) return a.length - b.length;
      for (let i = 0; i < a.length; i++) {
        const c = junction.compare(a[i], b[i]);
        if (c !== 0) return c;
      }
      return 0;
    },
  );
}

function junctionArray(junction: AnyCodec, len: number): AnyCodec {
  return new Codec<unknown>(
    () => {
      throw new ScaleEncodeError('metadata-only type');
    },
    (r) => r.fail('metadata-only type'),
    info([], { kind: 'array', len, of: junction }),
    len,
  );
}

/** `Xcm<Call>(Vec<Instruction<Call>>)` with polkadot-sdk's decode: the shared instruction limit, one level down. */
export function xcmCodec<I>(instruction: Codec<I>, path: string[]): Codec<I[]> {
  const vecOfInstructions = nestedVec(instruction);
  return new Codec<I[]>(
    vecOfInstructions.write,
    (r) => {
      const n = readLength(r, instruction.minLength, 'Xcm');
      return readInstructions(r, n, instruction.read);
    },
    () =>
      info(
        path,
        { kind: 'composite', fields: [{ type: vecOfInstructions, typeName: 'Vec<Instruction<Call>>' }] },
        [{ name: 'Call' }],
      ),
    1,
    vecOfInstructions.compare,
  );
}
