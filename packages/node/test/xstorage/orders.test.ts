/**
 * A real order crossing the road (`xstorage devnet`, relay + Crust + Acala + Moonbeam, 1 s blocks), seen only through
 * @polkadot/api:
 * - an Acala user (//Alice, 32-byte) and a Moonbeam user (Alith, 20-byte, signed with her Ethereum key) sign
 *   `api.tx.xstorage.placeStorageOrder({ Cru: null }, cid, size)`: the quote `api.call.xstorageApi.estimateFee` is
 *   burnt from their CRU; on Crust, `market.filesV2(cid)` records the file, paid by the user's own account there
 *   (xcm-builder's HashedDescription of `(1, [Parachain, user])`) exactly `fileBaseFee + fileByteFee × MiB +
 *   fileKeysCountFee` read from `api.query.market` at that block, split 72% / 18% / rest into the pots; the user's
 *   chain shows `OrderConfirmed` and `xstorageApi.order(id)` says `Confirmed`;
 * - //Bob on Acala pays in ACA: it goes into Crust's sovereign account on Acala, Crust swaps the order's CRU for it;
 * - crustio/xstorage's own message shape sent by a chain as itself (`sudo(polkadotXcm.send(..))`, V3) is accepted on
 *   Crust and charged to that chain's sovereign account there.
 */
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACALA,
  alith,
  CRU,
  CRU_LOC,
  CRUST,
  type Devnet,
  derivedOnCrust,
  eventIn,
  feesStateFor,
  foreignAt,
  freeAt,
  MIB,
  MOONBEAM,
  marketFeeAt,
  parentOf,
  percentOf,
  siblingSovereign,
  sr25519,
  startDevnet,
  submit,
  waitForEvent,
} from './kit.ts';

let dev: Devnet;

beforeAll(async () => {
  dev = await startDevnet();
}, 75_000);

afterAll(async () => {
  await dev?.stop();
});

const crustAddress = (raw: Uint8Array) => encodeAddress(raw, 66);
/** A market pot's account: b"modl" ++ b"crmarket" ++ Compact(4) ++ name ++ zeros (Substrate's sub-account). */
const potAccount = (name: string) => {
  const a = new Uint8Array(32);
  a.set([...stringToU8a('modlcrmarket'), 16, ...stringToU8a(name)]);
  return crustAddress(a);
};

/** Crust's block that ran the order of `cid`: its market FileSuccess and the events of that block. */
async function crustOrderBlock(cid: string) {
  const success = await waitForEvent(
    dev.events,
    (e) =>
      e.chain === 'crust' &&
      e.section === 'market' &&
      e.method === 'FileSuccess' &&
      e.data[1].toUtf8() === cid
        ? e
        : undefined,
    60_000,
    `Crust's FileSuccess for ${cid}`,
  );
  return {
    hash: success.blockHash,
    payer: success.data[0].toString(),
    feesAt: await feesStateFor(dev.crust, success),
  };
}

/** The order's OrderConfirmed / OrderFailed on the user's chain. */
async function answer(chain: string, orderId: string) {
  return waitForEvent(
    dev.events,
    (e) =>
      e.chain === chain &&
      e.section === 'xstorage' &&
      (e.method === 'OrderConfirmed' || e.method === 'OrderFailed') &&
      e.data.orderId.toHex() === orderId
        ? e
        : undefined,
    60_000,
    `the answer to ${orderId} on ${chain}`,
  );
}

describe('orders paid in CRU', () => {
  it("from Acala (32-byte) and Moonbeam (20-byte): Crust's market charges each user's own account to the unit; both are confirmed", async () => {
    const users = [
      {
        chain: 'acala',
        api: dev.acala,
        paraId: ACALA,
        signer: sr25519('//Alice'),
        cid: 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF',
        size: 3n * MIB + 1n,
      },
      {
        chain: 'moonbeam',
        api: dev.moonbeam,
        paraId: MOONBEAM,
        signer: alith(),
        cid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
        size: 700_000n,
      },
    ];
    await Promise.all(
      users.map(async (u) => {
        const quote = (
          (await (u.api.call as any).xstorageApi.estimateFee({ Cru: null }, u.size)) as any
        ).toBigInt();
        expect(quote).toBeGreaterThan(0n);
        const placed = await submit(
          u.api,
          u.api.tx.xstorage.placeStorageOrder({ Cru: null }, u.cid, u.size),
          u.signer,
        );
        expect(placed.error).toBeUndefined();
        const ev = eventIn(placed.events, 'xstorage', 'OrderPlaced');
        expect(ev.amount.toBigInt()).toBe(quote);
        expect(ev.who.toHex()).toBe(u8aToHex(u.signer.addressRaw));
        expect(ev.currencyId.isCru).toBe(true);
        expect(ev.messageId.toHex()).toBe(ev.orderId.toHex());
        expect(eventIn(placed.events, 'foreignAssets', 'Burned').balance.toBigInt()).toBe(quote);
        const parent = await parentOf(u.api, placed.blockHash);
        expect(
          (await foreignAt(u.api, parent, CRU_LOC, u.signer.address)) -
            (await foreignAt(u.api, placed.blockHash, CRU_LOC, u.signer.address)),
        ).toBe(quote);

        // On Crust: the user's own account pays the market.
        const derived = crustAddress(derivedOnCrust(u.paraId, u.signer.address));
        const block = await crustOrderBlock(u.cid);
        expect(block.payer).toBe(derived);
        const feesAt = block.feesAt;
        const fee = await marketFeeAt(dev.crust, feesAt, u.size);
        const base = ((await (await dev.crust.at(feesAt)).query.market.fileBaseFee()) as any).toBigInt();
        const records = dev.events.filter(
          (e) =>
            e.chain === 'crust' &&
            e.blockHash === block.hash &&
            e.section === 'balances' &&
            e.method === 'Transfer' &&
            e.data.from.toString() === derived,
        );
        const paid = (pot: string) =>
          records
            .filter((e) => e.data.to.toString() === potAccount(pot))
            .map((e) => e.data.amount.toBigInt());
        const v = fee - base;
        expect(paid('stak')).toEqual([percentOf(72n, v)]);
        expect(paid('stor')).toEqual([percentOf(18n, v)]);
        expect(paid('rese')).toEqual([fee - percentOf(72n, v) - percentOf(18n, v)]);
        const file = ((await (await dev.crust.at(block.hash)).query.market.filesV2(u.cid)) as any).unwrap();
        expect(file.fileSize.toBigInt()).toBe(u.size);
        expect(file.amount.toBigInt()).toBe(percentOf(18n, v));
        // The user keeps on Crust what the market did not take: at least CRU's existential deposit.
        expect(await freeAt(dev.crust, block.hash, derived)).toBeGreaterThanOrEqual(10_000_000n);

        // The answer comes home.
        const done = await answer(u.chain, ev.orderId.toHex());
        expect(done.method).toBe('OrderConfirmed');
        expect(done.data.cid.toUtf8()).toBe(u.cid);
        const order = ((await (u.api.call as any).xstorageApi.order(ev.orderId)) as any).unwrap();
        expect(order.status.isConfirmed).toBe(true);
        expect(order.amount.toBigInt()).toBe(quote);
      }),
    );
  }, 80_000);
});

describe('an order paid in ACA', () => {
  it("moves //Bob's ACA into Crust's sovereign account; Crust swaps it for the order's CRU; confirmed", async () => {
    const bob = sr25519('//Bob');
    const cid = 'QmNativeNativeNativeNativeNativeNativeNative1';
    const size = 5n * MIB;
    const quote = (
      (await (dev.acala.call as any).xstorageApi.estimateFee({ Native: null }, size)) as any
    ).toBigInt();
    const placed = await submit(
      dev.acala,
      dev.acala.tx.xstorage.placeStorageOrder({ Native: null }, cid, size),
      bob,
    );
    expect(placed.error).toBeUndefined();
    const ev = eventIn(placed.events, 'xstorage', 'OrderPlaced');
    expect(ev.amount.toBigInt()).toBe(quote);
    const txFee = eventIn(placed.events, 'transactionPayment', 'TransactionFeePaid').actualFee.toBigInt();
    const parent = await parentOf(dev.acala, placed.blockHash);
    expect(
      (await freeAt(dev.acala, parent, bob.address)) -
        (await freeAt(dev.acala, placed.blockHash, bob.address)),
    ).toBe(quote + txFee);
    const crustSovereign = encodeAddress(siblingSovereign(CRUST), 10); // "sibl" ++ 2008 on Acala
    expect(
      (await freeAt(dev.acala, placed.blockHash, crustSovereign)) -
        (await freeAt(dev.acala, parent, crustSovereign)),
    ).toBe(quote);

    const block = await crustOrderBlock(cid);
    const derived = crustAddress(derivedOnCrust(ACALA, bob.address));
    expect(block.payer).toBe(derived);
    const paidWith = dev.events.find(
      (e) =>
        e.chain === 'crust' &&
        e.blockHash === block.hash &&
        e.section === 'xstorage' &&
        e.method === 'PaidWith',
    )!;
    expect(paidWith.data.account.toString()).toBe(derived);
    expect(paidWith.data.asset.toJSON()).toEqual({ parents: 1, interior: { x1: [{ parachain: ACALA }] } });
    // Exactly the order's CRU plus CRU's existential deposit (the account had none), for at most max_in ACA.
    const feesAt = block.feesAt;
    expect(paidWith.data.cru.toBigInt()).toBe((await marketFeeAt(dev.crust, feesAt, size)) + 10_000_000n);
    expect(paidWith.data.paid.toBigInt()).toBeLessThan(quote);
    expect(await freeAt(dev.crust, block.hash, derived)).toBe(10_000_000n);

    const done = await answer('acala', ev.orderId.toHex());
    expect(done.method).toBe('OrderConfirmed');
  }, 60_000);
});

describe("crustio/xstorage's message shape", () => {
  it("from a chain as itself (sudo polkadotXcm.send, V3): Crust charges that chain's sovereign account", async () => {
    const cid = 'QmCrustioCrustioCrustioCrustioCrustioCrustio12';
    const call = dev.crust.tx.xstorage.placeStorageOrderThroughParachain(cid, 4_096).method.toHex();
    const fee = { id: { Concrete: { parents: 0, interior: 'Here' } }, fun: { Fungible: CRU } };
    const send = dev.acala.tx.polkadotXcm.send(
      { V3: { parents: 1, interior: { X1: { Parachain: CRUST } } } },
      {
        V3: [
          { WithdrawAsset: [fee] },
          { BuyExecution: { fees: fee, weightLimit: 'Unlimited' } },
          {
            Transact: {
              originKind: 'SovereignAccount',
              requireWeightAtMost: { refTime: 1_000_001, proofSize: 0 },
              call: { encoded: call },
            },
          },
        ],
      },
    );
    const sent = await submit(dev.acala, dev.acala.tx.sudo.sudo(send), sr25519('//Alice'));
    expect(sent.error).toBeUndefined();
    expect(eventIn(sent.events, 'sudo', 'Sudid').sudoResult.isOk).toBe(true);
    const ok = await waitForEvent(
      dev.events,
      (e) =>
        e.chain === 'crust' &&
        e.section === 'xstorage' &&
        e.method === 'FileSuccess' &&
        e.data.cid.toUtf8() === cid
          ? e
          : undefined,
      40_000,
      "Crust's xstorage.FileSuccess",
    );
    const sovereign = crustAddress(siblingSovereign(ACALA));
    expect(ok.data.account.toString()).toBe(sovereign);
    const parent = await parentOf(dev.crust, ok.blockHash);
    const fileFee = await marketFeeAt(dev.crust, await feesStateFor(dev.crust, ok), 4_096n);
    // The sovereign account gave the CRU withdrawn and paid the order.
    expect(
      (await freeAt(dev.crust, parent, sovereign)) - (await freeAt(dev.crust, ok.blockHash, sovereign)),
    ).toBe(CRU + fileFee);
    const file = ((await (await dev.crust.at(ok.blockHash)).query.market.filesV2(cid)) as any).unwrap();
    expect(file.fileSize.toNumber()).toBe(4_096);
  }, 50_000);
});
