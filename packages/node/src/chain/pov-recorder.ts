/**
 * The collator's side of a proof of validity: while a block is built (or re-executed) over the parent state, a
 * `RecordingTrieBackend` notes every key the runtime reads and every `next_key` query; `buildStorageProof` then
 * works out, from those and the block's changes, the storage proof a validator needs to execute the same block
 * with nothing but the parent state root (`validateBlockStateless`). The proof is complete, root computation
 * included (a deletion that merges a branch into its surviving child brings that child's node), and minimal for
 * that re-execution: see runtime/src/trie/proof-recording.ts.
 *
 * The recording backend is a `TrieBackend`, so the node's `trieStorageRoot` host function works over it
 * unchanged.
 */
import type { Header } from '@xstorage/runtime/block';
import type { ChainRuntime } from '@xstorage/runtime/runtimes';
import { type KeyString, keyFromString, keyToString, Overlay } from '@xstorage/runtime/state';
import type { Trie } from '@xstorage/runtime/trie';
import { proveStateAccess } from '@xstorage/runtime/trie';
import type { Chain } from './chain.ts';
import { UnknownBlockHashError } from './errors.ts';
import { TrieBackend } from './trie-backend.ts';

/** What an execution asked of the parent state. */
export interface StateAccessRecording {
  /** Keys read (each once, in first-read order). */
  reads: Uint8Array[];
  /** `next_key` queries (each once, in first-query order). */
  nextKeys: Uint8Array[];
}

export class RecordingTrieBackend extends TrieBackend {
  readonly #reads = new Set<KeyString>();
  readonly #nextKeys = new Set<KeyString>();

  override get(key: Uint8Array): Uint8Array | undefined {
    this.#reads.add(keyToString(key));
    return this.trie.get(key);
  }

  getK(key: KeyString): Uint8Array | undefined {
    this.#reads.add(key);
    return this.trie.get(keyFromString(key));
  }

  override nextKey(key: Uint8Array): Uint8Array | undefined {
    this.#nextKeys.add(keyToString(key));
    return this.trie.nextKey(key);
  }

  recording(): StateAccessRecording {
    return {
      reads: [...this.#reads].map(keyFromString),
      nextKeys: [...this.#nextKeys].map(keyFromString),
    };
  }
}

/**
 * The storage proof (items sorted bytewise, as sp-trie's StorageProof) for re-executing, against `parentTrie`'s
 * root alone, an execution that made `recording`'s reads and ended with `changes` (the overlay's net changes, as
 * `storage_root` saw them). Deterministic: the same inputs give the same bytes.
 */
export function buildStorageProof(
  parentTrie: Trie,
  recording: StateAccessRecording,
  changes: Iterable<readonly [Uint8Array, Uint8Array | null]>,
): Uint8Array[] {
  return proveStateAccess(parentTrie, {
    reads: recording.reads,
    nextKeys: recording.nextKeys,
    changeSets: [changes],
  });
}

export interface ProveOptions {
  /**
   * Keys the validator reads from the post-state after executing (the candidate's outputs, e.g.
   * `ParachainSystem.HrmpOutboundMessages`). Those the block writes need nothing; the others are proven from the
   * parent state, so that reading them statelessly does not fail. (A collator that records while building reads
   * them through its overlay before proving, for the same effect.)
   */
  outputKeys?: readonly Uint8Array[];
  /**
   * Reads the candidate's outputs the way the validator will (e.g. parachain-system's `candidateOutputs`), in the
   * runtime's env over the block's state after execution, so that those reads are proven too.
   */
  readOutputs?: () => unknown;
}

export interface ProvenBlock {
  proof: Uint8Array[];
  /** The block's net changes, in key order (null = deleted). */
  changes: Array<[Uint8Array, Uint8Array | null]>;
  /** Distinct bytes of the proof. */
  proofBytes: number;
}

/**
 * Re-executes a block the node already built (its unsealed header) over a recording backend and proves it: for a
 * collator whose block was authored without recording. The proof then holds only what the block's own execution
 * touches (none of the reads of transactions the builder tried and left out). `chain` must compute storage roots
 * over a `TrieBackend` (the node's runtime host does). Throws `BlockExecutionError` if the block does not execute
 * to its header.
 */
export function proveBlock(
  chain: ChainRuntime,
  parentTrie: Trie,
  block: { header: Header; extrinsics: Uint8Array[] },
  opts: ProveOptions = {},
): ProvenBlock {
  const backend = new RecordingTrieBackend(parentTrie);
  const overlay = new Overlay(backend);
  chain.runtime.execute(overlay, () => chain.executive.executeBlock(block));
  // Read as the validator will read them from the post-state: a key the block did not write is proven from the
  // parent state (present or absent).
  for (const k of opts.outputKeys ?? []) overlay.get(k);
  if (opts.readOutputs) chain.runtime.execute(overlay, opts.readOutputs);
  const changes = overlay.drainChanges();
  const proof = buildStorageProof(parentTrie, backend.recording(), changes);
  let proofBytes = 0;
  for (const item of proof) proofBytes += item.length;
  return { proof, changes, proofBytes };
}

/** The header the runtime computed: without the trailing seal a block author appends (the runtime never sees it). */
export function withoutSeal(header: Header): Header {
  const logs = header.digest.logs;
  return logs.at(-1)?.type === 'Seal' ? { ...header, digest: { logs: logs.slice(0, -1) } } : header;
}

/**
 * Proves a block the chain already holds (e.g. the one `chain.author()` just built): re-executes it on its
 * parent's state (a recent in-memory state, or one rebuilt from stored nodes) over a recording backend.
 * Returns the unsealed block with its proof, what a candidate's PoV carries.
 */
export async function proveChainBlock(
  chain: Chain,
  hash: Uint8Array,
  opts: ProveOptions = {},
): Promise<ProvenBlock & { block: { header: Header; extrinsics: Uint8Array[] } }> {
  const stored = await chain.getBlock(hash);
  if (!stored) throw new UnknownBlockHashError(hash);
  const block = { header: withoutSeal(stored.header), extrinsics: stored.extrinsics };
  const parentTrie = await chain.trieAt(stored.header.parentHash);
  return { ...proveBlock(chain.runtime, parentTrie, block, opts), block };
}
