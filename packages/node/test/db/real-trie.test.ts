/**
 * The chain database with the runtime's real Substrate trie (packages/runtime/src/trie): trie commits go in as
 * opaque nodes; after a reopen the flat state rebuilds a trie whose root is the best header's state root, and
 * historical values are read back from stored nodes with `readFromNodes`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { EMPTY_TRIE_ROOT, readFromNodes, Trie } from '@xstorage/runtime/trie';
import { afterAll, expect, it } from 'vitest';
import { type BlockToImport, ChainDb, StateRootMismatchError } from '../../src/db/index.ts';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const enc = new TextEncoder();
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : 'none');

function block(n: number, parent: Uint8Array, trie: Trie, changes: Array<[Uint8Array, Uint8Array | null]>) {
  for (const [k, v] of changes) {
    if (v === null) trie.delete(k);
    else trie.set(k, v);
  }
  const trieCommit = trie.commit();
  const header = new Uint8Array([...parent, ...trieCommit.root, n]);
  return {
    hash: blake2AsU8a(header),
    number: n,
    parentHash: parent,
    stateRoot: trieCommit.root,
    header,
    body: [],
    changes,
    trieCommit,
  } satisfies BlockToImport;
}

it('stores real trie commits; a restart rebuilds the same root; old states read from nodes', async () => {
  dir = await mkdtemp(join(tmpdir(), 'xstorage-realtrie-'));
  const N = 4;
  let db = await ChainDb.open(dir, { statePruningWindow: N });
  const trie = new Trie({ version: 1 });
  const big = new Uint8Array(100).fill(7); // ≥ 33 bytes: stored as a separate value node in state version 1
  const g = block(0, new Uint8Array(32), trie, [
    [enc.encode(':code'), big],
    [enc.encode('alice'), enc.encode('100')],
    [enc.encode('bob'), enc.encode('50')],
  ]);
  await db.initGenesis({ ...g, chainSpecId: 'real-trie' });
  const roots = [g.stateRoot];
  let parent = g.hash;
  for (let n = 1; n <= 10; n++) {
    const b = block(n, parent, trie, [
      [enc.encode('alice'), enc.encode(String(100 - n))],
      [enc.encode(`acct${n}`), new Uint8Array(40).fill(n)],
      [enc.encode(`acct${n - 1}`), null],
    ]);
    await db.importBlock(b, { finalize: n <= 8 });
    roots.push(b.stateRoot);
    parent = b.hash;
  }
  await db.close();

  db = await ChainDb.open(dir, { statePruningWindow: N });
  const rebuilt = await db.verifyCurrentState((entries) => {
    const t = Trie.fromEntries(entries, 1);
    return { root: t.root(), result: t };
  });
  expect(hex(rebuilt.root())).toBe(hex(trie.root()));
  await expect(
    db.verifyCurrentState((entries) => ({
      root: Trie.fromEntries(entries.slice(1), 1).root(),
      result: null,
    })),
  ).rejects.toBeInstanceOf(StateRootMismatchError);

  const getNode = (h: Uint8Array) => db.state.getNode(h);
  // Finalized #8, window 4: states #5..#10 readable from nodes; #0..#4 pruned.
  for (let n = 5; n <= 10; n++) {
    const v = await readFromNodes(roots[n], enc.encode('alice'), getNode, 1);
    expect(new TextDecoder().decode(v), `alice at #${n}`).toBe(String(100 - n));
    expect(hex(await readFromNodes(roots[n], enc.encode(':code'), getNode, 1))).toBe(hex(big));
  }
  await expect(readFromNodes(roots[2], enc.encode('alice'), getNode, 1)).rejects.toThrow();
  expect(hex(roots[0])).not.toBe(hex(EMPTY_TRIE_ROOT));
  await db.close();
});
