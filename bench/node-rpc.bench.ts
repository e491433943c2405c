import { once } from 'node:events';
import { MethodRegistry, p, params, RpcServer } from '@xstorage/node/rpc';
import { WebSocketServer } from 'ws';
import { type BenchResult, type BenchSuite, result } from './lib.ts';
import { measureRoundtrips } from './ws-roundtrip-client.ts';

const GOAL_ROUNDTRIPS_PER_S = 20_000;
const KEYS = 1024;

function keyHex(i: number): string {
  return `0x${i.toString(16).padStart(64, '0')}`;
}

const suite: BenchSuite = {
  name: 'node RPC server round trips',
  async run(signal): Promise<BenchResult[]> {
    const store = new Map<string, string>();
    for (let i = 0; i < KEYS; i++) store.set(keyHex(i), `0x${'ab'.repeat(64)}`);
    const registry = new MethodRegistry().method({
      name: 'state_getStorage',
      params: params(['key', p.hex()], ['at', p.optional(p.hash())]),
      handler: ([key]) => store.get(`0x${Buffer.from(key).toString('hex')}`) ?? null,
    });
    const server = new RpcServer(registry, { port: 0 });
    await server.start();
    const echo = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    await once(echo, 'listening');
    echo.on('connection', (ws) => ws.on('message', (d, isBinary) => ws.send(d, { binary: isBinary })));
    const echoUrl = `ws://127.0.0.1:${(echo.address() as { port: number }).port}`;
    const keys = Array.from({ length: KEYS }, (_, i) => keyHex(i));
    const measure = (url: string, window: number, signal: AbortSignal) =>
      measureRoundtrips(url, { window, keys, minResultChars: 1 }, signal);
    try {
      const pipelined = 64;
      const rpc = await measure(server.wsUrl, pipelined, signal);
      const base = await measure(echoUrl, pipelined, signal);
      const rpcSeq = await measure(server.wsUrl, 1, signal);
      const baseSeq = await measure(echoUrl, 1, signal);
      return [
        // goal as a ratio of this run's baseline that corresponds to the absolute goal of 20,000/s
        result(
          'node.rpc.roundtrips_per_s',
          rpc,
          'ops/s',
          { name: `raw ws echo (window ${pipelined})`, value: base },
          Number((GOAL_ROUNDTRIPS_PER_S / base).toPrecision(3)),
          'higher',
        ),
        result(
          'node.rpc.sequential_roundtrips_per_s',
          rpcSeq,
          'ops/s',
          { name: 'raw ws echo (window 1)', value: baseSeq },
          null,
          'higher',
        ),
      ];
    } finally {
      for (const c of echo.clients) c.terminate();
      echo.close();
      await server.stop();
    }
  },
};

export default suite;
