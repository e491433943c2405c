/**
 * Writing a block given as parts (header, chunk view, trailer: how the balanced-file importer hands over
 * dag-pb leaves) without joining them first, when the store at the bottom can take parts (the storage
 * node's pack store: appended with one `writev`). Helia's blockstore has only `put`, so the parts go to the
 * store below Helia's wrappers, announced to its block brokers as Helia's `put` would. Helia's per-block GC
 * read lock is not taken: a pinned upload holds one for its whole length (`upload-gc.ts`), and an unpinned
 * upload's blocks are GC's to take anyway.
 */
import type { CID } from 'multiformats/cid';
import { storeBelowGcLock } from '../ipfs/gc-lock.ts';
import type { HeliaNode } from '../ipfs/storage-node.ts';
import type { GatewayBlockstore } from './storage.ts';

/** Multihash code of `identity`: such blocks live in their CID, never in the store below Helia's identity layer. */
const IDENTITY_HASH = 0x00;

type PutParts = (cid: CID, parts: readonly Uint8Array[], options?: { signal?: AbortSignal }) => unknown;

export interface PartsWriter {
  /** Stores the block made of `parts` and announces it, as Helia's `put` of the joined bytes would. */
  putParts(cid: CID, parts: readonly Uint8Array[], options?: { signal?: AbortSignal }): Promise<void>;
  /** Whether this writer can store `cid` (not an identity CID, which has no bytes to store). */
  accepts(cid: CID): boolean;
}

/**
 * A {@link PartsWriter} for `blockstore`, or undefined when no store in it takes parts. A store that has
 * `putParts` itself is used as is. Under a Helia node's wrappers, parts go to the disk store below its GC
 * lock with each block announced to its block brokers (`storeBelowGcLock`); only when the node's brokers
 * are known (`blockBrokers`, as on a Helia node), so that no announcement is lost.
 */
export function partsWriterFor(blockstore: GatewayBlockstore, node?: object): PartsWriter | undefined {
  const own = (blockstore as { putParts?: unknown }).putParts;
  if (typeof own === 'function') return writer(own.bind(blockstore) as PutParts);
  if (!Array.isArray((node as { blockBrokers?: unknown } | undefined)?.blockBrokers)) return undefined;
  const below = storeBelowGcLock(node as HeliaNode).putParts;
  return below === undefined ? undefined : writer(below);
}

function writer(putParts: PutParts): PartsWriter {
  return {
    accepts: (cid) => cid.multihash.code !== IDENTITY_HASH,
    async putParts(cid, parts, options) {
      await putParts(cid, parts, options);
    },
  };
}
