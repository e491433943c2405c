/**
 * Hostile clients in a process of their own. Twenty clients pipelining requests keep an event loop busy: run in
 * the measuring process they would delay its own well-behaved probe and make the node look slow. This file is
 * both the spawner (`startHostileProcess`) and, run as a script, the child that drives the loads with the kit
 * and reports one JSON line per event on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { idleWebSockets, loopback, type NeverReader, neverReadingClient, slowHeaderSockets } from './kit.ts';

export type HostileLoad =
  /** `count` clients from 127.0.0.<firstAddress…> that never read; they send `frames`, then `frame` in bursts. */
  | {
      kind: 'never-readers';
      url: string;
      count: number;
      firstAddress: number;
      frames?: string[];
      frame?: string;
      everyMs?: number;
      burst?: number;
    }
  /** `count` WebSockets from 127.0.0.<address> that stay silent. */
  | { kind: 'idle-flood'; url: string; count: number; address: number }
  /** `count` sockets from 127.0.0.<address> sending a request head one header every `intervalMs`. */
  | { kind: 'slow-headers'; url: string; count: number; address: number; intervalMs: number };

export interface HostileProcess {
  pid: number;
  /** Milliseconds after which the server cut each never-reading client (once all are cut). */
  neverReadersCut: Promise<number[]>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** For afterAll: nothing started here outlives the test file. */
export function killHostileProcesses(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
}

/** Starts `loads` in a child process; resolves once every client is connected. */
export async function startHostileProcess(loads: HostileLoad[]): Promise<HostileProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      children.delete(child);
      r();
    }),
  );
  child.stdin!.end(JSON.stringify(loads));
  const cut: number[] = [];
  const expected = loads.reduce((n, l) => n + (l.kind === 'never-readers' ? l.count : 0), 0);
  let allCut!: (v: number[]) => void;
  const neverReadersCut = new Promise<number[]>((r) => {
    allCut = r;
  });
  if (expected === 0) allCut([]);
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const e = JSON.parse(line) as { event: string; ms?: number; message?: string };
      if (e.event === 'ready') resolve();
      else if (e.event === 'error') reject(new Error(`hostile process: ${e.message}`));
      else if (e.event === 'cut') {
        cut.push(e.ms!);
        if (cut.length === expected) allCut(cut);
      }
    });
    void exited.then(() => reject(new Error('hostile process exited before its clients were ready')));
  });
  await ready;
  return {
    pid: child.pid!,
    neverReadersCut,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function runLoads(loads: HostileLoad[]): Promise<void> {
  const say = (e: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(e)}\n`);
  const readers: NeverReader[] = [];
  for (const load of loads) {
    if (load.kind === 'never-readers') {
      const started = await Promise.all(
        Array.from({ length: load.count }, (_, i) =>
          neverReadingClient(load.url, {
            localAddress: loopback(load.firstAddress + i),
            frames: load.frames,
            frame: load.frame === undefined ? undefined : () => load.frame!,
            everyMs: load.everyMs,
            burst: load.burst,
          }),
        ),
      );
      for (const r of started) void r.closed.then((ms) => say({ event: 'cut', ms }));
      readers.push(...started);
    } else if (load.kind === 'idle-flood') {
      await idleWebSockets(load.url, load.count, loopback(load.address));
    } else {
      slowHeaderSockets(load.url, load.count, {
        localAddress: loopback(load.address),
        intervalMs: load.intervalMs,
      });
    }
  }
  say({ event: 'ready' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  runLoads(JSON.parse(input) as HostileLoad[]).catch((err) => {
    process.stdout.write(`${JSON.stringify({ event: 'error', message: (err as Error).message })}\n`);
    process.exit(1);
  });
}
