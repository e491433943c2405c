/**
 * Delegated Routing V1 (specs.ipfs.tech/routing/http-routing-v1) and the trustless-gateway details added for
 * issue 13: provider records for what is stored (JSON and NDJSON, IPIP-484 filters), peers, IPNS 404, DHT 501,
 * 422 for bad CIDs; `entity-bytes` sending only the blocks that verify the range (checked by @ipld/car's reader
 * and the UnixFS exporter on the client side); `Cache-Control: only-if-cached` → 412.
 */
import { CarBufferReader } from '@ipld/car/buffer-reader';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import type { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway/index.ts';
import { importFiles, pseudoRandom, startGateway, startHelia, type TestHelia } from './helpers.ts';

const FILE = pseudoRandom(1000 * 1024, 5); // four 256 KiB leaves (the last shorter)
const CHUNK = 256 * 1024;
const ABSENT = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';

let helia: TestHelia;
let gateway: Gateway;
let url: string;
let file: CID;
let leaves: string[];

beforeAll(async () => {
  helia = await startHelia();
  ({ gateway, url } = await startGateway(helia));
  file = (await importFiles(helia, [{ path: 'f', content: FILE }]))[0]!.cid as CID;
  const root = dagPb.decode(await collect(helia.blockstore.get(file as never) as never));
  leaves = root.Links.map((l) => l.Hash.toString());
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
});

async function collect(chunks: AsyncIterable<Uint8Array> | Uint8Array): Promise<Uint8Array> {
  if (chunks instanceof Uint8Array) return chunks;
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

async function carBlocks(path: string): Promise<string[]> {
  const res = await fetch(`${url}${path}`);
  expect(res.status).toBe(200);
  const car = CarBufferReader.fromBytes(new Uint8Array(await res.arrayBuffer()));
  return car.blocks().map((b) => b.cid.toString());
}

describe('/routing/v1', () => {
  it('providers of a stored block: this gateway (HTTP record at the address asked) as JSON and NDJSON', async () => {
    const res = await fetch(`${url}/routing/v1/providers/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('vary')).toBe('Accept');
    const { Providers } = (await res.json()) as { Providers: any[] };
    const port = new URL(url).port;
    expect(Providers).toEqual([
      {
        Schema: 'peer',
        ID: expect.any(String),
        Addrs: [`/ip4/127.0.0.1/tcp/${port}/http`],
        Protocols: ['transport-ipfs-gateway-http'],
      },
    ]);
    const nd = await fetch(`${url}/routing/v1/providers/${file}`, {
      headers: { Accept: 'application/x-ndjson' },
    });
    expect(nd.headers.get('content-type')).toBe('application/x-ndjson');
    expect(
      (await nd.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(Providers);
    // Behind a TLS proxy the record names the https address the client used.
    const proxied = await fetch(`${url}/routing/v1/providers/${file}`, {
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'gw.example.org' },
    });
    expect(((await proxied.json()) as any).Providers[0].Addrs).toEqual(['/dns/gw.example.org/tcp/443/https']);
  });

  it('no providers for what is not here (200, empty); IPIP-484 filters; peers by id', async () => {
    expect(await (await fetch(`${url}/routing/v1/providers/${ABSENT}`)).json()).toEqual({ Providers: [] });
    const f = (q: string) =>
      fetch(`${url}/routing/v1/providers/${file}?${q}`).then((r) => r.json() as Promise<any>);
    expect((await f('filter-protocols=transport-bitswap')).Providers).toEqual([]);
    expect((await f('filter-protocols=unknown,transport-ipfs-gateway-http')).Providers).toHaveLength(1);
    expect((await f('filter-addrs=https')).Providers).toEqual([]);
    expect((await f('filter-addrs=http')).Providers).toHaveLength(1);
    expect((await f('filter-addrs=!ip4')).Providers).toEqual([]);
    const id = (await f('')).Providers[0].ID as string;
    expect((await (await fetch(`${url}/routing/v1/peers/${id}`)).json()) as any).toMatchObject({
      Peers: [{ ID: id, Protocols: ['transport-ipfs-gateway-http'] }],
    });
    expect(
      await (
        await fetch(`${url}/routing/v1/peers/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf`)
      ).json(),
    ).toEqual({
      Peers: [],
    });
  });

  it('bad CIDs and peer ids are 422, IPNS is 404 (no record), the DHT API 501, unknown paths 400, writes 405/501', async () => {
    expect((await fetch(`${url}/routing/v1/providers/not-a-cid`)).status).toBe(422);
    expect((await fetch(`${url}/routing/v1/peers/not-a-peer`)).status).toBe(422);
    expect((await fetch(`${url}/routing/v1/peers/${file.toV1()}`)).status).toBe(422); // a CIDv1 that is not libp2p-key
    expect(
      (await fetch(`${url}/routing/v1/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8`))
        .status,
    ).toBe(404);
    expect((await fetch(`${url}/routing/v1/dht/closest/peers/${file}`)).status).toBe(501);
    expect((await fetch(`${url}/routing/v1/nope/x`)).status).toBe(400);
    expect((await fetch(`${url}/routing/v1/providers/${file}`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/routing/v1/ipns/k51q`, { method: 'PUT', body: 'x' })).status).toBe(501);
  });
});

describe('trustless CAR with entity-bytes', () => {
  const car = (range: string) => carBlocks(`/ipfs/${file}?format=car&entity-bytes=${range}`);

  it('sends the root and only the leaves that hold the range', async () => {
    expect(await car('0:*')).toEqual([file.toString(), ...leaves]);
    expect(await car(`0:${CHUNK - 1}`)).toEqual([file.toString(), leaves[0]]);
    expect(await car(`${CHUNK}:${CHUNK}`)).toEqual([file.toString(), leaves[1]]);
    expect(await car(`${CHUNK - 1}:${CHUNK}`)).toEqual([file.toString(), leaves[0], leaves[1]]);
    expect(await car('-1:*')).toEqual([file.toString(), leaves[3]]);
    expect(await car(`${2 * CHUNK}:-${FILE.length - 3 * CHUNK + 1}`)).toEqual([file.toString(), leaves[2]]);
  });

  it('an empty or outside range is the root alone (its blocksizes tell the client why)', async () => {
    expect(await car(`${FILE.length}:*`)).toEqual([file.toString()]);
    expect(await car('10:5')).toEqual([file.toString()]);
    const rootOnly = await fetch(`${url}/ipfs/${file}?format=car&entity-bytes=${FILE.length + 10}:*`);
    const root = CarBufferReader.fromBytes(new Uint8Array(await rootOnly.arrayBuffer())).blocks()[0]!;
    const sizes = UnixFS.unmarshal(dagPb.decode(root.bytes).Data!).blockSizes.map(Number);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(FILE.length);
  });

  it('a directory ignores entity-bytes (dag-scope=entity); etags differ per range', async () => {
    const dir = await importFiles(helia, [{ path: 'd/x', content: 'x' }]);
    const dirCid = dir[dir.length - 1]!.cid.toString();
    expect(await carBlocks(`/ipfs/${dirCid}?format=car&entity-bytes=0:1`)).toEqual([dirCid]);
    const a = await fetch(`${url}/ipfs/${file}?format=car&entity-bytes=0:1`, { method: 'HEAD' });
    const b = await fetch(`${url}/ipfs/${file}?format=car&entity-bytes=0:2`, { method: 'HEAD' });
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
  });
});

describe('only-if-cached and probes', () => {
  it('412 without a body when the root is not here; served as usual when it is', async () => {
    const miss = await fetch(`${url}/ipfs/${ABSENT}`, {
      method: 'HEAD',
      headers: { 'Cache-Control': 'only-if-cached' },
    });
    expect(miss.status).toBe(412);
    const hit = await fetch(`${url}/ipfs/${file}?format=raw`, {
      method: 'HEAD',
      headers: { 'Cache-Control': 'only-if-cached' },
    });
    expect(hit.status).toBe(200);
  });

  it('bafkqaaa: an empty raw block and a CAR rooted at it (trustless-gateway probe paths)', async () => {
    const raw = await fetch(`${url}/ipfs/bafkqaaa?format=raw`);
    expect(raw.status).toBe(200);
    expect((await raw.arrayBuffer()).byteLength).toBe(0);
    const car = await fetch(`${url}/ipfs/bafkqaaa?format=car`);
    expect(
      CarBufferReader.fromBytes(new Uint8Array(await car.arrayBuffer()))
        .getRoots()
        .map(String),
    ).toEqual(['bafkqaaa']);
  });
});
