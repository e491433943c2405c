/**
 * The RPC round-trip load both node benches use (bench/node-rpc.bench.ts against the bare RPC server,
 * bench/node-chain.bench.ts against a node process), and their common baseline against a raw `ws` echo server.
 *
 * A client in a SEPARATE process (this file run as a script; the measuring process must not share its event
 * loop) keeps `window` `state_getStorage` calls in flight on one WebSocket, cycling through `keys`, and counts
 * answers for MEASURE_MS after WARMUP_MS. It checks its first answers: a hex result of at least
 * `minResultChars` characters, or the request itself (the echo server).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const WARMUP_MS = 700;
const MEASURE_MS = 3000;
const CHECKED_ANSWERS = 16;

export interface RoundtripLoad {
  window: number;
  keys: string[];
  minResultChars: number;
}

interface ClientReport {
  roundtrips: number;
  ms: number;
  ok: boolean;
}

/** Round trips per second of `load` against `url`, from a child process. */
export async function measureRoundtrips(
  url: string,
  load: RoundtripLoad,
  signal: AbortSignal,
): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const onAbort = () => child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort);
  // The keys go over stdin: a node's real storage keys can outgrow a command line.
  child.stdin!.end(JSON.stringify({ url, ...load }));
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

async function runClient({
  url,
  window,
  keys,
  minResultChars,
}: RoundtripLoad & { url: string }): Promise<void> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await once(ws, 'open');
  let id = 0;
  const request = () =>
    `{"jsonrpc":"2.0","id":${++id},"method":"state_getStorage","params":["${keys[id % keys.length]}"]}`;
  let counting = false;
  let stopped = false;
  let count = 0;
  let ok = true;
  let checked = 0;
  ws.on('message', (data) => {
    if (checked < CHECKED_ANSWERS) {
      checked++;
      const m = JSON.parse(data.toString());
      ok &&=
        (typeof m.result === 'string' && m.result.length >= minResultChars) ||
        m.method === 'state_getStorage';
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  await runClient(JSON.parse(input));
  process.exit(0);
}
