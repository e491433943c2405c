/**
 * Pulls a whole UnixFS DAG into the local blockstore, verifying every block's multihash before it is stored.
 *
 * Why it looks like this:
 * - Only verified blocks are ever written, and a parent is written before its children are asked for, so the
 *   blockstore itself is the resume state: after a crash, walking the DAG from the root over the blocks we
 *   hold yields exactly the missing frontier, and nothing verified is downloaded again.
 * - Two transports. HTTP trustless gateways (`GET /ipfs/<cid>?format=car&dag-scope=all`, IPFS trustless
 *   gateway spec) stream a whole subtree per request with no per-block round trip: the fast path. The
 *   stream is read with a minimal HTTP client into one reused buffer and parsed incrementally (car-reader),
 *   so each block's bytes are copied once, into the buffer that is hashed and written. Bitswap over libp2p
 *   asks block by block (Helia's broker, which also verifies). With several gateways the root is fetched
 *   alone first, so the root's children become independent subtrees that they serve in parallel; with one,
 *   the whole DAG is one stream.
 * - A block is written only after its parent's write finished, so after a kill every stored block hangs
 *   under stored parents and the resume walk finds it.
 * - The outcome lists every block of the DAG (what the walk learnt), so the caller can pin the DAG without
 *   reading it back from disk.
 * - Providers are chosen by measurement: each task goes to the usable provider with the best observed
 *   throughput per in-flight task; a provider that serves a block whose hash does not match (or whose TLS
 *   certificate is not trusted) is dropped for the rest of the fetch and reported in `ignoredProviders`.
 * - Blocks are written under Helia's wrappers, so Helia's per-block GC read lock is not taken; instead the
 *   whole fetch holds one read lock of that GC lock (and `onComplete`, where the caller pins, runs inside
 *   it). `helia.gc()` takes the write lock, so it cannot delete a block of a pull before the pull is pinned,
 *   as `ipfs pin add` in Kubo holds the pin lock over its fetch.
 */

import { setMaxListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Multiaddr } from '@multiformats/multiaddr';
import { multiaddr } from '@multiformats/multiaddr';
import { FsBlockstore } from 'blockstore-fs';
import { CID } from 'multiformats/cid';
import {
  BlockHashMismatchError,
  BufferPool,
  blockLinks,
  dagPbIsLeaf,
  innermostBlockstore,
  readBlock,
  UnsupportedBlockError,
  verifyBlockSync,
} from './blocks.ts';
import { CarFormatError, CarReader } from './car-reader.ts';
import { type ExtraCa, HttpsTrust, httpGet, streamGet, TlsCertificateError } from './fetch-http.ts';
import { holdGcReadLock, storeBelowGcLock } from './gc-lock.ts';
import { PackBlockstore } from './pack/pack-blockstore.ts';
import type { HeliaNode } from './storage-node.ts';

export type Provider = { kind: 'http'; url: string } | { kind: 'libp2p'; multiaddr: string };

export type FetchStatus = 'complete' | 'timed-out' | 'not-found';

export interface FetchProgress {
  /** Bytes / blocks downloaded, verified and stored by this call so far. */
  bytes: number;
  blocks: number;
  /** Blocks that were already stored before this call. */
  reusedBlocks: number;
  /** Blocks known to be still missing (grows as the DAG is discovered). */
  wanted: number;
}

export interface FetchOptions {
  providers: Provider[];
  signal?: AbortSignal;
  /** Absolute time (ms since the epoch, or a Date) after which the fetch gives up. Default: 60 min from now. */
  deadline?: number | Date;
  onProgress?: (progress: FetchProgress) => void;
  /** Parallel requests (blocks, subtree streams or bitswap wants). Default 16 with HTTP providers, else 32. */
  concurrency?: number;
  /**
   * How HTTP gateways are asked. `car` (default): `?format=car&dag-scope=all` streams, the whole DAG in one
   * with a single gateway; with several, the DAG root alone, then one stream per subtree spread over them.
   * No per-block request on either side: for 100 MiB on loopback ~0.65 s of CPU in the puller and ~0.24 s in
   * the gateway, where the per-block mode (and Helia's pin walk) cost ~3.5 s and ~1.2-1.7 s.
   * `block`: `?format=raw` per block, many in parallel, each parent before its children (for gateways
   * that serve raw blocks but not CARs).
   */
  httpMode?: 'block' | 'car';
  /**
   * Certificates (PEM) trusted for `https://` gateways in addition to Node's default ones: a gateway behind a
   * private CA, or one with a self-signed certificate. A gateway whose certificate is not trusted is dropped
   * (reported in `ignoredProviders`), not retried until the deadline.
   */
  ca?: ExtraCa;
  /**
   * Called (and awaited) once the whole DAG is stored, before the fetch lets go of Helia's GC read lock: pin
   * the DAG here (as `StorageNode.fetchAndPin` does) and no `helia.gc()` can come between the pull and the
   * pin. Not called unless the status is `complete`; if it throws, the fetch rejects with its error. Do not
   * call `helia.blockstore` here: it takes the same lock per call, and behind a GC that waits for this fetch
   * it would wait forever (Helia's pins and datastore do not take it).
   */
  onComplete?: (outcome: FetchOutcome) => Promise<void> | void;
}

export interface FetchOutcome {
  status: FetchStatus;
  cid: CID;
  /** Bytes downloaded, verified and stored by this call. */
  bytes: number;
  /** Blocks downloaded, verified and stored by this call. */
  blocks: number;
  /** Blocks already held before this call (not downloaded again). */
  reusedBlocks: number;
  /**
   * Providers that served a block whose hash did not match its CID, broke the protocol, or presented a TLS
   * certificate that is not trusted.
   */
  ignoredProviders: Provider[];
  /**
   * Every block of the DAG, each once (by multihash), root first: held before or stored by this call. The
   * whole DAG only when `status` is `complete`; a pin can then be recorded from it without a second walk.
   */
  dagBlocks: CID[];
}

export class InvalidCidError extends Error {
  override name = 'InvalidCidError';
}
export class InvalidProviderError extends Error {
  override name = 'InvalidProviderError';
}
export class FetchAbortedError extends Error {
  override name = 'FetchAbortedError';
}

/** Blocks larger than this are refused (Kubo's bitswap limit is 2 MiB); bounds memory per stream. */
export const MAX_BLOCK_BYTES = 2 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;
const RAW_CODE = 0x55;
const DAG_PB_CODE = 0x70;
const IDENTITY_HASH = 0x00;
/** A CAR stream stops reading while this many of its blocks wait to be written, and resumes at half. */
const MAX_PENDING_PUTS = 32;
const HTTP_CONCURRENCY = 16;
const BITSWAP_CONCURRENCY = 32;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 3_000;

/** Accepts a CID object or its string form; anything else is an {@link InvalidCidError}. */
export function parseCid(cid: CID | string): CID {
  if (typeof cid !== 'string') {
    const asCid = CID.asCID(cid);
    if (asCid) return asCid;
    throw new InvalidCidError('not a CID');
  }
  const s = cid.trim().replace(/^\/ipfs\//, '');
  try {
    return CID.parse(s);
  } catch (err) {
    throw new InvalidCidError(`invalid CID '${cid.slice(0, 100)}': ${(err as Error).message}`);
  }
}

/**
 * A block's identity in one pull: its codec and multihash (CIDv0 and CIDv1 dag-pb of the same multihash are
 * the same block). Built from the bytes directly: `toV1().toString()` built a CID and a base32 string per
 * call, several calls per block.
 */
function keyOf(cid: CID): string {
  const mh = cid.multihash.bytes;
  return `${cid.code}:${Buffer.from(mh.buffer, mh.byteOffset, mh.byteLength).toString('latin1')}`;
}

function providerKey(p: Provider): string {
  return p.kind === 'http' ? `http:${p.url}` : `libp2p:${p.multiaddr}`;
}

function validateProviders(providers: Provider[]): Array<{ provider: Provider; ma?: Multiaddr; url?: URL }> {
  if (!Array.isArray(providers)) throw new InvalidProviderError('providers must be an array');
  return providers.map((p) => {
    if (p?.kind === 'http') {
      let url: URL;
      try {
        url = new URL(p.url);
      } catch {
        throw new InvalidProviderError(`invalid gateway URL '${String(p.url)}'`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new InvalidProviderError(`gateway URL must be http(s): '${p.url}'`);
      }
      return { provider: p, url };
    }
    if (p?.kind === 'libp2p') {
      try {
        return { provider: p, ma: multiaddr(p.multiaddr) };
      } catch (err) {
        throw new InvalidProviderError(
          `invalid multiaddr '${String(p.multiaddr)}': ${(err as Error).message}`,
        );
      }
    }
    throw new InvalidProviderError(`unknown provider kind '${String((p as { kind?: unknown })?.kind)}'`);
  });
}

/** A provider the fetch may use, with what we learnt about it. */
interface ProviderState {
  provider: Provider;
  key: string;
  url?: URL;
  ma?: Multiaddr;
  inFlight: number;
  /** Bytes per ms, exponentially smoothed; optimistic until measured so every provider gets tried. */
  rate: number;
  corrupt: boolean;
  /** No request before this time (after a connection failure). */
  coolUntil: number;
  failures: number;
}

/** An item still missing: a block, and the subtree below it. */
interface Wanted {
  cid: CID;
  key: string;
  claimed: boolean;
  /** Provider key -> time before which that provider is not asked for this item again. */
  backoff: Map<string, number>;
  attempts: number;
}

class ProviderMisbehavedError extends Error {
  override name = 'ProviderMisbehavedError';
}

/** Where verified blocks are read and written; by default the Helia node's own blockstore. */
export interface LocalBlockstore {
  has(cid: CID, options?: { signal?: AbortSignal }): boolean | Promise<boolean>;
  get(cid: CID, options?: any): any;
  put(cid: CID, bytes: Uint8Array, options?: { signal?: AbortSignal }): unknown;
}

export interface FetcherOptions {
  /**
   * Read and write blocks here. Default: the store under Helia's wrappers (identity layer over the disk),
   * with each stored block announced to Helia's block brokers as Helia's own `put` does (so a bitswap peer
   * waiting for it gets it). Bitswap pulls still go through `helia.blockstore`.
   */
  blockstore?: LocalBlockstore;
}

/** Downloads DAGs into a Helia node's blockstore. One instance may run many fetches at once. */
export class Fetcher {
  private readonly helia: HeliaNode;
  private readonly store: LocalBlockstore;
  /** Block buffers reused once written: only when writes go to files (a store that kept them would break). */
  private readonly pool?: BufferPool;
  constructor(helia: HeliaNode, options: FetcherOptions = {}) {
    this.helia = helia;
    this.store = options.blockstore ?? storeBelowGcLock(helia);
    if (options.blockstore === undefined && writesToFiles(helia)) this.pool = new BufferPool();
  }

  async fetch(cidInput: CID | string, options: FetchOptions): Promise<FetchOutcome> {
    const cid = parseCid(cidInput);
    if (cid.code !== 0x70 && cid.code !== 0x55) {
      throw new InvalidCidError(`CID ${cid} is not UnixFS (codec must be dag-pb or raw)`);
    }
    const providers = validateProviders(options.providers);
    // A bad `ca` fails here (InvalidCaError), before any lock or connection.
    const trust = options.ca === undefined ? undefined : new HttpsTrust(options.ca);
    if (options.signal?.aborted) throw new FetchAbortedError('fetch aborted before it started');
    const deadline =
      options.deadline instanceof Date
        ? options.deadline.getTime()
        : (options.deadline ?? Date.now() + DEFAULT_TIMEOUT_MS);
    // One GC read lock for the whole pull and the caller's pin. A `helia.gc()` asked for meanwhile simply
    // waits for the pull to end, however long it takes. Mortice lets no new reader past a waiting writer, so
    // until then every call through `helia.blockstore` (Helia's get/put/has, its bitswap server's reads)
    // waits too; the gateway and this fetcher read below the lock. A GC already running delays the start of
    // the pull instead (its resume walk must not count blocks the GC is about to delete).
    let release: () => void;
    try {
      release = await holdGcReadLock(this.helia, options.signal);
    } catch (err) {
      trust?.close();
      if (options.signal?.aborted) throw new FetchAbortedError('fetch aborted while waiting for a GC to end');
      throw err;
    }
    try {
      const run = new FetchRun(this.helia, this.store, this.pool, cid, providers, deadline, options, trust);
      const outcome = await run.execute();
      if (outcome.status === 'complete') await options.onComplete?.(outcome);
      return outcome;
    } finally {
      release();
      trust?.close();
    }
  }
}

class FetchRun {
  private readonly wanted = new Map<string, Wanted>();
  /** Wanted items ready to be handed out, in discovery order (parents before children). */
  private readonly queue: Wanted[] = [];
  private queueHead = 0;
  /** Items every usable provider recently failed; back in the queue once `retryAt` passes. */
  private deferred: Array<{ item: Wanted; retryAt: number }> = [];
  /** Blocks of the DAG we hold (found, stored, or carried in their CID), by key. */
  private readonly held = new Map<string, CID>();
  /** Blocks verified and being written (a second copy from another stream is not written again). */
  private readonly storing = new Set<string>();
  private readonly providers: ProviderState[];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controller = new AbortController();
  private bytes = 0;
  private blocks = 0;
  private reused = 0;
  private rootHeld = false;
  private wake?: () => void;
  private readonly concurrency: number;
  /** HTTP gateways among the providers. */
  private readonly httpProviders: number;
  /** Aborts with the run or at the deadline; one for every HTTP request (a signal per request cost CPU). */
  private readonly requestSignal: AbortSignal;
  /**
   * Helia's blockstore under its GC lock layer (the store that asks block brokers on a miss): bitswap pulls
   * go through it, since the run already holds the GC read lock and a second one could wait behind a GC.
   */
  private readonly network: HeliaNode['blockstore'];
  /** The extra trusted CAs for https gateways, if any (one TLS context and agent for the whole run). */
  private readonly trust?: HttpsTrust;

  private readonly store: LocalBlockstore;
  private readonly pool?: BufferPool;
  private readonly root: CID;
  private readonly rootKey: string;
  private readonly deadline: number;
  private readonly options: FetchOptions;

  constructor(
    helia: HeliaNode,
    store: LocalBlockstore,
    pool: BufferPool | undefined,
    root: CID,
    providers: Array<{ provider: Provider; ma?: Multiaddr; url?: URL }>,
    deadline: number,
    options: FetchOptions,
    trust: HttpsTrust | undefined,
  ) {
    this.store = store;
    this.pool = pool;
    this.root = root;
    this.rootKey = keyOf(root);
    this.deadline = deadline;
    this.options = options;
    this.providers = providers.map((p) => ({
      ...p,
      key: providerKey(p.provider),
      inFlight: 0,
      rate: Number.POSITIVE_INFINITY,
      corrupt: false,
      coolUntil: 0,
      failures: 0,
    }));
    this.httpProviders = this.providers.filter((p) => p.provider.kind === 'http').length;
    this.network =
      (helia.blockstore as unknown as { unwrap?: () => HeliaNode['blockstore'] }).unwrap?.() ??
      helia.blockstore;
    this.trust = trust;
    this.concurrency =
      options.concurrency ?? (this.httpProviders > 0 ? HTTP_CONCURRENCY : BITSWAP_CONCURRENCY);
    this.requestSignal = AbortSignal.any([
      this.controller.signal,
      AbortSignal.timeout(Math.max(1, deadline - Date.now())),
    ]);
    // Every in-flight request listens on it: not a leak, so no MaxListenersExceeded warning.
    setMaxListeners(this.concurrency * 2 + 16, this.requestSignal);
  }

  async execute(): Promise<FetchOutcome> {
    const signal = this.options.signal;
    const onAbort = () => this.controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.walkLocal();
      this.report();
      await this.schedule();
      if (signal?.aborted) throw new FetchAbortedError('fetch aborted');
      const status: FetchStatus =
        this.wanted.size === 0 ? 'complete' : this.rootHeld ? 'timed-out' : 'not-found';
      return {
        status,
        cid: this.root,
        bytes: this.bytes,
        blocks: this.blocks,
        reusedBlocks: this.reused,
        ignoredProviders: this.providers.filter((p) => p.corrupt).map((p) => p.provider),
        dagBlocks: uniqueByMultihash(this.held.values()),
      };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.controller.abort();
      await Promise.allSettled(this.inFlight);
    }
  }

  /** Finds what we already hold under the root, and the frontier of what is missing. */
  private async walkLocal(): Promise<void> {
    const stack: CID[] = [this.root];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const cid = stack.pop()!;
      const key = keyOf(cid);
      if (seen.has(key)) continue;
      seen.add(key);
      this.controller.signal.throwIfAborted();
      if (cid.multihash.code === IDENTITY_HASH) {
        this.hold(key, cid);
        for (const child of blockLinks(cid, cid.multihash.digest)) stack.push(child);
      } else if (await this.store.has(cid)) {
        this.hold(key, cid);
        this.reused++;
        for (const child of await this.localLinks(cid)) stack.push(child);
      } else {
        this.want(cid);
      }
    }
  }

  private hold(key: string, cid: CID): void {
    this.held.set(key, cid);
    if (key === this.rootKey) this.rootHeld = true;
  }

  /**
   * Links of a block we hold, decoding as little as possible: a raw leaf has none, and a dag-pb block that
   * is exactly one Data field has none either ({@link dagPbIsLeaf}), so a resumed pull of a large file
   * decodes only its few interior nodes.
   */
  private async localLinks(cid: CID): Promise<CID[]> {
    if (cid.code === RAW_CODE) return [];
    const bytes = await readBlock(await this.store.get(cid, { offline: true }));
    if (cid.code === DAG_PB_CODE && dagPbIsLeaf(bytes)) return [];
    return blockLinks(cid, bytes);
  }

  /** Marks a block as missing; a block whose CID carries its bytes (identity hash) is held at once. */
  private want(cid: CID): void {
    const key = keyOf(cid);
    if (this.held.has(key) || this.wanted.has(key)) return;
    if (cid.multihash.code === IDENTITY_HASH) {
      verifyBlockSync(cid, cid.multihash.digest);
      this.hold(key, cid);
      for (const child of blockLinks(cid, cid.multihash.digest)) this.want(child);
      return;
    }
    const item: Wanted = { cid, key, claimed: false, backoff: new Map(), attempts: 0 };
    this.wanted.set(key, item);
    this.queue.push(item);
  }

  /** Puts an item that was claimed but not delivered back in line. */
  private release(item: Wanted): void {
    item.claimed = false;
    if (this.wanted.get(item.key) === item) this.queue.push(item);
  }

  private nextReady(): Wanted | undefined {
    while (this.queueHead < this.queue.length) {
      const item = this.queue[this.queueHead++];
      if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      if (!item.claimed && this.wanted.get(item.key) === item) return item;
    }
    return undefined;
  }

  private report(): void {
    this.options.onProgress?.({
      bytes: this.bytes,
      blocks: this.blocks,
      reusedBlocks: this.reused,
      wanted: this.wanted.size,
    });
  }

  /** Hands out tasks until nothing is wanted, the deadline passes, or the caller aborts. */
  private async schedule(): Promise<void> {
    while (this.wanted.size > 0 || this.inFlight.size > 0) {
      if (this.controller.signal.aborted) return;
      const now = Date.now();
      if (now >= this.deadline) return;
      if (this.deferred.length > 0) {
        const due = this.deferred.filter((d) => d.retryAt <= now);
        this.deferred = this.deferred.filter((d) => d.retryAt > now);
        for (const d of due) this.queue.push(d.item);
      }
      while (this.inFlight.size < this.concurrency) {
        const item = this.nextReady();
        if (!item) break;
        const pick = this.pickProvider(item, now);
        if (pick.provider) this.launch(item, pick.provider);
        else this.deferred.push({ item, retryAt: pick.retryAt });
      }
      if (this.inFlight.size === 0 && this.providers.every((p) => p.corrupt)) return;
      const nextTry = this.deferred.reduce((min, d) => Math.min(min, d.retryAt), this.deadline);
      await this.sleepUntil(nextTry);
    }
  }

  private pickProvider(item: Wanted, now: number): { provider?: ProviderState; retryAt: number } {
    let best: ProviderState | undefined;
    let bestScore = -1;
    let retryAt = this.deadline;
    for (const p of this.providers) {
      if (p.corrupt) continue;
      const until = Math.max(p.coolUntil, item.backoff.get(p.key) ?? 0);
      if (until > now) {
        retryAt = Math.min(retryAt, until);
        continue;
      }
      // Throughput share per task: a fast provider gets more parallel subtrees than a slow one.
      const score = p.rate === Number.POSITIVE_INFINITY ? 1e12 - p.inFlight : p.rate / (p.inFlight + 1);
      if (score > bestScore) {
        best = p;
        bestScore = score;
      }
    }
    return { provider: best, retryAt };
  }

  private launch(item: Wanted, provider: ProviderState): void {
    item.claimed = true;
    item.attempts++;
    provider.inFlight++;
    const started = performance.now();
    const before = this.bytes;
    const task: Promise<void> = Promise.resolve().then(async () => {
      try {
        if (!provider.url) await this.bitswapBlock(item, provider);
        else if (this.options.httpMode === 'block') await this.httpBlock(item, provider);
        else await this.httpSubtree(item, provider);
        provider.failures = 0;
      } catch (err) {
        if (this.controller.signal.aborted) return;
        if (
          err instanceof BlockHashMismatchError ||
          err instanceof ProviderMisbehavedError ||
          err instanceof CarFormatError ||
          err instanceof TlsCertificateError
        ) {
          provider.corrupt = true;
        } else {
          provider.failures++;
          const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(provider.failures, 6));
          item.backoff.set(provider.key, Date.now() + delay);
        }
      } finally {
        provider.inFlight--;
        const ms = performance.now() - started;
        const got = this.bytes - before;
        if (got > 0 && ms > 0) {
          const sample = got / ms;
          provider.rate =
            provider.rate === Number.POSITIVE_INFINITY ? sample : 0.7 * provider.rate + 0.3 * sample;
        }
        this.release(item);
        this.inFlight.delete(task);
        this.wake?.();
      }
    });
    this.inFlight.add(task);
  }

  private sleepUntil(until: number): Promise<void> {
    const ms = Math.max(0, until - Date.now());
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.controller.signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.controller.signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  /**
   * Stores one verified block, then counts it held and wants its links. Returns false (and writes nothing)
   * if the block is already held or being written by another stream.
   */
  private async accept(cid: CID, bytes: Uint8Array, links: CID[]): Promise<boolean> {
    const key = keyOf(cid);
    if (this.held.has(key) || this.storing.has(key)) return false;
    this.storing.add(key);
    try {
      await this.store.put(cid, bytes, { signal: this.controller.signal });
    } finally {
      this.storing.delete(key);
    }
    this.hold(key, cid);
    this.wanted.delete(key);
    this.bytes += bytes.byteLength;
    this.blocks++;
    for (const child of links) this.want(child);
    this.report();
    return true;
  }

  /** One block by `?format=raw` (trustless gateway spec), verified against the link that led to it. */
  private async httpBlock(item: Wanted, provider: ProviderState): Promise<void> {
    const url = new URL(`ipfs/${item.cid.toString()}`, withSlash(provider.url!));
    url.searchParams.set('format', 'raw');
    let res: IncomingMessage;
    try {
      res = await httpGet(url, RAW_ACCEPT, this.requestSignal, HTTP_IDLE_MS, this.trust);
    } catch (err) {
      provider.coolUntil = Date.now() + RETRY_MIN_MS;
      throw err;
    }
    const parts: Buffer[] = [];
    let length = 0;
    try {
      if (res.statusCode !== 200) throw new Error(`gateway answered ${res.statusCode} for ${item.cid}`);
      for await (const chunk of res as AsyncIterable<Buffer>) {
        length += chunk.byteLength;
        if (length > MAX_BLOCK_BYTES) throw new ProviderMisbehavedError(`block ${item.cid} is too large`);
        parts.push(chunk);
      }
    } finally {
      res.destroy();
    }
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
    verifyBlockSync(item.cid, bytes);
    await this.accept(item.cid, bytes, blockLinks(item.cid, bytes));
  }

  /**
   * Streams `item`'s subtree as a CAR. Blocks must arrive parent-first (order=dfs): each is accepted only if
   * it is one we were led to by an earlier block of the same stream, and is verified as it completes. The
   * DAG root alone is asked as a single block, so its children become separate subtrees for parallel
   * streams. Writes run behind the stream (reading pauses while too many wait), each after its parent's.
   */
  private async httpSubtree(item: Wanted, provider: ProviderState): Promise<void> {
    // With one gateway there is nothing to spread, and every subtree would cost a connection: the whole DAG
    // comes in one stream. With several, the root comes alone and its subtrees go to the fastest gateways.
    const split = item.cid.equals(this.root) && item.cid.code === DAG_PB_CODE && this.httpProviders > 1;
    const scope = split ? 'block' : 'all';
    const url = new URL(`ipfs/${item.cid.toString()}`, withSlash(provider.url!));
    url.searchParams.set('format', 'car');
    url.searchParams.set('dag-scope', scope);
    // Blocks this stream may deliver: the requested one, then children of blocks it delivered.
    const expected = new Map<string, CID>([[keyOf(item.cid), item.cid]]);
    /** Key of a block not yet written -> its parent's write (a child is written only after it). */
    const parentWrite = new Map<string, Promise<unknown>>();
    const writes = new Set<Promise<unknown>>();
    let writeError: Error | undefined;
    let paused = false;
    const stopped = new AbortController();
    const signal = AbortSignal.any([this.requestSignal, stopped.signal]);
    let request: ReturnType<typeof streamGet> | undefined;

    const pool = this.pool;
    const onBlock = (cid: CID, bytes: Buffer, buffer: Buffer) => {
      const key = keyOf(cid);
      // Our own CID (the link we followed) decides how the block is hashed and walked, not the CAR's.
      const wantedCid = expected.get(key);
      if (!wantedCid) {
        if (this.held.has(key) || this.storing.has(key)) return; // a duplicate of a block we have
        throw new ProviderMisbehavedError(`unexpected block ${cid} in CAR for ${item.cid}`);
      }
      expected.delete(key);
      verifyBlockSync(wantedCid, bytes);
      // Link CIDs are views of the bytes decoded: decode a copy, as the buffer goes back to the pool once
      // written (interior nodes are few; a leaf is recognised without decoding).
      const links =
        wantedCid.code === DAG_PB_CODE && !dagPbIsLeaf(bytes)
          ? blockLinks(wantedCid, Uint8Array.prototype.slice.call(bytes))
          : wantedCid.code === DAG_PB_CODE
            ? []
            : blockLinks(wantedCid, bytes);
      const after = parentWrite.get(key);
      parentWrite.delete(key);
      const write = (after ?? Promise.resolve())
        .then(() => this.accept(wantedCid, bytes, []))
        .finally(() => pool?.give(buffer));
      for (const child of links) {
        const ck = keyOf(child);
        if (!this.held.has(ck)) {
          expected.set(ck, child);
          parentWrite.set(ck, write);
        }
        this.want(child);
        const w = this.wanted.get(ck);
        if (w) w.claimed = true; // this stream will deliver it
      }
      writes.add(write);
      write.then(
        () => {
          writes.delete(write);
          if (paused && writes.size <= MAX_PENDING_PUTS / 2) {
            paused = false;
            request?.resume();
          }
        },
        (err: Error) => {
          writes.delete(write);
          writeError ??= err;
          stopped.abort(err);
        },
      );
      if (!paused && writes.size >= MAX_PENDING_PUTS) {
        paused = true;
        request?.pause();
      }
    };
    const reader = new CarReader({
      maxBlockBytes: MAX_BLOCK_BYTES,
      onBlock,
      allocate: pool ? (size) => pool.take(size) : undefined,
    });
    try {
      request = streamGet(url, {
        accept: CAR_ACCEPT,
        signal,
        idleMs: HTTP_IDLE_MS,
        trust: this.trust,
        onBody: (chunk) => reader.write(chunk),
      });
      await request.done;
      reader.end();
    } catch (err) {
      if (writeError) throw writeError;
      if (err instanceof CarFormatError || err instanceof ProviderMisbehavedError) throw err;
      if (err instanceof BlockHashMismatchError || err instanceof UnsupportedBlockError) throw err;
      if (err instanceof TlsCertificateError) throw err;
      if (reader.blocks === 0) provider.coolUntil = Date.now() + RETRY_MIN_MS;
      throw err;
    } finally {
      await Promise.allSettled([...writes]);
      // Whatever the stream did not deliver (or did not get written) goes back to the pool.
      for (const key of expected.keys()) {
        const w = this.wanted.get(key);
        if (w?.claimed) this.release(w);
      }
      for (const key of parentWrite.keys()) {
        const w = this.wanted.get(key);
        if (w?.claimed) this.release(w);
      }
    }
    if (writeError) throw writeError;
    if (expected.size > 0 && scope === 'all') throw new Error(`CAR stream for ${item.cid} was incomplete`);
  }

  /** One block by bitswap from this provider (Helia's broker verifies it); its links become wanted. */
  private async bitswapBlock(item: Wanted, provider: ProviderState): Promise<void> {
    const signal = AbortSignal.any([
      this.controller.signal,
      AbortSignal.timeout(Math.max(1, Math.min(30_000, this.deadline - Date.now()))),
    ]);
    try {
      const bytes = await readBlock(
        this.network.get(item.cid, { providers: [provider.ma!], signal } as never),
      );
      verifyBlockSync(item.cid, bytes);
      const key = keyOf(item.cid);
      if (!this.held.has(key)) {
        // Helia's networked blockstore has already stored it.
        this.hold(key, item.cid);
        this.wanted.delete(key);
        this.bytes += bytes.byteLength;
        this.blocks++;
        for (const child of blockLinks(item.cid, bytes)) this.want(child);
        this.report();
      }
    } catch (err) {
      if (err instanceof UnsupportedBlockError) throw new ProviderMisbehavedError(err.message);
      throw err;
    }
  }
}

/** True when the store under Helia's wrappers copies a block out on `put` (the pack store, a blockstore-fs directory), so its buffer can be reused. */
function writesToFiles(helia: HeliaNode): boolean {
  const inner = innermostBlockstore(helia.blockstore) as { child?: unknown };
  const store = inner.child ?? inner;
  return store instanceof PackBlockstore || store instanceof FsBlockstore;
}

/** One CID per multihash (a pin record is per multihash), in the order given. */
function uniqueByMultihash(cids: Iterable<CID>): CID[] {
  const seen = new Set<string>();
  const out: CID[] = [];
  for (const cid of cids) {
    const key = Buffer.from(cid.multihash.bytes).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(cid);
  }
  return out;
}

const CAR_ACCEPT = 'application/vnd.ipld.car; version=1; order=dfs; dups=n';
const RAW_ACCEPT = 'application/vnd.ipld.raw';

/** A socket silent this long ends the stream (the rest goes back to the pool), deadline or not. */
const HTTP_IDLE_MS = 30_000;

function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
}
