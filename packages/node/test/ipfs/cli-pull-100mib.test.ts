/**
 * Storage nodes as separate processes (`xstorage storage-node`) over loopback: one adds 100 MiB, three others
 * pull it at once (its trustless gateway and bitswap as providers) and hold identical bytes; SIGTERM stops the
 * provider cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { FsBlockstore } from 'blockstore-fs';
import { CID } from 'multiformats/cid';
import { afterAll, describe, expect, it } from 'vitest';
import { contentSha256, deterministicBytes, realGatewayAvailable, sha256Hex, tempDir } from './helpers.ts';

const MAIN = resolve(import.meta.dirname, '../../../cli/src/main.ts');
const children = new Set<ChildProcess>();
const dirs: Array<{ remove(): Promise<void> }> = [];

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const d of dirs) await d.remove();
});

interface Running {
  child: ChildProcess;
  events: Array<Record<string, any>>;
  next(event: string, where?: (e: Record<string, any>) => boolean): Promise<Record<string, any>>;
  exit: Promise<number | null>;
  stderr: () => string;
}

/**
 * Node 24 runs the puller's TypeScript natively (type stripping), which starts in a fraction of tsx's time on
 * a busy two-core machine; the gateway's code needs tsx, so a node serving it is started through tsx.
 */
function xstorage(args: string[]): Running {
  const loader = args.includes('--gateway-port') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, MAIN, 'storage-node', ...args], {
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

describe('storage-node processes: 100 MiB', () => {
  it('a 100 MiB file added on one node is pulled by three others at once, byte-identical', async () => {
    const work = await tempDir('cli-100m');
    dirs.push(work);
    const bytes = deterministicBytes(100 * 1024 * 1024, 42);
    const file = join(work.path, 'file.bin');
    await writeFile(file, bytes);
    const expected = sha256Hex(bytes);

    const withGateway = realGatewayAvailable() ? ['--gateway-port', '0'] : [];
    const provider = xstorage([
      '--base-path',
      join(work.path, 'provider'),
      '--json',
      '--add',
      file,
      ...withGateway,
    ]);
    const started = await provider.next('started');
    expect(started.peerId).toMatch(/^12D3KooW/);
    const added = await provider.next('added');
    expect(added.size).toBe(bytes.length);
    const address = started.multiaddrs[0] as string;
    // The trustless gateway is the fast path (bitswap is covered in fetcher.test.ts; it is the fallback here).
    const providers = ['--provider', started.gateway ?? address];

    const pullers = [1, 2, 3].map((i) =>
      xstorage([
        '--base-path',
        join(work.path, `puller-${i}`),
        '--json',
        '--fetch',
        added.cid,
        ...providers,
        '--timeout',
        '140',
        '--exit-when-done',
      ]),
    );
    const codes = await Promise.all(pullers.map((p) => p.exit));
    expect(codes, pullers.map((p) => p.stderr()).join('\n')).toEqual([0, 0, 0]);
    for (const [i, p] of pullers.entries()) {
      const fetched = await p.next('fetched');
      expect(fetched.status).toBe('complete');
      expect(fetched.bytes).toBe(added.dagSize);
      const store = new FsBlockstore(join(work.path, `puller-${i + 1}`, 'blocks'));
      await store.open();
      expect(await contentSha256(store, CID.parse(added.cid))).toBe(expected);
      await store.close();
    }

    provider.child.kill('SIGTERM');
    expect(await provider.exit).toBe(0);
    expect(provider.events.some((e) => e.event === 'stopped')).toBe(true);
    // ~15 s on an idle two-core machine; the margin is for a CI machine shared with other suites' processes.
  }, 150_000);
});
