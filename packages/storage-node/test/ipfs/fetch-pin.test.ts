/**
 * A completed pull is pinned from the fetcher's block list, and an add from the importer's (no second walk of
 * the DAG): the datastore must then hold exactly what Helia's own `pins.add` writes, so `isPinned`, `ls`, `rm`
 * and GC cannot tell them apart.
 */
import type { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/ipfs/fetcher.ts';
import { addBytes } from '../../src/ipfs/import-options.ts';
import type { StorageNode } from '../../src/ipfs/storage-node.ts';
import {
  contentSha256,
  deterministicBytes,
  sha256Hex,
  startTempStorageNode,
  startTrustlessGateway,
} from './helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

const newNode = (name: string): Promise<StorageNode> => startTempStorageNode(name, cleanups);

async function pinRecords(node: StorageNode): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const prefix of ['/pin/', '/pinned-block/']) {
    for await (const { key, value } of node.helia.datastore.query({ prefix })) {
      out[key.toString()] = Buffer.from(value).toString('hex');
    }
  }
  return out;
}

let source: StorageNode;
let gatewayUrl: string;
let fileCid: CID;
let fileHash: string;

beforeAll(async () => {
  source = await newNode('pin-source');
  const bytes = deterministicBytes(3 * 1024 * 1024 + 5, 17);
  fileHash = sha256Hex(bytes);
  fileCid = (await source.add(bytes)).cid;
  const gateway = await startTrustlessGateway(source.helia);
  cleanups.push(() => gateway.close());
  gatewayUrl = gateway.url;
});

describe('pinning a pulled DAG from the fetcher’s block list', () => {
  it('writes the same records as Helia’s pins.add, and GC keeps the DAG', async () => {
    const byHelia = await newNode('pin-helia');
    const byList = await newNode('pin-list');
    const providers = [{ kind: 'http' as const, url: gatewayUrl }];
    const a = await new Fetcher(byHelia.helia).fetch(fileCid, { providers });
    const b = await new Fetcher(byList.helia).fetch(fileCid.toString(), { providers });
    expect(a.status).toBe('complete');
    expect(b.status).toBe('complete');
    expect(b.dagBlocks.map(String)).toContain(fileCid.toString());
    expect(b.dagBlocks).toHaveLength(b.blocks);

    await byHelia.pin(fileCid); // Helia walks the DAG itself
    await byList.pin(b.cid, undefined, b.dagBlocks);
    const expected = await pinRecords(byHelia);
    expect(Object.keys(expected).length).toBe(b.blocks + 1);
    expect(await pinRecords(byList)).toEqual(expected);

    expect(await byList.isPinned(fileCid)).toBe(true);
    const listed = [];
    for await (const pin of byList.helia.pins.ls()) listed.push(pin.cid.toString());
    expect(listed).toEqual([fileCid.toV1().toString()]);
    await byList.helia.gc();
    expect(await contentSha256(byList.helia.blockstore, fileCid)).toBe(fileHash);
    // Pinning again is a no-op; Helia can unpin it like its own.
    await byList.pin(b.cid, undefined, b.dagBlocks);
    expect(await pinRecords(byList)).toEqual(expected);
    for await (const _ of byList.helia.pins.rm(fileCid)) {
      // drain
    }
    expect(await byList.isPinned(fileCid)).toBe(false);
  });

  it('a resumed pull lists the blocks it already held, so the pin still covers the whole DAG', async () => {
    const node = await newNode('pin-resume');
    const providers = [{ kind: 'http' as const, url: gatewayUrl }];
    const controller = new AbortController();
    await new Fetcher(node.helia)
      .fetch(fileCid, {
        providers,
        httpMode: 'block',
        concurrency: 1,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.blocks >= 4) controller.abort();
        },
      })
      .catch(() => {});
    const out = await new Fetcher(node.helia).fetch(fileCid, { providers });
    expect(out.status).toBe('complete');
    expect(out.reusedBlocks).toBeGreaterThanOrEqual(4);
    expect(out.dagBlocks).toHaveLength(out.blocks + out.reusedBlocks);
    await node.pin(out.cid, undefined, out.dagBlocks);
    await node.helia.gc();
    expect(await contentSha256(node.helia.blockstore, fileCid)).toBe(fileHash);
  });
});

describe('pinning an added file from the importer’s blocks', () => {
  it('writes the same records as Helia’s pins.add, for a DAG with repeated leaves too, and GC keeps it', async () => {
    // 1 MiB of zeros then 2 MiB + 3 of other bytes: repeated identical leaves must count once.
    const bytes = Buffer.concat([Buffer.alloc(1024 * 1024), deterministicBytes(2 * 1024 * 1024 + 3, 5)]);
    const byHelia = await newNode('add-pin-helia');
    const byImporter = await newNode('add-pin-importer');
    const walked = await addBytes(byHelia.helia.blockstore, bytes);
    await byHelia.pin(walked.cid); // Helia walks the DAG itself
    const added = await byImporter.add(bytes);
    expect(added.cid.toString()).toBe(walked.cid.toString());
    const expected = await pinRecords(byHelia);
    expect(Object.keys(expected).length).toBeGreaterThan(2);
    expect(await pinRecords(byImporter)).toEqual(expected);
    await byImporter.helia.gc();
    expect(await contentSha256(byImporter.helia.blockstore, added.cid)).toBe(sha256Hex(bytes));
  });

  it('an import that fails records no pin', async () => {
    const node = await newNode('add-pin-abort');
    const controller = new AbortController();
    async function* source() {
      yield deterministicBytes(1024 * 1024, 9);
      controller.abort();
      yield deterministicBytes(1024 * 1024, 10);
    }
    await expect(node.add(source(), { signal: controller.signal })).rejects.toThrow();
    expect(await pinRecords(node)).toEqual({});
  });
});
