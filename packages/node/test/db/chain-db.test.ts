/**
 * Chain database on a real LevelDB in temp dirs: blocks, pointers, reorgs, finality, state pruning, reopen.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ChainDb,
  ChainDbCorruptionError,
  DbDecodeError,
  InvalidChainOperationError,
  StateRootMismatchError,
  UnknownBlockError,
} from '../../src/db/index.ts';
import { type BuiltBlock, childBlock, genesisBlock, stateOf } from './chain-builder.ts';
import { readStateFromNodes, rootOf } from './toy-trie.ts';

const dirs: string[] = [];
async function tempDb(opts: { statePruningWindow?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'xstorage-chaindb-'));
  dirs.push(dir);
  return { dir, db: await ChainDb.open(dir, opts) };
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);
const text = (m: Array<[Uint8Array, Uint8Array]>) =>
  new Map(m.map(([k, v]) => [Buffer.from(k).toString(), Buffer.from(v).toString()]));

async function flatState(db: ChainDb) {
  return text((await db.loadCurrentState()).entries);
}

function toyVerify(entries: Array<[Uint8Array, Uint8Array]>) {
  return { root: rootOf(entries).root, result: entries.length };
}

describe('ChainDb', () => {
  it('stores genesis and a chain; everything survives a reopen', async () => {
    const { dir, db } = await tempDb();
    expect(db.isInitialized).toBe(false);
    expect(() => db.best).toThrow(/initGenesis/);
    const g = genesisBlock();
    await db.initGenesis(g);
    const b1 = childBlock(g, { a: '2', b: 'x' });
    const b2 = childBlock(b1, { a: null, c: 'y'.repeat(5000) });
    expect(await db.importBlock(b1)).toBe(true);
    expect(await db.importBlock({ ...b2, justification: new Uint8Array([9, 9]) })).toBe(true);
    expect(await db.importBlock(b1)).toBe(false);
    expect(db.best).toEqual({ hash: b2.hash, number: 2 });
    expect(db.finalized).toEqual({ hash: g.hash, number: 0 });
    await db.close();

    const re = await ChainDb.open(dir);
    expect(hex(re.genesisHash)).toBe(hex(g.hash));
    expect(re.chainSpecId).toBe('test-chain');
    expect(re.best).toEqual({ hash: b2.hash, number: 2 });
    expect(hex(await re.getHeader(b1.hash))).toBe(hex(b1.header));
    expect((await re.getBody(b2.hash))!.map(hex)).toEqual(b2.body.map(hex));
    expect(await re.getBody(g.hash)).toEqual([]);
    expect(hex(await re.getJustification(b2.hash))).toBe('0909');
    expect(hex(await re.getHash(0))).toBe(hex(g.hash));
    expect(hex(await re.getHash(2))).toBe(hex(b2.hash));
    expect(await re.getHash(3)).toBeUndefined();
    expect(await re.getHash(-1)).toBeUndefined();
    expect(await re.getBlockMeta(b2.hash)).toEqual({
      number: 2,
      parentHash: new Uint8Array(b1.hash),
      stateRoot: new Uint8Array(b2.stateRoot),
    });
    expect(await flatState(re)).toEqual(stateOf(b2));
    expect(await re.verifyCurrentState(toyVerify)).toBe(3);
    // Every historical (unfinalized) state is readable from trie nodes alone.
    for (const b of [g, b1, b2]) {
      expect(await readStateFromNodes(b.stateRoot, (h) => re.state.getNode(h))).toEqual(stateOf(b));
    }
    await re.close();
  });

  it('detects a rebuilt state that does not match the best state root', async () => {
    const { db } = await tempDb();
    await db.initGenesis(genesisBlock());
    await expect(
      db.verifyCurrentState((entries) => ({ root: rootOf(entries.slice(1)).root, result: null })),
    ).rejects.toBeInstanceOf(StateRootMismatchError);
    await db.close();
  });

  it('rejects impossible imports with typed errors', async () => {
    const { db } = await tempDb();
    const g = genesisBlock();
    await db.initGenesis(g);
    await expect(db.initGenesis(g)).rejects.toBeInstanceOf(InvalidChainOperationError);
    const orphan = childBlock(childBlock(g, { a: '5' }), { a: '6' });
    await expect(db.importBlock(orphan)).rejects.toBeInstanceOf(UnknownBlockError);
    const wrongNumber = { ...childBlock(g, { a: '7' }), number: 5 };
    await expect(db.importBlock(wrongNumber)).rejects.toThrow(/does not follow/);
    const b1 = childBlock(g, { a: '8' });
    await db.importBlock(b1, { finalize: true });
    const late = childBlock(g, { a: '9' }, 'late');
    await expect(db.importBlock(late)).rejects.toThrow(/finalized/);
    await expect(db.finalize(g.hash)).rejects.toBeInstanceOf(InvalidChainOperationError);
    await expect(db.setBest(new Uint8Array(32).fill(1))).rejects.toBeInstanceOf(UnknownBlockError);
    // The failed operations left nothing behind.
    expect(db.best.number).toBe(1);
    expect(await db.hasBlock(late.hash)).toBe(false);
    await db.close();
  });

  it('reorgs the canonical index and the flat state between forks', async () => {
    const { db } = await tempDb();
    const g = genesisBlock({ a: '0', k: 'keep' });
    await db.initGenesis(g);
    const a1 = childBlock(g, { a: 'A1', x: 'onlyA' }, 'A');
    const a2 = childBlock(a1, { a: 'A2' }, 'A');
    const b1 = childBlock(g, { a: 'B1', k: null }, 'B');
    const b2 = childBlock(b1, { a: 'B2' }, 'B');
    const b3 = childBlock(b2, { y: 'onlyB' }, 'B');
    await db.importBlock(a1);
    await db.importBlock(a2);
    expect(await flatState(db)).toEqual(stateOf(a2));
    await db.importBlock(b1); // lower: not best
    expect(hex(db.best.hash)).toBe(hex(a2.hash));
    expect(await flatState(db)).toEqual(stateOf(a2));
    await db.importBlock(b2, { setBest: false });
    await db.importBlock(b3); // longer fork wins
    expect(hex(db.best.hash)).toBe(hex(b3.hash));
    expect(await flatState(db)).toEqual(stateOf(b3));
    expect(hex(await db.getHash(1))).toBe(hex(b1.hash));
    expect(hex(await db.getHash(3))).toBe(hex(b3.hash));

    await db.setBest(a2.hash);
    expect(await flatState(db)).toEqual(stateOf(a2));
    expect(hex(await db.getHash(1))).toBe(hex(a1.hash));
    expect(await db.getHash(3)).toBeUndefined();
    expect(await db.verifyCurrentState(toyVerify)).toBe(3);

    // Finalizing A1 kills the B fork: its blocks and the trie nodes only it had are gone.
    await db.finalize(a1.hash, new Uint8Array([1]));
    expect(hex(db.finalized.hash)).toBe(hex(a1.hash));
    for (const b of [b1, b2, b3]) {
      expect(await db.hasBlock(b.hash)).toBe(false);
      expect(await db.getHeader(b.hash)).toBeUndefined();
      expect(await db.state.getNode(b.stateRoot)).toBeUndefined();
    }
    expect(await db.unfinalizedBlocks()).toEqual([new Uint8Array(a2.hash)]);
    expect(await readStateFromNodes(a2.stateRoot, (h) => db.state.getNode(h))).toEqual(stateOf(a2));
    expect(hex(await db.getJustification(a1.hash))).toBe('01');
    await db.close();
  });

  it('finalizing a block off the best chain makes it best', async () => {
    const { db } = await tempDb();
    const g = genesisBlock();
    await db.initGenesis(g);
    const a1 = childBlock(g, { a: 'A' }, 'A');
    const b1 = childBlock(g, { a: 'B' }, 'B');
    const b2 = childBlock(b1, { a: 'B2' }, 'B');
    await db.importBlock(a1);
    await db.importBlock(b1);
    await db.importBlock(b2);
    expect(hex(db.best.hash)).toBe(hex(b2.hash));
    await db.finalize(a1.hash);
    expect(hex(db.best.hash)).toBe(hex(a1.hash));
    expect(await flatState(db)).toEqual(stateOf(a1));
    expect(await db.hasBlock(b2.hash)).toBe(false);
    await db.close();
  });

  it('keeps the last N finalized states readable and prunes older nodes (refcounts)', async () => {
    const N = 3;
    const { dir, db } = await tempDb({ statePruningWindow: N });
    const g = genesisBlock({ shared: 'same', counter: '0' });
    await db.initGenesis(g);
    const blocks: BuiltBlock[] = [g];
    for (let i = 1; i <= 10; i++) {
      const b = childBlock(blocks[i - 1], { counter: String(i) });
      blocks.push(b);
      await db.importBlock(b, { finalize: i <= 8 });
    }
    // Finalized #8; states #6..#8 (the last 3 finalized) and the unfinalized #9, #10 are readable.
    for (let i = 0; i <= 10; i++) {
      const got = await readStateFromNodes(blocks[i].stateRoot, (h) => db.state.getNode(h));
      if (i >= 8 - N + 1) expect(got, `state #${i}`).toEqual(stateOf(blocks[i]));
      else expect(got, `state #${i} should be pruned`).toBeUndefined();
    }
    // A leaf shared by every state is counted once per inserting block and never released.
    const shared = blocks[10].trieCommit; // root changes every block; the 'shared' leaf was inserted once
    expect(shared.inserted.length).toBe(2); // new root + new counter leaf
    const sharedLeafHash = g.trieCommit.inserted.find(([, n]) =>
      Buffer.from(n).includes(Buffer.from('shared')),
    )![0];
    expect(await db.state.refCount(sharedLeafHash)).toBe(1);
    await db.close();

    // Pruning goes on where it stopped after a reopen.
    const re = await ChainDb.open(dir, { statePruningWindow: N });
    await re.finalize(blocks[10].hash);
    for (let i = 0; i <= 10; i++) {
      const got = await readStateFromNodes(blocks[i].stateRoot, (h) => re.state.getNode(h));
      expect(got === undefined, `state #${i}`).toBe(i < 10 - N + 1);
    }
    expect(await re.state.refCount(sharedLeafHash)).toBe(1);
    await re.close();
  });

  it('a node inserted by two forks survives the discard of one of them', async () => {
    const { db } = await tempDb();
    const g = genesisBlock({ a: '0' });
    await db.initGenesis(g);
    // Both forks write the same value: the same leaf node, inserted twice.
    const a1 = childBlock(g, { same: 'value', a: 'A' }, 'A');
    const b1 = childBlock(g, { same: 'value', a: 'B' }, 'B');
    await db.importBlock(a1);
    await db.importBlock(b1);
    const leaf = a1.trieCommit.inserted.find(([, n]) => Buffer.from(n).includes(Buffer.from('same')))![0];
    expect(await db.state.refCount(leaf)).toBe(2);
    await db.finalize(a1.hash);
    expect(await db.state.refCount(leaf)).toBe(1);
    expect(await readStateFromNodes(a1.stateRoot, (h) => db.state.getNode(h))).toEqual(stateOf(a1));
    await db.close();
  });

  it('serializes concurrent imports', async () => {
    const { db } = await tempDb();
    const g = genesisBlock();
    await db.initGenesis(g);
    const chain: BuiltBlock[] = [g];
    for (let i = 1; i <= 20; i++) chain.push(childBlock(chain[i - 1], { [`k${i % 4}`]: `v${i}` }));
    await Promise.all(chain.slice(1).map((b) => db.importBlock(b)));
    expect(db.best.number).toBe(20);
    expect(await flatState(db)).toEqual(stateOf(chain[20]));
    await db.close();
    await expect(db.importBlock(childBlock(chain[20], {}))).rejects.toThrow(/closed/);
  });
});

describe('ChainDb: hostile and unusual situations', () => {
  it('a second opener of the same directory gets a clear error', async () => {
    const { dir, db } = await tempDb();
    await expect(ChainDb.open(dir)).rejects.toThrow(/in use by another process/);
    await db.close();
  });

  it('bytes that are not the database encoding raise DbDecodeError, not garbage', async () => {
    const { dir, db } = await tempDb();
    const g = genesisBlock();
    await db.initGenesis(g);
    await db.close();
    const { ClassicLevel } = await import('classic-level');
    const raw = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await raw.open();
    await raw.put(Buffer.concat([Buffer.from([0x02]), Buffer.from(g.hash)]), Buffer.from([5, 0, 0, 0, 1]));
    await raw.close();
    const re = await ChainDb.open(dir);
    await expect(re.getBody(g.hash)).rejects.toBeInstanceOf(DbDecodeError);
    await re.close();
  });

  it('refuses a database whose pointers are missing (not a silent empty chain)', async () => {
    const { dir, db } = await tempDb();
    await db.initGenesis(genesisBlock());
    await db.close();
    const { ClassicLevel } = await import('classic-level');
    const raw = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await raw.open();
    await raw.del(Buffer.concat([Buffer.from([0x05]), Buffer.from('best')]));
    await raw.close();
    await expect(ChainDb.open(dir)).rejects.toBeInstanceOf(ChainDbCorruptionError);
  });
});
