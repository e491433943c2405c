/**
 * `npm run bench [filter]`: runs every bench/*.bench.ts suite (optionally only those whose file name contains
 * `filter`), prints each figure next to its baseline, and writes bench/results.json.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../packages/cli/build.ts';
import type { BenchResult, BenchSuite } from './lib.ts';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();

// Suites that start `xstorage` as a process measure the bundled command users run: build it from these sources.
await buildCli();

const all: BenchResult[] = [];
const controller = new AbortController();
process.on('SIGINT', () => controller.abort());

for (const file of files) {
  const suite = (await import(join(here, file))).default as BenchSuite;
  console.log(`\n== ${suite.name} (${file})`);
  try {
    const results = await suite.run(controller.signal);
    for (const r of results) {
      all.push(r);
      const meets =
        r.goal == null
          ? ''
          : (r.better === 'higher' ? r.ratio >= r.goal : r.ratio <= r.goal)
            ? '  ok'
            : '  BELOW GOAL';
      console.log(
        `${r.id.padEnd(44)} ${fmt(r.value)} ${r.unit.padEnd(8)} vs ${r.baseline.name} ${fmt(r.baseline.value)}  ratio ${r.ratio}${r.goal == null ? '' : ` (goal ${r.better === 'higher' ? '>=' : '<='} ${r.goal})`}${meets}`,
      );
    }
  } catch (err) {
    console.error(`suite ${file} failed: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  }
}

writeFileSync(join(here, 'results.json'), `${JSON.stringify(all, null, 2)}\n`);
console.log(`\nwrote bench/results.json (${all.length} results)`);

function fmt(x: number): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: 2 }).padStart(14);
}
