/**
 * Read access to the state of one block: from an in-memory trie for recent blocks, or from the trie nodes in the
 * chain database (`readFromNodes`) for older, not yet pruned ones.
 */
import {
  entriesFromNodes,
  type GetNode,
  keysFromNodes,
  MissingTrieNodeError,
  readFromNodes,
  type StateVersion,
  Trie,
} from '@xstorage/runtime/trie';
import { StatePrunedError } from './errors.ts';

export interface StateView {
  readonly blockHash: Uint8Array;
  readonly root: Uint8Array;
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Keys under `prefix`, strictly after `startKey` when given, at most `limit`. */
  keys(prefix: Uint8Array, limit: number, startKey?: Uint8Array): Promise<Uint8Array[]>;
  /** Storage proof for `keys` (sorted, deduplicated node encodings). */
  proof(keys: Uint8Array[]): Promise<Uint8Array[]>;
  /** A trie to run the runtime on (built from stored nodes when needed). */
  trie(): Promise<Trie>;
}

const after = (k: Uint8Array, start: Uint8Array) => Buffer.compare(Buffer.from(k), Buffer.from(start)) > 0;

export class MemoryStateView implements StateView {
  constructor(
    readonly blockHash: Uint8Array,
    readonly memTrie: Trie,
  ) {}
  get root(): Uint8Array {
    return this.memTrie.root();
  }
  async get(key: Uint8Array) {
    return this.memTrie.get(key);
  }
  async keys(prefix: Uint8Array, limit: number, startKey?: Uint8Array) {
    const out: Uint8Array[] = [];
    const start = startKey && after(startKey, prefix) ? startKey : undefined;
    for (const [k] of this.memTrie.entries(prefix, start, start !== undefined)) {
      if (out.length >= limit) break;
      out.push(k);
    }
    return out;
  }
  async proof(keys: Uint8Array[]) {
    return this.memTrie.proof(keys);
  }
  async trie() {
    return this.memTrie;
  }
}

export class StoredStateView implements StateView {
  constructor(
    readonly blockHash: Uint8Array,
    readonly root: Uint8Array,
    readonly getNode: GetNode,
    readonly version: StateVersion,
  ) {}

  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof MissingTrieNodeError) throw new StatePrunedError(this.blockHash);
      throw err;
    }
  }

  get(key: Uint8Array) {
    return this.#guard(() => readFromNodes(this.root, key, this.getNode, this.version));
  }

  keys(prefix: Uint8Array, limit: number, startKey?: Uint8Array) {
    return this.#guard(async () => {
      const out: Uint8Array[] = [];
      const start = startKey && after(startKey, prefix) ? startKey : undefined;
      const it = keysFromNodes(this.root, this.getNode, {
        prefix,
        startKey: start,
        startExclusive: start !== undefined,
        version: this.version,
      });
      for await (const k of it) {
        if (out.length >= limit) break;
        out.push(k);
      }
      return out;
    });
  }

  /** Records every node fetched while looking the keys up: exactly the nodes on their paths. */
  proof(keys: Uint8Array[]) {
    return this.#guard(async () => {
      const seen = new Map<string, Uint8Array>();
      const recording: GetNode = async (h) => {
        const n = await this.getNode(h);
        if (n) seen.set(Buffer.from(n).toString('hex'), n);
        return n;
      };
      for (const k of keys) await readFromNodes(this.root, k, recording, this.version);
      return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    });
  }

  trie() {
    return this.#guard(async () => {
      const t = new Trie({ version: this.version });
      for await (const [k, v] of entriesFromNodes(this.root, this.getNode, { version: this.version }))
        t.set(k, v);
      return t;
    });
  }
}
