/**
 * The blocks of a trustless-gateway CAR with `entity-bytes=from:to` (specs.ipfs.tech/http-gateways/trustless-gateway,
 * "entity-bytes"): for a UnixFS file, only the blocks needed to verify that byte range — the root, and below it
 * each node whose `blocksizes` span meets the range — depth first in link order; `from`/`to` may count from the
 * end (negative) and `to` may be `*`. A range that is empty or wholly outside the file is answered like
 * `dag-scope=block` (the root alone, whose `blocksizes` let the client see why). Anything that is not a UnixFS
 * file ignores the parameter: `dag-scope=entity`.
 */
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import type { CID } from 'multiformats/cid';
import { type WalkedBlock, walkDag } from './dag-walk.ts';
import { UndecodableBlockError } from './ipld-links.ts';
import { IDENTITY_HASH, type LocalBlocks } from './storage.ts';

const RAW_CODE = 0x55;

export interface EntityBytesOptions {
  dups: boolean;
  signal?: AbortSignal;
  seen: Set<string>;
}

/** `from:to` against a file of `size` bytes, as an inclusive range; undefined when it selects nothing. */
export function entityRange(spec: string, size: number): { first: number; last: number } | undefined {
  const [fromText, toText] = spec.split(':') as [string, string];
  let first = Number(fromText);
  let last = toText === '*' ? size - 1 : Number(toText);
  if (first < 0) first = Math.max(0, size + first);
  if (toText !== '*' && last < 0) last = size + last;
  last = Math.min(last, size - 1);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first > last || first >= size)
    return undefined;
  return { first, last };
}

export async function* entityBytesBlocks(
  root: CID,
  spec: string,
  blocks: LocalBlocks,
  opts: EntityBytesOptions,
): AsyncGenerator<WalkedBlock> {
  const walkOpts = { dups: opts.dups, signal: opts.signal, seen: opts.seen };
  if (root.code === RAW_CODE || root.multihash.code === IDENTITY_HASH) {
    yield* walkDag(root, blocks, { ...walkOpts, scope: 'block' });
    return;
  }
  if (root.code !== dagPb.code) {
    yield* walkDag(root, blocks, { ...walkOpts, scope: 'entity' });
    return;
  }
  const rootBytes = await blocks.get(root, opts.signal);
  const rootFile = fileNode(root, rootBytes);
  if (rootFile === undefined) {
    yield* walkDag(root, blocks, { ...walkOpts, scope: 'entity' });
    return;
  }
  const range = entityRange(spec, Number(rootFile.unixfs.fileSize()));
  // Each entry: a block of the file and where its bytes start in the file.
  const stack: Array<{ cid: CID; offset: number; bytes?: Uint8Array }> = [
    { cid: root, offset: 0, bytes: rootBytes },
  ];
  while (stack.length > 0) {
    opts.signal?.throwIfAborted();
    const { cid, offset, bytes: known } = stack.pop()!;
    if (cid.multihash.code === IDENTITY_HASH) continue;
    const key = cid.toString();
    if (!opts.dups && opts.seen.has(key)) continue;
    const bytes = known ?? (await blocks.get(cid, opts.signal));
    opts.seen.add(key);
    yield { cid, bytes };
    if (range === undefined || cid.code !== dagPb.code) continue;
    const file = fileNode(cid, bytes);
    if (file === undefined) continue;
    const children: Array<{ cid: CID; offset: number }> = [];
    let at = offset + (file.unixfs.data?.byteLength ?? 0);
    file.node.Links.forEach((link, i) => {
      const span = Number(file.unixfs.blockSizes[i] ?? 0n);
      if (at <= range.last && at + span - 1 >= range.first && span > 0)
        children.push({ cid: link.Hash, offset: at });
      at += span;
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

function fileNode(cid: CID, bytes: Uint8Array): { node: dagPb.PBNode; unixfs: UnixFS } | undefined {
  let node: dagPb.PBNode;
  try {
    node = dagPb.decode(bytes);
  } catch (err) {
    throw new UndecodableBlockError(`block ${cid} does not decode as dag-pb: ${(err as Error).message}`);
  }
  if (node.Data === undefined) return undefined;
  try {
    const unixfs = UnixFS.unmarshal(node.Data);
    return unixfs.type === 'file' || unixfs.type === 'raw' ? { node, unixfs } : undefined;
  } catch {
    return undefined;
  }
}
