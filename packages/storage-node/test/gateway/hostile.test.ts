/**
 * Bad and hostile input: malformed multipart bodies, oversized uploads (declared and streamed), clients that
 * vanish mid-upload, huge heads, odd methods, random bodies. Every case ends in a clear status with Kubo's
 * error JSON, and nothing half-imported stays in the blockstore or the pin set.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway/index.ts';
import {
  blockCount,
  multipart,
  pinCount,
  pseudoRandom,
  startGateway,
  startHelia,
  substrateAuth,
  type TestHelia,
} from './helpers.ts';

// Big enough that the importer has written blocks (it batches 4 chunks) before the limit hits.
const LIMIT = 3 * 1024 * 1024;

let helia: TestHelia;
let gateway: Gateway;
let url: string;
let auth: string;

beforeAll(async () => {
  helia = await startHelia();
  ({ gateway, url } = await startGateway(helia, { maxUploadBytes: LIMIT }));
  auth = (await substrateAuth('//Alice')).header;
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
});

async function postAdd(body: Uint8Array | string, contentType: string, query = '') {
  return fetch(`${url}/api/v0/add${query}`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
}

async function expectKuboError(res: Response, status: number, message?: RegExp) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { Message: string; Code: number; Type: string };
  expect(body.Type).toBe('error');
  // Kubo: Code 1 = client error, 0 = server-side failure.
  expect(body.Code).toBe(status < 500 ? 1 : 0);
  if (message) expect(body.Message).toMatch(message);
}

/** Sends a chunked upload of `total` bytes of file content through node:http, optionally aborting midway. */
function streamUpload(
  total: number,
  opts: { abortAfter?: number } = {},
): Promise<{ status: number; body: string }> {
  const boundary = 'streamed-boundary';
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v0/add`, {
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
      res.on('error', reject);
    });
    req.on('error', (err) =>
      opts.abortAfter !== undefined ? resolve({ status: 0, body: '' }) : reject(err),
    );
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`);
    let sent = 0;
    const chunk = pseudoRandom(64 * 1024, 11);
    const pump = () => {
      while (sent < total) {
        if (opts.abortAfter !== undefined && sent >= opts.abortAfter) {
          req.destroy();
          return;
        }
        const piece = chunk.map((b, i) => b ^ ((sent + i) >>> 16));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    req.on('error', () => {});
    pump();
  });
}

describe('malformed multipart bodies → 400 with Kubo JSON, nothing stored', () => {
  it('no boundary, wrong content type, no file part, empty form, path traversal', async () => {
    const before = await blockCount(helia);
    const { body } = multipart([{ path: 'a.txt', content: 'abc' }]);
    await expectKuboError(await postAdd(body, 'multipart/form-data'), 400, /boundary/i);
    await expectKuboError(await postAdd('{"a":1}', 'application/json'), 400, /multipart/);
    await expectKuboError(
      await postAdd(
        '--b\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhello\r\n--b--\r\n',
        'multipart/form-data; boundary=b',
      ),
      400,
      /file argument 'path' is required/,
    );
    await expectKuboError(await postAdd('--b--\r\n', 'multipart/form-data; boundary=b'), 400);
    await expectKuboError(await postAdd('', 'multipart/form-data; boundary=b'), 400);
    const traversal = multipart([{ path: '../../../node/etc/passwd', content: 'x' }]);
    await expectKuboError(await postAdd(traversal.body, traversal.contentType), 400, /invalid part path/);
    expect(await blockCount(helia)).toBe(before);
  });

  it('a truncated body (cut inside a multi-block file) is a 400 and its blocks are rolled back', async () => {
    const beforeBlocks = await blockCount(helia);
    const beforePins = await pinCount(helia);
    const { body, contentType } = multipart([{ path: 'cut.bin', content: pseudoRandom(2500 * 1024, 5) }]);
    const res = await postAdd(body.subarray(0, 2200 * 1024), contentType);
    await expectKuboError(res, 400, /Unexpected end/);
    expect(await blockCount(helia)).toBe(beforeBlocks);
    expect(await pinCount(helia)).toBe(beforePins);
  });

  it('garbage part headers and random bodies never crash the server', async () => {
    await expectKuboError(
      await postAdd(
        '--b\r\nthis is not a header\r\n\r\ndata\r\n--b--\r\n',
        'multipart/form-data; boundary=b',
      ),
      400,
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const res = await postAdd(bytes, 'multipart/form-data; boundary=xyz');
        expect([200, 400]).toContain(res.status);
        await res.arrayBuffer();
      }),
      { numRuns: 25 },
    );
    const ok = await fetch(`${url}/api/v0/version`, { method: 'POST' });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });
});

describe('upload size limit → 413, nothing stored or pinned', () => {
  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const before = await blockCount(helia);
    const { body, contentType } = multipart([{ path: 'big', content: pseudoRandom(LIMIT + 10, 2) }]);
    await expectKuboError(await postAdd(body, contentType), 413, /upload limit/);
    expect(await blockCount(helia)).toBe(before);
  });

  it('counts a chunked (undeclared) body as it streams and rolls back the partial import', async () => {
    const beforeBlocks = await blockCount(helia);
    const beforePins = await pinCount(helia);
    const rolledBack = gateway.uploadStats.blocksRolledBack;
    const { status, body } = await streamUpload(3 * LIMIT);
    expect(status).toBe(413);
    // Blocks had been written before the limit hit, and were removed again.
    expect(gateway.uploadStats.blocksRolledBack).toBeGreaterThan(rolledBack);
    expect(JSON.parse(body)).toMatchObject({ Type: 'error', Message: expect.stringMatching(/upload limit/) });
    expect(await blockCount(helia)).toBe(beforeBlocks);
    expect(await pinCount(helia)).toBe(beforePins);
    // The gateway still works afterwards.
    const { body: small, contentType } = multipart([{ path: 's', content: 'still alive' }]);
    const res = await postAdd(small, contentType);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('a client that disconnects mid-upload leaves nothing behind', async () => {
    const before = await blockCount(helia);
    const failed = gateway.uploadStats.uploadsFailed;
    await streamUpload(LIMIT - 4096, { abortAfter: 2 * 1024 * 1024 });
    // The server notices the reset asynchronously; wait for its rollback (generously: shared machines).
    for (let i = 0; i < 200 && gateway.uploadStats.uploadsFailed === failed; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await blockCount(helia)).toBe(before);
    expect(gateway.uploadStats.uploadsFailed).toBe(failed + 1);
  });
});

describe('HTTP edge cases', () => {
  it('431 for huge headers and huge URLs; the server keeps serving', async () => {
    const huge = await rawRequest(
      `GET /ipfs/x HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    const longUrl = await rawRequest(`GET /ipfs/${'Q'.repeat(40 * 1024)} HTTP/1.1\r\nHost: a\r\n\r\n`);
    expect(longUrl).toMatch(/^HTTP\/1\.1 431/);
    const garbage = await rawRequest('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    const ok = await fetch(`${url}/api/v0/version`, { method: 'POST' });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });

  it('a long but legal URL with a bad CID is a 400, not a crash', async () => {
    const res = await fetch(`${url}/ipfs/${'b'.repeat(8000)}`);
    expect(res.status).toBe(400);
    expect((await res.text()).length).toBeLessThan(1000);
  });

  it('HEAD and other methods on the RPC are 405', async () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
      const res = await fetch(`${url}/api/v0/cat?arg=x`, { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      await res.arrayBuffer();
    }
  });

  it('answers CORS preflights so browser DApps can upload with an Authorization header', async () => {
    const res = await fetch(`${url}/api/v0/add`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://dapp.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const get = await fetch(`${url}/ipfs/bafkqaaa?format=raw`);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    await get.arrayBuffer();
  });

  it('stop() closes idle keep-alive sockets', async () => {
    const h = await startHelia();
    const g = await startGateway(h);
    const res = await fetch(`${g.url}/api/v0/version`, { method: 'POST' });
    await res.arrayBuffer();
    const started = Date.now();
    await g.gateway.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(fetch(`${g.url}/api/v0/version`, { method: 'POST' })).rejects.toThrow();
    await h.stop();
  });
});

function rawRequest(text: string): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(text));
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => {
      out += d;
    });
    socket.on('close', () => resolve(out));
    socket.on('error', (err) => (out ? resolve(out) : reject(err)));
  });
}
