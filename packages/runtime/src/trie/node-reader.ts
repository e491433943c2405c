/**
 * Reading a trie from its encoded nodes, fetched by hash: proof verification (nodes from a proof) and historical
 * reads from a node database. The walks are written once as generators that yield the hashes they need; a sync
 * driver (proofs) and an async driver (databases) feed them. The ordered walk takes its range decisions from
 * key-order.ts, as the in-memory trie's does.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { childBounded, firstChild, keyWindow, lastChild, OUTSIDE, valueInRange } from './key-order.ts';
import { equalBytes, fromNibbles, toHex, toNibbles } from './nibbles.ts';
import { type DecodedNode, decodeNode, HASH_LENGTH, TrieNodeDecodeError } from './node-codec.ts';
import { EMPTY_TRIE_ROOT, type StateVersion } from './trie.ts';

/** A proof lacks a node needed to answer, or a node's bytes are malformed. */
export class TrieProofError extends Error {
  override name = 'TrieProofError';
}

/** The node database has no node under a hash the trie refers to, or returned bytes with another hash. */
export class MissingTrieNodeError extends Error {
  override name = 'MissingTrieNodeError';
  constructor(readonly hash: Uint8Array) {
    super(`trie node ${toHex(hash)} not found`);
  }
}

/** What a walk asks for: the bytes stored under `hash` (a node, or a value node when `value`). */
interface Fetch {
  hash: Uint8Array;
  value: boolean;
}

type Walk<T> = Generator<Fetch, T, Uint8Array>;

function* load(ref: Uint8Array, inline: boolean, version: StateVersion | undefined): Walk<DecodedNode> {
  const bytes = inline ? ref : yield { hash: ref, value: false };
  const node = decodeNode(bytes);
  if (version === 0 && node.kind !== 'empty' && node.value?.hashed) {
    throw new TrieNodeDecodeError('hashed value node in a version 0 trie', 0);
  }
  return node;
}

function* readValue(node: DecodedNode): Walk<Uint8Array | undefined> {
  if (node.kind === 'empty' || node.value === undefined) return undefined;
  if (!node.value.hashed) return node.value.data;
  return yield { hash: node.value.hash, value: true };
}

/** Looks `key` up starting at the root hash. */
function* lookup(root: Uint8Array, key: Uint8Array, version?: StateVersion): Walk<Uint8Array | undefined> {
  if (equalBytes(root, EMPTY_TRIE_ROOT)) return undefined;
  const nibbles = toNibbles(key);
  let node = yield* load(root, false, version);
  let off = 0;
  for (;;) {
    if (node.kind === 'empty') return undefined;
    const p = node.partial;
    if (nibbles.length - off < p.length) return undefined;
    for (let i = 0; i < p.length; i++) if (p[i] !== nibbles[off + i]) return undefined;
    off += p.length;
    if (off === nibbles.length) return yield* readValue(node);
    if (node.kind === 'leaf') return undefined;
    const child = node.children[nibbles[off++]];
    if (child === undefined) return undefined;
    node = yield* load(child, child.length < HASH_LENGTH, version);
  }
}

/** Ordered traversal yielding entries, the same walk as Trie.entries (key-order.ts decides what is in range). */
function* iterate(
  ref: Uint8Array,
  inline: boolean,
  path: number[],
  prefix: Uint8Array,
  start: Uint8Array | undefined,
  bounded: boolean,
  exclusive: boolean,
  version: StateVersion | undefined,
  withValues: boolean,
): Generator<Fetch | { entry: [Uint8Array, Uint8Array | undefined] }, void, Uint8Array> {
  const node = yield* load(ref, inline, version);
  if (node.kind === 'empty') return;
  const base = path.length;
  for (let i = 0; i < node.partial.length; i++) path.push(node.partial[i]);
  try {
    const len = path.length;
    const window = keyWindow(path, len, prefix, start, bounded, exclusive);
    if (window === OUTSIDE) return;
    if (valueInRange(window) && node.value !== undefined) {
      // Key-only walks skip hashed value nodes: they are neither needed nor in a next-key proof.
      const value = withValues ? yield* readValue(node) : undefined;
      yield { entry: [fromNibbles(path, len), value] };
    }
    if (node.kind === 'leaf') return;
    for (let i = firstChild(window), last = lastChild(window); i <= last; i++) {
      const c = node.children[i];
      if (c === undefined) continue;
      path.push(i);
      yield* iterate(
        c,
        c.length < HASH_LENGTH,
        path,
        prefix,
        start,
        childBounded(window, i),
        exclusive,
        version,
        withValues,
      );
      path.pop();
    }
  } finally {
    path.length = base;
  }
}

function startIteration(
  root: Uint8Array,
  prefix: Uint8Array,
  startKey: Uint8Array | undefined,
  startExclusive: boolean,
  version: StateVersion | undefined,
  withValues = true,
) {
  if (equalBytes(root, EMPTY_TRIE_ROOT)) return undefined;
  const start = startKey === undefined ? undefined : toNibbles(startKey);
  return iterate(
    root,
    false,
    [],
    toNibbles(prefix),
    start,
    start !== undefined,
    startExclusive,
    version,
    withValues,
  );
}

// --- proofs (sync) -----------------------------------------------------------------------------------------------

function proofDatabase(proof: Uint8Array[]): Map<string, Uint8Array> {
  const db = new Map<string, Uint8Array>();
  for (const node of proof) db.set(toHex(blake2_256(node)), node);
  return db;
}

function runSync<T>(walk: Walk<T>, db: Map<string, Uint8Array>): T {
  let step = walk.next(undefined as unknown as Uint8Array);
  while (!step.done) {
    const { hash, value } = step.value;
    const bytes = db.get(toHex(hash));
    if (bytes === undefined) {
      throw new TrieProofError(`proof is incomplete: ${value ? 'value' : 'node'} ${toHex(hash)} is missing`);
    }
    step = walk.next(bytes);
  }
  return step.value;
}

/**
 * Checks a storage proof against `root` and reads `keys` from it. Returns a Map from each given key object to its
 * value, or undefined when the proof shows the key is absent. Nodes are identified by their hash, so a tampered
 * node simply is not found: TrieProofError when a needed node is missing or malformed. Unused nodes are allowed.
 */
export function verifyProof(
  root: Uint8Array,
  proof: Uint8Array[],
  keys: Uint8Array[],
  version?: StateVersion,
): Map<Uint8Array, Uint8Array | undefined> {
  if (!(root instanceof Uint8Array) || root.length !== HASH_LENGTH)
    throw new TrieProofError('root must be 32 bytes');
  const db = proofDatabase(proof);
  const out = new Map<Uint8Array, Uint8Array | undefined>();
  for (const key of keys) {
    try {
      out.set(key, runSync(lookup(root, key, version), db));
    } catch (e) {
      if (e instanceof TrieNodeDecodeError) throw new TrieProofError(`malformed node in proof: ${e.message}`);
      throw e;
    }
  }
  return out;
}

/** All entries under `prefix` provable from `proof` (e.g. a full child trie or a range proof): fails if incomplete. */
export function entriesFromProof(
  root: Uint8Array,
  proof: Uint8Array[],
  prefix: Uint8Array = new Uint8Array(0),
  version?: StateVersion,
): Array<[Uint8Array, Uint8Array]> {
  const db = proofDatabase(proof);
  const it = startIteration(root, prefix, undefined, false, version);
  const out: Array<[Uint8Array, Uint8Array]> = [];
  if (it === undefined) return out;
  try {
    let step = it.next(undefined as unknown as Uint8Array);
    while (!step.done) {
      const v = step.value;
      if ('entry' in v) {
        out.push(v.entry as [Uint8Array, Uint8Array]);
        step = it.next(undefined as unknown as Uint8Array);
        continue;
      }
      const bytes = db.get(toHex(v.hash));
      if (bytes === undefined)
        throw new TrieProofError(`proof is incomplete: node ${toHex(v.hash)} is missing`);
      step = it.next(bytes);
    }
  } catch (e) {
    if (e instanceof TrieNodeDecodeError) throw new TrieProofError(`malformed node in proof: ${e.message}`);
    throw e;
  }
  return out;
}

// --- node database (async) ---------------------------------------------------------------------------------------

export type GetNode = (hash: Uint8Array) => Promise<Uint8Array | undefined>;

async function fetchChecked(getNode: GetNode, hash: Uint8Array): Promise<Uint8Array> {
  const bytes = await getNode(hash);
  // A store returning bytes under the wrong hash is corrupt: treat it like a missing node rather than lie.
  if (bytes === undefined || !equalBytes(blake2_256(bytes), hash)) throw new MissingTrieNodeError(hash);
  return bytes;
}

/** Reads `key` from the trie with root `root`, fetching nodes (and value nodes) by hash. */
export async function readFromNodes(
  root: Uint8Array,
  key: Uint8Array,
  getNode: GetNode,
  version?: StateVersion,
): Promise<Uint8Array | undefined> {
  const walk = lookup(root, key, version);
  let step = walk.next(undefined as unknown as Uint8Array);
  while (!step.done) step = walk.next(await fetchChecked(getNode, step.value.hash));
  return step.value;
}

export interface NodeIterationOptions {
  prefix?: Uint8Array;
  /** Inclusive unless `startExclusive`. */
  startKey?: Uint8Array;
  startExclusive?: boolean;
  version?: StateVersion;
}

async function* walkNodes(
  root: Uint8Array,
  getNode: GetNode,
  options: NodeIterationOptions,
  withValues: boolean,
): AsyncGenerator<[Uint8Array, Uint8Array | undefined]> {
  const { prefix = new Uint8Array(0), startKey, startExclusive = false, version } = options;
  const it = startIteration(root, prefix, startKey, startExclusive, version, withValues);
  if (it === undefined) return;
  let step = it.next(undefined as unknown as Uint8Array);
  while (!step.done) {
    const v = step.value;
    if ('entry' in v) {
      yield v.entry;
      step = it.next(undefined as unknown as Uint8Array);
    } else {
      step = it.next(await fetchChecked(getNode, v.hash));
    }
  }
}

/**
 * Entries of the trie with root `root` in key order, under `prefix`, from `startKey`, reading stored nodes: what
 * storage iteration over historical state needs.
 */
export async function* entriesFromNodes(
  root: Uint8Array,
  getNode: GetNode,
  options: NodeIterationOptions = {},
): AsyncGenerator<[Uint8Array, Uint8Array]> {
  for await (const e of walkNodes(root, getNode, options, true)) yield e as [Uint8Array, Uint8Array];
}

/** Keys only (state_getKeysPaged): hashed value nodes are not fetched. */
export async function* keysFromNodes(
  root: Uint8Array,
  getNode: GetNode,
  options: NodeIterationOptions = {},
): AsyncGenerator<Uint8Array> {
  for await (const [k] of walkNodes(root, getNode, options, false)) yield k;
}

/** The first key strictly after `key` in the trie with root `root`, from stored nodes. */
export async function nextKeyFromNodes(
  root: Uint8Array,
  key: Uint8Array,
  getNode: GetNode,
  version?: StateVersion,
): Promise<Uint8Array | undefined> {
  for await (const k of keysFromNodes(root, getNode, { startKey: key, startExclusive: true, version }))
    return k;
  return undefined;
}
