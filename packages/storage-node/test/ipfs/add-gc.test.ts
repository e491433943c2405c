/**
 * `StorageNode.add` imports, then pins. A `helia.gc()` that starts while the import is still writing must
 * wait for the pin instead of deleting the new blocks (nothing pins them yet), as `ipfs add` keeps Kubo's GC
 * away; and a failed import must let go of the lock so GC runs and collects what it left.
 * Real Helia on disk; the import source is slowed so the GC really lands mid-import.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  contentSha256,
  deterministicBytes,
  putUnpinnedBlock,
  sha256Hex,
  startTempStorageNode,
} from './helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** `bytes` in 256 KiB pieces, `pause` ms apart; `onPiece(i)` runs before piece i is handed over. */
async function* slowly(
  bytes: Uint8Array,
  pause: number,
  onPiece: (i: number) => void,
): AsyncGenerator<Uint8Array> {
  for (let o = 0, i = 0; o < bytes.length; o += 262_144, i++) {
    onPiece(i);
    await new Promise((r) => setTimeout(r, pause));
    yield bytes.subarray(o, o + 262_144);
  }
}

describe('a GC during StorageNode.add', () => {
  it('waits for the pin; the added DAG is whole and pinned; unpinned junk is still collected', async () => {
    const node = await startTempStorageNode('add-gc', cleanups);
    const junk = await putUnpinnedBlock(node, 1);
    const bytes = deterministicBytes(12 * 262_144 + 5, 31);
    let gc: Promise<void> | undefined;
    let gcDone = false;
    const added = await node.add(
      slowly(bytes, 20, (i) => {
        if (i === 6) {
          gc = node.helia.gc().then(() => {
            gcDone = true;
          });
        }
      }),
    );
    expect(gc).toBeDefined();
    await gc;
    expect(gcDone).toBe(true);
    expect(await node.isPinned(added.cid)).toBe(true);
    expect(await contentSha256(node.helia.blockstore, added.cid)).toBe(sha256Hex(bytes));
    expect(await node.helia.blockstore.has(junk)).toBe(false);
  }, 20_000);

  it('a failed import lets go of the lock: the waiting GC runs and collects its blocks', async () => {
    const node = await startTempStorageNode('add-gc-fail', cleanups);
    const bytes = deterministicBytes(8 * 262_144, 32);
    const controller = new AbortController();
    let gc: Promise<void> | undefined;
    await expect(
      node.add(
        slowly(bytes, 20, (i) => {
          if (i === 3) gc = node.helia.gc();
          if (i === 5) controller.abort();
        }),
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await gc;
    // Nothing the aborted import wrote survives: no block is pinned, the GC took them all.
    let left = 0;
    for await (const _ of node.helia.blockstore.getAll()) left++;
    expect(left).toBe(0);
  }, 20_000);
});
