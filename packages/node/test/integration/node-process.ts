/**
 * Runs the chain node as a SEPARATE process, exactly as a user starts it
 * (`xstorage node --dev --base-path <dir> --rpc-port <p> [--sealing …|--block-time ms] --json`), waits for its
 * one-line JSON ready message, and stops it (SIGTERM, or SIGKILL for crash tests). Also: a free loopback port,
 * temp base paths, and an `ApiPromise` whose creation cannot hang (it never rejects when a node answers errors).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { builtCliMain } from '../../../cli/dist-path.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

export class NodeProcessError extends Error {
  override readonly name = 'NodeProcessError';
}

/** A port nobody listens on right now (the OS picks it; we release it for the node to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function tempBasePath(prefix = 'node'): Promise<string> {
  return mkdtemp(join(tmpdir(), `xstorage-it-${prefix}-`));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

export type Sealing = { sealing: 'instant' | 'manual' } | { blockTimeMs: number };

export interface NodeOptions {
  basePath: string;
  /** Default: a fresh free port. */
  port?: number;
  /** Default: instant sealing. */
  mode?: Sealing;
  extraArgs?: string[];
  /** How long to wait for the ready line. */
  readyTimeoutMs?: number;
}

/** The ready line as printed with `--json` (fields the brief documents; extra fields are kept in `raw`). */
export interface ReadyInfo {
  raw: Record<string, unknown>;
  genesisHash?: string;
  bestNumber?: number;
}

export interface RunningNode {
  child: ChildProcess;
  port: number;
  wsUrl: string;
  httpUrl: string;
  ready: ReadyInfo;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  stdoutLines: string[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL (kill -9) and wait for the exit. */
  kill9(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** For afterAll: nothing we started outlives the test file. */
export async function killAllStarted(): Promise<void> {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export function nodeArgs(opts: {
  basePath: string;
  port: number;
  mode?: Sealing;
  extraArgs?: string[];
}): string[] {
  const mode = opts.mode ?? { sealing: 'instant' };
  return [
    'node',
    '--dev',
    '--base-path',
    opts.basePath,
    '--rpc-port',
    String(opts.port),
    ...('sealing' in mode ? ['--sealing', mode.sealing] : ['--block-time', String(mode.blockTimeMs)]),
    '--json',
    ...(opts.extraArgs ?? []),
  ];
}

/**
 * `node packages/cli/dist/main.mjs node …` (the bundled command `npm run build` makes, which `npm run xstorage`
 * runs) with the same Node binary as the caller, without npm's own start-up in the measurement.
 */
export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  const port = opts.port ?? (await freePort());
  const t0 = performance.now();
  const child = spawn(process.execPath, [builtCliMain(), ...nodeArgs({ ...opts, port })], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    err += d;
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      r({ code, signal });
    }),
  );
  const stdoutLines: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const ready = await new Promise<ReadyInfo>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new NodeProcessError(
          `no JSON ready line within ${readyTimeoutMs} ms; stdout: ${stdoutLines.join('\n').slice(-2000)}; stderr: ${err.slice(-2000)}`,
        ),
      );
    }, readyTimeoutMs);
    lines.on('line', (line) => {
      stdoutLines.push(line);
      const parsed = parseReadyLine(line);
      if (parsed) {
        clearTimeout(timer);
        resolveReady(parsed);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new NodeProcessError(
          `node exited (${code ?? signal}) before its ready line; args: ${nodeArgs({ ...opts, port }).join(' ')}; stdout: ${stdoutLines.join('\n').slice(-2000)}; stderr: ${err.slice(-3000)}`,
        ),
      );
    });
  });
  const readyMs = performance.now() - t0;
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const r = await exited;
      clearTimeout(t);
      return r;
    }
    return exited;
  };
  const kill9 = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return {
    child,
    port,
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    ready,
    readyMs,
    stdoutLines,
    stderr: () => err,
    exited,
    stop,
    kill9,
  };
}

/** A JSON object line is the ready message; field names are read leniently (camelCase or snake_case). */
export function parseReadyLine(line: string): ReadyInfo | undefined {
  const s = line.trim();
  if (!s.startsWith('{')) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(s);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const pick = (...names: string[]) => names.map((n) => raw[n]).find((v) => v !== undefined);
  const genesis = pick('genesisHash', 'genesis_hash', 'genesis');
  const best = pick('bestNumber', 'best_number', 'best', 'bestBlock');
  const bestNumber =
    typeof best === 'number'
      ? best
      : typeof best === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(best)
        ? Number(best)
        : typeof best === 'object' &&
            best !== null &&
            typeof (best as { number?: unknown }).number === 'number'
          ? (best as { number: number }).number
          : undefined;
  return { raw, genesisHash: typeof genesis === 'string' ? genesis : undefined, bestNumber };
}

export async function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
  onTimeout?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new NodeProcessError(`${what} did not finish within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `ApiPromise.create` against `wsUrl`, bounded by `timeoutMs`: it never rejects when the node answers errors
 * (it waits forever for metadata), so a timeout turns that into a failure that names the cause. The provider
 * does not reconnect on its own (crash tests kill the node on purpose).
 */
export async function connectApi(wsUrl: string, timeoutMs = 30_000): Promise<ApiPromise> {
  const provider = new WsProvider(wsUrl, false);
  const errors: string[] = [];
  provider.on('error', (e: unknown) => errors.push(String((e as Error)?.message ?? e)));
  await withTimeout(provider.connect(), timeoutMs, `WebSocket connect to ${wsUrl}`, () => {
    void provider.disconnect().catch(() => {});
  });
  const apiP = ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  let api: ApiPromise | undefined;
  apiP.then(
    (a) => {
      api = a;
    },
    () => {},
  );
  try {
    return await withTimeout(apiP, timeoutMs, `ApiPromise.create(${wsUrl})`, () => {
      void provider.disconnect().catch(() => {});
      void api?.disconnect().catch(() => {});
    });
  } catch (e) {
    throw new NodeProcessError(
      `${(e as Error).message}${errors.length ? `; errors: ${errors.join('; ')}` : ''}`,
    );
  }
}

/** Polls `fn` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitUntil<T>(
  fn: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline)
      throw new NodeProcessError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
