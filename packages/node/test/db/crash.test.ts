/**
 * Atomicity under `kill -9`: a child process imports blocks in a loop and is killed with SIGKILL at random
 * moments; after each kill the database must reopen at (or just past) the last block the child reported as
 * committed, with every canonical block, pointer and the state consistent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ChainDb } from '../../src/db/index.ts';
import { stateOf } from './chain-builder.ts';
import { CRASH_WINDOW, crashChain } from './crash-chain.ts';
import { readStateFromNodes, rootOf } from './toy-trie.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../../..');
let dir = '';
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

/** Runs the child until it has reported `minBlocks` new commits, plus a random extra moment, then SIGKILLs it. */
async function runAndKill(minBlocks: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-child.ts'), dir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d.toString();
  });
  let last = -1;
  let seen = 0;
  let buf = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (/^\d+$/.test(l)) {
          last = Number(l);
          seen++;
        }
      }
      if (seen >= minBlocks) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
  });
  // Kill at a random point within the next few imports, likely mid-batch.
  await new Promise((r) => setTimeout(r, Math.random() * 15));
  child.kill('SIGKILL');
  await exited;
  // Lines written before the kill but not yet read.
  for (const l of buf.split('\n')) if (/^\d+$/.test(l)) last = Math.max(last, Number(l));
  return last;
}

it('survives SIGKILL during imports, reopening at the last committed block', {
  timeout: 60_000,
}, async () => {
  dir = await mkdtemp(join(tmpdir(), 'xstorage-crash-'));
  let previousBest = 0;
  for (let round = 0; round < 3; round++) {
    const lastReported = await runAndKill(12 + Math.floor(Math.random() * 15));
    const db = await ChainDb.open(dir, { statePruningWindow: CRASH_WINDOW });
    try {
      const best = db.best;
      // Everything reported was committed; at most the one in flight is extra.
      expect(best.number).toBeGreaterThanOrEqual(lastReported);
      expect(best.number).toBeLessThanOrEqual(lastReported + 1);
      expect(best.number).toBeGreaterThan(previousBest);
      previousBest = best.number;
      const chain = crashChain(best.number);
      expect(hex(best.hash)).toBe(hex(chain[best.number].hash));
      const fin = db.finalized;
      expect(fin.number).toBeLessThanOrEqual(best.number);
      expect(hex(fin.hash)).toBe(hex(chain[fin.number].hash));
      for (let n = 0; n <= best.number; n++) {
        const h = await db.getHash(n);
        expect(hex(h), `canonical #${n}`).toBe(hex(chain[n].hash));
        expect(hex(await db.getHeader(h!))).toBe(hex(chain[n].header));
        expect((await db.getBody(h!))!.map(hex)).toEqual(chain[n].body.map(hex));
        const meta = (await db.getBlockMeta(h!))!;
        expect(meta.number).toBe(n);
        if (n > 0) expect(hex(meta.parentHash)).toBe(hex(chain[n - 1].hash));
      }
      // The flat state rebuilds to the best state root, and is exactly the expected state.
      await db.verifyCurrentState((entries) => ({ root: rootOf(entries).root, result: null }));
      const flat = new Map(
        (await db.loadCurrentState()).entries.map(([k, v]) => [
          Buffer.from(k).toString(),
          Buffer.from(v).toString(),
        ]),
      );
      expect(flat).toEqual(stateOf(chain[best.number]));
      // States inside the pruning window (and all unfinalized ones) are readable from trie nodes.
      for (let n = Math.max(0, fin.number - CRASH_WINDOW + 1); n <= best.number; n++) {
        expect(
          await readStateFromNodes(chain[n].stateRoot, (h) => db.state.getNode(h)),
          `state #${n}`,
        ).toEqual(stateOf(chain[n]));
      }
      // Forks below the finalized block were discarded.
      for (const u of await db.unfinalizedBlocks()) {
        expect((await db.getBlockMeta(u))!.number).toBeGreaterThan(fin.number);
      }
    } finally {
      await db.close();
    }
  }
  expect(previousBest).toBeGreaterThan(30);
});
