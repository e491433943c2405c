/**
 * Orders that cannot be placed lose nothing.
 * - Refused here, before anything is taken or sent (no payment, no query, no message): no CRU, a quote above the
 *   user's maximum, a file not below Crust's `MaximumFileSize`, a size of 0, an empty or over-long CID, a paused
 *   pallet, no native price, tips that overflow u128, call bytes that do not decode.
 * - Refused by Crust (the market closed by root there, a file over the size limit that got past a stale mirror, a
 *   known CID re-ordered smaller, a swap whose maximum the pool's price exceeds): the order ends `Failed` with the
 *   market's error, and the refund arrives home — the user gets back exactly what Crust sent less this chain's
 *   `XcmPaymentApi` price of the refund's weight; per token, Crust's issuance is unchanged and the derivative supply
 *   here moves exactly as the reserve on Crust, less the fee this chain burnt.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { FilesV2, MarketError } from '../../../src/pallets/market/index.ts';
import { OutboundXcmpStatus } from '../../../src/pallets/xcmp-queue/items.ts';
import {
  estimateFee,
  type FeeParameters,
  Fees,
  MAX_CID_LENGTH,
  OrderCount,
  Orders,
  Xstorage,
} from '../../../src/pallets/xstorage/index.ts';
import { siblingSovereignAccount } from '../../../src/parachains/ids.ts';
import { ForeignAssets, PolkadotXcm } from '../../../src/runtimes/xcm-shared.ts';
import { u128 } from '../../../src/scale/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import {
  ACALA,
  ALICE,
  BOB,
  CRU_LOC,
  CRUST,
  cruOn,
  crustTreasury,
  derivedOnCrust,
  foreignSupply,
  free,
  issuance,
  lastRefund,
  MIB,
  makeNetwork,
  moduleError,
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

const CID = utf8('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF');

/** Everything an order would change here. */
function footprint(chain: TestChain) {
  return chain.read(() => ({
    orders: OrderCount.get(),
    queries: PolkadotXcm.storage.QueryCounter.get(),
    outbound: OutboundXcmpStatus.get().length,
    alice: ForeignAssets.fungibles.balance(CRU_LOC, ALICE),
  }));
}

describe('XstorageApi with hostile input', () => {
  it('answers 0 for orders that cannot be placed and refuses bytes that do not decode', () => {
    const net = makeNetwork();
    const acala = net.chain(ACALA);
    const api = (input: number[]) =>
      acala.runtime.callApi(new Overlay(acala.backend), 'XstorageApi_estimate_fee', Uint8Array.from(input));
    const u64le = (n: bigint) => [...new Uint8Array(new BigUint64Array([n]).buffer)];
    const fee = (input: number[]) => u128.decode(api(input));
    expect(fee([1, ...u64le(1_000n)])).toBeGreaterThan(0n);
    expect(fee([1, ...u64le(0n)])).toBe(0n);
    expect(fee([1, ...u64le((1n << 64n) - 1n)])).toBe(0n);
    expect(acala.dispatch(Xstorage.tx.set_native_price({ price: undefined }), rootOrigin()).ok).toBe(true);
    expect(fee([0, ...u64le(1_000n)])).toBe(0n);
    expect(() => api([1, 1, 2, 3])).toThrow();
    expect(() => api([7, ...u64le(1n)])).toThrow();
    expect(() => api([1, ...u64le(1n), 0])).toThrow();
    expect(() =>
      acala.runtime.callApi(new Overlay(acala.backend), 'XstorageApi_order', new Uint8Array(31)),
    ).toThrow();
    expect(
      acala.runtime.callApi(new Overlay(acala.backend), 'XstorageApi_order', new Uint8Array(32)),
    ).toEqual(Uint8Array.of(0));
  });
});

describe('refused here: nothing taken, nothing sent', () => {
  const net = makeNetwork();
  const acala = net.chain(ACALA);
  const fees = () => acala.read(() => Fees.get()!);
  const refuse = (outcome: ReturnType<typeof placeOrder>, error: string) => {
    expect(moduleError(acala, outcome)).toBe(error);
  };

  it('a user without CRU', () => {
    const before = footprint(acala);
    expect(cruOn(acala, BOB)).toBe(0n);
    refuse(placeOrder(acala, BOB, 'Cru', CID, 1_000n), 'Xstorage.InsufficientBalance');
    expect(footprint(acala)).toEqual(before);
  });

  it('a quote above the maximum the user accepts, by one unit', () => {
    const before = footprint(acala);
    const quote = placeQuote(acala, 1_000n);
    refuse(
      placeOrder(acala, ALICE, 'Cru', CID, 1_000n, { tips: 0n, max_fee: quote - 1n }),
      'Xstorage.FeeAboveMaximum',
    );
    expect(footprint(acala)).toEqual(before);
    expect(placeOrder(acala, ALICE, 'Cru', CID, 1_000n, { tips: 0n, max_fee: quote }).ok).toBe(true);
    expect(before.alice - footprint(acala).alice).toBe(quote);
  });

  it("sizes of 0 and from Crust's MaximumFileSize up; empty and over-long CIDs", () => {
    const before = footprint(acala);
    const max = fees().maximum_file_size;
    refuse(placeOrder(acala, ALICE, 'Cru', CID, 0n), 'Xstorage.ZeroSize');
    refuse(placeOrder(acala, ALICE, 'Cru', CID, max), 'Xstorage.FileTooLarge');
    refuse(placeOrder(acala, ALICE, 'Cru', CID, (1n << 64n) - 1n), 'Xstorage.FileTooLarge');
    refuse(placeOrder(acala, ALICE, 'Cru', new Uint8Array(), 1n), 'Xstorage.EmptyCid');
    refuse(
      placeOrder(acala, ALICE, 'Cru', new Uint8Array(MAX_CID_LENGTH + 1).fill(0x61), 1n),
      'Xstorage.CidTooLong',
    );
    expect(footprint(acala)).toEqual(before);
    // The limits themselves are accepted.
    expect(placeOrder(acala, ALICE, 'Cru', new Uint8Array(MAX_CID_LENGTH).fill(0x61), max - 1n).ok).toBe(
      true,
    );
  });

  it('tips that overflow u128, a paused pallet, no native price', () => {
    const before = footprint(acala);
    refuse(
      placeOrder(acala, ALICE, 'Cru', CID, 1n, { tips: (1n << 128n) - 1n, max_fee: (1n << 128n) - 1n }),
      'Xstorage.Overflow',
    );
    expect(acala.dispatch(Xstorage.tx.set_paused({ paused: true }), rootOrigin()).ok).toBe(true);
    refuse(placeOrder(acala, ALICE, 'Cru', CID, 1n), 'Xstorage.Paused');
    expect(acala.dispatch(Xstorage.tx.set_paused({ paused: false }), rootOrigin()).ok).toBe(true);
    expect(acala.dispatch(Xstorage.tx.set_native_price({ price: undefined }), rootOrigin()).ok).toBe(true);
    refuse(placeOrder(acala, ALICE, 'Native', CID, 1n), 'Xstorage.NativePaymentUnavailable');
    expect(footprint(acala)).toEqual(before);
  });

  it('admin calls from anyone but root', () => {
    const alice = signedOrigin(ALICE);
    for (const call of [
      Xstorage.tx.set_paused({ paused: true }),
      Xstorage.tx.set_crust_para_id({ para_id: 2000 }),
      Xstorage.tx.set_native_price({ price: { native: 1n, cru: 1n } }),
      Xstorage.tx.set_fee_parameters({ fees: { ...fees(), file_byte_fee: 0n } }),
    ])
      expect(moduleError(acala, acala.dispatch(call, alice))).toBe('BadOrigin');
    expect(fees().file_byte_fee).toBeGreaterThan(0n);
  });

  it('call bytes that do not decode: an unknown currency, a truncated size, a CID longer than the bytes', () => {
    const decode = (bytes: number[]) => acala.read(() => acala.runtime.decodeCall(Uint8Array.from(bytes)));
    // Compact(4) = 0x10: the CID "QmXY".
    expect(() => decode([60, 0, 2, 0x10, 0x51, 0x6d, 0x58, 0x59, 1, 0, 0, 0, 0, 0, 0, 0])).toThrow();
    expect(() => decode([60, 0, 1, 0x10, 0x51, 0x6d, 0x58, 0x59, 1, 0, 0])).toThrow();
    expect(() => decode([60, 0, 1, 0xfe, 0xff, 0xff, 0xff, 0x51])).toThrow();
    expect(decode([60, 0, 1, 0x10, 0x51, 0x6d, 0x58, 0x59, 1, 0, 0, 0, 0, 0, 0, 0])).toMatchObject({
      type: 'Xstorage',
      value: { type: 'place_storage_order', value: { currency_id: { type: 'Cru' }, size: 1n } },
    });
  });
});

/** What place_storage_order takes: what XstorageApi.estimate_fee answers. */
function placeQuote(chain: TestChain, size: bigint): bigint {
  return chain.read(() => estimateFee({ type: 'Cru' }, size));
}

interface Refused {
  order_id: Uint8Array;
  amount: bigint;
  refund: bigint;
  error: any;
}

/** Places an order from Alice on Acala that Crust refuses; checks every balance; returns the order. */
function refusedCruOrder(
  net: ReturnType<typeof makeNetwork>,
  cid: Uint8Array,
  size: bigint,
  error: { index: number; errorIndex: number },
): Refused {
  const acala = net.chain(ACALA);
  const crust = net.chain(CRUST);
  const derived = derivedOnCrust(ACALA, ALICE);
  const before = {
    alice: cruOn(acala, ALICE),
    supply: foreignSupply(acala, CRU_LOC),
    sibl: free(crust, siblOnCrust(ACALA)),
    treasury: free(crust, crustTreasury()),
    derived: free(crust, derived),
    issuance: issuance(crust),
  };
  acala.takeEvents();
  expect(placeOrder(acala, ALICE, 'Cru', cid, size).ok).toBe(true);
  const placed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderPlaced');
  const order = acala.read(() => Orders.get(placed.order_id))!;
  net.deliver();
  const failed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderFailed');
  expect(failed.order_id).toEqual(placed.order_id);
  // Crust's market error: DispatchError::Module { index, error: [e, 0, 0, 0] }, encoded in the transact status.
  expect(failed.error).toEqual({
    type: 'Refused',
    value: { type: 'Error', value: Uint8Array.of(3, error.index, error.errorIndex, 0, 0, 0) },
  });
  expect(failed.refund).toBe(order.refund);
  expect(acala.read(() => Orders.get(placed.order_id))!.status).toEqual({
    type: 'Failed',
    value: failed.error,
  });
  // The refund arrived: what Crust sent home, less Acala's price of the refund message's weight.
  const refundWeight = lastRefund(acala, 'ReserveAssetDeposited');
  const homeFee = priceOf(acala, refundWeight.weightUsed, CRU_LOC);
  expect(cruOn(acala, ALICE)).toBe(before.alice - placed.amount + order.refund - homeFee);
  // On Crust: the reserve paid A and got the refund back; the treasury took its price of the weight used; the
  // rest (the refunded weight of the handler's skipped report) stays the user's; no CRU created or destroyed.
  const execution = priceOf(crust, weightUsedFor(crust, placed.order_id), { parents: 0, interior: [] });
  expect(free(crust, siblOnCrust(ACALA))).toBe(before.sibl - placed.amount + order.refund);
  expect(free(crust, crustTreasury()) - before.treasury).toBe(execution);
  expect(free(crust, derived) - before.derived).toBe(placed.amount - order.refund - execution);
  expect(issuance(crust)).toBe(before.issuance);
  // The derivative supply here follows the reserve, less the fee this chain burnt for the refund's trip.
  expect(foreignSupply(acala, CRU_LOC) - before.supply).toBe(
    free(crust, siblOnCrust(ACALA)) - before.sibl - homeFee,
  );
  return { order_id: placed.order_id, amount: placed.amount, refund: order.refund, error: failed.error };
}

/** A market error as Crust encodes it: the pallet's index and the error's. */
const marketError = (net: ReturnType<typeof makeNetwork>, name: string) => {
  const crust = net.chain(CRUST);
  const code = crust.read(() => MarketError.fail(name as never).error) as {
    value: { index: number; error: Uint8Array };
  };
  return { index: code.value.index, errorIndex: code.value.error[0] };
};

describe('refused by Crust: the order fails and the refund comes home', () => {
  const net = makeNetwork();
  const acala = net.chain(ACALA);
  const crust = net.chain(CRUST);

  it('the market closed by root on Crust', () => {
    expect(
      crust.dispatch(
        { type: 'Market', value: { type: 'set_enable_market', value: { is_enabled: false } } } as never,
        rootOrigin(),
      ).ok,
    ).toBe(true);
    refusedCruOrder(
      net,
      utf8('QmClosedClosedClosedClosedClosedClosedClosed1'),
      1_000n,
      marketError(net, 'PlaceOrderNotAvailable'),
    );
    expect(
      crust.dispatch(
        { type: 'Market', value: { type: 'set_enable_market', value: { is_enabled: true } } } as never,
        rootOrigin(),
      ).ok,
    ).toBe(true);
  });

  it("a file over Crust's size limit, past a mirror that was not", () => {
    const fees = acala.read(() => Fees.get()!) as FeeParameters;
    const stale = { ...fees, maximum_file_size: fees.maximum_file_size * 2n };
    expect(acala.dispatch(Xstorage.tx.set_fee_parameters({ fees: stale }), rootOrigin()).ok).toBe(true);
    const cid = utf8('QmTooLargeTooLargeTooLargeTooLargeTooLarge123');
    refusedCruOrder(net, cid, fees.maximum_file_size, marketError(net, 'FileTooLarge'));
    expect(crust.read(() => FilesV2.get(cid))).toBeUndefined();
    expect(acala.dispatch(Xstorage.tx.set_fee_parameters({ fees }), rootOrigin()).ok).toBe(true);
  });

  it('a known CID re-ordered with a smaller size', () => {
    const cid = utf8('QmMismatchMismatchMismatchMismatchMismatch123');
    expect(placeOrder(acala, ALICE, 'Cru', cid, 3n * MIB).ok).toBe(true);
    net.deliver();
    theEvent(acala.takeEvents(), 'Xstorage', 'OrderConfirmed');
    refusedCruOrder(net, cid, 2n * MIB, marketError(net, 'FileSizeNotCorrect'));
    expect(crust.read(() => FilesV2.get(cid))!.file_size).toBe(3n * MIB);
  });
});

describe('refused by Crust, paid in ACA', () => {
  it('a pool price above max_in: the swap fails, the ACA comes home through its reserve', () => {
    const net = makeNetwork();
    const acala = net.chain(ACALA);
    const crust = net.chain(CRUST);
    const aca = tokenOf(ACALA);
    const crustSovereign = siblingSovereignAccount(CRUST, 32);
    // The mirror says ACA is worth twice what Crust's pool pays for it.
    expect(
      acala.dispatch(Xstorage.tx.set_native_price({ price: { native: 1n, cru: 2n } }), rootOrigin()).ok,
    ).toBe(true);
    const before = {
      alice: free(acala, ALICE),
      sovereign: free(acala, crustSovereign),
      acaIssuance: issuance(acala),
      acaOnCrust: foreignSupply(crust, aca),
    };
    acala.takeEvents();
    expect(placeOrder(acala, ALICE, 'Native', CID, 1_000n).ok).toBe(true);
    const placed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderPlaced');
    const order = acala.read(() => Orders.get(placed.order_id))!;
    net.deliver();
    const failed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderFailed');
    const conversion = crust.runtime.palletIndex('AssetConversion');
    expect(failed.error.type).toBe('Refused');
    expect(failed.error.value.value[1]).toBe(conversion); // AssetConversion.ProvidedMaximumNotSufficientForSwap
    const refundWeight = lastRefund(acala, 'WithdrawAsset');
    const homeFee = priceOf(acala, refundWeight.weightUsed, { parents: 0, interior: [] });
    // Alice paid A, got the refund less Acala's execution fee; the reserve paid the refund back out.
    expect(free(acala, ALICE)).toBe(before.alice - placed.amount + order.refund - homeFee);
    expect(free(acala, crustSovereign)).toBe(before.sovereign + placed.amount - order.refund);
    // ACA's issuance moves by nothing: the fee went to Acala's treasury (UsingComponents).
    expect(issuance(acala)).toBe(before.acaIssuance);
    // On Crust, the ACA derivative supply is what the reserve on Acala gained, less the fees Crust burnt.
    expect(foreignSupply(crust, aca) - before.acaOnCrust).toBeLessThanOrEqual(placed.amount - order.refund);
    expect(crust.read(() => FilesV2.get(CID))).toBeUndefined();
  });
});
