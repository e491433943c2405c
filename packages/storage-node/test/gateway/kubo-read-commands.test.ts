/**
 * The Kubo RPC reads added for issue 13 through the real `kubo-rpc-client`: ls, refs, files/stat, block/stat,
 * dag/export, swarm/peers, stats/bw, name/resolve — shapes, streaming and Kubo's error bodies.
 *
 * Outside vectors (Kubo's sharness tests):
 * - t0095-refs.sh: the directory A/{1.txt, B/{1.txt, D/2.txt}, C/B/…, D/2.txt} with "1\n"/"2\n" adds as
 *   QmU6xujRsYzcrkocuR3fhfnkZBB8eyUFFq4WKRGw2aS15h; `refs -r`, `refs -r --unique`, `refs`, `--max-depth` 0/1/2 and
 *   `--unique --max-depth=2` print the lists below (copied from the test), `--cid-base=base32` the same upgraded.
 * - t0045-ls.sh: "test\n" → QmeomffUNfmQy76CQGy9NdmqEnnHU9soCexBnGU3ezPHVH (5 bytes), "data\n" →
 *   QmNtocSs7MoDkJMc1RkyisCSKvLadujPsfJfSdJ3e1eA1M, "hello\n" → QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN (6),
 *   "world\n" → QmaRGe7bVmVaLmxbrMiVNXqW4pRNNp3xq7hFtyRKA3mtJL; directories listed with "-" (no file size).
 * - `ipfs add` of "hello world\n" → QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o, Size 20 (the cumulative size).
 */
import { CarBufferReader } from '@ipld/car/buffer-reader';
import { create } from 'kubo-rpc-client';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway/index.ts';
import { importFiles, pseudoRandom, startGateway, startHelia, type TestHelia } from './helpers.ts';

const REFS_ROOT = 'QmU6xujRsYzcrkocuR3fhfnkZBB8eyUFFq4WKRGw2aS15h';
const T1 = 'QmdytmR4wULMd3SLo6ePF4s3WcRHWcpnJZ7bHhoj3QB13v'; // 1.txt
const B = 'QmNkQvpiyAEtbeLviC7kqfifYoK1GXPcsSxTpP1yS3ykLa';
const D = 'QmSanP5DpxpqfDdS4yekHY1MqrVge47gtxQcp2e2yZ4UwS';
const T2 = 'QmSFxnK675wQ9Kc1uqWKyJUaNxvSc2BP5DbXCD3x93oq61'; // 2.txt
const C = 'QmXXazTjeNCKFnpW1D65vTKsTs8fbgkCWTv8Em4pdK2coH';
const REFS_R = [T1, B, T1, D, T2, C, B, T1, D, T2, D, T2];
const REFS_RU = [T1, B, D, T2, C];
const REFS_1 = [T1, B, C, D];
const REFS_R_DEPTH2 = [T1, B, T1, D, C, B, D, T2];
const REFS_RU_DEPTH2 = [T1, B, D, C, T2];

const HELLO = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';

let helia: TestHelia;
let gateway: Gateway;
let url: string;
let ipfs: ReturnType<typeof create>;
let lsRoot: CID;
let bigFile: CID;
const BIG = pseudoRandom(700 * 1024, 21);

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function rpc(path: string): Promise<Response> {
  return fetch(`${url}/api/v0/${path}`, { method: 'POST' });
}

async function kuboError(res: Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json');
  const body = (await res.json()) as { Message: string; Code: number; Type: string };
  expect(body).toEqual({
    Message: expect.stringMatching(message),
    Code: status === 500 ? 0 : 1,
    Type: 'error',
  });
}

beforeAll(async () => {
  helia = await startHelia();
  ({ gateway, url } = await startGateway(helia));
  ipfs = create({ url: `${url}/api/v0` });
  const refs = await importFiles(helia, [
    { path: 'A/1.txt', content: '1\n' },
    { path: 'A/B/1.txt', content: '1\n' },
    { path: 'A/B/D/2.txt', content: '2\n' },
    { path: 'A/C/B/1.txt', content: '1\n' },
    { path: 'A/C/B/D/2.txt', content: '2\n' },
    { path: 'A/D/2.txt', content: '2\n' },
  ]);
  expect(refs[refs.length - 1]!.cid.toString()).toBe(REFS_ROOT);
  const ls = await importFiles(helia, [
    { path: 'testData/f1', content: 'test\n' },
    { path: 'testData/f2', content: 'data\n' },
    { path: 'testData/d1/a', content: 'hello\n' },
    { path: 'testData/d2/a', content: 'world\n' },
  ]);
  lsRoot = ls[ls.length - 1]!.cid as CID;
  bigFile = (await importFiles(helia, [{ path: 'big.bin', content: BIG }]))[0]!.cid as CID;
  await importFiles(helia, [{ path: 'hello', content: 'hello world\n' }]);
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
});

describe('refs (Kubo t0095-refs vectors)', () => {
  const refsOf = async (opts: Record<string, unknown>, root = REFS_ROOT) =>
    (await all(ipfs.refs(root, opts as never))).map((r) => (r as { ref: string }).ref);

  it('-r, -r --unique, direct, --max-depth 0/1/2, --unique --max-depth=2', async () => {
    expect(await refsOf({ recursive: true })).toEqual(REFS_R);
    expect(await refsOf({ recursive: true, unique: true })).toEqual(REFS_RU);
    expect(await refsOf({})).toEqual(REFS_1);
    expect(await refsOf({ recursive: true, maxDepth: 0 })).toEqual([]);
    expect(await refsOf({ recursive: true, maxDepth: 1 })).toEqual(REFS_1);
    expect(await refsOf({ recursive: true, maxDepth: 2 })).toEqual(REFS_R_DEPTH2);
    expect(await refsOf({ recursive: true, unique: true, maxDepth: 2 })).toEqual(REFS_RU_DEPTH2);
  });

  it('--cid-base=base32 prints the same refs upgraded to CIDv1', async () => {
    const b32 = (c: string) => CID.parse(c).toV1().toString();
    expect(await refsOf({ recursive: true, unique: true, cidBase: 'base32' })).toEqual(REFS_RU.map(b32));
  });

  it('--format with <src> <dst> <linkname>, --edges; format and edges together is an error', async () => {
    const lines = await refsOf({ format: '<src> <linkname> <dst>' });
    expect(lines).toEqual([
      `${REFS_ROOT} 1.txt ${T1}`,
      `${REFS_ROOT} B ${B}`,
      `${REFS_ROOT} C ${C}`,
      `${REFS_ROOT} D ${D}`,
    ]);
    expect(await refsOf({ edges: true })).toEqual(REFS_1.map((r) => `${REFS_ROOT} -> ${r}`));
    await kuboError(
      await rpc(`refs?arg=${REFS_ROOT}&edges=true&format=%3Clinkname%3E`),
      500,
      /using format argument with edges is not allowed/,
    );
  });

  it('streams {"Ref","Err"} lines; a path inside the DAG works; refs of a chunked file are its leaves', async () => {
    const res = await rpc(`refs?arg=/ipfs/${REFS_ROOT}/B`);
    expect(res.headers.get('x-chunked-output')).toBe('1');
    expect(await res.text()).toBe(`{"Ref":"${T1}","Err":""}\n{"Ref":"${D}","Err":""}\n`);
    const leaves = await refsOf({}, bigFile.toString());
    expect(leaves).toHaveLength(3); // 700 KiB in 256 KiB chunks
  });

  it('a block missing under a root is an Err line, and the next root still gets its refs', async () => {
    // A dag-pb node linking to a block that is not stored here.
    const dagPb = await import('@ipld/dag-pb');
    const { sha256 } = await import('multiformats/hashes/sha2');
    const absent = CID.createV1(0x55, await sha256.digest(new TextEncoder().encode('absent')));
    const node = dagPb.encode({
      Data: new Uint8Array([8, 1]),
      Links: [{ Hash: absent, Name: 'gone', Tsize: 6 }],
    });
    const cid = CID.createV1(0x70, await sha256.digest(node));
    await helia.blockstore.put(cid as never, node);
    const res = await rpc(`refs?arg=${cid}&recursive=true&arg=${REFS_ROOT}`);
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ Ref: '', Err: expect.stringMatching(/not found|could not find/) });
    expect(lines.slice(1).map((l) => l.Ref)).toEqual(REFS_R);
  });

  it('refs/local lists stored blocks as CIDv1 raw', async () => {
    const res = await rpc('refs/local');
    const refs = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).Ref as string);
    expect(refs).toContain(CID.createV1(0x55, CID.parse(T1).multihash).toString());
  });
});

describe('ls (Kubo t0045-ls vectors)', () => {
  it('lists a directory: files with their size and type 2, directories with type 1, sorted by name', async () => {
    const entries = await all(ipfs.ls(lsRoot));
    expect(entries.map((e) => [e.name, e.type, e.size, e.cid.toString()])).toEqual([
      ['d1', 'dir', 0, expect.any(String)],
      ['d2', 'dir', 0, expect.any(String)],
      ['f1', 'file', 5, 'QmeomffUNfmQy76CQGy9NdmqEnnHU9soCexBnGU3ezPHVH'],
      ['f2', 'file', 5, 'QmNtocSs7MoDkJMc1RkyisCSKvLadujPsfJfSdJ3e1eA1M'],
    ]);
    const d1 = await all(ipfs.ls(`/ipfs/${lsRoot}/d1`));
    expect(d1.map((e) => [e.name, e.size, e.cid.toString()])).toEqual([
      ['a', 6, 'QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN'],
    ]);
  });

  it("answers Kubo's JSON: Objects[{Hash: path as given, Links[{Name,Hash,Size,Type,Target,Mode,ModTime}]}]", async () => {
    const res = await rpc(`ls?arg=/ipfs/${lsRoot}/d2`);
    expect(await res.json()).toEqual({
      Objects: [
        {
          Hash: `/ipfs/${lsRoot}/d2`,
          Links: [
            {
              Name: 'a',
              Hash: 'QmaRGe7bVmVaLmxbrMiVNXqW4pRNNp3xq7hFtyRKA3mtJL',
              Size: 6,
              Type: 2,
              Target: '',
              Mode: 0,
              ModTime: '0001-01-01T00:00:00Z',
            },
          ],
        },
      ],
    });
  });

  it('stream=true sends a line per link; resolve-type=false&size=false leaves dag-pb children unread', async () => {
    const res = await rpc(`ls?arg=${lsRoot}&stream=true`);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l.Objects[0].Links).toHaveLength(1);
    const bare = (await (await rpc(`ls?arg=${lsRoot}&resolve-type=false&size=false`)).json()) as any;
    expect(bare.Objects[0].Links.map((l: any) => [l.Type, l.Size])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('a chunked file lists its leaves (unnamed); a single-block file lists nothing and the client shows the file', async () => {
    const leaves = (await (await rpc(`ls?arg=${bigFile}`)).json()) as any;
    expect(leaves.Objects[0].Links.map((l: any) => [l.Name, l.Type, l.Size])).toEqual([
      ['', 2, 262144],
      ['', 2, 262144],
      ['', 2, 700 * 1024 - 2 * 262144],
    ]);
    const [one] = await all(ipfs.ls(HELLO));
    expect(one).toMatchObject({ cid: CID.parse(HELLO), type: 'file' });
  });

  it('bad and missing paths: Kubo error bodies', async () => {
    await kuboError(await rpc('ls'), 400, /argument "ipfs-path" is required/);
    await kuboError(await rpc('ls?arg=not-a-cid'), 400, /invalid CID/);
    await kuboError(await rpc(`ls?arg=/ipfs/${lsRoot}/nope`), 500, /No link|not found/i);
    await kuboError(await rpc('ls?arg=/ipns/example.com'), 400, /no IPNS/);
  });
});

describe('files/stat of /ipfs/ paths', () => {
  it('a file: Size, CumulativeSize (Kubo add reports 20 for "hello world\\n"), Blocks, Type', async () => {
    const stat = await ipfs.files.stat(`/ipfs/${HELLO}`);
    expect(stat).toMatchObject({
      cid: CID.parse(HELLO),
      size: 12,
      cumulativeSize: 20,
      blocks: 0,
      type: 'file',
    });
    const res = await rpc(`files/stat?arg=/ipfs/${HELLO}`);
    expect(await res.json()).toEqual({ Hash: HELLO, Size: 12, CumulativeSize: 20, Blocks: 0, Type: 'file' });
  });

  it('a directory, a path inside it, a chunked file; with-local counts what is here', async () => {
    expect(await ipfs.files.stat(`/ipfs/${lsRoot}`)).toMatchObject({ type: 'directory', blocks: 4, size: 0 });
    expect(await ipfs.files.stat(`/ipfs/${lsRoot}/d1/a`)).toMatchObject({ size: 6, type: 'file' });
    const big = (await (await rpc(`files/stat?arg=/ipfs/${bigFile}&with-local=true`)).json()) as any;
    expect(big).toMatchObject({ Size: BIG.length, Blocks: 3, Type: 'file', WithLocality: true, Local: true });
    expect(big.SizeLocal).toBe(big.CumulativeSize);
  });

  it('MFS paths and conflicting formats are refused with Kubo bodies', async () => {
    await kuboError(await rpc('files/stat?arg=/'), 500, /no MFS/);
    await kuboError(
      await rpc(`files/stat?arg=/ipfs/${HELLO}&hash=true&size=true`),
      400,
      /format was set by multiple options/,
    );
    await kuboError(await rpc('files/ls?arg=/'), 500, /no MFS/);
  });
});

describe('block/stat and dag/export', () => {
  it('block/stat: {Key, Size}; a missing block is a 500 with Kubo body', async () => {
    expect(await ipfs.block.stat(CID.parse(HELLO))).toEqual({ cid: CID.parse(HELLO), size: 20 });
    const absent = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';
    await kuboError(await rpc(`block/stat?arg=${absent}`), 500, /not found locally/);
    await kuboError(await rpc('block/stat?arg=bafy!'), 400, /invalid CID/);
  });

  it('dag/export: a CAR v1 with the root, then each block once depth first (the order of refs -r --unique)', async () => {
    const bytes = Buffer.concat(await all(ipfs.dag.export(CID.parse(REFS_ROOT))));
    const car = CarBufferReader.fromBytes(bytes);
    expect(car.version).toBe(1);
    expect(car.getRoots().map(String)).toEqual([REFS_ROOT]);
    expect(car.blocks().map((b) => b.cid.toString())).toEqual([REFS_ROOT, ...REFS_RU]);
    const res = await rpc(`dag/export?arg=${REFS_ROOT}`);
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.car');
    expect(res.headers.get('x-stream-output')).toBe('1');
    await res.arrayBuffer();
  });

  it('dag/export of a missing root is a status, not an empty CAR', async () => {
    const absent = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';
    await kuboError(await rpc(`dag/export?arg=${absent}`), 500, /not found/);
  });
});

describe('swarm/peers, stats/bw, name/resolve', () => {
  it('swarm/peers of a node with no connections: {"Peers":null}, [] through the client', async () => {
    expect(await ipfs.swarm.peers()).toEqual([]);
    expect(await (await rpc('swarm/peers')).json()).toEqual({ Peers: null });
  });

  it("stats/bw: Kubo's totals grow with traffic; poll streams a line per interval", async () => {
    const first = (await all(ipfs.stats.bw()))[0]!;
    await fetch(`${url}/ipfs/${bigFile}`).then((r) => r.arrayBuffer());
    const second = (await all(ipfs.stats.bw()))[0]!;
    expect(second.totalOut - first.totalOut).toBeGreaterThan(BigInt(BIG.length));
    expect(second.totalIn).toBeGreaterThan(first.totalIn);
    const controller = new AbortController();
    const res = await fetch(`${url}/api/v0/stats/bw?poll=true&interval=150ms`, {
      method: 'POST',
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (text.split('\n').length < 3) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const lines = text.split('\n').filter((l) => l !== '');
    for (const l of lines.slice(0, 2))
      expect(Object.keys(JSON.parse(l))).toEqual(['TotalIn', 'TotalOut', 'RateIn', 'RateOut']);
    await kuboError(await rpc('stats/bw?peer=QmX&proto=/ipfs/bitswap'), 400, /only specify peer OR protocol/);
  });

  it('name/resolve: an /ipfs/ path is itself; an IPNS name fails with "could not resolve name"', async () => {
    expect(await all(ipfs.name.resolve(`/ipfs/${HELLO}`))).toEqual([`/ipfs/${HELLO}`]);
    await expect(
      all(ipfs.name.resolve('k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8')),
    ).rejects.toThrow(/could not resolve name/);
    await kuboError(await rpc('name/resolve?arg=example.com'), 500, /could not resolve name/);
  });
});
