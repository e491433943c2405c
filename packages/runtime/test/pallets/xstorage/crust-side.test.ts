/**
 * Crust's side of orders paid in a sibling's token: its genesis pools (1,000 CRU against 1,000 of each other
 * parachain's token, from //Alice), and xstorage call 3 `place_storage_order_paying_with`:
 * - an account with no CRU swaps exactly the order's CRU plus CRU's existential deposit, at most `max_in`, at the
 *   pool's constant-product price, and pays the market;
 * - an account that already holds enough CRU swaps nothing (CRU left on Crust pays first);
 * - a maximum below the pool's price fails with AssetConversion's error and changes nothing; `Here` as the asset is
 *   `BadAsset`;
 * - call 3 is admitted by Crust's XCM SafeCallFilter; `PoolAssets.create` is refused to signed origins (only the
 *   pools make LP tokens).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { reserves } from '../../../src/pallets/asset-conversion/index.ts';
import { FilesV2 } from '../../../src/pallets/market/index.ts';
import { Xstorage } from '../../../src/pallets/xstorage-crust/index.ts';
import {
  CRUST_EXISTENTIAL_DEPOSIT,
  CRUST_GENESIS_POOL_TOKENS,
  crustProfile,
  crustXcmCallFilter,
} from '../../../src/runtimes/crust/index.ts';
import { PARACHAINS } from '../../../src/runtimes/parachain/chains.ts';
import { ForeignAssets } from '../../../src/runtimes/xcm-shared.ts';
import { ACALA, ALICE, CRU, free, moduleError, theEvent, tokenOf, utf8 } from './helpers.ts';
import { ready, TestChain } from './network.ts';

beforeAll(() => ready);

const HERE = { parents: 0, interior: [] };
const ACA = tokenOf(ACALA);
const payingWith = (cid: string, size: bigint, asset: object, maxIn: bigint) =>
  Xstorage.tx.place_storage_order_paying_with({
    cid: utf8(cid),
    size,
    tips: 0n,
    asset: { type: 'V5', value: asset } as never,
    max_in: maxIn,
  });

describe("Crust's pools and xstorage call 3", () => {
  const crust = new TestChain(crustProfile);
  crust.nextBlock();
  const fresh = new Uint8Array(32).fill(9);

  it('has a pool of 1,000 CRU and 1,000 of every other parachain token', () => {
    for (const p of PARACHAINS.filter((p) => p.id !== 'crust'))
      expect(
        crust.read(() => reserves(HERE, tokenOf(p.paraId))),
        p.id,
      ).toEqual([CRUST_GENESIS_POOL_TOKENS * CRU, CRUST_GENESIS_POOL_TOKENS * 10n ** BigInt(p.decimals)]);
  });

  it('swaps exactly the CRU an account without CRU needs, at the pool price, then places the order', () => {
    expect(
      crust.dispatch(
        ForeignAssets.pallet.tx.transfer({
          id: ACA,
          target: { type: 'Id', value: fresh },
          amount: 10n * CRU,
        } as never),
        signedOrigin(ALICE),
      ).ok,
    ).toBe(true);
    const [cruReserve, acaReserve] = crust.read(() => reserves(HERE, ACA))!;
    crust.takeEvents();
    const out = crust.dispatch(
      payingWith('QmPayingWithPayingWithPayingWithPayingWith123', 1_000n, ACA, CRU),
      signedOrigin(fresh),
    );
    expect(out.ok).toBe(true);
    const events = crust.takeEvents();
    const paid = theEvent(events, 'Xstorage', 'PaidWith');
    const fee = 1_010_000n; // genesis: 10^4 per MiB × 1 + 10^6 per key
    expect(paid.cru).toBe(fee + CRUST_EXISTENTIAL_DEPOSIT);
    // polkadot-sdk's get_amount_in: reserve_in × out × 1000 / ((reserve_out − out) × 997) + 1.
    expect(paid.paid).toBe((acaReserve * paid.cru * 1000n) / ((cruReserve - paid.cru) * 997n) + 1n);
    expect(crust.read(() => reserves(HERE, ACA))).toEqual([cruReserve - paid.cru, acaReserve + paid.paid]);
    expect(free(crust, fresh)).toBe(CRUST_EXISTENTIAL_DEPOSIT);
    expect(crust.read(() => ForeignAssets.fungibles.balance(ACA, fresh))).toBe(10n * CRU - paid.paid);
    theEvent(events, 'Market', 'FileSuccess');
  });

  it('swaps nothing when the account holds enough CRU already', () => {
    const before = crust.read(() => reserves(HERE, ACA));
    crust.takeEvents();
    expect(
      crust.dispatch(
        payingWith('QmEnoughCruEnoughCruEnoughCruEnoughCru12345', 1n, ACA, 1n),
        signedOrigin(ALICE),
      ).ok,
    ).toBe(true);
    const events = crust.takeEvents();
    expect(events.filter((e) => e.name === 'PaidWith' || e.name === 'SwapExecuted')).toEqual([]);
    theEvent(events, 'Market', 'FileSuccess');
    expect(crust.read(() => reserves(HERE, ACA))).toEqual(before);
  });

  it('refuses a maximum below the pool price and Here as the asset, changing nothing', () => {
    const cid = 'QmTooCheapTooCheapTooCheapTooCheapTooCheap12';
    const before = crust.read(() => ForeignAssets.fungibles.balance(ACA, fresh));
    expect(
      moduleError(crust, crust.dispatch(payingWith(cid, 1_000n, ACA, 1_000n), signedOrigin(fresh))),
    ).toBe('AssetConversion.ProvidedMaximumNotSufficientForSwap');
    expect(moduleError(crust, crust.dispatch(payingWith(cid, 1_000n, HERE, CRU), signedOrigin(fresh)))).toBe(
      'Xstorage.BadAsset',
    );
    expect(crust.read(() => FilesV2.get(utf8(cid)))).toBeUndefined();
    expect(crust.read(() => ForeignAssets.fungibles.balance(ACA, fresh))).toBe(before);
  });

  it('admits call 3 in XCM Transact; refuses PoolAssets.create to signed origins', () => {
    const call3 = crust.read(() =>
      crust.runtime.decodeCall(crust.runtime.encodeCall(payingWith('QmX', 1n, ACA, 1n))),
    );
    expect(crustXcmCallFilter(call3)).toBe(true);
    const create = {
      type: 'PoolAssets',
      value: { type: 'create', value: { id: 7, admin: { type: 'Id', value: ALICE }, min_balance: 1n } },
    };
    expect(moduleError(crust, crust.dispatch(create as never, signedOrigin(ALICE)))).toBe(
      'System.CallFiltered',
    );
    // The filter is frame_system's BaseCallFilter: it does not bind Root (which `create` refuses anyway).
    expect(moduleError(crust, crust.dispatch(create as never, rootOrigin()))).toBe('BadOrigin');
  });
});
