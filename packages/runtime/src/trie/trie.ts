/**
 * In-memory Substrate storage trie (sp-trie LayoutV0 / LayoutV1 with blake2_256): base-16 Patricia-Merkle trie
 * without extension nodes; nodes whose encoding is shorter than 32 bytes are inlined into their parent, the
 * others are referenced by hash; the root is always hashed.
 *
 * Performance model: a node's reference (inline encoding or hash) is kept only in its parent's slot buffer (the
 * root's in the trie); a mutation marks stale only the slots on the path from the root to the changed key, so
 * `root()` after touching k keys of n re-encodes and re-hashes O(k log16 n) nodes, each branch encoded from its
 * own slot buffer (no visit of its clean children) straight into the hasher's wasm input, and each hash written
 * straight into the parent's slot. Nodes carry an owner id: `clone()` shares every node and each side copies a
 * node before its first mutation (path copying), so a clone costs O(1) and forks (block candidates) are cheap.
 * What remains of an incremental update is mostly memory latency: ~3-5 dependent loads per node (node, partial
 * key, children array, slots, value) over a heap of ~1 GB at 1M keys; packing nodes into typed-array arenas would
 * be the next step, at the price of managing node lifetimes across clones by hand.
 *
 * Memory: partial keys and committed hashes are kept as one-byte strings (one char per nibble or byte), V8's most
 * compact immutable byte container (~56 bytes for 32 bytes, against ~250 for a Uint8Array); a branch's slots take
 * 528 bytes; a million-key state takes ~840 MiB.
 *
 * `commit()` reports the hashed nodes (and, with version 1, hashed value nodes) that became reachable or
 * unreachable since the previous commit, as a multiset: a node database keeping reference counts applies
 * +1 for each inserted entry and -1 for each removed one.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { compactLength, writeCompact } from '../scale/compact.ts';
import { childBounded, firstChild, keyWindow, lastChild, OUTSIDE, valueInRange } from './key-order.ts';
import { equalBytes, fromNibbles, toHex, toNibbles } from './nibbles.ts';
import {
  BRANCH_NO_VALUE,
  BRANCH_WITH_VALUE,
  HASH_LENGTH,
  HASHED_VALUE_BRANCH,
  HASHED_VALUE_LEAF,
  headerLength,
  LEAF,
  MAX_PARTIAL_NIBBLES,
  VALUE_HASH_THRESHOLD,
  writeHeader,
} from './node-codec.ts';
import { hashReservedInto, reserveEncoding } from './node-hasher.ts';

export type StateVersion = 0 | 1;

/** blake2_256([0x00]): the root of an empty trie. */
export const EMPTY_TRIE_ROOT = Uint8Array.from([
  0x03, 0x17, 0x0a, 0x2e, 0x75, 0x97, 0xb7, 0xb7, 0xe3, 0xd8, 0x4c, 0x05, 0x39, 0x1d, 0x13, 0x9a, 0x62, 0xb1,
  0x57, 0xe7, 0x87, 0x86, 0xd8, 0xc0, 0x82, 0xf2, 0x9d, 0xcf, 0x4c, 0x11, 0x13, 0x14,
]);

export interface TrieCommit {
  root: Uint8Array;
  /** Hashed nodes (and hashed value nodes) now reachable that were not at the previous commit. */
  inserted: Array<[hash: Uint8Array, encoded: Uint8Array]>;
  /** Hashes of nodes reachable at the previous commit that no longer are. */
  removed: Uint8Array[];
}

const COMMITTED = 1;
const VALUE_COMMITTED = 2;

class Node {
  constructor(
    public owner: number,
    /** Partial key, one char (code 0..15) per nibble. */
    public partial: string,
    public value: Uint8Array | undefined,
    /** undefined for a leaf; 16 slots for a branch. */
    public children: Array<Node | undefined> | undefined,
    /** Cached blake2_256(value) when the value is stored hashed (version 1, >= 33 bytes). */
    public valueHash: Uint8Array | undefined = undefined,
    public flags = 0,
    /** Hash (one char per byte) under which commit() reported this node; undefined when not reported (inline). */
    public dbHash: string | undefined = undefined,
    /**
     * Branches: the children's references (inline encoding < 32 bytes, or blake2_256 of the encoding), SLOT bytes
     * per child (compact length byte, then the reference; 0 when there is no child). This is the only place a
     * node's reference is kept: encoding a branch reads one buffer instead of sixteen child nodes, and hashing a
     * child writes straight into its parent's slot. Slot i is current unless bit i of `stale` is set.
     */
    public slots: Uint8Array | undefined = children === undefined ? undefined : new Uint8Array(SLOTS_LENGTH),
    public stale = 0,
    /** Branches: bit i set when child i was put in place since this node's last commit (it may be uncommitted). */
    public placed = 0,
  ) {}
}

/** Bytes per child slot of a branch: SCALE compact length (one byte, references are at most 32 bytes) and reference. */
const SLOT = 1 + HASH_LENGTH;
const SLOTS_LENGTH = 16 * SLOT;

/** Puts `child` under `node` (an owned branch) at `index`; its slot is refreshed by the next root computation. */
function setChild(node: Node, index: number, child: Node | undefined): void {
  node.children![index] = child;
  node.stale |= 1 << index;
  node.placed |= 1 << index;
}

/** Bytes (or nibbles) as a flat one-byte string. */
function bytesToString(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (start === 0 && end === bytes.length && end <= 4096) {
    return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  if (end - start <= 4096)
    return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let i = start; i < end; i += 4096) s += bytesToString(bytes, i, Math.min(end, i + 4096));
  return s;
}

function stringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A flat copy of part of a string (plain slices/concatenations would keep their parents alive). */
function flatSlice(s: string, start: number, end = s.length): string {
  const out = new Uint8Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = s.charCodeAt(i);
  return bytesToString(out);
}

function writeString(out: Uint8Array, offset: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[offset + i] = s.charCodeAt(i);
  return offset + s.length;
}

let nextOwner = 1;

function emptyChildren(): Array<Node | undefined> {
  return [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ];
}

function concatNibbles(a: string, index: number, b: string): string {
  const out = new Uint8Array(a.length + 1 + b.length);
  writeString(out, 0, a);
  out[a.length] = index;
  writeString(out, a.length + 1, b);
  return bytesToString(out);
}

export class Trie {
  readonly version: StateVersion;
  private rootNode: Node | undefined = undefined;
  private owner = nextOwner++;
  private count = 0;
  /** Hashes (one char per byte) of committed nodes that left the trie since the last commit. */
  private removedSinceCommit: string[] = [];
  private mutated = false;
  /** The root's reference, as a slot (compact length byte, reference); current unless `rootStale`. */
  private rootSlot = new Uint8Array(SLOT);
  private rootStale = false;

  constructor(options: { version: StateVersion } = { version: 1 }) {
    if (options.version !== 0 && options.version !== 1) throw new RangeError('trie version must be 0 or 1');
    this.version = options.version;
  }

  static fromEntries(entries: Iterable<readonly [Uint8Array, Uint8Array]>, version: StateVersion): Trie {
    const t = new Trie({ version });
    for (const [k, v] of entries) t.set(k, v);
    return t;
  }

  get size(): number {
    return this.count;
  }

  /** O(1) copy sharing all nodes; both tries copy nodes on first write. Pending commit state is inherited. */
  clone(): Trie {
    const t = new Trie({ version: this.version });
    t.rootNode = this.rootNode;
    t.count = this.count;
    t.rootSlot = this.rootSlot.slice();
    t.rootStale = this.rootStale;
    t.removedSinceCommit = this.removedSinceCommit.slice();
    // Neither side may now mutate shared nodes in place.
    this.owner = nextOwner++;
    return t;
  }

  /** The stored value (shared with the trie: do not mutate it). */
  get(key: Uint8Array): Uint8Array | undefined {
    const node = this.find(key);
    return node?.value;
  }

  has(key: Uint8Array): boolean {
    return this.find(key)?.value !== undefined;
  }

  /** The node whose full path equals `key`, if any. */
  private find(key: Uint8Array): Node | undefined {
    let node = this.rootNode;
    const total = key.length * 2;
    let off = 0;
    while (node !== undefined) {
      const p = node.partial;
      if (total - off < p.length) return undefined;
      for (let i = 0; i < p.length; i++, off++) {
        const nib = off & 1 ? key[off >> 1] & 0x0f : key[off >> 1] >> 4;
        if (nib !== p.charCodeAt(i)) return undefined;
      }
      if (off === total) return node;
      if (node.children === undefined) return undefined;
      node = node.children[off & 1 ? key[off >> 1] & 0x0f : key[off >> 1] >> 4];
      off++;
    }
    return undefined;
  }

  /** Stores a copy of `value`. Setting a key to its current value is a no-op (nothing becomes dirty). */
  set(key: Uint8Array, value: Uint8Array): void {
    this.mutated = false;
    this.rootNode = this.insertAt(this.rootNode, toNibbles(key), 0, value);
    if (this.mutated) this.rootStale = true;
  }

  delete(key: Uint8Array): boolean {
    if (!this.has(key)) return false;
    this.count--;
    this.rootNode = this.removeAt(this.rootNode!, toNibbles(key), 0);
    this.rootStale = true;
    return true;
  }

  /**
   * Removes every key starting with `prefix` (all of them, or the first `limit` in key order, as
   * sp_io::storage::clear_prefix does). `complete` tells whether no key with the prefix is left.
   */
  deletePrefix(prefix: Uint8Array, limit?: number): { deleted: number; complete: boolean } {
    if (limit !== undefined) {
      const keys: Uint8Array[] = [];
      for (const [k] of this.entries(prefix)) {
        if (keys.length === limit) return this.deleteKeys(keys, false);
        keys.push(k);
      }
      return this.deleteKeys(keys, true);
    }
    const nibbles = toNibbles(prefix);
    if (this.rootNode === undefined || !this.prefixExists(nibbles)) return { deleted: 0, complete: true };
    const before = this.count;
    this.rootNode = this.removePrefixAt(this.rootNode, nibbles, 0);
    this.rootStale = true;
    return { deleted: before - this.count, complete: true };
  }

  private deleteKeys(keys: Uint8Array[], complete: boolean): { deleted: number; complete: boolean } {
    for (const k of keys) this.delete(k);
    return { deleted: keys.length, complete };
  }

  private prefixExists(prefix: Uint8Array): boolean {
    let node = this.rootNode;
    let off = 0;
    while (node !== undefined) {
      const p = node.partial;
      const n = Math.min(p.length, prefix.length - off);
      for (let i = 0; i < n; i++) if (p.charCodeAt(i) !== prefix[off + i]) return false;
      if (off + p.length >= prefix.length) return true;
      off += p.length;
      node = node.children?.[prefix[off]];
      off++;
    }
    return false;
  }

  // --- mutation helpers: a node is `own`ed (copied if shared) before any in-place change -------------------------

  private own(node: Node): Node {
    if (node.owner === this.owner) return node;
    return new Node(
      this.owner,
      node.partial,
      node.value,
      node.children?.slice(),
      node.valueHash,
      node.flags,
      node.dbHash,
      node.slots?.slice(),
      node.stale,
      node.placed,
    );
  }

  /**
   * Marks an owned node changed; if its encoding was committed, its hash is now unreachable. (Its reference is
   * recomputed because whoever puts it in place marks the parent's slot, or the root, stale.)
   */
  private touch(node: Node): void {
    if (node.flags & COMMITTED) {
      if (node.dbHash !== undefined) this.removedSinceCommit.push(node.dbHash);
      node.dbHash = undefined;
      node.flags &= ~COMMITTED;
    }
  }

  private replaceValue(node: Node, value: Uint8Array | undefined): void {
    if (node.flags & VALUE_COMMITTED) {
      this.removedSinceCommit.push(bytesToString(node.valueHash!));
      node.flags &= ~VALUE_COMMITTED;
    }
    node.valueHash = undefined;
    node.value = value;
  }

  /** A node leaves the trie (it may still be shared with a clone, so it is not modified). */
  private drop(node: Node): void {
    if (node.flags & COMMITTED && node.dbHash !== undefined) this.removedSinceCommit.push(node.dbHash);
    if (node.flags & VALUE_COMMITTED) this.removedSinceCommit.push(bytesToString(node.valueHash!));
  }

  private dropSubtree(node: Node): void {
    this.drop(node);
    if (node.value !== undefined) this.count--;
    if (node.children !== undefined) for (const c of node.children) if (c !== undefined) this.dropSubtree(c);
  }

  /**
   * Returns the node to put in place of `node`. Sets `mutated` when anything changed below: setting a key to its
   * current value must not dirty the path (owned nodes are changed in place, so identity cannot tell).
   */
  private insertAt(node: Node | undefined, key: Uint8Array, off: number, value: Uint8Array): Node {
    if (node === undefined) {
      this.count++;
      this.mutated = true;
      return new Node(this.owner, bytesToString(key, off), value.slice(), undefined);
    }
    const p = node.partial;
    const rem = key.length - off;
    const max = Math.min(p.length, rem);
    let common = 0;
    while (common < max && p.charCodeAt(common) === key[off + common]) common++;
    if (common === p.length) {
      if (common === rem) {
        if (node.value !== undefined && equalBytes(node.value, value)) return node;
        if (node.value === undefined) this.count++;
        this.mutated = true;
        node = this.own(node);
        this.touch(node);
        this.replaceValue(node, value.slice());
        return node;
      }
      const idx = key[off + common];
      const child = node.children?.[idx];
      const updated = this.insertAt(child, key, off + common + 1, value);
      if (!this.mutated) return node;
      node = this.own(node);
      this.touch(node);
      if (node.children === undefined) {
        node.children = emptyChildren();
        node.slots = new Uint8Array(SLOTS_LENGTH);
      }
      setChild(node, idx, updated);
      return node;
    }
    // Split: a new branch takes the common part; the old node keeps what follows its index nibble.
    this.count++;
    this.mutated = true;
    const branch = new Node(this.owner, flatSlice(p, 0, common), undefined, emptyChildren());
    node = this.own(node);
    this.touch(node);
    const oldIdx = p.charCodeAt(common);
    node.partial = flatSlice(p, common + 1);
    setChild(branch, oldIdx, node);
    if (common === rem) branch.value = value.slice();
    else {
      setChild(
        branch,
        key[off + common],
        new Node(this.owner, bytesToString(key, off + common + 1), value.slice(), undefined),
      );
    }
    return branch;
  }

  private removeAt(node: Node, key: Uint8Array, off: number): Node | undefined {
    off += node.partial.length;
    if (off === key.length) {
      if (node.children === undefined) {
        this.drop(node);
        return undefined;
      }
      node = this.own(node);
      this.touch(node);
      this.replaceValue(node, undefined);
      return this.normalize(node);
    }
    node = this.own(node);
    this.touch(node);
    const idx = key[off];
    setChild(node, idx, this.removeAt(node.children![idx]!, key, off + 1));
    return this.normalize(node);
  }

  private removePrefixAt(node: Node, prefix: Uint8Array, off: number): Node | undefined {
    if (off + node.partial.length >= prefix.length) {
      this.dropSubtree(node);
      return undefined;
    }
    off += node.partial.length;
    node = this.own(node);
    this.touch(node);
    const idx = prefix[off];
    setChild(node, idx, this.removePrefixAt(node.children![idx]!, prefix, off + 1));
    return this.normalize(node);
  }

  /** Restores the invariants after a removal below an owned, touched node: no valueless branch with < 2 children. */
  private normalize(node: Node): Node | undefined {
    const ch = node.children;
    if (ch === undefined) return node;
    let count = 0;
    let last = -1;
    for (let i = 0; i < 16; i++) {
      if (ch[i] !== undefined) {
        count++;
        last = i;
      }
    }
    if (count === 0) {
      node.children = undefined;
      node.slots = undefined;
      node.stale = 0;
      node.placed = 0;
      if (node.value === undefined) {
        this.drop(node);
        return undefined;
      }
      return node;
    }
    if (count === 1 && node.value === undefined) {
      const child = this.own(ch[last]!);
      this.touch(child);
      child.partial = concatNibbles(node.partial, last, child.partial);
      this.drop(node);
      return child;
    }
    return node;
  }

  // --- hashing ---------------------------------------------------------------------------------------------------

  private isValueHashed(node: Node): boolean {
    return this.version === 1 && node.value !== undefined && node.value.length >= VALUE_HASH_THRESHOLD;
  }

  /** A copy of the node's encoding; children references must be current. */
  private encode(node: Node): Uint8Array {
    const out = new Uint8Array(this.encodedSize(node));
    this.writeEncoding(node, out, 0);
    return out;
  }

  /**
   * The length of the node's encoding (sp-trie NodeCodec layout, see node-codec.ts); computes the value hash first
   * when the value is stored hashed, so that writing the encoding needs no other hashing.
   */
  private encodedSize(node: Node): number {
    const count = node.partial.length;
    if (count > MAX_PARTIAL_NIBBLES)
      throw new RangeError(`partial key of ${count} nibbles exceeds the trie limit`);
    const value = node.value;
    const hashed = this.isValueHashed(node);
    if (hashed && node.valueHash === undefined) node.valueHash = blake2_256(value!);
    const slots = node.slots;
    const prefixBits = hashed ? (slots === undefined ? 3 : 4) : 2;
    let size = headerLength(count, prefixBits) + ((count + 1) >> 1);
    if (value !== undefined) size += hashed ? HASH_LENGTH : compactLength(value.length) + value.length;
    if (slots !== undefined) {
      size += 2;
      for (let at = 0; at < SLOTS_LENGTH; at += SLOT) {
        const compact = slots[at];
        if (compact !== 0) size += 1 + (compact >> 2);
      }
    }
    return size;
  }

  /** Writes the encoding (`encodedSize` bytes, which must have been called) at `out[o]`; returns where it ends. */
  private writeEncoding(node: Node, out: Uint8Array, o: number): number {
    const partial = node.partial;
    const count = partial.length;
    const value = node.value;
    const hashed = this.isValueHashed(node);
    const slots = node.slots;
    let prefix: number;
    let prefixBits = 2;
    if (slots === undefined) {
      prefix = hashed ? HASHED_VALUE_LEAF : LEAF;
      if (hashed) prefixBits = 3;
    } else if (value === undefined) {
      prefix = BRANCH_NO_VALUE;
    } else {
      prefix = hashed ? HASHED_VALUE_BRANCH : BRANCH_WITH_VALUE;
      if (hashed) prefixBits = 4;
    }
    o += writeHeader(out, prefix, prefixBits, count, o);
    let i = 0;
    if (count & 1) out[o++] = partial.charCodeAt(i++);
    while (i < count) {
      out[o++] = (partial.charCodeAt(i) << 4) | partial.charCodeAt(i + 1);
      i += 2;
    }
    const bitmapAt = o;
    if (slots !== undefined) o += 2;
    if (value !== undefined) {
      if (hashed) {
        out.set(node.valueHash!, o);
        o += HASH_LENGTH;
      } else {
        o = writeCompact(out, o, value.length);
        out.set(value, o);
        o += value.length;
      }
    }
    if (slots !== undefined) {
      let bitmap = 0;
      for (let c = 0, at = 0; c < 16; c++, at += SLOT) {
        const compact = slots[at];
        if (compact === 0) continue;
        bitmap |= 1 << c;
        const end = at + 1 + (compact >> 2);
        for (let j = at; j < end; j++) out[o++] = slots[j];
      }
      out[bitmapAt] = bitmap & 0xff;
      out[bitmapAt + 1] = bitmap >> 8;
    }
    return o;
  }

  /**
   * Computes the reference of `node` into `out[at]` (a slot: compact length byte, then the reference), first
   * bringing its stale child slots up to date, depth first. Slots are pure caches of their children's content, so
   * this may write into nodes shared with clones.
   */
  private refresh(node: Node, out: Uint8Array, at: number): void {
    const slots = node.slots;
    if (slots !== undefined && node.stale !== 0) {
      const children = node.children!;
      let stale = node.stale;
      while (stale !== 0) {
        const i = 31 - Math.clz32(stale & -stale);
        stale &= stale - 1;
        const c = children[i];
        if (c === undefined) slots[i * SLOT] = 0;
        else this.refresh(c, slots, i * SLOT);
      }
      node.stale = 0;
    }
    const size = this.encodedSize(node);
    if (size < HASH_LENGTH) {
      out[at] = size << 2;
      this.writeEncoding(node, out, at + 1);
    } else {
      // Encoded straight into the hasher's input (wasm memory) and hashed straight into the slot: no copies.
      const target = reserveEncoding(size);
      const end = this.writeEncoding(node, target.bytes, target.offset);
      if (end - target.offset !== size)
        throw new Error(`trie node encoding took ${end - target.offset} of ${size} bytes`);
      out[at] = HASH_LENGTH << 2;
      hashReservedInto(out, at + 1);
    }
  }

  /** Brings the root's reference up to date. */
  private refreshRoot(): void {
    if (this.rootStale && this.rootNode !== undefined) this.refresh(this.rootNode, this.rootSlot, 0);
    this.rootStale = false;
  }

  root(): Uint8Array {
    if (this.rootNode === undefined) return EMPTY_TRIE_ROOT.slice();
    this.refreshRoot();
    const len = this.rootSlot[0] >> 2;
    return len === HASH_LENGTH
      ? this.rootSlot.slice(1, 1 + len)
      : blake2_256(this.rootSlot.subarray(1, 1 + len));
  }

  commit(): TrieCommit {
    const root = this.root();
    const inserted: Array<[string, Uint8Array]> = [];
    if (this.rootNode !== undefined && !(this.rootNode.flags & COMMITTED)) {
      this.rootNode = this.own(this.rootNode);
      this.commitNode(this.rootNode, this.rootSlot, 0, true, inserted);
    }
    const removed = this.removedSinceCommit;
    this.removedSinceCommit = [];
    // +1/-1 of the same hash cancel out (e.g. a value set and then restored, or a node moved unchanged).
    let keptInserted = inserted;
    let keptRemoved = removed;
    if (removed.length > 0 && inserted.length > 0) {
      const pending = new Map<string, number>();
      for (const h of removed) pending.set(h, (pending.get(h) ?? 0) + 1);
      keptInserted = inserted.filter(([h]) => {
        const n = pending.get(h);
        if (n === undefined || n === 0) return true;
        pending.set(h, n - 1);
        return false;
      });
      if (keptInserted.length !== inserted.length) {
        keptRemoved = removed.filter((h) => {
          const n = pending.get(h)!;
          if (n === 0) return false;
          pending.set(h, n - 1);
          return true;
        });
      }
    }
    return {
      root,
      inserted: keptInserted.map(([h, enc]) => [stringToBytes(h), enc]),
      removed: keptRemoved.map(stringToBytes),
    };
  }

  /**
   * `node` is owned and not committed, its reference current in `refs[at]` (its parent's slot); its children are
   * owned here before being marked.
   */
  private commitNode(
    node: Node,
    refs: Uint8Array,
    at: number,
    isRoot: boolean,
    out: Array<[string, Uint8Array]>,
  ): void {
    const children = node.children;
    if (children !== undefined) {
      // Only children put in place since the last commit can be uncommitted: the others need not be visited.
      let placed = node.placed;
      while (placed !== 0) {
        const i = 31 - Math.clz32(placed & -placed);
        placed &= placed - 1;
        const c = children[i];
        if (c === undefined || c.flags & COMMITTED) continue;
        const owned = this.own(c);
        children[i] = owned;
        this.commitNode(owned, node.slots!, i * SLOT, false, out);
      }
      node.placed = 0;
    }
    const enc = this.encode(node);
    if (enc.length >= HASH_LENGTH || isRoot) {
      node.dbHash =
        enc.length >= HASH_LENGTH
          ? bytesToString(refs, at + 1, at + 1 + HASH_LENGTH)
          : bytesToString(blake2_256(enc));
      out.push([node.dbHash, enc]);
    }
    node.flags |= COMMITTED;
    if (this.isValueHashed(node) && !(node.flags & VALUE_COMMITTED)) {
      out.push([bytesToString(node.valueHash!), node.value!]);
      node.flags |= VALUE_COMMITTED;
    }
  }

  // --- iteration -------------------------------------------------------------------------------------------------

  /**
   * Entries in key order whose key starts with `prefix` and is >= `startKey` (> with `startExclusive`).
   * Do not mutate the trie while iterating.
   */
  *entries(
    prefix: Uint8Array = new Uint8Array(0),
    startKey?: Uint8Array,
    startExclusive = false,
  ): Generator<[Uint8Array, Uint8Array]> {
    if (this.rootNode === undefined) return;
    const start = startKey === undefined ? undefined : toNibbles(startKey);
    yield* walk(this.rootNode, [], toNibbles(prefix), start, start !== undefined, startExclusive);
  }

  keys(prefix?: Uint8Array, startKey?: Uint8Array): Generator<Uint8Array> {
    const it = this.entries(prefix, startKey);
    return (function* () {
      for (const [k] of it) yield k;
    })();
  }

  /** The first key strictly after `key` (sp_io::storage::next_key), or undefined. */
  nextKey(key: Uint8Array): Uint8Array | undefined {
    for (const [k] of this.entries(undefined, key, true)) return k;
    return undefined;
  }

  // --- proofs ----------------------------------------------------------------------------------------------------

  /**
   * Storage proof for `keys` (presence or absence): the encodings of every stored node on their lookup paths, plus,
   * with version 1, the values stored as value nodes. Deduplicated, sorted bytewise (as sp-trie's StorageProof).
   */
  proof(keys: Uint8Array[]): Uint8Array[] {
    const nodes = new Map<string, Uint8Array>();
    if (this.rootNode === undefined) return [];
    this.refreshRoot();
    for (const key of keys) {
      let node: Node | undefined = this.rootNode;
      let isRoot = true;
      const total = key.length * 2;
      let off = 0;
      while (node !== undefined) {
        const enc = this.encode(node);
        if (isRoot || enc.length >= HASH_LENGTH) nodes.set(toHex(enc), enc);
        isRoot = false;
        const p = node.partial;
        if (total - off < p.length) break;
        let match = true;
        for (let i = 0; i < p.length; i++, off++) {
          const nib = off & 1 ? key[off >> 1] & 0x0f : key[off >> 1] >> 4;
          if (nib !== p.charCodeAt(i)) {
            match = false;
            break;
          }
        }
        if (!match) break;
        if (off === total) {
          if (this.isValueHashed(node)) nodes.set(toHex(node.value!), node.value!);
          break;
        }
        if (node.children === undefined) break;
        node = node.children[off & 1 ? key[off >> 1] & 0x0f : key[off >> 1] >> 4];
        off++;
      }
    }
    return [...nodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }
}

/**
 * Ordered DFS over in-memory nodes. `path` holds the nibbles above `node`; key-order.ts decides what is in range.
 */
function* walk(
  node: Node,
  path: number[],
  prefix: Uint8Array,
  start: Uint8Array | undefined,
  bounded: boolean,
  exclusive: boolean,
): Generator<[Uint8Array, Uint8Array]> {
  const base = path.length;
  for (let i = 0; i < node.partial.length; i++) path.push(node.partial.charCodeAt(i));
  try {
    const len = path.length;
    const window = keyWindow(path, len, prefix, start, bounded, exclusive);
    if (window === OUTSIDE) return;
    if (valueInRange(window) && node.value !== undefined) yield [fromNibbles(path, len), node.value];
    const children = node.children;
    if (children === undefined) return;
    for (let i = firstChild(window), last = lastChild(window); i <= last; i++) {
      const c = children[i];
      if (c === undefined) continue;
      path.push(i);
      yield* walk(c, path, prefix, start, childBounded(window, i), exclusive);
      path.pop();
    }
  } finally {
    path.length = base;
  }
}
