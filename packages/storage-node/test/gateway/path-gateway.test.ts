/**
 * The path gateway and trustless gateway as a plain HTTP client sees them (specs.ipfs.tech/http-gateways
 * path-gateway and trustless-gateway). Content is imported with Kubo's defaults; the CID of `hello world\n`
 * is Kubo's (`echo "hello world" | ipfs add` → QmT78zSu…, widely quoted in the IPFS docs).
 */
import { createHash } from 'node:crypto';
import { CarBlockIterator } from '@ipld/car';
import * as dagPb from '@ipld/dag-pb';
import { exporter } from 'ipfs-unixfs-exporter';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway/index.ts';
import { importFiles, pseudoRandom, startGateway, startHelia, type TestHelia } from './helpers.ts';

const HELLO = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';
const MiB = 1024 * 1024;

let helia: TestHelia;
let gateway: Gateway;
let url: string;
let big: Uint8Array;
let bigCid: CID;
let zerosCid: CID;
let dirCid: CID;
let siteCid: CID;

beforeAll(async () => {
  helia = await startHelia();
  ({ gateway, url } = await startGateway(helia));
  const [hello] = await importFiles(helia, [{ path: 'hello.txt', content: 'hello world\n' }]);
  expect(hello!.cid.toString()).toBe(HELLO);
  big = pseudoRandom(MiB + 12345, 42);
  bigCid = (await importFiles(helia, [{ path: 'big.bin', content: big }]))[0]!.cid;
  zerosCid = (await importFiles(helia, [{ path: 'zeros', content: new Uint8Array(MiB) }]))[0]!.cid;
  const dir = await importFiles(
    helia,
    [
      { path: 'docs/readme.md', content: '# hi\n' },
      { path: 'docs/sub/hello.txt', content: 'hello world\n' },
      {
        path: 'docs/photo.png',
        content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]),
      },
      { path: 'docs/we ird#name?.txt', content: 'odd' },
    ],
    { wrapWithDirectory: false },
  );
  dirCid = dir.find((e) => e.path === 'docs')!.cid;
  const site = await importFiles(helia, [
    { path: 'site/index.html', content: '<!doctype html><p>home</p>' },
    { path: 'site/a.txt', content: 'a' },
  ]);
  siteCid = site.find((e) => e.path === 'site')!.cid;
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
});

async function carBlocks(res: Response) {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const iterator = await CarBlockIterator.fromBytes(bytes);
  const roots = await iterator.getRoots();
  const blocks: Array<{ cid: CID; bytes: Uint8Array }> = [];
  for await (const b of iterator) blocks.push({ cid: CID.decode(b.cid.bytes), bytes: b.bytes });
  return { roots: roots.map((r) => CID.decode(r.bytes)), blocks };
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

describe('UnixFS files', () => {
  it('serves file bytes with the spec headers', async () => {
    const res = await fetch(`${url}/ipfs/${HELLO}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello world\n');
    expect(res.headers.get('etag')).toBe(`"${HELLO}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=29030400, immutable');
    expect(res.headers.get('x-ipfs-path')).toBe(`/ipfs/${HELLO}`);
    expect(res.headers.get('x-ipfs-roots')).toBe(HELLO);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-length')).toBe('12');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
  });

  it('accepts the same content by its CIDv1 (base32) and base36 spellings', async () => {
    const v1 = CID.parse(HELLO).toV1();
    for (const text of [v1.toString(), v1.toString((await import('multiformats/bases/base36')).base36)]) {
      const res = await fetch(`${url}/ipfs/${text}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('hello world\n');
    }
  });

  it('HEAD sends the headers without a body', async () => {
    const res = await fetch(`${url}/ipfs/${HELLO}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('12');
    expect(await res.text()).toBe('');
  });

  it('streams a multi-block file intact', async () => {
    const res = await fetch(`${url}/ipfs/${bigCid}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body.length).toBe(big.length);
    expect(sha256(body).equals(sha256(big))).toBe(true);
  });

  it('serves single byte ranges (206) across block boundaries', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=0-4', 0, 4],
      ['bytes=262140-262150', 262140, 262150],
      [`bytes=${big.length - 10}-`, big.length - 10, big.length - 1],
      ['bytes=-7', big.length - 7, big.length - 1],
      [`bytes=1000-${big.length + 500}`, 1000, big.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(`${url}/ipfs/${bigCid}`, { headers: { Range: range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${big.length}`);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(Buffer.from(body).equals(Buffer.from(big.subarray(start, end + 1))), range).toBe(true);
    }
  });

  it('answers 416 for a range outside the file and ignores ranges it does not serve', async () => {
    const res = await fetch(`${url}/ipfs/${HELLO}`, { headers: { Range: 'bytes=12-' } });
    expect(res.status).toBe(416);
    await res.arrayBuffer();
    const multi = await fetch(`${url}/ipfs/${HELLO}`, { headers: { Range: 'bytes=0-1,3-4' } });
    expect(multi.status).toBe(200);
    expect(await multi.text()).toBe('hello world\n');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const res = await fetch(`${url}/ipfs/${HELLO}`, { headers: { 'If-None-Match': `"${HELLO}"` } });
    expect(res.status).toBe(304);
  });

  it('sets Content-Disposition from ?filename and ?download', async () => {
    const res = await fetch(`${url}/ipfs/${HELLO}?filename=${encodeURIComponent('тест.txt')}&download=true`);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="____.txt"; filename*=UTF-8''${encodeURIComponent('тест.txt')}`,
    );
    await res.arrayBuffer();
  });
});

describe('directories', () => {
  it('redirects a directory without trailing slash (301)', async () => {
    const res = await fetch(`${url}/ipfs/${dirCid}?x=1`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`/ipfs/${dirCid}/?x=1`);
  });

  it('lists a directory with escaped names', async () => {
    const res = await fetch(`${url}/ipfs/${dirCid}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('etag')).toMatch(/^"DirIndex-.+_CID-/);
    const html = await res.text();
    for (const name of ['readme.md', 'sub', 'photo.png']) expect(html).toContain(`>${name}<`);
    expect(html).toContain(`/ipfs/${dirCid}/we%20ird%23name%3F.txt`);
  });

  it('resolves paths, sets X-Ipfs-Roots per segment and types by extension or magic bytes', async () => {
    const res = await fetch(`${url}/ipfs/${dirCid}/sub/hello.txt`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello world\n');
    const roots = res.headers.get('x-ipfs-roots')!.split(',');
    expect(roots).toHaveLength(3);
    expect(roots[0]).toBe(dirCid.toString());
    expect(roots[2]).toBe(HELLO);
    const md = await fetch(`${url}/ipfs/${dirCid}/readme.md`);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    await md.arrayBuffer();
    const png = await fetch(`${url}/ipfs/${dirCid}/photo.png?filename=x`);
    expect(png.headers.get('content-type')).toBe('image/png');
    await png.arrayBuffer();
    const odd = await fetch(`${url}/ipfs/${dirCid}/we%20ird%23name%3F.txt`);
    expect(await odd.text()).toBe('odd');
  });

  it('serves index.html for a directory that has one', async () => {
    const res = await fetch(`${url}/ipfs/${siteCid}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('home');
  });

  it('answers 404 for a name that is not in the directory', async () => {
    const res = await fetch(`${url}/ipfs/${dirCid}/nope.txt`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/nope\.txt/);
  });
});

describe('trustless responses', () => {
  it('?format=raw returns the block, whose sha2-256 is the CID multihash', async () => {
    const res = await fetch(`${url}/ipfs/${bigCid}?format=raw`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.raw');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${bigCid}.bin"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const block = new Uint8Array(await res.arrayBuffer());
    expect(sha256(block).equals(Buffer.from(bigCid.multihash.digest))).toBe(true);
    expect(dagPb.decode(block).Links.length).toBe(5);
  });

  it('Accept: application/vnd.ipld.raw works too and names the format in Content-Location', async () => {
    const res = await fetch(`${url}/ipfs/${HELLO}`, { headers: { Accept: 'application/vnd.ipld.raw' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-location')).toBe(`/ipfs/${HELLO}?format=raw`);
    const block = new Uint8Array(await res.arrayBuffer());
    expect(sha256(block).equals(Buffer.from(CID.parse(HELLO).multihash.digest))).toBe(true);
  });

  it('?format=car streams the DAG in DFS order; every block verifies and re-exports the file', async () => {
    const res = await fetch(`${url}/ipfs/${bigCid}?format=car`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.car; version=1; order=dfs; dups=n');
    expect(res.headers.get('content-length')).toBeNull(); // streamed, chunked
    const { roots, blocks } = await carBlocks(res);
    expect(roots.map(String)).toEqual([bigCid.toString()]);
    for (const b of blocks) expect(sha256(b.bytes).equals(Buffer.from(b.cid.multihash.digest))).toBe(true);
    // DFS: the root, then its links in order.
    const rootNode = dagPb.decode(blocks[0]!.bytes);
    expect(blocks[0]!.cid.equals(bigCid)).toBe(true);
    expect(blocks.slice(1).map((b) => b.cid.toString())).toEqual(
      rootNode.Links.map((l) => l.Hash.toString()),
    );
    const store = new Map(blocks.map((b) => [b.cid.toString(), b.bytes]));
    const entry = await exporter(bigCid, {
      get: async function* (c: CID) {
        yield store.get(c.toString())!;
      },
    } as never);
    expect(entry.type).toBe('file');
    const chunks: Uint8Array[] = [];
    for await (const c of (entry as { content(): AsyncIterable<Uint8Array> }).content()) chunks.push(c);
    expect(sha256(Buffer.concat(chunks)).equals(sha256(big))).toBe(true);
  });

  it('honours dups=y / dups=n (1 MiB of zeros = 4 identical leaves)', async () => {
    const dedup = await carBlocks(await fetch(`${url}/ipfs/${zerosCid}?format=car`));
    expect(dedup.blocks).toHaveLength(2);
    const res = await fetch(`${url}/ipfs/${zerosCid}`, {
      headers: { Accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=y' },
    });
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.car; version=1; order=dfs; dups=y');
    expect(res.headers.get('content-location')).toBe(`/ipfs/${zerosCid}?format=car`);
    const withDups = await carBlocks(res);
    expect(withDups.blocks).toHaveLength(5);
  });

  it('dag-scope=block sends only the terminus block; entity on a directory only the directory', async () => {
    const block = await carBlocks(await fetch(`${url}/ipfs/${bigCid}?format=car&dag-scope=block`));
    expect(block.blocks.map((b) => b.cid.toString())).toEqual([bigCid.toString()]);
    const entity = await carBlocks(await fetch(`${url}/ipfs/${dirCid}?format=car&dag-scope=entity`));
    expect(entity.blocks.map((b) => b.cid.toString())).toEqual([dirCid.toString()]);
    const all = await carBlocks(await fetch(`${url}/ipfs/${dirCid}?format=car`));
    expect(all.blocks.length).toBeGreaterThan(5);
  });

  it('a CAR for a path carries the blocks that prove the path, then the terminus DAG', async () => {
    const { roots, blocks } = await carBlocks(await fetch(`${url}/ipfs/${dirCid}/sub/hello.txt?format=car`));
    expect(roots.map(String)).toEqual([HELLO]);
    expect(blocks[0]!.cid.equals(dirCid)).toBe(true);
    expect(blocks[blocks.length - 1]!.cid.toString()).toBe(HELLO);
    expect(blocks).toHaveLength(3);
  });

  it('HEAD on a CAR sends headers only; If-None-Match gives 304', async () => {
    const head = await fetch(`${url}/ipfs/${bigCid}?format=car`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const etag = head.headers.get('etag')!;
    const again = await fetch(`${url}/ipfs/${bigCid}?format=car`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers the identity-CID probe (bafkqaaa) for raw and CAR', async () => {
    const raw = await fetch(`${url}/ipfs/bafkqaaa?format=raw`);
    expect(raw.status).toBe(200);
    expect((await raw.arrayBuffer()).byteLength).toBe(0);
    const car = await carBlocks(await fetch(`${url}/ipfs/bafkqaaa?format=car`));
    expect(car.roots.map(String)).toEqual(['bafkqaaa']);
    expect(car.blocks).toHaveLength(0);
  });

  it('rejects unsupported CAR parameters', async () => {
    for (const q of ['format=car&dag-scope=everything', 'format=car&car-dups=maybe', 'format=yaml']) {
      const res = await fetch(`${url}/ipfs/${HELLO}?${q}`);
      expect(res.status, q).toBe(400);
      await res.arrayBuffer();
    }
    const v2 = await fetch(`${url}/ipfs/${HELLO}?format=car&car-version=2`);
    expect(v2.status).toBe(406);
    await v2.arrayBuffer();
  });
});

describe('errors', () => {
  it('400 for invalid CIDs and paths, 404 for content that is not here (without waiting)', async () => {
    for (const path of ['/ipfs/not-a-cid', '/ipfs/', '/ipfs', `/ipfs/${'Q'.repeat(600)}`, '/ipfs/Qm%ZZ']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toMatch(/invalid|missing/);
    }
    const missing = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const started = Date.now();
    for (const q of ['', '?format=raw', '?format=car']) {
      const res = await fetch(`${url}/ipfs/${missing}${q}`);
      expect(res.status, q).toBe(404);
      await res.arrayBuffer();
    }
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('cuts a CAR stream short when a child block is missing (plain blockstore + pins)', async () => {
    // A second gateway over a blockstore that has lost the second leaf of `big`.
    const root = dagPb.decode(await toBytes(helia.blockstore.get(bigCid as never)));
    const lost = root.Links[1]!.Hash.toString();
    const store = {
      get: (cid: CID, opts?: object) => {
        if (cid.toString() === lost) throw Object.assign(new Error('Not Found'), { name: 'NotFoundError' });
        return helia.blockstore.get(cid as never, opts);
      },
      has: (cid: CID) => cid.toString() !== lost && helia.blockstore.has(cid as never),
      put: helia.blockstore.put.bind(helia.blockstore),
      delete: helia.blockstore.delete.bind(helia.blockstore),
    };
    const holey = await startGateway(helia, {
      helia: undefined,
      blockstore: store as never,
      pins: helia.pins as never,
    });
    try {
      const res = await fetch(`${holey.url}/ipfs/${bigCid}?format=car`);
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
      const file = await fetch(`${holey.url}/ipfs/${bigCid}`);
      expect(file.status).toBe(200);
      await expect(file.arrayBuffer()).rejects.toThrow();
      const leaf = await fetch(`${holey.url}/ipfs/${lost}?format=raw`);
      expect(leaf.status).toBe(404);
      await leaf.arrayBuffer();
      const ok = await fetch(`${holey.url}/ipfs/${HELLO}`);
      expect(await ok.text()).toBe('hello world\n');
    } finally {
      await holey.gateway.stop();
    }
  });

  it('405 with Allow for other methods, 404 for unknown routes', async () => {
    const post = await fetch(`${url}/ipfs/${HELLO}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await post.arrayBuffer();
    const del = await fetch(`${url}/ipfs/${HELLO}`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    await del.arrayBuffer();
    const other = await fetch(`${url}/nothing/here`);
    expect(other.status).toBe(404);
    await other.arrayBuffer();
  });
});

async function toBytes(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}
