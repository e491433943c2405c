/** A sorted in-memory `StateBackend` for tests and genesis; also a sink for `Overlay.drainChanges()`. */
import type { StateBackend } from './backend.ts';
import { type KeyString, keyFromString, keyToString } from './keys.ts';

export class MemoryBackend implements StateBackend {
  readonly #values = new Map<KeyString, Uint8Array>();
  #sorted: KeyString[] | undefined;

  constructor(entries: Iterable<[Uint8Array, Uint8Array]> = []) {
    for (const [k, v] of entries) this.#values.set(keyToString(k), v);
  }

  get size(): number {
    return this.#values.size;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.#values.get(keyToString(key));
  }

  getK(key: KeyString): Uint8Array | undefined {
    return this.#values.get(key);
  }

  nextKey(key: Uint8Array): Uint8Array | undefined {
    const sorted = this.#keys();
    const k = keyToString(key);
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= k) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length ? keyFromString(sorted[lo]) : undefined;
  }

  /** Applies net changes (value, or null to delete), as `Overlay.drainChanges()` returns them. */
  apply(changes: Iterable<[Uint8Array, Uint8Array | null]>): void {
    for (const [k, v] of changes) {
      const ks = keyToString(k);
      if (v === null) {
        if (this.#values.delete(ks)) this.#sorted = undefined;
      } else {
        if (!this.#values.has(ks)) this.#sorted = undefined;
        this.#values.set(ks, v);
      }
    }
  }

  *entries(): IterableIterator<[Uint8Array, Uint8Array]> {
    for (const k of this.#keys()) yield [keyFromString(k), this.#values.get(k)!];
  }

  #keys(): KeyString[] {
    this.#sorted ??= [...this.#values.keys()].sort();
    return this.#sorted;
  }
}
