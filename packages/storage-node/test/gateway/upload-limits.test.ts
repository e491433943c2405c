/**
 * What one client may cost the gateway (issue 14): slow upload bodies are cut by the body-time rule (Apache
 * mod_reqtimeout's `body=…,MinRate=…`), uploads in flight are capped per address and per W3Auth identity, an
 * identity has a byte quota per window, and a CID with a codec the gateway cannot read is a 400, not a 500.
 * Other clients are served throughout. Timeouts are shrunk through the gateway's options.
 */
import { request } from 'node:http';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loopback, slowHeaderSockets, slowUpload } from '../../../node/test/hostile/kit.ts';
import type { Gateway, GatewayOptions } from '../../src/gateway/index.ts';
import {
  blockCount,
  multipart,
  pseudoRandom,
  startGateway,
  startHelia,
  substrateAuth,
  type TestHelia,
} from './helpers.ts';

let helia: TestHelia;
const gateways: Gateway[] = [];
const auth: Record<string, string> = {};

beforeAll(async () => {
  helia = await startHelia();
  for (const who of ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve'])
    auth[who] = (await substrateAuth(who)).header;
});
afterEach(async () => {
  for (const g of gateways.splice(0)) await g.stop();
});
afterAll(async () => {
  await helia?.stop();
});

async function gateway(options: Partial<GatewayOptions>): Promise<{ gateway: Gateway; url: string }> {
  const g = await startGateway(helia, options);
  gateways.push(g.gateway);
  return g;
}

/** A POST of `body` from `localAddress` (node:http: fetch cannot pick the source address). */
function post(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  localAddress = loopback(1),
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers, localAddress },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function addFrom(url: string, who: string, content: Uint8Array | string, localAddress?: string) {
  const { body, contentType } = multipart([{ path: 'f.bin', content }]);
  return post(
    `${url}/api/v0/add`,
    body,
    { Authorization: auth[who]!, 'Content-Type': contentType },
    localAddress,
  );
}

/** A multipart upload head then one byte every `intervalMs`: held open until the gateway decides. */
function dripUpload(url: string, who: string, opts: { intervalMs: number; localAddress?: string }) {
  const boundary = 'drip';
  return slowUpload(`${url}/api/v0/add`, {
    headers: { Authorization: auth[who]!, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    first: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow"\r\n\r\n`,
    chunk: 'x',
    intervalMs: opts.intervalMs,
    totalBytes: 10 * 1024 * 1024,
    localAddress: opts.localAddress,
  });
}

describe('slow upload bodies', () => {
  it('a body dripping a byte every 50 ms is cut at the body timeout with 408; fast uploads pass', async () => {
    const { url, gateway: g } = await gateway({
      uploadLimits: { bodyTimeoutMs: 600, minBytesPerSecond: 1000 },
    });
    const before = await blockCount(helia);
    const slow = await Promise.all([1, 2, 3].map(() => dripUpload(url, '//Alice', { intervalMs: 50 })));
    for (const r of slow) {
      expect(r.status).toBe(408);
      // 600 ms plus one second per 1000 bytes: the 12-odd bytes sent add ~12 ms.
      expect(r.ms).toBeLessThan(600 + 1500);
    }
    expect(g.uploadsInFlight).toBe(0);
    expect(await blockCount(helia)).toBe(before);
    // 200 KiB in one go: well within 600 ms + 200 s.
    const ok = await addFrom(url, '//Bob', pseudoRandom(200 * 1024, 3));
    expect(ok.status).toBe(200);
  });

  it('a slow-header socket gets 408 within the header timeout', async () => {
    const { url } = await gateway({ headerTimeoutMs: 400 });
    const s = slowHeaderSockets(url, 3, { intervalMs: 50 });
    const closed = await s.closed;
    for (const ms of closed) expect(ms).toBeLessThan(1500);
    expect(s.answers).toEqual(Array(3).fill('HTTP/1.1 408 Request Timeout'));
  });
});

describe('uploads in flight per identity and per address', () => {
  it('a third upload of one identity waits its turn (429); other identities are served', async () => {
    const { url } = await gateway({
      uploadLimits: { maxUploadsPerIdentity: 2, bodyTimeoutMs: 1500, minBytesPerSecond: 1_000_000 },
    });
    const held = [1, 2].map(() => dripUpload(url, '//Charlie', { intervalMs: 100 }));
    await new Promise((r) => setTimeout(r, 200));
    const third = await addFrom(url, '//Charlie', 'third');
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toMatchObject({ Type: 'error', Code: 1 });
    expect((await addFrom(url, '//Dave', 'other identity')).status).toBe(200);
    await Promise.all(held);
    expect((await addFrom(url, '//Charlie', 'after')).status).toBe(200);
  });

  it('fresh keys from one address hit the per-address cap; another address and an exempt one do not', async () => {
    const { url } = await gateway({
      uploadLimits: {
        maxUploadsPerIp: 2,
        bodyTimeoutMs: 1500,
        minBytesPerSecond: 1_000_000,
        exempt: ['127.0.0.9/32'],
      },
    });
    const held = ['//Alice', '//Bob'].map((who) =>
      dripUpload(url, who, { intervalMs: 100, localAddress: loopback(2) }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await addFrom(url, '//Eve', 'x', loopback(2))).status).toBe(429);
    expect((await addFrom(url, '//Eve', 'y', loopback(3))).status).toBe(200);
    const exempt = [1, 2, 3].map(() =>
      dripUpload(url, '//Dave', { intervalMs: 100, localAddress: loopback(9) }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await addFrom(url, '//Dave', 'z', loopback(9))).status).toBe(200);
    await Promise.all([...held, ...exempt]);
  });
});

describe('byte quota per identity per window', () => {
  it('past the quota: 429 with Retry-After, declared or streamed; the upload is rolled back', async () => {
    const { url } = await gateway({ uploadLimits: { quotaBytes: 300_000, quotaWindowMs: 60_000 } });
    expect((await addFrom(url, '//Eve', pseudoRandom(150_000, 1))).status).toBe(200);
    // Declared: refused before a byte is read.
    const declared = await addFrom(url, '//Eve', pseudoRandom(200_000, 2));
    expect(declared.status).toBe(429);
    expect(Number(declared.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(declared.body).Message).toMatch(/quota/);
    // Streamed without a length: cut when the count passes it, nothing of it kept.
    const before = await blockCount(helia);
    const streamed = await new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const req = request(
        {
          host: hostname,
          port,
          path: '/api/v0/add',
          method: 'POST',
          headers: { Authorization: auth['//Eve']!, 'Content-Type': 'multipart/form-data; boundary=q' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('--q\r\nContent-Disposition: form-data; name="file"; filename="big"\r\n\r\n');
      req.write(pseudoRandom(1024 * 1024, 9));
      req.end('\r\n--q--\r\n');
    });
    expect(streamed).toBe(429);
    expect(await blockCount(helia)).toBe(before);
    expect((await addFrom(url, '//Bob', pseudoRandom(150_000, 4))).status).toBe(200);
  });
});

describe('signature checks per address (W3Auth headers made offline in bulk)', () => {
  it('fresh keys past the rate wait, then get 429; a header already checked costs nothing', async () => {
    const { url } = await gateway({ authLimits: { perSecond: 2, burst: 2, maxWaitMs: 700 } });
    const fresh = await Promise.all([1, 2, 3, 4, 5].map((i) => substrateAuth(`//bulk/${i}`)));
    const statuses = await Promise.all(
      fresh.map(({ header }) => {
        const { body, contentType } = multipart([{ path: 'a', content: 'x' }]);
        return post(
          `${url}/api/v0/add`,
          body,
          { Authorization: header, 'Content-Type': contentType },
          loopback(4),
        );
      }),
    );
    const codes = statuses.map((r) => r.status).sort();
    // Two at once, one after 0.5 s, the rest would wait past 0.7 s.
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const again = fresh.find((_, i) => statuses[i]!.status === 200)!.header;
    const { body, contentType } = multipart([{ path: 'b', content: 'y' }]);
    const t0 = performance.now();
    expect(
      (
        await post(
          `${url}/api/v0/add`,
          body,
          { Authorization: again, 'Content-Type': contentType },
          loopback(4),
        )
      ).status,
    ).toBe(200);
    expect(performance.now() - t0).toBeLessThan(400);
    // Another address has its own share.
    expect((await addFrom(url, '//Alice', 'z', loopback(5))).status).toBe(200);
  });
});

describe('CIDs with a codec the gateway cannot read', () => {
  it('answer 400, on the path gateway and the Kubo RPC', async () => {
    const { url } = await gateway({});
    const cid = CID.createV1(0x300000, await sha256.digest(new Uint8Array([1, 2, 3])));
    const path = await fetch(`${url}/ipfs/${cid}`);
    expect(path.status).toBe(400);
    expect(await path.text()).toMatch(/unsupported codec/);
    const cat = await fetch(`${url}/api/v0/cat?arg=${cid}`, { method: 'POST' });
    expect(cat.status).toBe(400);
    expect(((await cat.json()) as { Code: number }).Code).toBe(1);
  });
});
