/**
 * Working with a Helia node's blocks under its GC lock. `helia.gc()` takes the write side of a mortice
 * read/write lock on `helia.blockstore`; Helia's own `put`/`get` take the read side per block. Work that
 * writes blocks and then pins them (a pull, an import) holds ONE read lock from its first write to its pin,
 * so no GC can fall in between, and meanwhile writes below the lock ({@link storeBelowGcLock}): mortice
 * queues a new reader behind a waiting writer, so a per-block read lock taken after a GC queued would wait
 * for that GC, which waits for the held lock.
 */
import type { CID } from 'multiformats/cid';
import { innermostBlockstore } from './blocks.ts';
import type { HeliaNode } from './storage-node.ts';

interface GcLock {
  readLock(options?: { signal?: AbortSignal }): Promise<() => void>;
}

/**
 * Takes a read lock of Helia's GC lock, so a `helia.gc()` waits until the returned `release()`; waits first
 * for a GC already running. A Helia without the lock (not `createHelia`'s) gets a no-op.
 *
 * Mortice aborts a granted job when the signal it was given aborts, which would drop the lock while we still
 * think we hold it; so the caller's signal is only followed while waiting.
 */
export async function holdGcReadLock(helia: HeliaNode, signal?: AbortSignal): Promise<() => void> {
  const lock = (helia.blockstore as unknown as { lock?: GcLock }).lock;
  if (typeof lock?.readLock !== 'function') return () => {};
  signal?.throwIfAborted();
  const waiting = new AbortController();
  const onAbort = () => waiting.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let release: () => void;
  try {
    release = await lock.readLock({ signal: waiting.signal });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  let released = false;
  const once = () => {
    if (released) return;
    released = true;
    release();
  };
  if (signal?.aborted) {
    once();
    signal.throwIfAborted();
  }
  return once;
}

/** What {@link storeBelowGcLock} offers: a blockstore's reads and writes, and parts writes if the disk takes them. */
export interface BlocksBelowGcLock {
  has(cid: CID, options?: { signal?: AbortSignal }): boolean | Promise<boolean>;
  get(cid: CID, options?: any): any;
  put(cid: CID, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<CID>;
  delete(cid: CID, options?: { signal?: AbortSignal }): void | Promise<void>;
  putParts?(cid: CID, parts: readonly Uint8Array[], options?: { signal?: AbortSignal }): Promise<CID>;
}

interface BlockBroker {
  announce?(cid: CID, options?: { signal?: AbortSignal }): unknown;
}

type PutParts = (
  cid: CID,
  parts: readonly Uint8Array[],
  options?: { signal?: AbortSignal },
) => Promise<unknown>;

/**
 * Helia's innermost store (its identity layer over the disk), writing as Helia's `put` would minus the
 * per-block GC read lock and `has`: each stored block is announced to Helia's block brokers (so a bitswap
 * peer waiting for it gets it). Only for work that holds {@link holdGcReadLock} for its whole length.
 * `putParts` is offered when the disk store under the identity layer takes parts (the pack store).
 */
export function storeBelowGcLock(helia: HeliaNode): BlocksBelowGcLock {
  const inner = innermostBlockstore(helia.blockstore) as unknown as BlocksBelowGcLock & { child?: unknown };
  const brokers = ((helia as { blockBrokers?: BlockBroker[] }).blockBrokers ?? []).filter(
    (b) => typeof b.announce === 'function',
  );
  const announce = async (cid: CID, options?: { signal?: AbortSignal }) => {
    for (const broker of brokers) await broker.announce!(cid, options);
    return cid;
  };
  const disk = inner.child as { putParts?: unknown } | undefined;
  const diskPutParts =
    typeof disk?.putParts === 'function' ? (disk.putParts.bind(disk) as PutParts) : undefined;
  const store: BlocksBelowGcLock = {
    has: (cid, options) => inner.has(cid, options),
    get: (cid, options) => inner.get(cid, options),
    async put(cid, bytes, options) {
      await inner.put(cid, bytes, options);
      return announce(cid, options);
    },
    delete: (cid, options) => inner.delete(cid, options),
  };
  if (diskPutParts !== undefined) {
    const IDENTITY = 0x00;
    store.putParts = async (cid, parts, options) => {
      // Identity blocks live in their CID: the identity layer stores nothing for them, and neither do we.
      if (cid.multihash.code !== IDENTITY) await diskPutParts(cid, parts, options);
      return announce(cid, options);
    };
  }
  return store;
}
