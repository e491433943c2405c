/**
 * The Kubo RPC writes added for issue 13 (block/put, block/rm, dag/import, name/publish) through the real
 * `kubo-rpc-client` and plain HTTP: W3Auth as `add`, the upload limits, Kubo's shapes, and hostile input —
 * bad CIDs, unknown codecs and hash functions, oversized and truncated CARs, CARs whose blocks lie about their
 * CID, unauthorised writes — each ending in a Kubo error body with nothing half-stored.
 *
 * Outside vectors, Kubo's test/sharness/t0050-block.sh: `echo "Hello Mars!" | ipfs block put` →
 * bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4, "Hello Venus!\n" →
 * bafkreihfsphazrk2ilejpekyltjeh5k4yvwgjuwg26ueafohqioeo3sdca (one line per file); `echo "foooo" | ipfs block put
 * --mhtype=sha3 --mhlen=20` → bafkrifctrq4xazzixy2v4ezymjcvzpskqdwlxra, with `--cid-codec=dag-pb` →
 * bafybifctrq4xazzixy2v4ezymjcvzpskqdwlxra, with `--format=v0` an error; a 2097153-byte block fails with
 * "produced block is over 2MiB" unless `--allow-big-block`; `--format` with another `--cid-codec` fails.
 */
import { CarWriter } from '@ipld/car/writer';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { create } from 'kubo-rpc-client';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway/index.ts';
import {
  blockCount,
  importFiles,
  multipart,
  pinCount,
  pseudoRandom,
  startGateway,
  startHelia,
  substrateAuth,
  type TestHelia,
} from './helpers.ts';

const MARS = 'bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4';
const VENUS = 'bafkreihfsphazrk2ilejpekyltjeh5k4yvwgjuwg26ueafohqioeo3sdca';
const SHA3_20 = 'bafkrifctrq4xazzixy2v4ezymjcvzpskqdwlxra';
const SHA3_20_PB = 'bafybifctrq4xazzixy2v4ezymjcvzpskqdwlxra';
const BIG_BLOCK_MESSAGE = /produced block is over 2MiB/;

let helia: TestHelia;
let gateway: Gateway;
let url: string;
let auth: string;
let ipfs: ReturnType<typeof create>;
// A second gateway with a small upload cap and quota, for the limits.
let small: { helia: TestHelia; gateway: Gateway; url: string };

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function post(base: string, path: string, files?: Parameters<typeof multipart>[0], withAuth = true) {
  const headers: Record<string, string> = {};
  if (withAuth) headers.Authorization = auth;
  let body: Buffer | undefined;
  if (files) {
    const m = multipart(files);
    headers['Content-Type'] = m.contentType;
    body = m.body;
  }
  return fetch(`${base}/api/v0/${path}`, { method: 'POST', headers, body });
}

async function kuboError(res: Response, status: number, message: RegExp) {
  const body = (await res.json()) as { Message: string; Code: number; Type: string };
  expect(`${res.status} ${body.Message}`).toMatch(new RegExp(`^${status} `));
  expect(body).toMatchObject({ Message: expect.stringMatching(message), Type: 'error' });
  if (status !== 401) expect(body.Code).toBe(status >= 500 ? 0 : 1);
}

async function ndjson(res: Response): Promise<any[]> {
  return (await res.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

/** A CAR v1 made by @ipld/car's writer. */
async function carOf(roots: CID[], blocks: Array<{ cid: CID; bytes: Uint8Array }>): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create(roots as never);
  const collected = (async () => {
    const chunks: Uint8Array[] = [];
    for await (const c of out) chunks.push(c);
    return Buffer.concat(chunks);
  })();
  for (const b of blocks) await writer.put({ cid: b.cid as never, bytes: b.bytes });
  await writer.close();
  return collected;
}

async function rawBlock(text: string | Uint8Array) {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return { cid: CID.createV1(0x55, await sha256.digest(bytes)), bytes };
}

/** A small file DAG (dag-pb root over raw leaves) built by hand. */
async function fileDag(leaves: string[]) {
  const blocks = await Promise.all(leaves.map((l) => rawBlock(l)));
  const data = new UnixFS({ type: 'file', blockSizes: blocks.map((b) => BigInt(b.bytes.length)) });
  const bytes = dagPb.encode({
    Data: data.marshal(),
    Links: blocks.map((b) => ({ Hash: b.cid, Tsize: b.bytes.length, Name: '' })),
  });
  const root = { cid: CID.createV1(0x70, await sha256.digest(bytes)), bytes };
  return { root, blocks: [root, ...blocks] };
}

beforeAll(async () => {
  helia = await startHelia();
  ({ gateway, url } = await startGateway(helia));
  auth = (await substrateAuth('//Alice')).header;
  ipfs = create({ url: `${url}/api/v0`, headers: { Authorization: auth } });
  const h2 = await startHelia();
  const g2 = await startGateway(h2, {
    maxUploadBytes: 64 * 1024,
    uploadLimits: { quotaBytes: 96 * 1024 },
  });
  small = { helia: h2, gateway: g2.gateway, url: g2.url };
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
  await small?.gateway.stop();
  await small?.helia.stop();
});

describe('block/put (Kubo t0050-block vectors)', () => {
  it('one block per file part, raw CIDv1 sha2-256 by default; the client reads the CID', async () => {
    const cid = await ipfs.block.put(new TextEncoder().encode('Hello Mars!\n'));
    expect(cid.toString()).toBe(MARS);
    const res = await post(url, 'block/put', [
      { path: 'a', content: 'Hello Mars!\n' },
      { path: 'b', content: 'Hello Venus!\n' },
    ]);
    expect(await ndjson(res)).toEqual([
      { Key: MARS, Size: 12 },
      { Key: VENUS, Size: 13 },
    ]);
    expect(new TextDecoder().decode(await ipfs.block.get(CID.parse(VENUS)))).toBe('Hello Venus!\n');
  });

  it('mhtype=sha3 with mhlen=20 truncates; cid-codec names the codec; format=v0 gives CIDv0', async () => {
    expect(
      await ndjson(await post(url, 'block/put?mhtype=sha3&mhlen=20', [{ path: 'f', content: 'foooo\n' }])),
    ).toEqual([{ Key: SHA3_20, Size: 6 }]);
    const pb = await ndjson(
      await post(url, 'block/put?mhtype=sha3&mhlen=20&cid-codec=dag-pb', [{ path: 'f', content: 'foooo\n' }]),
    );
    expect(pb[0].Key).toBe(SHA3_20_PB);
    await kuboError(
      await post(url, 'block/put?mhtype=sha3&mhlen=20&format=v0', [{ path: 'f', content: 'foooo\n' }]),
      500,
      /only sha2-255-32 is allowed with CIDv0/,
    );
    const v0 = await ndjson(
      await post(url, 'block/put?format=v0', [{ path: 'f', content: 'Hello Mars!\n' }]),
    );
    expect(CID.parse(v0[0].Key).version).toBe(0);
    expect(CID.parse(v0[0].Key).multihash.bytes).toEqual(CID.parse(MARS).multihash.bytes);
  });

  it('pin=true pins the block (the client option too)', async () => {
    const cid = await ipfs.block.put(new TextEncoder().encode('pin me please'), { pin: true });
    const pins = await all(ipfs.pin.ls({ paths: [cid] }));
    expect(pins.map((p) => p.type)).toEqual(['recursive']);
  });

  it("blocks over 2 MiB: Kubo's error unless allow-big-block; nothing stored", async () => {
    const before = await blockCount(helia);
    const big = new Uint8Array(2097153);
    await kuboError(await post(url, 'block/put', [{ path: 'big', content: big }]), 500, BIG_BLOCK_MESSAGE);
    expect(await blockCount(helia)).toBe(before);
    const ok = await ndjson(
      await post(url, 'block/put?allow-big-block=true', [{ path: 'big', content: big }]),
    );
    expect(ok[0].Size).toBe(2097153);
  });

  it('unknown codec, unknown or unsupported hash, format with cid-codec, bad mhlen: Kubo error bodies', async () => {
    const one = [{ path: 'x', content: 'x' }];
    await kuboError(await post(url, 'block/put?cid-codec=nope', one), 500, /unknown multicodec: "nope"/);
    await kuboError(
      await post(url, 'block/put?mhtype=nope', one),
      500,
      /unrecognized multihash function: nope/,
    );
    await kuboError(await post(url, 'block/put?mhtype=md5', one), 500, /not supported/);
    await kuboError(
      await post(url, 'block/put?format=dag-cbor&cid-codec=dag-json', one),
      500,
      /unable to use "format" \(deprecated\) and a custom "cid-codec" at the same time/,
    );
    await kuboError(await post(url, 'block/put?mhlen=99', one), 500, /too large/);
    await kuboError(await post(url, 'block/put?mhlen=4', one), 500, /at least 20 bytes/);
    await kuboError(await post(url, 'block/put?pin=maybe', one), 400, /invalid boolean/);
    await kuboError(await post(url, 'block/put'), 400, /multipart/);
  });

  it('without W3Auth: 401 and nothing stored; an upload past the cap: 413; past the quota: 429', async () => {
    const before = await blockCount(helia);
    const res = await post(url, 'block/put', [{ path: 'x', content: 'unauthorised bytes' }], false);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ Message: expect.any(String), Type: 'error' });
    expect(await blockCount(helia)).toBe(before);
    await kuboError(
      await post(small.url, 'block/put', [{ path: 'x', content: pseudoRandom(80 * 1024, 3) }]),
      413,
      /upload limit/,
    );
    // 96 KiB per window: two 40 KiB blocks pass, the third does not.
    for (let i = 0; i < 2; i++) {
      expect(
        (await post(small.url, 'block/put', [{ path: 'x', content: pseudoRandom(40 * 1024, 10 + i) }]))
          .status,
      ).toBe(200);
    }
    const over = await post(small.url, 'block/put', [{ path: 'x', content: pseudoRandom(40 * 1024, 20) }]);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('block/rm', () => {
  it('removes, reports missing and pinned blocks per CID (Kubo t0050 "multi-block rm mixed"), -f and -q', async () => {
    const [a, b] = [await rawBlock('rm a'), await rawBlock('rm b')];
    await ipfs.block.put(a.bytes);
    await ipfs.block.put(b.bytes);
    const [file] = await importFiles(helia, [{ path: 'pinned.txt', content: 'pinned for rm' }]);
    await all(ipfs.pin.addAll([{ cid: file!.cid as never }]));
    const absent = await rawBlock('never stored');
    const res = await ipfs.block.rm([a.cid, file!.cid as never, absent.cid, b.cid]);
    const out = await all(res);
    expect(out.map((r) => [r.cid.toString(), r.error?.message])).toEqual([
      [a.cid.toString(), undefined],
      [file!.cid.toString(), 'pinned: recursive'],
      [absent.cid.toString(), `ipld: could not find ${absent.cid}`],
      [b.cid.toString(), undefined],
    ]);
    expect(await helia.blockstore.has(a.cid as never)).toBe(false);
    expect(await helia.blockstore.has(file!.cid as never)).toBe(true);
    // -f: missing blocks are no error; -q: no lines for successes.
    const c = await rawBlock('rm c');
    await ipfs.block.put(c.bytes);
    expect(await ndjson(await post(url, `block/rm?arg=${absent.cid}&force=true`))).toEqual([
      { Hash: absent.cid.toString() },
    ]);
    expect(await (await post(url, `block/rm?arg=${c.cid}&quiet=true`)).text()).toBe('');
    // A block inside a pinned DAG names its root.
    const dag = await fileDag(['leaf one', 'leaf two']);
    const car = await carOf([dag.root.cid], dag.blocks);
    await all(ipfs.dag.import([car] as never));
    const inner = await ndjson(await post(url, `block/rm?arg=${dag.blocks[1]!.cid}`));
    expect(inner).toEqual([{ Hash: dag.blocks[1]!.cid.toString(), Error: `pinned via ${dag.root.cid}` }]);
  });

  it('needs W3Auth; bad CIDs are Kubo errors', async () => {
    const res = await post(url, `block/rm?arg=${MARS}`, undefined, false);
    expect(res.status).toBe(401);
    expect(await helia.blockstore.has(CID.parse(MARS) as never)).toBe(true);
    await kuboError(await post(url, 'block/rm?arg=zzz'), 400, /invalid CID/);
    await kuboError(await post(url, 'block/rm'), 400, /argument "cid" is required/);
  });
});

describe('dag/import', () => {
  it('imports a CAR, pins its roots (the client reads them), blocks readable; pin-roots=false does not pin', async () => {
    const dag = await fileDag(['import one', 'import two', 'import three']);
    const car = await carOf([dag.root.cid], dag.blocks);
    const out = await all(ipfs.dag.import([car] as never));
    expect(out).toEqual([{ root: { cid: dag.root.cid, pinErrorMsg: '' } }]);
    expect(Buffer.concat(await all(ipfs.cat(dag.root.cid))).toString()).toBe(
      'import oneimport twoimport three',
    );
    expect((await all(ipfs.pin.ls({ paths: [dag.root.cid] })))[0]!.type).toBe('recursive');
    const other = await fileDag(['not pinned']);
    const res = await post(url, 'dag/import?pin-roots=false&stats=true', [
      { path: 'x.car', content: await carOf([other.root.cid], other.blocks) },
    ]);
    expect(await ndjson(res)).toEqual([
      { Stats: { BlockCount: 2, BlockBytesCount: other.blocks.reduce((n, b) => n + b.bytes.length, 0) } },
    ]);
    expect(await helia.pins.isPinned(other.root.cid as never)).toBe(false);
  });

  it('round trip: dag/export from one gateway, dag/import into another, same blocks', async () => {
    const [entry] = await importFiles(helia, [{ path: 'rt.bin', content: pseudoRandom(600 * 1024, 9) }]);
    const car = Buffer.concat(await all(ipfs.dag.export(entry!.cid as never)));
    const { gateway: g3, url: u3 } = await startGateway(small.helia, { maxUploadBytes: 4 * 1024 * 1024 });
    try {
      const client = create({ url: `${u3}/api/v0`, headers: { Authorization: auth } });
      expect(await all(client.dag.import([car] as never))).toEqual([
        { root: { cid: entry!.cid, pinErrorMsg: '' } },
      ]);
      const back = Buffer.concat(await all(client.cat(entry!.cid as never)));
      expect(back.equals(Buffer.from(pseudoRandom(600 * 1024, 9)))).toBe(true);
    } finally {
      await g3.stop();
    }
  });

  it('a root the CAR does not complete is reported with its reason; the blocks stay', async () => {
    const dag = await fileDag(['partial a', 'partial b']);
    const car = await carOf([dag.root.cid], [dag.blocks[0]!, dag.blocks[1]!]);
    const [line] = await ndjson(await post(url, 'dag/import', [{ path: 'p.car', content: car }]));
    expect(line.Root.Cid).toEqual({ '/': dag.root.cid.toString() });
    expect(line.Root.PinErrorMsg).toMatch(/not found/);
    expect(await helia.blockstore.has(dag.blocks[1]!.cid as never)).toBe(true);
  });

  it('truncated, lying, garbage and CAR v2 input: Kubo errors, and nothing the import stored is left', async () => {
    const dag = await fileDag(['hostile one', 'hostile two']);
    const car = await carOf([dag.root.cid], dag.blocks);
    const before = await blockCount(helia);
    const pinsBefore = await pinCount(helia);
    await kuboError(
      await post(url, 'dag/import', [{ path: 't.car', content: car.subarray(0, car.length - 5) }]),
      500,
      /import failed after block ".+": CAR stream ended inside a block/,
    );
    const lying = Buffer.from(car);
    lying[lying.length - 1] ^= 0xff; // last block's bytes no longer hash to its CID
    await kuboError(
      await post(url, 'dag/import', [{ path: 'l.car', content: lying }]),
      500,
      /import failed at block ".+": mismatch in content integrity/,
    );
    await kuboError(
      await post(url, 'dag/import', [{ path: 'g.car', content: 'not a car at all' }]),
      500,
      /import failed/,
    );
    const v2pragma = Buffer.from('0aa16776657273696f6e02', 'hex');
    await kuboError(
      await post(url, 'dag/import', [{ path: 'v2.car', content: v2pragma }]),
      500,
      /import failed/,
    );
    expect(await blockCount(helia)).toBe(before);
    expect(await pinCount(helia)).toBe(pinsBefore);
  });

  it('a CAR over the upload cap is a 413; a big block needs allow-big-block; no W3Auth is a 401', async () => {
    const leaves = Array.from({ length: 3 }, (_, i) => String(i).repeat(25 * 1024)); // 75 KiB: over the 64 KiB cap, under the quota
    const dag = await fileDag(leaves);
    const car = await carOf([dag.root.cid], dag.blocks);
    // //Bob: //Alice used up her quota on this gateway above.
    const bob = (await substrateAuth('//Bob')).header;
    const over = await fetch(`${small.url}/api/v0/dag/import`, {
      method: 'POST',
      headers: { Authorization: bob, 'Content-Type': multipart([]).contentType },
      body: multipart([{ path: 'big.car', content: car }]).body,
    });
    await kuboError(over, 413, /upload limit/);
    expect(await small.helia.blockstore.has(dag.root.cid as never)).toBe(false);
    const huge = await rawBlock(new Uint8Array(2 * 1024 * 1024 + 1));
    const hugeCar = await carOf([huge.cid], [huge]);
    await kuboError(
      await post(url, 'dag/import', [{ path: 'h.car', content: hugeCar }]),
      500,
      BIG_BLOCK_MESSAGE,
    );
    const ok = await ndjson(
      await post(url, 'dag/import?allow-big-block=true', [{ path: 'h.car', content: hugeCar }]),
    );
    expect(ok[0].Root.PinErrorMsg).toBe('');
    const denied = await post(url, 'dag/import', [{ path: 'd.car', content: car }], false);
    expect(denied.status).toBe(401);
    expect(await helia.blockstore.has(dag.root.cid as never)).toBe(false);
  });
});

describe('name/publish', () => {
  it('needs W3Auth, then fails honestly: no IPNS keys here', async () => {
    expect((await post(url, `name/publish?arg=/ipfs/${MARS}`, undefined, false)).status).toBe(401);
    await kuboError(await post(url, `name/publish?arg=/ipfs/${MARS}`), 500, /no IPNS keys/);
  });
});
