/**
 * The storage node's IPFS process: Helia on disk (a PackBlockstore under `packs/`, and
 * datastore-level under `basePath`) and a private libp2p (TCP, noise, yamux, identify, bitswap). Nothing
 * public is dialled or announced: no bootstrap list, DHT, mDNS, AutoNAT, UPnP or relay. Peers come from the caller, so a devnet stays on the
 * machine and a production node only talks to the gateways and peers it is told about.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import type { Multiaddr } from '@multiformats/multiaddr';
import { multiaddr } from '@multiformats/multiaddr';
import { LevelDatastore } from 'datastore-level';
import type { Helia } from 'helia';
import { createHelia } from 'helia';
import type { CID } from 'multiformats/cid';
import { Fetcher, type FetchOptions, type FetchOutcome } from './fetcher.ts';
import { type BlocksBelowGcLock, holdGcReadLock, storeBelowGcLock } from './gc-lock.ts';
import { type AddOptions, type AddResult, addBytes, addFile } from './import-options.ts';
import { hasFlatBlocks, migrateFlatBlocks, removeFlatBlocks } from './pack/migrate-flat-blocks.ts';
import { PackBlockstore } from './pack/pack-blockstore.ts';
import { recordPin } from './pin-records.ts';

/** Helia with its libp2p (what `createHelia` returns). */
export type HeliaNode = Helia & { libp2p: Libp2p };

export interface StorageNodeOptions {
  /** Directory for `packs/` (blocks) and `datastore/` (pins, peer data); created if missing. */
  basePath: string;
  /** libp2p listen addresses. Default: `/ip4/127.0.0.1/tcp/0` (loopback, ephemeral port). */
  listen?: string[];
  /** Peers to dial on start (multiaddrs ending in `/p2p/<peer id>`). */
  peers?: string[];
}

/** Something about the node's state forbids the call (not started, already started). */
export class StorageNodeStateError extends Error {
  override name = 'StorageNodeStateError';
}

export class StorageNode {
  readonly basePath: string;
  private readonly listen: string[];
  private readonly peers: string[];
  private node?: HeliaNode;
  private blockstore?: PackBlockstore;
  private datastore?: LevelDatastore;

  constructor(options: StorageNodeOptions) {
    this.basePath = options.basePath;
    this.listen = options.listen?.length ? options.listen : ['/ip4/127.0.0.1/tcp/0'];
    this.peers = options.peers ?? [];
    for (const a of [...this.listen, ...this.peers]) multiaddr(a); // bad addresses fail here, not mid-start
  }

  get started(): boolean {
    return this.node !== undefined;
  }

  get helia(): HeliaNode {
    if (!this.node) throw new StorageNodeStateError('storage node is not started');
    return this.node;
  }

  get peerId(): PeerId {
    return this.helia.libp2p.peerId;
  }

  get multiaddrs(): Multiaddr[] {
    return this.helia.libp2p.getMultiaddrs();
  }

  async start(): Promise<void> {
    if (this.node) throw new StorageNodeStateError('storage node is already started');
    await mkdir(this.basePath, { recursive: true });
    const blockstore = await this.openBlockstore();
    const datastore = new LevelDatastore(join(this.basePath, 'datastore'));
    try {
      await datastore.open();
    } catch (err) {
      await blockstore.close();
      throw err;
    }
    try {
      const node = createHelia({
        blockstore,
        datastore,
        // No delegated routers or public gateways: every provider is named by our caller.
        http: { delegatedRouters: [], recursiveGateways: [] },
        libp2p: {
          addresses: { listen: this.listen },
          transports: [tcp()],
          connectionEncrypters: [noise()],
          streamMuxers: [yamux()],
          peerDiscovery: [],
          services: { identify: identify() },
        },
      } as never) as unknown as HeliaNode;
      await node.start();
      this.node = node;
    } catch (err) {
      await datastore.close().catch(() => {});
      await blockstore.close().catch(() => {});
      throw err;
    }
    this.blockstore = blockstore;
    this.datastore = datastore;
    for (const peer of this.peers) {
      // A peer that is down now may come up later; the fetcher dials again when it needs it.
      await this.connect(peer).catch(() => {});
    }
  }

  /**
   * The pack store under `packs/`. A node last run with one file per block (`blocks/`, before the pack
   * store) has those blocks moved in first; the old directory goes only once the store has synced them.
   */
  private async openBlockstore(): Promise<PackBlockstore> {
    const packs = join(this.basePath, 'packs');
    const flat = join(this.basePath, 'blocks');
    if (await hasFlatBlocks(flat)) {
      const store = new PackBlockstore(packs);
      await store.open();
      try {
        await migrateFlatBlocks(flat, store);
      } finally {
        await store.close();
      }
      await removeFlatBlocks(flat);
    }
    const blockstore = new PackBlockstore(packs);
    await blockstore.open();
    return blockstore;
  }

  /** Closes libp2p, then the block and data stores. Safe to call twice. */
  async stop(): Promise<void> {
    const node = this.node;
    this.node = undefined;
    if (node) await node.stop();
    await this.datastore?.close();
    await this.blockstore?.close();
    this.datastore = undefined;
    this.blockstore = undefined;
  }

  async connect(address: string | Multiaddr, signal?: AbortSignal): Promise<void> {
    const ma = typeof address === 'string' ? multiaddr(address) : address;
    await this.helia.libp2p.dial(ma, { signal });
  }

  /**
   * Adds bytes (Kubo-identical CID by default) and pins the result. The pin is recorded from the blocks the
   * importer just stored (see `pin`), not by Helia walking the new DAG again. One hold of Helia's GC read
   * lock covers the import and the pin (see `gc-lock.ts`), so a `helia.gc()` meanwhile waits instead of
   * deleting the new, not yet pinned blocks.
   */
  async add(source: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: AddOptions = {}) {
    return this.importAndPin((sink) => addBytes(sink, source, opts), opts.signal);
  }

  /** Adds a file from disk (streamed) and pins it, as `add`. */
  async addFile(path: string, opts: AddOptions = {}): Promise<AddResult> {
    return this.importAndPin((sink) => addFile(sink, path, opts), opts.signal);
  }

  private async importAndPin(
    run: (sink: BlocksBelowGcLock) => Promise<AddResult>,
    signal: AbortSignal | undefined,
  ): Promise<AddResult> {
    const release = await holdGcReadLock(this.helia, signal);
    try {
      const { sink, stored } = recordingSink(storeBelowGcLock(this.helia));
      const result = await run(sink);
      await this.pin(result.cid, signal, stored);
      return result;
    } finally {
      release();
    }
  }

  /**
   * Pins a DAG (recursively) so GC keeps it; a no-op if already pinned.
   *
   * `dagBlocks`, when given, must be every block of the DAG (a completed pull's `FetchOutcome.dagBlocks`,
   * each present in the blockstore): the pin is then recorded from it in one atomic datastore batch,
   * instead of Helia walking the DAG again (re-reading every block from disk, one datastore read and write
   * per block: ~1.1 s of CPU for 100 MiB). The records are Helia's own (`helia/src/pins.ts`): so `pins.ls`,
   * `pins.isPinned`, `pins.rm` and GC treat the pin exactly as one made by `pins.add`. The list is trusted:
   * a GC that ran after those blocks were stored may have deleted them, so pin a pull with
   * {@link fetchAndPin}, which keeps GC out from the pull's start to the pin.
   */
  async pin(cid: CID, signal?: AbortSignal, dagBlocks?: readonly CID[]): Promise<void> {
    if (await this.helia.pins.isPinned(cid, { signal })) return;
    if (dagBlocks !== undefined && this.datastore !== undefined) {
      await recordPin(this.datastore, cid, dagBlocks, signal);
      return;
    }
    for await (const _ of this.helia.pins.add(cid, { signal })) {
      // drain: add() yields each pinned block
    }
  }

  /**
   * Pulls a DAG (see `Fetcher.fetch`) and, if the pull completed, pins it from the pull's block list, under
   * one hold of Helia's GC read lock: a `helia.gc()` started during the pull or before the pin is written
   * waits for both, so it never deletes a pulled block (the guarantee of `ipfs pin add` in Kubo). The pull is
   * pinned before this resolves; any other status leaves it unpinned (GC may then collect what it stored,
   * and a later pull resumes from what is left). `options.onComplete` runs first, before the pin.
   * `fetcher` must be for this node's Helia; by default a new one.
   */
  async fetchAndPin(
    cid: CID | string,
    options: FetchOptions,
    fetcher: Fetcher = new Fetcher(this.helia),
  ): Promise<FetchOutcome> {
    return fetcher.fetch(cid, {
      ...options,
      onComplete: async (outcome) => {
        await options.onComplete?.(outcome);
        await this.pin(outcome.cid, options.signal, outcome.dagBlocks);
      },
    });
  }

  async isPinned(cid: CID, signal?: AbortSignal): Promise<boolean> {
    return this.helia.pins.isPinned(cid, { signal });
  }
}

/**
 * A sink over `store` that lists every block once its write has completed (the DAG an import wrote). It
 * takes blocks as parts when the store does, so dag-pb leaves are written without being joined first.
 */
function recordingSink(store: BlocksBelowGcLock): { sink: BlocksBelowGcLock; stored: CID[] } {
  const stored: CID[] = [];
  const sink: BlocksBelowGcLock = {
    has: (cid, options) => store.has(cid, options),
    get: (cid, options) => store.get(cid, options),
    async put(cid, bytes, options) {
      await store.put(cid, bytes, options);
      stored.push(cid);
      return cid;
    },
    delete: (cid, options) => store.delete(cid, options),
  };
  const putParts = store.putParts;
  if (putParts !== undefined) {
    sink.putParts = async (cid, parts, options) => {
      await putParts(cid, parts, options);
      stored.push(cid);
      return cid;
    };
  }
  return { sink, stored };
}
