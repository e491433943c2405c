/**
 * `chainHead_v1_storage` against `state_getStorage` on a node process (`xstorage node --dev --sealing manual`), both
 * from one client in a SEPARATE process (this file run as a script), reading real storage values (the dev accounts'
 * System.Account entries and `:code`) at the same block, with the same number of items in flight:
 *
 * - node.chainhead_storage_items_per_s: one chainHead_v1_follow subscription kept at its 16-operation limit
 *   (rpc-spec-v2 MAX_ONGOING_OPERATIONS; each item counts): one operation of 16 `value` items, the next sent as soon
 *   as it is done; items per second counted from `operationStorageItems` events.
 *   Baseline: `state_getStorage` round trips with 16 calls in flight on one WebSocket. Goal ≥ 0.8. Medians of
 *   three alternating rounds of each.
 * - node.chainhead_storage_items_per_s_4_follows: four subscriptions on the connection (the per-connection limit),
 *   64 items in flight; baseline `state_getStorage` with 64 in flight. One round; no goal (context).
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
} from '../packages/node/test/integration/node-process.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const WARMUP_MS = 700;
const MEASURE_MS = 3000;
const GOAL = 0.8;
const ROUNDS = 3;
/** twox128("System") ++ twox128("Account"). */
const SYSTEM_ACCOUNT = '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9';

interface Load {
  url: string;
  keys: string[];
  mode: 'chainHead' | 'getStorage';
  /** Items in flight (state_getStorage calls, or chainHead item slots over all subscriptions). */
  inFlight: number;
  /** chainHead: items per operation; subscriptions = inFlight / 16. */
  opItems: number;
}

interface Report {
  items: number;
  ms: number;
  ok: boolean;
  detail: string;
}

async function measure(load: Load, signal: AbortSignal): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const onAbort = () => child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort);
  child.stdin!.end(JSON.stringify(load));
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d.toString();
  });
  const [code] = await once(child, 'exit');
  signal.removeEventListener('abort', onAbort);
  if (code !== 0) throw new Error(`bench client exited with ${code}`);
  const rep = JSON.parse(out.trim().split('\n').at(-1)!) as Report;
  if (!rep.ok) throw new Error(`bench client got wrong answers: ${rep.detail}`);
  return (rep.items * 1000) / rep.ms;
}

const suite: BenchSuite = {
  name: 'node chainHead_v1_storage vs state_getStorage',
  async run(signal): Promise<BenchResult[]> {
    const base = await tempBasePath('bench-chainhead');
    let node: RunningNode | undefined;
    try {
      node = await startNode({ basePath: base, mode: { sealing: 'manual' } });
      const keys = await storageKeys(node.httpUrl);
      const run = (mode: Load['mode'], inFlight: number) =>
        measure({ url: node!.wsUrl, keys, mode, inFlight, opItems: 16 }, signal);
      // Alternating rounds, medians: the machine is shared, and a quiet second for one side only would decide.
      const ch16: number[] = [];
      const gs16: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        ch16.push(await run('chainHead', 16));
        gs16.push(await run('getStorage', 16));
      }
      const ch64 = await run('chainHead', 64);
      const gs64 = await run('getStorage', 64);
      return [
        result(
          'node.chainhead_storage_items_per_s',
          median(ch16),
          'items/s',
          { name: 'state_getStorage round trips, 16 in flight', value: median(gs16) },
          GOAL,
          'higher',
        ),
        result(
          'node.chainhead_storage_items_per_s_4_follows',
          ch64,
          'items/s',
          { name: 'state_getStorage round trips, 64 in flight', value: gs64 },
          null,
          'higher',
        ),
      ];
    } finally {
      await node?.stop();
      await removeDir(base);
    }
  },
};

export default suite;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The dev accounts' System.Account keys and `:code`, as real keys a client reads. */
async function storageKeys(httpUrl: string): Promise<string[]> {
  const res = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'state_getKeysPaged',
      params: [SYSTEM_ACCOUNT, 64],
    }),
  });
  const accounts = ((await res.json()) as { result: string[] }).result;
  if (accounts.length < 6) throw new Error(`expected the dev accounts, got ${accounts.length} keys`);
  return [...accounts, '0x3a636f6465'];
}

// ---- the client process ------------------------------------------------------------------------------------------

async function runClient(load: Load): Promise<void> {
  const ws = new WebSocket(load.url, { perMessageDeflate: false });
  await once(ws, 'open');
  const report = load.mode === 'chainHead' ? await chainHeadLoad(ws, load) : await getStorageLoad(ws, load);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  ws.terminate();
}

async function getStorageLoad(ws: WebSocket, load: Load): Promise<Report> {
  let id = 0;
  let counting = false;
  let stopped = false;
  let items = 0;
  let ok = true;
  let checked = 0;
  const send = () =>
    ws.send(
      `{"jsonrpc":"2.0","id":${++id},"method":"state_getStorage","params":["${load.keys[id % load.keys.length]}"]}`,
    );
  ws.on('message', (data) => {
    // Every answer is parsed, as the chainHead side parses every event: a real client reads what it asked for, and
    // the client process is the bottleneck here (the node idles about half the time).
    const m = JSON.parse(data.toString());
    if (checked < 32) {
      checked++;
      ok &&= typeof m.result === 'string' && m.result.length > 2;
    }
    if (counting) items++;
    if (!stopped) send();
  });
  for (let i = 0; i < load.inFlight; i++) send();
  return timed(
    () => {
      counting = true;
    },
    () => {
      counting = false;
      stopped = true;
      return { items, ok, detail: '' };
    },
  );
}

async function chainHeadLoad(ws: WebSocket, load: Load): Promise<Report> {
  const subs = Math.max(1, Math.floor(load.inFlight / 16));
  const perSub = Math.min(16, load.inFlight);
  let id = 0;
  const pending = new Map<number, (m: any) => void>();
  const byOp = new Map<string, string>(); // `${sub}/${operationId}` → sub
  const follows = new Map<string, { fin?: string; free: number }>();
  let ready: () => void = () => {};
  const allReady = new Promise<void>((r) => {
    ready = r;
  });
  let counting = false;
  let stopped = false;
  let items = 0;
  let ok = true;
  let detail = '';
  const call = (method: string, params: unknown[], onAnswer?: (m: any) => void) =>
    new Promise<any>((resolve) => {
      pending.set(++id, (m) => {
        // Synchronously, before the next frame: a follow's first events come right after its answer.
        onAnswer?.(m);
        resolve(m);
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  let nextKey = 0;
  const startOps = (sub: string) => {
    const f = follows.get(sub)!;
    while (!stopped && f.free >= load.opItems) {
      f.free -= load.opItems;
      const batch = [];
      for (let i = 0; i < load.opItems; i++)
        batch.push({ key: load.keys[nextKey++ % load.keys.length], type: 'value' });
      call('chainHead_v1_storage', [sub, f.fin, batch, null]).then((r) => {
        if (r.result?.result !== 'started' || r.result.discardedItems !== 0) {
          ok = false;
          detail = JSON.stringify(r).slice(0, 200);
          return;
        }
        byOp.set(`${sub}/${r.result.operationId}`, sub);
      });
    }
  };
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.id !== undefined) {
      pending.get(m.id)?.(m);
      pending.delete(m.id);
      return;
    }
    const sub = m.params?.subscription as string;
    const e = m.params?.result;
    const f = follows.get(sub);
    if (!f || !e) return;
    if (e.event === 'initialized') {
      f.fin = e.finalizedBlockHashes.at(-1);
      if ([...follows.values()].every((x) => x.fin)) ready();
    } else if (e.event === 'operationStorageItems') {
      if (counting) items += e.items.length;
      else if (!e.items.every((i: any) => typeof i.value === 'string')) ok = false;
    } else if (e.event === 'operationStorageDone') {
      f.free += load.opItems;
      startOps(sub);
    } else if (e.event.startsWith('operation') || e.event === 'stop') {
      ok = false;
      detail = JSON.stringify(e).slice(0, 200);
    }
  });
  for (let i = 0; i < subs; i++) {
    await call('chainHead_v1_follow', [false], (r) => follows.set(r.result, { free: perSub }));
  }
  await allReady;
  for (const sub of follows.keys()) startOps(sub);
  return timed(
    () => {
      counting = true;
    },
    () => {
      counting = false;
      stopped = true;
      return { items, ok, detail };
    },
  );
}

async function timed(start: () => void, stop: () => Omit<Report, 'ms'>): Promise<Report> {
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  start();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  const ms = performance.now() - t0;
  return { ...stop(), ms };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  await runClient(JSON.parse(input));
  process.exit(0);
}
