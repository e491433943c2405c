/**
 * A storage node whose base path still holds the older one-file-per-block store (`blocks/`, blockstore-fs's
 * layout) starts with every good block moved into its pack store and the old directory gone; pins made
 * before the move still cover their DAG.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsBlockstore } from 'blockstore-fs';
import { NextToLast } from 'blockstore-fs/sharding';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, describe, expect, it } from 'vitest';
import { addBytes } from '../../src/ipfs/import-options.ts';
import { StorageNode } from '../../src/ipfs/storage-node.ts';
import { contentSha256, deterministicBytes, sha256Hex, tempDir } from './helpers.ts';

const dirs: Array<{ remove(): Promise<void> }> = [];
afterAll(async () => {
  for (const d of dirs) await d.remove();
});

describe('moving an older block directory into the pack store', () => {
  it('moves every block that checks out, skips a damaged one, removes blocks/, and keeps working', async () => {
    const work = await tempDir('pack-migration');
    dirs.push(work);
    const flat = new FsBlockstore(join(work.path, 'blocks'));
    await flat.open();
    const file = deterministicBytes(3 * 262_144 + 7, 9);
    const { cid } = await addBytes(flat, [file]);
    const damaged = deterministicBytes(1000, 4);
    const damagedCid = CID.createV1(raw.code, await sha256.digest(damaged));
    await flat.put(damagedCid, damaged);
    await flat.close();
    // Garble the damaged block's file on disk, as a bad sector or a torn copy would.
    const { dir, file: name } = new NextToLast().encode(damagedCid);
    await writeFile(join(work.path, 'blocks', dir, name), deterministicBytes(1000, 5));

    const node = new StorageNode({ basePath: work.path });
    await node.start();
    try {
      expect(existsSync(join(work.path, 'blocks'))).toBe(false);
      expect(await contentSha256(node.helia.blockstore, cid)).toBe(sha256Hex(file));
      expect(await node.helia.blockstore.has(damagedCid)).toBe(false);
      await node.pin(cid);
      expect(await node.isPinned(cid)).toBe(true);
    } finally {
      await node.stop();
    }
    // And again, now from the pack store alone.
    const again = new StorageNode({ basePath: work.path });
    await again.start();
    try {
      expect(await contentSha256(again.helia.blockstore, cid)).toBe(sha256Hex(file));
      expect(await again.isPinned(cid)).toBe(true);
    } finally {
      await again.stop();
    }
  });
});
