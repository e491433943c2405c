/**
 * The quote a parachain makes of an order is Crust's own price of it: the market fee equals what Crust's market
 * charges at its genesis fees (its `MarketApi.order_fee`, `get_file_fee`), the message weight equals what Crust's
 * `XcmPaymentApi.query_xcm_weight` gives the real message (FixedWeightBounds: 17 instructions of 10^9 / 64 KiB, nested
 * ones counted, plus the Transact'ed call's weight), and the execution fee equals `query_weight_to_asset_fee` for CRU
 * (UsingComponents, exactly) and for the chain's token (FixedRateOfFungible, which rounds down: the quote rounds up,
 * at most one unit more): `BuyExecution` is always enough and never wasteful.
 * Then the arithmetic at its edges: whole MiB rounding, the native price rounding up, refunds raised to pay their
 * trip home, u128 overflow, no price.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Weight, WeightCodec } from '../../../src/frame/weights.ts';
import {
  type FeeParameters,
  Fees,
  MIB,
  marketFee,
  ORDER_MESSAGE_INSTRUCTIONS,
  orderCallWeight,
  orderMessage,
  placeOrderPayingWithCall,
  placeOrderThroughParachainCall,
  QuoteError,
  quoteOrder,
} from '../../../src/pallets/xstorage/index.ts';
import { crustProfile } from '../../../src/runtimes/crust/index.ts';
import { PARACHAIN_PROFILES } from '../../../src/runtimes/parachain/index.ts';
import { result, u128 } from '../../../src/scale/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { type Location, VersionedAssetIdCodec, VersionedXcmCodec } from '../../../src/xcm/index.ts';
import { ready, TestChain } from './network.ts';

beforeAll(() => ready);

const profile = (id: string) => PARACHAIN_PROFILES.find((p) => p.id === id)!;
const CRU_HERE = { parents: 0, interior: [] };
const ACA_ON_CRUST: Location = { parents: 1, interior: [{ type: 'Parachain', value: 2000 }] };

/** Calls one of Crust's runtime APIs the way a client does (SCALE in, SCALE out). */
function callApi(chain: TestChain, method: string, input: Uint8Array): Uint8Array {
  return chain.runtime.callApi(new Overlay(chain.backend), method, input);
}
const weightResult = result(WeightCodec, u128);
const feeResult = result(u128, u128);

describe('the quote is Crust’s price of the order', () => {
  const crust = new TestChain(crustProfile);
  const acala = new TestChain(profile('acala'));
  const fees = (): FeeParameters => acala.read(() => Fees.get()!);

  it("charges Crust's market fee for every size (its MarketApi.order_fee at genesis)", () => {
    for (const size of [1n, 1_000n, MIB - 1n, MIB, MIB + 1n, 3n * MIB + 7n, 8_589_934_591n]) {
      const crustFee = callApi(
        crust,
        'MarketApi_order_fee',
        new Uint8Array(new BigUint64Array([size]).buffer),
      );
      // MarketOrderFee's first field is `total` (u128 LE).
      const total = u128.decode(crustFee.subarray(0, 16));
      expect(marketFee(fees(), size), `size ${size}`).toBe(total);
    }
    // Whole MiB, rounded up: 1 byte costs as much as a MiB, MiB + 1 as two.
    const f = fees();
    expect(marketFee(f, 1n)).toBe(f.file_byte_fee + f.file_keys_count_fee);
    expect(marketFee(f, MIB + 1n) - marketFee(f, MIB)).toBe(f.file_byte_fee);
  });

  it("buys exactly the weight Crust's XcmPaymentApi gives the message, at Crust's price for CRU and for ACA", () => {
    const user = { type: 'AccountId32', value: { id: new Uint8Array(32).fill(7) } } as const;
    for (const currency of ['Cru', 'Native'] as const) {
      const cid = new TextEncoder().encode('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF');
      const q = quoteOrder(
        fees(),
        { native: 1n, cru: 1n },
        { type: currency },
        1_000n,
        0n,
        ORDER_MESSAGE_INSTRUCTIONS,
      );
      const call =
        currency === 'Cru'
          ? placeOrderThroughParachainCall(cid, 1_000n)
          : placeOrderPayingWithCall(cid, 1_000n, 0n, ACA_ON_CRUST, q.max_in);
      const message = orderMessage({
        currency,
        selfParaId: 2000,
        crustParaId: 2008,
        user,
        amount: q.amount,
        execution: q.execution,
        deposit: q.deposit,
        refund: q.refund,
        weight: q.weight,
        call,
        callWeight: orderCallWeight(fees(), { type: currency }),
        queryId: 9n,
        responseWeight: { refTime: 1, proofSize: 1 },
        topic: new Uint8Array(32).fill(1),
      });
      const crustWeight = weightResult.decode(
        callApi(
          crust,
          'XcmPaymentApi_query_xcm_weight',
          VersionedXcmCodec.encode({ type: 'V5', value: message }),
        ),
      );
      expect('ok' in crustWeight && crustWeight.ok, currency).toEqual(q.weight);
      const asset = currency === 'Cru' ? CRU_HERE : ACA_ON_CRUST;
      const args = new Uint8Array([
        ...WeightCodec.encode(q.weight as Weight),
        ...VersionedAssetIdCodec.encode({ type: 'V5', value: asset } as never),
      ]);
      const crustFee = feeResult.decode(callApi(crust, 'XcmPaymentApi_query_weight_to_asset_fee', args));
      if (!('ok' in crustFee)) throw new Error(`no fee for ${currency}`);
      if (currency === 'Cru') expect(q.execution).toBe(crustFee.ok);
      else expect(q.execution - crustFee.ok).toBe(1n);
    }
    expect(ORDER_MESSAGE_INSTRUCTIONS).toBe(17);
  });

  it('weighs the call Crust declares (xstorage call 0; call 3 adds the swap)', () => {
    const declared = (bytes: Uint8Array) =>
      crust.read(() => crust.runtime.callInfo(crust.runtime.decodeCall(bytes)).weight);
    const cid = new TextEncoder().encode('QmXY');
    expect(declared(placeOrderThroughParachainCall(cid, 1n))).toEqual(fees().order_call_weight);
    expect(declared(placeOrderPayingWithCall(cid, 1n, 0n, ACA_ON_CRUST, 1n))).toEqual(
      fees().native_order_call_weight,
    );
  });
});

describe('quote arithmetic', () => {
  const base: FeeParameters = {
    file_base_fee: 5n,
    file_byte_fee: 10_000n,
    file_keys_count_fee: 1_000_000n,
    maximum_file_size: 8n * 1024n * MIB,
    instruction_weight: { refTime: 1_000_000_000, proofSize: 65_536 },
    order_call_weight: { refTime: 2_495_000_000, proofSize: 18_885 },
    native_order_call_weight: { refTime: 2_700_000_000, proofSize: 29_000 },
    cru_per_second: 8_000_000_000_000n,
    native_per_second: 100_000_000_000n,
    cru_existential_deposit: 10_000_000n,
    native_min_balance: 1_000_000n,
  };

  it('CRU: amount = execution + market fee + tips + ED, the deposit being all but the execution', () => {
    const q = quoteOrder(base, undefined, { type: 'Cru' }, 2n * MIB + 1n, 7n, 17);
    expect(q.weight).toEqual({ refTime: 17_000_000_000 + 2_495_000_000, proofSize: 17 * 65_536 + 18_885 });
    expect(q.execution).toBe(8n * 19_495_000_000n);
    expect(q.market_fee).toBe(5n + 3n * 10_000n + 1_000_000n);
    expect(q.deposit).toBe(q.market_fee + 7n + 10_000_000n);
    expect(q.amount).toBe(q.execution + q.deposit);
    // A refused order sends home the deposit and its never-run SetTopic's weight: 10^9 × 8.
    expect(q.refund).toBe(q.deposit + 8_000_000_000n);
  });

  it('Native: at most max_in = ⌈CRU needed × price⌉ is swapped; the fixed rate rounds up', () => {
    const price = { native: 21n, cru: 20n };
    const q = quoteOrder(base, price, { type: 'Native' }, 1n, 0n, 17);
    const needed = 5n + 10_000n + 1_000_000n + 10_000_000n;
    expect(q.cru_needed).toBe(needed);
    expect(q.max_in).toBe((needed * 21n + 19n) / 20n);
    expect(q.deposit).toBe(q.max_in + 1_000_000n);
    // 0.1 token per second of 19.7 × 10^9 ref time, rounded up.
    expect(q.execution).toBe((100_000_000_000n * 19_700_000_000n + 10n ** 12n - 1n) / 10n ** 12n);
    expect(() => quoteOrder(base, undefined, { type: 'Native' }, 1n, 0n, 17)).toThrow(QuoteError);
    expect(() => quoteOrder(base, { native: 0n, cru: 1n }, { type: 'Native' }, 1n, 0n, 17)).toThrow(
      'no price',
    );
  });

  it('raises the deposit so that a refund pays its trip home', () => {
    const cheap = quoteOrder(base, undefined, { type: 'Cru' }, 1n, 0n, 17, 500_000_000n);
    const dear = quoteOrder(base, undefined, { type: 'Cru' }, 1n, 0n, 17, 9_000_000_000n);
    expect(cheap.deposit).toBe(cheap.market_fee + 10_000_000n);
    expect(dear.refund).toBe(9_000_000_000n);
    expect(dear.deposit).toBe(9_000_000_000n - 8_000_000_000n);
    expect(dear.amount - cheap.amount).toBe(dear.deposit - cheap.deposit);
  });

  it('refuses fees above u128', () => {
    const max = (1n << 128n) - 1n;
    expect(() => quoteOrder(base, undefined, { type: 'Cru' }, 1n, max, 17)).toThrow('overflows');
    expect(() =>
      quoteOrder({ ...base, file_byte_fee: max }, undefined, { type: 'Cru' }, 2n * MIB, 0n, 17),
    ).toThrow(QuoteError);
  });
});
