/**
 * Writing a block given as parts (header, chunk view, trailer: how the balanced-file importer hands over
 * dag-pb leaves) without joining them first, when the store at the bottom can take parts (the storage
 * node's pack store: appended with one `writev`). Helia's blockstore has only `put`, so the parts go to the store under
 * its wrappers, and what Helia's `put` does that matters is done here: tell the block brokers (bitswap) the
 * block is now here. Helia's other per-block work is skipped on purpose, as the fetcher's `withAnnounce`
 * does: its GC read lock (a GC deletes an unpinned upload block with or without it) and its `has` (the
 * upload session already asked).
 */
import type { CID } from 'multiformats/cid';
import { innermostBlockstore } from '../ipfs/blocks.ts';
import type { GatewayBlockstore } from './storage.ts';

/** Multihash code of `identity`: such blocks live in their CID, never in the store below Helia's identity layer. */
const IDENTITY_HASH = 0x00;

type PutParts = (cid: CID, parts: readonly Uint8Array[], options?: { signal?: AbortSignal }) => unknown;

interface BlockBroker {
  announce?(cid: CID, options?: { signal?: AbortSignal }): unknown;
}

export interface PartsWriter {
  /** Stores the block made of `parts` and announces it, as Helia's `put` of the joined bytes would. */
  putParts(cid: CID, parts: readonly Uint8Array[], options?: { signal?: AbortSignal }): Promise<void>;
  /** Whether this writer can store `cid` (not an identity CID, which has no bytes to store). */
  accepts(cid: CID): boolean;
}

/**
 * A {@link PartsWriter} for `blockstore`, or undefined when no store in it takes parts. A store that has
 * `putParts` itself is used as is. Under Helia's wrappers (`unwrap()`, then the identity layer's `child`),
 * parts are only written when the node's block brokers are known (`blockBrokers`, as on a Helia node), so
 * that no announcement is lost.
 */
export function partsWriterFor(blockstore: GatewayBlockstore, node?: object): PartsWriter | undefined {
  const own = putPartsOf(blockstore);
  if (own) return writer(own, []);
  const brokers = (node as { blockBrokers?: unknown } | undefined)?.blockBrokers;
  if (!Array.isArray(brokers)) return undefined;
  const inner = innermostBlockstore(blockstore) as { child?: unknown };
  const bottom = putPartsOf(inner) ?? putPartsOf(inner.child);
  if (bottom === undefined) return undefined;
  return writer(
    bottom,
    (brokers as BlockBroker[]).filter((b) => typeof b?.announce === 'function'),
  );
}

function putPartsOf(store: unknown): PutParts | undefined {
  const fn = (store as { putParts?: unknown } | undefined)?.putParts;
  return typeof fn === 'function' ? (fn.bind(store) as PutParts) : undefined;
}

function writer(putParts: PutParts, brokers: BlockBroker[]): PartsWriter {
  return {
    accepts: (cid) => cid.multihash.code !== IDENTITY_HASH,
    async putParts(cid, parts, options) {
      await putParts(cid, parts, options);
      // After the write, unlike Helia's put: a peer told about the block can then be sent it.
      for (const broker of brokers) await broker.announce!(cid, options);
    },
  };
}
