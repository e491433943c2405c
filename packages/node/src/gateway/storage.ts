/**
 * What the gateway needs from an IPFS node, and the local-only block access it reads through. A Helia node
 * satisfies {@link GatewayNode} as is; tests and tools can pass a plain blockstore and pin set.
 *
 * Reads never go to the network: a storage node's gateway serves what it holds, and a missing block must be
 * a prompt 404, not a hang while bitswap searches.
 */
import { close, fstat, open, read } from 'node:fs';
import type { Pins } from '@helia/interface';
import { FsBlockstore } from 'blockstore-fs';
import type { Blockstore } from 'interface-blockstore';
import type { CID } from 'multiformats/cid';
import { BufferPool, innermostBlockstore } from '../ipfs/blocks.ts';
import { BlockNotFoundError, GatewayError, InternalGatewayError } from './errors.ts';

export type GatewayBlockstore = Pick<Blockstore, 'get' | 'put' | 'has' | 'delete'>;
export type GatewayPins = Pick<Pins, 'add' | 'rm' | 'ls' | 'isPinned'>;

/** The parts of a node the gateway uses. `libp2p` is only read by `/api/v0/id`. */
export interface GatewayNode {
  blockstore: GatewayBlockstore;
  pins: GatewayPins;
  libp2p?: { peerId: PeerIdLike; getMultiaddrs(): Array<{ toString(): string }> };
}

export interface PeerIdLike {
  toString(): string;
  toMultihash(): { code: number; digest: Uint8Array };
}

/** Options every local read passes down: Helia's blockstore honours `offline`, plain ones ignore it. */
export interface LocalReadOptions {
  signal?: AbortSignal;
  offline: true;
}

/** Multihash code of `identity`: the digest is the data. */
export const IDENTITY_HASH = 0x00;

const NOT_FOUND_NAMES = new Set(['NotFoundError', 'BlockNotFoundWhileOfflineError', 'ERR_NOT_FOUND']);

/** True when `err` means "this block/entry is not here" in any of the stores and exporters we use. */
export function isNotFound(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return NOT_FOUND_NAMES.has(err.name) || (err as { code?: string }).code === 'ERR_NOT_FOUND';
}

/**
 * A block read into a reusable buffer with `room` free bytes before it (for a CAR section prefix, so block
 * and prefix go out in one write). `release()` hands the buffer back once nothing uses it any more: after
 * the socket write that carried it completed. Until then nobody else gets that memory.
 */
export interface LentBlock {
  bytes: Uint8Array;
  /** The buffer `bytes` lies in, and where in it they start; `room` bytes before that are free. */
  buffer: Buffer;
  offset: number;
  release(): void;
}

/** Room kept before each lent block: a section prefix is a varint (≤ 10 bytes) and a CID (≤ ~70 bytes). */
export const LENT_BLOCK_ROOM = 128;
/** Files larger than this are not lent (read through the store instead). */
const MAX_LENT_FILE = 8 * 1024 * 1024;

/**
 * Where a blockstore-fs store (the storage node's DiskBlockstore extends it) keeps a block's file: its
 * `path` and its sharding strategy (`encode(cid) -> { dir, file }`), found on the store at run time. Any
 * other store, or one whose fields are not there, gets undefined and is read through `get`.
 */
function blockFileLocator(store: GatewayBlockstore): ((cid: CID) => string) | undefined {
  const child = (store as { child?: unknown }).child ?? store;
  if (!(child instanceof FsBlockstore)) return undefined;
  const root = (child as { path?: unknown }).path;
  const sharding = (child as unknown as { shardingStrategy?: { encode?: unknown } }).shardingStrategy;
  if (typeof root !== 'string' || typeof sharding?.encode !== 'function') return undefined;
  const encode = sharding.encode.bind(sharding) as (cid: CID) => { dir: string; file: string };
  return (cid) => {
    const { dir, file } = encode(cid);
    return `${root}/${dir}/${file}`;
  };
}

/** Reads a whole file into `pool` memory with fs callbacks (open, fstat, read…, close; no FileHandle). */
function readFileLent(
  path: string,
  pool: BufferPool,
  room: number,
  callback: (err: NodeJS.ErrnoException | null, block?: LentBlock) => void,
): void {
  open(path, 'r', (openErr, fd) => {
    if (openErr) return callback(openErr);
    const fail = (err: NodeJS.ErrnoException) => close(fd, () => callback(err));
    fstat(fd, (statErr, stat) => {
      if (statErr) return fail(statErr);
      if (!stat.isFile() || stat.size > MAX_LENT_FILE) {
        return fail(Object.assign(new Error('not a lendable block file'), { code: 'EFBIG' }));
      }
      const size = stat.size;
      const buffer = pool.take(room + size);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        pool.give(buffer);
      };
      let got = 0;
      const step = () =>
        read(fd, buffer, room + got, size - got, got, (readErr, n) => {
          if (readErr) {
            release();
            return fail(readErr);
          }
          got += n;
          if (n > 0 && got < size) return step();
          close(fd, () => {
            if (got !== size) {
              release();
              return callback(Object.assign(new Error('block file changed while read'), { code: 'EIO' }));
            }
            callback(null, { bytes: buffer.subarray(room, room + size), buffer, offset: room, release });
          });
        });
      step();
    });
  });
}

/** A read-only view of the blockstore that never leaves the machine. */
export class LocalBlocks {
  /**
   * Where reads go: the innermost store (see {@link innermostBlockstore}: no GC lock, extra `has` or network
   * fallback per block); writes are not made through this class.
   */
  private readonly store: GatewayBlockstore;
  private readonly fileOf?: (cid: CID) => string;
  private readonly pool = new BufferPool();
  constructor(store: GatewayBlockstore) {
    this.store = innermostBlockstore(store);
    this.fileOf = blockFileLocator(this.store);
  }

  /**
   * The whole block in a pooled buffer with {@link LENT_BLOCK_ROOM} free bytes before it: straight from its
   * file when the store is a blockstore-fs directory, else through `get` (then `release` does nothing).
   * The caller must call `release()` exactly when it no longer needs the bytes.
   */
  async lend(cid: CID, signal?: AbortSignal): Promise<LentBlock> {
    if (this.fileOf !== undefined && cid.multihash.code !== IDENTITY_HASH) {
      signal?.throwIfAborted();
      const path = this.fileOf(cid);
      const lent = await new Promise<LentBlock | undefined>((resolve) =>
        // Any failure (missing file, odd layout) falls back to the store, which decides what is there.
        readFileLent(path, this.pool, LENT_BLOCK_ROOM, (err, block) => resolve(err ? undefined : block)),
      );
      if (lent) return lent;
    }
    const bytes = await this.get(cid, signal);
    const buffer = Buffer.allocUnsafe(LENT_BLOCK_ROOM + bytes.byteLength);
    buffer.set(bytes, LENT_BLOCK_ROOM);
    return {
      bytes: buffer.subarray(LENT_BLOCK_ROOM),
      buffer,
      offset: LENT_BLOCK_ROOM,
      release: () => {},
    };
  }

  /** The blockstore to hand to the UnixFS exporter: every `get` is forced offline. */
  readonly exporterStore = {
    get: (cid: CID, options?: { signal?: AbortSignal }) =>
      this.store.get(cid, { ...options, offline: true } as LocalReadOptions),
  };

  async has(cid: CID, signal?: AbortSignal): Promise<boolean> {
    if (cid.multihash.code === IDENTITY_HASH) return true;
    return this.store.has(cid, { signal });
  }

  /** The whole block; {@link BlockNotFoundError} when it is not stored locally. */
  async get(cid: CID, signal?: AbortSignal): Promise<Uint8Array> {
    // An identity CID carries its block in its own multihash.
    if (cid.multihash.code === IDENTITY_HASH) return cid.multihash.digest;
    try {
      const chunks: Uint8Array[] = [];
      let length = 0;
      for await (const chunk of this.store.get(cid, { signal, offline: true } as LocalReadOptions)) {
        chunks.push(chunk);
        length += chunk.byteLength;
      }
      if (chunks.length === 1) return chunks[0]!;
      const out = new Uint8Array(length);
      let offset = 0;
      for (const c of chunks) {
        out.set(c, offset);
        offset += c.byteLength;
      }
      return out;
    } catch (err) {
      throw toGatewayError(err, cid);
    }
  }
}

/** Maps store/exporter failures to gateway errors; keeps gateway errors as they are. */
export function toGatewayError(err: unknown, cid?: CID | string): GatewayError {
  if (err instanceof GatewayError) return err;
  if (isNotFound(err)) return new BlockNotFoundError(String(cid ?? (err as Error).message));
  if (err instanceof Error && err.name === 'AbortError') {
    const e = new InternalGatewayError('request aborted');
    return e;
  }
  return new InternalGatewayError(err instanceof Error ? err.message : String(err));
}

/**
 * Deletes a block from local storage only. Helia's blockstore first cancels re-providing the CID, which
 * throws when the node has no content routers (our storage nodes run without a DHT); in that case the
 * block is deleted from the store Helia wraps (`unwrap()`, present on Helia's block storage classes).
 */
export async function deleteLocalBlock(store: GatewayBlockstore, cid: CID): Promise<void> {
  try {
    await store.delete(cid);
  } catch (err) {
    const inner = (store as { unwrap?: () => unknown }).unwrap?.() as GatewayBlockstore | undefined;
    if (inner === undefined || typeof inner.delete !== 'function') throw err;
    await inner.delete(cid);
  }
}
