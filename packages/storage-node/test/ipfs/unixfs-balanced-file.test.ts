/**
 * The fast balanced-file importer must write exactly what ipfs-unixfs-importer writes with the same options:
 * the same root CID, the same cumulative size and the very same set of blocks, byte for byte. The reference
 * here is the library itself (fixed-size chunker, balanced layout, Kubo's leaf and reduce settings), so
 * whatever the library does at chunk, varint and 174-link boundaries, the fast path must do too. Kubo's own
 * CIDs for whole files are checked in import-options.test.ts (vectors from kubo sharness / solidity).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBlockstore } from 'blockstore-core/memory';
import fc from 'fast-check';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { CID } from 'multiformats/cid';
import { describe, expect, it } from 'vitest';
import { readBlock, verifyBlock } from '../../src/ipfs/blocks.ts';
import { addFile, fastKuboImporterOptions } from '../../src/ipfs/import-options.ts';
import { PackBlockstore } from '../../src/ipfs/pack/pack-blockstore.ts';
import {
  type BalancedFileOptions,
  BlockWriteError,
  importBalancedFile,
} from '../../src/ipfs/unixfs-balanced-file.ts';

interface Variant {
  chunkSize: number;
  cidVersion: 0 | 1;
  rawLeaves: boolean;
  maxChildren?: number;
}

/** Every block a store holds, by CID string. */
class RecordingStore {
  readonly blocks = new Map<string, Uint8Array>();
  put(cid: CID, bytes: Uint8Array): CID {
    this.blocks.set(cid.toString(), Uint8Array.prototype.slice.call(bytes));
    return cid;
  }
}

async function reference(data: Uint8Array, v: Variant) {
  const store = new RecordingStore();
  let last: { cid: CID; size: bigint } | undefined;
  for await (const entry of importer([{ content: [data] }], store as never, {
    cidVersion: v.cidVersion,
    rawLeaves: v.rawLeaves,
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    wrapWithDirectory: false,
    fieldOrder: 'links-first',
    chunker: fixedSize({ chunkSize: v.chunkSize }),
    layout: balanced({ maxChildrenPerNode: v.maxChildren ?? 174 }),
  })) {
    last = entry;
  }
  return { cid: last!.cid.toString(), dagSize: Number(last!.size), blocks: store.blocks };
}

/** `data` cut into pieces at `cuts` (offsets, any order, duplicates give empty pieces). */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts.map((c) => Math.min(c, data.length)).sort((a, b) => a - b), data.length];
  const out: Uint8Array[] = [];
  for (let i = 1; i < points.length; i++) out.push(data.subarray(points[i - 1]!, points[i]!));
  return out;
}

/** A sink that takes blocks as parts (as the pack store does), so dag-pb leaves arrive uncopied. */
class PartsRecordingStore extends RecordingStore {
  putParts(cid: CID, parts: readonly Uint8Array[]): CID {
    return this.put(cid, Buffer.concat(parts));
  }
}

async function fast(
  pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  v: Variant,
  store = new RecordingStore(),
) {
  const options: BalancedFileOptions = {
    chunkSize: v.chunkSize,
    cidVersion: v.cidVersion,
    rawLeaves: v.rawLeaves,
    maxChildren: v.maxChildren ?? 174,
    writeConcurrency: 3,
  };
  const r = await importBalancedFile(pieces, store, options);
  return { cid: r.cid.toString(), dagSize: r.dagSize, size: r.size, blocks: store.blocks };
}

async function expectSame(data: Uint8Array, pieces: Uint8Array[], v: Variant): Promise<void> {
  const want = await reference(data, v);
  for (const store of [new RecordingStore(), new PartsRecordingStore()]) {
    await expectSameAs(
      want,
      data.length,
      await fast(pieces, v, store),
      `${JSON.stringify(v)} ${store.constructor.name}`,
    );
  }
}

async function expectSameAs(
  want: Awaited<ReturnType<typeof reference>>,
  size: number,
  got: Awaited<ReturnType<typeof fast>>,
  variant: string,
): Promise<void> {
  const label = `${variant} size ${size}`;
  expect(got.cid, label).toBe(want.cid);
  expect(got.dagSize, label).toBe(want.dagSize);
  expect(got.size, label).toBe(size);
  expect([...got.blocks.keys()].sort(), label).toEqual([...want.blocks.keys()].sort());
  for (const [k, bytes] of want.blocks) {
    expect(Buffer.from(got.blocks.get(k)!).equals(bytes), `${label} block ${k}`).toBe(true);
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const LEAF_OPTIONS: Array<Pick<Variant, 'cidVersion' | 'rawLeaves'>> = [
  { cidVersion: 0, rawLeaves: false },
  { cidVersion: 0, rawLeaves: true },
  { cidVersion: 1, rawLeaves: true },
  { cidVersion: 1, rawLeaves: false },
];

describe('importBalancedFile = ipfs-unixfs-importer (fixed size, balanced)', () => {
  it('the empty file, in every option combination', async () => {
    for (const o of LEAF_OPTIONS) {
      await expectSame(new Uint8Array(0), [], { ...o, chunkSize: 262_144 });
      await expectSame(new Uint8Array(0), [new Uint8Array(0), new Uint8Array(0)], { ...o, chunkSize: 7 });
    }
  });

  it('sizes around chunk boundaries, pieces cut anywhere (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LEAF_OPTIONS),
        fc.constantFrom(1, 2, 3, 127, 128, 129, 1000, 16_384),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: -1, max: 1 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer(),
        async (o, chunkSize, chunks, delta, cuts, seed) => {
          const n = Math.max(0, chunks * chunkSize + delta);
          const data = bytes(n, seed);
          await expectSame(
            data,
            split(
              data,
              cuts.map((c) => c % (n + 1)),
            ),
            { ...o, chunkSize },
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it('1, 174 and 175 leaves, and 174×174+1 leaves (three levels), every option combination', async () => {
    for (const o of LEAF_OPTIONS) {
      for (const leaves of [1, 2, 173, 174, 175, 348, 349]) {
        const data = bytes(leaves * 3 - 1, leaves);
        await expectSame(data, split(data, [5, 100]), { ...o, chunkSize: 3 });
      }
    }
    // 174 × 174 + 1 one-byte leaves: the first level to hold more than 174 parents.
    for (const o of LEAF_OPTIONS) {
      const data = bytes(174 * 174 + 1, 9);
      await expectSame(data, split(data, [1, 30_000]), { ...o, chunkSize: 1 });
    }
  }, 50_000);

  it('deep trees with narrow nodes (maxChildren 2, 3)', async () => {
    for (const o of LEAF_OPTIONS) {
      for (const maxChildren of [2, 3]) {
        for (const leaves of [1, 2, 3, 4, 5, 8, 9, 10, 27, 28]) {
          const data = bytes(leaves * 4, leaves);
          await expectSame(data, [data], { ...o, chunkSize: 4, maxChildren });
        }
      }
    }
  });

  it('Kubo sizes: 256 KiB and 1 MiB chunks over pieces that do not line up', async () => {
    const data = bytes(3 * 262_144 + 1234, 77);
    for (const o of LEAF_OPTIONS) {
      await expectSame(data, split(data, [65_536, 70_000, 262_144, 600_000]), { ...o, chunkSize: 262_144 });
      await expectSame(data, [data], { ...o, chunkSize: 1_048_576 });
    }
  });
});

describe('into the on-disk blockstore', () => {
  it('the pack store (blocks given as parts) ends up holding exactly the reference blocks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-balanced-file-'));
    try {
      const data = bytes(3 * 262_144 + 99, 5);
      for (const o of LEAF_OPTIONS) {
        const v = { ...o, chunkSize: 262_144 };
        const store = new PackBlockstore(join(dir, `${o.cidVersion}-${o.rawLeaves}`));
        await store.open();
        const r = await importBalancedFile(split(data, [262_144, 300_000, 2 * 262_144]), store, {
          ...v,
          maxChildren: 174,
        });
        const want = await reference(data, v);
        expect(r.cid.toString()).toBe(want.cid);
        const held = new Map<string, Uint8Array>();
        for await (const { cid, bytes } of store.getAll()) {
          held.set(hex(cid.multihash.bytes), await readBlock(bytes));
        }
        expect(held.size).toBe(want.blocks.size);
        for (const [k, b] of want.blocks) {
          const got = held.get(hex(CID.parse(k).multihash.bytes));
          expect(got && Buffer.from(got).equals(b), k).toBe(true);
        }
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('aborting an import into the on-disk blockstore', () => {
  it('leaves only whole, verified blocks; the same import then completes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-abort-import-'));
    try {
      const store = new PackBlockstore(join(dir, 'blocks'));
      await store.open();
      const data = bytes(40 * 65_536, 12);
      const controller = new AbortController();
      async function* pieces() {
        for (let o = 0, i = 0; o < data.length; o += 65_536, i++) {
          if (i === 20) controller.abort();
          yield data.subarray(o, o + 65_536);
        }
      }
      const v = { chunkSize: 65_536, cidVersion: 0 as const, rawLeaves: false, maxChildren: 174 };
      await expect(
        importBalancedFile(pieces(), store, { ...v, signal: controller.signal }),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(store.size).toBeGreaterThan(0);
      for await (const { cid, bytes: chunks } of store.getAll()) {
        await verifyBlock(cid, await readBlock(chunks));
      }
      const again = await importBalancedFile([data], store, v);
      expect(again.cid.toString()).toBe((await reference(data, v)).cid);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sources read into leaf blocks (files)', () => {
  it('a reader giving short reads yields the reference blocks', async () => {
    for (const o of LEAF_OPTIONS) {
      for (const n of [0, 1, 999, 1000, 1001, 5000, 5001]) {
        const data = bytes(n, n);
        let at = 0;
        const reader = {
          async read(buffer: Uint8Array, offset: number, length: number) {
            const k = Math.min(length, 333, data.length - at);
            buffer.set(data.subarray(at, at + k), offset);
            at += k;
            return k;
          },
        };
        const v = { ...o, chunkSize: 1000 };
        const want = await reference(data, v);
        const store = new RecordingStore();
        const r = await importBalancedFile(reader, store, { ...v, maxChildren: 174 });
        await expectSameAs(
          want,
          n,
          { cid: r.cid.toString(), dagSize: r.dagSize, size: r.size, blocks: store.blocks },
          `reader ${JSON.stringify(v)}`,
        );
      }
    }
  });

  it('addFile gives the reference CID for files around the chunk size, in every option combination', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-add-file-'));
    try {
      for (const n of [0, 262_143, 262_144, 262_145, 2 * 262_144 + 7]) {
        const data = bytes(n, n + 1);
        const path = join(dir, `f${n}`);
        await writeFile(path, data);
        for (const o of LEAF_OPTIONS) {
          const want = await reference(data, { ...o, chunkSize: 262_144 });
          const store = new RecordingStore();
          const got = await addFile(store, path, o);
          expect(got.cid.toString(), `${n} ${JSON.stringify(o)}`).toBe(want.cid);
          expect(got.size).toBe(n);
          expect([...store.blocks.keys()].sort()).toEqual([...want.blocks.keys()].sort());
        }
      }
      await expect(addFile(new RecordingStore(), join(dir, 'missing'))).rejects.toMatchObject({
        code: 'ENOENT',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the importer plug-in (fastKuboImporterOptions)', () => {
  it('directories and wrapping come out as with the reference options', async () => {
    const files = () => [
      { path: 'dir/a.bin', content: [bytes(600_000, 1)] },
      { path: 'dir/b.txt', content: [new TextEncoder().encode('hello\n')] },
      { path: 'dir/empty', content: [] as Uint8Array[] },
      { path: 'dir/sub' },
    ];
    for (const o of [{}, { cidVersion: 1 as const }, { rawLeaves: true, chunker: 'size-1000' }]) {
      const run = async (options: object) => {
        const store = new RecordingStore();
        const out: string[] = [];
        for await (const e of importer(files(), store as never, {
          ...options,
          wrapWithDirectory: true,
        })) {
          out.push(`${e.path} ${e.cid} ${e.size}`);
        }
        return { out, blocks: [...store.blocks.keys()].sort() };
      };
      const { kuboImporterOptions } = await import('../../src/ipfs/import-options.ts');
      expect(await run(fastKuboImporterOptions(o))).toEqual(await run(kuboImporterOptions(o)));
    }
  });
});

describe('failures', () => {
  const v: BalancedFileOptions = { chunkSize: 1000, cidVersion: 0, rawLeaves: false, maxChildren: 174 };

  it('a failing put surfaces as BlockWriteError, after the writes in flight settle', async () => {
    let inflight = 0;
    let puts = 0;
    const store = {
      async put(cid: CID) {
        inflight++;
        await new Promise((r) => setTimeout(r, 2));
        inflight--;
        if (++puts === 5) throw new Error('disk full');
        return cid;
      },
    };
    const err = await importBalancedFile([bytes(50_000, 1)], store, { ...v, writeConcurrency: 4 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(BlockWriteError);
    expect(err.name).toBe('BlockWriteError');
    expect(err.message).toMatch(/disk full/);
    expect(inflight).toBe(0);
  });

  it('a put that throws synchronously is a BlockWriteError too', async () => {
    const store = {
      put() {
        throw new Error('read-only');
      },
    };
    await expect(importBalancedFile([bytes(10, 1)], store, v)).rejects.toBeInstanceOf(BlockWriteError);
  });

  it('an abort mid-import stops reading and writing; the same import then succeeds', async () => {
    const controller = new AbortController();
    const store = new MemoryBlockstore();
    const data = bytes(200_000, 3);
    let served = 0;
    async function* pieces() {
      for (let o = 0; o < data.length; o += 10_000) {
        if (++served === 6) controller.abort();
        yield data.subarray(o, o + 10_000);
      }
    }
    await expect(
      importBalancedFile(pieces(), store, { ...v, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(served).toBe(6);
    const again = await importBalancedFile([data], store, v);
    const want = await reference(data, { chunkSize: 1000, cidVersion: 0, rawLeaves: false });
    expect(again.cid.toString()).toBe(want.cid);
  });

  it('a source that fails rejects with its error and writes nothing afterwards', async () => {
    let puts = 0;
    let after = false;
    let failed = false;
    const store = {
      async put(cid: CID) {
        puts++;
        if (failed) after = true;
        return cid;
      },
    };
    async function* pieces() {
      yield bytes(5000, 1);
      throw new Error('socket closed');
    }
    await expect(importBalancedFile(pieces(), store, v)).rejects.toThrow('socket closed');
    failed = true;
    await new Promise((r) => setTimeout(r, 10));
    expect(puts).toBe(5);
    expect(after).toBe(false);
  });

  it('refuses chunks that are not bytes', async () => {
    await expect(importBalancedFile(['abc' as never], new MemoryBlockstore(), v)).rejects.toThrow(TypeError);
  });
});
