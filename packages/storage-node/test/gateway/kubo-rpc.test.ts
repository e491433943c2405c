/**
 * Uploading through the Kubo RPC subset: a plain HTTP client and the real `kubo-rpc-client` from npm.
 * External vectors: `echo "hello world" | ipfs add` → QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o and the
 * empty file → QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH (Kubo defaults, quoted across the IPFS docs);
 * `ipfs add --cid-version=1` of the 11 bytes "hello world" → bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e
 * (a single raw leaf, so it is the sha2-256 of the bytes; "hello world\n" with the newline is bafkreifjjcie…).
 */
import { create } from 'kubo-rpc-client';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway/index.ts';
import {
  add,
  basic,
  ethereumAuth,
  ndjson,
  pinCount,
  pseudoRandom,
  startGateway,
  startHelia,
  substrateAuth,
  type TestHelia,
} from './helpers.ts';

const HELLO = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';
const EMPTY = 'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH';
const HELLO_V1_NO_NEWLINE = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';

let helia: TestHelia;
let gateway: Gateway;
let url: string;
let alice: Awaited<ReturnType<typeof substrateAuth>>;

beforeAll(async () => {
  helia = await startHelia();
  ({ gateway, url } = await startGateway(helia));
  alice = await substrateAuth('//Alice');
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
});

async function isPinned(cid: string): Promise<boolean> {
  const res = await fetch(`${url}/api/v0/pin/ls?arg=${cid}`, { method: 'POST' });
  await res.arrayBuffer();
  return res.status === 200;
}

describe('/api/v0/add with W3Auth', () => {
  it('adds `hello world\\n` with an sr25519 signature: Kubo CID, Kubo NDJSON, pinned, served', async () => {
    const res = await add(url, alice.header, [{ path: 'hello.txt', content: 'hello world\n' }]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await ndjson(res)).toEqual([{ Name: 'hello.txt', Hash: HELLO, Size: '20' }]);
    expect(await isPinned(HELLO)).toBe(true);
    const get = await fetch(`${url}/ipfs/${HELLO}`);
    expect(await get.text()).toBe('hello world\n');
  });

  it('adds the empty file (Kubo: QmbFMke1…)', async () => {
    const res = await add(url, alice.header, [{ path: 'empty', content: '' }]);
    expect((await ndjson(res))[0]).toMatchObject({ Hash: EMPTY, Size: '6' });
    const get = await fetch(`${url}/ipfs/${EMPTY}`);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('');
  });

  it('honours cid-version=1 (raw leaves), raw-leaves and chunker like Kubo', async () => {
    const v1 = await ndjson(
      await add(url, alice.header, [{ path: 'h', content: 'hello world' }], '?cid-version=1'),
    );
    expect(v1[0].Hash).toBe(HELLO_V1_NO_NEWLINE);
    const v1nl = await ndjson(
      await add(url, alice.header, [{ path: 'h', content: 'hello world\n' }], '?cid-version=1'),
    );
    expect(CID.parse(v1nl[0].Hash).code).toBe(0x55); // raw leaf
    // 600 KiB in 100 KiB chunks → 6 leaves under one root: same bytes come back.
    const data = pseudoRandom(600 * 1024, 3);
    const chunked = await ndjson(
      await add(url, alice.header, [{ path: 'c', content: data }], '?chunker=size-102400'),
    );
    const raw = await fetch(`${url}/ipfs/${chunked[0].Hash}?format=raw`);
    const { decode } = await import('@ipld/dag-pb');
    expect(decode(new Uint8Array(await raw.arrayBuffer())).Links).toHaveLength(6);
    const back = new Uint8Array(await (await fetch(`${url}/ipfs/${chunked[0].Hash}`)).arrayBuffer());
    expect(Buffer.from(back).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses options it cannot honour with a Kubo 400', async () => {
    for (const q of [
      '?cid-version=7',
      '?chunker=rabin',
      '?hash=blake2b-256',
      '?pin=maybe',
      '?trickle=true',
    ]) {
      const res = await add(url, alice.header, [{ path: 'x', content: 'x' }], q);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as any;
      expect(body, q).toMatchObject({ Code: 1, Type: 'error' });
      expect(typeof body.Message).toBe('string');
    }
  });

  it('pin=false leaves the content unpinned', async () => {
    const res = await add(url, alice.header, [{ path: 'u', content: 'unpinned content' }], '?pin=false');
    const [line] = await ndjson(res);
    expect(await isPinned(line.Hash)).toBe(false);
    expect((await fetch(`${url}/ipfs/${line.Hash}`)).status).toBe(200);
  });

  it('adds several files and directories, wraps them, and pins only the root', async () => {
    const res = await add(
      url,
      alice.header,
      [
        { path: 'a.txt', content: 'A' },
        { path: 'sub', dir: true },
        { path: 'sub/b c.txt', content: 'B' },
      ],
      '?wrap-with-directory=true',
    );
    const lines = await ndjson(res);
    expect(lines.map((l) => l.Name)).toEqual(expect.arrayContaining(['a.txt', 'sub', 'sub/b c.txt']));
    // The wrapping directory comes last, unnamed (Kubo / interface-ipfs-core: root.path === '').
    expect(lines[lines.length - 1].Name).toBe('');
    const root = lines[lines.length - 1].Hash;
    expect(await fetch(`${url}/ipfs/${root}/sub/b%20c.txt`).then((r) => r.text())).toBe('B');
    expect(await isPinned(root)).toBe(true);
    expect(await isPinned(lines.find((l) => l.Name === 'a.txt').Hash)).toBe(false);
  });

  it('quieter sends only the root line; progress streams Bytes lines first', async () => {
    const quieter = await ndjson(
      await add(
        url,
        alice.header,
        [
          { path: 'q1', content: '1' },
          { path: 'q2', content: '2' },
        ],
        '?quieter=true&wrap-with-directory=true',
      ),
    );
    expect(quieter).toHaveLength(1);
    const progress = await ndjson(
      await add(url, alice.header, [{ path: 'p', content: pseudoRandom(700 * 1024) }], '?progress=true'),
    );
    const bytes = progress.filter((l) => l.Bytes !== undefined);
    expect(bytes.length).toBeGreaterThan(1);
    expect(bytes[bytes.length - 1]).toEqual({ Name: 'p', Bytes: 700 * 1024 });
    expect(progress[progress.length - 1].Hash).toMatch(/^Qm/);
  });

  it('accepts ed25519 and ecdsa substrate keys, and Ethereum personal_sign', async () => {
    for (const auth of [
      await substrateAuth('//Bob', 'ed25519'),
      await substrateAuth('//Charlie', 'ecdsa'),
      await ethereumAuth(),
    ]) {
      const res = await add(url, auth.header, [{ path: 'k', content: `key ${auth.address}` }]);
      expect(res.status, auth.address).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('only answers POST (GET → 405 with Allow: POST, like Kubo)', async () => {
    const res = await fetch(`${url}/api/v0/add`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ Type: 'error' });
    const unknown = await fetch(`${url}/api/v0/shutdown`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    await unknown.arrayBuffer();
  });
});

describe('other commands over plain HTTP', () => {
  it('cat with offset/length, block/get, and Kubo errors for directories and missing content', async () => {
    const cat = await fetch(`${url}/api/v0/cat?arg=/ipfs/${HELLO}&offset=6&length=5`, { method: 'POST' });
    expect(await cat.text()).toBe('world');
    const block = await fetch(`${url}/api/v0/block/get?arg=${HELLO}`, { method: 'POST' });
    const bytes = new Uint8Array(await block.arrayBuffer());
    expect(bytes.length).toBe(20);
    const dir = await ndjson(await add(url, alice.header, [{ path: 'd/x', content: 'x' }]));
    const dirCid = dir[dir.length - 1].Hash;
    const catDir = await fetch(`${url}/api/v0/cat?arg=${dirCid}`, { method: 'POST' });
    expect(catDir.status).toBe(500);
    expect(await catDir.json()).toEqual({ Message: 'this dag node is a directory', Code: 0, Type: 'error' });
    const missing = await fetch(
      `${url}/api/v0/cat?arg=bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy`,
      {
        method: 'POST',
      },
    );
    expect(missing.status).toBe(500);
    expect(((await missing.json()) as any).Message).toMatch(/not found/);
    const noArg = await fetch(`${url}/api/v0/cat`, { method: 'POST' });
    expect(noArg.status).toBe(400);
    expect(await noArg.json()).toMatchObject({ Code: 1, Type: 'error' });
    const badCid = await fetch(`${url}/api/v0/block/get?arg=zzz`, { method: 'POST' });
    expect(badCid.status).toBe(400);
    await badCid.arrayBuffer();
  });

  it('pin/add, pin/ls and pin/rm need W3Auth for writes only', async () => {
    const [line] = await ndjson(
      await add(url, alice.header, [{ path: 'p', content: 'pin me' }], '?pin=false'),
    );
    const noAuth = await fetch(`${url}/api/v0/pin/add?arg=${line.Hash}`, { method: 'POST' });
    expect(noAuth.status).toBe(401);
    await noAuth.arrayBuffer();
    const pinned = await fetch(`${url}/api/v0/pin/add?arg=${line.Hash}`, {
      method: 'POST',
      headers: { Authorization: alice.header },
    });
    expect(await pinned.json()).toEqual({ Pins: [line.Hash] });
    const ls = await fetch(`${url}/api/v0/pin/ls?arg=${line.Hash}`, { method: 'POST' });
    expect(await ls.json()).toEqual({ Keys: { [line.Hash]: { Name: '', Type: 'recursive' } } });
    const rmNoAuth = await fetch(`${url}/api/v0/pin/rm?arg=${line.Hash}`, { method: 'POST' });
    expect(rmNoAuth.status).toBe(401);
    await rmNoAuth.arrayBuffer();
    const rm = await fetch(`${url}/api/v0/pin/rm?arg=${line.Hash}`, {
      method: 'POST',
      headers: { Authorization: alice.header },
    });
    expect(await rm.json()).toEqual({ Pins: [line.Hash] });
    const lsAfter = await fetch(`${url}/api/v0/pin/ls?arg=${line.Hash}`, { method: 'POST' });
    expect(lsAfter.status).toBe(500);
    expect(((await lsAfter.json()) as any).Message).toBe(`path '${line.Hash}' is not pinned`);
    const missingPin = await fetch(
      `${url}/api/v0/pin/add?arg=bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy`,
      {
        method: 'POST',
        headers: { Authorization: alice.header },
      },
    );
    expect(missingPin.status).toBe(500);
    await missingPin.arrayBuffer();
  });
});

describe('kubo-rpc-client against the gateway', () => {
  it('add, cat, pin.ls, block.get, id, version', async () => {
    const client = create({ url: `${url}/api/v0`, headers: { authorization: alice.header } });
    const added = await client.add(new TextEncoder().encode('hello world\n'));
    expect(added.cid.toString()).toBe(HELLO);
    expect(added.size).toBe(20);
    const chunks: Uint8Array[] = [];
    for await (const c of client.cat(added.cid)) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('hello world\n');
    const pins = [];
    for await (const p of client.pin.ls({ paths: [added.cid] })) pins.push(p);
    expect(pins.map((p) => [p.cid.toString(), p.type])).toEqual([[HELLO, 'recursive']]);
    const all = [];
    for await (const p of client.pin.ls()) all.push(p.cid.toString());
    expect(all).toContain(HELLO);
    const block = await client.block.get(added.cid);
    expect(block.length).toBe(20);
    const id = await client.id();
    expect(id.id.toString()).toBe(helia.libp2p.peerId.toString());
    expect(id.agentVersion).toMatch(/^xstorage-gateway\//);
    const version = await client.version();
    expect(typeof version.version).toBe('string');
    expect(await pinCount(helia)).toBeGreaterThan(0);
  });

  it('addAll with directories and wrapWithDirectory', async () => {
    const client = create({ url: `${url}/api/v0`, headers: { authorization: alice.header } });
    const out = [];
    for await (const e of client.addAll(
      [
        { path: 'w/one.txt', content: new TextEncoder().encode('one') },
        { path: 'w/two.txt', content: new TextEncoder().encode('two') },
      ],
      { wrapWithDirectory: true },
    )) {
      out.push(e);
    }
    const root = out[out.length - 1]!.cid;
    expect(await fetch(`${url}/ipfs/${root}/w/two.txt`).then((r) => r.text())).toBe('two');
  });

  it('surfaces a failed W3Auth as an HTTP error in the client', async () => {
    const client = create({
      url: `${url}/api/v0`,
      headers: { authorization: basic(`sub-${alice.address}:0x00`) },
    });
    await expect(client.add(new TextEncoder().encode('nope'))).rejects.toThrow(/Invalid Signature/);
  });
});
