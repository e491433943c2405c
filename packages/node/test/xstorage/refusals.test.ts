/**
 * Orders that fail lose nothing (`xstorage devnet`, 1 s blocks, @polkadot/api only):
 * - refused on Acala before anything is taken or sent: //Bob without CRU (`InsufficientBalance`), a quote above
 *   //Alice's maximum (`FeeAboveMaximum`), a file of Crust's `MaximumFileSize` (`FileTooLarge`);
 * - refused by Crust: the market closed by sudo on Crust, a file over Crust's size limit that got past a mirror
 *   raised by sudo on Acala, a known CID re-ordered smaller. Each ends in `OrderFailed` naming Crust's market error,
 *   and the refund arrives home: //Alice receives exactly what Crust sent back less Acala's `XcmPaymentApi` price of
 *   the refund message's weight; Crust's treasury took exactly its `XcmPaymentApi` price of the weight the order
 *   message used; CRU's issuance on Crust does not move, and the CRU derivative supply on Acala moves as Acala's
 *   reserve on Crust less the refund's fee, which Acala burns.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACALA,
  CRU_LOC,
  type Devnet,
  derivedOnCrust,
  eventIn,
  foreignAt,
  foreignSupplyAt,
  freeAt,
  MIB,
  parentOf,
  siblingSovereign,
  sr25519,
  startDevnet,
  submit,
  waitForEvent,
} from './kit.ts';

let dev: Devnet;
const alice = sr25519('//Alice');
const bob = sr25519('//Bob');

beforeAll(async () => {
  dev = await startDevnet();
}, 75_000);

afterAll(async () => {
  await dev?.stop();
});

const quoteOf = async (size: bigint): Promise<bigint> =>
  ((await (dev.acala.call as any).xstorageApi.estimateFee({ Cru: null }, size)) as any).toBigInt();
const xcmFee = async (api: ApiPromise, at: string, weight: any, asset: object): Promise<bigint> => {
  const r = (await (await api.at(at)).call.xcmPaymentApi.queryWeightToAssetFee(weight, { V5: asset })) as any;
  return r.asOk.toBigInt();
};

describe('refused on Acala: nothing taken, nothing sent', () => {
  it('no CRU, a quote above the maximum, a file of MaximumFileSize', async () => {
    const order = async (who: typeof alice, tx: any, error: string) => {
      const r = await submit(dev.acala, tx, who);
      expect(r.error).toBe(error);
      const parent = await parentOf(dev.acala, r.blockHash);
      // Only the transaction fee left: no CRU burnt, no order, no message.
      expect(await foreignAt(dev.acala, r.blockHash, CRU_LOC, who.address)).toBe(
        await foreignAt(dev.acala, parent, CRU_LOC, who.address),
      );
      const at = await dev.acala.at(r.blockHash);
      expect(((await at.query.xstorage.orderCount()) as any).toBigInt()).toBe(
        ((await (await dev.acala.at(parent)).query.xstorage.orderCount()) as any).toBigInt(),
      );
      expect(r.events.map(({ event }: any) => `${event.section}.${event.method}`)).not.toContain(
        'xstorage.OrderPlaced',
      );
    };
    const cid = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';
    const quote = await quoteOf(1_000n);
    const max = ((await dev.acala.query.xstorage.feeParameters()) as any).unwrap().maximumFileSize.toBigInt();
    await Promise.all([
      order(
        bob,
        dev.acala.tx.xstorage.placeStorageOrder({ Cru: null }, cid, 1_000),
        'xstorage.InsufficientBalance',
      ),
      (async () => {
        await order(
          alice,
          dev.acala.tx.xstorage.placeStorageOrderWithLimits({ Cru: null }, cid, 1_000, 0, quote - 1n),
          'xstorage.FeeAboveMaximum',
        );
        await order(
          alice,
          dev.acala.tx.xstorage.placeStorageOrder({ Cru: null }, cid, max),
          'xstorage.FileTooLarge',
        );
      })(),
    ]);
  }, 30_000);
});

/** Places //Alice's order of `cid`; waits for its OrderFailed; checks every balance it touched; Crust's error name. */
async function refusedOrder(cid: string, size: bigint): Promise<string> {
  const placed = await submit(
    dev.acala,
    dev.acala.tx.xstorage.placeStorageOrder({ Cru: null }, cid, size),
    alice,
  );
  expect(placed.error).toBeUndefined();
  const ev = eventIn(placed.events, 'xstorage', 'OrderPlaced');
  const amount: bigint = ev.amount.toBigInt();
  const orderId = ev.orderId.toHex();
  const order = ((await (dev.acala.call as any).xstorageApi.order(orderId)) as any).unwrap();
  const failed = await waitForEvent(
    dev.events,
    (e) =>
      e.chain === 'acala' &&
      e.section === 'xstorage' &&
      e.method === 'OrderFailed' &&
      e.data.orderId.toHex() === orderId
        ? e
        : undefined,
    60_000,
    `OrderFailed ${orderId}`,
  );
  expect(failed.data.refund.toBigInt()).toBe(order.refund.toBigInt());

  // On Crust: the order message (its id is the order id) ran in one block with its refund.
  const processed = await waitForEvent(
    dev.events,
    (e) =>
      e.chain === 'crust' &&
      e.section === 'messageQueue' &&
      e.method === 'Processed' &&
      e.data.id.toHex() === orderId
        ? e
        : undefined,
    10_000,
    'the order message on Crust',
  );
  const crustParent = await parentOf(dev.crust, processed.blockHash);
  const sibl = encodeAddress(siblingSovereign(ACALA), 66);
  const treasury = encodeAddress(
    Uint8Array.from([...Buffer.from('modlpy/trsry'), ...new Array(20).fill(0)]),
    66,
  );
  expect(
    (await freeAt(dev.crust, processed.blockHash, sibl)) - (await freeAt(dev.crust, crustParent, sibl)),
  ).toBe(order.refund.toBigInt() - amount);
  // What Crust charged for the order message is its XcmPaymentApi price of the weight it used: the treasury got it
  // (with whatever else paid fees in that block), the user's account on Crust kept what the market and the refund
  // did not take.
  const execution = await xcmFee(dev.crust, crustParent, processed.data.weightUsed, {
    parents: 0,
    interior: 'Here',
  });
  expect(
    (await freeAt(dev.crust, processed.blockHash, treasury)) -
      (await freeAt(dev.crust, crustParent, treasury)),
  ).toBeGreaterThanOrEqual(execution);
  const derived = encodeAddress(derivedOnCrust(ACALA, alice.address), 66);
  expect(
    (await freeAt(dev.crust, processed.blockHash, derived)) - (await freeAt(dev.crust, crustParent, derived)),
  ).toBe(amount - order.refund.toBigInt() - execution);
  const issuance = async (at: string) =>
    ((await (await dev.crust.at(at)).query.balances.totalIssuance()) as any).toBigInt();
  expect(await issuance(processed.blockHash)).toBe(await issuance(crustParent));

  // Home: //Alice paid the quote, then got the refund less what Acala charged to bring it (and burnt).
  const refunded = await waitForEvent(
    dev.events,
    (e) =>
      e.chain === 'acala' &&
      e.section === 'foreignAssets' &&
      e.method === 'Issued' &&
      e.data.owner.toHex() === u8aToHex(alice.addressRaw) &&
      e.blockNumber >= failed.blockNumber
        ? e
        : undefined,
    20_000,
    'the refund on Acala',
  );
  const got: bigint = refunded.data.amount.toBigInt();
  const homeFee: bigint = order.refund.toBigInt() - got;
  const fromCrust = dev.events.filter(
    (e) =>
      e.chain === 'acala' &&
      e.blockHash === refunded.blockHash &&
      e.section === 'messageQueue' &&
      e.method === 'Processed' &&
      e.data.origin.isSibling &&
      e.data.origin.asSibling.toNumber() === 2008,
  );
  const prices = await Promise.all(
    fromCrust.map((e) =>
      xcmFee(dev.acala, refunded.blockHash, e.data.weightUsed, {
        parents: 1,
        interior: { X1: [{ Parachain: 2008 }] },
      }),
    ),
  );
  expect(prices).toContain(homeFee);
  const acalaParent = await parentOf(dev.acala, refunded.blockHash);
  expect(
    (await foreignAt(dev.acala, refunded.blockHash, CRU_LOC, alice.address)) -
      (await foreignAt(dev.acala, acalaParent, CRU_LOC, alice.address)),
  ).toBe(got);
  // Per token: Acala's CRU supply fell by the quote and rose by what arrived; the reserve moved by
  // refund − amount; the difference is the fee Acala burnt.
  const placedParent = await parentOf(dev.acala, placed.blockHash);
  const supplyMoved =
    (await foreignSupplyAt(dev.acala, refunded.blockHash, CRU_LOC)) -
    (await foreignSupplyAt(dev.acala, placedParent, CRU_LOC));
  const refundSent: bigint = order.refund.toBigInt();
  const reserveMoved = refundSent - amount;
  expect(supplyMoved).toBe(reserveMoved - homeFee);

  const err = failed.data.error;
  expect(err.isRefused).toBe(true);
  const dispatchError = dev.crust.registry.createType('DispatchError', err.asRefused.asError) as any;
  const meta = dev.crust.registry.findMetaError(dispatchError.asModule);
  return `${meta.section}.${meta.name}`;
}

describe('refused by Crust: OrderFailed, and the refund comes home', () => {
  it('the market closed by sudo on Crust', async () => {
    const close = await submit(
      dev.crust,
      dev.crust.tx.sudo.sudo(dev.crust.tx.market.setEnableMarket(false)),
      alice,
    );
    expect(eventIn(close.events, 'sudo', 'Sudid').sudoResult.isOk).toBe(true);
    expect(await refusedOrder('QmClosedClosedClosedClosedClosedClosedClosed1', 1_000n)).toBe(
      'market.PlaceOrderNotAvailable',
    );
    const open = await submit(
      dev.crust,
      dev.crust.tx.sudo.sudo(dev.crust.tx.market.setEnableMarket(true)),
      alice,
    );
    expect(eventIn(open.events, 'sudo', 'Sudid').sudoResult.isOk).toBe(true);
  }, 40_000);

  it("a file over Crust's size limit, past a mirror raised by sudo on Acala; then a known CID re-ordered smaller", async () => {
    const fees = ((await dev.acala.query.xstorage.feeParameters()) as any).unwrap();
    const max = fees.maximumFileSize.toBigInt();
    const raise = dev.acala.tx.xstorage.setFeeParameters({ ...fees.toJSON(), maximumFileSize: max * 2n });
    expect((await submit(dev.acala, dev.acala.tx.sudo.sudo(raise), alice)).error).toBeUndefined();
    expect(await refusedOrder('QmTooLargeTooLargeTooLargeTooLargeTooLarge123', max)).toBe(
      'market.FileTooLarge',
    );
    const restore = dev.acala.tx.xstorage.setFeeParameters(fees.toJSON());
    expect((await submit(dev.acala, dev.acala.tx.sudo.sudo(restore), alice)).error).toBeUndefined();

    const cid = 'QmMismatchMismatchMismatchMismatchMismatch123';
    const first = await submit(
      dev.acala,
      dev.acala.tx.xstorage.placeStorageOrder({ Cru: null }, cid, 2n * MIB),
      alice,
    );
    const firstId = eventIn(first.events, 'xstorage', 'OrderPlaced').orderId.toHex();
    await waitForEvent(
      dev.events,
      (e) =>
        e.chain === 'acala' && e.method === 'OrderConfirmed' && e.data.orderId.toHex() === firstId
          ? e
          : undefined,
      40_000,
      'the first order confirmed',
    );
    expect(await refusedOrder(cid, MIB)).toBe('market.FileSizeNotCorrect');
    const file = ((await dev.crust.query.market.filesV2(cid)) as any).unwrap();
    expect(file.fileSize.toBigInt()).toBe(2n * MIB);
  }, 80_000);
});
