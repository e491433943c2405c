/**
 * pallet-asset-conversion's own tests (polkadot-sdk substrate/frame/asset-conversion/src/tests.rs, the version with
 * `NativeOrWithId` and `Box<AssetKind>` calls; `can_not_swap_in_pool_with_no_liquidity_added_yet` as updated by
 * polkadot-sdk PR #11798 to expect `PoolEmpty`), replayed in the same mock (mock.ts): same calls in the same order,
 * the same expected LP amounts, reserves, balances, events and errors. The numbers are polkadot-sdk's; where the Rust
 * test computes an expectation with `get_amount_out`/`get_amount_in`, the value is written out here (from the
 * formula in lib.rs) so a wrong implementation cannot agree with itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  NextPoolAssetId,
  quotePriceExactTokensForTokens,
  quotePriceTokensForExactTokens,
} from '../../../src/pallets/asset-conversion/index.ts';
import { getAmountIn } from '../../../src/pallets/asset-conversion/math.ts';
import {
  assertNoop,
  assertOk,
  balance,
  createTokens,
  foreignAssetIds,
  nextPoolAssetId,
  poolAccount,
  poolAssetIds,
  poolBalance,
  pools,
} from './helpers.ts';
import {
  ASSET_CONVERSION_ORIGIN,
  acc,
  addLiquidity,
  ConversionExt,
  createPool,
  forceSetBalance,
  mint,
  NATIVE,
  ready,
  removeLiquidity,
  swapExactTokensForTokens,
  swapTokensForExactTokens,
  token,
  transferAsset,
} from './mock.ts';

beforeAll(() => ready);

const ED = 100n;
const user = acc(1);
const user2 = acc(2);
const t1 = NATIVE;
const t2 = token(2);
const t3 = token(3);

/** A fresh mock with the pool (t1, t2) created by `user`, `user` holding `native` and 1000 of t2. */
function withPool(native: bigint, assets = 1000n, creator = user): ConversionExt {
  const ext = new ConversionExt();
  createTokens(ext, creator, [t2]);
  assertOk(ext, ext.dispatch(creator, createPool(t1, t2)));
  assertOk(ext, ext.dispatch('root', forceSetBalance(user, native)));
  assertOk(ext, ext.dispatch(creator, mint(t2, user, assets)));
  return ext;
}

describe('pools', () => {
  it('can_create_pool: charges the setup fee and the touched account deposit, mints no LP token yet', () => {
    const ext = new ConversionExt();
    const poolId = [t1, t2];
    createTokens(ext, user, [t2]);
    const lpToken = nextPoolAssetId(ext);
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 1000n)));
    ext.events();
    assertOk(ext, ext.dispatch(user, createPool(t2, t1)));

    // 1000 - (PoolSetupFee 100 + AssetAccountDeposit 10)
    expect(balance(ext, user, t1)).toBe(890n);
    expect(balance(ext, ASSET_CONVERSION_ORIGIN, t1)).toBe(100n);
    expect(nextPoolAssetId(ext)).toBe(lpToken + 1);
    expect(ext.events()).toEqual([
      {
        type: 'PoolCreated',
        value: { creator: user, pool_id: poolId, pool_account: poolAccount(ext, t1, t2), lp_token: lpToken },
      },
    ]);
    expect(pools(ext)).toEqual([poolId]);
    expect(foreignAssetIds(ext)).toEqual([t2]);
    expect(poolAssetIds(ext)).toEqual([lpToken]);

    assertNoop(ext, user, createPool(t1, t1), 'AssetConversion.InvalidAssetPair');
    assertNoop(ext, user, createPool(t2, t2), 'AssetConversion.InvalidAssetPair');

    // A pool of two foreign tokens (the mock's locator falls back to `Ascending`).
    createTokens(ext, user, [token(1)]);
    assertOk(ext, ext.dispatch(user, createPool(token(1), t2)));
  });

  it('create_same_pool_twice_should_fail (either order), spending no LP token id', () => {
    const ext = new ConversionExt();
    createTokens(ext, user, [t2]);
    const lpToken = nextPoolAssetId(ext);
    assertOk(ext, ext.dispatch(user, createPool(t2, t1)));
    expect(nextPoolAssetId(ext)).toBe(lpToken + 1);
    assertNoop(ext, user, createPool(t2, t1), 'AssetConversion.PoolExists');
    assertNoop(ext, user, createPool(t1, t2), 'AssetConversion.PoolExists');
    expect(nextPoolAssetId(ext)).toBe(lpToken + 1);
  });

  it('different_pools_should_have_different_lp_tokens', () => {
    const ext = new ConversionExt();
    createTokens(ext, user, [t2, t3]);
    ext.events();
    const lp21 = nextPoolAssetId(ext);
    assertOk(ext, ext.dispatch(user, createPool(t2, t1)));
    const lp31 = nextPoolAssetId(ext);
    expect(ext.events()).toEqual([
      {
        type: 'PoolCreated',
        value: { creator: user, pool_id: [t1, t2], pool_account: poolAccount(ext, t1, t2), lp_token: lp21 },
      },
    ]);
    assertOk(ext, ext.dispatch(user, createPool(t3, t1)));
    expect(ext.events()).toEqual([
      {
        type: 'PoolCreated',
        value: { creator: user, pool_id: [t1, t3], pool_account: poolAccount(ext, t1, t3), lp_token: lp31 },
      },
    ]);
    expect(lp21).not.toBe(lp31);
  });

  it('cannot_block_pool_creation: dust and 15 junk tokens sent to the future pool account do not stop it', () => {
    const ext = new ConversionExt();
    const attacker = user2;
    assertOk(ext, ext.dispatch('root', forceSetBalance(attacker, 10000n + ED)));
    const pool = poolAccount(ext, t1, t2);
    assertOk(
      ext,
      ext.dispatch(attacker, {
        type: 'Balances',
        value: { type: 'transfer_allow_death', value: { dest: { type: 'Id', value: pool }, value: ED } },
      }),
    );
    for (let i = 10; i < 25; i++) {
      createTokens(ext, attacker, [token(i)]);
      assertOk(ext, ext.dispatch(attacker, mint(token(i), attacker, 1000n)));
      assertOk(ext, ext.dispatch(attacker, transferAsset(token(i), pool, 1n)));
    }
    createTokens(ext, user, [t2]);
    assertOk(ext, ext.dispatch(user, createPool(t1, t2)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 10000n + ED)));
    assertOk(ext, ext.dispatch(user, mint(t2, user, 10000n)));
    assertOk(ext, ext.dispatch(user, transferAsset(t2, pool, 1n)));
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 100n, 10000n, 10n, user)));
  });
});

describe('liquidity', () => {
  it('can_add_liquidity: 10000 + 10 mints √100000 − 100 = 216 LP tokens, in either argument order', () => {
    const ext = new ConversionExt();
    createTokens(ext, user, [t2, t3]);
    const lp1 = nextPoolAssetId(ext);
    assertOk(ext, ext.dispatch(user, createPool(t1, t2)));
    const lp2 = nextPoolAssetId(ext);
    assertOk(ext, ext.dispatch(user, createPool(t1, t3)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 10000n * 2n + ED)));
    assertOk(ext, ext.dispatch(user, mint(t2, user, 1000n)));
    assertOk(ext, ext.dispatch(user, mint(t3, user, 1000n)));
    ext.events();

    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 10n, 10000n, 10n, user)));
    expect(ext.events()).toContainEqual({
      type: 'LiquidityAdded',
      value: {
        who: user,
        mint_to: user,
        pool_id: [t1, t2],
        amount1_provided: 10000n,
        amount2_provided: 10n,
        lp_token: lp1,
        lp_token_minted: 216n,
      },
    });
    const pool12 = poolAccount(ext, t1, t2);
    expect(balance(ext, pool12, t1)).toBe(10000n);
    expect(balance(ext, pool12, t2)).toBe(10n);
    expect(balance(ext, user, t1)).toBe(10000n + ED);
    expect(balance(ext, user, t2)).toBe(1000n - 10n);
    expect(poolBalance(ext, user, lp1)).toBe(216n);
    expect(poolBalance(ext, pool12, lp1)).toBe(100n); // MintMinLiquidity, locked in the pool

    assertOk(ext, ext.dispatch(user, addLiquidity(t3, t1, 10n, 10000n, 10n, 10000n, user)));
    expect(ext.events()).toContainEqual({
      type: 'LiquidityAdded',
      value: {
        who: user,
        mint_to: user,
        pool_id: [t1, t3],
        amount1_provided: 10n,
        amount2_provided: 10000n,
        lp_token: lp2,
        lp_token_minted: 216n,
      },
    });
    const pool13 = poolAccount(ext, t1, t3);
    expect(balance(ext, pool13, t1)).toBe(10000n);
    expect(balance(ext, pool13, t3)).toBe(10n);
    expect(balance(ext, user, t1)).toBe(ED);
    expect(balance(ext, user, t3)).toBe(1000n - 10n);
    expect(poolBalance(ext, user, lp2)).toBe(216n);
  });

  it('add_tiny_liquidity_leads_to_insufficient_liquidity_minted_error', () => {
    const ext = withPool(1000n);
    assertNoop(
      ext,
      user,
      addLiquidity(t1, t2, 1n, 1n, 1n, 1n, user),
      'AssetConversion.AmountOneLessThanMinimal',
    );
    assertNoop(
      ext,
      user,
      addLiquidity(t1, t2, ED, 1n, 1n, 1n, user),
      'AssetConversion.InsufficientLiquidityMinted',
    );
  });

  it('add_tiny_liquidity_directly_to_pool_address: balances sent to the pool before the first deposit', () => {
    const ext = new ConversionExt();
    createTokens(ext, user, [t2, t3]);
    assertOk(ext, ext.dispatch(user, createPool(t1, t2)));
    assertOk(ext, ext.dispatch(user, createPool(t1, t3)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 10000n * 2n + ED)));
    assertOk(ext, ext.dispatch(user, mint(t2, user, 1000n)));
    assertOk(ext, ext.dispatch(user, mint(t3, user, 1000n)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(poolAccount(ext, t1, t2), 1000n)));
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 10n, 10000n, 10n, user)));
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t3, 10000n, 10n, 10000n, 10n, user)));
  });

  it('can_remove_liquidity with a 10% LiquidityWithdrawalFee: 899991000 and 89999 back, the fee stays in the pool', () => {
    const ext = new ConversionExt({ liquidityWithdrawalFee: 100_000 });
    createTokens(ext, user, [t2]);
    const lpToken = nextPoolAssetId(ext);
    assertOk(ext, ext.dispatch(user, createPool(t1, t2)));
    const edT2 = 1n;
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 10000000000n + ED)));
    assertOk(ext, ext.dispatch(user, mint(t2, user, 100000n + edT2)));
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 1000000000n, 100000n, 1000000000n, 100000n, user)));
    const totalLpReceived = poolBalance(ext, user, lpToken);
    expect(totalLpReceived).toBe(9999900n); // √(10^9 · 10^5) − 100
    ext.events();

    assertOk(ext, ext.dispatch(user, removeLiquidity(t1, t2, totalLpReceived, 0n, 0n, user)));
    expect(ext.events()).toContainEqual({
      type: 'LiquidityRemoved',
      value: {
        who: user,
        withdraw_to: user,
        pool_id: [t1, t2],
        amount1: 899991000n,
        amount2: 89999n,
        lp_token: lpToken,
        lp_token_burned: totalLpReceived,
        withdrawal_fee: 100_000,
      },
    });
    const pool = poolAccount(ext, t1, t2);
    expect(balance(ext, pool, t1)).toBe(100009000n);
    expect(balance(ext, pool, t2)).toBe(10001n);
    expect(poolBalance(ext, pool, lpToken)).toBe(100n);
    expect(balance(ext, user, t1)).toBe(10000000000n - 1000000000n + 899991000n + ED);
    expect(balance(ext, user, t2)).toBe(89999n + edT2);
    expect(poolBalance(ext, user, lpToken)).toBe(0n);
  });

  it('can_not_redeem_more_lp_tokens_than_were_minted: Token(FundsUnavailable), nothing changes', () => {
    const ext = withPool(10000n + ED);
    const lpToken = ext.run(() => (NextPoolAssetId.get() ?? 1) - 1);
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 10n, 10000n, 10n, user)));
    expect(poolBalance(ext, user, lpToken)).toBe(216n);
    assertNoop(ext, user, removeLiquidity(t1, t2, 216n + 1n, 0n, 0n, user), 'Token.FundsUnavailable');
  });

  it('a provider who is not the pool creator gets 1314 LP tokens for 10000 + 200 and can redeem them', () => {
    const ext = new ConversionExt();
    createTokens(ext, user2, [t2]);
    const lpToken = nextPoolAssetId(ext);
    assertOk(ext, ext.dispatch(user2, createPool(t1, t2)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 10000n + ED)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user2, 10000n + ED)));
    assertOk(ext, ext.dispatch(user2, mint(t2, user2, 1000n)));
    const pool = poolAccount(ext, t1, t2);
    const total = (a: typeof t1) => balance(ext, pool, a) + balance(ext, user, a) + balance(ext, user2, a);
    const before1 = total(t1);
    const before2 = total(t2);

    assertOk(ext, ext.dispatch(user2, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user2)));
    expect(balance(ext, user, t1)).toBe(10000n + ED);
    expect(balance(ext, user, t2)).toBe(0n);

    // get_amount_in(50, 10000, 200) = ⌊10000·50·1000 / (150·997)⌋ + 1 = 3344
    const expectIn = 3344n;
    assertOk(ext, ext.dispatch(user, swapTokensForExactTokens([t1, t2], 50n, 3500n, user, true)));
    expect(balance(ext, user, t1)).toBe(10000n + ED - expectIn);
    expect(balance(ext, pool, t1)).toBe(10000n + expectIn);
    expect(balance(ext, user, t2)).toBe(50n);
    expect(balance(ext, pool, t2)).toBe(200n - 50n);
    expect(total(t1)).toBe(before1);
    expect(total(t2)).toBe(before2);

    expect(poolBalance(ext, user2, lpToken)).toBe(1314n); // √(10000 · 200) − 100
    assertOk(ext, ext.dispatch(user2, removeLiquidity(t1, t2, 1314n, 0n, 0n, user2)));
  });
});

describe('quotes', () => {
  function quotingPool(): ConversionExt {
    const ext = withPool(100000n);
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user)));
    return ext;
  }

  it('can_quote_price: 60/46, 3000/2302, 3000/4299, 60/86, and fee-less round trips', () => {
    const ext = quotingPool();
    const exact = quotePriceExactTokensForTokens;
    const forExact = quotePriceTokensForExactTokens;
    ext.run(() => {
      for (let i = 0; i < 2; i++) {
        // (A second time: a quote must not have exchanged anything.)
        expect(exact(t1, t2, 3000n, false)).toBe(60n);
        expect(exact(t1, t2, 3000n, true)).toBe(46n);
      }
      expect(exact(t2, t1, 60n, false)).toBe(3000n);
      expect(exact(t2, t1, 60n, true)).toBe(2302n);
      for (let i = 0; i < 2; i++) {
        expect(forExact(t1, t2, 60n, false)).toBe(3000n);
        expect(forExact(t1, t2, 60n, true)).toBe(4299n);
      }
      expect(forExact(t2, t1, 3000n, false)).toBe(60n);
      expect(forExact(t2, t1, 3000n, true)).toBe(86n);
      const amountIn = 100n;
      expect(exact(t1, t2, exact(t2, t1, amountIn, false)!, false)).toBe(amountIn);
      expect(exact(t2, t1, exact(t1, t2, amountIn, false)!, false)).toBe(amountIn);
      expect(forExact(t1, t2, forExact(t2, t1, amountIn, false)!, false)).toBe(amountIn);
      expect(forExact(t2, t1, forExact(t1, t2, amountIn, false)!, false)).toBe(amountIn);
    });
  });

  it('quote_price_exact_tokens_for_tokens_matches_execution: 1 of t2 quotes and buys 49', () => {
    const ext = quotingPool();
    expect(ext.run(() => quotePriceExactTokensForTokens(t2, t1, 1n, true))).toBe(49n);
    assertOk(ext, ext.dispatch(user, mint(t2, user2, 1n)));
    expect(balance(ext, user2, t1)).toBe(20000n);
    assertOk(ext, ext.dispatch(user2, swapExactTokensForTokens([t2, t1], 1n, 1n, user2, false)));
    expect(balance(ext, user2, t1)).toBe(20000n + 49n);
  });

  it('quote_price_tokens_for_exact_tokens_matches_execution: 49 of the native token cost 1 of t2', () => {
    const ext = quotingPool();
    expect(ext.run(() => quotePriceTokensForExactTokens(t2, t1, 49n, true))).toBe(1n);
    assertOk(ext, ext.dispatch(user, mint(t2, user2, 49n)));
    assertOk(ext, ext.dispatch(user2, swapTokensForExactTokens([t2, t1], 49n, 1n, user2, false)));
    expect(balance(ext, user2, t1)).toBe(20000n + 49n);
    expect(balance(ext, user2, t2)).toBe(49n - 1n);
  });
});

describe('swaps', () => {
  function liquidPool(native = 10000n + ED): ConversionExt {
    const ext = withPool(native);
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user)));
    return ext;
  }

  it('can_swap_with_native: 100 of t2 buy get_amount_out(100, 200, 10000) = 3326', () => {
    const ext = liquidPool();
    assertOk(ext, ext.dispatch(user, swapExactTokensForTokens([t2, t1], 100n, 1n, user, false)));
    const pool = poolAccount(ext, t1, t2);
    expect(balance(ext, user, t1)).toBe(3326n + ED);
    expect(balance(ext, user, t2)).toBe(1000n - 200n - 100n);
    expect(balance(ext, pool, t1)).toBe(10000n - 3326n);
    expect(balance(ext, pool, t2)).toBe(200n + 100n);
  });

  it('can_swap_with_realistic_values: 10 USD buy 1_993_980_120 (≈ 2 DOT at 5 $)', () => {
    const UNIT = 1_000_000_000n;
    const ext = withPool(300_000n * UNIT, 1_100_000n * UNIT);
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 200_000n * UNIT, 1_000_000n * UNIT, 1n, 1n, user)));
    ext.events();
    assertOk(ext, ext.dispatch(user, swapExactTokensForTokens([t2, t1], 10n * UNIT, 1n, user, false)));
    expect(ext.events()).toContainEqual({
      type: 'SwapExecuted',
      value: {
        who: user,
        send_to: user,
        amount_in: 10n * UNIT,
        amount_out: 1_993_980_120n,
        path: [
          [t2, 10n * UNIT],
          [t1, 1_993_980_120n],
        ],
      },
    });
  });

  it('can_not_swap_in_pool_with_no_liquidity_added_yet: PoolEmpty', () => {
    const ext = withPool(10000n);
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, t1], 10n, 1n, user, false),
      'AssetConversion.PoolEmpty',
    );
  });

  it('check_no_panic_when_try_swap_close_to_empty_pool: 708/15 left, reserves never below ED, 10625 for the last 99', () => {
    const ext = liquidPool();
    const lpToken = ext.run(() => NextPoolAssetId.get()! - 1);
    const minted = poolBalance(ext, user, lpToken);
    const pool = poolAccount(ext, t1, t2);
    assertOk(ext, ext.dispatch(user, removeLiquidity(t1, t2, minted, 1n, 1n, user)));
    expect(balance(ext, pool, t1)).toBe(708n);
    expect(balance(ext, pool, t2)).toBe(15n);

    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t2, t1], 708n - ED + 1n, 500n, user, false),
      'Token.NotExpendable',
    );
    assertOk(ext, ext.dispatch(user, swapTokensForExactTokens([t2, t1], 608n, 500n, user, false)));
    const left1 = balance(ext, pool, t1);
    const left2 = balance(ext, pool, t2);
    expect(left1).toBe(708n - 608n);
    expect(left2).toBe(15n + 92n); // get_amount_in(608, 15, 708) = 92

    // The price for the last tokens is very high: get_amount_in(99, 107, 100) = 10625.
    expect(getAmountIn(left1 - 1n, left2, left1, 3)).toBe(10625n);
    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t2, t1], left1 - 1n, 1000n, user, false),
      'AssetConversion.ProvidedMaximumNotSufficientForSwap',
    );
    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t2, t1], left1, 1000n, user, false),
      'AssetConversion.AmountOutTooHigh',
    );
  });

  it('swap_should_not_work_if_too_much_slippage: ProvidedMinimumNotSufficientForSwap, nothing changes', () => {
    const ext = liquidPool();
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, t1], 100n, 4000n, user, false),
      'AssetConversion.ProvidedMinimumNotSufficientForSwap',
    );
  });

  it('can_swap_tokens_for_exact_tokens: exactly 50 out for 3344 in, totals preserved', () => {
    const ext = withPool(20000n + ED);
    const pool = poolAccount(ext, t1, t2);
    const before1 = balance(ext, pool, t1) + balance(ext, user, t1);
    const before2 = balance(ext, pool, t2) + balance(ext, user, t2);
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user)));
    assertOk(ext, ext.dispatch(user, swapTokensForExactTokens([t1, t2], 50n, 3500n, user, true)));
    expect(balance(ext, user, t1)).toBe(10000n + ED - 3344n);
    expect(balance(ext, user, t2)).toBe(1000n - 200n + 50n);
    expect(balance(ext, pool, t1)).toBe(10000n + 3344n);
    expect(balance(ext, pool, t2)).toBe(200n - 50n);
    expect(balance(ext, pool, t1) + balance(ext, user, t1)).toBe(before1);
    expect(balance(ext, pool, t2) + balance(ext, user, t2)).toBe(before2);
  });

  it('swap_tokens_for_exact_tokens_should_not_work_if_too_much_slippage: 1 out needs 51 in, max 50', () => {
    const ext = withPool(20000n + ED);
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user)));
    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t1, t2], 1n, 50n, user, true),
      'AssetConversion.ProvidedMaximumNotSufficientForSwap',
    );
  });

  it('swap_when_existential_deposit_would_cause_reaping_but_keep_alive_set: Token(NotExpendable) four ways', () => {
    const ext = new ConversionExt();
    createTokens(ext, user2, [t2]);
    assertOk(ext, ext.dispatch(user2, createPool(t1, t2)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 101n)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user2, 10000n + ED)));
    assertOk(ext, ext.dispatch(user2, mint(t2, user2, 1000n)));
    assertOk(ext, ext.dispatch(user2, mint(t2, user, 2n)));
    assertOk(ext, ext.dispatch(user2, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user2)));
    assertNoop(ext, user, swapTokensForExactTokens([t1, t2], 1n, 101n, user, true), 'Token.NotExpendable');
    assertNoop(ext, user, swapExactTokensForTokens([t1, t2], 51n, 1n, user, true), 'Token.NotExpendable');
    assertNoop(ext, user, swapTokensForExactTokens([t2, t1], 51n, 2n, user, true), 'Token.NotExpendable');
    assertNoop(ext, user, swapExactTokensForTokens([t2, t1], 2n, 1n, user, true), 'Token.NotExpendable');
  });

  it('swap_when_existential_deposit_would_cause_reaping_pool_account: pools, first or mid-path, stay alive', () => {
    const ext = new ConversionExt();
    const edAssets = 100n;
    createTokens(ext, user2, [t2, t3], edAssets);
    assertOk(ext, ext.dispatch(user2, createPool(t1, t2)));
    assertOk(ext, ext.dispatch(user2, createPool(t1, t3)));
    assertOk(ext, ext.dispatch(user2, createPool(t2, t3)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 20000n + ED)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user2, 20000n + ED)));
    assertOk(ext, ext.dispatch(user2, mint(t2, user2, 400n + edAssets)));
    assertOk(ext, ext.dispatch(user2, mint(t3, user2, 20000n + edAssets)));
    assertOk(ext, ext.dispatch(user2, mint(t2, user, 400n + edAssets)));
    assertOk(ext, ext.dispatch(user2, mint(t3, user, 20000n + edAssets)));
    assertOk(ext, ext.dispatch(user2, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user2)));
    assertOk(ext, ext.dispatch(user2, addLiquidity(t1, t3, 200n, 10000n, 1n, 1n, user2)));
    assertOk(ext, ext.dispatch(user2, addLiquidity(t2, t3, 200n, 10000n, 1n, 1n, user2)));

    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t1, t2], 110n, 20000n, user, true),
      'Token.NotExpendable',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t1, t2], 15000n, 110n, user, true),
      'Token.NotExpendable',
    );
    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t3, t1], 110n, 20000n, user, true),
      'Token.NotExpendable',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t3, t1], 15000n, 110n, user, true),
      'Token.NotExpendable',
    );
    // balance_path_from_amount_out(110, [t3, t1]) and ([t1, t2]) both start with 12259
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t3, t1, t2], 12259n, 1n, user, true),
      'Token.NotExpendable',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t1, t2, t3], 12259n, 1n, user, true),
      'Token.NotExpendable',
    );
  });

  function twoHops(): ConversionExt {
    const ext = new ConversionExt();
    createTokens(ext, user, [t2, t3]);
    assertOk(ext, ext.dispatch(user, createPool(t1, t2)));
    assertOk(ext, ext.dispatch(user, createPool(t2, t3)));
    assertOk(ext, ext.dispatch('root', forceSetBalance(user, 10000n * 2n + ED)));
    assertOk(ext, ext.dispatch(user, mint(t2, user, 10000n)));
    assertOk(ext, ext.dispatch(user, mint(t3, user, 10000n)));
    assertOk(ext, ext.dispatch(user, addLiquidity(t1, t2, 10000n, 200n, 1n, 1n, user)));
    assertOk(ext, ext.dispatch(user, addLiquidity(t2, t3, 200n, 2000n, 1n, 1n, user)));
    return ext;
  }

  it('swap_exact_tokens_for_tokens_in_multi_hops: 500 native → 9 of t2 → 85 of t3', () => {
    const ext = twoHops();
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t1], 500n, 80n, user, true),
      'AssetConversion.InvalidPath',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t1, t2, t3, t2], 500n, 80n, user, true),
      'AssetConversion.NonUniquePath',
    );
    ext.events();
    assertOk(ext, ext.dispatch(user, swapExactTokensForTokens([t1, t2, t3], 500n, 80n, user, true)));
    // get_amount_out(500, 10000, 200) = 9; get_amount_out(9, 200, 2000) = 85
    const out2 = 9n;
    const out3 = 85n;
    const pool1 = poolAccount(ext, t1, t2);
    const pool2 = poolAccount(ext, t2, t3);
    expect(balance(ext, user, t1)).toBe(10000n + ED - 500n);
    expect(balance(ext, pool1, t1)).toBe(10000n + 500n);
    expect(balance(ext, pool1, t2)).toBe(200n - out2);
    expect(balance(ext, pool2, t2)).toBe(200n + out2);
    expect(balance(ext, pool2, t3)).toBe(2000n - out3);
    expect(balance(ext, user, t3)).toBe(10000n - 2000n + out3);
    expect(ext.events()).toContainEqual({
      type: 'SwapExecuted',
      value: {
        who: user,
        send_to: user,
        amount_in: 500n,
        amount_out: out3,
        path: [
          [t1, 500n],
          [t2, out2],
          [t3, out3],
        ],
      },
    });
  });

  it('swap_tokens_for_exact_tokens_in_multi_hops: exactly 100 of t3 for 584 native through t2', () => {
    const ext = twoHops();
    assertOk(ext, ext.dispatch(user, swapTokensForExactTokens([t1, t2, t3], 100n, 1000n, user, true)));
    // get_amount_in(100, 200, 2000) = 11; get_amount_in(11, 10000, 200) = 584
    const in2 = 11n;
    const in1 = 584n;
    const pool1 = poolAccount(ext, t1, t2);
    const pool2 = poolAccount(ext, t2, t3);
    expect(balance(ext, user, t1)).toBe(10000n + ED - in1);
    expect(balance(ext, pool1, t1)).toBe(10000n + in1);
    expect(balance(ext, pool1, t2)).toBe(200n - in2);
    expect(balance(ext, pool2, t2)).toBe(200n + in2);
    expect(balance(ext, pool2, t3)).toBe(2000n - 100n);
    expect(balance(ext, user, t3)).toBe(10000n - 2000n + 100n);
  });

  it('can_not_swap_same_asset: InvalidAssetPair', () => {
    const ext = new ConversionExt();
    createTokens(ext, user, [token(1)]);
    assertOk(ext, ext.dispatch(user, mint(token(1), user, 1000n)));
    assertNoop(
      ext,
      user,
      addLiquidity(token(1), token(1), 1000n, 20n, 1n, 1n, user),
      'AssetConversion.InvalidAssetPair',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([token(1), token(1)], 10n, 1n, user, true),
      'AssetConversion.InvalidAssetPair',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t1, t1], 10n, 1n, user, true),
      'AssetConversion.InvalidAssetPair',
    );
  });
});
