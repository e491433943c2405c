/**
 * The server as @polkadot/api's own providers see it (WsProvider / HttpProvider from @polkadot/api 16.5.6):
 * raw send/subscribe against test methods, since ApiPromise.create needs a full chain.
 */
import { HttpProvider, WsProvider } from '@polkadot/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcServer } from '../../src/rpc/index.ts';
import { testRegistry } from './fixture.ts';
import { waitFor } from './helpers.ts';

const { registry, state } = testRegistry();
const server = new RpcServer(registry, { port: 0 });
let ws: WsProvider;

beforeAll(async () => {
  await server.start();
  ws = new WsProvider(server.wsUrl, false);
  await ws.connect();
  await ws.isReady;
});
afterAll(async () => {
  await ws.disconnect();
  await server.stop();
});

describe('WsProvider', () => {
  it('send() gets results', async () => {
    expect(await ws.send('test_add', [40, 2])).toBe(42);
    expect(await ws.send('test_getStorage', ['0x01'])).toBe('0xaa');
    expect(await ws.send('test_getStorage', ['0x02'])).toBeNull();
    const methods = await ws.send<{ methods: string[] }>('rpc_methods', []);
    expect(methods.methods).toContain('test_subscribeTicks');
  });

  it('send() rejects with the code and the explanation', async () => {
    await expect(ws.send('state_nope', [])).rejects.toThrow(/-32601: Method not found: Method "state_nope"/);
    await expect(ws.send('test_add', [1, 'x'])).rejects.toThrow(
      /-32602: Invalid params: .*"b": expected an unsigned/,
    );
  });

  it('subscribe() receives notifications and unsubscribe() ends them server-side', async () => {
    const got: number[] = [];
    const id = await ws.subscribe(
      'test_tick',
      'test_subscribeTicks',
      [10],
      (err: Error | null, value: number) => {
        if (!err) got.push(value);
      },
    );
    expect(typeof id).toBe('string');
    await waitFor(() => got.length === 1);
    for (const s of state.live) if (s.id === id) s.send(11);
    await waitFor(() => got.length === 2);
    expect(got).toEqual([10, 11]);
    expect(await ws.unsubscribe('test_tick', 'test_unsubscribeTicks', id)).toBe(true);
    await waitFor(() => server.subscriptionCount === 0);
  });
});

describe('HttpProvider', () => {
  it('send() works over HTTP on the same port and subscribe() is refused by the client', async () => {
    const http = new HttpProvider(server.httpUrl);
    expect(await http.send('test_add', [1, 2])).toBe(3);
    await expect(http.send('test_fail', [])).rejects.toThrow(/1234: Custom failure/);
    await expect(http.subscribe('test_tick', 'test_subscribeTicks', [], () => {})).rejects.toThrow();
  });
});
