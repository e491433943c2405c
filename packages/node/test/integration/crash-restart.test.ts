/**
 * kill -9 during load: a dev node process (250 ms blocks) receives a stream of signed transfers over RPC and is
 * killed with SIGKILL in the middle of it. Restarted on the same base path it must come back at its last
 * committed block with every block finalized before the kill still canonical, a state that hashes (Substrate
 * trie, LayoutV1) to the header's state root, balances that add up exactly (Bob = endowment + every transfer
 * in the restored chain, senders = endowment − transfers − fees, total issuance conserved), and then go on
 * producing blocks and accepting transfers.
 */
import '@polkadot/api-augment';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DEV_ENDOWMENT, SS58_PREFIX, UNIT } from '@xstorage/runtime/runtimes/dev';
import { trieRoot } from '@xstorage/runtime/trie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectApi,
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
  waitUntil,
} from './node-process.ts';
import { RpcClient, RpcClosedError } from './rpc-client.ts';

const BLOCK_TIME_MS = 250;
const PER_SENDER = 150;
const SUBMIT_EVERY_MS = 8;
/** Kill once this many transfers were submitted (the rest of the stream is still coming). */
const KILL_AFTER = 180;

let basePath: string;
const nodes: RunningNode[] = [];
const apis: ApiPromise[] = [];
const clients: RpcClient[] = [];
let alice: KeyringPair;
let bob: KeyringPair;
let charlie: KeyringPair;

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  charlie = keyring.addFromUri('//Charlie');
  basePath = await tempBasePath('crash');
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const a of apis) await a.disconnect().catch(() => {});
  for (const n of nodes) await n.stop().catch(() => {});
  await killAllStarted();
  if (basePath) await removeDir(basePath);
});

/** Every key/value of the state at `at`, through the public RPC only. */
async function fullState(rpc: RpcClient, at: string): Promise<Array<[Uint8Array, Uint8Array]>> {
  const keys: string[] = [];
  let start: string | null = null;
  for (;;) {
    const page: string[] = await rpc.call('state_getKeysPaged', ['0x', 1000, start, at]);
    keys.push(...page);
    if (page.length < 1000) break;
    start = page[page.length - 1];
  }
  const values = await Promise.all(keys.map((k) => rpc.call<string | null>('state_getStorage', [k, at])));
  return keys.map((k, i) => {
    if (values[i] === null) throw new Error(`listed key ${k} has no value`);
    return [hexToU8a(k), hexToU8a(values[i]!)] as [Uint8Array, Uint8Array];
  });
}

describe('dev node process killed with SIGKILL during load', () => {
  it('restarts at its last committed block with state and balances intact, then continues', async () => {
    const first = await startNode({ basePath, mode: { blockTimeMs: BLOCK_TIME_MS } });
    nodes.push(first);
    const api = await connectApi(first.wsUrl);
    apis.push(api);
    const rpc = await RpcClient.open(first.wsUrl);
    clients.push(rpc);
    const issuanceAtStart = (await api.query.balances.totalIssuance()).toBigInt();

    // Pre-signed, immortal, explicit nonces: amount encodes (sender, index) so every transfer is identifiable.
    const signed: string[] = [];
    for (let i = 0; i < PER_SENDER; i++) {
      for (const [s, pair] of [alice, charlie].entries()) {
        const amount = UNIT + BigInt(s * 1_000_000 + i);
        const tx = await api.tx.balances
          .transferKeepAlive(bob.address, amount)
          .signAsync(pair, { nonce: i, era: 0 });
        signed.push(tx.toHex());
      }
    }

    const finalizedBeforeKill: Array<{ number: number; hash: string; stateRoot: string }> = [];
    const unsub = await api.rpc.chain.subscribeFinalizedHeads((h) => {
      finalizedBeforeKill.push({
        number: h.number.toNumber(),
        hash: h.hash.toHex(),
        stateRoot: h.stateRoot.toHex(),
      });
    });

    let accepted = 0;
    const rejected: string[] = [];
    for (let i = 0; i < KILL_AFTER; i++) {
      rpc.call('author_submitExtrinsic', [signed[i]]).then(
        () => accepted++,
        // answers cut off by the kill itself are not rejections
        (e) => {
          if (!(e instanceof RpcClosedError)) rejected.push(String(e.message));
        },
      );
      await new Promise((r) => setTimeout(r, SUBMIT_EVERY_MS));
    }
    // Load is still flowing: keep submitting while the kill lands.
    for (let i = KILL_AFTER; i < KILL_AFTER + 10; i++)
      rpc.call('author_submitExtrinsic', [signed[i]]).catch(() => {});
    await first.kill9();
    unsub();
    await api.disconnect().catch(() => {});
    rpc.close();

    expect(rejected).toEqual([]);
    expect(accepted).toBeGreaterThan(KILL_AFTER / 2);
    const lastFinal = finalizedBeforeKill.at(-1);
    expect(lastFinal, 'finalized heads seen before the kill').toBeDefined();
    expect(lastFinal!.number).toBeGreaterThanOrEqual(2);

    // Restart on the same base path.
    const second = await startNode({ basePath, port: first.port, mode: { blockTimeMs: BLOCK_TIME_MS } });
    nodes.push(second);
    expect(second.ready.genesisHash).toBe(first.ready.genesisHash);
    expect(second.ready.bestNumber).toBeGreaterThanOrEqual(lastFinal!.number);
    const api2 = await connectApi(second.wsUrl);
    apis.push(api2);
    const rpc2 = await RpcClient.open(second.wsUrl);
    clients.push(rpc2);

    // Nothing finalized is lost: every finalized block seen before the kill is still canonical, same header.
    for (const f of finalizedBeforeKill) {
      expect((await api2.rpc.chain.getBlockHash(f.number)).toHex()).toBe(f.hash);
      expect((await api2.rpc.chain.getHeader(f.hash)).stateRoot.toHex()).toBe(f.stateRoot);
    }
    const finalizedNow = await api2.rpc.chain.getHeader(await api2.rpc.chain.getFinalizedHead());
    expect(finalizedNow.number.toNumber()).toBeGreaterThanOrEqual(lastFinal!.number);

    // The state at the restored head hashes to its header's state root.
    const restoredHash = (await api2.rpc.chain.getBlockHash(second.ready.bestNumber)).toHex();
    const restored = await api2.rpc.chain.getHeader(restoredHash);
    const entries = await fullState(rpc2, restoredHash);
    expect(entries.length).toBeGreaterThan(10);
    expect(`0x${Buffer.from(trieRoot(entries, 1)).toString('hex')}`).toBe(restored.stateRoot.toHex());

    // Balances: walk the restored chain and add up transfers and fees.
    const restoredNumber = restored.number.toNumber();
    let toBob = 0n;
    const sent = new Map<string, { amount: bigint; fees: bigint; count: number }>([
      [alice.address, { amount: 0n, fees: 0n, count: 0 }],
      [charlie.address, { amount: 0n, fees: 0n, count: 0 }],
    ]);
    for (let n = 1; n <= restoredNumber; n++) {
      const hash = await api2.rpc.chain.getBlockHash(n);
      const [block, events] = await Promise.all([
        api2.rpc.chain.getBlock(hash),
        (await api2.at(hash)).query.system.events(),
      ]);
      block.block.extrinsics.forEach((xt, index) => {
        const evs = events.filter(
          (e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.toNumber() === index,
        );
        if (!xt.isSigned) return;
        expect(`${xt.method.section}.${xt.method.method}`).toBe('balances.transferKeepAlive');
        expect(evs.some((e) => e.event.section === 'system' && e.event.method === 'ExtrinsicSuccess')).toBe(
          true,
        );
        const amount = (xt.method.args[1] as any).toBigInt() as bigint;
        const paid = evs.find(
          (e) => e.event.section === 'transactionPayment' && e.event.method === 'TransactionFeePaid',
        );
        expect(paid).toBeDefined();
        const s = sent.get(xt.signer.toString())!;
        expect(s, `unexpected signer ${xt.signer.toString()}`).toBeDefined();
        expect(xt.nonce.toNumber()).toBe(s.count);
        s.amount += amount;
        s.fees += (paid!.event.data as any).actualFee.toBigInt();
        s.count++;
        toBob += amount;
      });
    }
    const at2 = await api2.at(restoredHash);
    const account = async (a: string) => (await at2.query.system.account(a)) as any;
    expect((await account(bob.address)).data.free.toBigInt()).toBe(DEV_ENDOWMENT + toBob);
    for (const [address, s] of sent) {
      const acc = await account(address);
      expect(acc.data.free.toBigInt()).toBe(DEV_ENDOWMENT - s.amount - s.fees);
      expect(acc.nonce.toNumber()).toBe(s.count);
    }
    const included = sent.get(alice.address)!.count + sent.get(charlie.address)!.count;
    expect(included).toBeGreaterThan(0);
    console.info(
      `crash-restart: ${accepted} accepted before the kill, ${included} included in ${restoredNumber} restored blocks, last finalized seen #${lastFinal!.number}, restored best #${restoredNumber}, ${entries.length} state entries`,
    );
    // Fees moved, nothing was minted or burnt: every account's balance adds up to the issuance at genesis.
    const issuance = (await at2.query.balances.totalIssuance()).toBigInt();
    expect(issuance).toBe(issuanceAtStart);
    const all = await at2.query.system.account.entries();
    const sum = all.reduce((acc, [, v]) => acc + v.data.free.toBigInt() + v.data.reserved.toBigInt(), 0n);
    expect(sum).toBe(issuance);

    // The chain continues: new blocks, and a fresh transfer from Alice with the next nonce is finalized.
    await waitUntil(
      async () => (await api2.rpc.chain.getHeader()).number.toNumber() > restoredNumber,
      15_000,
      'a block after the restart',
    );
    const bobBefore = (await api2.query.system.account(bob.address)).data.free.toBigInt();
    const nonce = (await api2.rpc.system.accountNextIndex(alice.address)).toNumber();
    expect(nonce).toBe(sent.get(alice.address)!.count);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('transfer after restart not finalized')), 20_000);
      api2.tx.balances
        .transferKeepAlive(bob.address, 7n * UNIT)
        .signAndSend(alice, { nonce }, (r) => {
          if (r.status.isFinalized) {
            clearTimeout(timer);
            resolve();
          }
          if (r.status.isInvalid || r.status.isDropped) {
            clearTimeout(timer);
            reject(new Error(r.status.type));
          }
        })
        .catch(reject);
    });
    expect((await api2.query.system.account(bob.address)).data.free.toBigInt()).toBe(bobBefore + 7n * UNIT);
  }, 100_000);
});
