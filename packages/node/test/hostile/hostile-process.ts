/**
 * Hostile clients in a process of their own. Twenty clients pipelining requests keep an event loop busy: run in
 * the measuring process they would delay its own well-behaved probe and make the node look slow. This file is
 * both the spawner (`startHostileProcess`) and, run as a script, the child that drives the loads with the kit
 * and reports one JSON line per event on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  type HostileMultipartKind,
  hostileMultipart,
  idleWebSockets,
  loopback,
  type NeverReader,
  neverReadingClient,
  openWs,
  sleep,
  slowHeaderSockets,
  slowUpload,
} from './kit.ts';

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
  | { kind: 'slow-headers'; url: string; count: number; address: number; intervalMs: number }
  /** `count` WebSockets from 127.0.0.<firstAddress…> sending one of `frames` every `everyMs` (reading answers). */
  | {
      kind: 'frame-spam';
      url: string;
      count: number;
      firstAddress: number;
      frames: string[];
      everyMs: number;
    }
  /** `count` uploads to a gateway (`url`), each by a fresh W3Auth key, sending a byte every `intervalMs`,
   * started again when the gateway ends one. */
  | { kind: 'drip-uploads'; url: string; count: number; firstAddress: number; intervalMs: number }
  /** `count` clients posting the kit's hostile multipart bodies, one every `everyMs`, each with a W3Auth
   * header not used before (`keys` of them made before the attack starts, as an attacker makes them offline). */
  | {
      kind: 'multipart-spam';
      url: string;
      count: number;
      firstAddress: number;
      everyMs: number;
      keys: number;
      /** Which of the kit's bodies (default all three in turn). */
      bodies?: HostileMultipartKind[];
    };

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
    } else if (load.kind === 'slow-headers') {
      slowHeaderSockets(load.url, load.count, {
        localAddress: loopback(load.address),
        intervalMs: load.intervalMs,
      });
    } else if (load.kind === 'frame-spam') {
      for (let i = 0; i < load.count; i++) {
        const ws = await openWs(load.url, loopback(load.firstAddress + i));
        if (typeof ws === 'number') continue;
        let n = 0;
        setInterval(() => {
          if (ws.readyState === ws.OPEN) ws.send(load.frames[n++ % load.frames.length]!);
        }, load.everyMs);
      }
    } else if (load.kind === 'drip-uploads') {
      const { substrateAuth } = await import('../../../storage-node/test/gateway/helpers.ts');
      const boundary = 'drip';
      const one = async (i: number): Promise<void> => {
        const auth = (await substrateAuth(`//drip/${i}/${Date.now()}/${Math.random()}`)).header;
        await slowUpload(`${load.url}/api/v0/add`, {
          headers: { Authorization: auth, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
          first: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="d"\r\n\r\n`,
          intervalMs: load.intervalMs,
          totalBytes: 64 * 1024 * 1024,
          localAddress: loopback(load.firstAddress + i),
        });
        return one(i);
      };
      for (let i = 0; i < load.count; i++) void one(i);
    } else {
      const { substrateAuth } = await import('../../../storage-node/test/gateway/helpers.ts');
      const kinds = load.bodies ?? (['traversal', 'bad-escape', 'too-many-parts'] as const);
      const headers: string[] = [];
      for (let k = 0; k < load.keys; k++)
        headers.push((await substrateAuth(`//spam/${k}/${Date.now()}`)).header);
      // Made once: building a 5 MB form per request would only measure this process.
      const bodies = kinds.map((k) => hostileMultipart(k));
      let next = 0;
      for (let i = 0; i < load.count; i++) {
        let n = 0;
        const loop = async (): Promise<void> => {
          const auth = headers[next++ % headers.length]!;
          const { body, contentType } = bodies[n++ % bodies.length]!;
          await slowUpload(`${load.url}/api/v0/add`, {
            headers: { Authorization: auth, 'Content-Type': contentType },
            first: body,
            intervalMs: 1000,
            totalBytes: body.length,
            localAddress: loopback(load.firstAddress + i),
          });
          await sleep(load.everyMs);
          return loop();
        };
        void loop();
      }
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
