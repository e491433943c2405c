/**
 * The typed entry points other pallets use (api.ts: polkadot-sdk's `Swap` and `SwapCredit` impls in swap.rs and
 * lib.rs), against polkadot-sdk tests.rs `swap_transactional`, `swap_credit_returns_change`,
 * `swap_credit_insufficient_amount_bounds`, `swap_credit_zero_amount` and `swap_credit_invalid_path`; then the use
 * Crust's xstorage makes of them: an exact CRU fee paid from a parachain token, never above the user's maximum, and
 * nothing changed when it cannot be paid.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DispatchFailure } from '../../../src/frame/dispatch-error.ts';
import {
  type Credit,
  getAmountIn,
  quotePathExactOut,
  quotePriceTokensForExactTokens,
  swapCreditForExactTokens,
  swapExactCreditForTokens,
  swapExactTokensForTokens,
  swapTokensForExactTokens,
} from '../../../src/pallets/asset-conversion/index.ts';
import { Events } from '../../../src/pallets/system/index.ts';
import type { Location } from '../../../src/xcm/index.ts';
import { assertOk, balance, createTokens, errorName, poolAccount } from './helpers.ts';
import {
  acc,
  addLiquidity,
  ConversionExt,
  createPool,
  forceSetBalance,
  mint,
  NATIVE,
  ready,
  token,
} from './mock.ts';

beforeAll(() => ready);

const ED = 100n;
const user = acc(1);
const user2 = acc(2);
const t1 = NATIVE;
const t2 = token(2);
const t3 = token(3);

/** Runs `fn` in the mock and returns what it threw (applying whatever it left written, to show it left nothing). */
function failure(ext: ConversionExt, fn: () => unknown): string {
  return ext.run(() => {
    try {
      fn();
    } catch (err) {
      if (err instanceof DispatchFailure) return errorName(ext, err.error);
      throw err;
    }
    return 'no error';
  });
}

/** The mock's usual start: pools created, then `user` and `user2` funded, then 10000 + 200 in the (t1, t2) pool. */
function pool12(otherPools: Array<[Location, Location]> = [], assetEd = 1n): ConversionExt {
  const ext = new ConversionExt();
  createTokens(ext, user, [t2, t3], assetEd);
  assertOk(ext, ext.dispatch(user, createPool(t1, t2)));
  for (const [a, b] of otherPools) assertOk(ext, ext.dispatch(user, createPool(a, b)));
  assertOk(ext, ext.dispatch('root', forceSetBalance(user, 20000n + ED)));
  assertOk(ext, ext.dispatch(user, mint(t2, user, 1000n)));
  assertOk(ext, ext.dispatch(user, mint(t3, user, 1000n)));
  assertOk(ext, ext.dispatch('root', forceSetBalance(user2, 20000n + ED)));
  assertOk(ext, ext.dispatch(user, mint(t2, user2, 1000n)));
  assertOk(ext, ext.dispatch(user, mint(t3, user2, 1000n)));
  assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user)));
  return ext;
}

describe('Swap / SwapCredit (polkadot-sdk tests.rs)', () => {
  it('swap_transactional: a swap failing at the last pool leaves every balance as it was', () => {
    const assetEd = 150n;
    const ext = pool12([[t1, t3]], assetEd);
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t3, 10000n, 200n, 1n, 1n, user)));
    const p1 = poolAccount(ext, t1, t2);
    const p2 = poolAccount(ext, t1, t3);
    const reserves = () => [
      balance(ext, p1, t1),
      balance(ext, p1, t2),
      balance(ext, p2, t1),
      balance(ext, p2, t3),
    ];
    expect(reserves()).toEqual([10000n, 200n, 10000n, 200n]);

    // The amount that would take the last pool below t3's min_balance.
    const expectedOut = 200n - assetEd + 1n;
    const path = [t2, t1, t3];
    const amountIn = ext.run(() => quotePathExactOut(path, expectedOut)[0][1]);
    const credit: Credit = { asset: t2, amount: amountIn };

    const before = ext.snapshot();
    expect(failure(ext, () => swapCreditForExactTokens(path, credit, expectedOut))).toBe(
      'Token.NotExpendable',
    );
    expect(failure(ext, () => swapExactCreditForTokens(path, credit, expectedOut))).toBe(
      'Token.NotExpendable',
    );
    expect(
      failure(ext, () => swapExactTokensForTokens(user2, path, amountIn, expectedOut, user2, true)),
    ).toBe('Token.NotExpendable');
    expect(
      failure(ext, () => swapTokensForExactTokens(user2, path, expectedOut, amountIn, user2, true)),
    ).toBe('Token.NotExpendable');
    expect(ext.snapshot()).toEqual(before);
    expect(reserves()).toEqual([10000n, 200n, 10000n, 200n]);
  });

  it('swap_credit_returns_change: 20 of t2 out, the 100 not needed come back', () => {
    const ext = pool12();
    const amountInMax = ext.run(() => getAmountIn(20n, 10000n, 200n, 3));
    const [out, change] = ext.run(() =>
      swapCreditForExactTokens([t1, t2], { asset: t1, amount: amountInMax + 100n }, 20n),
    );
    expect(out).toEqual({ asset: t2, amount: 20n });
    expect(change).toEqual({ asset: t1, amount: 100n });
    // The pool got exactly the amount in and paid exactly the amount out.
    const p = poolAccount(ext, t1, t2);
    expect(balance(ext, p, t1)).toBe(10000n + amountInMax);
    expect(balance(ext, p, t2)).toBe(200n - 20n);
  });

  it('swap_credit_insufficient_amount_bounds: the credit cannot buy the minimum, or the exact amount', () => {
    const ext = pool12();
    const amountIn = ext.run(() => getAmountIn(19n, 200n, 10000n, 3));
    expect(failure(ext, () => swapExactCreditForTokens([t1, t2], { asset: t1, amount: amountIn }, 20n))).toBe(
      'AssetConversion.ProvidedMinimumNotSufficientForSwap',
    );
    expect(failure(ext, () => swapCreditForExactTokens([t1, t2], { asset: t1, amount: amountIn }, 20n))).toBe(
      'AssetConversion.ProvidedMaximumNotSufficientForSwap',
    );
  });

  it('swap_credit_zero_amount: ZeroAmount for a zero credit, a zero minimum, a zero amount out', () => {
    const ext = pool12();
    const zero = { asset: t1, amount: 0n };
    const ten = { asset: t1, amount: 10n };
    expect(failure(ext, () => swapExactCreditForTokens([t1, t2], zero))).toBe('AssetConversion.ZeroAmount');
    expect(failure(ext, () => swapCreditForExactTokens([t1, t2], zero, 10n))).toBe(
      'AssetConversion.ZeroAmount',
    );
    expect(failure(ext, () => swapExactCreditForTokens([t1, t2], ten, 0n))).toBe(
      'AssetConversion.ZeroAmount',
    );
    expect(failure(ext, () => swapCreditForExactTokens([t1, t2], ten, 0n))).toBe(
      'AssetConversion.ZeroAmount',
    );
  });

  it('swap_credit_invalid_path: a credit of another asset than path[0], a path of fewer than two', () => {
    const ext = pool12();
    expect(failure(ext, () => swapExactCreditForTokens([t2, t1], { asset: t1, amount: 10n }))).toBe(
      'AssetConversion.InvalidPath',
    );
    expect(failure(ext, () => swapCreditForExactTokens([t1, t2], { asset: t2, amount: 10n }, 10n))).toBe(
      'AssetConversion.InvalidPath',
    );
    expect(failure(ext, () => swapExactCreditForTokens([t2], { asset: t1, amount: 10n }))).toBe(
      'AssetConversion.InvalidPath',
    );
    expect(failure(ext, () => swapCreditForExactTokens([], { asset: t2, amount: 10n }, 10n))).toBe(
      'AssetConversion.InvalidPath',
    );
  });

  it('a credit swap deposits SwapCreditExecuted with the balance path', () => {
    const ext = pool12();
    ext.run(() => Events.set([]));
    const out = ext.run(() => swapExactCreditForTokens([t2, t1], { asset: t2, amount: 100n }, 1n));
    expect(out).toEqual({ asset: t1, amount: 3326n });
    expect(ext.events()).toEqual([
      {
        type: 'SwapCreditExecuted',
        value: {
          amount_in: 100n,
          amount_out: 3326n,
          path: [
            [t2, 100n],
            [t1, 3326n],
          ] as Array<[Location, bigint]>,
        },
      },
    ]);
  });
});

describe('paying an exact native fee in a parachain token (xstorage)', () => {
  const payee = acc(9);
  const fee = 1000n; // the CRU fee, in native units

  it('takes what the quote said, pays the payee exactly the fee, and keeps the user alive', () => {
    const ext = pool12();
    const quote = ext.run(() => quotePriceTokensForExactTokens(t2, t1, fee, true))!;
    // get_amount_in(1000, 200, 10000) = ⌊200·1000·1000 / (9000·997)⌋ + 1 = 23
    expect(quote).toBe(23n);
    const t2Before = balance(ext, user2, t2);
    const taken = ext.run(() => swapTokensForExactTokens(user2, [t2, t1], fee, quote, payee, true));
    expect(taken).toBe(quote);
    expect(balance(ext, user2, t2)).toBe(t2Before - quote);
    expect(balance(ext, payee, t1)).toBe(fee);
  });

  it('never above the maximum: one unit less than the price is ProvidedMaximumNotSufficientForSwap, nothing changes', () => {
    const ext = pool12();
    const before = ext.snapshot();
    expect(failure(ext, () => swapTokensForExactTokens(user2, [t2, t1], fee, 22n, payee, true))).toBe(
      'AssetConversion.ProvidedMaximumNotSufficientForSwap',
    );
    expect(ext.snapshot()).toEqual(before);
  });

  it('a payer short of the token fails with its balance error and changes nothing', () => {
    const ext = pool12();
    const poor = acc(7);
    assertOk(ext, ext.dispatch('root', forceSetBalance(poor, 1000n)));
    assertOk(ext, ext.dispatch(user, mint(t2, poor, 5n)));
    const before = ext.snapshot();
    expect(failure(ext, () => swapTokensForExactTokens(poor, [t2, t1], fee, 1000n, payee, true))).toBe(
      'Token.NotExpendable',
    );
    expect(failure(ext, () => swapTokensForExactTokens(poor, [t2, t1], fee, 1000n, payee, false))).toBe(
      'ForeignAssets.BalanceLow',
    );
    expect(ext.snapshot()).toEqual(before);
  });

  it('a fee below the payee’s existential deposit cannot be placed: BelowMinimum, nothing changes', () => {
    const ext = pool12();
    const before = ext.snapshot();
    expect(failure(ext, () => swapTokensForExactTokens(user2, [t2, t1], ED - 1n, 100n, payee, true))).toBe(
      'AssetConversion.BelowMinimum',
    );
    expect(ext.snapshot()).toEqual(before);
  });
});
