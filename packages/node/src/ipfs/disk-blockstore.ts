/**
 * The storage node's on-disk blockstore: blockstore-fs's layout (one `<key>.data` file per block, sharded by
 * the next-to-last two characters of the base32 multihash), with a cheaper write and read path.
 *
 * Why not blockstore-fs as is: every `put` ran `mkdir -p`, built a `steno` writer and renamed a temp file
 * whose name every writer of the same block shares; every `get` opened a read stream that yields a 256 KiB
 * block as four 64 KiB chunks the caller joins again. Here a shard directory is created only when a write
 * finds it missing, a block is written to a temp file unique to this write and renamed over its final name
 * (four system calls, no more), and a read is one `readFile` yielding one buffer.
 *
 * Crash safety is unchanged: a block file appears only by `rename` of a completely written temp file, so
 * after a kill -9 every `<key>.data` holds the whole block (a kill cannot lose data the kernel has accepted).
 * Like blockstore-fs there is no fsync per block; the page cache, not this process, decides when it reaches
 * the disk, so a power cut can still lose recent blocks (they are then missing, and a pull fetches them
 * again). Left-over temp files never match `*.data`, so `getAll` ignores them.
 */
import { close, mkdir, open, rename, unlink, writev } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsBlockstore } from 'blockstore-fs';
import { NextToLast } from 'blockstore-fs/sharding';
import { NotFoundError, PutFailedError } from 'interface-store';
import type { CID } from 'multiformats/cid';

let tempCounter = 0;

/** What is left of `parts` after the first `n` bytes (a short write). */
function skipBytes(parts: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of parts) {
    if (n >= p.byteLength) {
      n -= p.byteLength;
      continue;
    }
    out.push(n > 0 ? p.subarray(n) : p);
    n = 0;
  }
  return out.filter((p) => p.byteLength > 0);
}

export class DiskBlockstore extends FsBlockstore {
  /** blockstore-fs's default sharding (its own field is private), so both read the same files. */
  private readonly layout = new NextToLast();

  /**
   * open(temp) → write → close → rename, chained with fs callbacks (each step one thread-pool job and one
   * callback; the promise API costs a FileHandle and several promises per step). A missing shard directory
   * shows up as ENOENT on the first open and is created then, so an existing store never pays a mkdir.
   */
  override put(key: CID, val: Uint8Array, options?: { signal?: AbortSignal }): Promise<CID> {
    return this.putParts(key, [val], options);
  }

  /** Stores the block made of `parts` (in order) with one `writev`: the caller need not join them. */
  putParts(key: CID, parts: readonly Uint8Array[], options?: { signal?: AbortSignal }): Promise<CID> {
    return new Promise<CID>((resolve, reject) => {
      options?.signal?.throwIfAborted();
      const { dir, file } = this.layout.encode(key);
      const directory = `${this.path}/${dir}`;
      const target = `${directory}/${file}`;
      const temp = `${target}.${process.pid}.${++tempCounter}.tmp`;
      const fail = (err: NodeJS.ErrnoException, created: boolean) => {
        const error = new PutFailedError(String(err));
        if (created) unlink(temp, () => reject(error));
        else reject(error);
      };
      const openTemp = (firstTry: boolean) =>
        open(temp, 'wx', (err, fd) => {
          if (err) {
            if (err.code !== 'ENOENT' || !firstTry) return fail(err, false);
            return mkdir(directory, { recursive: true }, (mkdirErr) =>
              mkdirErr ? fail(mkdirErr, false) : openTemp(false),
            );
          }
          writeRest(fd, parts);
        });
      const writeRest = (fd: number, rest: readonly Uint8Array[]): void =>
        writev(fd, rest as Uint8Array[], (err, written) => {
          if (err) return close(fd, () => fail(err, true));
          const left = skipBytes(rest, written);
          if (left.length > 0) return writeRest(fd, left);
          close(fd, (closeErr) => {
            if (closeErr) return fail(closeErr, true);
            rename(temp, target, (renameErr) => (renameErr ? fail(renameErr, true) : resolve(key)));
          });
        });
      openTemp(true);
    });
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
