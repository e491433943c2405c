/**
 * IPFS transfer figures, each next to a bound measured in the same run:
 * - `ipfs.pull_fast_mb_s` / `ipfs.pull_bitswap_mb_s`: a storage-node process pulls 100 MiB from another (the
 *   trustless-gateway CAR fast path, then bitswap alone) vs a plain libp2p stream (TCP + noise + yamux, the
 *   same stack) pushing the same number of bytes between two processes. A pull is timed by the puller from
 *   fetch start to the pin recorded.
 * - `ipfs.pull_cpu_ms`: CPU time one fast pull costs, puller and gateway process together, vs the pull's
 *   wall time. On two cores three simultaneous pulls need at least 1.5 × this ratio of one pull's wall
 *   time, so it is the floor under `ipfs.pull_3_nodes_ratio`.
 * - `ipfs.pull_3_nodes_ratio`: three nodes pull the same 100 MiB at once; wall time vs one pull.
 * - `ipfs.pull_3_nodes_vs_cpu_floor`: the same three pulls' wall time vs the least time this machine's cores
 *   could run their measured CPU in (1.0 = no time lost to waiting or contention beyond the CPU itself).
 *
 * Run as `npx tsx bench/run.ts ipfs-transfer`. Started with `--stream-peer`, this file is the far end of the
 * stream baseline instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import {
  killStorageNodeProcesses,
  type Running,
  xstorage,
} from '../packages/storage-node/test/ipfs/storage-node-process.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const PROTOCOL = '/xstorage/bench/push/1.0.0';
const MIB = 1024 * 1024;
const PULL_BYTES = 100 * MIB;
const ROOT = resolve(import.meta.dirname, '..');

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

/** This file started with `--stream-peer` as a child process; resolves with its multiaddr. */
function startStreamPeer(): { child: ChildProcess; address: Promise<string>; exit: Promise<unknown> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/ipfs-transfer.bench.ts'), '--stream-peer'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: ROOT,
    },
  );
  const exit = new Promise((r) => child.once('exit', r));
  const address = new Promise<string>((resolveAddress, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const { multiaddr: ma } = JSON.parse(line);
        if (typeof ma === 'string') resolveAddress(ma);
      } catch {}
    });
    void exit.then(() => reject(new Error('stream peer exited')));
  });
  return { child, address, exit };
}

/** User + system CPU milliseconds a process has used so far (Linux /proc; undefined elsewhere). */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** MB/s of a plain libp2p stream (noise + yamux over TCP) from another process to this one. */
async function streamBaseline(): Promise<number> {
  const peer = startStreamPeer();
  const node = await createLibp2p(libp2pStack());
  try {
    const address = await peer.address;
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

/**
 * Starts pullers; all begin at the same instant; returns each one's fetched event and the CPU the provider
 * process used from that instant until the last puller was done.
 */
async function pull(
  dir: string,
  tag: string,
  count: number,
  cid: string,
  providers: string[],
  provider: Running,
): Promise<{ events: Array<Record<string, any>>; providerCpuMs?: number }> {
  const fetchAt = Date.now() + 6_000; // time for every process to load and start its node
  const pullers = Array.from({ length: count }, (_, i) =>
    xstorage([
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
  await new Promise((r) => setTimeout(r, Math.max(0, fetchAt - Date.now())));
  const cpuBefore = cpuMsOf(provider.child.pid);
  const events = await Promise.all(pullers.map((p) => p.next('fetched')));
  const cpuAfter = cpuMsOf(provider.child.pid);
  await Promise.all(pullers.map((p) => p.exit));
  for (const e of events) if (e.status !== 'complete') throw new Error(`pull ${tag} ended ${e.status}`);
  const providerCpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { events, providerCpuMs };
}

const suite: BenchSuite = {
  name: 'ipfs transfer (fast path, bitswap, three pullers)',
  async run(signal) {
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-bench-ipfs-'));
    const results: BenchResult[] = [];
    let provider: Running | undefined;
    try {
      const stream = await streamBaseline();
      const baseline = { name: 'libp2p noise+yamux stream', value: stream };

      const file = join(dir, 'file.bin');
      await writeFile(file, bytesOf(PULL_BYTES, 42));
      provider = xstorage([
        '--base-path',
        join(dir, 'provider'),
        '--json',
        '--add',
        file,
        '--gateway-port',
        '0',
      ]);
      const started = await provider.next('started');
      const added = await provider.next('added');
      if (!started.gateway) throw new Error('provider has no gateway');
      const mbs = (e: Record<string, any>) => e.bytes / 1e6 / (e.ms / 1000);
      signal.throwIfAborted();

      const one = await pull(dir, 'fast', 1, added.cid, [started.gateway], provider);
      const fast = one.events[0]!;
      results.push(result('ipfs.pull_fast_mb_s', mbs(fast), 'MB/s', baseline, 0.5, 'higher'));
      const cpu = fast.cpuMs + (one.providerCpuMs ?? 0);
      const cpuSplit = `puller ${fast.cpuMs} ms + gateway ${one.providerCpuMs ?? '?'} ms CPU`;
      results.push(
        result(
          'ipfs.pull_cpu_ms',
          cpu,
          'ms',
          { name: `one pull's wall ms (${cpuSplit})`, value: fast.ms },
          null,
          'lower',
        ),
      );
      signal.throwIfAborted();

      const swap = (await pull(dir, 'bitswap', 1, added.cid, [started.multiaddrs[0]], provider)).events[0]!;
      results.push(result('ipfs.pull_bitswap_mb_s', mbs(swap), 'MB/s', baseline, null, 'higher'));
      signal.throwIfAborted();

      const three = await pull(dir, 'three', 3, added.cid, [started.gateway], provider);
      const wall =
        Math.max(...three.events.map((e) => e.endedAt)) - Math.min(...three.events.map((e) => e.startedAt));
      const threeCpu = three.events.map((e) => e.cpuMs).join('+');
      results.push(
        result(
          'ipfs.pull_3_nodes_ratio',
          wall / fast.ms,
          'x',
          {
            name: `one pull (${fast.ms} ms); three took ${wall} ms (CPU: pullers ${threeCpu} ms, gateway ${three.providerCpuMs ?? '?'} ms)`,
            value: 1,
          },
          1.5,
          'lower',
        ),
      );
      // Three pulls need three pulls' CPU (pullers and gateway), and this machine's cores run it in no less
      // than that CPU / cores: how close the three pulls come to that floor, measured in the same run.
      if (three.providerCpuMs !== undefined) {
        const threeCpuMs = three.events.reduce((sum, e) => sum + e.cpuMs, 0) + three.providerCpuMs;
        const cores = availableParallelism();
        const floorMs = threeCpuMs / cores;
        results.push(
          result(
            'ipfs.pull_3_nodes_vs_cpu_floor',
            wall / floorMs,
            'x',
            {
              name: `their CPU (${Math.round(threeCpuMs)} ms) spread over ${cores} cores: ${Math.round(floorMs)} ms`,
              value: 1,
            },
            null,
            'lower',
          ),
        );
      }
      return results;
    } finally {
      provider?.child.kill('SIGTERM');
      await provider?.exit;
      killStorageNodeProcesses();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default suite;

if (process.argv.includes('--stream-peer')) await streamPeer();
