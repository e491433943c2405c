/**
 * The whole journey as a user first meets it: `xstorage demo --once` (the devnet with the relay chain, Crust, seven
 * parachains and four storage nodes in one process; a 256 KiB sample file stored from Acala through its xstorage
 * pallet; 4 replicas on Crust), run from the bundled command as a child process, median of RUNS runs.
 * - journey.demo_to_4_replicas_s: from spawn to the `replicas 4/4` line. Baseline: the bound of 30 s;
 *   goal ≤ 1×. Also reported: the devnet's own start (spawn to `ready`) in the same runs, for where the time goes.
 * - journey.demo_peak_rss_mb: the demo process's peak resident memory (VmHWM, read just before it exits). Baseline:
 *   the bound of 1.5 GB; goal ≤ 1×.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { builtCliMain } from '../packages/cli/dist-path.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const RUNS = 3;

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function demoOnce(): Promise<{ readyS: number; replicasS: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [builtCliMain(), 'demo', '--once', '--rpc-port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let readyS = Number.NaN;
  let replicasS = Number.NaN;
  let rssMb = 0;
  // VmHWM is the peak so far: sample it while the process lives (it is gone once it exits).
  const sampler = setInterval(() => {
    const v = peakRssMb(child.pid!);
    if (!Number.isNaN(v)) rssMb = Math.max(rssMb, v);
  }, 250);
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (l) => {
    let e: Record<string, any>;
    try {
      e = JSON.parse(l);
    } catch {
      return;
    }
    if (e.event === 'ready') readyS = (performance.now() - t0) / 1000;
    if (e.event === 'replicas' && e.count >= 4) {
      replicasS = (performance.now() - t0) / 1000;
      rssMb = Math.max(rssMb, peakRssMb(child.pid!));
    }
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearTimeout(killer);
  clearInterval(sampler);
  if (code !== 0 || Number.isNaN(replicasS))
    throw new Error(`xstorage demo --once exited ${code} without 4 replicas`);
  return { readyS, replicasS, rssMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const suite: BenchSuite = {
  name: 'journey: xstorage demo --once (devnet + 4 storage nodes, a file from Acala to 4 replicas)',
  async run(signal): Promise<BenchResult[]> {
    const runs: Array<Awaited<ReturnType<typeof demoOnce>>> = [];
    for (let i = 0; i < RUNS && !signal.aborted; i++) runs.push(await demoOnce());
    const toReplicas = median(runs.map((r) => r.replicasS));
    const ready = median(runs.map((r) => r.readyS));
    const rss = Math.max(...runs.map((r) => r.rssMb));
    return [
      result(
        'journey.demo_to_4_replicas_s',
        toReplicas,
        's',
        { name: 'bound of the issue (30 s)', value: 30 },
        1,
        'lower',
      ),
      result(
        'journey.demo_devnet_ready_s',
        ready,
        's',
        { name: 'demo to 4 replicas, same runs', value: toReplicas },
        null,
        'lower',
      ),
      result(
        'journey.demo_peak_rss_mb',
        rss,
        'MB',
        { name: 'bound of the issue (1.5 GB)', value: 1536 },
        1,
        'lower',
      ),
    ];
  },
};
export default suite;
