/**
 * The hostile-client kit: what an attacker on the network does to a node, as small reusable pieces any test,
 * fuzz run or bench can point at a chain node's RPC or a storage node's gateway (see README.md here).
 *
 * Payloads: deep and malformed JSON, JSON-RPC requests with random params, hostile multipart bodies.
 * Clients: idle WebSocket floods and slow-header (slowloris) sockets from any 127.0.0.0/8 address, clients that
 * never read their answers, slow upload bodies, a well-behaved latency probe to measure what the others cost.
 * Processes: the RSS of a node process, sampled; kill -9 under load.
 * Fuzzing: `fuzzFor` runs a property for a duration and reports how many inputs it tried.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import WebSocket from 'ws';

// ---------------------------------------------------------------------------------------------- payloads

/** `open` repeated `depth` times around `leaf`, closed again: `[[[…0…]]]` by default. */
export function deepJson(depth: number, open = '[', close = ']', leaf = '0'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

/** The 10 KB request that killed the node in issue 14: a `"jsonrpc"` member nested `depth` deep. */
export function deepRequest(depth = 5000, method = 'system_health'): string {
  return `{"jsonrpc":${deepJson(depth, '[', ']', '')},"id":1,"method":${JSON.stringify(method)}}`;
}

/** Frames a JSON-RPC server must answer with an error (or ignore), each on its own. */
export function malformedJsonRpcFrames(): string[] {
  return [
    '',
    ' ',
    'null',
    '0',
    '"x"',
    '[]',
    '[1,2,3]',
    '{',
    '{"jsonrpc":"2.0"',
    '{"jsonrpc":"2.0","id":1}',
    '{"jsonrpc":"2.0","id":1,"method":null}',
    '{"jsonrpc":"2.0","id":{},"method":"system_health"}',
    '{"jsonrpc":"2.0","id":1,"method":"system_health","params":7}',
    '{"jsonrpc":"2.0","id":1,"method":"system_health","params":"x"}',
    '{"jsonrpc":"2.0","id":1,"method":"__proto__"}',
    '{"jsonrpc":"2.0","id":1,"method":"constructor"}',
    '{"jsonrpc":"2.0","id":1,"method":"toString"}',
    '{"jsonrpc":"2.0","id":1,"method":"chain_getBlockHash","params":{"__proto__":{"x":1}}}',
    '{"jsonrpc":"2.0","id":1e999,"method":"system_health"}',
    '{"jsonrpc":"2.0","id":1,"method":"system_health","params":[],"params":{}}',
    `{"jsonrpc":"2.0","id":1,"method":"state_getStorage","params":["0x${'ab'.repeat(100_000)}"]}`,
    '{"jsonrpc":"2.0","id":1,"method":"chain_getBlockHash","params":[-1]}',
    '{"jsonrpc":"2.0","id":1,"method":"chain_getBlockHash","params":[1e308]}',
    '{"jsonrpc":"2.0","id":1,"method":"chain_getBlockHash","params":["0xffffffffffffffffffff"]}',
    '{"jsonrpc":"2.0","id":1,"method":"state_getStorage","params":["0xz"]}',
    '{"jsonrpc":"2.0","id":"\\ud800","method":"system_health"}',
    `[${Array(50).fill('{}').join(',')}]`,
    deepRequest(5000),
    `[${deepRequest(5000)}]`,
    deepJson(100_000),
    `{"jsonrpc":"2.0","id":1,"method":"system_health","params":${deepJson(10_000, '{"a":', '}')}}`,
  ];
}

/** A JSON value of any shape, at most a few levels deep, with the edge cases decoders trip on. */
export function jsonValue(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1, 2 ** 32, 2 ** 53, -(2 ** 53), 1e308, 0.5, '', '0x', '0x00'),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 80 }).map((b) => `0x${Buffer.from(b).toString('hex')}`),
    fc.stringMatching(/^0x[0-9a-fA-F]{0,70}$/),
  );
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}

/** A JSON-RPC request text for one of `methods` (or a random name) with random params, id and shape. */
export function jsonRpcRequest(methods: readonly string[]): fc.Arbitrary<string> {
  const method = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...methods) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  );
  const params = fc.oneof(
    fc.array(jsonValue(), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 10 }), jsonValue(), { maxKeys: 3 }),
    fc.constant(undefined),
    jsonValue(),
  );
  const id = fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.string({ maxLength: 10 }), fc.constant(null));
  const one = fc
    .record({ method, params, id, jsonrpc: fc.constantFrom('2.0', '2.0', '2.0', '1.0', 2) })
    .map((r) => JSON.stringify(r));
  return fc.oneof(
    { weight: 8, arbitrary: one },
    { weight: 1, arbitrary: fc.array(one, { minLength: 1, maxLength: 5 }).map((a) => `[${a.join(',')}]`) },
    {
      weight: 1,
      arbitrary: fc.tuple(one, fc.nat(), fc.nat()).map(([t, i, j]) => cut(t, i, j)),
    },
  );
}

/** `text` with a slice removed: truncations and holes in otherwise valid JSON. */
function cut(text: string, i: number, j: number): string {
  const a = i % (text.length + 1);
  const b = a + (j % 8);
  return text.slice(0, a) + text.slice(b);
}

/** Random bytes shaped like an extrinsic: a compact length, a version byte (signed or bare), random rest. */
export function extrinsicLikeBytes(): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(0x84, 0x04, 0x05, 0x85, 0x00, 0xff),
      fc.uint8Array({ maxLength: 300 }),
      fc.boolean(),
    )
    .map(([version, rest, honestLength]) => {
      const body = Uint8Array.from([version, ...rest]);
      const len = honestLength ? body.length : (body.length * 7 + 3) % 300;
      return Uint8Array.from([...compactLength(len), ...body]);
    });
}

/** `bytes` with a few bytes flipped, removed or inserted. */
export function mutated(bytes: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .array(fc.tuple(fc.constantFrom('flip', 'drop', 'insert'), fc.nat(), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) => {
      let out = [...bytes];
      for (const [kind, at, value] of edits) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (kind === 'flip' && out.length > 0) out[i] = out[i]! ^ (value || 1);
        else if (kind === 'drop') out = [...out.slice(0, i), ...out.slice(i + 1)];
        else out = [...out.slice(0, i), value, ...out.slice(i)];
      }
      return Uint8Array.from(out);
    });
}

/** SCALE compact encoding of a length (< 2^30). */
export function compactLength(n: number): number[] {
  if (n < 64) return [n << 2];
  if (n < 2 ** 14) return [((n << 2) | 1) & 0xff, n >> 6];
  return [((n << 2) | 2) & 0xff, (n >> 6) & 0xff, (n >> 14) & 0xff, (n >> 22) & 0xff];
}

export type HostileMultipartKind = 'traversal' | 'too-many-parts' | 'bad-escape';

/**
 * A Kubo `/api/v0/add` body whose first file part is parsed (and queued) in the same read as a later part that
 * fails: a `../evil` path (234 bytes with the request line in issue 14), 100,001 plain fields (5 MB; the
 * gateway stops at 100 fields, busboy's `parts` limit would stop it at 100,000), or a filename with a broken
 * %-escape.
 */
export function hostileMultipart(
  kind: HostileMultipartKind,
  boundary = 'b',
): { body: Buffer; contentType: string } {
  const file = (name: string, content: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n${content}\r\n`;
  let text = file('a', 'x');
  if (kind === 'traversal') text += file('../evil', 'y');
  else if (kind === 'bad-escape') text += file('%zz', 'y');
  else {
    const field = `--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\n\r\n`;
    text += field.repeat(100_001);
  }
  text += `--${boundary}--\r\n`;
  return { body: Buffer.from(text), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A random multipart-ish body: real boundaries and part heads in random order with random bytes between. */
export function multipartLikeBody(boundary = 'xyz'): fc.Arbitrary<Buffer> {
  const piece = fc.oneof(
    fc.constant(`--${boundary}\r\n`),
    fc.constant(`--${boundary}--\r\n`),
    fc.constant('\r\n'),
    fc
      .tuple(fc.constantFrom('a', '../x', '%zz', '', 'd/e', '/abs', 'a%2Fb', '..'), fc.boolean())
      .map(
        ([name, dir]) =>
          `Content-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${dir ? 'application/x-directory' : 'application/octet-stream'}\r\n\r\n`,
      ),
    fc.constant('Content-Disposition: form-data; name="f"\r\n\r\n'),
    fc.string({ maxLength: 30 }),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
  );
  return fc.array(piece, { maxLength: 12 }).map((p) => Buffer.from(p.join(''), 'latin1'));
}

// ------------------------------------------------------------------------------------------------ clients

/** `127.0.0.<n>`: every 127/8 address is this host, so each can stand for a different client. */
export function loopback(n: number): string {
  return `127.0.0.${n}`;
}

/** Opens a WebSocket from `localAddress`; resolves to the socket, or to the HTTP status it was refused with. */
export async function openWs(url: string, localAddress?: string): Promise<WebSocket | number> {
  const ws = new WebSocket(url, { perMessageDeflate: false, localAddress } as WebSocket.ClientOptions);
  ws.on('error', () => {});
  return new Promise((resolve) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.once('close', () => resolve(0));
  });
}

export interface IdleFlood {
  open: WebSocket[];
  /** Status codes of the refused ones (429 expected). */
  refused: number[];
  close(): void;
}

/** `count` WebSockets from `localAddress` that connect and then never send a thing. */
export async function idleWebSockets(url: string, count: number, localAddress?: string): Promise<IdleFlood> {
  const results = await Promise.all(Array.from({ length: count }, () => openWs(url, localAddress)));
  const open = results.filter((r): r is WebSocket => typeof r !== 'number');
  const refused = results.filter((r): r is number => typeof r === 'number');
  return {
    open,
    refused,
    close: () => {
      for (const ws of open) ws.terminate();
    },
  };
}

export interface SlowHeaders {
  /** Milliseconds each socket lasted before the server closed it. */
  closed: Promise<number[]>;
  /** The first line the server answered on each socket ('' if none). */
  answers: string[];
  destroy(): void;
}

/**
 * Slowloris: `count` TCP sockets from `localAddress` that send a request head one header every `intervalMs`
 * and never finish it (or, with `intervalMs` 0, send nothing at all).
 */
export function slowHeaderSockets(
  url: string,
  count: number,
  opts: { localAddress?: string; intervalMs?: number } = {},
): SlowHeaders {
  const { hostname, port } = new URL(url.replace(/^ws/, 'http'));
  const t0 = performance.now();
  const sockets: Socket[] = [];
  const answers: string[] = Array(count).fill('');
  const closed = Array.from({ length: count }, (_, i) => {
    const s = connect({ host: hostname, port: Number(port), localAddress: opts.localAddress });
    sockets.push(s);
    s.on('error', () => {});
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      if (answers[i] === '') answers[i] = d.split('\r\n')[0] ?? '';
    });
    let timer: NodeJS.Timeout | undefined;
    s.once('connect', () => {
      if (!opts.intervalMs) return;
      s.write('POST / HTTP/1.1\r\nHost: x\r\n');
      let n = 0;
      timer = setInterval(() => s.write(`X-Slow-${n++}: ${'a'.repeat(10)}\r\n`), opts.intervalMs);
    });
    return new Promise<number>((resolve) =>
      s.once('close', () => {
        clearInterval(timer);
        resolve(performance.now() - t0);
      }),
    );
  });
  return {
    closed: Promise.all(closed),
    answers,
    destroy: () => {
      for (const s of sockets) s.destroy();
    },
  };
}

export interface NeverReader {
  ws: WebSocket;
  /** Milliseconds from open until the server cut the connection. */
  closed: Promise<number>;
  stop(): void;
}

/**
 * A client that never reads its answers: it opens a WebSocket from `localAddress`, stops reading at once, and
 * sends `frames` (and then `frame()` every `everyMs`, e.g. pipelined `state_getMetadata` calls) until the
 * server cuts it or `stop()`.
 */
export async function neverReadingClient(
  url: string,
  opts: { localAddress?: string; frames?: string[]; frame?: () => string; everyMs?: number; burst?: number },
): Promise<NeverReader> {
  const ws = await openWs(url, opts.localAddress);
  if (typeof ws === 'number') throw new Error(`never-reading client refused with HTTP ${ws}`);
  const t0 = performance.now();
  ws.pause();
  for (const f of opts.frames ?? []) ws.send(f);
  let timer: NodeJS.Timeout | undefined;
  if (opts.frame && opts.everyMs) {
    timer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      // Only while the kernel takes our bytes: a writer blocked by the server's backpressure stays blocked.
      if (ws.bufferedAmount > 1024 * 1024) return;
      for (let i = 0; i < (opts.burst ?? 1); i++) ws.send(opts.frame!());
    }, opts.everyMs);
  }
  const closed = new Promise<number>((resolve) =>
    ws.once('close', () => {
      clearInterval(timer);
      resolve(performance.now() - t0);
    }),
  );
  return {
    ws,
    closed,
    stop: () => {
      clearInterval(timer);
      ws.terminate();
    },
  };
}

export interface SlowUploadResult {
  /** HTTP status if an answer came, else undefined. */
  status?: number;
  /** Body bytes sent before the connection ended. */
  sent: number;
  /** Milliseconds from the head until the connection ended. */
  ms: number;
}

/**
 * A slow writer: sends an HTTP request head at once, then its body `chunk` every `intervalMs` (never more
 * than `totalBytes`), and reports how far it got before the server answered or cut it.
 */
export function slowUpload(
  url: string,
  opts: {
    headers: Record<string, string>;
    first?: Buffer | string;
    chunk?: Buffer | string;
    intervalMs: number;
    totalBytes: number;
    localAddress?: string;
    method?: string;
  },
): Promise<SlowUploadResult> {
  const u = new URL(url);
  const t0 = performance.now();
  return new Promise((resolve) => {
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    let status: number | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(timer);
      resolve({ status, sent, ms: performance.now() - t0 });
    };
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      method: opts.method ?? 'POST',
      headers: { 'Content-Length': String(opts.totalBytes), ...opts.headers },
      localAddress: opts.localAddress,
    });
    req.on('response', (res) => {
      status = res.statusCode;
      res.resume();
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    req.on('error', finish);
    req.on('close', () => setTimeout(finish, 50));
    const write = (b: Buffer | string) => {
      const buf = typeof b === 'string' ? Buffer.from(b) : b;
      const piece = buf.subarray(0, Math.max(0, opts.totalBytes - sent));
      if (piece.length === 0) return;
      sent += piece.length;
      req.write(piece);
    };
    if (opts.first) write(opts.first);
    else req.flushHeaders();
    timer = setInterval(() => {
      if (done || req.destroyed) return clearInterval(timer);
      write(opts.chunk ?? 'x');
    }, opts.intervalMs);
  });
}

export interface ProbeReport {
  calls: number;
  errors: number;
  maxMs: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * A well-behaved client: one call at a time (`method`/`params`) on its own WebSocket from `localAddress`, every
 * `intervalMs` (0 = back to back), recording each round trip. A call without an answer within `timeoutMs`
 * counts as an error and as `timeoutMs` of latency.
 */
export async function latencyProbe(
  url: string,
  opts: {
    method?: string;
    params?: unknown[];
    intervalMs?: number;
    localAddress?: string;
    timeoutMs?: number;
  } = {},
): Promise<{ stop(): Promise<ProbeReport> }> {
  const ws = await openWs(url, opts.localAddress ?? loopback(1));
  if (typeof ws === 'number') throw new Error(`latency probe refused with HTTP ${ws}`);
  const method = opts.method ?? 'system_health';
  const timeoutMs = opts.timeoutMs ?? 5000;
  const latencies: number[] = [];
  let errors = 0;
  let running = true;
  let id = 0;
  const pending = new Map<number, (ok: boolean) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { id?: number; error?: unknown };
    if (typeof m.id === 'number') pending.get(m.id)?.(m.error === undefined);
  });
  const loop = (async () => {
    while (running && ws.readyState === WebSocket.OPEN) {
      const myId = ++id;
      const t = performance.now();
      const ok = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        pending.set(myId, (v) => {
          clearTimeout(timer);
          resolve(v);
        });
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: myId, method, params: opts.params ?? [] }));
      });
      pending.delete(myId);
      latencies.push(performance.now() - t);
      if (!ok) errors++;
      if (opts.intervalMs) await new Promise((r) => setTimeout(r, opts.intervalMs));
    }
    if (running) errors++; // closed under us
  })();
  return {
    async stop() {
      running = false;
      await loop;
      ws.terminate();
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { calls: latencies.length, errors, maxMs: sorted.at(-1) ?? 0, p50Ms: at(0.5), p99Ms: at(0.99) };
    },
  };
}

// ---------------------------------------------------------------------------------------------- processes

/** Resident set size of process `pid` in MiB (Linux `/proc/<pid>/status`). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Samples `rssMiB(pid)` every `everyMs` until `stop()`; reports the peak and the last sample. */
export function sampleRss(pid: number, everyMs = 100): { stop(): { peakMiB: number; lastMiB: number } } {
  let peak = 0;
  let last = 0;
  const take = () => {
    try {
      last = rssMiB(pid);
      peak = Math.max(peak, last);
    } catch {
      // The process is gone.
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakMiB: peak, lastMiB: last };
    },
  };
}

/** Runs `load()` (which starts hostile clients and returns their stopper), waits `afterMs`, then kill -9s `pid`. */
export async function kill9UnderLoad(
  pid: number,
  load: () => Promise<() => void>,
  afterMs: number,
): Promise<void> {
  const stopLoad = await load();
  await new Promise((r) => setTimeout(r, afterMs));
  process.kill(pid, 'SIGKILL');
  stopLoad();
}

// ---------------------------------------------------------------------------------------------- fuzzing

export interface FuzzReport {
  /** Inputs tried. */
  runs: number;
  ms: number;
}

/**
 * Runs `check` on inputs from `arb` for `durationMs` (or until `maxRuns`); any throw from `check` fails with
 * fast-check's shrunk counterexample. Resolves to how many inputs were tried.
 */
export async function fuzzFor<T>(
  arb: fc.Arbitrary<T>,
  check: (input: T) => Promise<void> | void,
  opts: { durationMs: number; maxRuns?: number; seed?: number },
): Promise<FuzzReport> {
  let runs = 0;
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      runs++;
      await check(input);
    }),
    {
      numRuns: opts.maxRuns ?? 1_000_000_000,
      interruptAfterTimeLimit: opts.durationMs,
      markInterruptAsFailure: false,
      seed: opts.seed,
    },
  );
  return { runs, ms: performance.now() - t0 };
}

/** Waits for `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once `emitter` emits `event` or `ms` passed (then with undefined). */
export async function onceWithin<T = unknown[]>(
  emitter: NodeJS.EventEmitter,
  event: string,
  ms: number,
): Promise<T | undefined> {
  const ac = new AbortController();
  const t = setTimeout(() => ac.abort(), ms);
  try {
    return (await once(emitter, event, { signal: ac.signal })) as T;
  } catch {
    return undefined;
  } finally {
    clearTimeout(t);
  }
}
