/**
 * The transaction pool behind the author RPC, through ApiPromise on a manual-sealing node: nonces of pending
 * transactions count in `system_accountNextIndex`, `author_pendingExtrinsics` lists them, a gap nonce is `future`
 * until filled, and a transaction that turns invalid while the block is built ends with `invalid` — the statuses
 * of polkadot-sdk's `TransactionStatus` as polkadot-js decodes them.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Node } from '../../src/node.ts';
import { connectApi, startNode, waitFor } from '../chain/helpers.ts';

let node: Node;
let api: ApiPromise;
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });

beforeAll(async () => {
  const s = await startNode({ sealing: { kind: 'manual' }, finalityDelayMs: 50 });
  node = s.node;
  api = await connectApi(s.url);
});
afterAll(async () => {
  await api?.disconnect();
  await node?.stop();
});

/**
 * A block left unfinalized (`finalize = false`), finalized with engine_finalizeBlock once `seen()` says the InBlock
 * status arrived: polkadot-js fetches a block's events on InBlock and drops that status when Finalized comes before
 * the fetch ends (switchMap), so a block imported as final at once (`finalize = true`) may show only Finalized.
 */
async function seal(seen: () => boolean): Promise<void> {
  const created = await (api.rpc as any).engine.createBlock(true, false);
  await waitFor(seen, 10_000, 'InBlock');
  // polkadot-js names the wire field `hash` of CreatedBlock `blockHash`
  await (api.rpc as any).engine.finalizeBlock(created.blockHash);
}

it('pending nonces, pending extrinsics, future until the gap is filled', async () => {
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const statuses: Record<number, string[]> = { 0: [], 1: [], 2: [], 3: [] };
  const send = (nonce: number) =>
    api.tx.balances
      .transferKeepAlive(bob.address, 1000n + BigInt(nonce))
      .signAndSend(alice, { nonce }, (r) => {
        statuses[nonce].push(r.status.type);
      });
  await send(0);
  await send(1);
  await send(3);
  await waitFor(() => statuses[0].length > 0 && statuses[1].length > 0 && statuses[3].length > 0);
  expect(statuses[0]).toEqual(['Ready']);
  expect(statuses[3]).toEqual(['Future']);
  expect((await api.rpc.system.accountNextIndex(alice.address)).toNumber()).toBe(2);
  expect((await api.rpc.author.pendingExtrinsics()).length).toBe(3);
  await seal(() => statuses[0].includes('InBlock') && statuses[1].includes('InBlock'));
  await waitFor(() => statuses[1].includes('Finalized'), 10_000, 'nonce 1 finalized');
  expect(statuses[0]).toEqual(['Ready', 'InBlock', 'Finalized']);
  expect(statuses[3]).toEqual(['Future']);
  expect((await api.rpc.author.pendingExtrinsics()).length).toBe(1);
  await send(2);
  await waitFor(() => statuses[3].includes('Ready'), 10_000, 'future promoted');
  await seal(() => statuses[2].includes('InBlock') && statuses[3].includes('InBlock'));
  await waitFor(() => statuses[3].includes('Finalized'), 10_000, 'nonce 3 finalized');
  expect(((await api.query.system.account(alice.address)) as any).nonce.toNumber()).toBe(4);
});

it('a transaction that cannot pay once its predecessor ran ends as invalid', async () => {
  const ferdie = keyring.addFromUri('//Ferdie');
  const charlie = keyring.addFromUri('//Charlie');
  const free = ((await api.query.system.account(ferdie.address)) as any).data.free.toBigInt() as bigint;
  const s1: string[] = [];
  const s2: string[] = [];
  // First: send all but 2 mUNIT (≥ ED, below any fee); second: valid in the pool, unpayable after the first.
  const probe = api.tx.balances.transferAllowDeath(charlie.address, free);
  const fee1 = (await probe.paymentInfo(ferdie)).partialFee.toBigInt();
  await api.tx.balances
    .transferAllowDeath(charlie.address, free - fee1 - 2n * 10n ** 9n)
    .signAndSend(ferdie, { nonce: 0 }, (r) => {
      s1.push(r.status.type);
    });
  await api.tx.balances
    .transferKeepAlive(charlie.address, 10n ** 12n)
    .signAndSend(ferdie, { nonce: 1 }, (r) => {
      s2.push(r.status.type);
    });
  await waitFor(() => s1.length > 0 && s2.length > 0);
  await seal(() => s1.includes('InBlock'));
  await waitFor(() => s2.includes('Invalid') && s1.includes('Finalized'), 10_000, 'statuses').catch((e) => {
    throw new Error(`${e.message}: ${JSON.stringify({ s1, s2 })}`);
  });
  expect(s1).toEqual(['Ready', 'InBlock', 'Finalized']);
  expect(s2).toEqual(['Ready', 'Invalid']);
  expect((await api.rpc.author.pendingExtrinsics()).length).toBe(0);
  expect(((await api.query.system.account(ferdie.address)) as any).data.free.toBigInt()).toBe(2n * 10n ** 9n);
});
