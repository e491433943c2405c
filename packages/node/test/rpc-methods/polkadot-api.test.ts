/**
 * A real `ApiPromise` (@polkadot/api 16.5.6) over `WsProvider` against an in-process dev node (instant sealing):
 * it connects, reads constants / storage / metadata, signs and sends `balances.transferKeepAlive` from //Alice to
 * //Bob and sees ready → inBlock → finalized with the events decoded and exact balances; nonces, fees and
 * subscriptions behave as on a Substrate node; bad transactions are refused with the author error codes of
 * polkadot-sdk `client/rpc-api/src/author/error.rs`.
 * Expected fee numbers: polkadot-sdk definitions (ExtrinsicBaseWeight 125 µs → 1 mUNIT, 10 µUNIT per byte,
 * pallet_balances weights.rs transfer_keep_alive 38_159_000 + RocksDbWeight read 25 µs + write 100 µs).
 */
import { type ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/node.ts';
import { connectApi, startNode, waitFor } from '../chain/helpers.ts';

const UNIT = 10n ** 12n;
const DEV_ENDOWMENT = 1_000_000n * UNIT;
const BASE_EXTRINSIC = 125_000_000n;
const WEIGHT_COEFF = 8n;
const BYTE_FEE = 10_000_000n;
const TRANSFER_KEEP_ALIVE = 38_159_000n + 25_000_000n + 100_000_000n;
const fee = (callRefTime: bigint, len: number) =>
  BASE_EXTRINSIC * WEIGHT_COEFF + BigInt(len) * BYTE_FEE + callRefTime * WEIGHT_COEFF;

let node: Node;
let api: ApiPromise;
let url = '';
let alice: KeyringPair;
let bob: KeyringPair;
let charlie: KeyringPair;

beforeAll(async () => {
  const started = await startNode();
  node = started.node;
  url = started.url;
  api = await connectApi(started.url);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  charlie = keyring.addFromUri('//Charlie');
});

afterAll(async () => {
  await api?.disconnect();
  await node?.stop();
});

async function rawSend(method: string, params: unknown[]): Promise<unknown> {
  const provider = new WsProvider(url, false);
  await provider.connect();
  await provider.isReady;
  try {
    return await provider.send(method, params);
  } finally {
    await provider.disconnect();
  }
}

const free = async (who: string) =>
  ((await api.query.system.account(who)) as any).data.free.toBigInt() as bigint;

describe('ApiPromise against the dev node', () => {
  it('connects: chain identity, properties, runtime version, metadata, constants', async () => {
    expect((await api.rpc.system.chain()).toString()).toBe('xstorage Development');
    expect((await api.rpc.system.chainType()).toString()).toBe('Development');
    const props = await api.rpc.system.properties();
    expect(props.ss58Format.unwrap().toNumber()).toBe(42);
    expect(props.tokenDecimals.unwrap()[0].toNumber()).toBe(12);
    expect(props.tokenSymbol.unwrap()[0].toString()).toBe('UNIT');
    expect(api.runtimeVersion.specName.toString()).toBe('xstorage-dev');
    expect(api.genesisHash.toHex()).toBe((await api.rpc.chain.getBlockHash(0)).toHex());
    expect(api.consts.balances.existentialDeposit.toString()).toBe(String(10n ** 9n));
    expect(api.consts.timestamp.minimumPeriod.toString()).toBe('3000');
    expect(api.tx.balances.transferKeepAlive).toBeTypeOf('function');
    const md = await api.rpc.state.getMetadata();
    expect(md.version).toBeGreaterThanOrEqual(14);
    const genesis = await api.rpc.chain.getHeader(api.genesisHash);
    expect(genesis.number.toNumber()).toBe(0);
    expect(genesis.digest.logs.length).toBe(0);
  });

  it('transferKeepAlive //Alice → //Bob: ready → inBlock → finalized, events decoded, exact balances', async () => {
    const aliceBefore = await free(alice.address);
    const bobBefore = await free(bob.address);
    expect(bobBefore).toBe(DEV_ENDOWMENT);
    const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    const amount = 12_345n * 10n ** 9n;
    const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
    const statuses: string[] = [];
    let events: string[] = [];
    let blockHash = '';
    let feePaid = 0n;
    let len = 0;
    await new Promise<void>((resolve, reject) => {
      tx.signAndSend(alice, { nonce }, (r) => {
        statuses.push(r.status.type);
        len = tx.encodedLength;
        if (r.status.isInBlock) {
          blockHash = r.status.asInBlock.toHex();
          events = r.events.map(({ event }) => `${event.section}.${event.method}`);
          const paid = r.events.find(({ event }) => event.method === 'TransactionFeePaid');
          feePaid = (paid!.event.data[1] as any).toBigInt();
        }
        if (r.status.isFinalized) {
          expect(r.status.asFinalized.toHex()).toBe(blockHash);
          resolve();
        }
        if (r.isError || r.dispatchError) reject(new Error(`failed: ${r.status.type}`));
      }).catch(reject);
    });
    expect(statuses).toEqual(['Ready', 'InBlock', 'Finalized']);
    expect(events).toEqual([
      'balances.Withdraw',
      'balances.Transfer',
      'system.NewAccount',
      'balances.Endowed',
      'balances.Deposit',
      'transactionPayment.TransactionFeePaid',
      'system.ExtrinsicSuccess',
    ]);
    const expectedFee = fee(TRANSFER_KEEP_ALIVE, len);
    expect(feePaid).toBe(expectedFee);
    expect(await free(bob.address)).toBe(bobBefore + amount);
    expect(await free(alice.address)).toBe(aliceBefore - amount - expectedFee);
    expect((await api.rpc.system.accountNextIndex(alice.address)).toNumber()).toBe(nonce + 1);
    // The block is final on the node and readable by hash.
    await waitFor(
      () =>
        node.chain.finalizedHash &&
        `0x${Buffer.from(node.chain.finalizedHash).toString('hex')}` === blockHash,
    );
    expect((await api.rpc.chain.getFinalizedHead()).toHex()).toBe(blockHash);
    const block = await api.rpc.chain.getBlock(blockHash);
    expect(block.block.extrinsics.length).toBe(2); // timestamp.set + the transfer
    expect(block.block.extrinsics[0].method.section).toBe('timestamp');
    // Aura pre-runtime slot digest and seal, as a Substrate Aura chain.
    const logs = block.block.header.digest.logs;
    expect(logs.map((l) => l.type)).toEqual(['PreRuntime', 'Seal']);
    expect(logs[0].asPreRuntime[0].toString()).toBe('aura');
  });

  it('paymentInfo (runtime API and payment RPC) equals the fee the next block charges', async () => {
    const tx = api.tx.balances.transferKeepAlive(charlie.address, 1n);
    const signed = await tx.signAsync(alice);
    const viaCall = (await tx.paymentInfo(alice)).partialFee.toBigInt();
    // The payment RPC answers in the legacy shape polkadot-js decodes (RuntimeDispatchInfoV1: weight = the call's
    // ref_time as a u64, camelCase class, fee as a decimal string); polkadot-js itself reads fees through the
    // TransactionPaymentApi runtime call.
    const raw = (await rawSend('payment_queryInfo', [signed.toHex()])) as any;
    expect(raw).toEqual({
      weight: Number(TRANSFER_KEEP_ALIVE),
      class: 'normal',
      partialFee: viaCall.toString(),
    });
    // Before any fee adjustment the fee is the polynomial of polkadot-sdk's definitions; after empty blocks the
    // NextFeeMultiplier lowers only the weight part, never below the length + base parts.
    const unadjusted = fee(TRANSFER_KEEP_ALIVE, signed.encodedLength);
    expect(viaCall).toBeLessThanOrEqual(unadjusted);
    expect(viaCall).toBeGreaterThan(BASE_EXTRINSIC * WEIGHT_COEFF + BigInt(signed.encodedLength) * BYTE_FEE);
    const charged = await new Promise<bigint>((resolve, reject) => {
      signed
        .send((r) => {
          if (!r.status.isInBlock) return;
          const paid = r.events.find(({ event }) => event.method === 'TransactionFeePaid');
          resolve((paid!.event.data[1] as any).toBigInt());
        })
        .catch(reject);
    });
    expect(charged).toBe(viaCall);
  });

  it('head and storage subscriptions follow new blocks', async () => {
    const heads: number[] = [];
    const finalized: number[] = [];
    const bobFree: bigint[] = [];
    const unsubHeads = await api.rpc.chain.subscribeNewHeads((h) => {
      heads.push(h.number.toNumber());
    });
    const unsubFin = await api.rpc.chain.subscribeFinalizedHeads((h) => {
      finalized.push(h.number.toNumber());
    });
    const unsubAcc = await api.query.system.account(bob.address, (acc: any) => {
      bobFree.push(acc.data.free.toBigInt());
    });
    await waitFor(() => heads.length >= 1 && bobFree.length >= 1, 10_000, 'first notifications');
    const start = heads.at(-1)!;
    await api.tx.balances.transferKeepAlive(bob.address, 7n).signAndSend(charlie);
    await waitFor(() => heads.includes(start + 1), 10_000, 'new head');
    await waitFor(() => finalized.includes(start + 1), 10_000, 'finalized head');
    await waitFor(() => bobFree.length >= 2, 10_000, 'storage change');
    expect(bobFree.at(-1)! - bobFree[0]).toBe(7n);
    unsubHeads();
    unsubFin();
    unsubAcc();
  });

  it('refuses bad transactions with clear author errors', async () => {
    // Invalid signature: sign, then flip a byte of the signature.
    const tx = await api.tx.balances.transferKeepAlive(bob.address, 1n).signAsync(alice);
    const bytes = tx.toU8a();
    const bad = bytes.slice();
    // compact length (2 bytes), version (1), MultiAddress::Id (1 + 32), MultiSignature tag (1), then the signature.
    bad[2 + 1 + 33 + 1 + 10] ^= 0xff;
    await expect(api.rpc.author.submitExtrinsic(bad)).rejects.toThrow(
      /1010: Invalid Transaction: Transaction has a bad signature/,
    );
    // Reused nonce: nonce 0 of Alice was used in the first transfer.
    const stale = await api.tx.balances.transferKeepAlive(bob.address, 1n).signAsync(alice, { nonce: 0 });
    await expect(api.rpc.author.submitExtrinsic(stale)).rejects.toThrow(
      /1010: Invalid Transaction: Transaction is outdated/,
    );
    // Unknown call index (pallet 99): the runtime cannot decode the call.
    const unknownCall = Uint8Array.from([...bytes]);
    const callAt = bytes.length - tx.method.toU8a().length;
    unknownCall[callAt] = 99;
    // polkadot-js refuses to encode it, so it goes raw; the runtime fails to decode the call, as Substrate: 1002.
    await expect(
      rawSend('author_submitExtrinsic', [`0x${Buffer.from(unknownCall).toString('hex')}`]),
    ).rejects.toThrow(/1002: Verification Error: .*Bad input data provided to validate_transaction/);
    // Not even an extrinsic: a length prefix larger than the bytes.
    await expect(rawSend('author_submitExtrinsic', ['0xff00'])).rejects.toThrow(
      /1001: Extrinsic has invalid format/,
    );
    await expect(rawSend('author_submitExtrinsic', ['0x12345'])).rejects.toThrow(/-32602: Invalid params/);
  });
});
