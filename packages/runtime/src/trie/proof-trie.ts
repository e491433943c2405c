/**
 * A partial Substrate trie built from a storage proof: what a validator executes a parachain block against (the
 * state behind cumulus' `validate_block`, a TrieDBMut over the proof's MemoryDB). It starts as the parent state
 * root alone; every hash reference is resolved through a `TrieNodeSource` the first time an operation walks
 * through it, and is checked against that hash. A reference the source cannot resolve stays a stub: reads and
 * writes that do not pass through it work, and any operation that needs its content throws
 * `IncompleteProofError` naming the node and its path. The answer is then never a guess: `root()` after changes is
 * the root `Trie` computes for the same changes, or an error.
 *
 * Same layout rules as trie.ts (LayoutV0 / LayoutV1, blake2_256, no extension nodes, nodes under 32 bytes inlined,
 * values of 33 bytes or more hashed in version 1). Values keep the form the proof gives them (as trie-db keeps a
 * decoded `Value::Inline` inline); new values take the trie version's form.
 *
 * Nodes are immutable and shared: a change copies the nodes on its path, so `clone()` is O(1) and a clone's
 * changes never reach the original (the validator computes `storage_root` on a clone of the parent state). A stub
 * remembers its node once resolved, shared by every clone, which is sound since a hash has one content.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { childBounded, firstChild, keyWindow, lastChild, OUTSIDE, valueInRange } from './key-order.ts';
import { compareBytes, equalBytes, fromNibbles, toHex, toNibbles } from './nibbles.ts';
import {
  type DecodedNode,
  decodeNode,
  encodeNodeParts,
  HASH_LENGTH,
  VALUE_HASH_THRESHOLD,
} from './node-codec.ts';
import { TrieProofError } from './node-reader.ts';
import {
  InvalidProofError,
  ProofDatabase,
  type ProofItemKind,
  type ProofLimits,
  type TrieNodeSource,
} from './proof-source.ts';
import { EMPTY_TRIE_ROOT, type StateVersion } from './trie.ts';

/** An operation needs a node (or a value node) the proof does not hold. */
export class IncompleteProofError extends TrieProofError {
  override name = 'IncompleteProofError';
  constructor(
    readonly hash: Uint8Array,
    /** Nibbles from the root to the missing node (for a value: the full key). */
    readonly path: Uint8Array,
    readonly kind: ProofItemKind,
  ) {
    super(
      `proof is incomplete: ${kind === 'value' ? 'value node' : 'node'} ${toHex(hash)} at key path 0x${nibbleHex(path)} is missing`,
    );
  }
}

function nibbleHex(path: Uint8Array): string {
  let s = '';
  for (let i = 0; i < path.length; i++) s += path[i].toString(16);
  return s;
}

/** A value as stored in a node: inline, or (version 1) by hash, its bytes known or still to be fetched. */
interface Value {
  readonly hashed: boolean;
  /** The 32-byte hash of a hashed value. */
  readonly hash: Uint8Array | undefined;
  /** The bytes; for a hashed value from the proof, filled when first fetched. */
  data: Uint8Array | undefined;
}

/** A hash reference whose node has not been needed yet (or is not in the proof). */
class Stub {
  /** The node once resolved (shared by clones: a hash has one content). */
  node: Node | undefined = undefined;
  constructor(readonly hash: Uint8Array) {}
}

class Node {
  /** The reference a parent holds (inline encoding < 32 bytes, else the hash); computed on demand. */
  ref: Uint8Array | undefined;
  constructor(
    /** One nibble per element. */
    readonly partial: Uint8Array,
    readonly value: Value | undefined,
    /** undefined for a leaf; 16 entries for a branch. */
    readonly children: ReadonlyArray<Child | undefined> | undefined,
    ref?: Uint8Array,
  ) {
    this.ref = ref;
  }
}

type Child = Node | Stub;

const NOT_FOUND = Symbol('not found');

function noChildren(): Array<Child | undefined> {
  return new Array<Child | undefined>(16).fill(undefined);
}

function sameValue(a: Value, b: Value): boolean {
  if (a.hashed !== b.hashed) return false;
  return a.hashed ? equalBytes(a.hash!, b.hash!) : equalBytes(a.data!, b.data!);
}

function withPath(prefix: ArrayLike<number>, length: number, ...tail: number[]): Uint8Array {
  const out = new Uint8Array(length + tail.length);
  for (let i = 0; i < length; i++) out[i] = prefix[i];
  for (let i = 0; i < tail.length; i++) out[length + i] = tail[i];
  return out;
}

export class ProofTrie {
  readonly version: StateVersion;
  readonly source: TrieNodeSource;
  #root: Child | undefined;

  constructor(root: Uint8Array, source: TrieNodeSource, version: StateVersion) {
    if (!(root instanceof Uint8Array) || root.length !== HASH_LENGTH)
      throw new InvalidProofError('bad-root', 'the state root must be 32 bytes');
    if (version !== 0 && version !== 1) throw new RangeError('trie version must be 0 or 1');
    this.version = version;
    this.source = source;
    this.#root = equalBytes(root, EMPTY_TRIE_ROOT) ? undefined : new Stub(root.slice());
  }

  /** A partial trie over the items of a storage proof (e.g. what `Trie.proof()` returns). */
  static fromProof(
    root: Uint8Array,
    proof: readonly Uint8Array[],
    version: StateVersion,
    limits?: ProofLimits,
  ): ProofTrie {
    return new ProofTrie(root, new ProofDatabase(proof, limits), version);
  }

  /** O(1): both tries share every node; changes on either side copy the nodes they touch. */
  clone(): ProofTrie {
    const t = new ProofTrie(EMPTY_TRIE_ROOT, this.source, this.version);
    t.#root = this.#root;
    return t;
  }

  // ---- resolving references ------------------------------------------------------------------------------------

  #fetch(hash: Uint8Array, path: ArrayLike<number>, pathLength: number, kind: ProofItemKind): Uint8Array {
    const at = withPath(path, pathLength);
    const bytes = this.source.fetch(hash, at, kind);
    if (bytes === undefined) throw new IncompleteProofError(hash.slice(), at, kind);
    if (!(bytes instanceof Uint8Array) || !equalBytes(blake2_256(bytes), hash))
      throw new InvalidProofError(
        'hash-mismatch',
        `the source's item for ${toHex(hash)} has another hash`,
        hash,
      );
    return bytes;
  }

  /** The node behind `child`, whose path from the root is `path[0 .. pathLength)`. */
  #resolve(child: Child, path: ArrayLike<number>, pathLength: number): Node {
    if (child instanceof Node) return child;
    if (child.node !== undefined) return child.node;
    const bytes = this.#fetch(child.hash, path, pathLength, 'node');
    const node = this.#decode(bytes, child.hash);
    node.ref = bytes.length < HASH_LENGTH ? bytes : child.hash;
    child.node = node;
    return node;
  }

  #decode(bytes: Uint8Array, hash: Uint8Array | undefined): Node {
    let d: DecodedNode;
    try {
      d = decodeNode(bytes);
    } catch (e) {
      throw new InvalidProofError('malformed-node', (e as Error).message, hash);
    }
    if (d.kind === 'empty')
      throw new InvalidProofError('malformed-node', 'an empty node inside a trie', hash);
    let value: Value | undefined;
    if (d.value !== undefined) {
      if (d.value.hashed) {
        if (this.version === 0)
          throw new InvalidProofError('hashed-value-in-v0', 'a hashed value node in a version 0 trie', hash);
        value = { hashed: true, hash: d.value.hash, data: undefined };
      } else value = { hashed: false, hash: undefined, data: d.value.data };
    }
    if (d.kind === 'leaf') return new Node(d.partial, value, undefined);
    const children = noChildren();
    for (let i = 0; i < 16; i++) {
      const ref = d.children[i];
      if (ref === undefined) continue;
      if (ref.length === HASH_LENGTH) children[i] = new Stub(ref);
      else {
        // An inline child is part of its parent's bytes: decoded now, its reference is those bytes.
        const inline = this.#decode(ref, hash);
        inline.ref = ref;
        children[i] = inline;
      }
    }
    return new Node(d.partial, value, children);
  }

  #valueData(value: Value, key: Uint8Array): Uint8Array {
    if (value.data !== undefined) return value.data;
    value.data = this.#fetch(value.hash!, key, key.length, 'value');
    return value.data;
  }

  #newValue(data: Uint8Array): Value {
    const copy = data.slice();
    if (this.version === 1 && copy.length >= VALUE_HASH_THRESHOLD)
      return { hashed: true, hash: blake2_256(copy), data: copy };
    return { hashed: false, hash: undefined, data: copy };
  }

  // ---- reads ---------------------------------------------------------------------------------------------------

  /** The stored value (do not mutate it). Throws IncompleteProofError when the proof cannot tell. */
  get(key: Uint8Array): Uint8Array | undefined {
    const nib = toNibbles(key);
    const node = this.#find(nib);
    if (node?.value === undefined) return undefined;
    return this.#valueData(node.value, nib);
  }

  /** Whether `key` holds a value (needs no value node). */
  has(key: Uint8Array): boolean {
    return this.#find(toNibbles(key))?.value !== undefined;
  }

  #find(nib: Uint8Array): Node | undefined {
    let child = this.#root;
    let off = 0;
    while (child !== undefined) {
      const node = this.#resolve(child, nib, off);
      const p = node.partial;
      if (nib.length - off < p.length) return undefined;
      for (let i = 0; i < p.length; i++) if (p[i] !== nib[off + i]) return undefined;
      off += p.length;
      if (off === nib.length) return node;
      if (node.children === undefined) return undefined;
      child = node.children[nib[off]];
      off++;
    }
    return undefined;
  }

  /** Keys in order under `prefix`, from `startKey` (inclusive unless `startExclusive`); values are not fetched. */
  *keys(
    prefix: Uint8Array = new Uint8Array(0),
    startKey?: Uint8Array,
    startExclusive = false,
  ): Generator<Uint8Array> {
    if (this.#root === undefined) return;
    const start = startKey === undefined ? undefined : toNibbles(startKey);
    yield* this.#walk(this.#root, [], toNibbles(prefix), start, start !== undefined, startExclusive);
  }

  /** The first key strictly after `key` (sp_io::storage::next_key), as `Trie.nextKey`. */
  nextKey(key: Uint8Array): Uint8Array | undefined {
    for (const k of this.keys(undefined, key, true)) return k;
    return undefined;
  }

  /** The ordered walk of trie.ts / node-reader.ts (key-order.ts decides what is in range). */
  *#walk(
    child: Child,
    path: number[],
    prefix: Uint8Array,
    start: Uint8Array | undefined,
    bounded: boolean,
    exclusive: boolean,
  ): Generator<Uint8Array> {
    const node = this.#resolve(child, path, path.length);
    const base = path.length;
    for (let i = 0; i < node.partial.length; i++) path.push(node.partial[i]);
    try {
      const len = path.length;
      const window = keyWindow(path, len, prefix, start, bounded, exclusive);
      if (window === OUTSIDE) return;
      if (valueInRange(window) && node.value !== undefined) yield fromNibbles(path, len);
      const children = node.children;
      if (children === undefined) return;
      for (let i = firstChild(window), last = lastChild(window); i <= last; i++) {
        const c = children[i];
        if (c === undefined) continue;
        path.push(i);
        yield* this.#walk(c, path, prefix, start, childBounded(window, i), exclusive);
        path.pop();
      }
    } finally {
      path.length = base;
    }
  }

  // ---- writes --------------------------------------------------------------------------------------------------

  set(key: Uint8Array, value: Uint8Array): void {
    const nib = toNibbles(key);
    this.#root = this.#insert(this.#root, nib, 0, this.#newValue(value));
  }

  /** Removes `key`; false when it held no value. */
  delete(key: Uint8Array): boolean {
    if (this.#root === undefined) return false;
    const r = this.#remove(this.#root, toNibbles(key), 0);
    if (r === NOT_FOUND) return false;
    this.#root = r;
    return true;
  }

  /**
   * Removes every key starting with `prefix` (all, or the first `limit` in key order), as `Trie.deletePrefix`.
   * Counting what was deleted needs every node under the prefix.
   */
  deletePrefix(prefix: Uint8Array, limit?: number): { deleted: number; complete: boolean } {
    if (limit !== undefined) {
      const keys: Uint8Array[] = [];
      let complete = true;
      for (const k of this.keys(prefix)) {
        if (keys.length === limit) {
          complete = false;
          break;
        }
        keys.push(k);
      }
      for (const k of keys) this.delete(k);
      return { deleted: keys.length, complete };
    }
    if (this.#root === undefined) return { deleted: 0, complete: true };
    const r = this.#removePrefix(this.#root, toNibbles(prefix), 0);
    if (r === NOT_FOUND) return { deleted: 0, complete: true };
    this.#root = r.node;
    return { deleted: r.deleted, complete: true };
  }

  /**
   * Applies net changes (null = delete) in key order, as sp-state-machine applies an overlay's delta to the trie
   * for `storage_root`. The order matters for what a partial trie needs: deleting before inserting under the same
   * branch can collapse it (needing the surviving child) where the other order would not, so it is fixed here.
   */
  applyChanges(changes: Iterable<readonly [Uint8Array, Uint8Array | null]>): void {
    const sorted = [...changes].sort(([a], [b]) => compareBytes(a, b));
    for (const [k, v] of sorted) {
      if (v === null) this.delete(k);
      else this.set(k, v);
    }
  }

  /** The node to put in place of `child` (the same object when nothing changed). */
  #insert(child: Child | undefined, nib: Uint8Array, off: number, value: Value): Child {
    if (child === undefined) return new Node(nib.slice(off), value, undefined);
    const node = this.#resolve(child, nib, off);
    const p = node.partial;
    const rem = nib.length - off;
    const max = Math.min(p.length, rem);
    let common = 0;
    while (common < max && p[common] === nib[off + common]) common++;
    if (common === p.length) {
      if (common === rem) {
        if (node.value !== undefined && sameValue(node.value, value)) return child;
        return new Node(p, value, node.children);
      }
      const idx = nib[off + common];
      const old = node.children?.[idx];
      const updated = this.#insert(old, nib, off + common + 1, value);
      if (updated === old) return child;
      const children = node.children === undefined ? noChildren() : node.children.slice();
      children[idx] = updated;
      return new Node(p, node.value, children);
    }
    // The key leaves this node's partial key: a new branch takes the common part.
    const children = noChildren();
    children[p[common]] = new Node(p.slice(common + 1), node.value, node.children);
    let branchValue: Value | undefined;
    if (common === rem) branchValue = value;
    else children[nib[off + common]] = new Node(nib.slice(off + common + 1), value, undefined);
    return new Node(p.slice(0, common), branchValue, children);
  }

  #remove(child: Child, nib: Uint8Array, off: number): Child | undefined | typeof NOT_FOUND {
    const node = this.#resolve(child, nib, off);
    const p = node.partial;
    if (nib.length - off < p.length) return NOT_FOUND;
    for (let i = 0; i < p.length; i++) if (p[i] !== nib[off + i]) return NOT_FOUND;
    off += p.length;
    if (off === nib.length) {
      if (node.value === undefined) return NOT_FOUND;
      if (node.children === undefined) return undefined;
      return this.#normalize(p, undefined, node.children.slice(), nib, off);
    }
    if (node.children === undefined) return NOT_FOUND;
    const idx = nib[off];
    const c = node.children[idx];
    if (c === undefined) return NOT_FOUND;
    const r = this.#remove(c, nib, off + 1);
    if (r === NOT_FOUND) return NOT_FOUND;
    const children = node.children.slice();
    children[idx] = r;
    return this.#normalize(p, node.value, children, nib, off);
  }

  #removePrefix(
    child: Child,
    prefix: Uint8Array,
    off: number,
  ): { node: Child | undefined; deleted: number } | typeof NOT_FOUND {
    const node = this.#resolve(child, prefix, off);
    const p = node.partial;
    const n = Math.min(p.length, prefix.length - off);
    for (let i = 0; i < n; i++) if (p[i] !== prefix[off + i]) return NOT_FOUND;
    if (off + p.length >= prefix.length) {
      return { node: undefined, deleted: this.#countValues(node, withPath(prefix, off, ...p)) };
    }
    off += p.length;
    const idx = prefix[off];
    const c = node.children?.[idx];
    if (c === undefined) return NOT_FOUND;
    const r = this.#removePrefix(c, prefix, off + 1);
    if (r === NOT_FOUND) return NOT_FOUND;
    const children = node.children!.slice();
    children[idx] = r.node;
    return { node: this.#normalize(p, node.value, children, prefix, off), deleted: r.deleted };
  }

  /** Values in the subtree of `node`, whose full path (its partial included) is `path`. */
  #countValues(node: Node, path: Uint8Array): number {
    let n = node.value === undefined ? 0 : 1;
    const children = node.children;
    if (children === undefined) return n;
    for (let i = 0; i < 16; i++) {
      const c = children[i];
      if (c === undefined) continue;
      const at = withPath(path, path.length, i);
      const child = this.#resolve(c, at, at.length);
      n += this.#countValues(child, withPath(at, at.length, ...child.partial));
    }
    return n;
  }

  /**
   * A node after a removal below it, whose full path is `path[0 .. pathLength)`: no valueless branch keeps fewer
   * than two children. Merging a lone child into it needs that child's content (the surviving sibling's node).
   */
  #normalize(
    partial: Uint8Array,
    value: Value | undefined,
    children: Array<Child | undefined>,
    path: ArrayLike<number>,
    pathLength: number,
  ): Node | undefined {
    let count = 0;
    let last = -1;
    for (let i = 0; i < 16; i++) {
      if (children[i] !== undefined) {
        count++;
        last = i;
      }
    }
    if (count === 0) return value === undefined ? undefined : new Node(partial, value, undefined);
    if (count === 1 && value === undefined) {
      const at = withPath(path, pathLength, last);
      const only = this.#resolve(children[last]!, at, at.length);
      const merged = new Uint8Array(partial.length + 1 + only.partial.length);
      merged.set(partial, 0);
      merged[partial.length] = last;
      merged.set(only.partial, partial.length + 1);
      return new Node(merged, only.value, only.children);
    }
    return new Node(partial, value, children);
  }

  // ---- root ----------------------------------------------------------------------------------------------------

  root(): Uint8Array {
    const r = this.#root;
    if (r === undefined) return EMPTY_TRIE_ROOT.slice();
    if (r instanceof Stub) return r.hash.slice();
    const ref = this.#ref(r);
    return ref.length === HASH_LENGTH ? ref.slice() : blake2_256(ref);
  }

  /** The node's reference; stubs and untouched nodes are never re-encoded. */
  #ref(node: Node): Uint8Array {
    if (node.ref !== undefined) return node.ref;
    let refs: Array<Uint8Array | undefined> | undefined;
    if (node.children !== undefined) {
      refs = new Array<Uint8Array | undefined>(16).fill(undefined);
      for (let i = 0; i < 16; i++) {
        const c = node.children[i];
        if (c === undefined) continue;
        refs[i] = c instanceof Stub ? c.hash : this.#ref(c);
      }
    }
    const v = node.value;
    const enc = encodeNodeParts(
      node.partial,
      0,
      node.partial.length,
      v === undefined ? undefined : v.hashed ? v.hash : v.data,
      v?.hashed ?? false,
      refs,
    );
    node.ref = enc.length < HASH_LENGTH ? enc : blake2_256(enc);
    return node.ref;
  }
}
