/**
 * IPFS transfer figures, each next to a bound measured in the same run:
 * - `ipfs.import_mb_s`: Kubo-identical `ipfs add` into the on-disk blockstore vs sha256 of the same bytes.
 * - `ipfs.pull_fast_mb_s` / `ipfs.pull_bitswap_mb_s`: a storage-node process pulls 100 MiB from another (the
 *   trustless-gateway CAR fast path, then bitswap alone) vs a plain libp2p stream (TCP + noise + yamux, the
 *   same stack) pushing the same number of bytes between two processes.
 * - `ipfs.pull_3_nodes_ratio`: three nodes pull the same 100 MiB at once; wall time vs one pull.
 *
 * Run as `npx tsx bench/run.ts ipfs`. Started with `--stream-peer`, this file is the far end of the stream
 * baseline instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { DiskBlockstore } from '../packages/node/src/ipfs/disk-blockstore.ts';
import { addBytes } from '../packages/node/src/ipfs/import-options.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const PROTOCOL = '/xstorage/bench/push/1.0.0';
const MIB = 1024 * 1024;
const PULL_BYTES = 100 * MIB;
const IMPORT_BYTES = 64 * MIB;
const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/cli/src/main.ts');

function bytesOf(n: number, seed: number): Buffer {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(n)), cipher.final()]);
}

function libp2pStack() {
  return {
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
  };
}

/** The far end of the stream baseline: pushes the requested number of bytes down each new stream. */
async function streamPeer(): Promise<void> {
  const node = await createLibp2p(libp2pStack());
  const chunk = bytesOf(256 * 1024, 3);
  await node.handle(PROTOCOL, async (stream) => {
    let left = PULL_BYTES;
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!stream.send(piece)) await stream.onDrain();
    }
    await stream.close();
  });
  console.log(JSON.stringify({ multiaddr: node.getMultiaddrs()[0].toString() }));
  process.once('SIGTERM', () => void Promise.resolve(node.stop()).then(() => process.exit(0)));
}

interface Child {
  child: ChildProcess;
  next(where: (e: Record<string, any>) => boolean): Promise<Record<string, any>>;
  exit: Promise<number | null>;
}

function run(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
  const events: Array<Record<string, any>> = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
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
      for (const w of waiters.splice(0)) w();
      r(code);
    }),
  );
  return {
    child,
    exit,
    async next(where) {
      for (;;) {
        const found = events.find(where);
        if (found) return found;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`child exited: ${stderr}`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

/** MB/s of a plain libp2p stream (noise + yamux over TCP) from another process to this one. */
async function streamBaseline(): Promise<number> {
  const peer = run([join(ROOT, 'bench/ipfs-transfer.bench.ts'), '--stream-peer']);
  const node = await createLibp2p(libp2pStack());
  try {
    const { multiaddr: address } = await peer.next((e) => typeof e.multiaddr === 'string');
    let best = 0;
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const stream = await node.dialProtocol(multiaddr(address), PROTOCOL);
      let got = 0;
      for await (const chunk of stream) got += chunk.byteLength;
      const ms = performance.now() - started;
      if (got !== PULL_BYTES) throw new Error(`stream baseline got ${got} bytes`);
      best = Math.max(best, got / 1e6 / (ms / 1000));
    }
    return best;
  } finally {
    await node.stop();
    peer.child.kill('SIGTERM');
    await peer.exit;
  }
}

async function importFigures(dir: string): Promise<BenchResult> {
  const data = bytesOf(IMPORT_BYTES, 11);
  const hashStart = performance.now();
  createHash('sha256').update(data).digest();
  const sha = IMPORT_BYTES / 1e6 / ((performance.now() - hashStart) / 1000);
  // The storage node's own on-disk blockstore.
  const store = new DiskBlockstore(join(dir, 'import-blocks'));
  await store.open();
  const started = performance.now();
  // Streamed in 1 MiB pieces, as a file read would deliver it.
  const pieces = function* () {
    for (let o = 0; o < data.length; o += MIB) yield data.subarray(o, o + MIB);
  };
  await addBytes(store, pieces());
  const mbs = IMPORT_BYTES / 1e6 / ((performance.now() - started) / 1000);
  await store.close();
  return result(
    'ipfs.import_mb_s',
    mbs,
    'MB/s',
    { name: 'sha256 of the same bytes', value: sha },
    0.5,
    'higher',
  );
}

/** Starts pullers; all begin at the same instant; returns each one's fetched event. */
async function pull(
  dir: string,
  tag: string,
  count: number,
  cid: string,
  providers: string[],
): Promise<Array<Record<string, any>>> {
  const fetchAt = Date.now() + 6_000; // time for every process to load and start its node
  const pullers = Array.from({ length: count }, (_, i) =>
    run([
      CLI,
      'storage-node',
      '--base-path',
      join(dir, `${tag}-${i}`),
      '--json',
      '--fetch',
      cid,
      ...providers.flatMap((p) => ['--provider', p]),
      '--fetch-at',
      String(fetchAt),
      '--timeout',
      '120',
      '--exit-when-done',
    ]),
  );
  const events = await Promise.all(pullers.map((p) => p.next((e) => e.event === 'fetched')));
  await Promise.all(pullers.map((p) => p.exit));
  for (const e of events) if (e.status !== 'complete') throw new Error(`pull ${tag} ended ${e.status}`);
  return events;
}

const suite: BenchSuite = {
  name: 'ipfs transfer (import, fast path, bitswap, three pullers)',
  async run(signal) {
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-bench-ipfs-'));
    const results: BenchResult[] = [];
    let provider: Child | undefined;
    try {
      results.push(await importFigures(dir));
      signal.throwIfAborted();
      const stream = await streamBaseline();
      const baseline = { name: 'libp2p noise+yamux stream', value: stream };

      const file = join(dir, 'file.bin');
      await writeFile(file, bytesOf(PULL_BYTES, 42));
      provider = run([
        CLI,
        'storage-node',
        '--base-path',
        join(dir, 'provider'),
        '--json',
        '--add',
        file,
        '--gateway-port',
        '0',
      ]);
      const started = await provider.next((e) => e.event === 'started');
      const added = await provider.next((e) => e.event === 'added');
      if (!started.gateway) throw new Error('provider has no gateway');
      const mbs = (e: Record<string, any>) => e.bytes / 1e6 / (e.ms / 1000);
      signal.throwIfAborted();

      const [fast] = await pull(dir, 'fast', 1, added.cid, [started.gateway]);
      results.push(result('ipfs.pull_fast_mb_s', mbs(fast), 'MB/s', baseline, 0.5, 'higher'));
      signal.throwIfAborted();

      const [swap] = await pull(dir, 'bitswap', 1, added.cid, [started.multiaddrs[0]]);
      results.push(result('ipfs.pull_bitswap_mb_s', mbs(swap), 'MB/s', baseline, null, 'higher'));
      signal.throwIfAborted();

      const three = await pull(dir, 'three', 3, added.cid, [started.gateway]);
      const wall = Math.max(...three.map((e) => e.endedAt)) - Math.min(...three.map((e) => e.startedAt));
      results.push(
        result(
          'ipfs.pull_3_nodes_ratio',
          wall / fast.ms,
          'x',
          { name: `one pull (${fast.ms} ms); three took ${wall} ms`, value: 1 },
          1.5,
          'lower',
        ),
      );
      return results;
    } finally {
      provider?.child.kill('SIGTERM');
      await provider?.exit;
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default suite;

if (process.argv.includes('--stream-peer')) await streamPeer();
