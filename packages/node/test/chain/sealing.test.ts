/**
 * Block production timing: `interval` makes blocks on its own with timestamps one slot (6 s) apart and
 * increasing slots; `instant` seals for arriving transactions, coalescing a burst into few blocks with all of
 * them included; `manual` makes nothing until asked.
 */
import { Keyring } from '@polkadot/keyring';
import { afterEach, expect, it } from 'vitest';
import { headerSlot } from '../../src/chain/aura.ts';
import type { Node } from '../../src/node.ts';
import { connectApi, startNode, waitFor } from './helpers.ts';

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

it('interval sealing makes blocks by itself, one slot apart', async () => {
  ({ node } = await startNode({ sealing: { kind: 'interval', blockTimeMs: 150 } }));
  const chain = node.chain;
  await waitFor(() => chain.bestNumber >= 4, 20_000, '4 blocks');
  const slots: bigint[] = [];
  for (let n = 1; n <= 4; n++) slots.push(headerSlot((await chain.getHeader((await chain.getHash(n))!))!)!);
  for (let i = 1; i < slots.length; i++) expect(slots[i]).toBeGreaterThan(slots[i - 1]);
  await waitFor(() => chain.db.finalized.number >= 3, 10_000, 'finality');
});

it('instant sealing includes a burst of transactions; manual makes no block unless asked', async () => {
  let url: string;
  ({ node, url } = await startNode({ sealing: { kind: 'instant' } }));
  const api = await connectApi(url);
  try {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const N = 12;
    const done: string[] = [];
    for (let i = 0; i < N; i++) {
      await api.tx.balances.transferKeepAlive(bob.address, 1n).signAndSend(alice, { nonce: i }, (r) => {
        if (r.status.isInBlock) done.push(r.status.asInBlock.toHex());
      });
    }
    await waitFor(() => done.length === N, 20_000, 'all in blocks');
    expect(node.chain.bestNumber).toBeGreaterThanOrEqual(1);
    expect(node.chain.bestNumber).toBeLessThanOrEqual(N);
    expect(((await api.query.system.account(alice.address)) as any).nonce.toNumber()).toBe(N);
  } finally {
    await api.disconnect();
  }
  await node.stop();
  ({ node } = await startNode({ sealing: { kind: 'manual' } }));
  await new Promise((r) => setTimeout(r, 300));
  expect(node.chain.bestNumber).toBe(0);
  await node.sealing.createBlock();
  expect(node.chain.bestNumber).toBe(1);
});

it('createBlock({ finalize }) as manual-seal: true is final on import (ancestors too), false waits for finalize', async () => {
  // polkadot-sdk substrate/client/consensus/manual-seal/src/seal_block.rs: `params.finalized = finalize`; without it
  // a manual-seal node finalizes nothing by itself (engine_finalizeBlock does).
  ({ node } = await startNode({ sealing: { kind: 'manual' } }));
  const chain = node.chain;
  const seen: number[] = [];
  chain.onFinalized(({ header }) => seen.push(header.number));
  const b1 = await node.sealing.createBlock({ finalize: false });
  const b2 = await node.sealing.createBlock({ finalize: false });
  expect(b1.finalized).toBe(false);
  // Past the node's default 250 ms finality delay: still not final.
  await new Promise((r) => setTimeout(r, 400));
  expect(chain.db.finalized.number).toBe(0);
  const b3 = await node.sealing.createBlock({ finalize: true });
  expect(b3.finalized).toBe(true);
  expect(Buffer.from(chain.finalizedHash).toString('hex')).toBe(Buffer.from(b3.hash).toString('hex'));
  expect(seen).toEqual([3]);
  expect(b2.number).toBe(2);
  // Absent: the node's own finality (instant, after its delay).
  await node.sealing.createBlock();
  await waitFor(() => chain.db.finalized.number === 4, 5_000, 'block 4 final');
  const b5 = await node.sealing.createBlock({ finalize: false });
  await chain.finalize(b5.hash);
  expect(chain.db.finalized.number).toBe(5);
});
