/**
 * The multi-chain devnet's cost to start, measured as users start it (`xstorage devnet`, a fresh base path):
 * - xcm.devnet_cold_start_ms: spawn until every chain (relay + all parachains) has produced its first block (the
 *   `ready` line, with `--storage-nodes 0`: the storage nodes start after that and belong to the journey figures). Baseline: one dev chain node's cold start to its first block (`xstorage node --dev`, same block
 *   time) in the same run. Goal ≤ 3×.
 * - xcm.devnet_rss_mb: the devnet process's peak resident memory (VmHWM) after a few seconds of blocks. Baseline:
 *   the 1 GB bound of the issue. Goal ≤ 1× (relay + 8 parachains in ≤ 1 GB).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { builtCliMain } from '../packages/cli/dist-path.ts';
import { removeDir, tempBasePath } from '../packages/node/test/integration/node-process.ts';
import { RpcClient } from '../packages/node/test/integration/rpc-client.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const BLOCK_TIME_MS = 1000;
const RUNS = 3;

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Spawns `args`, resolves with the ms until a stdout line matches `ready`, and the child. */
async function timeUntil(
  args: string[],
  ready: (line: string) => boolean,
): Promise<{ ms: number; child: ChildProcess; line: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [builtCliMain(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within 60 s: ${args.join(' ')}`));
    }, 60_000);
    lines.on('line', (l) => {
      if (!ready(l)) return;
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, child, line: l });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ready: ${args.join(' ')}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const suite: BenchSuite = {
  name: 'multi-chain devnet (cold start, memory)',
  async run(signal): Promise<BenchResult[]> {
    const devnetMs: number[] = [];
    const nodeMs: number[] = [];
    let rss = 0;
    let chains = 0;
    for (let i = 0; i < RUNS && !signal.aborted; i++) {
      const dir = await tempBasePath('bench-devnet');
      try {
        const { ms, child } = await timeUntil(
          // The chains alone, as the road issue defines the figure: the storage nodes (on by default) start after every
          // chain's first block and are measured by the journey bench.
          [
            'devnet',
            '--json',
            '--rpc-port',
            '0',
            '--block-time',
            String(BLOCK_TIME_MS),
            '--storage-nodes',
            '0',
            '--base-path',
            dir,
          ],
          (l) => l.includes('"event":"ready"'),
        );
        devnetMs.push(ms);
        if (i === 0) {
          // A few seconds of blocks on every chain, then the peak.
          await new Promise((r) => setTimeout(r, 5 * BLOCK_TIME_MS));
          rss = peakRssMb(child.pid!);
          chains = JSON.parse(readFileSync(`${dir}/endpoints.json`, 'utf8')).parachains;
          chains = Object.keys(chains).length + 1;
        }
        await stop(child);
      } finally {
        await removeDir(dir);
      }
      const nodeDir = await tempBasePath('bench-devnet-node');
      try {
        // The dev node's ready line comes before its first block: the clock runs on until block #1 is announced.
        const t0 = performance.now();
        const { child, line } = await timeUntil(
          [
            'node',
            '--dev',
            '--json',
            '--rpc-port',
            '0',
            '--block-time',
            String(BLOCK_TIME_MS),
            '--base-path',
            nodeDir,
          ],
          (l) => l.includes('"event":"ready"'),
        );
        const rpc = await RpcClient.open(JSON.parse(line).rpcUrl);
        try {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no block #1 within 30 s')), 30_000);
            rpc
              .subscribe('chain_subscribeNewHeads', [], (head: unknown) => {
                if (Number.parseInt((head as { number: string }).number, 16) >= 1) {
                  clearTimeout(timer);
                  resolve();
                }
              })
              .catch(reject);
          });
          nodeMs.push(performance.now() - t0);
        } finally {
          rpc.close();
        }
        await stop(child);
      } finally {
        await removeDir(nodeDir);
      }
    }
    const devnet = median(devnetMs);
    const node = median(nodeMs);
    console.log(
      `  devnet (${chains} chains) cold start to every first block: ${devnet.toFixed(0)} ms; one dev node: ${node.toFixed(0)} ms; peak RSS ${rss.toFixed(0)} MB`,
    );
    return [
      result(
        'xcm.devnet_cold_start_ms',
        devnet,
        'ms',
        {
          name: `one dev chain node cold start to its first block (${BLOCK_TIME_MS} ms blocks)`,
          value: node,
        },
        3,
        'lower',
      ),
      result(
        'xcm.devnet_rss_mb',
        rss,
        'MB',
        { name: 'bound: 1 GB for relay + 8 parachains', value: 1024 },
        1,
        'lower',
      ),
    ];
  },
};
export default suite;
