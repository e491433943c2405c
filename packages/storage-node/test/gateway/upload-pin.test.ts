/**
 * `POST /api/v0/add` with `pin=true` records its pins from the blocks the upload stored, not by Helia
 * walking the DAG again. The records must be exactly what Helia's own `pins.add` writes: each case is also
 * imported into a second node by the reference importer (ipfs-unixfs-importer with Kubo's options, not the
 * gateway's fast importer) and pinned there with `helia.pins.add` (with the same `cid` metadata the gateway
 * has always set), and both datastores' pin records must be equal byte for byte.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import * as dagPb from '@ipld/dag-pb';
import { importer } from 'ipfs-unixfs-importer';
import { CID } from 'multiformats/cid';
import { afterAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway/index.ts';
import { innermostBlockstore, readBlock } from '../../src/ipfs/blocks.ts';
import { kuboImporterOptions } from '../../src/ipfs/import-options.ts';
import { StorageNode } from '../../src/ipfs/storage-node.ts';
import { tempDir } from '../ipfs/helpers.ts';
import { add, blockCount, ndjson, pseudoRandom, startHelia, type TestHelia } from './helpers.ts';

const KiB = 1024;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function newHelia(): Promise<TestHelia> {
  const helia = await startHelia();
  cleanups.push(async () => {
    await helia.stop();
  });
  return helia;
}

async function newGateway(helia: unknown, options: { maxUploadBytes?: number } = {}) {
  const gateway = new Gateway({ helia: helia as never, auth: { required: false }, ...options });
  const { url } = await gateway.start();
  cleanups.push(() => gateway.stop());
  return { gateway, url };
}

type Files = Array<{ path: string; content?: Uint8Array; dir?: boolean }>;

/** 3 MiB + a tail in which every 512 KiB repeats: with 256 KiB chunks the same two leaves come back. */
function repetitive(): Uint8Array {
  const unit = pseudoRandom(512 * KiB, 21);
  const out = new Uint8Array(6 * unit.length + 1000);
  for (let i = 0; i < 6; i++) out.set(unit, i * unit.length);
  out.set(pseudoRandom(1000, 22), 6 * unit.length);
  return out;
}

/** Every pin record Helia keeps (`/pin/…` and `/pinned-block/…`), key → hex value, sorted by key. */
async function pinRecords(helia: TestHelia): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for await (const { key, value } of helia.datastore.query({ prefix: '/pin' }))
    out.push([key.toString(), Buffer.from(value).toString('hex')]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

async function pinList(helia: TestHelia) {
  const out: Array<{ cid: string; depth: number; metadata: unknown }> = [];
  for await (const pin of helia.pins.ls())
    out.push({ cid: pin.cid.toString(), depth: pin.depth, metadata: pin.metadata });
  return out.sort((a, b) => (a.cid < b.cid ? -1 : 1));
}

type ImportOpts = { wrapWithDirectory?: boolean; cidVersion?: 0 | 1; rawLeaves?: boolean; chunker?: string };

/** The reference: ipfs-unixfs-importer with Kubo's options, then `pins.add` of each root in `roots` order. */
async function referencePins(files: Files, roots: string[], opts: ImportOpts = {}): Promise<TestHelia> {
  const reference = await newHelia();
  for await (const _ of importer(
    files.map((f) => (f.dir ? { path: f.path } : { path: f.path, content: f.content ?? new Uint8Array() })),
    reference.blockstore as never,
    {
      ...kuboImporterOptions({
        cidVersion: opts.cidVersion,
        rawLeaves: opts.rawLeaves,
        chunker: opts.chunker,
      }),
      wrapWithDirectory: opts.wrapWithDirectory ?? false,
    },
  )) {
    // stored
  }
  for (const root of roots) {
    const cid = CID.parse(root);
    for await (const _ of reference.pins.add(cid as never, { metadata: { cid: root } })) {
      // walks the DAG
    }
  }
  return reference;
}

/** Counts reads of the store under Helia's wrappers: a pin walk reads every block, a recorded pin none. */
function countReads(helia: TestHelia): { readonly count: number } {
  const inner = (innermostBlockstore(helia.blockstore) as { child?: unknown }).child as {
    get: (...args: unknown[]) => unknown;
  };
  const original = inner.get.bind(inner);
  const counter = { count: 0 };
  inner.get = (...args) => {
    counter.count++;
    return original(...args);
  };
  return counter;
}

/** Every block under `root`, each once, read back from `helia`. */
async function dagBlocks(helia: TestHelia, root: CID): Promise<CID[]> {
  const out: CID[] = [];
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const cid = stack.pop()!;
    if (seen.has(cid.toString())) continue;
    seen.add(cid.toString());
    out.push(cid);
    if (cid.code !== dagPb.code) continue;
    const bytes = await readBlock(helia.blockstore.get(cid as never, { offline: true } as never));
    for (const link of dagPb.decode(bytes).Links) stack.push(link.Hash);
  }
  return out;
}

/** Uploads through the gateway and returns the NDJSON lines. */
async function upload(url: string, files: Files, query: string) {
  const res = await add(url, undefined, files, query);
  expect(res.status).toBe(200);
  return ndjson(res);
}

const CASES: Array<{
  name: string;
  files: Files;
  query: string;
  opts: ImportOpts;
  /** Top-level roots the gateway pins, from its NDJSON lines. */
  roots: (lines: Array<{ Name: string; Hash: string }>) => string[];
  /** Block records expected: a lower bound that shows the repeat and multi-level cases really happen. */
  minBlocks: number;
}> = [
  {
    name: 'a multi-chunk file whose leaves repeat (Kubo defaults, CIDv0)',
    files: [{ path: 'rep.bin', content: repetitive() }],
    query: '',
    opts: {},
    roots: (l) => [l[0]!.Hash],
    // 13 leaves, 3 distinct, plus the root.
    minBlocks: 4,
  },
  {
    name: 'two tree levels (192 leaves of 16 KiB, 174 per node), cid-version=1 with raw leaves',
    files: [{ path: 'deep.bin', content: pseudoRandom(192 * 16 * KiB + 5, 23) }],
    query: '?cid-version=1&chunker=size-16384',
    opts: { cidVersion: 1, chunker: 'size-16384' },
    roots: (l) => [l[0]!.Hash],
    minBlocks: 193 + 2 + 1,
  },
  {
    name: 'wrap-with-directory over files and a directory sharing content',
    files: [
      { path: 'a.bin', content: repetitive() },
      { path: 'd', dir: true },
      { path: 'd/copy.bin', content: repetitive() },
      { path: 'd/small.txt', content: new TextEncoder().encode('small\n') },
    ],
    query: '?wrap-with-directory=true',
    opts: { wrapWithDirectory: true },
    roots: (l) => [l[l.length - 1]!.Hash],
    minBlocks: 4 + 1 + 1 + 1,
  },
  {
    name: 'several top-level roots sharing leaves: each pinned with its own block list',
    files: [
      { path: 'a.bin', content: repetitive() },
      { path: 'd', dir: true },
      { path: 'd/copy.bin', content: repetitive() },
      { path: 'd/other.bin', content: pseudoRandom(300 * KiB, 24) },
      { path: 'b.txt', content: new TextEncoder().encode('b\n') },
    ],
    query: '',
    opts: {},
    roots: (l) => l.filter((x) => !x.Name.includes('/')).map((x) => x.Hash),
    minBlocks: 4 + 1 + 3 + 1,
  },
  {
    name: 'cid-version=1 without raw leaves: a dag-pb CIDv1 root keeps its spelling in pin/ls',
    files: [{ path: 'v1.bin', content: repetitive() }],
    query: '?cid-version=1&raw-leaves=false',
    opts: { cidVersion: 1, rawLeaves: false },
    roots: (l) => [l[0]!.Hash],
    minBlocks: 4,
  },
];

describe('add with pin=true records Helia’s pin records from the upload’s blocks', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const helia = await newHelia();
      const { url } = await newGateway(helia);
      const reads = countReads(helia);
      const lines = await upload(url, c.files, c.query);
      // No block was read back: the pin came from the upload, not from a walk.
      expect(reads.count).toBe(0);
      const roots = c.roots(lines);
      expect(roots.length).toBeGreaterThan(0);

      const reference = await referencePins(c.files, roots, c.opts);
      const records = await pinRecords(helia);
      expect(records.filter(([k]) => k.startsWith('/pinned-block/')).length).toBeGreaterThanOrEqual(
        c.minBlocks,
      );
      expect(records).toEqual(await pinRecords(reference));
      expect(await pinList(helia)).toEqual(await pinList(reference));
      for (const root of roots) {
        for (const cid of await dagBlocks(helia, CID.parse(root)))
          expect(await helia.pins.isPinned(cid as never)).toBe(true);
      }
      // pin/ls lists each root as the upload reported it.
      const res = await fetch(`${url}/api/v0/pin/ls?type=recursive`, { method: 'POST' });
      const { Keys } = (await res.json()) as { Keys: Record<string, unknown> };
      expect(Object.keys(Keys).sort()).toEqual([...new Set(roots)].sort());
    });
  }

  it('pin=false and only-hash write no pin record at all', async () => {
    const helia = await newHelia();
    const { url } = await newGateway(helia);
    const files = [{ path: 'rep.bin', content: repetitive() }];
    const lines = await upload(url, files, '?pin=false');
    await upload(url, [{ path: 'x', content: pseudoRandom(600 * KiB, 25) }], '?only-hash=true');
    expect(await pinRecords(helia)).toEqual([]);
    expect(await helia.pins.isPinned(CID.parse(lines[0].Hash) as never)).toBe(false);
    // Pinning it afterwards (pin/add, Helia's walk) gives the same records as an upload with pin=true.
    await (await fetch(`${url}/api/v0/pin/add?arg=${lines[0].Hash}`, { method: 'POST' })).arrayBuffer();
    const other = await newHelia();
    const { url: otherUrl } = await newGateway(other);
    await upload(otherUrl, files, '');
    expect(await pinRecords(helia)).toEqual(await pinRecords(other));
  });

  it('adding content that is already pinned keeps one pin and the same records', async () => {
    const helia = await newHelia();
    const { url } = await newGateway(helia);
    const files = [{ path: 'rep.bin', content: repetitive() }];
    const lines = await upload(url, files, '');
    const first = await pinRecords(helia);
    expect((await upload(url, files, ''))[0].Hash).toBe(lines[0].Hash);
    expect(await pinRecords(helia)).toEqual(first);
  });

  it('GC keeps every pinned block and removes the rest', async () => {
    const helia = await newHelia();
    const { url } = await newGateway(helia);
    const pinned = await upload(
      url,
      [{ path: 'rep.bin', content: repetitive() }],
      '?wrap-with-directory=true',
    );
    const loose = await upload(
      url,
      [{ path: 'loose.bin', content: pseudoRandom(700 * KiB, 26) }],
      '?pin=false',
    );
    const root = CID.parse(pinned[pinned.length - 1].Hash);
    const kept = await dagBlocks(helia, root);
    const looseBlocks = await dagBlocks(helia, CID.parse(loose[0].Hash));
    await helia.gc();
    for (const cid of kept) expect(await helia.blockstore.has(cid as never)).toBe(true);
    for (const cid of looseBlocks) expect(await helia.blockstore.has(cid as never)).toBe(false);
    expect(await blockCount(helia)).toBe(kept.length);
    const res = await fetch(`${url}/ipfs/${root}/rep.bin`);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(repetitive()))).toBe(true);
  });
});

describe('a failed upload rolls back and records no pin', () => {
  it('too large (counted while streaming): 413, no block, no record', async () => {
    const helia = await newHelia();
    const { url } = await newGateway(helia, { maxUploadBytes: 2 * 1024 * KiB });
    const { status } = await streamUpload(url, 6 * 1024 * KiB);
    expect(status).toBe(413);
    expect(await blockCount(helia)).toBe(0);
    expect(await pinRecords(helia)).toEqual([]);
  });

  it('aborted by the client mid-upload: no block, no record', async () => {
    const helia = await newHelia();
    const { gateway, url } = await newGateway(helia);
    await streamUpload(url, 8 * 1024 * KiB, 2 * 1024 * KiB);
    for (let i = 0; i < 200 && gateway.uploadStats.uploadsFailed === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(gateway.uploadStats.uploadsFailed).toBe(1);
    expect(await blockCount(helia)).toBe(0);
    expect(await pinRecords(helia)).toEqual([]);
  });

  it('the pin batch fails: 500, the upload’s blocks are removed, no record', async () => {
    const helia = await newHelia();
    const { url } = await newGateway(helia);
    const datastore = helia.datastore as unknown as { batch: () => { commit: () => Promise<void> } };
    const batch = datastore.batch.bind(datastore);
    datastore.batch = () => {
      const b = batch();
      b.commit = async () => {
        throw new Error('disk full');
      };
      return b;
    };
    const res = await add(url, undefined, [{ path: 'rep.bin', content: repetitive() }], '');
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ Message: expect.stringMatching(/disk full/) });
    expect(await blockCount(helia)).toBe(0);
    expect(await pinRecords(helia)).toEqual([]);
  });
});

describe('on the storage node’s disk store', () => {
  it('leaves go to disk as parts, every new block is announced, and the pin matches pins.add', async () => {
    const dir = await tempDir('gw-upload-pin');
    const node = new StorageNode({ basePath: join(dir.path, 'node') });
    await node.start();
    cleanups.push(async () => {
      await node.stop();
      await dir.remove();
    });
    const helia = node.helia as unknown as TestHelia;
    const bottom = (innermostBlockstore(helia.blockstore) as { child?: unknown }).child as {
      putParts: (...args: unknown[]) => Promise<unknown>;
    };
    expect(typeof bottom.putParts).toBe('function');
    const original = bottom.putParts.bind(bottom);
    let partWrites = 0;
    bottom.putParts = (...args) => {
      if ((args[1] as unknown[]).length > 1) partWrites++;
      return original(...args);
    };
    const announced = new Set<string>();
    for (const broker of (node.helia as unknown as { blockBrokers: Array<{ announce?: Function }> })
      .blockBrokers) {
      const announce = broker.announce?.bind(broker);
      if (announce === undefined) continue;
      broker.announce = (cid: CID, options: unknown) => {
        announced.add(cid.toString());
        return announce(cid, options);
      };
    }
    expect(announced.size).toBe(0);
    const { url } = await newGateway(node.helia);
    const content = repetitive();
    const files = [{ path: 'rep.bin', content }];
    // 16 KiB chunks: the socket's pieces hold whole chunks, which the importer hands over as parts.
    const lines = await upload(url, files, '?chunker=size-16384');
    const root = CID.parse(lines[0].Hash);
    expect(partWrites).toBeGreaterThan(0);
    const blocks = await dagBlocks(helia, root);
    expect([...announced].sort()).toEqual(blocks.map(String).sort());
    // 193 leaves (33 distinct) under 2 nodes and the root.
    expect(blocks).toHaveLength(36);
    const reference = await referencePins(files, [lines[0].Hash], { chunker: 'size-16384' });
    expect(await pinRecords(helia)).toEqual(await pinRecords(reference));
    const res = await fetch(`${url}/ipfs/${root}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(content))).toBe(true);
  });
});

/** A chunked upload of `total` bytes of file content through node:http, optionally cut after `abortAfter`. */
function streamUpload(url: string, total: number, abortAfter?: number): Promise<{ status: number }> {
  const boundary = 'upload-pin-boundary';
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v0/add`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('error', (err) => (abortAfter !== undefined ? resolve({ status: 0 }) : reject(err)));
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`);
    const chunk = pseudoRandom(64 * KiB, 27);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        if (abortAfter !== undefined && sent >= abortAfter) {
          req.destroy();
          return;
        }
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}
