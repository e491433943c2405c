/**
 * Incremental state root: change 1,000 keys of a 1,000,000-key state (random 32-byte keys and values) and
 * recompute the root. Baseline: the bare cost of blake2_256-hashing exactly the node encodings that changed
 * (taken from the commit diff of the same round), i.e. what any trie must at least spend. Also reports the heap
 * the 1M-key trie occupies against the 2 GB budget. XSTORAGE_TRIE_BENCH_KEYS overrides the state size.
 * Times are process CPU time (process.cpuUsage, GC threads included), for both figure and baseline: the bench
 * machine is shared, and wall time mostly measured the other processes.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { blake2_256, initCrypto } from '@xstorage/runtime/crypto';
import { Trie } from '@xstorage/runtime/trie';
import { type BenchSuite, result } from './lib.ts';

const STATE_KEYS = Number(process.env.XSTORAGE_TRIE_BENCH_KEYS ?? 1_000_000);
const CHANGED = 1_000;
const ROUNDS = 9;
/**
 * Rounds run first and not counted: the full GC taken for the memory figure leaves V8 sweeping the ~1 GB heap on
 * background threads, which process CPU time charges to the next rounds (2-3 rounds at several times the steady
 * cost, for any trie implementation).
 */
const WARMUP_ROUNDS = 3;

/** Deterministic xorshift32 so every run measures the same state. */
function randomBytes(seed: { s: number }, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let x = seed.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    seed.s = x >>> 0;
    out[i] = x & 0xff;
  }
  return out;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** A real full GC, so that heap figures count live objects only (the runner cannot pass --expose-gc). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function usedMemory(): number {
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const suite: BenchSuite = {
  name: 'runtime trie',
  async run(signal) {
    await initCrypto();
    const seed = { s: 0x9e3779b9 };
    const keys: Uint8Array[] = new Array(STATE_KEYS);
    for (let i = 0; i < STATE_KEYS; i++) keys[i] = randomBytes(seed, 32);
    const memBefore = usedMemory();
    const trie = new Trie({ version: 1 });
    for (let i = 0; i < STATE_KEYS; i++) trie.set(keys[i], randomBytes(seed, 32));
    const buildStart = performance.now();
    trie.root();
    const fullRootMs = performance.now() - buildStart;
    trie.commit(); // everything is now "stored"; later commits report only each round's changes
    const memory = usedMemory() - memBefore;

    const ours: number[] = [];
    const hashOnly: number[] = [];
    let changedNodes = 0;
    for (let r = 0; r < WARMUP_ROUNDS + ROUNDS && !signal.aborted; r++) {
      const picks = Array.from(
        { length: CHANGED },
        () =>
          keys[
            (randomBytes(seed, 4)[0] * 0x10000 + randomBytes(seed, 4)[0] * 0x100 + randomBytes(seed, 4)[0]) %
              STATE_KEYS
          ],
      );
      const values = picks.map(() => randomBytes(seed, 32));
      const t0 = cpuMs();
      for (let i = 0; i < CHANGED; i++) trie.set(picks[i], values[i]);
      trie.root();
      const oursMs = cpuMs() - t0;
      const { inserted } = trie.commit();
      changedNodes = inserted.length;
      const encodings = inserted.map(([, enc]) => enc);
      const t1 = cpuMs();
      for (const e of encodings) blake2_256(e);
      const hashMs = cpuMs() - t1;
      if (r < WARMUP_ROUNDS) continue;
      ours.push(oursMs);
      hashOnly.push(hashMs);
    }
    console.log(
      `  ${STATE_KEYS} keys: full root ${fullRootMs.toFixed(0)} ms, ~${changedNodes} hashed nodes changed per round, ` +
        `rounds (ms, after ${WARMUP_ROUNDS} uncounted) ${ours.map((x) => x.toFixed(1)).join(' ')}, ` +
        `hash-only (ms) ${hashOnly.map((x) => x.toFixed(1)).join(' ')}`,
    );
    return [
      result(
        'runtime.trie.root_update_1k_of_1m',
        median(ours),
        'ms cpu',
        { name: 'blake2_256 of exactly the changed node encodings', value: median(hashOnly) },
        3,
        'lower',
      ),
      result(
        'runtime.trie.memory_1m_keys',
        memory / 2 ** 20,
        'MiB',
        { name: 'budget for 1M keys in memory', value: 2048 },
        1,
        'lower',
      ),
    ];
  },
};

export default suite;
