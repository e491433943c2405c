/**
 * PackBlockstore: blocks appended to segment files. What a storage node relies on: a stored block reads back
 * byte-exact, across restarts and crashes; a deleted block stays deleted, also after compaction and restart;
 * a damaged tail is cut, never served; a second opener is refused.
 */
import { spawn } from 'node:child_process';
import { appendFile, readdir, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlock } from '../../src/ipfs/blocks.ts';
import {
  PackBlockstore,
  PackStoreClosedError,
  PackStoreLockedError,
} from '../../src/ipfs/pack/pack-blockstore.ts';
import { deterministicBytes, tempDir } from './helpers.ts';

async function block(seed: number, size: number): Promise<{ cid: CID; bytes: Uint8Array }> {
  const bytes = deterministicBytes(size, seed % 256).map((b, i) => (i === 0 ? (seed >> 8) & 0xff : b));
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes };
}

const hex = (c: { multihash: { bytes: Uint8Array } }) => Buffer.from(c.multihash.bytes).toString('hex');

async function heldKeys(store: PackBlockstore): Promise<string[]> {
  const out: string[] = [];
  for await (const { cid } of store.getAll()) out.push(hex(cid));
  return out.sort();
}

async function opened(path: string, options?: ConstructorParameters<typeof PackBlockstore>[1]) {
  const store = new PackBlockstore(path, options);
  await store.open();
  return store;
}

const segmentFiles = async (path: string) => (await readdir(path)).filter((n) => n.endsWith('.blk')).sort();

describe('PackBlockstore', () => {
  let dir: { path: string; remove(): Promise<void> };
  let n = 0;
  const fresh = () => join(dir.path, `store-${++n}`);
  beforeAll(async () => {
    dir = await tempDir('pack-blockstore');
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('stores, reads, lists and deletes blocks; parts are stored as their concatenation', async () => {
    const store = await opened(fresh());
    const a = await block(1, 262_144);
    const b = await block(2, 1000);
    await store.put(a.cid, a.bytes);
    await store.putParts(b.cid, [b.bytes.subarray(0, 10), b.bytes.subarray(10, 999), b.bytes.subarray(999)]);
    expect(Buffer.from(await readBlock(store.get(a.cid))).equals(a.bytes)).toBe(true);
    expect(Buffer.from(await readBlock(store.get(b.cid))).equals(b.bytes)).toBe(true);
    expect(store.has(a.cid)).toBe(true);
    expect(await heldKeys(store)).toEqual([hex(a.cid), hex(b.cid)].sort());
    await store.delete(a.cid);
    expect(store.has(a.cid)).toBe(false);
    await expect(readBlock(store.get(a.cid))).rejects.toMatchObject({ name: 'NotFoundError' });
    await store.delete(a.cid); // deleting what is not there is not an error
    // The same block under another CID version is the same multihash: one block.
    expect(store.has(CID.createV0(b.cid.multihash as never))).toBe(true);
    await store.close();
  });

  it('keeps blocks and deletions across a clean restart, reading indexes rather than blocks', async () => {
    const path = fresh();
    const store = await opened(path, { segmentBytes: 300_000 });
    const blocks = await Promise.all([1, 2, 3, 4, 5, 6].map((s) => block(s, 100_000)));
    for (const b of blocks) await store.put(b.cid, b.bytes);
    await store.delete(blocks[1]!.cid);
    await store.close();
    const files = await readdir(path);
    // Every segment has its index once closed cleanly.
    for (const seg of files.filter((f) => f.endsWith('.blk')))
      expect(files).toContain(seg.replace('.blk', '.idx'));
    const again = await opened(path, { segmentBytes: 300_000 });
    expect(await heldKeys(again)).toEqual(
      blocks
        .filter((_, i) => i !== 1)
        .map((b) => hex(b.cid))
        .sort(),
    );
    for (const b of blocks.filter((_, i) => i !== 1))
      expect(Buffer.from(await readBlock(again.get(b.cid))).equals(b.bytes)).toBe(true);
    await again.close();
  });

  it('keeps its own copy of a key: a CID that is a view into a reused buffer (as the fetcher passes)', async () => {
    const path = fresh();
    const store = await opened(path);
    const a = await block(16, 30_000);
    const scratch = Buffer.from(a.cid.bytes);
    const view = CID.decode(scratch);
    await store.put(view, a.bytes);
    scratch.fill(0xee); // the buffer goes back to a pool and is overwritten
    await store.close();
    const again = await opened(path);
    expect(await heldKeys(again)).toEqual([hex(a.cid)]);
    await again.close();
  });

  it('concurrent puts of one block write it once', async () => {
    const store = await opened(fresh());
    const a = await block(7, 50_000);
    await Promise.all(Array.from({ length: 8 }, () => store.put(a.cid, a.bytes)));
    expect(store.stats().totalBytes).toBeLessThan(51_000);
    await store.close();
  });

  it('a torn tail (half a record, garbage) is cut on open and appending goes on after it', async () => {
    const path = fresh();
    const store = await opened(path);
    const a = await block(8, 70_000);
    const b = await block(9, 70_000);
    await store.put(a.cid, a.bytes);
    await store.put(b.cid, b.bytes);
    await store.close();
    const [segment] = await segmentFiles(path);
    const file = join(path, segment!);
    const full = (await stat(file)).size;
    // As after a crash in the middle of b's write: no index, b cut short, some garbage.
    await unlink(join(path, segment!.replace('.blk', '.idx')));
    await truncate(file, full - 1000);
    await appendFile(file, deterministicBytes(500, 3));
    const again = await opened(path);
    expect(await heldKeys(again)).toEqual([hex(a.cid)]);
    const c = await block(10, 70_000);
    await again.put(c.cid, c.bytes);
    await again.close();
    const third = await opened(path);
    expect(await heldKeys(third)).toEqual([hex(a.cid), hex(c.cid)].sort());
    expect(Buffer.from(await readBlock(third.get(c.cid))).equals(c.bytes)).toBe(true);
    await third.close();
  });

  it('a segment scanned after a crash is read right across the scanner’s buffer refills (> 8 MiB)', async () => {
    const path = fresh();
    const store = await opened(path);
    const blocks = await Promise.all(Array.from({ length: 40 }, (_, i) => block(500 + i, 262_158)));
    for (const b of blocks) await store.put(b.cid, b.bytes);
    await store.close();
    const [segment] = await segmentFiles(path);
    await unlink(join(path, segment!.replace('.blk', '.idx')));
    const again = await opened(path);
    expect(await heldKeys(again)).toEqual(blocks.map((b) => hex(b.cid)).sort());
    await again.close();
  });

  it('a block whose bytes were damaged on disk is not served after a crash: the scan stops there', async () => {
    const path = fresh();
    const store = await opened(path);
    const blocks = await Promise.all([11, 12, 13].map((s) => block(s, 40_000)));
    for (const b of blocks) await store.put(b.cid, b.bytes);
    await store.close();
    const [segment] = await segmentFiles(path);
    await unlink(join(path, segment!.replace('.blk', '.idx')));
    const file = join(path, segment!);
    const bytes = await readFile(file);
    const at = bytes.indexOf(Buffer.from(blocks[1]!.bytes.subarray(100, 140)));
    expect(at).toBeGreaterThan(0);
    bytes[at] = bytes[at]! ^ 0xff;
    await writeFile(file, bytes);
    const again = await opened(path);
    expect(await heldKeys(again)).toEqual([hex(blocks[0]!.cid)]);
    await again.close();
  });

  it('damage inside an older segment hides what follows it there, keeps the file, and spares later segments', async () => {
    const path = fresh();
    const options = { segmentBytes: 100_000 };
    const store = await opened(path, options);
    const blocks = await Promise.all(Array.from({ length: 6 }, (_, i) => block(600 + i, 40_000)));
    for (const b of blocks) await store.put(b.cid, b.bytes);
    await store.close();
    const [first] = await segmentFiles(path);
    const file = join(path, first!);
    await unlink(join(path, first!.replace('.blk', '.idx')));
    const bytes = await readFile(file);
    const at = bytes.indexOf(Buffer.from(blocks[1]!.bytes.subarray(100, 140)));
    bytes[at] = bytes[at]! ^ 0xff;
    await writeFile(file, bytes);
    const again = await opened(path, options);
    expect(await heldKeys(again)).toEqual(
      blocks
        .filter((_, i) => i !== 1)
        .map((b) => hex(b.cid))
        .sort(),
    );
    expect((await stat(file)).size).toBe(bytes.length);
    await again.close();
  });

  it('a damaged index file is ignored and the segment scanned instead', async () => {
    const path = fresh();
    const store = await opened(path);
    const a = await block(14, 10_000);
    await store.put(a.cid, a.bytes);
    await store.close();
    const [segment] = await segmentFiles(path);
    const index = join(path, segment!.replace('.blk', '.idx'));
    const bytes = await readFile(index);
    bytes[bytes.length - 10] ^= 0x55;
    await writeFile(index, bytes);
    await writeFile(join(path, 'pack-notes.txt'), 'not ours'); // foreign files are left alone
    const again = await opened(path);
    expect(await heldKeys(again)).toEqual([hex(a.cid)]);
    await again.close();
  });

  it('survives kill -9 of the writing process: every acknowledged block is there', async () => {
    const path = fresh();
    const script = join(import.meta.dirname, 'support/pack-writer.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, path], {
      cwd: join(import.meta.dirname, '../../../node'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged: string[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 60) resolve();
      });
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const store = await opened(path, { segmentBytes: 1 << 20 });
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);
    for (const text of acknowledged) {
      const cid = CID.parse(text);
      const bytes = await readBlock(store.get(cid));
      expect(Buffer.from((await sha256.digest(bytes)).bytes).equals(cid.multihash.bytes)).toBe(true);
    }
    // The stale LOCK of the dead writer did not keep us out, and writes go on.
    const more = await block(15, 1000);
    await store.put(more.cid, more.bytes);
    await store.close();
  }, 30_000);

  it('refuses a second opener and a directory locked by a live process; a stale lock is taken over', async () => {
    const path = fresh();
    const store = await opened(path);
    await expect(opened(path)).rejects.toBeInstanceOf(PackStoreLockedError);
    await store.close();
    await writeFile(join(path, 'LOCK'), `${process.ppid}\n`);
    await expect(opened(path)).rejects.toThrow(/in use by process/);
    await writeFile(join(path, 'LOCK'), '999999999\n');
    const again = await opened(path);
    await again.close();
    await expect(again.put((await block(1, 10)).cid, new Uint8Array(10))).rejects.toBeInstanceOf(
      PackStoreClosedError,
    );
  });

  it('compaction gives space back and deleted blocks stay deleted across restarts', async () => {
    const path = fresh();
    const options = { segmentBytes: 400_000 };
    const store = await opened(path, options);
    const blocks = await Promise.all(Array.from({ length: 24 }, (_, i) => block(100 + i, 60_000)));
    for (const b of blocks) await store.put(b.cid, b.bytes);
    const before = store.stats();
    const keep = blocks.filter((_, i) => i % 4 === 0);
    for (const [i, b] of blocks.entries()) if (i % 4 !== 0) await store.delete(b.cid);
    // Compaction runs in the background; closing waits for its step, so give it a moment to finish.
    for (let i = 0; i < 50 && store.stats().totalBytes > store.stats().liveBytes * 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    const after = store.stats();
    expect(after.totalBytes).toBeLessThan(before.totalBytes / 2);
    expect(await heldKeys(store)).toEqual(keep.map((b) => hex(b.cid)).sort());
    await store.close();
    const again = await opened(path, options);
    expect(await heldKeys(again)).toEqual(keep.map((b) => hex(b.cid)).sort());
    for (const b of keep) expect(Buffer.from(await readBlock(again.get(b.cid))).equals(b.bytes)).toBe(true);
    await again.close();
  });

  it('deletions in the open segment give space back too (it is sealed early, then compacted)', async () => {
    const path = fresh();
    const options = { segmentBytes: 4 * 1024 * 1024 };
    const store = await opened(path, options);
    const blocks = await Promise.all(Array.from({ length: 8 }, (_, i) => block(700 + i, 262_144)));
    for (const b of blocks) await store.put(b.cid, b.bytes);
    for (const b of blocks.slice(2)) await store.delete(b.cid);
    for (let i = 0; i < 100 && store.stats().totalBytes > 1024 * 1024; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(store.stats().totalBytes).toBeLessThan(1024 * 1024);
    expect(await heldKeys(store)).toEqual(
      blocks
        .slice(0, 2)
        .map((b) => hex(b.cid))
        .sort(),
    );
    await store.close();
    const again = await opened(path, options);
    expect(await heldKeys(again)).toEqual(
      blocks
        .slice(0, 2)
        .map((b) => hex(b.cid))
        .sort(),
    );
    for (const b of blocks.slice(0, 2))
      expect(Buffer.from(await readBlock(again.get(b.cid))).equals(b.bytes)).toBe(true);
    await again.close();
  });

  it('behaves like a map under random puts, deletes, reopenings and crashes (fast-check)', async () => {
    const pool = await Promise.all(Array.from({ length: 12 }, (_, i) => block(300 + i, 20_000 + i * 1000)));
    const op = fc.oneof(
      fc.record({ put: fc.integer({ min: 0, max: 11 }) }),
      fc.record({ del: fc.integer({ min: 0, max: 11 }) }),
      fc.record({ reopen: fc.constantFrom('clean', 'crash') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const path = fresh();
        const options = { segmentBytes: 70_000 };
        let store = await opened(path, options);
        const model = new Set<number>();
        for (const o of ops) {
          if ('put' in o) {
            await store.put(pool[o.put]!.cid, pool[o.put]!.bytes);
            model.add(o.put);
          } else if ('del' in o) {
            await store.delete(pool[o.del]!.cid);
            model.delete(o.del);
          } else {
            if (o.reopen === 'clean') await store.close();
            else await crash(store);
            store = await opened(path, options);
          }
          expect(await heldKeys(store)).toEqual([...model].map((i) => hex(pool[i]!.cid)).sort());
        }
        for (const i of model)
          expect(Buffer.from(await readBlock(store.get(pool[i]!.cid))).equals(pool[i]!.bytes)).toBe(true);
        await store.close();
        await rm(path, { recursive: true, force: true });
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

/**
 * Leaves the store as a kill -9 would: acknowledged writes are in the files, no index is written for the
 * open segment, the LOCK file stays (and names this live process, so it is rewritten as a dead one).
 */
async function crash(store: PackBlockstore): Promise<void> {
  const internals = store as unknown as {
    idle(): Promise<void>;
    compacting?: Promise<void>;
    closing: boolean;
    isOpen: boolean;
    toCompact: Set<number>;
    closeFiles(): Promise<void>;
  };
  internals.closing = true;
  internals.toCompact.clear();
  await internals.compacting;
  await internals.idle();
  internals.isOpen = false;
  await internals.closeFiles();
  await (store as unknown as { unlock(): Promise<void> }).unlock();
  await writeFile(join(store.path, 'LOCK'), '999999999\n');
}
