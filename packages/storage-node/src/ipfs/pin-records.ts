/**
 * Helia's pin records written straight from a known block list. `helia.pins.add(root)` walks the DAG,
 * reading every block back from disk and doing one datastore read and write per block; when the caller
 * already knows every block of the DAG (a completed pull, an import that just stored them), the same
 * records can be written in one batch without touching the blocks.
 */
import * as cborg from 'cborg';
import type { Datastore } from 'interface-datastore';
import { Key } from 'interface-datastore';
import { base36 } from 'multiformats/bases/base36';
import type { CID } from 'multiformats/cid';

/** Helia's datastore keys for pins (helia `src/pins.ts`: `/pin/<base36 CIDv1>`, `/pinned-block/<base36 mh>`). */
const PIN_PREFIX = '/pin/';
const PINNED_BLOCK_PREFIX = '/pinned-block/';

interface PinnedBlock {
  pinCount: number;
  pinnedBy: Uint8Array[];
}

/**
 * Writes the records `helia.pins.add(root)` would write for a DAG made of `blocks` (depth Infinity, no
 * metadata): per block a `{ pinCount, pinnedBy }` count that includes `root`, then the pin itself. Existing
 * counts (blocks shared with other pins) are read and extended as Helia does. Unlike Helia's one write per
 * block, everything goes in one batch, so a crash leaves either the whole pin or none of it.
 */
export async function recordPin(
  datastore: Pick<Datastore, 'has' | 'get' | 'batch'>,
  root: CID,
  blocks: readonly CID[],
  signal?: AbortSignal,
): Promise<void> {
  const pinKey = new Key(`${PIN_PREFIX}${(root.version === 0 ? root.toV1() : root).toString(base36)}`);
  if (await datastore.has(pinKey, { signal })) return;
  const batch = datastore.batch();
  const seen = new Set<string>();
  for (const cid of blocks) {
    const key = new Key(`${PINNED_BLOCK_PREFIX}${base36.encode(cid.multihash.bytes)}`);
    const name = key.toString();
    if (seen.has(name)) continue;
    seen.add(name);
    let record: PinnedBlock = { pinCount: 0, pinnedBy: [] };
    try {
      record = cborg.decode(await datastore.get(key, { signal })) as PinnedBlock;
    } catch (err) {
      if ((err as Error).name !== 'NotFoundError') throw err;
    }
    if (record.pinnedBy.some((by) => equalBytes(by, root.bytes))) continue;
    record.pinCount++;
    record.pinnedBy.push(root.bytes);
    batch.put(key, cborg.encode(record));
  }
  batch.put(pinKey, cborg.encode({ depth: Number.POSITIVE_INFINITY, metadata: {} }));
  signal?.throwIfAborted();
  await batch.commit({ signal });
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
