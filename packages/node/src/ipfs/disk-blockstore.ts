/**
 * The storage node's on-disk blockstore: blockstore-fs's layout (one `<key>.data` file per block, sharded by
 * the next-to-last two characters of the base32 multihash), with a cheaper write and read path.
 *
 * Why not blockstore-fs as is: every `put` ran `mkdir -p`, built a `steno` writer and renamed a temp file
 * whose name every writer of the same block shares; every `get` opened a read stream that yields a 256 KiB
 * block as four 64 KiB chunks the caller joins again. Here a shard directory is created once per process,
 * a block is written to a temp file unique to this write and renamed over its final name, and a read is one
 * `readFile` yielding one buffer.
 *
 * Crash safety is unchanged: a block file appears only by `rename` of a completely written temp file, so
 * after a kill -9 every `<key>.data` holds the whole block (a kill cannot lose data the kernel has accepted).
 * Like blockstore-fs there is no fsync per block; the page cache, not this process, decides when it reaches
 * the disk, so a power cut can still lose recent blocks (they are then missing, and a pull fetches them
 * again). Left-over temp files never match `*.data`, so `getAll` ignores them.
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsBlockstore } from 'blockstore-fs';
import { NextToLast } from 'blockstore-fs/sharding';
import { NotFoundError, PutFailedError } from 'interface-store';
import type { CID } from 'multiformats/cid';

let tempCounter = 0;

export class DiskBlockstore extends FsBlockstore {
  /** blockstore-fs's default sharding (its own field is private), so both read the same files. */
  private readonly layout = new NextToLast();
  /** Shard directories known to exist (created by us or found when a write failed with ENOENT). */
  private readonly dirs = new Set<string>();

  override async put(key: CID, val: Uint8Array, options?: { signal?: AbortSignal }): Promise<CID> {
    options?.signal?.throwIfAborted();
    const { dir, file } = this.layout.encode(key);
    const directory = join(this.path, dir);
    const target = join(directory, file);
    const temp = `${target}.${process.pid}.${++tempCounter}.tmp`;
    try {
      if (!this.dirs.has(directory)) {
        await mkdir(directory, { recursive: true });
        this.dirs.add(directory);
      }
      await writeFile(temp, val);
      await rename(temp, target);
      return key;
    } catch (err) {
      await unlink(temp).catch(() => {});
      // Another writer may have removed the directory; forget it so the next put creates it again.
      this.dirs.delete(directory);
      throw new PutFailedError(String(err));
    }
  }

  override async *get(key: CID, options?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
    options?.signal?.throwIfAborted();
    const { dir, file } = this.layout.encode(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.path, dir, file), { signal: options?.signal });
    } catch (err) {
      options?.signal?.throwIfAborted();
      throw new NotFoundError(String(err));
    }
    yield bytes;
  }
}
