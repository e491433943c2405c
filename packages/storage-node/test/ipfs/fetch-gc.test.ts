/**
 * A `helia.gc()` during a pull, or between its end and its pin, must not delete the pull's blocks: they are
 * written under Helia's wrappers (no per-block GC lock) and pinned only once the DAG is complete. The pull
 * holds Helia's GC read lock from start to pin, so the GC waits, as `ipfs pin add` makes Kubo's GC wait. And
 * whatever way a pull ends (aborted, timed out, no provider, failed pin), the lock is let go and GC runs.
 *
 * Real Helia nodes on disk; the provider is the in-test trustless gateway stand-in, slowed per block so the
 * GCs really land mid-pull. It reads the source's innermost store: every Helia in one process shares one GC
 * lock (mortice keys it by name, and Helia does not name it), so a provider reading through `helia.blockstore`
 * would queue behind the GC that waits for our pull.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { innermostBlockstore, readBlock } from '../../src/ipfs/blocks.ts';
import { FetchAbortedError, Fetcher, type Provider } from '../../src/ipfs/fetcher.ts';
import type { StorageNode } from '../../src/ipfs/storage-node.ts';
import { type CarServer, startCarServer } from './car-server.ts';
import { contentSha256, deterministicBytes, sha256Hex, startTempStorageNode, tempDir } from './helpers.ts';
import { killStorageNodeProcesses, xstorage } from './storage-node-process.ts';

const FILE_BYTES = 4 * 1024 * 1024 + 777; // 17 leaves of 256 KiB under one root
const DELAY_PER_BLOCK_MS = 40;
const cleanups: Array<() => Promise<void>> = [];
let source: StorageNode;
let fileCid: CID;
let fileHash: string;
let slow: CarServer;
let slowProvider: Provider[];

const newNode = (name: string): Promise<StorageNode> => startTempStorageNode(name, cleanups);

beforeAll(async () => {
  source = await newNode('gc-source');
  const bytes = deterministicBytes(FILE_BYTES, 23);
  fileHash = sha256Hex(bytes);
  fileCid = (await source.add(bytes)).cid;
  slow = await startCarServer(innermostBlockstore(source.helia.blockstore), {
    delayPerBlockMs: DELAY_PER_BLOCK_MS,
  });
  cleanups.push(() => slow.close());
  slowProvider = [{ kind: 'http', url: slow.url }];
});

afterAll(async () => {
  killStorageNodeProcesses();
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** A `helia.gc()` started now, with whether it has finished yet. */
function startGc(node: StorageNode): { promise: Promise<void>; done: boolean } {
  const gc = { promise: Promise.resolve(), done: false };
  gc.promise = node.helia.gc().then(() => {
    gc.done = true;
  });
  return gc;
}

/** Fails (instead of hanging the file) if `promise` does not settle in `ms`: a lock nobody let go. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stores `n` small raw blocks nothing pins (through Helia, as any other write would). */
async function putUnpinnedBlocks(node: StorageNode, n: number, seed: number): Promise<CID[]> {
  const cids: CID[] = [];
  for (let i = 0; i < n; i++) {
    const bytes = deterministicBytes(1000 + i, seed + i);
    const cid = CID.createV1(raw.code, await sha256.digest(bytes));
    await node.helia.blockstore.put(cid, bytes);
    cids.push(cid);
  }
  return cids;
}

/**
 * Whether the disk holds `cid`, read below Helia's GC lock: `helia.blockstore.has` would queue behind a GC
 * that waits for the pull we call this from.
 */
async function holds(node: StorageNode, cid: CID): Promise<boolean> {
  return innermostBlockstore(node.helia.blockstore).has(cid);
}

/** Every block of the pinned DAG readable offline, and the file's bytes as added. */
async function expectCompleteDag(node: StorageNode, dagBlocks: CID[]): Promise<void> {
  expect(dagBlocks).toHaveLength(Math.ceil(FILE_BYTES / 262144) + 1);
  for (const cid of dagBlocks) {
    const bytes = await readBlock(node.helia.blockstore.get(cid, { offline: true }));
    expect((await sha256.digest(bytes)).bytes).toEqual(cid.multihash.bytes);
  }
  expect(await contentSha256(node.helia.blockstore, fileCid)).toBe(fileHash);
}

describe('GC while a pull is in progress', () => {
  it('a GC during the pull and one between its end and the pin both wait; the pinned DAG is whole, unpinned junk is collected', async () => {
    const sink = await newNode('gc-sink');
    const junk = await putUnpinnedBlocks(sink, 3, 100);
    let duringPull: ReturnType<typeof startGc> | undefined;
    let beforePin: ReturnType<typeof startGc> | undefined;
    let stateAtPin: unknown;
    const out = await sink.fetchAndPin(fileCid, {
      providers: slowProvider,
      onProgress: (p) => {
        if (duringPull === undefined && p.blocks >= 3) duringPull = startGc(sink);
      },
      onComplete: async () => {
        beforePin = startGc(sink);
        // Time for both GCs to run, if anything let them: they would delete the unpinned DAG now.
        await new Promise((r) => setTimeout(r, 300));
        stateAtPin = {
          duringPullDone: duringPull?.done,
          beforePinDone: beforePin.done,
          rootHeld: await holds(sink, fileCid),
        };
      },
    });
    expect(out.status).toBe('complete');
    expect(out.blocks).toBe(out.dagBlocks.length);
    expect(stateAtPin).toEqual({ duringPullDone: false, beforePinDone: false, rootHeld: true });
    expect(await sink.isPinned(fileCid)).toBe(true);
    await within(Promise.all([duringPull!.promise, beforePin!.promise]), 10_000, 'the waiting GCs');
    await expectCompleteDag(sink, out.dagBlocks);
    for (const cid of junk) expect(await holds(sink, cid), `unpinned ${cid}`).toBe(false);
    // Another GC, now that nothing holds the lock: still complete.
    await within(sink.helia.gc(), 10_000, 'a later GC');
    await expectCompleteDag(sink, out.dagBlocks);
  });

  it('a resumed pull is protected too: GC cannot remove what the resume walk counted as held', async () => {
    const sink = await newNode('gc-resume');
    const controller = new AbortController();
    await expect(
      sink.fetchAndPin(fileCid, {
        providers: slowProvider,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.blocks >= 5) controller.abort();
        },
      }),
    ).rejects.toBeInstanceOf(FetchAbortedError);
    // A GC asked for as soon as the resumed pull has walked what it holds, another mid-pull.
    let gcs: Array<ReturnType<typeof startGc>> = [];
    const pull = sink.fetchAndPin(fileCid, {
      providers: slowProvider,
      onProgress: (p) => {
        if (gcs.length === 0 || (gcs.length === 1 && p.blocks >= 2)) gcs.push(startGc(sink));
      },
    });
    const out = await pull;
    expect(out.status).toBe('complete');
    expect(out.reusedBlocks).toBeGreaterThanOrEqual(5);
    expect(out.reusedBlocks + out.blocks).toBe(out.dagBlocks.length);
    await within(Promise.all(gcs.map((g) => g.promise)), 10_000, 'the waiting GCs');
    gcs = [];
    await expectCompleteDag(sink, out.dagBlocks);
  });

  it('bitswap pulls take no second lock: a GC waiting on the pull does not stall it', async () => {
    // The source is its own process: in this one, its bitswap server (Helia's, reading through
    // `helia.blockstore`) would share our GC lock and queue behind the GC, which no separate host does.
    const dir = await tempDir('gc-bitswap-source');
    cleanups.push(() => dir.remove());
    const file = join(dir.path, 'file.bin');
    await writeFile(file, deterministicBytes(FILE_BYTES, 23));
    const remote = xstorage(['--base-path', join(dir.path, 'node'), '--json', '--add', file]);
    const { multiaddrs } = await remote.next('started');
    const { cid } = await remote.next('added');
    expect(cid).toBe(fileCid.toString());

    const sink = await newNode('gc-bitswap');
    let gc: ReturnType<typeof startGc> | undefined;
    const out = await within(
      sink.fetchAndPin(fileCid, {
        providers: [{ kind: 'libp2p', multiaddr: multiaddrs[0] }],
        concurrency: 1,
        onProgress: (p) => {
          if (gc === undefined && p.blocks >= 1) gc = startGc(sink);
        },
      }),
      30_000,
      'a bitswap pull with a GC waiting',
    );
    expect(out.status).toBe('complete');
    expect(gc).toBeDefined();
    await within(gc!.promise, 10_000, 'the waiting GC');
    await expectCompleteDag(sink, out.dagBlocks);
  });

  it('a plain fetch holds the lock for the pull only: GC waits for it, then collects the unpinned DAG', async () => {
    const sink = await newNode('gc-plain');
    let gc: ReturnType<typeof startGc> | undefined;
    let doneAtLastBlock: boolean | undefined;
    const out = await new Fetcher(sink.helia).fetch(fileCid, {
      providers: slowProvider,
      onProgress: (p) => {
        if (gc === undefined && p.blocks >= 2) gc = startGc(sink);
        if (p.wanted === 0) doneAtLastBlock = gc?.done;
      },
    });
    expect(out.status).toBe('complete');
    expect(doneAtLastBlock).toBe(false);
    await within(gc!.promise, 10_000, 'the waiting GC');
    // Not pinned, so collected (`Fetcher.fetch` alone is `ipfs refs -r`, not `ipfs pin add`).
    expect(await holds(sink, fileCid)).toBe(false);
  });
});

describe('every way a pull ends lets go of the GC lock', () => {
  it('aborted mid-pull: the GC that waited runs and collects the partial, unpinned blocks', async () => {
    const sink = await newNode('gc-abort');
    const controller = new AbortController();
    let gc: ReturnType<typeof startGc> | undefined;
    const pull = sink.fetchAndPin(fileCid, {
      providers: slowProvider,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.blocks >= 3 && gc === undefined) {
          gc = startGc(sink);
          setTimeout(() => controller.abort(), 100);
        }
      },
    });
    await expect(pull).rejects.toBeInstanceOf(FetchAbortedError);
    await within(gc!.promise, 10_000, 'the GC after an aborted pull');
    expect(await sink.isPinned(fileCid)).toBe(false);
    expect(await holds(sink, fileCid)).toBe(false);
  });

  it('timed out, and with no reachable provider: not pinned, and GC runs', async () => {
    const sink = await newNode('gc-timeout');
    const timedOut = await sink.fetchAndPin(fileCid, {
      providers: slowProvider,
      deadline: Date.now() + 5 * DELAY_PER_BLOCK_MS,
    });
    expect(timedOut.status).toBe('timed-out');
    await within(sink.helia.gc(), 10_000, 'GC after a timed-out pull');
    const nowhere = await sink.fetchAndPin(fileCid, {
      providers: [{ kind: 'http', url: 'http://127.0.0.1:1' }],
      deadline: Date.now() + 300,
    });
    expect(nowhere.status).toBe('not-found');
    await within(sink.helia.gc(), 10_000, 'GC after a pull with no provider');
    expect(await sink.isPinned(fileCid)).toBe(false);
  });

  it('a pin that fails fails the pull and lets go of the lock', async () => {
    const sink = await newNode('gc-pin-fails');
    const pull = sink.fetchAndPin(fileCid, {
      providers: slowProvider,
      onComplete: () => {
        throw new Error('disk full');
      },
    });
    await expect(pull).rejects.toThrow('disk full');
    expect(await sink.isPinned(fileCid)).toBe(false);
    await within(sink.helia.gc(), 10_000, 'GC after a failed pin');
    expect(await holds(sink, fileCid)).toBe(false);
  });

  it('a pull waits for a GC already running, can be aborted while it waits, and leaves no lock behind', async () => {
    const sink = await newNode('gc-running');
    const lock = (sink.helia.blockstore as unknown as { lock: { writeLock(): Promise<() => void> } }).lock;
    // A GC in progress, as far as the lock can tell.
    let releaseGc = await lock.writeLock();
    const controller = new AbortController();
    let settled = false;
    const waiting = sink
      .fetchAndPin(fileCid, { providers: slowProvider, signal: controller.signal })
      .finally(() => {
        settled = true;
      });
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    controller.abort();
    await expect(within(waiting, 2_000, 'an aborted wait')).rejects.toBeInstanceOf(FetchAbortedError);
    releaseGc();
    // The aborted waiter took nothing: the lock is free for a writer.
    (await within(lock.writeLock(), 2_000, 'the write lock after an aborted wait'))();

    // Not aborted: the pull starts once the GC ends, and completes.
    releaseGc = await lock.writeLock();
    const requestsBefore = slow.requests.length;
    const pull = sink.fetchAndPin(fileCid, { providers: slowProvider });
    await new Promise((r) => setTimeout(r, 200));
    expect(slow.requests.length).toBe(requestsBefore);
    releaseGc();
    const out = await within(pull, 20_000, 'a pull after a GC');
    expect(out.status).toBe('complete');
    await within(sink.helia.gc(), 10_000, 'GC after the pull');
    await expectCompleteDag(sink, out.dagBlocks);
  });
});
