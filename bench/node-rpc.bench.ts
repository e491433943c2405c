/**
 * node.rpc round trips: a client in a SEPARATE process keeps a window of `state_getStorage`-like calls in
 * flight on one WebSocket against the RPC server (registry method reading an in-memory map). Baseline: the same
 * client against a raw `ws` echo server, measured in the same run. Goal: ≥ 20,000 round trips/s.
 *
 * This file is also the client: run with XSTORAGE_BENCH_RPC_CLIENT=1 it connects, measures, prints JSON.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { MethodRegistry, p, params, RpcServer } from '../packages/node/src/rpc/index.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const GOAL_ROUNDTRIPS_PER_S = 20_000;
const KEYS = 1024;
const WARMUP_MS = 700;
const MEASURE_MS = 3000;

function keyHex(i: number): string {
  return `0x${i.toString(16).padStart(64, '0')}`;
}

interface ClientReport {
  roundtrips: number;
  ms: number;
  ok: boolean;
}

/** Child-process side: pipelined requests with `window` in flight, counts answers during MEASURE_MS. */
async function runClient(url: string, window: number): Promise<void> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await once(ws, 'open');
  let id = 0;
  const request = () =>
    `{"jsonrpc":"2.0","id":${++id},"method":"state_getStorage","params":["${keyHex(id % KEYS)}"]}`;
  let counting = false;
  let stopped = false;
  let count = 0;
  let ok = true;
  let checked = false;
  ws.on('message', (data) => {
    if (!checked) {
      checked = true;
      const m = JSON.parse(data.toString());
      // The RPC server answers with the stored value; the echo server returns the request itself.
      ok = typeof m.result === 'string' || m.method === 'state_getStorage';
    }
    if (counting) count++;
    if (!stopped) ws.send(request());
  });
  for (let i = 0; i < window; i++) ws.send(request());
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  counting = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  counting = false;
  const ms = performance.now() - start;
  stopped = true;
  process.stdout.write(`${JSON.stringify({ roundtrips: count, ms, ok } satisfies ClientReport)}\n`);
  ws.terminate();
}

async function measure(url: string, window: number, signal: AbortSignal): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), url, String(window)],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, XSTORAGE_BENCH_RPC_CLIENT: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const onAbort = () => child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d.toString();
  });
  const [code] = await once(child, 'exit');
  signal.removeEventListener('abort', onAbort);
  if (code !== 0) throw new Error(`bench client exited with ${code}`);
  const rep = JSON.parse(out.trim().split('\n').at(-1)!) as ClientReport;
  if (!rep.ok) throw new Error('bench client got wrong answers');
  return (rep.roundtrips * 1000) / rep.ms;
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

if (process.env.XSTORAGE_BENCH_RPC_CLIENT === '1') {
  await runClient(process.argv[2], Number(process.argv[3]));
  process.exit(0);
}
