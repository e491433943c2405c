/** `npx tsx scripts/fuzz.ts --duration 10m`: the long fuzz run; see packages/node/test/hostile/fuzz-run.ts. */
import '../packages/node/test/hostile/fuzz-run.ts';
