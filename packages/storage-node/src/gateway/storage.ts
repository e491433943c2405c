/**
 * What the gateway needs from an IPFS node, and the local-only block access it reads through. A Helia node
 * satisfies {@link GatewayNode} as is; tests and tools can pass a plain blockstore and pin set.
 *
 * Reads never go to the network: a storage node's gateway serves what it holds, and a missing block must be
 * a prompt 404, not a hang while bitswap searches.
 */
import type { Pins } from '@helia/interface';
import type { Blockstore } from 'interface-blockstore';
import type { CID } from 'multiformats/cid';
import { BufferPool, innermostBlockstore } from '../ipfs/blocks.ts';
import { PackBlockstore } from '../ipfs/pack/pack-blockstore.ts';
import { BlockNotFoundError, GatewayError, InternalGatewayError, UnsupportedCodecError } from './errors.ts';

export type GatewayBlockstore = Pick<Blockstore, 'get' | 'put' | 'has' | 'delete'>;
export type GatewayPins = Pick<Pins, 'add' | 'rm' | 'ls' | 'isPinned'>;

/** The parts of a node the gateway uses. `libp2p` is only read by `/api/v0/id`. */
export interface GatewayNode {
  blockstore: GatewayBlockstore;
  pins: GatewayPins;
  libp2p?: { peerId: PeerIdLike; getMultiaddrs(): Array<{ toString(): string }> };
  /** Helia's GC (`/api/v0/repo/gc`): deletes every unpinned block, reporting each through `onProgress`. */
  gc?(options?: { onProgress?: (event: { type: string; detail?: unknown }) => void }): Promise<void>;
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
/**
 * The storage node's pack store under the store the gateway was given (Helia wraps it), if that is what
 * holds the blocks: it reads a block straight into pooled memory. Any other store is read through `get`.
 */
export function packStoreUnder(store: GatewayBlockstore): PackBlockstore | undefined {
  store = innermostBlockstore(store);
  const child = (store as { child?: unknown }).child ?? store;
  return child instanceof PackBlockstore ? child : undefined;
}

/** A read-only view of the blockstore that never leaves the machine. */
export class LocalBlocks {
  /**
   * Where reads go: the innermost store (see {@link innermostBlockstore}: no GC lock, extra `has` or network
   * fallback per block); writes are not made through this class.
   */
  private readonly store: GatewayBlockstore;
  private readonly pack?: PackBlockstore;
  private readonly pool = new BufferPool();
  constructor(store: GatewayBlockstore) {
    this.store = innermostBlockstore(store);
    this.pack = packStoreUnder(this.store);
  }

  /**
   * The whole block in a pooled buffer with {@link LENT_BLOCK_ROOM} free bytes before it: read straight
   * from its segment when the store is the pack store, else through `get` (then `release` does nothing).
   * The caller must call `release()` exactly when it no longer needs the bytes.
   */
  async lend(cid: CID, signal?: AbortSignal): Promise<LentBlock> {
    if (this.pack !== undefined && cid.multihash.code !== IDENTITY_HASH) {
      const pool = this.pool;
      let buffer: Buffer | undefined;
      try {
        const read = await this.pack.read(cid, (size) => (buffer = pool.take(size)), LENT_BLOCK_ROOM, signal);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          pool.give(read.buffer);
        };
        return { bytes: read.bytes, buffer: read.buffer, offset: LENT_BLOCK_ROOM, release };
      } catch (err) {
        if (buffer !== undefined) pool.give(buffer);
        throw toGatewayError(err, cid);
      }
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
  // The exporter's "No resolver for code …": the client named a codec we cannot read, not our failure.
  if (err instanceof Error && err.name === 'NoResolverError') {
    return new UnsupportedCodecError(`unsupported codec in ${String(cid ?? 'CID')}: ${err.message}`);
  }
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
