/**
 * Starts `xstorage node …` (the bundled CLI, as users run it) as its own process for the network tests: waits for
 * the JSON ready line (its listen multiaddrs and peer id), keeps every JSON line it prints, and stops it (SIGTERM;
 * SIGKILL after a grace period). Plus a tiny HTTP JSON-RPC call helper.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { builtCliMain } from '../../../cli/dist-path.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

export interface ChainProcess {
  name: string;
  child: ChildProcess;
  ready: {
    rpcUrl: string;
    httpUrl: string;
    genesisHash: string;
    peerId: string;
    listenAddresses: string[];
    role: string;
    bestNumber: number;
  };
  lines: Array<Record<string, unknown>>;
  stderr(): string;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

export async function killAll(): Promise<void> {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `xstorage-net-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function rpcCall<T>(httpUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export async function startChainNode(
  name: string,
  args: string[],
  readyTimeoutMs = 30_000,
): Promise<ChainProcess> {
  const child = spawn(process.execPath, [builtCliMain(), 'node', '--json', '--rpc-port', '0', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    err = (err + d).slice(-50_000);
  });
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      running.delete(child);
      r();
    }),
  );
  const lines: Array<Record<string, unknown>> = [];
  const ready = await new Promise<ChainProcess['ready']>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name}: no ready line in ${readyTimeoutMs} ms; ${JSON.stringify(lines)} ${err}`));
    }, readyTimeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let j: Record<string, unknown>;
      try {
        j = JSON.parse(line);
      } catch {
        return;
      }
      lines.push(j);
      if (j.event === 'ready') {
        clearTimeout(timer);
        resolveReady(j as unknown as ChainProcess['ready']);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before its ready line: ${JSON.stringify(lines)} ${err}`));
    });
  });
  return {
    name,
    child,
    ready,
    lines,
    stderr: () => err,
    rpc: (method, params) => rpcCall(ready.httpUrl, method, params),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** The last error lines the processes printed (for a timeout's message). */
export function diagnostics(nodes: Array<ChainProcess | undefined>): string {
  return nodes
    .filter((n): n is ChainProcess => n !== undefined)
    .map((n) => {
      const errors = n.lines.filter((l) => l.event === 'error' || l.event === 'network').slice(-4);
      return `${n.name}: ${JSON.stringify(errors)} ${n.stderr().slice(-300)}`;
    })
    .join('; ');
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string | (() => string),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface HeaderJson {
  parentHash: string;
  number: string;
  stateRoot: string;
}

export const headerNumber = (h: HeaderJson) => Number.parseInt(h.number, 16);
