/**
 * The block's pending state changes over a read-only backend, with nested transactions (FRAME's storage layers).
 *
 * One map holds the current value of every touched key; each open transaction keeps an undo log of the values it
 * replaced, so reads are a single Map lookup at any depth and a rollback touches only the keys its layer wrote.
 * `append` keeps SCALE `Vec`s (System.Events) as a growing item list so depositing an event never re-copies the
 * block's earlier events, exactly what `sp_io::storage::append` exists for.
 */
import { readCompact, writeCompact } from '../scale/compact.ts';
import type { StateBackend } from './backend.ts';
import { type KeyString, keyFromString, keyToString, prefixEnd } from './keys.ts';

/** A SCALE `Vec` under construction: the encoded items already present, then the appended ones. */
class AppendValue {
  cache: Uint8Array | undefined;
  constructor(
    readonly baseBody: Uint8Array,
    readonly baseCount: number,
    readonly items: Uint8Array[],
  ) {}

  materialize(): Uint8Array {
    if (this.cache) return this.cache;
    const count = this.baseCount + this.items.length;
    let size = this.baseBody.length;
    for (const item of this.items) size += item.length;
    const out = new Uint8Array(size + 5);
    let o = writeCompact(out, 0, count);
    out.set(this.baseBody, o);
    o += this.baseBody.length;
    for (const item of this.items) {
      out.set(item, o);
      o += item.length;
    }
    this.cache = out.subarray(0, o);
    return this.cache;
  }
}

type Slot = Uint8Array | null | AppendValue;
/** `prev` undefined: the key was untouched before this layer. `len`: item count of a previous AppendValue. */
type Undo = { prev: Slot | undefined; len: number };

export class TransactionError extends Error {
  override name = 'TransactionError';
}

export class Overlay {
  readonly #changes = new Map<KeyString, Slot>();
  readonly #layers: Map<KeyString, Undo>[] = [];
  /** Sorted touched keys (may hold keys a rollback removed; iteration skips them) plus keys not yet merged in. */
  #sorted: KeyString[] = [];
  #pending: KeyString[] = [];

  constructor(readonly backend: StateBackend) {}

  // ---- reads and writes -------------------------------------------------------------------------------------

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getK(keyToString(key));
  }

  /** `get` by latin1 key string (see keys.ts), the form pallet storage items use. */
  getK(key: KeyString): Uint8Array | undefined {
    const slot = this.#changes.get(key);
    if (slot === undefined) return this.#backendGet(key);
    if (slot === null) return undefined;
    if (slot instanceof Uint8Array) return slot;
    return slot.materialize();
  }

  has(key: Uint8Array): boolean {
    return this.getK(keyToString(key)) !== undefined;
  }

  hasK(key: KeyString): boolean {
    const slot = this.#changes.get(key);
    if (slot === undefined) return this.#backendGet(key) !== undefined;
    return slot !== null;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.setK(keyToString(key), value);
  }

  /** Stores `value` (the overlay keeps the reference: do not mutate it afterwards). */
  setK(key: KeyString, value: Uint8Array): void {
    this.#write(key, value);
  }

  delete(key: Uint8Array): void {
    this.#write(keyToString(key), null);
  }

  deleteK(key: KeyString): void {
    this.#write(key, null);
  }

  /**
   * Appends one SCALE-encoded item to the `Vec` stored at `key` (bumping its compact length). A missing or
   * undecodable value starts a new vector, as `sp_io::storage::append` does.
   */
  appendK(key: KeyString, item: Uint8Array): void {
    const slot = this.#changes.get(key);
    if (slot instanceof AppendValue) {
      this.#record(key, slot);
      slot.items.push(item);
      slot.cache = undefined;
      return;
    }
    const current = slot === undefined ? this.#backendGet(key) : slot;
    let next: AppendValue;
    if (current) {
      try {
        const [count, offset] = readCompact(current, 0);
        next = new AppendValue(current.subarray(offset), Number(count), [item]);
      } catch {
        next = new AppendValue(new Uint8Array(0), 0, [item]);
      }
    } else next = new AppendValue(new Uint8Array(0), 0, [item]);
    this.#write(key, next);
  }

  append(key: Uint8Array, item: Uint8Array): void {
    this.appendK(keyToString(key), item);
  }

  #backendGet(key: KeyString): Uint8Array | undefined {
    return this.backend.getK ? this.backend.getK(key) : this.backend.get(keyFromString(key));
  }

  #write(key: KeyString, value: Slot): void {
    const prev = this.#changes.get(key);
    if (this.#layers.length > 0) this.#record(key, prev);
    if (prev === undefined) this.#pending.push(key);
    this.#changes.set(key, value);
  }

  #record(key: KeyString, prev: Slot | undefined): void {
    const top = this.#layers.length;
    if (top === 0) return;
    const layer = this.#layers[top - 1];
    if (!layer.has(key)) layer.set(key, { prev, len: prev instanceof AppendValue ? prev.items.length : 0 });
  }

  // ---- transactions -----------------------------------------------------------------------------------------

  get transactionDepth(): number {
    return this.#layers.length;
  }

  startTransaction(): void {
    this.#layers.push(new Map());
  }

  /** Keeps the layer's writes, folding its undo log into the enclosing layer (if any). */
  commitTransaction(): void {
    const layer = this.#layers.pop();
    if (!layer) throw new TransactionError('commitTransaction without an open transaction');
    const parent = this.#layers.at(-1);
    if (!parent) return;
    for (const [key, undo] of layer) if (!parent.has(key)) parent.set(key, undo);
  }

  /** Discards every write made since the matching `startTransaction`. */
  rollbackTransaction(): void {
    const layer = this.#layers.pop();
    if (!layer) throw new TransactionError('rollbackTransaction without an open transaction');
    for (const [key, { prev, len }] of layer) {
      if (prev === undefined) this.#changes.delete(key);
      else {
        if (prev instanceof AppendValue && prev.items.length !== len) {
          prev.items.length = len;
          prev.cache = undefined;
        }
        this.#changes.set(key, prev);
      }
    }
  }

  /** Runs `fn` in a transaction: its writes are kept if it returns, discarded if it throws (then rethrows). */
  transactional<T>(fn: () => T): T {
    this.startTransaction();
    const depth = this.#layers.length;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      // A callee that left inner layers open is a bug; unwind them too so the outer state stays consistent.
      while (this.#layers.length >= depth) this.rollbackTransaction();
      throw err;
    }
    while (this.#layers.length > depth) this.commitTransaction();
    this.commitTransaction();
    return result;
  }

  // ---- iteration --------------------------------------------------------------------------------------------

  /** The first existing key strictly after `key` in byte order, merging the overlay and the backend. */
  nextKeyK(key: KeyString): KeyString | undefined {
    const sorted = this.#sortedKeys();
    let cur = key;
    let oi = upperBound(sorted, cur);
    let backendNext: KeyString | undefined | null = null; // null: not fetched for `cur` yet
    for (;;) {
      while (oi < sorted.length && (sorted[oi] <= cur || this.#changes.get(sorted[oi]) === undefined)) oi++;
      const o = oi < sorted.length ? sorted[oi] : undefined;
      if (backendNext === null || (backendNext !== undefined && backendNext <= cur)) {
        const b = this.backend.nextKey(keyFromString(cur));
        backendNext = b === undefined ? undefined : keyToString(b);
      }
      const b = backendNext;
      const cand = o === undefined ? b : b === undefined ? o : o < b ? o : b;
      if (cand === undefined) return undefined;
      if (this.#changes.get(cand) === null) {
        cur = cand;
        continue;
      }
      return cand;
    }
  }

  nextKey(key: Uint8Array): Uint8Array | undefined {
    const k = this.nextKeyK(keyToString(key));
    return k === undefined ? undefined : keyFromString(k);
  }

  /** Existing keys starting with `prefix`, in order (including `prefix` itself if it is a key). */
  *keysWithPrefixK(prefix: KeyString): Generator<KeyString> {
    const end = prefixEnd(prefix);
    if (this.hasK(prefix)) yield prefix;
    let k = this.nextKeyK(prefix);
    while (k !== undefined && (end === undefined || k < end)) {
      yield k;
      k = this.nextKeyK(k);
    }
  }

  *entriesWithPrefix(prefix: Uint8Array): Generator<[Uint8Array, Uint8Array]> {
    for (const k of this.keysWithPrefixK(keyToString(prefix))) yield [keyFromString(k), this.getK(k)!];
  }

  /**
   * Deletes keys starting with `prefix`, at most `limit` of them (as `sp_io::storage::clear_prefix`). Returns how
   * many were deleted and whether keys remain.
   */
  clearPrefixK(prefix: KeyString, limit = Number.POSITIVE_INFINITY): { deleted: number; complete: boolean } {
    const keys: KeyString[] = [];
    let complete = true;
    for (const k of this.keysWithPrefixK(prefix)) {
      if (keys.length >= limit) {
        complete = false;
        break;
      }
      keys.push(k);
    }
    for (const k of keys) this.#write(k, null);
    return { deleted: keys.length, complete };
  }

  clearPrefix(prefix: Uint8Array, limit?: number): { deleted: number; complete: boolean } {
    return this.clearPrefixK(keyToString(prefix), limit);
  }

  #sortedKeys(): KeyString[] {
    if (this.#pending.length === 0) return this.#sorted;
    const fresh = this.#pending.sort();
    this.#pending = [];
    const old = this.#sorted;
    const merged: KeyString[] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < fresh.length) {
      const next = j >= fresh.length || (i < old.length && old[i] <= fresh[j]) ? old[i++] : fresh[j++];
      if (merged.length === 0 || merged[merged.length - 1] !== next) merged.push(next);
    }
    this.#sorted = merged;
    return merged;
  }

  // ---- block end --------------------------------------------------------------------------------------------

  /** The net changes so far (key order; null = deleted), without clearing them: e.g. to compute a state root. */
  changes(): Array<[Uint8Array, Uint8Array | null]> {
    const out: Array<[Uint8Array, Uint8Array | null]> = [];
    for (const k of this.#sortedKeys()) {
      const slot = this.#changes.get(k);
      if (slot === undefined) continue;
      out.push([keyFromString(k), slot instanceof AppendValue ? slot.materialize() : slot]);
    }
    return out;
  }

  /** The block's net changes for the trie/DB, leaving the overlay empty. No transaction may be open. */
  drainChanges(): Array<[Uint8Array, Uint8Array | null]> {
    if (this.#layers.length > 0)
      throw new TransactionError(`drainChanges with ${this.#layers.length} open transactions`);
    const out = this.changes();
    this.#changes.clear();
    this.#sorted = [];
    this.#pending = [];
    return out;
  }
}

function upperBound(sorted: KeyString[], key: KeyString): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
