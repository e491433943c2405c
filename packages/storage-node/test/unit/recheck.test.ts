/**
 * Random re-checks of stored files (sworker's validation): random root-to-leaf paths read from the node's own disk,
 * each block's hash checked. A missing block and a block whose bytes no longer match its CID are both found.
 */

import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockLinks } from '../../src/ipfs/blocks.ts';
import type { StorageNode } from '../../src/ipfs/storage-node.ts';
import { checkRandomPaths, dagSize, getBlock, packStoreOf } from '../../src/ipfs-access.ts';
import { deterministicBytes, startTempStorageNode } from '../ipfs/helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
let node: StorageNode;

beforeAll(async () => {
  node = await startTempStorageNode('recheck', cleanups);
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('random re-checks', () => {
  it('pass over a sound file, find a missing and a corrupt block', async () => {
    const { cid, dagSize: kuboSize } = await node.add(deterministicBytes(4 * 256 * 1024 + 5, 3));
    // The DAG size from the root's links is what `ipfs add` reports.
    expect(await dagSize(node.helia, cid)).toBe(kuboSize);
    expect(await checkRandomPaths(node.helia, cid, 8)).toBeUndefined();

    const leaves = blockLinks(cid, await getBlock(node.helia, cid));
    expect(leaves).toHaveLength(5);
    const store = packStoreOf(node.helia)!;
    // Path choice: random() picks link floor(r × 5); 0.5 → the third leaf.
    await store.delete(leaves[2]);
    expect(await checkRandomPaths(node.helia, cid, 1, () => 0.5)).toBe(`block ${leaves[2]} is missing`);
    expect(await checkRandomPaths(node.helia, cid, 1, () => 0.1)).toBeUndefined();

    // Other bytes under a leaf's CID.
    await store.delete(leaves[4]);
    await store.put(leaves[4], deterministicBytes(1000, 9));
    expect(await checkRandomPaths(node.helia, cid, 1, () => 0.9)).toBe(
      `block ${leaves[4]} is corrupt (hash mismatch)`,
    );
    expect(CID.asCID(leaves[4])).not.toBeNull();
  });
});
