/**
 * Starts `xstorage devnet --json` (the bundled command users run) as a child process for a test file, waits for its
 * `ready` line and gives the endpoints; `stop()` sends SIGINT and waits for a clean exit. One devnet per test file:
 * multi-chain start-up is the slow part on two cores.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCliMain } from '../../../cli/dist-path.ts';
import type { DevnetEndpoints } from '../../src/devnet/endpoints.ts';

export interface SpawnedDevnet {
  endpoints: DevnetEndpoints;
  basePath: string;
  child: ChildProcess;
  /** Every JSON line printed so far. */
  events: Array<Record<string, unknown>>;
  /** SIGINT, then the exit code (SIGKILL after `ms`). */
  stop(ms?: number): Promise<number | null>;
  /** stop() and remove the base path (unless it was given). */
  dispose(): Promise<void>;
}

export interface SpawnDevnetOptions {
  parachains?: string[];
  blockTimeMs?: number;
  basePath?: string;
  extraArgs?: string[];
  readyTimeoutMs?: number;
  /** Storage nodes on Crust (`--storage-nodes`); tests that do not need them start none (the CLI's default is 4). */
  storageNodes?: number;
}

export async function spawnDevnet(o: SpawnDevnetOptions = {}): Promise<SpawnedDevnet> {
  const ownDir = o.basePath === undefined;
  const basePath = o.basePath ?? (await mkdtemp(join(tmpdir(), 'xstorage-devnet-test-')));
  const args = [
    builtCliMain(),
    'devnet',
    '--json',
    '--rpc-port',
    '0',
    '--base-path',
    basePath,
    '--block-time',
    String(o.blockTimeMs ?? 500),
    ...(o.parachains ? ['--parachains', o.parachains.join(',')] : []),
    '--storage-nodes',
    String(o.storageNodes ?? 0),
    ...(o.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Array<Record<string, unknown>> = [];
  let stderr = '';
  let buf = '';
  child.stdout!.on('data', (d) => {
    buf += d;
    let i = buf.indexOf('\n');
    while (i >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        events.push(JSON.parse(line));
      } catch {
        events.push({ event: 'text', line });
      }
      i = buf.indexOf('\n');
    }
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const endpoints = await new Promise<DevnetEndpoints>((resolveReady, rejectReady) => {
    const t0 = Date.now();
    const tick = () => {
      const ready = events.find((e) => e.event === 'ready');
      if (ready) return resolveReady(ready.endpoints as DevnetEndpoints);
      if (child.exitCode !== null || Date.now() - t0 > (o.readyTimeoutMs ?? 45_000)) {
        child.kill('SIGKILL');
        return rejectReady(
          new Error(`devnet not ready (exit ${child.exitCode}): ${JSON.stringify(events)} ${stderr}`),
        );
      }
      setTimeout(tick, 50);
    };
    tick();
  });
  const stop = async (ms = 15_000) => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return {
    endpoints,
    basePath,
    child,
    events,
    stop,
    async dispose() {
      await stop();
      if (ownDir) await rm(basePath, { recursive: true, force: true });
    },
  };
}
