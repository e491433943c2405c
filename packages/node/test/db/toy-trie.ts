/**
 * A stand-in for the runtime's trie with the same commit contract ({ root, inserted, removed }): one leaf
 * node per key (hash of key‖value) and a root node listing the leaf hashes. Enough to test reference counts,
 * pruning and historical reads without the real Patricia-Merkle trie. Nodes are opaque bytes to the DB.
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { StorageChange, TrieCommit } from '../../src/db/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const enc = new TextEncoder();

export function leafNode(key: Uint8Array, value: Uint8Array): Uint8Array {
  const out = Buffer.alloc(8 + key.length + value.length);
  out.writeUInt32LE(key.length, 0);
  out.writeUInt32LE(value.length, 4);
  out.set(key, 8);
  out.set(value, 8 + key.length);
  return new Uint8Array(out);
}

export function rootOf(entries: Iterable<readonly [Uint8Array, Uint8Array]>): {
  root: Uint8Array;
  rootNode: Uint8Array;
} {
  const leaves = [...entries]
    .map(([k, v]) => blake2AsU8a(leafNode(k, v)))
    .sort((a, b) => Buffer.compare(a, b));
  const rootNode = new Uint8Array(leaves.length * 32 + 1);
  rootNode[0] = 0xaa; // keeps the empty root distinct from any leaf
  leaves.forEach((l, i) => {
    rootNode.set(l, 1 + i * 32);
  });
  return { root: blake2AsU8a(rootNode), rootNode };
}

export class ToyTrie {
  readonly state = new Map<string, [Uint8Array, Uint8Array]>();
  #committedNodes = new Map<string, Uint8Array>();
  #committedRoot: string | undefined;

  set(key: string | Uint8Array, value: string | Uint8Array | null): StorageChange {
    const k = typeof key === 'string' ? enc.encode(key) : key;
    const v = value === null ? null : typeof value === 'string' ? enc.encode(value) : value;
    if (v === null) this.state.delete(hex(k));
    else this.state.set(hex(k), [k, v]);
    return [k, v];
  }

  /** All nodes of the current state (root + leaves). */
  nodes(): Map<string, Uint8Array> {
    const m = new Map<string, Uint8Array>();
    for (const [k, v] of this.state.values()) {
      const n = leafNode(k, v);
      m.set(hex(blake2AsU8a(n)), n);
    }
    const { root, rootNode } = rootOf(this.state.values());
    m.set(hex(root), rootNode);
    return m;
  }

  commit(): TrieCommit {
    const now = this.nodes();
    const inserted: Array<[Uint8Array, Uint8Array]> = [];
    const removed: Uint8Array[] = [];
    for (const [h, n] of now) if (!this.#committedNodes.has(h)) inserted.push([Buffer.from(h, 'hex'), n]);
    for (const h of this.#committedNodes.keys()) if (!now.has(h)) removed.push(Buffer.from(h, 'hex'));
    this.#committedNodes = now;
    const { root } = rootOf(this.state.values());
    this.#committedRoot = hex(root);
    return { root, inserted, removed };
  }

  clone(): ToyTrie {
    const t = new ToyTrie();
    for (const [k, v] of this.state) t.state.set(k, v);
    t.#committedNodes = new Map(this.#committedNodes);
    t.#committedRoot = this.#committedRoot;
    return t;
  }
}

/** Reads a whole state back from nodes only, as `readFromNodes(root, key, getNode)` would. */
export async function readStateFromNodes(
  root: Uint8Array,
  getNode: (h: Uint8Array) => Promise<Uint8Array | undefined>,
): Promise<Map<string, string> | undefined> {
  const rootNode = await getNode(root);
  if (!rootNode) return undefined;
  const out = new Map<string, string>();
  for (let o = 1; o < rootNode.length; o += 32) {
    const leaf = await getNode(rootNode.subarray(o, o + 32));
    if (!leaf) return undefined;
    const b = Buffer.from(leaf);
    const kl = b.readUInt32LE(0);
    const vl = b.readUInt32LE(4);
    out.set(b.subarray(8, 8 + kl).toString(), b.subarray(8 + kl, 8 + kl + vl).toString());
  }
  return out;
}
