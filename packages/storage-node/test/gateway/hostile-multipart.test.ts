/**
 * Issue 14, crash 2: a `/api/v0/add` body whose first file part is still queued while a later part fails (a
 * `filename="../../../node/test/evil"` part, too many parts, a broken part header, a client that goes away) destroyed the
 * queued part's stream with nobody listening for its error, and the storage node died. Each case here is
 * answered 400 (or the connection simply ends) and the gateway keeps serving; nothing is stored.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileMultipart } from '../../../node/test/hostile/kit.ts';
import type { Gateway } from '../../src/gateway/index.ts';
import { blockCount, pinCount, startGateway, startHelia, substrateAuth, type TestHelia } from './helpers.ts';

let helia: TestHelia;
let gateway: Gateway;
let url: string;
const errors: unknown[] = [];

beforeAll(async () => {
  helia = await startHelia();
  ({ gateway, url } = await startGateway(helia, { onError: (err) => errors.push(err) }));
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
});

/** W3Auth accepts any key: an attacker makes a fresh one per request. */
async function freshAuth(): Promise<string> {
  return (await substrateAuth(`//fresh/${Date.now()}/${Math.random()}`)).header;
}

async function post(body: string | Buffer, contentType: string): Promise<Response> {
  return fetch(`${url}/api/v0/add`, {
    method: 'POST',
    headers: { Authorization: await freshAuth(), 'Content-Type': contentType },
    body,
  });
}

async function expectServing(): Promise<void> {
  const res = await fetch(`${url}/api/v0/version`, { method: 'POST' });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

describe('a later part fails while the first file part is queued', () => {
  it('a "../../../node/test/evil" second part: 400, nothing stored, still serving', async () => {
    const before = await blockCount(helia);
    const { body, contentType } = hostileMultipart('traversal');
    expect(body.length).toBeLessThan(300);
    const res = await post(body, contentType);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Message: string }).Message).toMatch(/invalid part path/);
    expect(await blockCount(helia)).toBe(before);
    await expectServing();
  });

  it('too many parts after a file part: 400, still serving', async () => {
    const pins = await pinCount(helia);
    const { body, contentType } = hostileMultipart('too-many-parts');
    const res = await post(body, contentType);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Message: string }).Message).toMatch(/too many/);
    expect(await pinCount(helia)).toBe(pins);
    await expectServing();
  });

  it('a garbled part header after a file part: 400, still serving', async () => {
    const { body, contentType } = hostileMultipart('bad-escape');
    const res = await post(body, contentType);
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    await expectServing();
  });

  it('the client vanishes right after the parts: the gateway just keeps serving', async () => {
    const { body, contentType } = hostileMultipart('traversal');
    const { port } = new URL(url);
    const auth = await freshAuth();
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const s = connect(Number(port), '127.0.0.1', () => {
          s.write(
            `POST /api/v0/add HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: ${contentType}\r\n` +
              `Content-Length: ${body.length + 100}\r\n\r\n`,
          );
          s.write(body);
          setTimeout(() => s.destroy(), i * 5);
        });
        s.on('error', () => {});
        s.on('close', () => resolve());
      });
    }
    await new Promise((r) => setTimeout(r, 100));
    await expectServing();
    expect(errors).toEqual([]);
  });
});
