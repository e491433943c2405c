/**
 * Streaming with bounded memory: a 256 MiB upload goes socket → multipart parser → importer → on-disk
 * blockstore without being held in memory, and a CAR download is produced as the client reads it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CarBlockIterator } from '@ipld/car';
import { FsBlockstore } from 'blockstore-fs';
import { importer } from 'ipfs-unixfs-importer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway/index.ts';
import { kuboImporterOptions } from '../../src/ipfs/import-options.ts';
import { startHelia, substrateAuth, type TestHelia } from './helpers.ts';

const MiB = 1024 * 1024;

// vitest does not pass --expose-gc; enable it at runtime and fetch the function from a fresh context.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const UPLOAD = 256 * MiB;

let dir: string;
let helia: TestHelia;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  // tmpfs when there is one: file pages there are not process RSS, and a busy disk would only measure the disk.
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  dir = await mkdtemp(join(root, 'xstorage-gw-'));
  const blockstore = new FsBlockstore(join(dir, 'blocks'));
  await blockstore.open();
  helia = await startHelia({ blockstore });
  gateway = new Gateway({ helia: helia as never });
  ({ url } = await gateway.start());
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** 1 MiB pieces, each different (so the blockstore cannot dedupe), generated on the fly. */
function piece(i: number, base: Buffer): Buffer {
  const out = Buffer.from(base);
  // Every 256 KiB chunk differs from every other.
  for (let off = 0; off < out.length; off += 256 * 1024)
    out.writeUInt32LE((Math.imul(i, 2654435761) + off) >>> 0, off);
  return out;
}

async function* pieces(count: number, base: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield piece(i, base);
}

describe('bounded memory', () => {
  // CIDv1 (raw leaves) isolates the gateway's own footprint: with Kubo's CIDv0 defaults the importer itself
  // keeps up to one balanced-layout level of dag-pb leaves (174 × 256 KiB, ~100 MiB measured) until it links
  // them, a bound set by the layout, not by the file size.
  it('streams a 256 MiB upload into the blockstore with RSS growth far below the file size', async () => {
    const auth = (await substrateAuth('//Alice')).header;
    const base = Buffer.alloc(MiB, 7);
    for (let i = 0; i < base.length; i += 4096) base[i] = (i / 4096) & 0xff;
    // Garbage (socket chunks, blocks already written) is collected lazily; force collections while sampling
    // so the figures show what the pipeline retains, not how far V8 lets garbage pile up.
    gc();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    let peakBuffers = 0;
    const sampler = setInterval(() => {
      gc();
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 1000);
    const started = performance.now();
    const boundary = 'big-upload';
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}/api/v0/add?pin=false&cid-version=1`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`);
      let i = 0;
      const pump = () => {
        while (i < UPLOAD / MiB) {
          if (!req.write(piece(i++, base))) {
            req.once('drain', pump);
            return;
          }
        }
        req.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    expect(response.status).toBe(200);
    const line = JSON.parse(response.body.trim());
    expect(line).toMatchObject({ Name: 'big.bin', Hash: expect.stringMatching(/^bafybei/) });
    const growth = peak - rssBefore;
    console.log(
      `256 MiB upload: ${(UPLOAD / MiB / seconds).toFixed(0)} MiB/s, RSS growth ${(growth / MiB).toFixed(1)} MiB, ` +
        `peak live buffers ${(peakBuffers / MiB).toFixed(1)} MiB`,
    );
    // Measured ~50 MiB on a loaded machine, whatever the file size.
    expect(growth).toBeLessThan(UPLOAD / 3);
    expect(peakBuffers).toBeLessThan(UPLOAD / 3);

    // Served back by range from disk.
    const res = await fetch(`${url}/ipfs/${line.Hash}`, {
      headers: { Range: `bytes=${100 * MiB}-${100 * MiB + 9}` },
    });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(piece(100, base).subarray(0, 10))).toBe(true);
  }, 120_000); // ~10 s on an idle two-core machine; the margin is for a shared, loaded one.

  it('produces a CAR as it is read: the first bytes arrive before most blocks were loaded', async () => {
    // A 64 MiB file (256 leaves) on a blockstore that counts reads.
    const base = Buffer.alloc(MiB, 3);
    const [entry] = await collect(
      importer([{ content: pieces(64, base) }], helia.blockstore as never, kuboImporterOptions()),
    );
    let reads = 0;
    const counting = {
      get: (cid: never, opts?: object) => {
        reads++;
        return helia.blockstore.get(cid, opts);
      },
      has: helia.blockstore.has.bind(helia.blockstore),
      put: helia.blockstore.put.bind(helia.blockstore),
      delete: helia.blockstore.delete.bind(helia.blockstore),
    };
    const g = new Gateway({ blockstore: counting as never, pins: helia.pins as never });
    const { url: u } = await g.start();
    try {
      const res = await fetch(`${u}/ipfs/${entry!.cid}?format=car`);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
      const readsAfterFirst = reads;
      // Only as many blocks as fit in socket buffers have been loaded, not the whole DAG (259 blocks).
      expect(readsAfterFirst).toBeLessThan(150);
      const rest: Uint8Array[] = [first.value!];
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        rest.push(value);
      }
      const blocks = [];
      for await (const b of await CarBlockIterator.fromBytes(Buffer.concat(rest))) blocks.push(b);
      // 256 distinct leaves under 2 inner nodes (174 links max, Kubo balanced layout) and the root.
      expect(blocks).toHaveLength(259);
    } finally {
      await g.stop();
    }
  });
});

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of source) out.push(x);
  return out;
}
