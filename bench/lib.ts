/**
 * Shared benchmark vocabulary. Every `bench/*.bench.ts` file default-exports a `BenchSuite`; `bench/run.ts`
 * discovers them, runs them one after another (never in parallel: the machine has two cores) and writes
 * `bench/results.json`.
 */
export type Better = 'higher' | 'lower';

export interface BenchResult {
  /** Prefixed by area: `runtime.`, `node.`, `ipfs.`, `xcm.`, `crust.`, `journey.`. */
  id: string;
  value: number;
  unit: string;
  /** The bound or peer measured in the same run. */
  baseline: { name: string; value: number };
  /** value / baseline.value. */
  ratio: number;
  /** Target for `ratio` (e.g. 0.6 = at least 60% of the baseline when better is "higher"). */
  goal: number | null;
  better: Better;
}

export interface BenchSuite {
  name: string;
  run(signal: AbortSignal): Promise<BenchResult[]>;
}

export function result(
  id: string,
  value: number,
  unit: string,
  baseline: { name: string; value: number },
  goal: number | null,
  better: Better,
): BenchResult {
  const ratio = baseline.value === 0 ? 0 : value / baseline.value;
  return {
    id,
    value: round(value),
    unit,
    baseline: { ...baseline, value: round(baseline.value) },
    ratio: round(ratio),
    goal,
    better,
  };
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

/** Runs `fn` repeatedly for at least `minMs`, returns operations per second (`opsPerCall` ops per call). */
export function opsPerSecond(fn: () => void, opsPerCall = 1, minMs = 500): number {
  fn(); // warm-up
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return (calls * opsPerCall * 1000) / elapsed;
}

export async function opsPerSecondAsync(
  fn: () => Promise<void>,
  opsPerCall = 1,
  minMs = 500,
): Promise<number> {
  await fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    await fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return (calls * opsPerCall * 1000) / elapsed;
}
