/**
 * Crust on the devnet runs its own runtime (runtimes/crust): @polkadot/api sees `market`, `swork`, `benefits`,
 * `xstorage` (index 127) and `storageChallenge`, the devnet's short durations, quotes an order with
 * `api.call.marketApi.orderFee`, and an order //Alice signs with `api.tx.market.placeStorageOrder` is charged to the
 * unit — her balance falls by the transaction fee polkadot-js reads from `TransactionFeePaid` plus base fee + byte fee
 * × size in whole MiB + keys-count fee, read from `api.query.market` — and recorded in `api.query.market.filesV2`.
 * The same order through `xstorage.placeStorageOrderThroughParachain` (the call parachains send in XCM) is charged
 * the same way.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectApi } from '../chain/helpers.ts';
import { type SpawnedDevnet, spawnDevnet } from './spawn-devnet.ts';

const MIB = 1_048_576n;
let net: SpawnedDevnet;
let api: ApiPromise;

beforeAll(async () => {
  await cryptoWaitReady();
  net = await spawnDevnet({ parachains: ['crust'], blockTimeMs: 500 });
  api = await connectApi(net.endpoints.parachains.crust.ws);
}, 60_000);

afterAll(async () => {
  await api?.disconnect().catch(() => {});
  await net?.dispose();
});

/** Signs and sends `tx`; resolves with the inclusion block's hash and the extrinsic's events. */
function sendInBlock(tx: any, signer: any): Promise<{ blockHash: string; events: any[] }> {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, (r: any) => {
      if (r.dispatchError) reject(new Error(`dispatch error: ${r.dispatchError.toString()}`));
      else if (r.isError) reject(new Error(`transaction ${r.status.type}`));
      // `finalized` can come without `inBlock` on a loaded machine (polkadot-js skips it while fetching events).
      else if (r.status.isInBlock || r.status.isFinalized)
        resolve({
          blockHash: (r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex(),
          events: r.events,
        });
    }).catch(reject);
  });
}

async function freeAt(hash: string, who: string): Promise<bigint> {
  const at = await api.at(hash);
  return ((await at.query.system.account(who)) as any).data.free.toBigInt();
}

/** The order fee at `hash` from the market's storage items (Crust's get_file_fee). */
async function marketFeeAt(hash: string, size: bigint): Promise<bigint> {
  const at = await api.at(hash);
  const base = ((await at.query.market.fileBaseFee()) as any).toBigInt();
  const byte = ((await at.query.market.fileByteFee()) as any).toBigInt();
  const keys = ((await at.query.market.fileKeysCountFee()) as any).toBigInt();
  return base + byte * ((size + MIB - 1n) / MIB) + keys;
}

function feePaid(events: any[], who: string): bigint {
  const paid = events.find(
    ({ event }: any) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid',
  );
  expect(paid.event.data.who.toString()).toBe(who);
  expect(paid.event.data.tip.toBigInt()).toBe(0n);
  return paid.event.data.actualFee.toBigInt();
}

describe('Crust on the devnet', () => {
  it("runs Crust's runtime: its pallets at Crust's indices, devnet durations, an open market", async () => {
    expect(api.runtimeVersion.specName.toString()).toBe('crust');
    const pallets = new Map(
      api.runtimeMetadata.asLatest.pallets.map((p) => [p.name.toString(), p.index.toNumber()] as const),
    );
    expect([
      pallets.get('Market'),
      pallets.get('Swork'),
      pallets.get('Benefits'),
      pallets.get('Xstorage'),
      pallets.get('StorageChallenge'),
    ]).toEqual([100, 111, 113, 127, 130]);
    // Call 0 of pallet 127: the bytes a parachain's Transact carries, (127u8, 0u8, cid, size).encode().
    const transact = api.createType('(u8, u8, Bytes, u64)', [127, 0, 'QmXY', 1_000]).toHex();
    expect(api.tx.xstorage.placeStorageOrderThroughParachain('QmXY', 1_000).method.toHex()).toBe(transact);
    expect((api.consts.market.fileDuration as any).toNumber()).toBe(300);
    expect(((await api.query.market.enableMarket()) as any).isTrue).toBe(true);
  });

  it("is validated by the relay chain: the relay's head of para 2008 is a block of Crust's chain", async () => {
    const relay = await connectApi(net.endpoints.relay.ws);
    try {
      let number = 0;
      for (let i = 0; i < 40 && number < 2; i++) {
        const head = (await relay.query.paras.heads(2008)) as any;
        const header = api.createType('Header', head.unwrap().toU8a(true));
        number = header.number.toNumber();
        if (number >= 2) {
          const onCrust = await api.rpc.chain.getHeader(header.hash);
          expect(onCrust.number.toNumber()).toBe(number);
          expect(onCrust.stateRoot.toHex()).toBe(header.stateRoot.toHex());
        } else await new Promise((r) => setTimeout(r, 250));
      }
      expect(number).toBeGreaterThanOrEqual(2);
    } finally {
      await relay.disconnect();
    }
  });

  it('charges an order //Alice places with api.tx.market.placeStorageOrder to the unit and records filesV2', async () => {
    const alice = new Keyring({ type: 'sr25519', ss58Format: 66 }).addFromUri('//Alice');
    const cid = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';
    const size = 2n * MIB + 12_345n; // 3 MiB charged
    const quote = (await (api.call as any).marketApi.orderFee(size)) as any;
    const { blockHash, events } = await sendInBlock(api.tx.market.placeStorageOrder(cid, size, 0, ''), alice);
    const header = await api.rpc.chain.getHeader(blockHash);
    const parent = header.parentHash.toHex();
    const orderFee = await marketFeeAt(blockHash, size);
    const txFee = feePaid(events, alice.address);
    expect(txFee).toBeGreaterThan(0n);
    expect((await freeAt(parent, alice.address)) - (await freeAt(blockHash, alice.address))).toBe(
      txFee + orderFee,
    );
    // The runtime API quoted the same fee (the fees move once per 10-block slot, and only after orders).
    expect(quote.total.toBigInt()).toBe(orderFee);
    const success = events.find(
      ({ event }: any) => event.section === 'market' && event.method === 'FileSuccess',
    );
    expect(success.event.data[0].toString()).toBe(alice.address);
    expect(success.event.data[1].toUtf8()).toBe(cid);
    const file = ((await (await api.at(blockHash)).query.market.filesV2(cid)) as any).unwrap();
    expect(file.fileSize.toBigInt()).toBe(size);
    expect(file.expiredAt.toNumber()).toBe(0);
    expect(file.remainingPaidCount.toNumber()).toBe(4);
    expect(file.replicas.size).toBe(0);
    // The file's amount is StorageRatio (18%) of byte + keys-count fees, rounded to nearest.
    const v = orderFee - quote.baseFee.toBigInt();
    expect(file.amount.toBigInt()).toBe(quote.storage.toBigInt());
    expect(Number(file.amount.toBigInt())).toBeCloseTo(Number(v) * 0.18, 0);
  });

  it('charges an xstorage.placeStorageOrderThroughParachain order (the XCM Transact call) the same way', async () => {
    const bob = new Keyring({ type: 'sr25519', ss58Format: 66 }).addFromUri('//Bob');
    const cid = 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG';
    const size = 1_000n;
    const { blockHash, events } = await sendInBlock(
      api.tx.xstorage.placeStorageOrderThroughParachain(cid, size),
      bob,
    );
    const parent = (await api.rpc.chain.getHeader(blockHash)).parentHash.toHex();
    const orderFee = await marketFeeAt(blockHash, size);
    const txFee = feePaid(events, bob.address);
    expect((await freeAt(parent, bob.address)) - (await freeAt(blockHash, bob.address))).toBe(
      txFee + orderFee,
    );
    const ok = events.find(
      ({ event }: any) => event.section === 'xstorage' && event.method === 'FileSuccess',
    );
    expect(ok.event.data.account.toString()).toBe(bob.address);
    expect(ok.event.data.cid.toUtf8()).toBe(cid);
    expect(ok.event.data[2].toBigInt()).toBe(size);
    const file = ((await (await api.at(blockHash)).query.market.filesV2(cid)) as any).unwrap();
    expect(file.fileSize.toBigInt()).toBe(size);
  });
});
