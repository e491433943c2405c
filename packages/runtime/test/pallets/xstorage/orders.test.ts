/**
 * A storage order placed on Crust from another chain, over the devnet's real runtimes (Acala, Moonbeam, Crust) in
 * memory, checked to the unit on every chain:
 * - paid in CRU by an Acala (32-byte) and a Moonbeam (20-byte) user: the quote (`XstorageApi.estimate_fee`) is burnt
 *   from the user's CRU here and withdrawn from this chain's sovereign account on Crust; the market charges the
 *   user's own account there (xcm-builder's `HashedDescription` of `(1, [Parachain, user])`) exactly
 *   `fileBaseFee + fileByteFee × MiB + fileKeysCountFee`, split 72% / 18% / rest into the pots; Crust's treasury takes
 *   exactly its `XcmPaymentApi` price of the weight the message used; the rest stays the user's on Crust; Crust's
 *   CRU issuance does not move; the answer comes home as `OrderConfirmed` and `Orders(id)` says `Confirmed`;
 * - paid in ACA: the ACA goes into Crust's sovereign account on Acala, Crust swaps the user's ACA for exactly the
 *   order's CRU (plus CRU's existential deposit) in its pool at the constant-product price, never above `max_in`;
 * - polkadot-js reads the pallet from the metadata: `api.tx.xstorage.placeStorageOrder(currencyId, cid, size)`.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { H256 } from '../../../src/extrinsic/primitives.ts';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import { reserves } from '../../../src/pallets/asset-conversion/index.ts';
import {
  FileBaseFee,
  FileByteFee,
  FileKeysCountFee,
  FilesV2,
  pot,
} from '../../../src/pallets/market/index.ts';
import { CurrencyIdCodec, type Order, OrderCodec, Orders } from '../../../src/pallets/xstorage/index.ts';
import { siblingSovereignAccount } from '../../../src/parachains/ids.ts';
import { CRUST_EXISTENTIAL_DEPOSIT } from '../../../src/runtimes/crust/index.ts';
import { parachainData } from '../../../src/runtimes/parachain/index.ts';
import { parachainLocationToAccountId } from '../../../src/runtimes/parachain/xcm-config.ts';
import { ForeignAssets } from '../../../src/runtimes/xcm-shared.ts';
import { option, u64, u128 } from '../../../src/scale/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import {
  ACALA,
  ALICE,
  ALITH,
  CRU_LOC,
  CRUST,
  cruOn,
  crustTreasury,
  derivedOnCrust,
  foreignSupply,
  free,
  issuance,
  MIB,
  MOONBEAM,
  makeNetwork,
  percentOf,
  placeOrder,
  priceOf,
  siblOnCrust,
  theEvent,
  tokenOf,
  utf8,
  weightUsedFor,
} from './helpers.ts';
import { ready, type TestChain } from './network.ts';

beforeAll(() => ready);

const HERE = { parents: 0, interior: [] };

function estimateFee(chain: TestChain, currency: 'Cru' | 'Native', size: bigint): bigint {
  const input = new Uint8Array([...CurrencyIdCodec.encode({ type: currency }), ...u64.encode(size)]);
  return u128.decode(chain.runtime.callApi(new Overlay(chain.backend), 'XstorageApi_estimate_fee', input));
}
function orderByApi(chain: TestChain, id: Uint8Array): Order | undefined {
  const out = chain.runtime.callApi(new Overlay(chain.backend), 'XstorageApi_order', H256.encode(id));
  // The order's account is the chain's kind (20 bytes on Moonbeam): decode as its runtime does.
  return chain.read(() => option(OrderCodec).decode(out)) as Order | undefined;
}

/** Crust's market fee of an order of `size` from its storage items, read when the order ran. */
function marketFeeOn(crust: TestChain, size: bigint): { total: bigint; base: bigint } {
  return crust.read(() => {
    const base = FileBaseFee.get();
    return { total: base + FileByteFee.get() * ((size + MIB - 1n) / MIB) + FileKeysCountFee.get(), base };
  });
}
const pots = (crust: TestChain) =>
  crust.read(() => ({
    reserved: free(crust, pot('reserved')),
    staking: free(crust, pot('staking')),
    storage: free(crust, pot('storage')),
  }));

interface CruCase {
  name: string;
  paraId: number;
  who: Uint8Array;
  cid: string;
  size: bigint;
}

describe('an order paid in CRU', () => {
  const net = makeNetwork();
  const crust = net.chain(CRUST);

  const cases: CruCase[] = [
    {
      name: 'an Acala user (AccountId32)',
      paraId: ACALA,
      who: ALICE,
      cid: 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF',
      size: 2n * MIB + 12_345n,
    },
    {
      name: 'a Moonbeam user (AccountKey20)',
      paraId: MOONBEAM,
      who: ALITH,
      cid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
      size: 1_000n,
    },
  ];

  for (const c of cases)
    it(`from ${c.name}: charged to their account on Crust to the unit, confirmed at home`, () => {
      const home = net.chain(c.paraId);
      const cid = utf8(c.cid);
      const derived = derivedOnCrust(c.paraId, c.who);
      // Crust's own LocationToAccountId names the same account.
      const userJunction =
        c.who.length === 20
          ? ({ type: 'AccountKey20', value: { key: c.who } } as const)
          : ({ type: 'AccountId32', value: { id: c.who } } as const);
      expect(
        u8aToHex(
          parachainLocationToAccountId(parachainData('crust')!)({
            parents: 1,
            interior: [{ type: 'Parachain', value: c.paraId }, userJunction],
          })!,
        ),
      ).toBe(u8aToHex(derived));

      const quote = estimateFee(home, 'Cru', c.size);
      const before = {
        user: cruOn(home, c.who),
        supply: foreignSupply(home, CRU_LOC),
        sibl: free(crust, siblOnCrust(c.paraId)),
        derived: free(crust, derived),
        treasury: free(crust, crustTreasury()),
        pots: pots(crust),
        issuance: issuance(crust),
      };
      home.takeEvents();
      const placed = placeOrder(home, c.who, 'Cru', cid, c.size);
      expect(placed.ok).toBe(true);
      const ev = theEvent(home.takeEvents(), 'Xstorage', 'OrderPlaced');
      expect(ev.amount).toBe(quote);
      expect(ev.size).toBe(c.size);
      expect(u8aToHex(ev.who)).toBe(u8aToHex(c.who));
      expect(ev.currency_id).toEqual({ type: 'Cru' });
      // The message id the router returned is the order id (the message's SetTopic).
      expect(u8aToHex(ev.message_id)).toBe(u8aToHex(ev.order_id));
      expect(before.user - cruOn(home, c.who)).toBe(quote);
      expect(before.supply - foreignSupply(home, CRU_LOC)).toBe(quote);
      expect(home.read(() => Orders.get(ev.order_id))!.status).toEqual({ type: 'Pending' });

      // Crust runs the order.
      net.step();
      const fee = marketFeeOn(crust, c.size);
      const used = weightUsedFor(crust, ev.order_id);
      const execution = priceOf(crust, used, HERE);
      const after = pots(crust);
      const v = fee.total - fee.base;
      expect(after.staking - before.pots.staking).toBe(percentOf(72n, v));
      expect(after.storage - before.pots.storage).toBe(percentOf(18n, v));
      expect(after.reserved - before.pots.reserved).toBe(fee.total - percentOf(72n, v) - percentOf(18n, v));
      const file = crust.read(() => FilesV2.get(cid))!;
      expect(file.file_size).toBe(c.size);
      expect(file.amount).toBe(percentOf(18n, v));
      const crustEvents = crust.takeEvents();
      const success = crustEvents.find((e) => e.pallet === 'Market' && e.name === 'FileSuccess')!;
      expect(u8aToHex(success.data[0])).toBe(u8aToHex(derived));
      expect(free(crust, siblOnCrust(c.paraId))).toBe(before.sibl - quote);
      expect(free(crust, crustTreasury()) - before.treasury).toBe(execution);
      // What the market and the executor did not take is the user's on Crust (CRU's ED and the refunded weight).
      expect(free(crust, derived) - before.derived).toBe(quote - execution - fee.total);
      expect(free(crust, derived) - before.derived).toBeGreaterThanOrEqual(CRUST_EXISTENTIAL_DEPOSIT);
      expect(issuance(crust)).toBe(before.issuance);

      // The answer comes home.
      net.deliver();
      const confirmed = theEvent(home.takeEvents(), 'Xstorage', 'OrderConfirmed');
      expect(u8aToHex(confirmed.order_id)).toBe(u8aToHex(ev.order_id));
      expect(u8aToHex(confirmed.cid)).toBe(u8aToHex(cid));
      expect(confirmed.size).toBe(c.size);
      expect(orderByApi(home, ev.order_id)!.status).toEqual({ type: 'Confirmed' });
      // Nothing more moved: the user paid the quote once, the derivative supply fell by what left the reserve.
      expect(before.user - cruOn(home, c.who)).toBe(quote);
      expect(before.supply - foreignSupply(home, CRU_LOC)).toBe(
        before.sibl - free(crust, siblOnCrust(c.paraId)),
      );
      expect(issuance(crust)).toBe(before.issuance);
    });

  it('with tips, places the order through market.place_storage_order: the tips go to the storage pot', () => {
    const acala = net.chain(ACALA);
    const cid = utf8('QmTipsTipsTipsTipsTipsTipsTipsTipsTipsTipsTips');
    const tips = 5_000_000n;
    const base = estimateFee(acala, 'Cru', 10n);
    const storageBefore = pots(crust).storage;
    acala.takeEvents();
    expect(placeOrder(acala, ALICE, 'Cru', cid, 10n, { tips, max_fee: base + tips }).ok).toBe(true);
    expect(theEvent(acala.takeEvents(), 'Xstorage', 'OrderPlaced').amount).toBe(base + tips);
    net.step();
    const fee = marketFeeOn(crust, 10n);
    expect(pots(crust).storage - storageBefore).toBe(percentOf(18n, fee.total - fee.base) + tips);
    expect(crust.read(() => FilesV2.get(cid))!.amount).toBe(percentOf(18n, fee.total - fee.base) + tips);
    net.deliver();
    theEvent(acala.takeEvents(), 'Xstorage', 'OrderConfirmed');
  });
});

describe('an order paid in the chain token (ACA)', () => {
  it("moves ACA into Crust's sovereign account, swaps it on Crust for the order's CRU, confirms", () => {
    const net = makeNetwork();
    const acala = net.chain(ACALA);
    const crust = net.chain(CRUST);
    const aca = tokenOf(ACALA);
    const cid = utf8('QmNativeNativeNativeNativeNativeNativeNative1');
    const size = 5n * MIB;
    const derived = derivedOnCrust(ACALA, ALICE);
    const crustSovereign = siblingSovereignAccount(CRUST, 32);
    const quote = estimateFee(acala, 'Native', size);
    const before = {
      alice: free(acala, ALICE),
      sovereign: free(acala, crustSovereign),
      acaIssuance: issuance(acala),
      pool: crust.read(() => reserves(HERE, aca))!,
      cruIssuance: issuance(crust),
    };
    acala.takeEvents();
    expect(placeOrder(acala, ALICE, 'Native', cid, size).ok).toBe(true);
    const ev = theEvent(acala.takeEvents(), 'Xstorage', 'OrderPlaced');
    expect(ev.amount).toBe(quote);
    expect(ev.currency_id).toEqual({ type: 'Native' });
    expect(before.alice - free(acala, ALICE)).toBe(quote);
    expect(free(acala, crustSovereign) - before.sovereign).toBe(quote);
    const order = acala.read(() => Orders.get(ev.order_id))!;

    net.step();
    const events = crust.takeEvents();
    const fee = marketFeeOn(crust, size);
    const paidWith = theEvent(events, 'Xstorage', 'PaidWith');
    // Exactly the order's CRU and CRU's existential deposit (the account had no CRU), at the pool's price:
    // polkadot-sdk's get_amount_in = reserve_in × out × 1000 / ((reserve_out − out) × 997) + 1.
    expect(paidWith.cru).toBe(fee.total + CRUST_EXISTENTIAL_DEPOSIT);
    const [cruReserve, acaReserve] = before.pool;
    const expectedIn = (acaReserve * paidWith.cru * 1000n) / ((cruReserve - paidWith.cru) * 997n) + 1n;
    expect(paidWith.paid).toBe(expectedIn);
    expect(crust.read(() => reserves(HERE, aca))).toEqual([
      cruReserve - paidWith.cru,
      acaReserve + expectedIn,
    ]);
    expect(u8aToHex(theEvent(events, 'Market', 'FileSuccess')[0])).toBe(u8aToHex(derived));
    expect(free(crust, derived)).toBe(CRUST_EXISTENTIAL_DEPOSIT);
    // The user's ACA on Crust: what arrived, less the execution Crust charged (burnt) and what the swap took.
    const used = weightUsedFor(crust, ev.order_id);
    expect(crust.read(() => ForeignAssets.fungibles.balance(aca, derived))).toBe(
      quote - priceOf(crust, used, aca) - expectedIn,
    );
    expect(issuance(crust)).toBe(before.cruIssuance);
    expect(order.deposit - paidWith.paid).toBeGreaterThan(0n);

    net.deliver();
    theEvent(acala.takeEvents(), 'Xstorage', 'OrderConfirmed');
    expect(issuance(acala)).toBe(before.acaIssuance);
  });
});

describe('the pallet as polkadot-js sees it', () => {
  it('api.tx.xstorage.placeStorageOrder(currencyId, cid, size) encodes as (60, 0, currency, cid, size)', () => {
    const net = makeNetwork();
    const acala = net.chain(ACALA);
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, generateMetadata(acala.runtime, 15));
    registry.setMetadata(metadata);
    const decorated = expandMetadata(registry, metadata);
    const place = decorated.tx.xstorage.placeStorageOrder;
    expect(place.meta.args.map((a) => a.name.toString())).toEqual(['currencyId', 'cid', 'size']);
    const cid = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';
    const ours = acala.runtime.encodeCall({
      type: 'Xstorage',
      value: {
        type: 'place_storage_order',
        value: { currency_id: { type: 'Cru' }, cid: utf8(cid), size: 42n },
      },
    });
    expect(u8aToHex(place({ Cru: null }, cid, 42).toU8a())).toBe(u8aToHex(ours));
    expect(u8aToHex(ours)).toBe(
      u8aToHex(registry.createType('(u8, u8, u8, Bytes, u64)', [60, 0, 1, cid, 42]).toU8a()),
    );
    const limits = decorated.tx.xstorage.placeStorageOrderWithLimits;
    expect(limits.meta.args.map((a) => a.name.toString())).toEqual([
      'currencyId',
      'cid',
      'size',
      'tips',
      'maxFee',
    ]);
    expect(decorated.tx.xstorage.onOrderResponse.meta.args.map((a) => a.name.toString())).toEqual([
      'queryId',
      'response',
    ]);
    expect(Object.keys(decorated.query.xstorage)).toEqual(
      expect.arrayContaining(['orders', 'feeParameters', 'nativePrice', 'paused', 'crustParaId']),
    );
    expect(Object.keys(decorated.errors.xstorage)).toEqual(
      expect.arrayContaining(['FeeAboveMaximum', 'InsufficientBalance', 'FileTooLarge', 'CidTooLong']),
    );
    // No parachain-side Xstorage on Crust: its own is at 127.
    const crustPallets = net.chain(CRUST).runtime.pallets.filter((p) => p.pallet.name === 'Xstorage');
    expect(crustPallets.map((p) => p.index)).toEqual([127]);
    expect(acala.runtime.pallets.find((p) => p.pallet.name === 'Xstorage')!.index).toBe(60);
  });
});
