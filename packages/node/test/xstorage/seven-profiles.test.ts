/**
 * An order from every one of the seven profiles (acala, moonbeam, bifrost, robonomics, phala, oak, darwinia) on one
 * `xstorage devnet` (relay + Crust + the seven, 1 s blocks), all placed at once, seen only through @polkadot/api:
 * - in CRU by each chain's first dev account (//Alice; Alith signed with her Ethereum key on Moonbeam and Darwinia):
 *   the quote (`xstorageApi.estimateFee`) is burnt from the user's CRU; Crust's `market.filesV2(cid)` records the file
 *   paid by the user's own account there — the account polkadot-sdk's `HashedDescription<DescribeFamily<
 *   DescribeAllTerminal>>` derives from `(1, [Parachain(P), AccountId32 | AccountKey20])`, checked here against
 *   Asset Hub Westend's vectors — exactly `fileBaseFee + fileByteFee × MiB + fileKeysCountFee` read from Crust's
 *   storage, split 72% / 18% / the rest into the pots; `OrderConfirmed` at home; each chain's CRU stays backed by its
 *   sovereign account on Crust to the unit;
 * - in the chain's own token by its second dev account (//Bob, Baltathar) on every chain (12, 18, 9 and 10 decimals,
 *   32- and 20-byte accounts): the quote moves into Crust's sovereign account at home; Crust swaps the order's CRU
 *   for it in the user's account there (`xstorage.PaidWith`), its market is paid to the unit; the token's derivative
 *   on Crust stays backed but for Crust's execution fee in it, which it burns.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import type { ParachainData } from '@xstorage/runtime/runtimes/parachain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Found, is, type Road, submit } from '../road/road-kit.ts';
import {
  bestHash,
  CRU_ED,
  CRU_LOC,
  CRUST,
  crustAddress,
  derivedOnCrust,
  devSigner,
  feesStateOf,
  fileFee,
  foreignAt,
  freeAt,
  MIB,
  marketFeesAt,
  parentHash,
  percentOf,
  potAccount,
  SEVEN,
  sibl,
  siblingLoc,
  startSeven,
  supplyAt,
  weightFeeAt,
} from './chains-kit.ts';

let road: Road;

beforeAll(async () => {
  road = await startSeven();
}, 90_000);

afterAll(async () => {
  await road?.stop();
});

/** A CID of the base32 CIDv1 shape per chain and currency (distinct: each is a new file on Crust). */
const cidOf = (chain: string, currency: string) =>
  `bafybei${`${chain}${currency}`.toLowerCase().replace(/[^a-z2-7]/g, 'a')}${'q'.repeat(59 - 7 - chain.length - currency.length)}`;

interface Placed {
  data: ParachainData;
  api: ApiPromise;
  signer: KeyringPair;
  cid: string;
  size: bigint;
  quote: bigint;
  orderId: string;
  blockHash: string;
  txFee: bigint;
}

/** Signs `xstorage.placeStorageOrder(currency, cid, size)` and checks what the chain took for it. */
async function place(
  data: ParachainData,
  signer: KeyringPair,
  currency: 'Cru' | 'Native',
  size: bigint,
): Promise<Placed> {
  const api = road.para[data.id];
  const cid = cidOf(data.id, currency);
  const quote = (
    (await (api.call as any).xstorageApi.estimateFee({ [currency]: null }, size)) as any
  ).toBigInt();
  expect(quote).toBeGreaterThan(0n);
  const tx = await submit(api, api.tx.xstorage.placeStorageOrder({ [currency]: null }, cid, size), signer);
  const ev = tx.events.find(is('xstorage', 'OrderPlaced'))!.event.data;
  expect(ev.amount.toBigInt()).toBe(quote);
  expect(ev.who.toHex()).toBe(u8aToHex(signer.addressRaw));
  expect(ev.currencyId.type).toBe(currency);
  expect(ev.cid.toUtf8()).toBe(cid);
  expect(ev.messageId.toHex()).toBe(ev.orderId.toHex());
  return {
    data,
    api,
    signer,
    cid,
    size,
    quote,
    orderId: ev.orderId.toHex(),
    blockHash: tx.blockHash,
    txFee: tx.fee,
  };
}

/**
 * On Crust: the market's FileSuccess of the order, paid by the user's derived account, at exactly the fee of
 * Crust's storage items, split into the pots; filesV2 records it. Returns the block.
 */
async function chargedOnCrust(o: Placed): Promise<Found> {
  const { crust } = road.para;
  const derived = crustAddress(derivedOnCrust(o.data.paraId, o.signer.addressRaw));
  const pick = (d: any) => d[1].toUtf8() === o.cid;
  const success = await road.rec.crust.waitFor(
    `market.FileSuccess of ${o.cid}`,
    is('market', 'FileSuccess', pick),
    60_000,
  );
  expect(success.event.event.data[0].toString()).toBe(derived);
  const fee = fileFee(await marketFeesAt(crust, await feesStateOf(crust, success, pick)), o.size);
  const base = (await marketFeesAt(crust, await feesStateOf(crust, success, pick))).base;
  const v = fee - base;
  const paid = (pot: 'stak' | 'stor' | 'rese') =>
    success.block.events
      .filter(
        is(
          'balances',
          'Transfer',
          (d) => d.from.toString() === derived && d.to.toString() === potAccount(pot),
        ),
      )
      .map((e) => e.event.data.amount.toBigInt());
  expect(paid('stak')).toEqual([percentOf(72n, v)]);
  expect(paid('stor')).toEqual([percentOf(18n, v)]);
  expect(paid('rese')).toEqual([fee - percentOf(72n, v) - percentOf(18n, v)]);
  const file = ((await (await crust.at(success.block.hash)).query.market.filesV2(o.cid)) as any).unwrap();
  expect(file.fileSize.toBigInt()).toBe(o.size);
  expect(file.amount.toBigInt()).toBe(percentOf(18n, v));
  expect(file.prepaid.toBigInt()).toBe(0n);
  // The user keeps on Crust what the market did not take: at least CRU's existential deposit.
  expect(await freeAt(crust, success.block.hash, derived)).toBeGreaterThanOrEqual(CRU_ED);
  return success;
}

/** The answer home: OrderConfirmed, and `xstorageApi.order` says Confirmed. */
async function confirmedHome(o: Placed): Promise<void> {
  const done = await road.rec[o.data.id].waitFor(
    `the answer to ${o.orderId}`,
    (e) =>
      e.section === 'xstorage' &&
      (e.method === 'OrderConfirmed' || e.method === 'OrderFailed') &&
      e.event.data.orderId.toHex() === o.orderId,
    60_000,
  );
  expect(done.event.method).toBe('OrderConfirmed');
  expect(done.event.event.data.cid.toUtf8()).toBe(o.cid);
  const order = ((await (o.api.call as any).xstorageApi.order(o.orderId)) as any).unwrap();
  expect(order.status.isConfirmed).toBe(true);
  expect(order.amount.toBigInt()).toBe(o.quote);
}

describe('the derived accounts are polkadot-sdk converters', () => {
  it("match Asset Hub Westend's location_conversion_works vectors (32- and 20-byte users of a sibling)", () => {
    // polkadot-sdk cumulus/parachains/runtimes/assets/asset-hub-westend/tests/tests.rs, location_conversion_works:
    // "DescribeAccountId32Terminal Sibling" (1, [Parachain(1111), AccountId32([1; 32])]) and
    // "DescribeAccountKey20Terminal Sibling" (1, [Parachain(1111), AccountKey20([0; 20])]).
    expect(encodeAddress(derivedOnCrust(1111, new Uint8Array(32).fill(1)), 42)).toBe(
      '5DGRXLYwWGce7wvm14vX1Ms4Vf118FSWQbJkyQigY2pfm6bg',
    );
    expect(encodeAddress(derivedOnCrust(1111, new Uint8Array(20)), 42)).toBe(
      '5CB2FbUds2qvcJNhDiTbRZwiS3trAy6ydFGMSVutmYijpPAg',
    );
  });
});

describe('an order from each of the seven profiles', () => {
  it('in CRU (first dev account) and in the chain token (second): charged on Crust to the unit, confirmed home', async () => {
    const { crust } = road.para;
    const backing = () =>
      Promise.all(
        SEVEN.map(async (d) => {
          const api = road.para[d.id];
          const [atCrust, here] = [await bestHash(crust), await bestHash(api)];
          return {
            // CRU: this chain's reserve on Crust less the CRU it issued.
            cru: (await freeAt(crust, atCrust, sibl(d.paraId))) - (await supplyAt(api, here, CRU_LOC)),
            // The chain's token: Crust's reserve here less the derivative Crust issued.
            token:
              (await freeAt(api, here, sibl(CRUST, d.accounts === 'ethereum' ? 20 : 32))) -
              (await supplyAt(crust, atCrust, siblingLoc(d.paraId))),
          };
        }),
      );
    const executionFees = new Map<string, bigint>();
    const backingBefore = await backing();
    const size = (i: number) => BigInt(i + 1) * MIB + BigInt(i * 1000 + 1);
    const results = await Promise.all(
      SEVEN.flatMap((data, i) => [
        (async () => {
          // CRU: burnt here, the order charged to the user's derived account on Crust.
          const o = await place(data, devSigner(data, 0), 'Cru', size(i));
          const parent = await parentHash(o.api, o.blockHash);
          expect(
            (await foreignAt(o.api, parent, CRU_LOC, o.signer.address)) -
              (await foreignAt(o.api, o.blockHash, CRU_LOC, o.signer.address)),
          ).toBe(o.quote);
          await chargedOnCrust(o);
          await confirmedHome(o);
          return o;
        })(),
        (async () => {
          // The chain's token: into Crust's sovereign account here, swapped for CRU on Crust.
          const o = await place(data, devSigner(data, 1), 'Native', size(i) + 7n);
          const parent = await parentHash(o.api, o.blockHash);
          expect(
            (await freeAt(o.api, parent, o.signer.address)) -
              (await freeAt(o.api, o.blockHash, o.signer.address)),
          ).toBe(o.quote + o.txFee);
          const crustSovereign = sibl(CRUST, data.accounts === 'ethereum' ? 20 : 32);
          expect(
            (await freeAt(o.api, o.blockHash, crustSovereign)) -
              (await freeAt(o.api, parent, crustSovereign)),
          ).toBe(o.quote);
          const success = await chargedOnCrust(o);
          const derived = crustAddress(derivedOnCrust(data.paraId, o.signer.addressRaw));
          const paidWith = success.block.events.find(
            is('xstorage', 'PaidWith', (d) => d.account.toString() === derived),
          )!.event.data;
          expect(paidWith.asset.toJSON()).toEqual({
            parents: 1,
            interior: { x1: [{ parachain: data.paraId }] },
          });
          const pick = (d: any) => d[1].toUtf8() === o.cid;
          const fee = fileFee(await marketFeesAt(crust, await feesStateOf(crust, success, pick)), o.size);
          // Exactly the order's CRU and CRU's existential deposit (the account had no CRU), for less than the quote.
          expect(paidWith.cru.toBigInt()).toBe(fee + CRU_ED);
          expect(paidWith.paid.toBigInt()).toBeLessThan(o.quote);
          // What Crust charged in the token for executing the message: its XcmPaymentApi price of the weight used.
          const run = await road.rec.crust.waitFor(
            'the order message on Crust',
            is('messageQueue', 'Processed', (d) => d.id.toHex() === o.orderId),
          );
          expect(run.event.event.data.success.isTrue).toBe(true);
          executionFees.set(
            data.id,
            await weightFeeAt(
              crust,
              run.block.hash,
              run.event.event.data.weightUsed,
              siblingLoc(data.paraId),
            ),
          );
          await confirmedHome(o);
          return o;
        })(),
      ]),
    );
    expect(results).toHaveLength(14);

    // Every chain's CRU stays backed to the unit by its sovereign account on Crust (orders that succeed burn here
    // exactly what Crust withdraws there).
    // The token's derivative on Crust stays backed too, but for the execution fee Crust burnt in it.
    const backingAfter = await backing();
    for (const [i, d] of SEVEN.entries()) {
      expect(backingAfter[i].cru).toBe(backingBefore[i].cru);
      expect(backingAfter[i].token - backingBefore[i].token).toBe(executionFees.get(d.id));
    }
  }, 110_000);
});
