/**
 * Hostile and mistaken input: identical assets, empty, short, long and repeating paths, zero and u128-sized amounts,
 * pools that do not exist or cannot exist, unknown assets, an exhausted LP token id space, call bytes that do not
 * decode, and entry-point amounts no u128 can hold. Each ends in polkadot-sdk's error for the case (or a
 * `ScaleDecodeError` for bytes), and nothing changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DispatchFailure } from '../../../src/frame/dispatch-error.ts';
import {
  NextPoolAssetId,
  quotePriceExactTokensForTokens,
  swapTokensForExactTokens as swapExactOut,
} from '../../../src/pallets/asset-conversion/index.ts';
import { ScaleDecodeError } from '../../../src/scale/errors.ts';
import { assertNoop, assertOk, createTokens, errorName } from './helpers.ts';
import {
  acc,
  addLiquidity,
  ConversionExt,
  createPool,
  forceSetBalance,
  INDEX,
  mint,
  NATIVE,
  ready,
  removeLiquidity,
  swapExactTokensForTokens,
  swapTokensForExactTokens,
  token,
  touch,
} from './mock.ts';

beforeAll(() => ready);

const U128_MAX = (1n << 128n) - 1n;
const user = acc(1);
const t2 = token(2);
const t3 = token(3);
const t4 = token(4);

/** A pool (native, t2) with 10000 + 200, `user` holding 10^9 native and 10^6 of t2 and t3. */
function liquid(config = {}): ConversionExt {
  const ext = new ConversionExt(config);
  createTokens(ext, user, [t2, t3]);
  assertOk(ext, ext.dispatch(user, createPool(NATIVE, t2)));
  assertOk(ext, ext.dispatch('root', forceSetBalance(user, 10n ** 9n)));
  assertOk(ext, ext.dispatch(user, mint(t2, user, 10n ** 6n)));
  assertOk(ext, ext.dispatch(user, mint(t3, user, 10n ** 6n)));
  assertOk(ext, ext.dispatch(user, addLiquidity(NATIVE, t2, 10000n, 200n, 1n, 1n, user)));
  return ext;
}

describe('asset pairs', () => {
  it('identical assets are InvalidAssetPair for every call', () => {
    const ext = liquid();
    for (const a of [NATIVE, t2]) {
      assertNoop(ext, user, createPool(a, a), 'AssetConversion.InvalidAssetPair');
      assertNoop(ext, user, addLiquidity(a, a, 10n, 10n, 1n, 1n, user), 'AssetConversion.InvalidAssetPair');
      assertNoop(ext, user, removeLiquidity(a, a, 10n, 1n, 1n, user), 'AssetConversion.InvalidAssetPair');
      assertNoop(ext, user, touch(a, a), 'AssetConversion.InvalidAssetPair');
      assertNoop(
        ext,
        user,
        swapExactTokensForTokens([a, a], 10n, 1n, user, true),
        'AssetConversion.InvalidAssetPair',
      );
      assertNoop(
        ext,
        user,
        swapTokensForExactTokens([a, a], 10n, 9n, user, true),
        'AssetConversion.InvalidAssetPair',
      );
    }
  });

  it('with Asset Hub’s locator every pool holds the native token: two foreign tokens are InvalidAssetPair', () => {
    const ext = liquid({ poolLocator: 'WithFirstAsset' });
    assertNoop(ext, user, createPool(t2, t3), 'AssetConversion.InvalidAssetPair');
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, t3], 10n, 1n, user, true),
      'AssetConversion.InvalidAssetPair',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([NATIVE, t2, t3], 10n, 1n, user, true),
      'AssetConversion.InvalidAssetPair',
    );
  });

  it('a pool never created: PoolNotFound to add, remove or touch; PoolEmpty to swap through', () => {
    const ext = liquid();
    assertNoop(
      ext,
      user,
      addLiquidity(NATIVE, t3, 10000n, 100n, 1n, 1n, user),
      'AssetConversion.PoolNotFound',
    );
    assertNoop(ext, user, removeLiquidity(NATIVE, t3, 10n, 1n, 1n, user), 'AssetConversion.PoolNotFound');
    assertNoop(ext, user, touch(NATIVE, t3), 'AssetConversion.PoolNotFound');
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t3, NATIVE], 10n, 1n, user, true),
      'AssetConversion.PoolEmpty',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, NATIVE, t3], 10n, 1n, user, true),
      'AssetConversion.PoolEmpty',
    );
    expect(ext.run(() => quotePriceExactTokensForTokens(NATIVE, t3, 10n, true))).toBeUndefined();
  });

  it('a pool of an asset that does not exist cannot be created (the pool account cannot hold it)', () => {
    const ext = liquid();
    assertNoop(ext, user, createPool(NATIVE, t4), 'ForeignAssets.Unknown');
  });

  it('touch on a pool whose accounts are in place changes nothing but its event', () => {
    const ext = liquid();
    ext.events();
    const outcome = ext.dispatch(user, touch(t2, NATIVE));
    assertOk(ext, outcome);
    expect(ext.events()).toEqual([{ type: 'Touched', value: { pool_id: [NATIVE, t2], who: user } }]);
    // touch(0): none of the three accounts needed a deposit, and the caller pays for that weight only.
    expect(outcome.ok && outcome.postInfo.actualWeight?.refTime).toBeLessThan(
      ext.chain.runtime.callInfo(touch(t2, NATIVE)).weight.refTime,
    );
  });

  it('a creator who cannot pay the setup fee and stay alive: Token(NotExpendable)', () => {
    const ext = liquid();
    const poor = acc(8);
    assertOk(ext, ext.dispatch('root', forceSetBalance(poor, 150n)));
    assertNoop(ext, poor, createPool(NATIVE, t3), 'Token.NotExpendable');
  });

  it('no LP token id left: IncorrectPoolAssetId', () => {
    const ext = liquid();
    ext.run(() => NextPoolAssetId.set(0xffff_ffff));
    assertNoop(ext, user, createPool(NATIVE, t3), 'AssetConversion.IncorrectPoolAssetId');
  });
});

describe('paths', () => {
  it('empty, single, too long and repeating paths', () => {
    const ext = liquid();
    assertOk(ext, ext.dispatch(user, createPool(NATIVE, t3)));
    assertOk(ext, ext.dispatch(user, addLiquidity(NATIVE, t3, 10000n, 200n, 1n, 1n, user)));
    for (const path of [[], [NATIVE], [NATIVE, t2, NATIVE, t3, NATIVE]]) {
      assertNoop(
        ext,
        user,
        swapExactTokensForTokens(path, 10n, 1n, user, true),
        'AssetConversion.InvalidPath',
      );
      assertNoop(
        ext,
        user,
        swapTokensForExactTokens(path, 1n, 100n, user, true),
        'AssetConversion.InvalidPath',
      );
    }
    // The same pool twice: t2 → native → t2.
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, NATIVE, t2], 10n, 1n, user, true),
      'AssetConversion.NonUniquePath',
    );
    // Through two pools: t2 → native → t3 works.
    assertOk(ext, ext.dispatch(user, swapExactTokensForTokens([t2, NATIVE, t3], 10n, 1n, user, true)));
  });
});

describe('amounts', () => {
  it('zero amounts and zero limits', () => {
    const ext = liquid();
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, NATIVE], 0n, 1n, user, true),
      'AssetConversion.ZeroAmount',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, NATIVE], 10n, 0n, user, true),
      'AssetConversion.ZeroAmount',
    );
    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t2, NATIVE], 0n, 10n, user, true),
      'AssetConversion.ZeroAmount',
    );
    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t2, NATIVE], 10n, 0n, user, true),
      'AssetConversion.ZeroAmount',
    );
    assertNoop(
      ext,
      user,
      addLiquidity(NATIVE, t2, 0n, 10n, 0n, 0n, user),
      'AssetConversion.WrongDesiredAmount',
    );
    assertNoop(
      ext,
      user,
      addLiquidity(NATIVE, t2, 10n, 0n, 0n, 0n, user),
      'AssetConversion.WrongDesiredAmount',
    );
    assertNoop(ext, user, removeLiquidity(NATIVE, t2, 0n, 0n, 0n, user), 'AssetConversion.ZeroLiquidity');
  });

  it('u128::MAX amounts: more than anyone holds, more than the pool holds, or past the u128 range', () => {
    const ext = liquid();
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, NATIVE], U128_MAX, 1n, user, true),
      'Token.NotExpendable',
    );
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, NATIVE], U128_MAX, 1n, user, false),
      'ForeignAssets.BalanceLow',
    );
    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([t2, NATIVE], U128_MAX, U128_MAX, user, true),
      'AssetConversion.AmountOutTooHigh',
    );
    // 199 of the pool's 200 t2 cost ⌊10000·199·1000 / 997⌋ + 1 = 1_995_988 native: far above a maximum of 1.
    assertNoop(
      ext,
      user,
      swapTokensForExactTokens([NATIVE, t2], 199n, 1n, user, true),
      'AssetConversion.ProvidedMaximumNotSufficientForSwap',
    );
    // quote(u128::MAX, 200, 10000) = u128::MAX · 50: past u128.
    assertNoop(
      ext,
      user,
      addLiquidity(t2, NATIVE, U128_MAX, U128_MAX, 1n, 1n, user),
      'AssetConversion.Overflow',
    );
    // quote(u128::MAX, 10000, 200) fits, but it is more than the whole issuance (pallet-balances' can_withdraw).
    assertNoop(ext, user, addLiquidity(NATIVE, t2, U128_MAX, U128_MAX, 1n, 1n, user), 'Arithmetic.Underflow');
    assertNoop(ext, user, removeLiquidity(NATIVE, t2, U128_MAX, 0n, 0n, user), 'AssetConversion.Overflow');
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, NATIVE], 10n, U128_MAX, user, true),
      'AssetConversion.ProvidedMinimumNotSufficientForSwap',
    );
  });

  it('entry points refuse amounts no u128 can hold with Overflow, changing nothing', () => {
    const ext = liquid();
    const before = ext.snapshot();
    for (const bad of [-1n, U128_MAX + 1n, 1n << 200n]) {
      const e1 = ext.run(() => {
        try {
          swapExactOut(user, [t2, NATIVE], bad, 10n, user, true);
        } catch (err) {
          if (err instanceof DispatchFailure) return errorName(ext, err.error);
          throw err;
        }
        return 'ok';
      });
      expect(e1).toBe('AssetConversion.Overflow');
      const e2 = ext.run(() => {
        try {
          quotePriceExactTokensForTokens(NATIVE, t2, bad, true);
        } catch (err) {
          if (err instanceof DispatchFailure) return errorName(ext, err.error);
          throw err;
        }
        return 'ok';
      });
      expect(e2).toBe('AssetConversion.Overflow');
    }
    expect(ext.snapshot()).toEqual(before);
  });
});

describe('call bytes', () => {
  it('that do not decode are refused with ScaleDecodeError before anything runs', () => {
    const ext = liquid();
    const { runtime } = ext.chain;
    const good = runtime.encodeCall(swapExactTokensForTokens([t2, NATIVE], 10n, 1n, user, true));
    const call = (...bytes: number[]) => new Uint8Array([INDEX.AssetConversion, ...bytes]);
    const hostile = [
      good.slice(0, good.length - 1), // truncated
      new Uint8Array([...good, 0]), // trailing byte
      call(3, 0xfe, 0xff, 0xff, 0xff), // a path of 2^30 − 1 locations in a few bytes
      call(0, 0, 9), // a Location with 9 junctions
      call(0, 0, 1, 0xff), // a junction that does not exist
      call(0, 0, 8, ...new Array(8).fill([0, 0xff]).flat()), // X8 of Parachain with a bad compact
      call(6), // a call index AssetConversion does not have
      call(1, 0, 0, 1, 0, 0), // add_liquidity cut inside the amounts
    ];
    for (const bytes of hostile) expect(() => runtime.decodeCall(bytes)).toThrow(ScaleDecodeError);
  });
});
