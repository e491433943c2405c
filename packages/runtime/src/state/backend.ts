/** What the overlay reads through to: the trie at the parent block's root (node side) or an in-memory map (tests). */
export interface StateBackend {
  get(key: Uint8Array): Uint8Array | undefined;
  /** The first key strictly greater than `key`, in byte order. */
  nextKey(key: Uint8Array): Uint8Array | undefined;
}
