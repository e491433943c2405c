/** One-off trie roots (sp_trie::TrieConfiguration::trie_root / ordered_trie_root). */
import { encodeCompact } from '../scale/compact.ts';
import { type StateVersion, Trie } from './trie.ts';

export function trieRoot(
  entries: Iterable<readonly [Uint8Array, Uint8Array]>,
  version: StateVersion,
): Uint8Array {
  return Trie.fromEntries(entries, version).root();
}

/** Root of `items` keyed by SCALE compact(index): how a block's extrinsics root is computed. */
export function orderedTrieRoot(items: Uint8Array[], version: StateVersion): Uint8Array {
  const t = new Trie({ version });
  for (let i = 0; i < items.length; i++) t.set(encodeCompact(i), items[i]);
  return t.root();
}
