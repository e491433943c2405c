/**
 * Pulls a whole UnixFS DAG into the local blockstore, verifying every block's multihash before it is stored.
 *
 * Why it looks like this:
 * - Only verified blocks are ever written, and a parent is written before its children are asked for, so the
 *   blockstore itself is the resume state: after a crash, walking the DAG from the root over the blocks we
 *   hold yields exactly the missing frontier, and nothing verified is downloaded again.
 * - Two transports. HTTP trustless gateways (`GET /ipfs/<cid>?format=car&dag-scope=all`, IPFS trustless
 *   gateway spec) stream a whole subtree per request with no per-block round trip: the fast path. Bitswap
 *   over libp2p asks block by block (Helia's broker, which also verifies). The root is fetched alone first,
 *   so the root's children become independent subtrees that several providers serve in parallel.
 * - Providers are chosen by measurement: each task goes to the usable provider with the best observed
 *   throughput per in-flight task; a provider that serves a block whose hash does not match is dropped for
 *   the rest of the fetch and reported in `ignoredProviders`.
 */

import { setMaxListeners } from 'node:events';
import { Agent as HttpAgent, get as httpGetRaw, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { CarBlockIterator } from '@ipld/car/iterator';
import type { Multiaddr } from '@multiformats/multiaddr';
import { multiaddr } from '@multiformats/multiaddr';
import { CID } from 'multiformats/cid';
import {
  BlockHashMismatchError,
  blockLinks,
  readBlock,
  UnsupportedBlockError,
  verifyBlock,
} from './blocks.ts';
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
   * How HTTP gateways are asked. `block` (default): `?format=raw` per block, many in parallel, each parent
   * before its children; measured here at ~40% less gateway CPU and faster than one CAR stream. `car`: the
   * DAG root alone, then one `?format=car&dag-scope=all` stream per subtree (fewer round trips on long links).
   */
  httpMode?: 'block' | 'car';
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
  /** Providers that served a block whose hash did not match its CID, or broke the protocol. */
  ignoredProviders: Provider[];
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

function keyOf(cid: CID): string {
  // CIDv0 and CIDv1 dag-pb of the same multihash are the same block.
  return cid.version === 0 ? cid.toV1().toString() : cid.toString();
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
  /** Read and write blocks here instead of `helia.blockstore` (bitswap still goes through Helia). */
  blockstore?: LocalBlockstore;
}

/** Downloads DAGs into a Helia node's blockstore. One instance may run many fetches at once. */
export class Fetcher {
  private readonly helia: HeliaNode;
  private readonly store: LocalBlockstore;
  constructor(helia: HeliaNode, options: FetcherOptions = {}) {
    this.helia = helia;
    this.store = options.blockstore ?? (helia.blockstore as unknown as LocalBlockstore);
  }

  async fetch(cidInput: CID | string, options: FetchOptions): Promise<FetchOutcome> {
    const cid = parseCid(cidInput);
    if (cid.code !== 0x70 && cid.code !== 0x55) {
      throw new InvalidCidError(`CID ${cid} is not UnixFS (codec must be dag-pb or raw)`);
    }
    const providers = validateProviders(options.providers);
    if (options.signal?.aborted) throw new FetchAbortedError('fetch aborted before it started');
    const deadline =
      options.deadline instanceof Date
        ? options.deadline.getTime()
        : (options.deadline ?? Date.now() + DEFAULT_TIMEOUT_MS);
    const run = new FetchRun(this.helia, this.store, cid, providers, deadline, options);
    return run.execute();
  }
}

class FetchRun {
  private readonly wanted = new Map<string, Wanted>();
  /** Wanted items ready to be handed out, in discovery order (parents before children). */
  private readonly queue: Wanted[] = [];
  private queueHead = 0;
  /** Items every usable provider recently failed; back in the queue once `retryAt` passes. */
  private deferred: Array<{ item: Wanted; retryAt: number }> = [];
  private readonly held = new Set<string>();
  private readonly providers: ProviderState[];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controller = new AbortController();
  private bytes = 0;
  private blocks = 0;
  private reused = 0;
  private rootHeld = false;
  private wake?: () => void;
  private readonly concurrency: number;
  /** Aborts with the run or at the deadline; one for every HTTP request (a signal per request cost CPU). */
  private readonly requestSignal: AbortSignal;

  private readonly helia: HeliaNode;
  private readonly store: LocalBlockstore;
  private readonly root: CID;
  private readonly deadline: number;
  private readonly options: FetchOptions;

  constructor(
    helia: HeliaNode,
    store: LocalBlockstore,
    root: CID,
    providers: Array<{ provider: Provider; ma?: Multiaddr; url?: URL }>,
    deadline: number,
    options: FetchOptions,
  ) {
    this.helia = helia;
    this.store = store;
    this.root = root;
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
    const anyHttp = this.providers.some((p) => p.provider.kind === 'http');
    this.concurrency = options.concurrency ?? (anyHttp ? HTTP_CONCURRENCY : BITSWAP_CONCURRENCY);
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
      if (await this.store.has(cid)) {
        this.held.add(key);
        this.reused++;
        if (cid.equals(this.root)) this.rootHeld = true;
        for (const child of await this.localLinks(cid)) stack.push(child);
      } else {
        this.want(cid);
      }
    }
  }

  /**
   * Links of a block we hold, reading as little as possible: a raw leaf has none, and a dag-pb node whose
   * first byte starts the Data field (0x0a) has none either, because dag-pb writes Links (0x12) first. So a
   * resumed pull of a large file reads its few interior nodes, not every leaf again.
   */
  private async localLinks(cid: CID): Promise<CID[]> {
    if (cid.code === RAW_CODE) return [];
    const parts: Uint8Array[] = [];
    for await (const chunk of await this.store.get(cid, { offline: true })) {
      if (parts.length === 0 && chunk.byteLength > 0 && chunk[0] === 0x0a) return [];
      parts.push(chunk);
    }
    return blockLinks(cid, await readBlock(parts));
  }

  private want(cid: CID): void {
    const key = keyOf(cid);
    if (this.held.has(key) || this.wanted.has(key)) return;
    const item: Wanted = { cid, claimed: false, backoff: new Map(), attempts: 0 };
    this.wanted.set(key, item);
    this.queue.push(item);
  }

  /** Puts an item that was claimed but not delivered back in line. */
  private release(item: Wanted): void {
    item.claimed = false;
    if (this.wanted.get(keyOf(item.cid)) === item) this.queue.push(item);
  }

  private nextReady(): Wanted | undefined {
    while (this.queueHead < this.queue.length) {
      const item = this.queue[this.queueHead++];
      if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      if (!item.claimed && this.wanted.get(keyOf(item.cid)) === item) return item;
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
        else if (this.options.httpMode === 'car') await this.httpSubtree(item, provider);
        else await this.httpBlock(item, provider);
        provider.failures = 0;
      } catch (err) {
        if (this.controller.signal.aborted) return;
        if (err instanceof BlockHashMismatchError || err instanceof ProviderMisbehavedError) {
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

  /** Stores one verified block and wants its links; returns false if we already held it. */
  private async accept(cid: CID, bytes: Uint8Array, links: CID[]): Promise<boolean> {
    const key = keyOf(cid);
    if (this.held.has(key)) return false;
    await this.store.put(cid, bytes, { signal: this.controller.signal });
    this.held.add(key);
    this.wanted.delete(key);
    if (cid.equals(this.root)) this.rootHeld = true;
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
    const signal = this.requestSignal;
    let res: IncomingMessage;
    try {
      res = await httpGet(url, RAW_ACCEPT, signal);
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
    await verifyBlock(item.cid, bytes);
    await this.accept(item.cid, bytes, blockLinks(item.cid, bytes));
  }

  /**
   * Streams `item`'s subtree as a CAR. Blocks must arrive parent-first (order=dfs): each is accepted only if
   * it is one we were led to by an earlier block of the same stream. The DAG root alone is asked as a single
   * block, so its children become separate subtrees for parallel streams.
   */
  private async httpSubtree(item: Wanted, provider: ProviderState): Promise<void> {
    const scope = item.cid.equals(this.root) && item.cid.code === 0x70 ? 'block' : 'all';
    const url = new URL(`ipfs/${item.cid.toString()}`, withSlash(provider.url!));
    url.searchParams.set('format', 'car');
    url.searchParams.set('dag-scope', scope);
    const signal = this.requestSignal;
    let res: IncomingMessage;
    try {
      res = await httpGet(url, CAR_ACCEPT, signal);
    } catch (err) {
      provider.coolUntil = Date.now() + RETRY_MIN_MS;
      throw err;
    }
    if (res.statusCode !== 200) {
      res.destroy();
      throw new Error(`gateway answered ${res.statusCode} for ${item.cid}`);
    }
    // Blocks this stream may deliver: the requested one, then children of blocks it delivered.
    const expected = new Map<string, CID>([[keyOf(item.cid), item.cid]]);
    let sinceLastBlock = 0;
    async function* bounded(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of body) {
        sinceLastBlock += chunk.byteLength;
        if (sinceLastBlock > MAX_BLOCK_BYTES + 4096) {
          throw new ProviderMisbehavedError('CAR stream carries a block larger than the limit');
        }
        yield chunk;
      }
    }
    let reader: CarBlockIterator;
    try {
      reader = await CarBlockIterator.fromIterable(bounded(res));
    } catch (err) {
      if (err instanceof ProviderMisbehavedError || signal.aborted) throw err;
      throw new ProviderMisbehavedError(`bad CAR header: ${(err as Error).message}`);
    }
    const pending: Array<Promise<boolean>> = [];
    try {
      for await (const block of reader) {
        sinceLastBlock = 0;
        const key = keyOf(block.cid);
        // Our own CID (the link we followed) decides how the block is hashed and walked, not the CAR's.
        const wantedCid = expected.get(key);
        if (!wantedCid) {
          if (this.held.has(key)) continue; // a duplicate of a block already stored
          throw new ProviderMisbehavedError(`unexpected block ${block.cid} in CAR for ${item.cid}`);
        }
        expected.delete(key);
        if (block.bytes.byteLength > MAX_BLOCK_BYTES) {
          throw new ProviderMisbehavedError(`block ${block.cid} is too large`);
        }
        await verifyBlock(wantedCid, block.bytes);
        const links = blockLinks(wantedCid, block.bytes);
        for (const child of links) {
          const ck = keyOf(child);
          if (!this.held.has(ck)) expected.set(ck, child);
          this.want(child);
          const w = this.wanted.get(ck);
          if (w) w.claimed = true; // this stream will deliver it
        }
        pending.push(this.accept(wantedCid, block.bytes, links));
        if (pending.length >= 16) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending.splice(0));
    } catch (err) {
      await Promise.allSettled(pending);
      throw err instanceof Error && (err.name === 'UnexpectedEOFError' || /unexpected end/i.test(err.message))
        ? new Error(`CAR stream for ${item.cid} ended early`)
        : err;
    } finally {
      res.destroy();
      // Whatever the stream did not deliver goes back to the pool for any provider.
      for (const key of expected.keys()) {
        const w = this.wanted.get(key);
        if (w?.claimed) this.release(w);
      }
    }
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
        this.helia.blockstore.get(item.cid, { providers: [provider.ma!], signal } as never),
      );
      await verifyBlock(item.cid, bytes);
      const key = keyOf(item.cid);
      if (!this.held.has(key)) {
        // Helia's networked blockstore has already stored it.
        this.held.add(key);
        this.wanted.delete(key);
        if (item.cid.equals(this.root)) this.rootHeld = true;
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

const CAR_ACCEPT = 'application/vnd.ipld.car; version=1; order=dfs; dups=n';
const RAW_ACCEPT = 'application/vnd.ipld.raw';

/** A socket silent this long ends the stream (the rest goes back to the pool), deadline or not. */
const HTTP_IDLE_MS = 30_000;
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 16 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 16 });

/**
 * GET with node:http rather than fetch(): a Readable of Buffers costs far less CPU per byte than fetch's web
 * streams, and the CAR stream is the hot path.
 */
function httpGet(url: URL, accept: string, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? httpsGet : httpGetRaw;
    const req = get(url, {
      agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
      headers: { accept },
      signal,
    });
    req.setTimeout(HTTP_IDLE_MS, () =>
      req.destroy(new Error(`no data from ${url.host} for ${HTTP_IDLE_MS} ms`)),
    );
    req.once('response', resolve);
    req.once('error', reject);
  });
}

function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
}
