/**
 * JSON-RPC server over real sockets: raw `ws` and `fetch` clients, then polkadot-js providers.
 * Error codes/messages are jsonrpsee's (paritytech/jsonrpsee `types/src/error.rs`), which Substrate nodes use.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DuplicateMethodError, MethodRegistry, RpcServer } from '../../src/rpc/index.ts';
import { testRegistry } from './fixture.ts';
import { httpPost, RawWs, waitFor } from './helpers.ts';

const { registry, state } = testRegistry();
const server = new RpcServer(registry, {
  port: 0,
  maxBatchLength: 2000,
  maxRequestBytes: 1024 * 1024,
  getRoutes: { '/health': () => ({ isSyncing: false, peers: 0, shouldHavePeers: false }) },
});
let ws: RawWs;

beforeAll(async () => {
  await server.start();
  ws = await RawWs.open(server.wsUrl);
});
afterAll(async () => {
  ws.close();
  await server.stop();
});

describe('HTTP', () => {
  it('answers a single request with the exact JSON-RPC 2.0 shape', async () => {
    const r = await httpPost(server.httpUrl, '{"jsonrpc":"2.0","id":7,"method":"test_add","params":[2,3]}');
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"jsonrpc":"2.0","result":5,"id":7}');
  });

  it('answers a batch in order, skipping notifications', async () => {
    const r = await httpPost(
      server.httpUrl,
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'test_add', params: [1, 1] },
        { jsonrpc: '2.0', method: 'test_add', params: [1, 1] },
        { jsonrpc: '2.0', id: 'b', method: 'nope' },
        { jsonrpc: '2.0', id: 'c', method: 'test_echo', params: { value: { x: 1 } } },
      ]),
    );
    expect(r.json).toEqual([
      { jsonrpc: '2.0', result: 2, id: 'a' },
      {
        jsonrpc: '2.0',
        error: expect.objectContaining({ code: -32601, message: 'Method not found' }),
        id: 'b',
      },
      { jsonrpc: '2.0', result: { x: 1 }, id: 'c' },
    ]);
  });

  it('a notification-only request gets no body', async () => {
    const r = await httpPost(server.httpUrl, '{"jsonrpc":"2.0","method":"test_add","params":[1,2]}');
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
  });

  it('invalid JSON → -32700 with id null', async () => {
    const r = await httpPost(server.httpUrl, '{"jsonrpc":"2.0",');
    expect(r.json.id).toBeNull();
    expect(r.json.error.code).toBe(-32700);
    expect(r.json.error.message).toBe('Parse error');
  });

  it('oversized body → 413 and -32007 "Request is too big"', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'test_echo',
      params: ['x'.repeat(2 * 1024 * 1024)],
    });
    const r = await httpPost(server.httpUrl, body);
    expect(r.status).toBe(413);
    expect(r.json.error).toEqual({
      code: -32007,
      message: 'Request is too big',
      data: 'Exceeded max limit of 1048576',
    });
  });

  it('an oversized chunked body (no Content-Length) → 413 as well', async () => {
    const { request } = await import('node:http');
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${server.httpUrl}/`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } },
        (res) => {
          let b = '';
          res.on('data', (d) => {
            b += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        },
      );
      req.on('error', reject);
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 40) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe(-32007);
  });

  it('GET → 405, wrong content type → 415, CORS preflight → 204', async () => {
    const get = await fetch(server.httpUrl);
    expect(get.status).toBe(405);
    expect(((await get.json()) as any).error.code).toBe(-32600);
    const txt = await httpPost(server.httpUrl, '{}', { 'Content-Type': 'text/plain' });
    expect(txt.status).toBe(415);
    const pre = await fetch(server.httpUrl, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('subscriptions are refused over HTTP with a clear error', async () => {
    const r = await httpPost(
      server.httpUrl,
      '{"jsonrpc":"2.0","id":1,"method":"test_subscribeTicks","params":[]}',
    );
    expect(r.json.error.code).toBe(-32603);
    expect(r.json.error.data).toMatch(/WebSocket/);
  });
});

describe('request validation (WS)', () => {
  it('wrong jsonrpc version → -32600 echoing the id', async () => {
    const m = await ws.call('test_add', [1, 2], 'v1').catch(() => null);
    expect(m.result).toBe(3);
    ws.send({ jsonrpc: '1.0', id: 11, method: 'test_add', params: [1, 2] });
    const e = await ws.next((x) => x.id === 11);
    expect(e.error.code).toBe(-32600);
    expect(e.error.data).toMatch(/"jsonrpc" must be "2.0"/);
  });

  it('invalid id type, missing method, non-object request → -32600', async () => {
    ws.send({ jsonrpc: '2.0', id: { no: 1 }, method: 'test_add' });
    const a = await ws.next((x) => x.id === null && /id/.test(x.error?.data));
    expect(a.error.code).toBe(-32600);
    ws.send({ jsonrpc: '2.0', id: 12 });
    expect((await ws.next((x) => x.id === 12)).error.code).toBe(-32600);
    ws.send('42');
    expect((await ws.next((x) => x.id === null && /object/.test(x.error?.data))).error.code).toBe(-32600);
  });

  it('unknown method → -32601 naming it', async () => {
    const m = await ws.call('state_nope', []);
    expect(m.error).toEqual({
      code: -32601,
      message: 'Method not found',
      data: expect.stringContaining('state_nope'),
    });
  });

  it('bad params → -32602 saying which parameter and what was expected', async () => {
    const wrongType = await ws.call('test_add', [1, 'two']);
    expect(wrongType.error.code).toBe(-32602);
    expect(wrongType.error.data).toMatch(/parameter 1 "b": expected an unsigned integer/);
    const missing = await ws.call('test_add', [1]);
    expect(missing.error.data).toMatch(/missing parameter 1 "b"/);
    const tooMany = await ws.call('test_add', [1, 2, 3]);
    expect(tooMany.error.data).toMatch(/at most 2 parameter/);
    const badHex = await ws.call('test_getStorage', ['0xabc']);
    expect(badHex.error.data).toMatch(/"key": expected 0x-prefixed hex/);
    const badHash = await ws.call('test_getStorage', ['0x01', '0x1234']);
    expect(badHash.error.data).toMatch(/exactly 32 bytes/);
    const unknownName = await ws.call('test_add', { a: 1, c: 2 });
    expect(unknownName.error.data).toMatch(/no parameter named "c"/);
    const named = await ws.call('test_add', { a: 4, b: 5 });
    expect(named.result).toBe(9);
    const hexNumber = await ws.call('test_add', ['0x10', 1]);
    expect(hexNumber.result).toBe(17);
  });

  it('handler errors: RpcError passes through, other errors → -32603', async () => {
    expect((await ws.call('test_fail')).error).toEqual({
      code: 1234,
      message: 'Custom failure',
      data: { why: 'because' },
    });
    expect((await ws.call('test_throw')).error).toEqual({
      code: -32603,
      message: 'Internal error',
      data: 'boom',
    });
    const unser = await ws.call('test_unserializable');
    expect(unser.error.code).toBe(-32603);
    expect(unser.error.data).toMatch(/BigInt/);
  });

  it('aliases resolve to the same method; rpc_methods lists every name', async () => {
    expect((await ws.call('test_echoAlias', ['hi'])).result).toBe('hi');
    const m = await ws.call('rpc_methods');
    expect(m.result.methods).toEqual(
      expect.arrayContaining([
        'rpc_methods',
        'test_add',
        'test_echo',
        'test_echoAlias',
        'test_subscribeTicks',
        'test_subscribeTick',
        'test_unsubscribeTicks',
        'test_unsubscribeTick',
      ]),
    );
    expect([...m.result.methods].sort()).toEqual(m.result.methods);
  });

  it('empty batch → -32600; batch over the limit → -32010', async () => {
    ws.send('[]');
    const e = await ws.next((x) => x.id === null && /Empty batch/.test(x.error?.data));
    expect(e.error.code).toBe(-32600);
    const big = Array.from({ length: 2001 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'test_add',
      params: [1, 1],
    }));
    ws.send(big);
    const b = await ws.next((x) => x.error?.code === -32010);
    expect(b.error).toEqual({
      code: -32010,
      message: 'The batch request was too large',
      data: 'Exceeded max limit of 2000',
    });
  });

  it('garbage frames get -32700 and the connection keeps working', async () => {
    ws.send('\u0000\u0001garbage{{{');
    expect((await ws.next((x) => x.error?.code === -32700)).id).toBeNull();
    ws.ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: true });
    expect((await ws.next((x) => x.error?.code === -32700)).error.data).toMatch(/UTF-8/);
    ws.ws.send(Buffer.from('{"jsonrpc":"2.0","id":"bin","method":"test_add","params":[20,22]}'), {
      binary: true,
    });
    expect((await ws.next((x) => x.id === 'bin')).result).toBe(42);
  });

  it('oversized WS frame: -32007 and the connection stays; far beyond the limit: close 1009', async () => {
    const victim = await RawWs.open(server.wsUrl);
    victim.send('x'.repeat(1024 * 1024 + 1));
    expect((await victim.next((m) => m.error?.code === -32007)).error).toEqual({
      code: -32007,
      message: 'Request is too big',
      data: 'Exceeded max limit of 1048576',
    });
    expect((await victim.call('test_add', [1, 2])).result).toBe(3);
    const closed = once(victim.ws, 'close');
    victim.ws.send('x'.repeat(2 * 1024 * 1024 + 1));
    const [code] = await closed;
    expect(code).toBe(1009);
    expect((await ws.call('test_add', [1, 1])).result).toBe(2);
  });

  it('serves GET routes (e.g. /health) next to JSON-RPC', async () => {
    const res = await fetch(`${server.httpUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ isSyncing: false, peers: 0, shouldHavePeers: false });
    expect((await fetch(`${server.httpUrl}/nope`)).status).toBe(405);
  });

  it('a response over the limit → -32008', async () => {
    const small = new RpcServer(registry, { port: 0, maxResponseBytes: 1000 });
    await small.start();
    try {
      const r = await httpPost(small.httpUrl, '{"jsonrpc":"2.0","id":1,"method":"test_big","params":[5000]}');
      expect(r.json).toEqual({
        jsonrpc: '2.0',
        error: { code: -32008, message: 'Response is too big', data: 'Exceeded max limit of 1000' },
        id: 1,
      });
    } finally {
      await small.stop();
    }
  });

  it('raw non-HTTP bytes on the port get 400 and do not disturb others', async () => {
    const sock = connect(server.address.port, '127.0.0.1');
    await once(sock, 'connect');
    sock.write('\x16\x03\x01 this is not http\r\n\r\n');
    let data = '';
    sock.on('data', (d) => {
      data += d.toString();
    });
    await once(sock, 'close');
    expect(data).toMatch(/^HTTP\/1.1 400/);
    expect((await ws.call('test_add', [2, 2])).result).toBe(4);
  });

  it('requests on one connection run concurrently (a slow call does not block a fast one)', async () => {
    ws.send({ jsonrpc: '2.0', id: 'slow', method: 'test_sleep', params: [300] });
    ws.send({ jsonrpc: '2.0', id: 'fast', method: 'test_add', params: [1, 0] });
    const first = await ws.next((x) => x.id === 'slow' || x.id === 'fast');
    expect(first.id).toBe('fast');
    expect((await ws.next((x) => x.id === 'slow')).result).toBe(300);
  });
});

describe('subscriptions (WS)', () => {
  it('subscribe answers a string id first, then notifications of the exact Substrate shape', async () => {
    const c = await RawWs.open(server.wsUrl);
    c.send({ jsonrpc: '2.0', id: 1, method: 'test_subscribeTicks', params: [5] });
    // Frames arrive in order; the answer must come before the notification the handler sent synchronously.
    await waitFor(() => c.messages.length >= 2);
    const [answer, note] = c.messages;
    expect(answer.id).toBe(1);
    expect(typeof answer.result).toBe('string');
    expect(answer.result).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(note).toEqual({
      jsonrpc: '2.0',
      method: 'test_tick',
      params: { subscription: answer.result, result: 5 },
    });
    c.messages.length = 0;
    for (const s of state.live) if (s.id === answer.result) s.send(6);
    expect(await c.next((m) => m.method === 'test_tick')).toEqual({
      jsonrpc: '2.0',
      method: 'test_tick',
      params: { subscription: answer.result, result: 6 },
    });
    const un = await c.call('test_unsubscribeTicks', [answer.result]);
    expect(un.result).toBe(true);
    const again = await c.call('test_unsubscribeTicks', [answer.result]);
    expect(again.result).toBe(false);
    const unknown = await c.call('test_unsubscribeTicks', ['doesNotExist1234']);
    expect(unknown.result).toBe(false);
    const badId = await c.call('test_unsubscribeTicks', [{ x: 1 }]);
    expect(badId.error.code).toBe(-32602);
    c.close();
  });

  it('aliases and a subscribe whose handler fails', async () => {
    const c = await RawWs.open(server.wsUrl);
    const sub = await c.call('test_subscribeTick', [1]);
    expect(typeof sub.result).toBe('string');
    expect((await c.next((m) => m.method === 'test_tick')).params.result).toBe(1);
    // An unsubscribe of another subscription kind does not end this one.
    expect((await c.call('test_unsubscribeFail', [sub.result])).result).toBe(false);
    expect((await c.call('test_unsubscribeTick', [sub.result])).result).toBe(true);
    const fail = await c.call('test_subscribeFail');
    expect(fail.error).toEqual({ code: -32602, message: 'Invalid params', data: 'not today' });
    c.close();
  });

  it('limits subscriptions per connection (default 1024, -32006)', async () => {
    const c = await RawWs.open(server.wsUrl);
    const batch = Array.from({ length: 1025 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'test_subscribeTicks',
    }));
    c.send(batch);
    const answers = await c.next((m) => Array.isArray(m));
    const errors = answers.filter((a: any) => a.error);
    expect(answers).toHaveLength(1025);
    expect(errors).toHaveLength(1);
    expect(errors[0].error).toEqual({
      code: -32006,
      message: 'Too many subscriptions on the connection',
      data: 'Exceeded max limit of 1024',
    });
    const before = state.teardowns;
    c.ws.terminate();
    await waitFor(() => state.teardowns - before === 1024);
    await waitFor(() => server.subscriptionCount === 0);
  });

  it('abrupt disconnect with live subscriptions cleans them up', async () => {
    const c = await RawWs.open(server.wsUrl);
    for (let i = 0; i < 3; i++) await c.call('test_subscribeTicks', []);
    expect(server.subscriptionCount).toBe(3);
    const before = state.teardowns;
    c.ws.terminate();
    await waitFor(() => server.subscriptionCount === 0);
    expect(state.teardowns - before).toBe(3);
  });
});

describe('connections and lifecycle', () => {
  it('refuses connections past maxConnections with 429, others unaffected', async () => {
    const s = new RpcServer(registry, { port: 0, maxConnections: 2 });
    await s.start();
    const a = await RawWs.open(s.wsUrl);
    const b = await RawWs.open(s.wsUrl);
    const third = new WebSocket(s.wsUrl);
    third.on('error', () => {});
    const [, res] = await once(third, 'unexpected-response');
    expect(res.statusCode).toBe(429);
    third.terminate();
    expect((await a.call('test_add', [1, 2])).result).toBe(3);
    b.ws.terminate();
    await waitFor(() => s.connectionCount === 1);
    const c = await RawWs.open(s.wsUrl);
    expect((await c.call('test_add', [2, 2])).result).toBe(4);
    // HTTP on a connection past the limit gets 429 too.
    const http = await fetch(s.httpUrl, {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(http.status).toBe(429);
    await s.stop();
  });

  it('stop() closes WS clients with 1001 and ends their subscriptions; start/stop are explicit', async () => {
    const s = new RpcServer(registry, { port: 0 });
    await expect(async () => s.address).rejects.toThrow(/not started/);
    await s.start();
    await expect(s.start()).rejects.toThrow(/already started/);
    const c = await RawWs.open(s.wsUrl);
    await c.call('test_subscribeTicks', []);
    const closed = once(c.ws, 'close');
    const before = state.teardowns;
    await s.stop();
    const [code] = await closed;
    expect(code).toBe(1001);
    expect(state.teardowns - before).toBe(1);
    await s.stop(); // idempotent
  });

  it('stop() lets an in-flight HTTP request finish', async () => {
    const s = new RpcServer(registry, { port: 0 });
    await s.start();
    const pending = httpPost(s.httpUrl, '{"jsonrpc":"2.0","id":1,"method":"test_sleep","params":[200]}');
    await new Promise((r) => setTimeout(r, 50));
    await s.stop();
    expect((await pending).json).toEqual({ jsonrpc: '2.0', result: 200, id: 1 });
  });

  it('rejects a second definition of the same method or alias', () => {
    const r = new MethodRegistry();
    r.method({ name: 'a_b', aliases: ['a_c'], params: [], handler: () => 1 });
    expect(() => r.method({ name: 'a_c', params: [], handler: () => 1 })).toThrow(DuplicateMethodError);
    expect(() =>
      r.subscription({
        subscribe: 'x_sub',
        unsubscribe: 'a_b',
        notification: 'x',
        params: [],
        handler: () => {},
      }),
    ).toThrow(DuplicateMethodError);
    expect(r.get('x_sub')).toBeUndefined();
  });
});
