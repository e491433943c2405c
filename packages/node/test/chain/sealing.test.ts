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
