/**
 * The trie Merkle value of the closest descendant of a key (the new spec's `closestDescendantMerkleValue` storage
 * query): the node whose full key is the shortest one starting with `key`, branch nodes included. Its Merkle value
 * (Polkadot spec, "Merkle value") is the node's encoding when shorter than 32 bytes and its blake2_256 otherwise;
 * the root's is always the state root. It changes exactly when something under `key` changes, which is what
 * polkadot-api watches map entries with.
 *
 * Computed from the storage proof of `key` (the nodes on its lookup path), so in-memory and stored states answer
 * the same way.
 */
import { blake2_256 } from '@xstorage/runtime/crypto';
import { decodeNode, HASH_LENGTH, toNibbles } from '@xstorage/runtime/trie';
import type { StateView } from '../chain/state-view.ts';

const keyOf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The Merkle value of `key`'s closest descendant in `view`'s state, or undefined when nothing is under `key`. */
export async function closestDescendantMerkleValue(
  view: StateView,
  key: Uint8Array,
): Promise<Uint8Array | undefined> {
  const root = view.root;
  const proof = await view.proof([key]);
  const nodes = new Map<string, Uint8Array>();
  for (const n of proof) nodes.set(keyOf(blake2_256(n)), n);
  let encoding = nodes.get(keyOf(root));
  // An empty state has no root node in its proof.
  if (encoding === undefined) return undefined;
  let merkleValue: Uint8Array = root;
  const nibbles = toNibbles(key);
  let offset = 0;
  for (;;) {
    const node = decodeNode(encoding);
    if (node.kind === 'empty') return undefined;
    const partial = node.partial;
    const remaining = nibbles.length - offset;
    const common = Math.min(partial.length, remaining);
    for (let i = 0; i < common; i++) if (partial[i] !== nibbles[offset + i]) return undefined;
    // The key ends inside (or at the end of) this node's partial key: this node is the closest descendant.
    if (remaining <= partial.length) return merkleValue.slice();
    offset += partial.length;
    if (node.kind === 'leaf') return undefined;
    const child = node.children[nibbles[offset]];
    if (child === undefined) return undefined;
    offset++;
    if (child.length === HASH_LENGTH) {
      const next = nodes.get(keyOf(child));
      if (next === undefined) throw new Error('storage proof lacks a node on the key path');
      encoding = next;
    } else {
      encoding = child;
    }
    merkleValue = child;
  }
}
