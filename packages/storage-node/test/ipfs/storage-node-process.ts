/**
 * `xstorage storage-node` as a child process for tests: its JSON event lines, a wait for the next event of a kind,
 * its exit. Every process started here is SIGKILLed by `killStorageNodeProcesses()` (call it in afterAll).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { builtCliMain } from '../../../cli/dist-path.ts';

const children = new Set<ChildProcess>();

export function killStorageNodeProcesses(): void {
  for (const child of children) child.kill('SIGKILL');
}

export interface Running {
  child: ChildProcess;
  events: Array<Record<string, any>>;
  next(event: string, where?: (e: Record<string, any>) => boolean): Promise<Record<string, any>>;
  exit: Promise<number | null>;
  stderr: () => string;
}

/** `xstorage storage-node …` from the bundled command (`npm run build`), as users run it. */
export function xstorage(args: string[]): Running {
  const child = spawn(process.execPath, [builtCliMain(), 'storage-node', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: resolve(import.meta.dirname, '../../../..'),
  });
  children.add(child);
  const events: Array<Record<string, any>> = [];
  const waiters: Array<() => void> = [];
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      events.push(JSON.parse(line));
    } catch {
      return;
    }
    for (const w of waiters.splice(0)) w();
  });
  const exit = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      children.delete(child);
      for (const w of waiters.splice(0)) w();
      r(code);
    }),
  );
  const next = async (event: string, where: (e: Record<string, any>) => boolean = () => true) => {
    for (;;) {
      const found = events.find((e) => e.event === event && where(e));
      if (found) return found;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`xstorage exited (${child.exitCode ?? child.signalCode}) before '${event}': ${err}`);
      }
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { child, events, next, exit, stderr: () => err };
}
