/**
 * A storage node process (`xstorage storage-node --gateway-port 0`, the bundled command) against the hostile
 * clients of issue 14: the 234-byte multipart upload that killed it (authenticated by a key made a moment
 * before, as W3Auth accepts any key), uploads whose bodies drip in, an upload flood from one address, slow
 * request heads, and CIDs with an unknown codec. It answers each with a 4xx, keeps serving a well-behaved
 * client, and stays alive. Timeouts are shrunk with the node's flags.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, substrateAuth } from '../../../storage-node/test/gateway/helpers.ts';
import {
  killStorageNodeProcesses,
  type Running,
  xstorage,
} from '../../../storage-node/test/ipfs/storage-node-process.ts';
import { hostileMultipart, loopback, slowHeaderSockets, slowUpload } from './kit.ts';

let dir: string;
let node: Running;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xstorage-hostile-sn-'));
  node = xstorage([
    '--base-path',
    join(dir, 'sn'),
    '--gateway-port',
    '0',
    '--json',
    '--gateway-upload-timeout',
    '1',
    '--gateway-header-timeout',
    '1',
    // Every request here uses a key made for it: the signature-check ration (4/s by default) is tested in
    // test/gateway/upload-limits.test.ts and would only make these tests wait.
    '--gateway-auth-rate',
    '1000',
  ]);
  url = (await node.next('started')).gateway as string;
});

afterAll(async () => {
  killStorageNodeProcesses();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A key made just now: W3Auth, as Crust's public gateways run it, accepts any. */
async function freshKey(): Promise<string> {
  return (await substrateAuth(`//hostile/${Date.now()}/${Math.random()}`)).header;
}

function alive(): void {
  expect(node.child.exitCode).toBeNull();
  expect(node.child.signalCode).toBeNull();
}

async function version(): Promise<number> {
  const res = await fetch(`${url}/api/v0/version`, { method: 'POST' });
  await res.arrayBuffer();
  return res.status;
}

function post(body: Buffer, headers: Record<string, string>, localAddress = loopback(1)) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const u = new URL(`${url}/api/v0/add`);
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers, localAddress },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the multipart upload that killed the storage node', () => {
  it('each hostile body with a fresh key: 400, and the node keeps serving', async () => {
    for (const kind of ['traversal', 'bad-escape', 'too-many-parts'] as const) {
      const { body, contentType } = hostileMultipart(kind);
      const res = await post(body, { Authorization: await freshKey(), 'Content-Type': contentType });
      expect(res.status, kind).toBe(400);
      alive();
      expect(await version()).toBe(200);
    }
  });
});

describe('slow and flooding uploaders', () => {
  it('bodies that drip are cut at the body timeout (408) while a normal upload goes through', async () => {
    const boundary = 'drip';
    const drips = await Promise.all([
      ...Array.from({ length: 5 }, async () =>
        slowUpload(`${url}/api/v0/add`, {
          headers: {
            Authorization: await freshKey(),
            'Content-Type': `multipart/form-data; boundary=${boundary}`,
          },
          first: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="d"\r\n\r\n`,
          intervalMs: 100,
          totalBytes: 1024 * 1024,
        }),
      ),
      (async () => {
        const { body, contentType } = multipart([{ path: 'ok.txt', content: 'a normal upload' }]);
        const ok = await post(body, { Authorization: await freshKey(), 'Content-Type': contentType });
        expect(ok.status).toBe(200);
        return { status: 0, sent: 0, ms: 0 };
      })(),
    ]);
    for (const d of drips.slice(0, 5)) {
      expect(d.status).toBe(408);
      expect(d.ms).toBeLessThan(3000);
    }
    alive();
  });

  it('30 held uploads from 127.0.0.2 with fresh keys: past 16 they get 429; 127.0.0.1 still uploads', async () => {
    const boundary = 'flood';
    const flood = Array.from({ length: 30 }, async () =>
      slowUpload(`${url}/api/v0/add`, {
        headers: {
          Authorization: await freshKey(),
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
        },
        first: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`,
        intervalMs: 20,
        totalBytes: 1024 * 1024,
        localAddress: loopback(2),
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const { body, contentType } = multipart([{ path: 'mine.txt', content: 'from another address' }]);
    const mine = await post(body, { Authorization: await freshKey(), 'Content-Type': contentType });
    expect(mine.status).toBe(200);
    const statuses = (await Promise.all(flood)).map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBe(14);
    expect(statuses.filter((s) => s === 408).length).toBe(16);
    alive();
  });

  it('slow request heads get 408 within the header timeout', async () => {
    const s = slowHeaderSockets(url, 10, { localAddress: loopback(3), intervalMs: 100 });
    const closed = await s.closed;
    for (const ms of closed) expect(ms).toBeLessThan(2500);
    alive();
  });
});

describe('CIDs the gateway cannot read', () => {
  it('an unknown codec is a 400 on the path gateway and the Kubo RPC', async () => {
    const cid = CID.createV1(0x300000, await sha256.digest(new Uint8Array([7])));
    const get = await fetch(`${url}/ipfs/${cid}`);
    expect(get.status).toBe(400);
    await get.arrayBuffer();
    const cat = await fetch(`${url}/api/v0/cat?arg=${cid}`, { method: 'POST' });
    expect(cat.status).toBe(400);
    await cat.arrayBuffer();
    alive();
  });
});
