/**
 * The codec type: one value describes how a Rust type is SCALE-encoded and how scale-info describes it.
 * Decoding untrusted bytes throws only `ScaleDecodeError`; `decode` insists on consuming the whole input.
 */
import { ScaleDecodeError, ScaleEncodeError } from './errors.ts';
import { Reader, Writer } from './io.ts';
import type { TypeInfo, TypeParam } from './type-info.ts';

let scratch: Writer | undefined;

export class Codec<T> {
  #info: TypeInfo | (() => TypeInfo);
  /**
   * Which of JS's two "nothing" values some decoded value of this type is: `()` decodes to `undefined`, and so
   * does an `Option`'s None. `option()` reads it to keep `Option<()>` and `Option<Option<T>>` unambiguous.
   */
  nothing: 'never' | 'undefined' | 'null-and-undefined' = 'never';

  constructor(
    readonly write: (w: Writer, value: T) => void,
    readonly read: (r: Reader) => T,
    info: TypeInfo | (() => TypeInfo),
    /** Fewest bytes any value of this type encodes to; bounds decoded lengths against the input size. */
    readonly minLength: number,
    /** Total order matching Rust's derived `Ord`, used to encode BTreeMap/BTreeSet in key order. */
    readonly compare: (a: T, b: T) => number = compareEncoded,
  ) {
    this.#info = info;
  }

  get info(): TypeInfo {
    if (typeof this.#info === 'function') this.#info = this.#info();
    return this.#info;
  }

  /** Throws only `ScaleEncodeError` (a value of the wrong shape or range, or nesting too deep for the stack). */
  encode(value: T): Uint8Array {
    // Reuse one grown buffer across calls; a nested encode (inside a `map`) finds it taken and makes its own.
    let w = scratch;
    if (w) scratch = undefined;
    else w = new Writer(256);
    w.length = 0;
    try {
      this.writeChecked(w, value);
      return w.finish();
    } finally {
      if (w.buf.length <= 1 << 20) scratch = w;
    }
  }

  /** `write` with any non-SCALE exception (a TypeError from a value of the wrong shape) made an encode error. */
  writeChecked(w: Writer, value: T): void {
    try {
      this.write(w, value);
    } catch (err) {
      if (err instanceof ScaleEncodeError) throw err;
      throw new ScaleEncodeError(`cannot encode value: ${(err as Error)?.message ?? String(err)}`, {
        cause: err,
      });
    }
  }

  /** Decodes exactly `bytes`; trailing bytes are an error (as `DecodeAll`). */
  decode(bytes: Uint8Array): T {
    const r = new Reader(bytes);
    const value = this.readChecked(r);
    if (r.offset !== bytes.length)
      throw new ScaleDecodeError(`${bytes.length - r.offset} trailing bytes`, r.offset);
    return value;
  }

  /** Decodes one value at `offset`, returning it and the offset after it. */
  decodeAt(bytes: Uint8Array, offset = 0): [T, number] {
    if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length)
      throw new ScaleDecodeError(`offset ${offset} outside the input`, 0);
    const r = new Reader(bytes);
    r.offset = offset;
    const value = this.readChecked(r);
    return [value, r.offset];
  }

  /** `read` with any non-SCALE exception (RangeError from hostile input, TextDecoder errors) made a decode error. */
  readChecked(r: Reader): T {
    try {
      return this.read(r);
    } catch (err) {
      if (err instanceof ScaleDecodeError) throw err;
      throw new ScaleDecodeError(`malformed input: ${(err as Error)?.message ?? String(err)}`, r.offset);
    }
  }

  /** The same wire format under a Rust path (and docs/params), so metadata names it. A new registry entry. */
  named(path: string[], extra: { docs?: string[]; params?: TypeParam[] } = {}): Codec<T> {
    const named = new Codec(
      this.write,
      this.read,
      () => ({
        ...this.info,
        path,
        docs: extra.docs ?? this.info.docs,
        params: extra.params ?? this.info.params,
      }),
      this.minLength,
      this.compare,
    );
    named.nothing = this.nothing;
    return named;
  }

  /** The same wire format with another JS representation (e.g. a branded id over `u32`). */
  map<U>(to: (t: T) => U, from: (u: U) => T): Codec<U> {
    const { write, read, compare } = this;
    return new Codec<U>(
      (w, v) => write(w, from(v)),
      (r) => to(read(r)),
      () => this.info,
      this.minLength,
      (a, b) => compare(from(a), from(b)),
    );
  }
}

// Codecs of any value type are stored together (registries, enum variants).
export type AnyCodec = Codec<any>;
export type Infer<C> = C extends Codec<infer T> ? T : never;

function compareEncoded(): number {
  throw new Error('this type has no ordering; it cannot be a BTreeMap/BTreeSet key');
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
