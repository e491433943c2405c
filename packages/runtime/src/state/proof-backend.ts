/**
 * Stateless execution: the runtime's state backend over a partial trie built from a storage proof, and the
 * `sp_io::storage::root` host function over it. A runtime made with `{ storageRoot: proofStorageRoot }` runs a
 * block against the proof alone, as cumulus' `validate_block` does inside the relay chain's validation.
 *
 * A read the proof cannot answer throws `IncompleteProofError`, and the backend also keeps the first one: runtime
 * code may catch errors (a decode fallback, a `try` in a pallet) and carry on with a wrong view of the state, so
 * whoever judges the execution asks `missing` instead of trusting that the error reached it.
 */

import { InvalidProofError, type ProofLimits } from '../trie/proof-source.ts';
import { IncompleteProofError, ProofTrie } from '../trie/proof-trie.ts';
import type { StateVersion } from '../trie/trie.ts';
import type { StateBackend } from './backend.ts';
import { type KeyString, keyFromString } from './keys.ts';
import type { Overlay } from './overlay.ts';

export class ProofBackend implements StateBackend {
  /** The first node a read or a root computation needed and the proof lacked. */
  missing: IncompleteProofError | undefined = undefined;
  /** The first malformed item a read came across. */
  invalid: InvalidProofError | undefined = undefined;

  constructor(readonly trie: ProofTrie) {}

  static fromProof(
    root: Uint8Array,
    proof: readonly Uint8Array[],
    version: StateVersion,
    limits?: ProofLimits,
  ): ProofBackend {
    return new ProofBackend(ProofTrie.fromProof(root, proof, version, limits));
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.guard(() => this.trie.get(key));
  }

  getK(key: KeyString): Uint8Array | undefined {
    return this.guard(() => this.trie.get(keyFromString(key)));
  }

  nextKey(key: Uint8Array): Uint8Array | undefined {
    return this.guard(() => this.trie.nextKey(key));
  }

  /** Runs a read (or a root computation) on behalf of this backend, noting proof failures. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof IncompleteProofError) this.missing ??= e;
      else if (e instanceof InvalidProofError) this.invalid ??= e;
      throw e;
    }
  }
}

export class StorageRootHostError extends Error {
  override name = 'StorageRootHostError';
}

/** The partial parent trie with `changes` applied (a clone: the backend's trie is not touched). */
export function proofTrieWithChanges(
  backend: ProofBackend,
  changes: Iterable<readonly [Uint8Array, Uint8Array | null]>,
): ProofTrie {
  return backend.guard(() => {
    const t = backend.trie.clone();
    t.applyChanges(changes);
    return t;
  });
}

/**
 * `sp_io::storage::root` over a `ProofBackend`: the root of the partial parent trie plus the overlay's pending
 * changes, applied in key order. Throws `IncompleteProofError` when a change needs a node the proof lacks (a
 * write below a stub, or a deletion that merges a branch into a sibling that is not in the proof).
 */
export function proofStorageRoot(overlay: Overlay, version: StateVersion): Uint8Array {
  const backend = overlay.backend;
  if (!(backend instanceof ProofBackend))
    throw new StorageRootHostError('proofStorageRoot runs over a ProofBackend');
  if (backend.trie.version !== version)
    throw new StorageRootHostError(
      `state version ${version} differs from the proof trie's ${backend.trie.version}`,
    );
  const trie = proofTrieWithChanges(backend, overlay.changes());
  return backend.guard(() => trie.root());
}

/**
 * A `storageRoot` host function for runtimes that run both ways: over a `ProofBackend` it computes the root from
 * the proof, over anything else it asks `fallback` (e.g. the node's `trieStorageRoot`).
 */
export function withProofStorageRoot(
  fallback: (overlay: Overlay, version: StateVersion) => Uint8Array,
): (overlay: Overlay, version: StateVersion) => Uint8Array {
  return (overlay, version) =>
    overlay.backend instanceof ProofBackend ? proofStorageRoot(overlay, version) : fallback(overlay, version);
}
