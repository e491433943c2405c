/**
 * What the manager and the worker need of the node's IPFS side, in one place: the IPFS modules as they are today
 * (./ipfs), reading blocks below Helia's GC lock, a DAG's size, random checks of a file's blocks,
 * and the disk space the blocks take.
 */
import { statfs } from 'node:fs/promises';
import * as dagPb from '@ipld/dag-pb';
import { CID } from 'multiformats/cid';
import {
  BlockHashMismatchError,
  blockLinks,
  innermostBlockstore,
  readBlock,
  verifyBlockSync,
} from './ipfs/blocks.ts';
import { storeBelowGcLock } from './ipfs/gc-lock.ts';
import type { PackBlockstore } from './ipfs/pack/pack-blockstore.ts';
import type { HeliaNode } from './ipfs/storage-node.ts';

export { Fetcher, type FetchOutcome, type Provider } from './ipfs/fetcher.ts';
export { StorageNode } from './ipfs/storage-node.ts';
export type { HeliaNode };

const RAW = 0x55;
const DAG_PB = 0x70;

export class BlockMissingError extends Error {
  override name = 'BlockMissingError';
}

/** Reads one block (any CID form) from the node's disk, below the GC lock; BlockMissingError if absent. */
export async function getBlock(helia: HeliaNode, cid: CID, signal?: AbortSignal): Promise<Uint8Array> {
  const store = storeBelowGcLock(helia);
  if (!(await store.has(cid, { signal }))) throw new BlockMissingError(`block ${cid} is missing`);
  try {
    return await readBlock(await store.get(cid, { signal, offline: true }));
  } catch (err) {
    if ((err as Error).name === 'NotFoundError') throw new BlockMissingError(`block ${cid} is missing`);
    throw err;
  }
}

/**
 * The DAG's cumulative size (what `ipfs add` reports as `Size` and orders declare): a raw root's length, or a
 * dag-pb root's length plus its links' Tsize.
 */
export async function dagSize(helia: HeliaNode, root: CID): Promise<number> {
  const bytes = await getBlock(helia, root);
  if (root.code !== DAG_PB) return bytes.length;
  const node = dagPb.decode(bytes);
  return bytes.length + node.Links.reduce((s, l) => s + (l.Tsize ?? 0), 0);
}

/**
 * Walks `paths` random root-to-leaf paths of the DAG, reading each block and checking its hash. Resolves with
 * undefined when every block is there and sound, or the problem found.
 */
export async function checkRandomPaths(
  helia: HeliaNode,
  root: CID,
  paths: number,
  random: () => number = Math.random,
  signal?: AbortSignal,
): Promise<string | undefined> {
  for (let p = 0; p < paths; p++) {
    let cid = root;
    for (let depth = 0; depth < 64; depth++) {
      signal?.throwIfAborted();
      let bytes: Uint8Array;
      try {
        bytes = await getBlock(helia, cid, signal);
        verifyBlockSync(cid, bytes);
      } catch (err) {
        if (err instanceof BlockMissingError) return err.message;
        if (err instanceof BlockHashMismatchError) return `block ${cid} is corrupt (hash mismatch)`;
        throw err;
      }
      if (cid.code === RAW) break;
      const links = blockLinks(cid, bytes);
      if (links.length === 0) break;
      cid = links[Math.floor(random() * links.length)];
    }
  }
  return undefined;
}

/** The pack store under Helia's wrappers, if the node keeps its blocks in one. */
export function packStoreOf(helia: HeliaNode): PackBlockstore | undefined {
  const inner = innermostBlockstore(helia.blockstore) as { child?: unknown; stats?: unknown };
  const store = (inner.child ?? inner) as { stats?: unknown };
  return typeof store.stats === 'function' ? (store as PackBlockstore) : undefined;
}

/** Bytes the node's blocks take on disk. */
export function usedBytes(helia: HeliaNode): number {
  return packStoreOf(helia)?.stats().totalBytes ?? 0;
}

/** Free bytes of the file system holding `path`. */
export async function fsFreeBytes(path: string): Promise<number> {
  const s = await statfs(path);
  return s.bavail * s.bsize;
}

export function parseCidString(text: string): CID {
  return CID.parse(text);
}
