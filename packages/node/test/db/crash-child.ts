/**
 * Child process of the crash test: imports blocks of the deterministic chain in a loop, finalizing with a lag and
 * adding side forks, printing each committed block number, until it is killed with SIGKILL.
 */
import { ChainDb } from '../../src/db/index.ts';
import { type BuiltBlock, childBlock, genesisBlock } from './chain-builder.ts';
import { CRASH_WINDOW, crashChanges, FINALITY_LAG } from './crash-chain.ts';
import { rootOf, ToyTrie } from './toy-trie.ts';

const dir = process.argv[2];
const db = await ChainDb.open(dir, { statePruningWindow: CRASH_WINDOW });
let tip: BuiltBlock;
if (!db.isInitialized) {
  const g = genesisBlock({ ':code': 'runtime', k0: 'init' });
  await db.initGenesis(g);
  tip = g;
} else {
  // Restart path: rebuild the in-memory state from the flat copy and check it against the best state root.
  const trie = await db.verifyCurrentState((entries) => {
    const t = new ToyTrie();
    for (const [k, v] of entries) t.set(k, v);
    t.commit();
    return { root: rootOf(entries).root, result: t };
  });
  const best = db.best;
  const meta = (await db.getBlockMeta(best.hash))!;
  tip = {
    hash: best.hash,
    number: best.number,
    parentHash: meta.parentHash,
    stateRoot: meta.stateRoot,
    header: (await db.getHeader(best.hash))!,
    body: [],
    changes: [],
    trieCommit: { root: meta.stateRoot, inserted: [], removed: [] },
    trie,
  };
}
process.stdout.write(`start ${tip.number}\n`);
for (;;) {
  const n = tip.number + 1;
  const b = childBlock(tip, crashChanges(n));
  await db.importBlock(b, { finalize: n % 10 === 0 });
  process.stdout.write(`${n}\n`);
  if (n % 10 === 5) {
    // A sibling fork that finality will discard.
    await db.importBlock(childBlock(tip, { side: `s${n}` }, 'side'), { setBest: false });
  }
  if (n > FINALITY_LAG && n % 10 !== 0) {
    const fh = await db.getHash(n - FINALITY_LAG);
    if (fh && (await db.getBlockMeta(fh))!.number > db.finalized.number) await db.finalize(fh);
  }
  tip = b;
}
