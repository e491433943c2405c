/**
 * Depth-first (pre-order) walk of a DAG in the local blockstore, the block order of a trustless-gateway CAR
 * with `order=dfs`: a block, then each of its links' subtrees in link order. Blocks are read one at a time
 * as the consumer pulls, so a CAR of any size streams with memory bounded by the tree's width × depth.
 */
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import type { CID } from 'multiformats/cid';
import { dagPbIsLeaf } from '../ipfs/blocks.ts';
import { canLink, ipldLinks } from './ipld-links.ts';
import { IDENTITY_HASH, type LentBlock, type LocalBlocks } from './storage.ts';

/** How much of the DAG below the terminus is sent (trustless gateway `dag-scope`). */
export type DagScope = 'all' | 'entity' | 'block';

export interface WalkedBlock {
  cid: CID;
  bytes: Uint8Array;
  /** With `lend`: the pooled buffer holding `bytes`; the consumer calls `lent.release()` when done. */
  lent?: LentBlock;
}

export interface WalkOptions {
  scope: DagScope;
  /** false = each block at most once (`dups=n`). */
  dups: boolean;
  signal?: AbortSignal;
  /** CIDs already sent (shared across several walks in one response, e.g. path blocks then terminus). */
  seen?: Set<string>;
  /** Read blocks into pooled buffers ({@link LocalBlocks.lend}); every yielded block must be released. */
  lend?: boolean;
}

/** Yields the blocks of the DAG under `root` in DFS order; identity blocks are never yielded (spec). */
export async function* walkDag(
  root: CID,
  blocks: LocalBlocks,
  opts: WalkOptions,
): AsyncGenerator<WalkedBlock> {
  const seen = opts.seen ?? new Set<string>();
  const stack: Array<{ cid: CID; scope: DagScope }> = [{ cid: root, scope: opts.scope }];
  while (stack.length > 0) {
    opts.signal?.throwIfAborted();
    const { cid, scope } = stack.pop()!;
    if (cid.multihash.code === IDENTITY_HASH) continue;
    const key = cid.toString();
    if (!opts.dups && seen.has(key)) continue;
    const lent = opts.lend ? await blocks.lend(cid, opts.signal) : undefined;
    const bytes = lent ? lent.bytes : await blocks.get(cid, opts.signal);
    seen.add(key);
    let children: Array<{ cid: CID; scope: DagScope }>;
    try {
      const leaf = scope === 'block' || !canLink(cid.code) || (cid.code === dagPb.code && dagPbIsLeaf(bytes));
      // A node with links is decoded from a copy when lent: link CIDs are views of the bytes decoded, and
      // the lent buffer will be reused (interior nodes are few; leaves are never copied). Not
      // `bytes.slice()`: on a Buffer that is a view too.
      children = leaf ? [] : childLinks(cid, lent ? Uint8Array.prototype.slice.call(bytes) : bytes, scope);
    } catch (err) {
      lent?.release();
      throw err;
    }
    yield { cid, bytes, lent };
    // Push in reverse so the first link is visited next.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/**
 * Links of a block that belong to the walk. In `entity` scope a UnixFS file brings all its blocks, a
 * directory none of its entries, and a HAMT shard only its sub-shards (what it takes to enumerate it).
 */
function childLinks(cid: CID, bytes: Uint8Array, scope: DagScope): Array<{ cid: CID; scope: DagScope }> {
  // dag-cbor / dag-json: every linked block in `all` scope; such data is never a UnixFS entity.
  if (cid.code !== dagPb.code)
    return scope === 'all' ? ipldLinks(cid, bytes).map((l) => ({ cid: l.cid, scope })) : [];
  const node = dagPb.decode(bytes);
  if (scope === 'all') return node.Links.map((l) => ({ cid: l.Hash, scope }));
  const kind = unixfsType(node);
  if (kind === 'file' || kind === 'raw') return node.Links.map((l) => ({ cid: l.Hash, scope: 'all' }));
  if (kind === 'hamt-sharded-directory') return hamtSubShards(node).map((c) => ({ cid: c, scope }));
  return [];
}

function unixfsType(node: dagPb.PBNode): string | undefined {
  if (node.Data === undefined) return undefined;
  try {
    return UnixFS.unmarshal(node.Data).type;
  } catch {
    return undefined;
  }
}

/** HAMT links whose name is only the hex bucket prefix point at sub-shards; longer names are entries. */
function hamtSubShards(node: dagPb.PBNode): CID[] {
  const fanout = Number(UnixFS.unmarshal(node.Data!).fanout ?? 256n);
  const padLength = (fanout - 1).toString(16).length;
  return node.Links.filter((l) => (l.Name ?? '').length === padLength).map((l) => l.Hash);
}
