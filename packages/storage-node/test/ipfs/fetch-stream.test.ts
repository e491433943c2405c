/**
 * The fetcher's stream layer: the incremental CAR reader against CARs written by @ipld/car (an outside
 * encoder) cut into arbitrary pieces, and against hostile bytes; the minimal HTTP client against node:http
 * and raw sockets (Content-Length, chunked, close-delimited bodies; bad framing; errors; abort).
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { CarWriter } from '@ipld/car/writer';
import fc from 'fast-check';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, describe, expect, it } from 'vitest';
import { CarFormatError, CarReader } from '../../src/ipfs/car-reader.ts';
import { HttpProtocolError, HttpStatusError, streamGet } from '../../src/ipfs/fetch-http.ts';
import { deterministicBytes } from './helpers.ts';

async function rawBlock(bytes: Uint8Array) {
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes };
}

async function carOf(blocks: Array<{ cid: CID; bytes: Uint8Array }>, roots = [blocks[0]!.cid]) {
  const { writer, out } = CarWriter.create(roots);
  const parts: Uint8Array[] = [];
  const collect = (async () => {
    for await (const p of out) parts.push(p);
  })();
  for (const b of blocks) await writer.put(b);
  await writer.close();
  await collect;
  return Buffer.concat(parts);
}

function readAll(car: Uint8Array, cuts: number[], maxBlockBytes = 1 << 20) {
  const got: Array<{ cid: string; bytes: Buffer }> = [];
  let roots: CID[] = [];
  const reader = new CarReader({
    maxBlockBytes,
    onHeader: (r) => {
      roots = r;
    },
    onBlock: (cid, bytes) => got.push({ cid: cid.toString(), bytes: Buffer.from(bytes) }),
  });
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    // A reused scratch buffer, as the socket delivers: the reader must copy what it keeps.
    const scratch = Buffer.from(car.subarray(at, cut));
    reader.write(scratch);
    scratch.fill(0xee);
    at = cut;
  }
  const rest = Buffer.from(car.subarray(at));
  reader.write(rest);
  rest.fill(0xee);
  reader.end();
  return { got, roots };
}

describe('CarReader', () => {
  it('reads CARs written by @ipld/car however the stream is cut', async () => {
    const blocks = [
      await rawBlock(deterministicBytes(300_000, 1)),
      await rawBlock(new Uint8Array(0)),
      await rawBlock(deterministicBytes(5, 2)),
      await rawBlock(deterministicBytes(70_000, 3)),
    ];
    const car = await carOf(blocks);
    await fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: car.length }), { maxLength: 40 }), (cuts) => {
        const { got, roots } = readAll(car, cuts);
        expect(roots.map(String)).toEqual([blocks[0]!.cid.toString()]);
        expect(got.map((g) => g.cid)).toEqual(blocks.map((b) => b.cid.toString()));
        for (const [i, g] of got.entries()) expect(g.bytes.equals(Buffer.from(blocks[i]!.bytes))).toBe(true);
      }),
      { numRuns: 60 },
    );
    // One byte at a time.
    expect(
      readAll(
        car,
        Array.from({ length: car.length }, (_, i) => i),
      ).got,
    ).toHaveLength(4);
  });

  it('refuses hostile streams with CarFormatError, before allocating what they claim', async () => {
    const good = await carOf([await rawBlock(deterministicBytes(1000, 4))]);
    const headerEnd = good[0]! + 1;
    const cases: Array<[string, Uint8Array]> = [
      ['garbage', Buffer.from('this is not a CAR file at all')],
      ['zero-length header', Buffer.from([0])],
      ['endless varint', Buffer.alloc(20, 0xff)],
      ['header too large', Buffer.from([0x80, 0x80, 0x80, 0x01])],
      // A section claiming 2^40 bytes.
      [
        'huge section',
        Buffer.concat([good.subarray(0, headerEnd), Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x20])]),
      ],
      ['empty section', Buffer.concat([good.subarray(0, headerEnd), Buffer.from([0])])],
      [
        'section shorter than its CID',
        Buffer.concat([good.subarray(0, headerEnd), Buffer.from([3, 1, 0x55, 0x12])]),
      ],
    ];
    for (const [name, bytes] of cases) {
      const reader = new CarReader({ maxBlockBytes: 1 << 20, onBlock: () => {} });
      expect(() => {
        reader.write(bytes);
        reader.end();
      }, name).toThrow(CarFormatError);
    }
    // A block over the limit.
    const big = await carOf([await rawBlock(deterministicBytes(5000, 5))]);
    expect(() => new CarReader({ maxBlockBytes: 4096, onBlock: () => {} }).write(big)).toThrow(
      CarFormatError,
    );
    // Truncated anywhere inside: end() says so.
    for (const cut of [1, headerEnd - 1, headerEnd + 3, good.length - 1]) {
      const reader = new CarReader({ maxBlockBytes: 1 << 20, onBlock: () => {} });
      reader.write(good.subarray(0, cut));
      expect(() => reader.end(), `cut at ${cut}`).toThrow(CarFormatError);
    }
  });
});

const servers: Array<Server | NetServer> = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const s of servers) {
    (s as Server).closeAllConnections?.();
    await new Promise((r) => s.close(r));
  }
});

async function listen<T extends Server | NetServer>(server: T): Promise<URL> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/ipfs/x?format=car`);
}

/** A server answering every connection with `response` (raw bytes), then optionally closing. */
async function rawServer(response: Buffer, close = true): Promise<URL> {
  return listen(
    createNetServer((socket: Socket) => {
      socket.once('data', () => {
        socket.write(response);
        if (close) socket.end();
      });
      socket.on('error', () => {});
    }),
  );
}

function get(url: URL, signal = new AbortController().signal) {
  const parts: Buffer[] = [];
  const req = streamGet(url, {
    accept: 'application/vnd.ipld.car',
    signal,
    idleMs: 5_000,
    onBody: (chunk) => parts.push(Buffer.from(chunk)),
  });
  return { req, body: () => Buffer.concat(parts) };
}

describe('streamGet', () => {
  const body = deterministicBytes(3 * 1024 * 1024 + 17, 9);

  it('reads Content-Length, chunked and close-delimited bodies', async () => {
    const seen: string[] = [];
    const url = await listen(
      createHttpServer((req, res) => {
        seen.push(`${req.url} ${req.headers.accept}`);
        if (req.url!.includes('chunked')) {
          res.writeHead(200);
          for (let o = 0; o < body.length; o += 100_000) res.write(body.subarray(o, o + 100_000));
          res.end();
        } else {
          res.writeHead(200, { 'content-length': body.length });
          res.end(body);
        }
      }),
    );
    const fixed = get(url);
    await fixed.req.done;
    expect(fixed.body().equals(body)).toBe(true);
    const chunked = get(new URL(`${url.origin}/chunked`));
    await chunked.req.done;
    expect(chunked.body().equals(body)).toBe(true);
    expect(seen[0]).toBe('/ipfs/x?format=car application/vnd.ipld.car');
    const closeUrl = await rawServer(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nX: y\r\n\r\n'), body]));
    const closed = get(closeUrl);
    await closed.req.done;
    expect(closed.body().equals(body)).toBe(true);
  });

  it('pauses and resumes reading', async () => {
    const url = await listen(
      createHttpServer((_req, res) => {
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
      }),
    );
    const parts: Buffer[] = [];
    let paused = false;
    const req = streamGet(url, {
      accept: '*/*',
      signal: new AbortController().signal,
      idleMs: 5_000,
      onBody: (chunk) => {
        expect(paused).toBe(false);
        parts.push(Buffer.from(chunk));
        paused = true;
        req.pause();
        setTimeout(() => {
          paused = false;
          req.resume();
        }, 1);
      },
    });
    await req.done;
    expect(Buffer.concat(parts).equals(body)).toBe(true);
  });

  it('fails with typed errors on bad status, bad framing, early close and abort', async () => {
    const notFound = get(
      await rawServer(Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found')),
    );
    await expect(notFound.req.done).rejects.toMatchObject({ name: 'HttpStatusError', status: 404 });
    expect(notFound.body().length).toBe(0);
    for (const response of [
      'SMTP ready\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc',
      `HTTP/1.1 200 OK\r\n${'X: y\r\n'.repeat(20_000)}\r\n`,
    ]) {
      const r = get(await rawServer(Buffer.from(response)));
      await expect(r.req.done, response.slice(0, 40)).rejects.toBeInstanceOf(HttpProtocolError);
    }
    const status = get(await rawServer(Buffer.from('HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n')));
    await expect(status.req.done).rejects.toBeInstanceOf(HttpStatusError);
    // A server that never answers: the caller's abort ends the request.
    const silent = await listen(createNetServer((s) => s.on('error', () => {})));
    const controller = new AbortController();
    const hung = get(silent, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(hung.req.done).rejects.toThrow('stop');
    // Nothing listening.
    await expect(get(new URL('http://127.0.0.1:1/')).req.done).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
