/**
 * Where a partial trie (proof-trie.ts) finds the nodes its hash references stand for: the items of a storage proof
 * (`ProofDatabase`, what a validator has), or the full trie they come from (`trieNodeSource`, what a collator has
 * while it works out which nodes a proof needs). Both hand out bytes by hash; the partial trie checks every answer
 * against the hash it asked for, so a source can never make it read a node that is not the committed one.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { equalBytes, toHex } from './nibbles.ts';
import { TrieProofError } from './node-reader.ts';
import type { Trie } from './trie.ts';

/** What a partial trie asks for: a trie node, or (state version 1) a value stored as its own node. */
export type ProofItemKind = 'node' | 'value';

export interface TrieNodeSource {
  /**
   * The bytes whose blake2_256 is `hash`, or undefined when the source does not have them. `path` is where the
   * item sits, in nibbles: for a node, the path from the root down to the node (its own partial key excluded);
   * for a value, the full key. Sources keyed by hash may ignore it.
   */
  fetch(hash: Uint8Array, path: Uint8Array, kind: ProofItemKind): Uint8Array | undefined;
}

export type InvalidProofReason =
  | 'not-a-proof'
  | 'too-large'
  | 'bad-root'
  | 'malformed-node'
  | 'hash-mismatch'
  | 'hashed-value-in-v0';

/** The proof (or a node source) is malformed or hostile: the answer cannot be trusted, whatever the question. */
export class InvalidProofError extends TrieProofError {
  override name = 'InvalidProofError';
  constructor(
    readonly reason: InvalidProofReason,
    message: string,
    /** The item concerned, when there is one. */
    readonly hash?: Uint8Array,
  ) {
    super(`invalid proof (${reason}): ${message}`);
  }
}

export interface ProofLimits {
  /** Total bytes of all items (duplicates included). Default 10 MiB, polkadot-sdk's `MAX_POV_SIZE`. */
  maxBytes?: number;
  /** Number of items (duplicates included). Default 250,000. */
  maxItems?: number;
}

/** polkadot-sdk `polkadot/primitives`: `MAX_POV_SIZE = 10 * 1024 * 1024`, the bound of a whole PoV. */
export const DEFAULT_MAX_PROOF_BYTES = 10 * 1024 * 1024;
/** Hashing each item costs ~1 µs: a quarter million keeps a hostile proof of tiny items under a second. */
export const DEFAULT_MAX_PROOF_ITEMS = 250_000;

function hashKey(hash: Uint8Array): string {
  return String.fromCharCode.apply(null, hash as unknown as number[]);
}

/** The items of a storage proof, by hash (sp-trie's StorageProof turned into a MemoryDB). */
export class ProofDatabase implements TrieNodeSource {
  readonly #items = new Map<string, Uint8Array>();
  readonly #used = new Set<string>();
  /** Bytes of the distinct items. */
  readonly bytes: number;

  constructor(proof: readonly Uint8Array[], limits: ProofLimits = {}) {
    if (!Array.isArray(proof))
      throw new InvalidProofError('not-a-proof', 'a proof is an array of byte arrays');
    const maxBytes = limits.maxBytes ?? DEFAULT_MAX_PROOF_BYTES;
    const maxItems = limits.maxItems ?? DEFAULT_MAX_PROOF_ITEMS;
    if (proof.length > maxItems)
      throw new InvalidProofError('too-large', `${proof.length} items exceed the limit of ${maxItems}`);
    let total = 0;
    for (const item of proof) {
      if (!(item instanceof Uint8Array))
        throw new InvalidProofError('not-a-proof', 'a proof item is not a byte array');
      total += item.length;
      if (total > maxBytes)
        throw new InvalidProofError('too-large', `items exceed the limit of ${maxBytes} bytes`);
    }
    let distinct = 0;
    for (const item of proof) {
      const k = hashKey(blake2_256(item));
      if (this.#items.has(k)) continue;
      this.#items.set(k, item);
      distinct += item.length;
    }
    this.bytes = distinct;
  }

  get size(): number {
    return this.#items.size;
  }

  fetch(hash: Uint8Array): Uint8Array | undefined {
    const k = hashKey(hash);
    const item = this.#items.get(k);
    if (item !== undefined) this.#used.add(k);
    return item;
  }

  /** Items asked for at least once so far. */
  get usedCount(): number {
    return this.#used.size;
  }
}

/** Pads a nibble path to whole bytes: a lookup of that key passes through the node at `path`. */
function keyThrough(path: Uint8Array): Uint8Array {
  const out = new Uint8Array((path.length + 1) >> 1);
  for (let i = 0; i < path.length; i++) out[i >> 1] |= i & 1 ? path[i] : path[i] << 4;
  return out;
}

/**
 * Nodes of a full in-memory trie, found by where they sit: a lookup of any key through `path` passes the node, so
 * the node is among that key's proof items (and, for a value, the key's own proof holds the value node).
 * O(depth) encodings per fetch; `prefetched` (e.g. a proof of the keys about to be touched) answers first.
 */
export function trieNodeSource(trie: Trie, prefetched?: ProofDatabase): TrieNodeSource {
  return {
    fetch(hash, path, kind) {
      const hit = prefetched?.fetch(hash);
      if (hit !== undefined) return hit;
      if (kind === 'value' && (path.length & 1) === 1) return undefined;
      for (const item of trie.proof([keyThrough(path)])) {
        if (equalBytes(blake2_256(item), hash)) return item;
      }
      return undefined;
    },
  };
}

/** Wraps a source, keeping every item it hands out: the proof of exactly what was read through it. */
export class RecordingSource implements TrieNodeSource {
  readonly #recorded = new Map<string, Uint8Array>();
  constructor(readonly inner: TrieNodeSource) {}

  fetch(hash: Uint8Array, path: Uint8Array, kind: ProofItemKind): Uint8Array | undefined {
    const item = this.inner.fetch(hash, path, kind);
    if (item !== undefined) this.#recorded.set(toHex(hash), item);
    return item;
  }

  /** The recorded items, deduplicated and sorted bytewise (as `Trie.proof` and sp-trie's StorageProof). */
  proof(): Uint8Array[] {
    return [...this.#recorded.values()]
      .map((item) => [toHex(item), item] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => item);
  }
}
