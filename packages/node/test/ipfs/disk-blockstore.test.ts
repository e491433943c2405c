/**
 * DiskBlockstore keeps blockstore-fs's on-disk layout (blocks written by either are read by the other) and
 * only ever exposes whole blocks.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlockstore } from 'blockstore-fs';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlock } from '../../src/ipfs/blocks.ts';
import { DiskBlockstore } from '../../src/ipfs/disk-blockstore.ts';

async function block(seed: number, size: number): Promise<{ cid: CID; bytes: Uint8Array }> {
  const bytes = new Uint8Array(size).map((_, i) => (i * 31 + seed) & 0xff);
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes };
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('DiskBlockstore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xstorage-disk-blockstore-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads what blockstore-fs wrote and blockstore-fs reads what it wrote', async () => {
    const path = join(dir, 'compat');
    const ours = new DiskBlockstore(path);
    const theirs = new FsBlockstore(path);
    await ours.open();
    await theirs.open();
    const a = await block(1, 262_144);
    const b = await block(2, 1000);
    await theirs.put(a.cid, a.bytes);
    await ours.put(b.cid, b.bytes);
    expect(same(await readBlock(ours.get(a.cid)), a.bytes)).toBe(true);
    expect(same(await readBlock(theirs.get(b.cid)), b.bytes)).toBe(true);
    expect(await ours.has(a.cid)).toBe(true);
    const all: string[] = [];
    const hex = (c: CID) => Buffer.from(c.multihash.bytes).toString('hex');
    for await (const { cid } of ours.getAll()) all.push(hex(cid));
    expect(all.sort()).toEqual([hex(a.cid), hex(b.cid)].sort());
  });

  it('stores a block given as parts (one writev) as their concatenation', async () => {
    const store = new DiskBlockstore(join(dir, 'parts'));
    await store.open();
    const a = await block(9, 70_000);
    await store.putParts(a.cid, [a.bytes.subarray(0, 3), new Uint8Array(0), a.bytes.subarray(3)]);
    expect(same(await readBlock(store.get(a.cid)), a.bytes)).toBe(true);
  });

  it('yields a block as one buffer', async () => {
    const store = new DiskBlockstore(join(dir, 'one'));
    await store.open();
    const a = await block(3, 262_144);
    await store.put(a.cid, a.bytes);
    const chunks: Uint8Array[] = [];
    for await (const c of store.get(a.cid)) chunks.push(c);
    expect(chunks).toHaveLength(1);
    expect(same(chunks[0]!, a.bytes)).toBe(true);
  });

  it('concurrent puts of one block leave one whole file and no temp files', async () => {
    const path = join(dir, 'race');
    const store = new DiskBlockstore(path);
    await store.open();
    const a = await block(4, 100_000);
    await Promise.all(Array.from({ length: 20 }, () => store.put(a.cid, a.bytes)));
    expect(same(await readBlock(store.get(a.cid)), a.bytes)).toBe(true);
    const files = await filesUnder(path);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.data$/);
  });

  it('a missing block is a NotFoundError, an aborted read an AbortError', async () => {
    const store = new DiskBlockstore(join(dir, 'missing'));
    await store.open();
    const a = await block(5, 10);
    await expect(readBlock(store.get(a.cid))).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(await store.has(a.cid)).toBe(false);
    await store.put(a.cid, a.bytes);
    const signal = AbortSignal.abort();
    await expect(readBlock(store.get(a.cid, { signal }))).rejects.toMatchObject({ name: 'AbortError' });
    await expect(store.put(a.cid, a.bytes, { signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('writes into shard directories that are missing or were removed meanwhile', async () => {
    const path = join(dir, 'shards');
    const store = new DiskBlockstore(path);
    await store.open();
    const a = await block(6, 5000);
    await store.put(a.cid, a.bytes);
    await rm(path, { recursive: true, force: true });
    await store.put(a.cid, a.bytes);
    expect(same(await readBlock(store.get(a.cid)), a.bytes)).toBe(true);
    const b = await block(7, 0);
    await store.put(b.cid, b.bytes);
    expect((await readBlock(store.get(b.cid))).byteLength).toBe(0);
  });

  it('a write that cannot happen is a PutFailedError and leaves no temp file', async () => {
    const path = join(dir, 'blocked');
    const store = new DiskBlockstore(path);
    await store.open();
    const a = await block(8, 1000);
    await store.put(a.cid, a.bytes);
    // The block's shard directory becomes a plain file: open(temp) fails with ENOTDIR.
    const shard = (await readdir(path))[0]!;
    await rm(join(path, shard), { recursive: true });
    await writeFile(join(path, shard), 'not a directory');
    await expect(store.put(a.cid, a.bytes)).rejects.toMatchObject({ name: 'PutFailedError' });
    expect(await readdir(path)).toEqual([shard]);
  });
});
