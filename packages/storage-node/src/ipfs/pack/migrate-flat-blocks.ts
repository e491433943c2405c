/**
 * Moves the blocks of an older storage node (one file per block under `blocks/`, blockstore-fs's layout)
 * into its pack store, once, when the node first starts on the new layout. Each block is checked against
 * its multihash on the way (a damaged file is skipped and reported, not copied). The old directory is
 * removed only after every block is in the pack store and the store is synced by closing it, so a crash
 * part-way simply runs the migration again.
 */
import { access, rm } from 'node:fs/promises';
import { FsBlockstore } from 'blockstore-fs';
import { readBlock } from '../blocks.ts';
import type { PackBlockstore } from './pack-blockstore.ts';
import { blockMatchesKey } from './segment-index.ts';

export interface MigrationReport {
  moved: number;
  damaged: number;
}

export async function hasFlatBlocks(dir: string): Promise<boolean> {
  return access(dir).then(
    () => true,
    () => false,
  );
}

/** Copies every block under `flatDir` into `pack` (open); removes `flatDir` afterwards. */
export async function migrateFlatBlocks(
  flatDir: string,
  pack: PackBlockstore,
  onProgress?: (moved: number) => void,
): Promise<MigrationReport> {
  const flat = new FsBlockstore(flatDir);
  await flat.open();
  const report: MigrationReport = { moved: 0, damaged: 0 };
  try {
    for await (const { cid, bytes } of flat.getAll()) {
      const data = await readBlock(bytes);
      if (!blockMatchesKey(cid.multihash.bytes, data)) {
        report.damaged++;
        continue;
      }
      await pack.put(cid, data);
      report.moved++;
      if (report.moved % 256 === 0) onProgress?.(report.moved);
    }
  } finally {
    await flat.close();
  }
  return report;
}

/** Removes the old directory once its blocks are safely in the pack store (after the store was closed). */
export async function removeFlatBlocks(flatDir: string): Promise<void> {
  await rm(flatDir, { recursive: true, force: true });
}
