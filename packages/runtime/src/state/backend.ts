/** What the overlay reads through to: the trie at the parent block's root (node side) or an in-memory map (tests). */
export interface StateBackend {
  get(key: Uint8Array): Uint8Array | undefined;
  /** The first key strictly greater than `key`, in byte order. */
  nextKey(key: Uint8Array): Uint8Array | undefined;
  /** Optional fast path: `get` by latin1 key string (see keys.ts), saving a bytes round trip per miss. */
  getK?(key: string): Uint8Array | undefined;
}
