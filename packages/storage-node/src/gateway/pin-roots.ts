/**
 * Recursive pins the gateway makes (`add` with `pin=true`, `pin/add`): by Helia walking each DAG, or, for
 * an upload, from the blocks the upload just stored (`upload-dag.ts`), written in one datastore batch with
 * the records Helia's walk would write (`../ipfs/pin-records.ts`). The walk re-reads every block from disk
 * and does one datastore read and write per block (~1.1 s of CPU per 100 MiB); the batch touches no block.
 */
import type { Pins } from '@helia/interface';
import type { Datastore } from 'interface-datastore';
import type { CID } from 'multiformats/cid';
import { recordPin } from '../ipfs/pin-records.ts';
import type { GatewayNode } from './storage.ts';
import type { UploadDag } from './upload-dag.ts';

/** Pin metadata key holding the CID as the client spelled it (Helia normalises pins to CIDv1). */
export const PIN_CID_METADATA = 'cid';

/**
 * Where Helia keeps its pins, for writing them directly: the datastore its `pins` use, and those pins (to
 * see whether a root is pinned already and to set a pin's metadata).
 */
export interface PinStore {
  datastore: Pick<Datastore, 'has' | 'get' | 'batch'>;
  pins: Pick<Pins, 'get' | 'setMetadata'>;
}

/** A {@link PinStore} for a Helia node (its `datastore` and `pins`), or undefined when it has none. */
export function pinStoreOf(node: unknown): PinStore | undefined {
  const { datastore, pins } = (node ?? {}) as { datastore?: Partial<Datastore>; pins?: Partial<Pins> };
  if (
    typeof datastore?.has !== 'function' ||
    typeof datastore.get !== 'function' ||
    typeof datastore.batch !== 'function' ||
    typeof pins?.get !== 'function' ||
    typeof pins.setMetadata !== 'function'
  )
    return undefined;
  return { datastore: datastore as PinStore['datastore'], pins: pins as PinStore['pins'] };
}

/** Pins each of `cids` by Helia walking its DAG (offline: every block must be here). Already pinned = done. */
export async function pinRoots(node: GatewayNode, cids: CID[], signal: AbortSignal): Promise<void> {
  for (const cid of cids) {
    try {
      for await (const _ of node.pins.add(cid, {
        signal,
        offline: true,
        metadata: pinMetadata(cid),
      } as never)) {
        // walk the whole DAG
      }
    } catch (err) {
      if ((err as Error)?.name === 'AlreadyPinnedError') continue;
      throw err;
    }
  }
}

/**
 * Pins the roots an upload produced. With a {@link PinStore}, a root whose whole DAG the upload stored is
 * pinned from `dag`: the same records as {@link pinRoots} writes (Helia's, plus the same metadata), without
 * reading a block. Any other root (or no store) is pinned by {@link pinRoots}, after `beforeWalk` (the
 * caller lets go of Helia's GC lock there: the walk takes it per block).
 */
export async function pinUploadRoots(
  node: GatewayNode,
  roots: CID[],
  dag: UploadDag | undefined,
  store: PinStore | undefined,
  signal: AbortSignal,
  beforeWalk?: () => void,
): Promise<void> {
  for (const root of roots) {
    const blocks = store === undefined ? undefined : dag?.blocksOf(root);
    if (store === undefined || blocks === undefined) {
      beforeWalk?.();
      await pinRoots(node, [root], signal);
      continue;
    }
    if (await hasPin(store, root, signal)) continue;
    await recordPin(store.datastore, root, blocks, signal);
    // The spelling goes on after the batch (Helia's own call; recordPin writes no metadata). Were the process
    // to die in between, the pin would still hold the whole DAG; `pin/ls` would list it as CIDv0 if dag-pb.
    await store.pins.setMetadata(root, pinMetadata(root), { signal });
  }
}

function pinMetadata(cid: CID): Record<string, string> {
  return { [PIN_CID_METADATA]: cid.toString() };
}

async function hasPin(store: PinStore, root: CID, signal: AbortSignal): Promise<boolean> {
  try {
    await store.pins.get(root, { signal });
    return true;
  } catch (err) {
    if ((err as Error)?.name === 'NotFoundError') return false;
    throw err;
  }
}
