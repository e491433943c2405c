/**
 * Typed storage items with FRAME's key layout: twox128(pallet) ++ twox128(item) ++ hasher(encode(key)) per key.
 * Values live in the ambient state (env.ts). Query kinds:
 *  - OptionQuery (no `default`): `get` returns `V | undefined`, metadata modifier Optional, default bytes 0x00;
 *  - ValueQuery (`default` given): `get` returns the default when absent, metadata modifier Default.
 */
import { hashKey, isTransparentHasher, StorageHasher, twox128 } from '../crypto/index.ts';
import type { AnyCodec, Codec } from '../scale/codec.ts';
import { type OptionValue, tuple } from '../scale/composite.ts';
import { ScaleDefinitionError } from '../scale/errors.ts';
import { Writer } from '../scale/io.ts';
import { type KeyString, keyFromString, keyToString } from '../state/keys.ts';
import { state } from './env.ts';

export { StorageHasher };

export type Hasher = keyof typeof StorageHasher;

export class StorageDecodeError extends Error {
  override name = 'StorageDecodeError';
}

/** What metadata needs to describe one storage entry. */
export interface StorageEntryInfo {
  name: string;
  docs: string[];
  modifier: 'Optional' | 'Default';
  /** Plain items: the value type. Maps: hashers, key type (a tuple for several keys) and value type. */
  kind:
    | { type: 'Plain'; value: AnyCodec }
    | { type: 'Map'; hashers: Hasher[]; key: AnyCodec; value: AnyCodec };
  default: Uint8Array;
}

export interface StorageItemOptions<V> {
  docs?: string[];
  /** Makes it a ValueQuery: `get` returns this when nothing is stored. */
  default?: V;
}

const textEncoder = new TextEncoder();

// One scratch writer for all storage encodes (runtime code is synchronous and encodes do not nest): values are
// written without growing a fresh buffer each time, then copied out at their exact size.
const scratch = new Writer(4096);
function encodeValue<V>(codec: Codec<V>, v: V): Uint8Array {
  scratch.length = 0;
  codec.write(scratch, v);
  return scratch.buf.slice(0, scratch.length);
}

/** Bound on each single-key map's key cache (hot accounts are hashed once, not on every access). */
const KEY_CACHE_LIMIT = 1 << 14;

abstract class StorageItemBase<V> {
  #prefix: KeyString | undefined;
  readonly docs: string[];
  protected readonly defaultBytes: Uint8Array | undefined;
  /**
   * An OptionQuery over a type whose value is `undefined` (`()`, an `Option`): `get` returns `null` for a stored
   * entry and `undefined` for none, as `option()` does (FRAME's `StorageMap<K, ()>` sets, `Option<Option<T>>`).
   */
  protected readonly someOfNothing: boolean;

  constructor(
    readonly pallet: string,
    readonly name: string,
    readonly value: Codec<V>,
    opts: StorageItemOptions<V>,
  ) {
    this.docs = opts.docs ?? [];
    this.defaultBytes = opts.default === undefined ? undefined : value.encode(opts.default);
    if (!this.defaultBytes && value.nothing === 'null-and-undefined') {
      throw new ScaleDefinitionError(
        `${pallet}.${name}: an OptionQuery over a value that is already null or undefined (Option<Option<_>>, Option<()>) has no JS form; give it a default`,
      );
    }
    this.someOfNothing = !this.defaultBytes && value.nothing === 'undefined';
  }

  /** twox128(pallet) ++ twox128(item) as a latin1 key string. */
  get prefixK(): KeyString {
    this.#prefix ??= keyToString(
      concatBytes(twox128(textEncoder.encode(this.pallet)), twox128(textEncoder.encode(this.name))),
    );
    return this.#prefix;
  }

  get prefix(): Uint8Array {
    return keyFromString(this.prefixK);
  }

  protected read(key: KeyString): V | null | undefined {
    const raw = state().getK(key);
    if (raw !== undefined) return this.decode(raw, key);
    return this.defaultBytes ? this.value.decode(this.defaultBytes) : undefined;
  }

  /** A stored value (`null` for a stored `()` under OptionQuery, see `someOfNothing`). */
  protected decode(raw: Uint8Array, key: KeyString): V {
    try {
      const v = this.value.decode(raw);
      return (this.someOfNothing && v === undefined ? null : v) as V;
    } catch (err) {
      // Undecodable state is a runtime bug or corruption; FRAME would treat it as absent with an error log. We
      // surface it, naming the item, rather than silently pretending a balance is zero.
      throw new StorageDecodeError(
        `${this.pallet}.${this.name} at 0x${Buffer.from(key, 'latin1').toString('hex')}: ${(err as Error).message}`,
      );
    }
  }

  /**
   * Stores `v`. `undefined` removes the entry, except for a type whose value is `undefined` (`()`), which is
   * stored as such (an empty value exists, as in Substrate); `null` is Some of such a type (see `someOfNothing`).
   */
  protected write(key: KeyString, v: V | null | undefined): void {
    if (v === undefined && this.value.nothing === 'never') state().deleteK(key);
    else state().setK(key, encodeValue(this.value, (v === null && this.someOfNothing ? undefined : v) as V));
  }

  protected mutateKey(key: KeyString, fn: (v: any) => any): V | null | undefined {
    const current = this.read(key);
    const returned = fn(current);
    // ValueQuery: in-place mutation of the value is kept when fn returns nothing. OptionQuery: the returned value
    // is stored, undefined removes.
    const next = returned !== undefined ? returned : this.defaultBytes ? current : undefined;
    if (next === undefined && !this.defaultBytes) state().deleteK(key);
    else this.write(key, next);
    return next;
  }

  abstract entryInfo(): StorageEntryInfo;

  protected modifier(): 'Optional' | 'Default' {
    return this.defaultBytes ? 'Default' : 'Optional';
  }

  protected metadataDefault(): Uint8Array {
    return this.defaultBytes ?? new Uint8Array([0]);
  }

  /** Removes every key of this item (all map entries); returns how many were removed. */
  clear(limit?: number): { deleted: number; complete: boolean } {
    return state().clearPrefixK(this.prefixK, limit);
  }
}

/** `StorageValue`. `R` is what `get` returns: `V` for ValueQuery, `V | undefined` for OptionQuery. */
export class StorageValue<V, R extends V | null | undefined = V | undefined> extends StorageItemBase<V> {
  get(): R {
    return this.read(this.prefixK) as R;
  }
  set(v: V): void {
    this.write(this.prefixK, v);
  }
  exists(): boolean {
    return state().hasK(this.prefixK);
  }
  kill(): void {
    state().deleteK(this.prefixK);
  }
  take(): R {
    const v = this.get();
    this.kill();
    return v;
  }
  /** See StorageItemBase.mutateKey for the return-value rule. Nothing is written if `fn` throws. */
  mutate(fn: (v: R) => V | R | undefined | void): R {
    return this.mutateKey(this.prefixK, fn) as R;
  }
  tryMutate(fn: (v: R) => V | R | undefined | void): R {
    return this.mutate(fn);
  }
  /** Appends one item to a `Vec` value without decoding it (`StorageValue::append`). */
  append(item: Uint8Array): void {
    state().appendK(this.prefixK, item);
  }
  /** The full storage key. */
  key(): Uint8Array {
    return this.prefix;
  }
  entryInfo(): StorageEntryInfo {
    return {
      name: this.name,
      docs: this.docs,
      modifier: this.modifier(),
      kind: { type: 'Plain', value: this.value },
      default: this.metadataDefault(),
    };
  }
}

type KeySpec = readonly [hasher: Hasher, codec: AnyCodec];

/** Shared by map, double map and n-map: `K` is the tuple of key parts. */
export class StorageNMap<
  K extends readonly unknown[],
  V,
  R extends V | null | undefined = V | undefined,
> extends StorageItemBase<V> {
  readonly #hashers: StorageHasher[];

  constructor(
    pallet: string,
    name: string,
    readonly keys: readonly KeySpec[],
    value: Codec<V>,
    opts: StorageItemOptions<V>,
  ) {
    super(pallet, name, value, opts);
    this.#hashers = keys.map(([h]) => StorageHasher[h]);
  }

  readonly #keyCache = new Map<KeyString, KeyString>();

  /** The latin1 key string of the entry at `parts`. */
  keyK(parts: K): KeyString {
    if (this.keys.length === 1) {
      // Hashing dominates key cost (blake2 ~1.5 µs); the encoded key identifies the result.
      const encoded = keyToString(encodeValue(this.keys[0][1], parts[0]));
      let k = this.#keyCache.get(encoded);
      if (k === undefined) {
        k = this.prefixK + keyToString(hashKey(this.#hashers[0], keyFromString(encoded)));
        if (this.#keyCache.size >= KEY_CACHE_LIMIT) this.#keyCache.clear();
        this.#keyCache.set(encoded, k);
      }
      return k;
    }
    let k = this.prefixK;
    for (let i = 0; i < this.keys.length; i++) {
      k += keyToString(hashKey(this.#hashers[i], this.keys[i][1].encode(parts[i])));
    }
    return k;
  }

  keyOf(parts: K): Uint8Array {
    return keyFromString(this.keyK(parts));
  }

  /** Key prefix of all entries whose first `parts.length` keys are `parts` (for iterating/clearing a subtree). */
  prefixOf(parts: readonly unknown[]): KeyString {
    let k = this.prefixK;
    for (let i = 0; i < parts.length; i++) {
      k += keyToString(hashKey(this.#hashers[i], this.keys[i][1].encode(parts[i])));
    }
    return k;
  }

  getAt(parts: K): R {
    return this.read(this.keyK(parts)) as R;
  }
  setAt(parts: K, v: V): void {
    this.write(this.keyK(parts), v);
  }
  removeAt(parts: K): void {
    state().deleteK(this.keyK(parts));
  }
  containsAt(parts: K): boolean {
    return state().hasK(this.keyK(parts));
  }
  takeAt(parts: K): R {
    const k = this.keyK(parts);
    const v = this.read(k) as R;
    state().deleteK(k);
    return v;
  }
  mutateAt(parts: K, fn: (v: R) => V | R | undefined | void): R {
    return this.mutateKey(this.keyK(parts), fn) as R;
  }
  appendAt(parts: K, item: Uint8Array): void {
    state().appendK(this.keyK(parts), item);
  }

  /** Decodes the key parts of a full storage key (all hashers must be transparent). */
  decodeKey(key: KeyString): K {
    const bytes = keyFromString(key);
    const out: unknown[] = [];
    let offset = this.prefixK.length;
    for (let i = 0; i < this.keys.length; i++) {
      const h = this.#hashers[i];
      if (!isTransparentHasher(h))
        throw new StorageDecodeError(`${this.pallet}.${this.name}: hasher ${this.keys[i][0]} hides its key`);
      offset += h === StorageHasher.Blake2_128Concat ? 16 : h === StorageHasher.Twox64Concat ? 8 : 0;
      const [v, next] = this.keys[i][1].decodeAt(bytes, offset);
      out.push(v);
      offset = next;
    }
    return out as unknown as K;
  }

  /** Entries under `parts` (a key prefix, possibly empty), in storage key order. */
  *entriesUnder(parts: readonly unknown[] = []): Generator<[K, V]> {
    for (const k of state().keysWithPrefixK(this.prefixOf(parts))) {
      yield [this.decodeKey(k), this.decode(state().getK(k)!, k)];
    }
  }

  *keysUnder(parts: readonly unknown[] = []): Generator<K> {
    for (const k of state().keysWithPrefixK(this.prefixOf(parts))) yield this.decodeKey(k);
  }

  *valuesUnder(parts: readonly unknown[] = []): Generator<V> {
    for (const k of state().keysWithPrefixK(this.prefixOf(parts))) yield this.decode(state().getK(k)!, k);
  }

  clearUnder(parts: readonly unknown[], limit?: number): { deleted: number; complete: boolean } {
    return state().clearPrefixK(this.prefixOf(parts), limit);
  }

  entryInfo(): StorageEntryInfo {
    const key = this.keys.length === 1 ? this.keys[0][1] : tuple(...this.keys.map(([, c]) => c));
    return {
      name: this.name,
      docs: this.docs,
      modifier: this.modifier(),
      kind: { type: 'Map', hashers: this.keys.map(([h]) => h), key, value: this.value },
      default: this.metadataDefault(),
    };
  }
}

/** `StorageMap`: one hashed key. */
export class StorageMap<K, V, R extends V | null | undefined = V | undefined> extends StorageNMap<[K], V, R> {
  get(k: K): R {
    return this.getAt([k]);
  }
  set(k: K, v: V): void {
    this.setAt([k], v);
  }
  insert(k: K, v: V): void {
    this.setAt([k], v);
  }
  remove(k: K): void {
    this.removeAt([k]);
  }
  contains(k: K): boolean {
    return this.containsAt([k]);
  }
  take(k: K): R {
    return this.takeAt([k]);
  }
  mutate(k: K, fn: (v: R) => V | R | undefined | void): R {
    return this.mutateAt([k], fn);
  }
  tryMutate(k: K, fn: (v: R) => V | R | undefined | void): R {
    return this.mutateAt([k], fn);
  }
  append(k: K, item: Uint8Array): void {
    this.appendAt([k], item);
  }
  key(k: K): Uint8Array {
    return this.keyOf([k]);
  }
  *iter(): Generator<[K, V]> {
    for (const [[k], v] of this.entriesUnder()) yield [k, v];
  }
  *iterKeys(): Generator<K> {
    for (const [k] of this.keysUnder()) yield k;
  }
  iterValues(): Generator<V> {
    return this.valuesUnder();
  }
}

/** `StorageDoubleMap`: two hashed keys; iterate all, or all under a first key with `iterPrefix`. */
export class StorageDoubleMap<K1, K2, V, R extends V | null | undefined = V | undefined> extends StorageNMap<
  [K1, K2],
  V,
  R
> {
  get(k1: K1, k2: K2): R {
    return this.getAt([k1, k2]);
  }
  set(k1: K1, k2: K2, v: V): void {
    this.setAt([k1, k2], v);
  }
  insert(k1: K1, k2: K2, v: V): void {
    this.setAt([k1, k2], v);
  }
  remove(k1: K1, k2: K2): void {
    this.removeAt([k1, k2]);
  }
  contains(k1: K1, k2: K2): boolean {
    return this.containsAt([k1, k2]);
  }
  take(k1: K1, k2: K2): R {
    return this.takeAt([k1, k2]);
  }
  mutate(k1: K1, k2: K2, fn: (v: R) => V | R | undefined | void): R {
    return this.mutateAt([k1, k2], fn);
  }
  tryMutate(k1: K1, k2: K2, fn: (v: R) => V | R | undefined | void): R {
    return this.mutateAt([k1, k2], fn);
  }
  key(k1: K1, k2: K2): Uint8Array {
    return this.keyOf([k1, k2]);
  }
  iter(): Generator<[[K1, K2], V]> {
    return this.entriesUnder();
  }
  iterKeys(): Generator<[K1, K2]> {
    return this.keysUnder();
  }
  /** Entries with first key `k1`: [k2, value]. */
  *iterPrefix(k1: K1): Generator<[K2, V]> {
    for (const [[, k2], v] of this.entriesUnder([k1])) yield [k2, v];
  }
  clearPrefix(k1: K1, limit?: number): { deleted: number; complete: boolean } {
    return this.clearUnder([k1], limit);
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Storage item constructors bound to one pallet's storage prefix. Overloads make `get` return `V` when a
 * `default` is given (ValueQuery) and `V | undefined` otherwise (OptionQuery).
 */
export function storageBuilders(pallet: string) {
  function value<V>(
    name: string,
    codec: Codec<V>,
    opts: StorageItemOptions<V> & { default: V },
  ): StorageValue<V, V>;
  function value<V>(
    name: string,
    codec: Codec<V>,
    opts?: StorageItemOptions<V>,
  ): StorageValue<V, OptionValue<V>>;
  function value<V>(name: string, codec: Codec<V>, opts: StorageItemOptions<V> = {}) {
    return new StorageValue<V>(pallet, name, codec, opts);
  }
  function map<K, V>(
    name: string,
    key: readonly [Hasher, Codec<K>],
    codec: Codec<V>,
    opts: StorageItemOptions<V> & { default: V },
  ): StorageMap<K, V, V>;
  function map<K, V>(
    name: string,
    key: readonly [Hasher, Codec<K>],
    codec: Codec<V>,
    opts?: StorageItemOptions<V>,
  ): StorageMap<K, V, OptionValue<V>>;
  function map<K, V>(
    name: string,
    key: readonly [Hasher, Codec<K>],
    codec: Codec<V>,
    opts: StorageItemOptions<V> = {},
  ) {
    return new StorageMap<K, V>(pallet, name, [key], codec, opts);
  }
  function doubleMap<K1, K2, V>(
    name: string,
    key1: readonly [Hasher, Codec<K1>],
    key2: readonly [Hasher, Codec<K2>],
    codec: Codec<V>,
    opts: StorageItemOptions<V> & { default: V },
  ): StorageDoubleMap<K1, K2, V, V>;
  function doubleMap<K1, K2, V>(
    name: string,
    key1: readonly [Hasher, Codec<K1>],
    key2: readonly [Hasher, Codec<K2>],
    codec: Codec<V>,
    opts?: StorageItemOptions<V>,
  ): StorageDoubleMap<K1, K2, V, OptionValue<V>>;
  function doubleMap<K1, K2, V>(
    name: string,
    key1: readonly [Hasher, Codec<K1>],
    key2: readonly [Hasher, Codec<K2>],
    codec: Codec<V>,
    opts: StorageItemOptions<V> = {},
  ) {
    return new StorageDoubleMap<K1, K2, V>(pallet, name, [key1, key2], codec, opts);
  }
  function nMap<const Ks extends readonly (readonly [Hasher, AnyCodec])[], V>(
    name: string,
    keys: Ks,
    codec: Codec<V>,
    opts: StorageItemOptions<V> & { default: V },
  ): StorageNMap<NKeys<Ks>, V, V>;
  function nMap<const Ks extends readonly (readonly [Hasher, AnyCodec])[], V>(
    name: string,
    keys: Ks,
    codec: Codec<V>,
    opts?: StorageItemOptions<V>,
  ): StorageNMap<NKeys<Ks>, V, OptionValue<V>>;
  function nMap<V>(
    name: string,
    keys: readonly KeySpec[],
    codec: Codec<V>,
    opts: StorageItemOptions<V> = {},
  ) {
    return new StorageNMap<any, V>(pallet, name, keys, codec, opts);
  }
  return { value, map, doubleMap, nMap };
}

type NKeys<Ks extends readonly (readonly [Hasher, AnyCodec])[]> = {
  -readonly [I in keyof Ks]: Ks[I][1] extends Codec<infer T> ? T : never;
};

export type AnyStorageItem = StorageValue<any, any> | StorageNMap<any, any, any>;
