/**
 * Per-client limits of the RPC server (issue 14): clients on other loopback addresses (127.0.0.2 …) stand for
 * other hosts. Each test shrinks the timeouts through the server's options so it proves its point in a
 * second or two.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  MethodRegistry,
  p,
  params,
  type RpcLimitEvent,
  RpcServer,
  type RpcServerOptions,
  type SubscriptionSink,
} from '../../src/rpc/index.ts';
import {
  idleWebSockets,
  latencyProbe,
  loopback,
  neverReadingClient,
  openWs,
  sleep,
  slowHeaderSockets,
} from '../hostile/kit.ts';
import { RawWs, waitFor } from './helpers.ts';

const calls = { big: 0 };
const sinks = new Set<SubscriptionSink<unknown>>();
const ended: string[] = [];

function registry(): MethodRegistry {
  return new MethodRegistry()
    .method({ name: 'system_health', params: [], handler: () => ({ peers: 0 }) })
    .method({
      name: 'test_big',
      params: params(['chars', p.uint()]),
      handler: async ([n]) => {
        calls.big++;
        return 'x'.repeat(n);
      },
    })
    .method({
      name: 'test_bigUtf8',
      params: params(['chars', p.uint()]),
      handler: ([n]) => 'é'.repeat(n),
    })
    .method({
      name: 'test_sleep',
      params: params(['ms', p.uint()]),
      handler: async ([ms]) => {
        await sleep(ms);
        return ms;
      },
    })
    .subscription({
      subscribe: 'test_follow',
      unsubscribe: 'test_unfollow',
      notification: 'test_event',
      params: params(['bytes', p.uint()]),
      handler: ([bytes], sink) => {
        sinks.add(sink);
        // What chainHead_v1_follow does: a last `stop` event when the server drops a slow reader's subscription
        // (and closing from the hook, as its stop() does, is fine).
        sink.onDropped(() => {
          sink.send({ event: 'stop' });
          sink.close();
        });
        const payload = 'y'.repeat(bytes);
        const timer = setInterval(() => sink.send({ event: 'data', payload }), 2);
        return () => {
          clearInterval(timer);
          sinks.delete(sink);
          ended.push(sink.endReason ?? 'none');
        };
      },
    });
}

const servers: RpcServer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  for (const s of servers.splice(0)) await s.stop();
});

async function start(
  options: RpcServerOptions = {},
): Promise<{ server: RpcServer; events: RpcLimitEvent[] }> {
  const events: RpcLimitEvent[] = [];
  const server = new RpcServer(registry(), { port: 0, onLimit: (e) => events.push(e), ...options });
  await server.start();
  servers.push(server);
  return { server, events };
}

async function wsFrom(url: string, address: string): Promise<RawWs> {
  const ws = await openWs(url, address);
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
  const c = new RawWs(ws);
  cleanups.push(() => ws.terminate());
  return c;
}

describe('connections per address and a fair share of the total', () => {
  it('100 idle WebSockets from 127.0.0.2 (default limits) do not stop a client on 127.0.0.1', async () => {
    const { server } = await start();
    const flood = await idleWebSockets(server.wsUrl, 100, loopback(2));
    cleanups.push(() => flood.close());
    // (Before issue 14 all 100 were taken and the next client anywhere got 429.)
    const good = await wsFrom(server.wsUrl, loopback(1));
    expect((await good.call('system_health')).result).toEqual({ peers: 0 });
    const http = await fetch(server.httpUrl, {
      method: 'POST',
      body: '{"jsonrpc":"2.0","id":1,"method":"system_health"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(http.status).toBe(200);
    // At most 50 from one address by default; the rest are told 429.
    expect(flood.open.length).toBe(50);
    expect(new Set(flood.refused)).toEqual(new Set([429]));
  });

  it('a full server gives a newcomer the place of the biggest holder’s idlest connection', async () => {
    const { server, events } = await start({ maxConnections: 10, maxConnectionsPerIp: 8 });
    const big = await idleWebSockets(server.wsUrl, 8, loopback(2));
    cleanups.push(() => big.close());
    const small = await idleWebSockets(server.wsUrl, 2, loopback(3));
    cleanups.push(() => small.close());
    const closedCodes: number[] = [];
    for (const ws of big.open) ws.on('close', (code) => closedCodes.push(code));
    // Full: a newcomer from 127.0.0.1 takes one of 127.0.0.2's places (close 1013 "try again later").
    const newcomer = await wsFrom(server.wsUrl, loopback(1));
    expect((await newcomer.call('system_health')).result).toEqual({ peers: 0 });
    await waitFor(() => closedCodes.length === 1);
    expect(closedCodes).toEqual([1013]);
    expect(events.filter((e) => e.kind === 'evicted')).toHaveLength(1);
    // The biggest holder itself is refused, not served at another's cost.
    expect(await openWs(server.wsUrl, loopback(2))).toBe(429);
    expect(server.limitStats.refused).toBe(1);
  });

  it('an exempt address (--rpc-limits-exempt) is not counted; others still are', async () => {
    const { server } = await start({ maxConnectionsPerIp: 2, limitsExempt: ['127.0.0.5/32', '::1/128'] });
    const exempt = await idleWebSockets(server.wsUrl, 6, loopback(5));
    cleanups.push(() => exempt.close());
    expect(exempt.open).toHaveLength(6);
    const other = await idleWebSockets(server.wsUrl, 3, loopback(6));
    cleanups.push(() => other.close());
    expect(other.open).toHaveLength(2);
    expect(other.refused).toEqual([429]);
  });
});

describe('timeouts', () => {
  it('slow-header and silent sockets get 408 at the header timeout; idle WebSockets are closed', async () => {
    const { server, events } = await start({ headerTimeoutMs: 400, idleTimeoutMs: 600 });
    const slow = slowHeaderSockets(server.httpUrl, 5, { localAddress: loopback(2), intervalMs: 50 });
    const silent = slowHeaderSockets(server.httpUrl, 5, { localAddress: loopback(3), intervalMs: 0 });
    cleanups.push(slow.destroy, silent.destroy);
    const idle = await wsFrom(server.wsUrl, loopback(4));
    const watched = await wsFrom(server.wsUrl, loopback(5));
    await watched.call('test_follow', [1]);
    const [idleClosedAt, slowClosed, silentClosed] = await Promise.all([
      once(idle.ws, 'close').then(([code]) => code as number),
      slow.closed,
      silent.closed,
    ]);
    // Node checks header timeouts every headerTimeout/4 here (30 s by default, which let them stay 75-90 s).
    for (const ms of [...slowClosed, ...silentClosed]) expect(ms).toBeLessThan(1500);
    expect(slow.answers.every((a) => a === 'HTTP/1.1 408 Request Timeout')).toBe(true);
    expect(idleClosedAt).toBe(1000);
    expect(events.some((e) => e.kind === 'idle-closed')).toBe(true);
    // A connection with a live subscription is not idle.
    expect(watched.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('slow consumers', () => {
  it('a client that stops reading loses its subscriptions (with a stop event) and is cut; others are served', async () => {
    const { server, events } = await start({ maxBufferedBytes: 256 * 1024, slowConsumerTimeoutMs: 1500 });
    const probe = await latencyProbe(server.wsUrl, { localAddress: loopback(1), intervalMs: 20 });
    const readers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        neverReadingClient(server.wsUrl, {
          localAddress: loopback(10 + i),
          frames: [JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'test_follow', params: [20_000] })],
          frame: () => JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'test_big', params: [100_000] }),
          everyMs: 5,
        }),
      ),
    );
    cleanups.push(() => {
      for (const r of readers) r.stop();
    });
    const cutAfter = await Promise.all(readers.map((r) => r.closed));
    const report = await probe.stop();
    for (const ms of cutAfter) expect(ms).toBeLessThan(1500 + 2000);
    expect(events.filter((e) => e.kind === 'slow-consumer-cut')).toHaveLength(5);
    expect(server.limitStats['subscriptions-dropped']).toBe(5);
    await waitFor(() => sinks.size === 0);
    expect(ended.filter((r) => r === 'slow-consumer')).toHaveLength(5);
    expect(report.errors).toBe(0);
    expect(report.maxMs).toBeLessThan(1000);
  });

  it('a client that catches up keeps its connection and reads the stop event last', async () => {
    const { server } = await start({ maxBufferedBytes: 128 * 1024, slowConsumerTimeoutMs: 5000 });
    const c = await wsFrom(server.wsUrl, loopback(7));
    const sub = await c.call('test_follow', [10_000]);
    c.ws.pause();
    await waitFor(() => server.limitStats['subscriptions-dropped'] === 1, 5000);
    c.ws.resume();
    const stop = await c.next((m) => m.params?.result?.event === 'stop', 5000);
    expect(stop.params.subscription).toBe(sub.result);
    const after = c.messages.length;
    await sleep(100);
    expect(c.messages.slice(after).filter((m) => m.params?.subscription === sub.result)).toEqual([]);
    expect((await c.call('system_health')).result).toEqual({ peers: 0 });
  });

  it('pipelined requests run at most maxInFlightPerConnection at a time', async () => {
    const { server } = await start({ maxInFlightPerConnection: 2 });
    const c = await wsFrom(server.wsUrl, loopback(8));
    const t0 = performance.now();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => c.call('test_sleep', [150], i)));
    expect(answers.map((a) => a.result)).toEqual(Array(6).fill(150));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(3 * 150 - 20);
  });
});

describe('response and batch sizes count bytes', () => {
  it('a batch of 1,000 heavy calls stops at the batch byte limit with -32011', async () => {
    const { server } = await start({ maxBatchResponseBytes: 1024 * 1024 });
    const c = await wsFrom(server.wsUrl, loopback(9));
    calls.big = 0;
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'test_big',
      params: [100_000],
    }));
    c.send(batch);
    const m = await c.next((x) => x.error?.code === -32011);
    expect(m.error).toEqual({
      code: -32011,
      message: 'The batch response was too large',
      data: 'Exceeded max limit of 1048576',
    });
    // It stopped early: the results never all sat in memory.
    expect(calls.big).toBeLessThan(40);
    const ok = [1, 2].map((id) => ({ jsonrpc: '2.0', id, method: 'test_big', params: [10] }));
    c.send(ok);
    const answer = await c.next((x) => Array.isArray(x));
    expect(answer.map((a: { result: string }) => a.result)).toEqual(['x'.repeat(10), 'x'.repeat(10)]);
  });

  it('a response of 0.6 M two-byte characters passes a 1 MB limit only when counted in characters: -32008', async () => {
    const { server } = await start({ maxResponseBytes: 1_000_000 });
    const c = await wsFrom(server.wsUrl, loopback(9));
    const m = await c.call('test_bigUtf8', [600_000]);
    expect(m.error.code).toBe(-32008);
    expect((await c.call('test_bigUtf8', [400_000])).result.length).toBe(400_000);
  });
});

describe('rate limit per connection (Substrate --rpc-rate-limit: calls wait)', () => {
  it('calls past the rate wait; an exempt address does not', async () => {
    const { server } = await start({ rateLimitPerMinute: 60, limitsExempt: ['127.0.0.20'] });
    const limited = await wsFrom(server.wsUrl, loopback(19));
    const exempt = await wsFrom(server.wsUrl, loopback(20));
    const time = async (c: RawWs) => {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 62 }, (_, i) => c.call('system_health', [], i)));
      return performance.now() - t0;
    };
    expect(await time(exempt)).toBeLessThan(500);
    // 60 at once (a minute's worth), then one a second.
    expect(await time(limited)).toBeGreaterThan(900);
  });
});
