/**
 * Block announcements and sync between nodes of one chain (the relay chain), each its own process: a full node
 * follows the validator's new blocks as they are announced; stopped, left behind, and restarted on its base path
 * (same peer id, from its persisted key), it catches up with block requests; a third node that only knows the full
 * node syncs through it (a node announces the blocks it imports, and serves them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChainProcess,
  type HeaderJson,
  headerNumber,
  killAll,
  removeDir,
  startChainNode,
  tempDir,
  waitFor,
} from './chain-process.ts';

let dir: string;
let validator: ChainProcess;
let full: ChainProcess | undefined;
let third: ChainProcess | undefined;

const best = async (n: ChainProcess) => headerNumber(await n.rpc<HeaderJson>('chain_getHeader'));
const hashAt = (n: ChainProcess, number: number) => n.rpc<string | null>('chain_getBlockHash', [number]);

const startFull = (name: string, bootnode: string) =>
  startChainNode(name, [
    '--chain',
    'relay',
    '--base-path',
    `${dir}/${name}`,
    '--p2p-port',
    '0',
    '--bootnodes',
    bootnode,
  ]);

beforeAll(async () => {
  dir = await tempDir('sync');
  validator = await startChainNode('validator', [
    '--chain',
    'relay',
    '--base-path',
    `${dir}/validator`,
    '--p2p-port',
    '0',
    '--validator',
    '//Alice',
    '--block-time',
    '500',
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([third, full, validator].map((n) => n?.stop().catch(() => {})));
  await killAll();
  if (dir) await removeDir(dir);
});

describe('block announcements and sync between two nodes of the relay chain', () => {
  it('a full node follows the validator block by block, as each is announced', async () => {
    full = await startFull('full', validator.ready.listenAddresses[0]);
    expect(full.ready.role).toBe('relay-full');
    await waitFor(async () => (await best(full!)) >= 3, 20_000, 'the full node at #3');
    // Each new block reaches the full node within a block time or so of being sealed.
    for (let i = 0; i < 3; i++) {
      const n = await best(validator);
      const h = await hashAt(validator, n);
      const t0 = Date.now();
      await waitFor(async () => (await hashAt(full!, n)) === h, 5000, `block #${n} on the full node`);
      expect(Date.now() - t0).toBeLessThan(2500);
      await waitFor(async () => (await best(validator)) > n, 5000, 'the next block');
    }
    expect(await full.rpc('system_nodeRoles')).toEqual(['Full']);
    expect(await validator.rpc('system_nodeRoles')).toEqual(['Authority']);
    expect(await full.rpc('system_peers')).toEqual([
      expect.objectContaining({ peerId: validator.ready.peerId, roles: 'AUTHORITY' }),
    ]);
    expect(await validator.rpc('system_peers')).toEqual([
      expect.objectContaining({ peerId: full.ready.peerId, roles: 'FULL' }),
    ]);
    // Finality: the full node finalizes what it imported (one authority), the same blocks as the validator.
    const fin = await waitFor(
      async () => {
        const h = await full!.rpc<string>('chain_getFinalizedHead');
        const hd = await full!.rpc<HeaderJson>('chain_getHeader', [h]);
        return headerNumber(hd) >= 3 && { h, n: headerNumber(hd) };
      },
      5000,
      'finality on the full node',
    );
    expect(await hashAt(validator, fin.n)).toBe(fin.h);
  });

  it('stopped and restarted after falling behind, it catches up with block requests (same peer id)', async () => {
    const peerId = full!.ready.peerId;
    await full!.stop();
    const stoppedAt = await best(validator);
    await waitFor(
      async () => (await best(validator)) >= stoppedAt + 12,
      20_000,
      'the validator 12 blocks ahead',
    );
    full = await startFull('full', validator.ready.listenAddresses[0]);
    expect(full.ready.peerId).toBe(peerId);
    expect(full.ready.bestNumber).toBeLessThanOrEqual(stoppedAt + 1);
    const target = await best(validator);
    await waitFor(async () => (await best(full!)) >= target, 15_000, `the restarted node at #${target}`);
    expect(await hashAt(full, target)).toBe(await hashAt(validator, target));
    const state = await full.rpc<{ startingBlock: number; currentBlock: number; highestBlock: number }>(
      'system_syncState',
    );
    expect(state.startingBlock).toBe(full.ready.bestNumber);
    expect(state.currentBlock).toBeGreaterThanOrEqual(target);
    expect(state.highestBlock).toBeGreaterThanOrEqual(state.currentBlock);
  });

  it('a node that only knows the full node syncs through it', async () => {
    third = await startFull('third', full!.ready.listenAddresses[0]);
    const target = await best(validator);
    await waitFor(
      async () => (await best(third!)) >= target + 2,
      20_000,
      "the third node past the validator's best",
    );
    const n = await best(third);
    expect(await hashAt(third, n)).toBe(await hashAt(validator, n));
    expect(await third.rpc('system_peers')).toEqual([
      expect.objectContaining({ peerId: full!.ready.peerId }),
    ]);
  });
});
