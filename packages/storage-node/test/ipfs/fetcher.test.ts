/**
 * The fetcher against real Helia nodes on loopback: trustless-gateway CAR streams (served by the in-test
 * stand-in until the real gateway lands) and bitswap over libp2p. Every block is verified before storage; a
 * lying provider is dropped and the file still arrives from another; nothing verified is fetched twice.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as dagPb from '@ipld/dag-pb';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlock } from '../../src/ipfs/blocks.ts';
import {
  FetchAbortedError,
  Fetcher,
  type FetchOptions,
  InvalidCidError,
  InvalidProviderError,
  type Provider,
} from '../../src/ipfs/fetcher.ts';
import type { StorageNode } from '../../src/ipfs/storage-node.ts';
import { type CarServer, startCarServer } from './car-server.ts';
import {
  contentSha256,
  deterministicBytes,
  sha256Hex,
  startTempStorageNode,
  startTrustlessGateway,
} from './helpers.ts';

const FILE_BYTES = 6 * 1024 * 1024 + 12345; // 25 leaves under one root
const cleanups: Array<() => Promise<void>> = [];
let source: StorageNode;
let fileCid: CID;
let fileHash: string;
let totalBlocks: number;
let good: CarServer;
/** The real gateway (or the stand-in until it exists): the honest provider. */
let gateway: { url: string; close(): Promise<void> };

const newNode = (name: string): Promise<StorageNode> => startTempStorageNode(name, cleanups);

beforeAll(async () => {
  source = await newNode('source');
  const bytes = deterministicBytes(FILE_BYTES, 7);
  fileHash = sha256Hex(bytes);
  fileCid = (await source.add(bytes)).cid;
  totalBlocks = Math.ceil(FILE_BYTES / 262144) + 1;
  // The stand-in counts the bytes it serves (resume checks); the real gateway is the honest provider elsewhere.
  good = await startCarServer(source.helia.blockstore);
  cleanups.push(() => good.close());
  gateway = await startTrustlessGateway(source.helia);
  cleanups.push(() => gateway.close());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

describe.each(['block', 'car'] as const)('Fetcher over HTTP trustless gateways (httpMode %s)', (httpMode) => {
  const pull = (sink: StorageNode, cid: CID | string, options: FetchOptions) =>
    new Fetcher(sink.helia).fetch(cid, { ...options, httpMode });

  /**
   * Pulls the test file from a hostile HTTP provider (served by `handler`) listed before the honest gateway: the
   * pull must complete from the gateway and report exactly the hostile provider as ignored.
   */
  async function pullPastHostileProvider(
    name: string,
    handler: Parameters<typeof createServer>[1],
  ): Promise<{ sink: StorageNode }> {
    const hostile = createServer(handler);
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => hostile.close(() => r())));
    const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    const sink = await newNode(name);
    const out = await pull(sink, fileCid, {
      providers: [
        { kind: 'http', url },
        { kind: 'http', url: gateway.url },
      ],
    });
    expect(out.status).toBe('complete');
    expect(out.ignoredProviders).toEqual([{ kind: 'http', url }]);
    return { sink };
  }

  it('pulls a whole DAG, verified, and the bytes are identical', async () => {
    const sink = await newNode('sink');
    const progress: number[] = [];
    const out = await pull(sink, fileCid, {
      providers: [{ kind: 'http', url: gateway.url }],
      onProgress: (p) => progress.push(p.blocks),
    });
    expect(out.status).toBe('complete');
    expect(out.blocks).toBe(totalBlocks);
    expect(out.reusedBlocks).toBe(0);
    expect(out.ignoredProviders).toEqual([]);
    expect(progress.at(-1)).toBe(totalBlocks);
    expect(await contentSha256(sink.helia.blockstore, fileCid)).toBe(fileHash);
    // Already complete: a second pull downloads nothing.
    const again = await pull(sink, fileCid.toString(), {
      providers: [{ kind: 'http', url: gateway.url }],
    });
    expect(again).toMatchObject({ status: 'complete', blocks: 0, bytes: 0, reusedBlocks: totalBlocks });
  });

  it('ignores a provider that serves a corrupted root; the file still arrives from another', async () => {
    const liar = await startCarServer(source.helia.blockstore, { corrupt: fileCid.toString() });
    cleanups.push(() => liar.close());
    const sink = await newNode('sink-corrupt');
    const liarProvider: Provider = { kind: 'http', url: liar.url };
    // The liar is listed first, so it is asked first.
    const out = await pull(sink, fileCid, {
      providers: [liarProvider, { kind: 'http', url: gateway.url }],
    });
    expect(out.status).toBe('complete');
    expect(out.ignoredProviders).toEqual([liarProvider]);
    expect(liar.requests.length).toBeGreaterThan(0);
    expect(await contentSha256(sink.helia.blockstore, fileCid)).toBe(fileHash);
  });

  it('a corrupted leaf is never stored; the rest is kept and the leaf comes from another provider', async () => {
    const root = dagPb.decode(await readBlock(source.helia.blockstore.get(fileCid)));
    const leaf = root.Links[3].Hash;
    const liar = await startCarServer(source.helia.blockstore, { corrupt: leaf.toString() });
    cleanups.push(() => liar.close());
    const sink = await newNode('sink-corrupt-leaf');
    const liarProvider: Provider = { kind: 'http', url: liar.url };
    const first = await pull(sink, fileCid, {
      providers: [liarProvider],
      deadline: Date.now() + 5_000,
    });
    // Once its only provider is known to lie, the pull stops early instead of waiting for the deadline.
    expect(first.status).toBe('timed-out');
    expect(first.ignoredProviders).toEqual([liarProvider]);
    expect(first.blocks).toBeGreaterThan(0);
    expect(await sink.helia.blockstore.has(leaf)).toBe(false);
    const second = await pull(sink, fileCid, {
      providers: [liarProvider, { kind: 'http', url: gateway.url }],
    });
    expect(second.status).toBe('complete');
    expect(second.blocks + second.reusedBlocks).toBe(totalBlocks);
    expect(second.reusedBlocks).toBe(first.blocks);
    // The liar may or may not be asked again (tasks spread over providers); it is never trusted.
    expect([[], [liarProvider]]).toContainEqual(second.ignoredProviders);
    expect(await contentSha256(sink.helia.blockstore, fileCid)).toBe(fileHash);
  });

  it('with only lying providers, nothing corrupt is stored and the pull does not complete', async () => {
    const liar = await startCarServer(source.helia.blockstore, { corrupt: fileCid.toString() });
    cleanups.push(() => liar.close());
    const sink = await newNode('sink-liars');
    const out = await pull(sink, fileCid, {
      providers: [{ kind: 'http', url: liar.url }],
      deadline: Date.now() + 5_000,
    });
    expect(out.status).toBe('not-found');
    expect(out.blocks).toBe(0);
    expect(out.ignoredProviders).toHaveLength(1);
    expect(await sink.helia.blockstore.has(fileCid)).toBe(false);
  });

  it('drops a provider that answers with garbage instead of a CAR', async () => {
    const { sink } = await pullPastHostileProvider('sink-garbage', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.ipld.car' });
      res.end(Buffer.from('this is not a CAR file at all, just hostile bytes'.repeat(100)));
    });
    expect(await contentSha256(sink.helia.blockstore, fileCid)).toBe(fileHash);
  });

  it('drops a provider that streams a valid CAR of some other DAG', async () => {
    const other = await source.add(new TextEncoder().encode('hello world\n'));
    const otherBytes = await readBlock(source.helia.blockstore.get(other.cid));
    const { CarWriter } = await import('@ipld/car/writer');
    const { sink } = await pullPastHostileProvider('sink-wrong-dag', async (_req, res) => {
      const { writer, out } = CarWriter.create([other.cid]);
      res.writeHead(200, { 'content-type': 'application/vnd.ipld.car; version=1' });
      void writer.put({ cid: other.cid, bytes: otherBytes }).then(() => writer.close());
      for await (const chunk of out) res.write(chunk);
      res.end();
    });
    expect(await sink.helia.blockstore.has(other.cid)).toBe(false);
  });

  it('pulls CIDv1 DAGs with raw leaves', async () => {
    const bytes = deterministicBytes(2 * 1024 * 1024 + 7, 21);
    const { cid } = await source.add(bytes, { cidVersion: 1 });
    expect(cid.toString()).toMatch(/^bafybei/);
    const sink = await newNode('sink-v1');
    const out = await pull(sink, cid.toString(), {
      providers: [{ kind: 'http', url: gateway.url }],
    });
    expect(out).toMatchObject({ status: 'complete', blocks: 10 });
    expect(await contentSha256(sink.helia.blockstore, cid)).toBe(sha256Hex(bytes));
  });

  it('resumes: blocks verified before an abort are not downloaded again', async () => {
    const slow = await startCarServer(source.helia.blockstore, { delayPerBlockMs: 20 });
    cleanups.push(() => slow.close());
    const sink = await newNode('sink-resume');
    const controller = new AbortController();
    const first = pull(sink, fileCid, {
      providers: [{ kind: 'http', url: slow.url }],
      signal: controller.signal,
      onProgress: (p) => {
        if (p.blocks >= 10) controller.abort();
      },
    });
    await expect(first).rejects.toBeInstanceOf(FetchAbortedError);
    const servedBefore = good.bytesServed;
    const out = await pull(sink, fileCid, {
      providers: [{ kind: 'http', url: good.url }],
    });
    expect(out.status).toBe('complete');
    expect(out.reusedBlocks).toBeGreaterThanOrEqual(10);
    expect(out.blocks + out.reusedBlocks).toBe(totalBlocks);
    // The second pull moved only what was missing.
    expect(good.bytesServed - servedBefore).toBe(out.bytes);
    expect(out.bytes).toBeLessThan(FILE_BYTES);
    expect(await contentSha256(sink.helia.blockstore, fileCid)).toBe(fileHash);
  });

  it('a CID nobody has ends as not-found at its deadline', async () => {
    const nobody = CID.createV0(await sha256.digest(new TextEncoder().encode('nobody has this')));
    const sink = await newNode('sink-missing');
    const started = Date.now();
    const out = await pull(sink, nobody, {
      providers: [
        { kind: 'http', url: gateway.url },
        { kind: 'libp2p', multiaddr: source.multiaddrs[0].toString() },
        { kind: 'http', url: 'http://127.0.0.1:1' }, // nothing listens there
      ],
      deadline: Date.now() + 1_500,
    });
    const elapsed = Date.now() - started;
    expect(out.status).toBe('not-found');
    expect(out.blocks).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(8_000);
  });
});

describe('Fetcher over bitswap (libp2p)', () => {
  it('pulls the DAG block by block from a peer', async () => {
    const sink = await newNode('sink-bitswap');
    const out = await new Fetcher(sink.helia).fetch(fileCid, {
      providers: [{ kind: 'libp2p', multiaddr: source.multiaddrs[0].toString() }],
    });
    expect(out).toMatchObject({ status: 'complete', blocks: totalBlocks, reusedBlocks: 0 });
    expect(await contentSha256(sink.helia.blockstore, fileCid)).toBe(fileHash);
  });
});

describe('bad input gives typed errors', () => {
  it('rejects bad CIDs, providers and aborted signals', async () => {
    const sink = await newNode('sink-bad');
    const f = new Fetcher(sink.helia);
    const providers: Provider[] = [{ kind: 'http', url: good.url }];
    for (const bad of [
      '',
      'Qm',
      'not a cid',
      'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQ',
      'x'.repeat(10_000),
    ]) {
      await expect(f.fetch(bad, { providers }), bad.slice(0, 20)).rejects.toBeInstanceOf(InvalidCidError);
    }
    // A dag-cbor CID is a valid CID but not a UnixFS DAG.
    const cbor = CID.createV1(0x71, await sha256.digest(new Uint8Array([1])));
    await expect(f.fetch(cbor, { providers })).rejects.toBeInstanceOf(InvalidCidError);
    for (const p of [
      { kind: 'http', url: 'not a url' },
      { kind: 'http', url: 'ftp://127.0.0.1/' },
      { kind: 'libp2p', multiaddr: '/ip4/999.1.1.1/tcp/1' },
      { kind: 'carrier-pigeon' },
      null,
    ]) {
      await expect(f.fetch(fileCid, { providers: [p as never] })).rejects.toBeInstanceOf(
        InvalidProviderError,
      );
    }
    const c = new AbortController();
    c.abort();
    await expect(f.fetch(fileCid, { providers, signal: c.signal })).rejects.toBeInstanceOf(FetchAbortedError);
  });
});
