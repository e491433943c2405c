/**
 * An upload that will be pinned holds Helia's GC read lock from its first block to its pin (see
 * `../ipfs/gc-lock.ts`), so a `helia.gc()` meanwhile waits instead of deleting the new, not yet pinned
 * blocks; while it holds the lock it writes below it (a per-block read lock behind a waiting GC would wait
 * for that GC, which waits for us).
 */
import { holdGcReadLock, storeBelowGcLock } from '../ipfs/gc-lock.ts';
import type { HeliaNode } from '../ipfs/storage-node.ts';
import type { GatewayBlockstore } from './storage.ts';

export interface UploadGuard {
  /** The node's blocks below the GC lock: what the upload writes, checks and rolls back through. */
  store: GatewayBlockstore;
  /** Lets GC in again. Idempotent. */
  release(): void;
}

export type HoldUploadGuard = (signal?: AbortSignal) => Promise<UploadGuard>;

/** A guard maker for a Helia node that has the GC lock; undefined for anything else (no lock to hold). */
export function uploadGuardFor(helia: unknown): HoldUploadGuard | undefined {
  const lock = (helia as { blockstore?: { lock?: { readLock?: unknown } } } | undefined)?.blockstore?.lock;
  if (typeof lock?.readLock !== 'function') return undefined;
  const node = helia as HeliaNode;
  return async (signal) => {
    const release = await holdGcReadLock(node, signal);
    return { store: storeBelowGcLock(node) as unknown as GatewayBlockstore, release };
  };
}
