/**
 * `ipfs add` speed: `ipfs.import_mb_s` is 64 MiB streamed in 1 MiB pieces through `addBytes` (Kubo's default
 * options: CIDv0, 256 KiB chunks, dag-pb leaves, balanced 174) into a fresh on-disk PackBlockstore (the
 * storage node's store, under os.tmpdir()), against single-thread sha256 (node:crypto) of the same bytes
 * measured in the same run: an import has to hash every byte at least once, so sha256 is the bound it is
 * compared with (goal: half of it).
 *
 * Also printed, to show where the time goes (best of the rounds each): the same import with no block writes
 * (hashing, encoding, tree), its CIDv1 / raw-leaves variant, ipfs-unixfs-importer itself with the same
 * options, the block writes alone (the import's blocks put into a fresh pack store, 8 at a time), and the
 * same import into one file per block (blockstore-fs, Kubo's flatfs layout), the layout the pack store
 * replaced: on ext4 creating a 256 KiB file costs more than hashing it.
 * Rounds interleave the figures, so a busy moment on the shared machine hits all of them alike.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddOptions, addBytes, kuboImporterOptions, PackBlockstore } from '@xstorage/storage-node/ipfs';
import { FsBlockstore } from 'blockstore-fs';
import { importer } from 'ipfs-unixfs-importer';
import type { CID } from 'multiformats/cid';
import { type BenchSuite, result } from './lib.ts';

const MIB = 1024 * 1024;
const IMPORT_BYTES = 64 * MIB;
const ROUNDS = 5;

function bytesOf(n: number, seed: number): Buffer {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(n)), cipher.final()]);
}

/** 1 MiB pieces, as a file read delivers them. */
function* pieces(data: Uint8Array): Generator<Uint8Array> {
  for (let o = 0; o < data.length; o += MIB) yield data.subarray(o, o + MIB);
}

/**
 * Writes `data` to a new file in 1 MiB writes: what the page cache takes for fresh bytes. On this VM that
 * swings between ~3 GB/s and ~450 MB/s from one minute to the next with the same code (fresh guest pages
 * fault into the host), and the import's figure swings with it.
 */
async function appendToFreshFile(path: string, data: Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    for (let o = 0; o < data.byteLength; o += MIB) await file.write(data.subarray(o, o + MIB));
  } finally {
    await file.close();
  }
}

const mbs = (ms: number) => IMPORT_BYTES / 1e6 / (ms / 1000);

async function timed(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Keeps nothing: the import without block writes (taking leaves as parts, as the pack store does). */
const nowhere = { put: (cid: CID) => cid, putParts: (cid: CID) => cid };
/** Keeps nothing but takes only whole blocks, as a memory or Helia blockstore does: leaves are copied. */
const nowhereWhole = { put: (cid: CID) => cid };

const suite: BenchSuite = {
  name: 'ipfs import (ipfs add into the on-disk blockstore)',
  async run(signal) {
    const data = bytesOf(IMPORT_BYTES, 11);
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-bench-import-'));
    const best: Record<string, number> = {};
    const keep = (name: string, ms: number) => {
      best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, ms);
    };
    try {
      // The import's blocks, for the writes-only figure.
      const blocks: Array<[CID, Uint8Array]> = [];
      await addBytes({ put: (cid: CID, bytes: Uint8Array) => blocks.push([cid, bytes]) }, pieces(data));
      for (let round = 0; round < ROUNDS; round++) {
        signal.throwIfAborted();
        keep('sha', await timed(() => createHash('sha256').update(data).digest()));
        keep('memory', await timed(() => addBytes(nowhere, pieces(data))));
        const v1: AddOptions = { cidVersion: 1 };
        keep('memory-v1', await timed(() => addBytes(nowhere, pieces(data), v1)));
        // Last of the three: it leaves 64 MiB of garbage behind.
        keep('memory-whole', await timed(() => addBytes(nowhereWhole, pieces(data))));

        const writes = new PackBlockstore(join(dir, `writes-${round}`));
        await writes.open();
        keep(
          'writes',
          await timed(async () => {
            let next = 0;
            const writer = async () => {
              while (next < blocks.length) {
                const [cid, bytes] = blocks[next++]!;
                await writes.put(cid, bytes);
              }
            };
            await Promise.all(Array.from({ length: 8 }, writer));
          }),
        );
        await writes.close();

        keep('append', await timed(() => appendToFreshFile(join(dir, `append-${round}`), data)));

        const store = new PackBlockstore(join(dir, `import-${round}`));
        await store.open();
        keep('disk', await timed(() => addBytes(store, pieces(data))));
        await store.close();

        const files = new FsBlockstore(join(dir, `files-${round}`));
        await files.open();
        keep('files', await timed(() => addBytes(files, pieces(data))));
        await files.close();
        // Stores are removed only at the end: ext4 skips inodes freed in the last few dozen seconds when it
        // allocates new ones (`recently_deleted`), so deleting between rounds would slow the next round's
        // file creation (seen in `perf` on this machine).
      }
      keep(
        'reference',
        await timed(async () => {
          for await (const _ of importer(
            [{ content: pieces(data) }],
            nowhere as never,
            kuboImporterOptions(),
          )) {
            // drain
          }
        }),
      );
      const line = (what: string, key: string) =>
        console.log(`  ${what.padEnd(58)} ${mbs(best[key]!).toFixed(0).padStart(6)} MB/s`);
      console.log(`  (64 MiB in 1 MiB pieces, best of ${ROUNDS} rounds)`);
      line('sha256, node:crypto, one thread (the bound)', 'sha');
      line('import, Kubo defaults, no block writes', 'memory');
      line('the same, leaves copied into whole blocks (memory/Helia sink)', 'memory-whole');
      line('import, CIDv1 raw leaves, no block writes', 'memory-v1');
      line('ipfs-unixfs-importer, Kubo defaults, no block writes', 'reference');
      line('the same bytes appended to a fresh file, 1 MiB writes', 'append');
      line('block writes alone into a fresh pack store, 8 at a time', 'writes');
      line('import into one file per block (blockstore-fs, flatfs layout)', 'files');
      line('import into a fresh pack store (the figure)', 'disk');
      return [
        result(
          'ipfs.import_mb_s',
          mbs(best.disk!),
          'MB/s',
          { name: 'sha256 of the same bytes (node:crypto, one thread)', value: mbs(best.sha!) },
          0.5,
          'higher',
        ),
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
