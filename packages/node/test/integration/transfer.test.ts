/**
 * A signed balance transfer from @polkadot/api 16.5.6 against a dev node process (instant sealing, instant
 * finality): status stream in Substrate's order, events decoded from our metadata, exact balances and fee,
 * subscriptions (new heads, finalized heads, storage), key listing; then hostile submissions (tampered
 * signature, stale nonce, unknown call index) rejected with the author error codes of polkadot-sdk
 * (`client/rpc-api/src/author/error.rs`, base 1000) and the InvalidTransaction texts of
 * `sp_runtime::transaction_validity`, leaving the chain as it was.
 */
import '@polkadot/api-augment';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Header } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DEV_ENDOWMENT, SS58_PREFIX, UNIT } from '@xstorage/runtime/runtimes/dev';
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
import { RpcCallError, RpcClient } from './rpc-client.ts';

let node: RunningNode;
let api: ApiPromise;
let rpc: RpcClient;
let basePath: string;
let alice: KeyringPair;
let bob: KeyringPair;
const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  basePath = await tempBasePath('transfer');
  node = await startNode({ basePath, mode: { sealing: 'instant' } });
  api = await connectApi(node.wsUrl);
  rpc = await RpcClient.open(node.wsUrl);
}, 60_000);

afterAll(async () => {
  rpc?.close();
  await api?.disconnect().catch(() => {});
  await node?.stop();
  await killAllStarted();
  if (basePath) await removeDir(basePath);
});

async function free(address: string, at?: string): Promise<bigint> {
  const q = at ? (await api.at(at)).query : api.query;
  return (await q.system.account(address)).data.free.toBigInt();
}

async function submitRaw(hex: string): Promise<RpcCallError> {
  try {
    const r = await rpc.call('author_submitExtrinsic', [hex]);
    throw new Error(`the node accepted it (${JSON.stringify(r)})`);
  } catch (e) {
    if (!(e instanceof RpcCallError)) throw e;
    return e;
  }
}

/** What must not move when a submission is rejected. */
async function snapshot() {
  const head = await api.rpc.chain.getHeader();
  return {
    best: head.number.toNumber(),
    stateRoot: head.stateRoot.toHex(),
    aliceNonce: (await api.rpc.system.accountNextIndex(alice.address)).toNumber(),
    alice: await free(alice.address),
    bob: await free(bob.address),
    pending: (await api.rpc.author.pendingExtrinsics()).length,
  };
}

describe('a signed transfer through the dev node process', () => {
  const amount = 12_345n * UNIT + 678n;
  let transferBlock = '';

  it('ready → inBlock → finalized, events decoded, exact balances and fee', async () => {
    const heads: Header[] = [];
    const finalizedHeads: Header[] = [];
    const bobSeen: bigint[] = [];
    const unsubs: Array<() => void> = [
      await api.rpc.chain.subscribeNewHeads((h) => {
        heads.push(h);
      }),
      await api.rpc.chain.subscribeFinalizedHeads((h) => {
        finalizedHeads.push(h);
      }),
      await api.query.system.account(bob.address, (acc) => {
        bobSeen.push(acc.data.free.toBigInt());
      }),
    ];
    try {
      const aliceBefore = await free(alice.address);
      const bobBefore = await free(bob.address);
      const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
      expect(nonce).toBe(0);
      await waitUntil(() => bobSeen.length >= 1, 10_000, 'the first storage notification');
      expect(bobSeen[0]).toBe(bobBefore);

      const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
      const info = await tx.paymentInfo(alice);
      expect(info.partialFee.toBigInt()).toBeGreaterThan(0n);

      const statuses: string[] = [];
      let events: Array<{ section: string; method: string; data: any }> = [];
      let inBlock = '';
      let finalizedIn = '';
      let txLength = 0;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no finality; statuses ${statuses.join(',')}`)),
          30_000,
        );
        tx.signAndSend(alice, (result) => {
          const s = result.status;
          statuses.push(s.type);
          if (s.isInBlock) {
            inBlock = s.asInBlock.toHex();
            events = result.events.map(({ event }) => ({
              section: event.section,
              method: event.method,
              data: event.data,
            }));
          }
          if (s.isFinalized) {
            finalizedIn = s.asFinalized.toHex();
            clearTimeout(timer);
            resolve();
          }
          if (s.isDropped || s.isInvalid || s.isUsurped) {
            clearTimeout(timer);
            reject(new Error(`transaction ${s.type}`));
          }
        })
          .then(() => {
            txLength = tx.encodedLength;
          })
          .catch((e) => {
            clearTimeout(timer);
            reject(e);
          });
      });
      // Substrate's TransactionStatus order (Broadcast does not happen on a single node).
      expect(statuses.filter((s) => s !== 'Broadcast')).toEqual(['Ready', 'InBlock', 'Finalized']);
      expect(finalizedIn).toBe(inBlock);
      transferBlock = inBlock;

      const transfer = events.find((e) => e.section === 'balances' && e.method === 'Transfer');
      expect(transfer, JSON.stringify(events.map((e) => `${e.section}.${e.method}`))).toBeDefined();
      expect(transfer!.data.from.toString()).toBe(alice.address);
      expect(transfer!.data.to.toString()).toBe(bob.address);
      expect(transfer!.data.amount.toBigInt()).toBe(amount);
      const feePaid = events.find(
        (e) => e.section === 'transactionPayment' && e.method === 'TransactionFeePaid',
      );
      expect(feePaid).toBeDefined();
      expect(feePaid!.data.who.toString()).toBe(alice.address);
      expect(feePaid!.data.tip.toBigInt()).toBe(0n);
      const fee = feePaid!.data.actualFee.toBigInt() as bigint;
      expect(fee).toBeGreaterThan(0n);
      expect(events.some((e) => e.section === 'system' && e.method === 'ExtrinsicSuccess')).toBe(true);
      expect(events.some((e) => e.section === 'system' && e.method === 'ExtrinsicFailed')).toBe(false);

      // Balances at the block, and at the (same) best block afterwards.
      expect(await free(alice.address, inBlock)).toBe(aliceBefore - amount - fee);
      expect(await free(bob.address, inBlock)).toBe(bobBefore + amount);
      expect(await free(alice.address)).toBe(aliceBefore - amount - fee);
      expect(await free(bob.address)).toBe(DEV_ENDOWMENT + amount);

      // paymentInfo signs a fake extrinsic of the same length (same era, nonce width, tip), and a transfer's
      // actual weight equals its declared weight, so the estimate is exactly the fee charged.
      expect(txLength).toBeGreaterThan(100);
      expect(info.partialFee.toBigInt()).toBe(fee);

      expect((await api.rpc.system.accountNextIndex(alice.address)).toNumber()).toBe(1);
      expect((await api.query.system.account(alice.address)).nonce.toNumber()).toBe(1);

      // Subscriptions saw the block and the new balance.
      const blockNumber = (await api.rpc.chain.getHeader(inBlock)).number.toNumber();
      await waitUntil(
        () =>
          heads.some((h) => h.hash.toHex() === inBlock) &&
          finalizedHeads.some((h) => h.number.toNumber() >= blockNumber) &&
          bobSeen.includes(bobBefore + amount),
        10_000,
        'subscriptions to report the transfer block',
      );
      const headNumbers = heads.map((h) => h.number.toNumber());
      expect(headNumbers).toEqual([...headNumbers].sort((a, b) => a - b));
      expect(bobSeen.at(-1)).toBe(bobBefore + amount);
    } finally {
      for (const u of unsubs) u();
    }
  });

  it('state_getKeysPaged and system.account.entries() list the dev accounts', async () => {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
    const devAddresses = DEV_NAMES.map((n) => keyring.addFromUri(`//${n}`).address);
    const entries = await api.query.system.account.entries();
    const byAddress = new Map(entries.map(([k, v]) => [k.args[0].toString(), v.data.free.toBigInt()]));
    for (const a of devAddresses) expect(byAddress.has(a), a).toBe(true);
    expect(byAddress.get(bob.address)).toBe(DEV_ENDOWMENT + amount);

    // Raw: the same keys by prefix, paged two at a time, in key order, the cursor excluded.
    const prefix = api.query.system.account.keyPrefix();
    const all: string[] = [];
    let start: string | undefined;
    for (;;) {
      const page = await api.rpc.state.getKeysPaged(prefix, 2, start);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(2);
      for (const k of page) all.push(k.toHex());
      start = page[page.length - 1].toHex();
    }
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(all.length);
    for (const a of devAddresses) expect(all).toContain(api.query.system.account.key(a));
    expect(all.length).toBe(entries.length);
  });

  it('a tampered signature is rejected: 1010 bad signature, nothing changes', async () => {
    const before = await snapshot();
    const tx = api.tx.balances.transferKeepAlive(bob.address, 1n * UNIT);
    await tx.signAsync(alice, { nonce: before.aliceNonce });
    const bytes = tx.toU8a();
    const sig = tx.signature.toU8a();
    expect(sig.length).toBe(64);
    const at = indexOf(bytes, sig);
    expect(at).toBeGreaterThan(0);
    const tampered = bytes.slice();
    tampered[at + 10] ^= 0x01;
    const err = await submitRaw(u8aToHex(tampered));
    expect(err.code).toBe(1010);
    expect(err.message).toMatch(/Invalid Transaction.*Transaction has a bad signature/);
    expect(await snapshot()).toEqual(before);
  });

  it('a reused nonce is rejected: 1010 Stale (Transaction is outdated), nothing changes', async () => {
    const before = await snapshot();
    expect(before.aliceNonce).toBe(1);
    const tx = api.tx.balances.transferKeepAlive(bob.address, 2n * UNIT);
    await tx.signAsync(alice, { nonce: 0 });
    const err = await submitRaw(tx.toHex());
    expect(err.code).toBe(1010);
    expect(err.message).toMatch(/Invalid Transaction.*Transaction is outdated/);
    // The pool bans what it found invalid: the same bytes again are refused up front, as sc-transaction-pool does
    // (`TemporarilyBanned`, 1012), here through polkadot-js' own submit path.
    await expect(api.rpc.author.submitExtrinsic(tx)).rejects.toThrow(
      /1012: Transaction is temporarily banned/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('an unknown call index [0xff, 0x00] is rejected with a clear error, nothing changes', async () => {
    const before = await snapshot();
    // Unsigned v4 extrinsic: compact(3) ++ 0x04 ++ call.
    const bare = '0x0c04ff00';
    // Substrate answers what its runtime API says when the argument does not decode:
    // 1002 "Verification Error: Runtime error: Execution failed: … Bad input data provided to validate_transaction".
    const e1 = await submitRaw(bare);
    expect(e1.code).toBe(1002);
    expect(e1.message).toMatch(/Verification Error: .*Bad input data provided to validate_transaction.*255/);

    // A signed one: a real signed transfer's prefix (version, address, signature, extensions) with the call
    // replaced by [0xff, 0x00]; decoding fails before the signature is looked at.
    const tx = api.tx.balances.transferKeepAlive(bob.address, 3n * UNIT);
    await tx.signAsync(alice, { nonce: before.aliceNonce });
    const full = tx.toU8a(true); // without the length prefix
    const call = tx.method.toU8a();
    const body = new Uint8Array([...full.subarray(0, full.length - call.length), 0xff, 0x00]);
    const withLen = new Uint8Array([...api.createType('Compact<u32>', body.length).toU8a(), ...body]);
    const e2 = await submitRaw(u8aToHex(withLen));
    expect(e2.code).toBe(1002);
    expect(e2.message).toMatch(/Verification Error: .*Bad input data provided to validate_transaction.*255/);

    // Garbage that is not an extrinsic at all (bad length prefix / truncated).
    // Substrate's submit_extrinsic answers 1040 "Client error: …" here and watch_extrinsic 1001 "Extrinsic has invalid
    // format: …" (substrate/client/rpc/src/author/mod.rs); either names the decoding failure.
    const e3 = await submitRaw('0xffffffff01');
    expect([1001, 1040]).toContain(e3.code);
    expect(e3.message).toMatch(/Extrinsic has invalid format: .+|Client error: .+/);
    expect(await snapshot()).toEqual(before);
  });

  it('the chain still accepts a good transfer after the rejections', async () => {
    const before = await snapshot();
    const hash = await api.tx.balances.transferKeepAlive(bob.address, 5n * UNIT).signAndSend(alice);
    expect(hash.toHex()).toMatch(/^0x[0-9a-f]{64}$/);
    await waitUntil(async () => (await snapshot()).bob === before.bob + 5n * UNIT, 15_000, 'the transfer');
    expect((await api.rpc.system.accountNextIndex(alice.address)).toNumber()).toBe(before.aliceNonce + 1);
    expect(transferBlock).not.toBe('');
  });

  it('instant sealing builds again while ready transactions remain after a full block', async () => {
    // Five 1.6 MB remarks need at least three blocks (the normal-class length limit, 0.75 × 5 MiB, holds two), and
    // they are all submitted at once: the blocks after the first must follow without any further submission.
    // (Substrate's instant seal seals once per pool import, so nothing ready is ever left behind.)
    const kr = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
    const senders = ['//Alice', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((u) => kr.addFromUri(u));
    // as hex: polkadot-js reads a Uint8Array given for `Bytes` as already length-prefixed
    const remark = u8aToHex(new Uint8Array(1_600_000).fill(0x61));
    const start = await Promise.all(
      senders.map(async (p) => (await api.rpc.system.accountNextIndex(p.address)).toNumber()),
    );
    const startBest = (await api.rpc.chain.getHeader()).number.toNumber();
    const txs: string[] = [];
    for (const [i, p] of senders.entries())
      txs.push((await api.tx.system.remark(remark).signAsync(p, { nonce: start[i] })).toHex());
    await Promise.all(txs.map((tx) => rpc.call('author_submitExtrinsic', [tx])));
    const included = async () => {
      const nonces = await Promise.all(
        senders.map(async (p) => (await api.query.system.account(p.address)).nonce.toNumber()),
      );
      return nonces.every((n, i) => n === start[i] + 1);
    };
    let all = false;
    try {
      await waitUntil(included, 10_000, 'all five remarks to be included', 200);
      all = true;
    } catch {}
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const pending = (await api.rpc.author.pendingExtrinsics()).length;
    expect({ allIncluded: all, pendingInPool: pending }).toEqual({ allIncluded: true, pendingInPool: 0 });
    expect(best - startBest).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
