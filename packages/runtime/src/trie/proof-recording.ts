/**
 * The storage proof a stateless re-execution needs, worked out from what the execution did with the parent
 * state: the keys it read, the `next_key` queries it made, and the changes whose root it computed. Each is
 * replayed on a partial trie of the parent whose nodes come from the full trie through a recording source (as
 * sp-trie's recorder notes the nodes a TrieDB touches), so the proof holds exactly the nodes the validator's own
 * walk will ask for: lookup paths, absence proofs, the nodes a `next_key` seek passes, the paths of written and
 * deleted keys, and the sibling a deletion merges into its parent. Value nodes (state version 1) only for values
 * actually read. The replay repeats what `validateBlockStateless` does in the same order, so the proof is complete
 * for it, and every item in it is needed (removing any one fails that validation).
 */
import { ProofDatabase, RecordingSource, trieNodeSource } from './proof-source.ts';
import { ProofTrie } from './proof-trie.ts';
import type { Trie } from './trie.ts';

export interface StateAccess {
  /** Keys read from the parent state (values fetched). */
  reads: Iterable<Uint8Array>;
  /** `next_key` queries on the parent state (the answer is recomputed, so only the query matters). */
  nextKeys: Iterable<Uint8Array>;
  /**
   * Change sets whose root was computed on top of the parent (usually one: the block's net changes at
   * `storage_root`). Each is applied in key order to its own copy of the parent.
   */
  changeSets: Iterable<Iterable<readonly [Uint8Array, Uint8Array | null]>>;
}

/** A storage proof (items sorted bytewise) sufficient and minimal for replaying `access` against `parent`. */
export function proveStateAccess(parent: Trie, access: StateAccess): Uint8Array[] {
  const reads = [...access.reads];
  const nextKeys = [...access.nextKeys];
  const changeSets = [...access.changeSets].map((c) => [...c]);
  // One pass over the full trie for the lookup paths of every touched key answers most fetches; the rest (the
  // seek past a key, a merged sibling) are looked up by path. What is handed out, not what is prefetched, counts.
  const touched = [...reads, ...nextKeys];
  for (const changes of changeSets) for (const [k] of changes) touched.push(k);
  const prefetched = new ProofDatabase(parent.proof(touched), {
    maxBytes: Number.MAX_SAFE_INTEGER,
    maxItems: Number.MAX_SAFE_INTEGER,
  });
  const source = new RecordingSource(trieNodeSource(parent, prefetched));
  const root = parent.root();
  const reader = new ProofTrie(root, source, parent.version);
  for (const k of reads) reader.get(k);
  for (const k of nextKeys) reader.nextKey(k);
  for (const changes of changeSets) {
    const t = reader.clone();
    t.applyChanges(changes);
    t.root();
  }
  return source.proof();
}
