/**
 * Hostile JSON against the RPC server in this process: requests nested thousands deep (issue 14: one such
 * 10 KB request threw a RangeError outside the request's error handling and killed the node), values a handler
 * cannot serialize, handlers that throw anything. Every case is answered with a JSON-RPC error on the same
 * connection and the server keeps serving.
 *
 * Depth limit: serde_json (which jsonrpsee uses to parse requests on a Substrate node) stops at a recursion
 * limit of 128 and jsonrpsee then answers -32700 Parse error (serde_json `de.rs` `remaining_depth: 128`;
 * jsonrpsee `server/src/server.rs` `prepare_error`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MethodRegistry, p, params, RpcServer } from '../../src/rpc/index.ts';
import { deepJson, deepRequest } from '../hostile/kit.ts';
import { httpPost, RawWs } from './helpers.ts';

const logged: unknown[] = [];
const registry = new MethodRegistry()
  .method({ name: 'system_health', params: [], handler: () => ({ peers: 0, isSyncing: false }) })
  .method({ name: 'test_echo', params: params(['value', p.optional(p.any())]), handler: ([v]) => v ?? null })
  .method({
    name: 'test_cyclic',
    params: [],
    handler: () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    },
  })
  .method({
    name: 'test_throwString',
    params: [],
    handler: () => {
      throw 'not an Error';
    },
  })
  .method({
    name: 'test_rejectUndefined',
    params: [],
    handler: () => Promise.reject(undefined),
  })
  .subscription({
    subscribe: 'test_subscribeBad',
    unsubscribe: 'test_unsubscribeBad',
    notification: 'test_bad',
    params: [],
    handler: (_p, sink) => {
      // A notification that cannot be serialized must not break the subscription's producer.
      queueMicrotask(() => {
        sink.send(1n as never);
        sink.send('after');
      });
    },
  });
const server = new RpcServer(registry, { port: 0, onError: (err) => logged.push(err) });
let ws: RawWs;

beforeAll(async () => {
  await server.start();
  ws = await RawWs.open(server.wsUrl);
});
afterAll(async () => {
  ws.close();
  await server.stop();
});

async function stillServing(): Promise<void> {
  const m = await ws.call('system_health', []);
  expect(m.result).toEqual({ peers: 0, isSyncing: false });
  const h = await httpPost(server.httpUrl, '{"jsonrpc":"2.0","id":1,"method":"system_health"}');
  expect(h.json.result.peers).toBe(0);
}

describe('JSON nested 5,000 deep', () => {
  it('over HTTP: -32700, then the server keeps serving', async () => {
    const body = deepRequest(5000);
    expect(body.length).toBeGreaterThan(10_000);
    const r = await httpPost(server.httpUrl, body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    await stillServing();
  });

  it('in an HTTP batch: an error answer, not a 500', async () => {
    const r = await httpPost(server.httpUrl, `[${deepRequest(5000)}]`);
    expect(r.status).toBe(200);
    expect(r.json.error.code).toBe(-32700);
    await stillServing();
  });

  it('over WebSocket, single and batched: -32700 on the same connection', async () => {
    ws.send(deepRequest(5000));
    const a = await ws.next((m) => m.id === null && m.error?.code === -32700);
    expect(a.error.message).toBe('Parse error');
    ws.send(`[${deepRequest(5000)},{"jsonrpc":"2.0","id":2,"method":"system_health"}]`);
    await ws.next((m) => m.id === null && m.error?.code === -32700);
    await stillServing();
  });

  it('deep in params, id or method: a clear error each time', async () => {
    for (const text of [
      `{"jsonrpc":"2.0","id":3,"method":"test_echo","params":[${deepJson(5000)}]}`,
      `{"jsonrpc":"2.0","id":${deepJson(5000)},"method":"system_health"}`,
      `{"jsonrpc":"2.0","id":4,"method":${deepJson(5000, '{"a":', '}')}}`,
    ]) {
      ws.send(text);
      const m = await ws.next((x) => x.error !== undefined);
      expect(m.error.code).toBe(-32700);
    }
    await stillServing();
  });

  it('129 deep is refused as serde_json does; 100 deep is a normal request', async () => {
    const ok = await ws.call('test_echo', [JSON.parse(deepJson(100))]);
    expect(ok.error).toBeUndefined();
    ws.send(`{"jsonrpc":"2.0","id":5,"method":"test_echo","params":[${deepJson(130)}]}`);
    expect((await ws.next((m) => m.error !== undefined)).error.code).toBe(-32700);
  });
});

describe('handlers that fail in unexpected ways: -32603 and the connection stays', () => {
  it('a cyclic result, a thrown string, a rejection with undefined', async () => {
    for (const method of ['test_cyclic', 'test_throwString', 'test_rejectUndefined']) {
      const m = await ws.call(method, []);
      expect(m.error?.code, method).toBe(-32603);
    }
    await stillServing();
  });

  it('"jsonrpc" holding a huge value is described briefly, not echoed', async () => {
    ws.send(`{"jsonrpc":"${'x'.repeat(200_000)}","id":6,"method":"system_health"}`);
    const m = await ws.next((x) => x.id === 6);
    expect(m.error.code).toBe(-32600);
    expect(JSON.stringify(m).length).toBeLessThan(1000);
  });

  it('an unknown method name of 1 MB is not echoed back whole', async () => {
    ws.send(`{"jsonrpc":"2.0","id":7,"method":"${'m'.repeat(1 << 20)}"}`);
    const m = await ws.next((x) => x.id === 7);
    expect(m.error.code).toBe(-32601);
    expect(JSON.stringify(m).length).toBeLessThan(1000);
  });

  it('a notification that cannot be serialized is logged and dropped; later ones still arrive', async () => {
    const before = logged.length;
    const sub = await ws.call('test_subscribeBad', []);
    expect(typeof sub.result).toBe('string');
    const n = await ws.next((m) => m.method === 'test_bad');
    expect(n.params.result).toBe('after');
    expect(logged.length).toBeGreaterThan(before);
  });
});
