/**
 * The runtime's state backend over an in-memory storage trie: what the executive reads through while it builds or
 * re-executes a block on top of a parent state.
 */
import type { Overlay, StateBackend } from '@xstorage/runtime/state';
import type { StateVersion, Trie } from '@xstorage/runtime/trie';

export class TrieBackend implements StateBackend {
  constructor(readonly trie: Trie) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.trie.get(key);
  }

  nextKey(key: Uint8Array): Uint8Array | undefined {
    return this.trie.nextKey(key);
  }
}

/**
 * `sp_io::storage::root` for an overlay over a `TrieBackend`: a path-copying clone of the parent trie with the
 * pending changes applied (O(changes · depth), the parent stays untouched).
 */
export function trieWithChanges(
  base: Trie,
  changes: Iterable<readonly [Uint8Array, Uint8Array | null]>,
): Trie {
  const t = base.clone();
  for (const [k, v] of changes) {
    if (v === null) t.delete(k);
    else t.set(k, v);
  }
  return t;
}

export function trieStorageRoot(overlay: Overlay, version: StateVersion): Uint8Array {
  const backend = overlay.backend;
  if (!(backend instanceof TrieBackend)) {
    throw new Error('the node runtime runs over a TrieBackend');
  }
  if (backend.trie.version !== version) {
    throw new Error(`state version ${version} differs from the trie's ${backend.trie.version}`);
  }
  return trieWithChanges(backend.trie, overlay.changes()).root();
}
