/**
 * The exchange's integer math (math.ts) against outside numbers:
 * - polkadot-sdk substrate/frame/asset-conversion/src/tests.rs `check_max_numbers` (u128 extremes through U256);
 * - Uniswap V2, whose formulas pallet-asset-conversion takes with LPFee = 3 (0.3%): v2-periphery
 *   test/UniswapV2Router01.spec.ts (`quote`, `getAmountOut`, `getAmountIn`), v2-core test/UniswapV2Pair.spec.ts
 *   (`getInputPrice` cases at 18 decimals; `mint`: √(1e18·4e18) − MINIMUM_LIQUIDITY(1000) LP tokens);
 * - the Permill rounding (nearest, a tie rounding down) with Crust's tie (5% of 950 is 47, as market's Perbill);
 * and properties the constant-product formulas must have for any u128 reserves (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AssetConversionMathError,
  getAmountIn,
  getAmountOut,
  integerSqrt,
  lpAmountForZeroSupply,
  mulDiv,
  permillOf,
  quote,
  U128_MAX,
} from '../../../src/pallets/asset-conversion/math.ts';

const LP_FEE = 3;
const E18 = 10n ** 18n;

function mathError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof AssetConversionMathError) return err.error;
    throw err;
  }
  return 'no error';
}

describe('polkadot-sdk check_max_numbers', () => {
  it('quote, get_amount_out and get_amount_in at u128::MAX', () => {
    expect(quote(3n, U128_MAX, U128_MAX)).toBe(3n);
    expect(mathError(() => quote(U128_MAX, 3n, U128_MAX))).toBe('Overflow');
    expect(quote(U128_MAX, U128_MAX, 1n)).toBe(1n);
    expect(getAmountOut(100n, U128_MAX, U128_MAX, LP_FEE)).toBe(99n);
    expect(getAmountIn(100n, U128_MAX, U128_MAX, LP_FEE)).toBe(101n);
  });
});

describe('Uniswap V2 (the same formulas at 0.3%)', () => {
  it('v2-periphery router: quote(1, 100, 200) = 2, quote(2, 200, 100) = 1, getAmountOut(2, 100, 100) = 1, getAmountIn(1, 100, 100) = 2', () => {
    expect(quote(1n, 100n, 200n)).toBe(2n);
    expect(quote(2n, 200n, 100n)).toBe(1n);
    expect(getAmountOut(2n, 100n, 100n, LP_FEE)).toBe(1n);
    expect(getAmountIn(1n, 100n, 100n, LP_FEE)).toBe(2n);
    // ...and where Uniswap reverts with INSUFFICIENT_LIQUIDITY, the pallet says ZeroLiquidity.
    expect(mathError(() => getAmountOut(2n, 0n, 100n, LP_FEE))).toBe('ZeroLiquidity');
    expect(mathError(() => getAmountOut(2n, 100n, 0n, LP_FEE))).toBe('ZeroLiquidity');
    expect(mathError(() => getAmountIn(1n, 0n, 100n, LP_FEE))).toBe('ZeroLiquidity');
    expect(mathError(() => getAmountIn(1n, 100n, 0n, LP_FEE))).toBe('ZeroLiquidity');
  });

  it('v2-core pair getInputPrice cases: the largest output that keeps k', () => {
    const cases: Array<[bigint, bigint, bigint, bigint]> = [
      [1n, 5n, 10n, 1662497915624478906n],
      [1n, 10n, 5n, 453305446940074565n],
      [2n, 5n, 10n, 2851015155847869602n],
      [2n, 10n, 5n, 831248957812239453n],
      [1n, 10n, 10n, 906610893880149131n],
      [1n, 100n, 100n, 987158034397061298n],
      [1n, 1000n, 1000n, 996006981039903216n],
    ];
    for (const [swap, r0, r1, expected] of cases)
      expect(getAmountOut(swap * E18, r0 * E18, r1 * E18, LP_FEE)).toBe(expected);
  });

  it('v2-core pair mint: the first provider of 1e18 + 4e18 gets 2e18 − MINIMUM_LIQUIDITY', () => {
    expect(lpAmountForZeroSupply(E18, 4n * E18, 1000n)).toBe(2n * E18 - 1000n);
  });
});

describe('edges', () => {
  it('the whole reserve can never be bought: AmountOutTooHigh', () => {
    expect(mathError(() => getAmountIn(100n, 1000n, 100n, LP_FEE))).toBe('AmountOutTooHigh');
    expect(mathError(() => getAmountIn(101n, 1000n, 100n, LP_FEE))).toBe('AmountOutTooHigh');
    expect(getAmountIn(99n, 1000n, 100n, LP_FEE)).toBe(99_298n); // ⌊1000·99·1000 / (1·997)⌋ + 1
  });

  it('U256 intermediates overflow where polkadot-sdk’s do, and results past u128 are Overflow', () => {
    // in·997·reserve_out > 2^256
    expect(mathError(() => getAmountOut(U128_MAX, U128_MAX, U128_MAX, LP_FEE))).toBe('Overflow');
    // reserve_in·out·1000 > 2^256
    expect(mathError(() => getAmountIn(U128_MAX - 1n, U128_MAX, U128_MAX, LP_FEE))).toBe('Overflow');
    // fits U256 but not u128
    expect(mathError(() => mulDiv(U128_MAX, 2n, 1n))).toBe('Overflow');
    expect(mathError(() => mulDiv(1n, 1n, 0n))).toBe('Overflow');
    // √(u128::MAX²) − 100 fits; with MintMinLiquidity above the root it is InsufficientLiquidityMinted
    expect(lpAmountForZeroSupply(U128_MAX, U128_MAX, 100n)).toBe(U128_MAX - 100n);
    expect(mathError(() => lpAmountForZeroSupply(9n, 9n, 10n))).toBe('InsufficientLiquidityMinted');
  });

  it('refuses values no u128 argument can hold', () => {
    for (const bad of [-1n, U128_MAX + 1n, 1n << 300n]) {
      expect(mathError(() => quote(bad, 1n, 1n))).toBe('Overflow');
      expect(mathError(() => getAmountOut(bad, 10n, 10n, LP_FEE))).toBe('Overflow');
      expect(mathError(() => getAmountIn(1n, bad, 10n, LP_FEE))).toBe('Overflow');
      expect(mathError(() => lpAmountForZeroSupply(bad, 1n, 0n))).toBe('Overflow');
    }
  });

  it('Permill of a balance rounds to nearest, a tie down (5% of 950 is 47), 10% of 9_999_900 is 999_990', () => {
    expect(permillOf(50_000, 950n)).toBe(47n);
    expect(permillOf(100_000, 9_999_900n)).toBe(999_990n);
    expect(permillOf(500_000, 3n)).toBe(1n); // 1.5 → 1
    expect(permillOf(500_001, 3n)).toBe(2n); // 1.500003 → 2
    expect(permillOf(0, U128_MAX)).toBe(0n);
    expect(permillOf(1_000_000, U128_MAX)).toBe(U128_MAX);
  });

  it('integer square root: exact below 10^5 and at the u128 edges', () => {
    for (let n = 0; n < 100_000; n++) expect(integerSqrt(BigInt(n))).toBe(BigInt(Math.floor(Math.sqrt(n))));
    expect(integerSqrt(U128_MAX * U128_MAX)).toBe(U128_MAX);
    expect(integerSqrt(U128_MAX * U128_MAX - 1n)).toBe(U128_MAX - 1n);
  });
});

describe('properties (fast-check)', () => {
  const u128 = fc.bigInt({ min: 1n, max: U128_MAX });
  const small = fc.bigInt({ min: 1n, max: 10n ** 30n });

  it('⌊√n⌋² ≤ n < (⌊√n⌋ + 1)² for any U256', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (n) => {
        const r = integerSqrt(n);
        return r * r <= n && n < (r + 1n) * (r + 1n);
      }),
      { numRuns: 2000 },
    );
  });

  it('a swap of exact input never lowers k = x·y, and never pays out the whole reserve', () => {
    fc.assert(
      fc.property(small, small, small, (amountIn, rIn, rOut) => {
        const out = getAmountOut(amountIn, rIn, rOut, LP_FEE);
        return out < rOut && (rIn + amountIn) * (rOut - out) >= rIn * rOut;
      }),
      { numRuns: 2000 },
    );
  });

  it('get_amount_in is enough: what it asks buys at least the amount out, and keeps k', () => {
    fc.assert(
      fc.property(small, small, small, (a, rIn, rOut) => {
        const out = a % rOut;
        fc.pre(out > 0n);
        let input: bigint;
        try {
          input = getAmountIn(out, rIn, rOut, LP_FEE);
        } catch (err) {
          // Buying nearly the whole reserve can cost more than a u128 holds.
          return err instanceof AssetConversionMathError && err.error === 'Overflow';
        }
        return getAmountOut(input, rIn, rOut, LP_FEE) >= out && (rIn + input) * (rOut - out) >= rIn * rOut;
      }),
      { numRuns: 2000 },
    );
  });

  it('at any u128 values each function returns a u128 or fails with a named error, never anything else', () => {
    fc.assert(
      fc.property(u128, u128, u128, (a, b, c) => {
        for (const f of [
          () => quote(a, b, c),
          () => getAmountOut(a, b, c, LP_FEE),
          () => getAmountIn(a, b, c, LP_FEE),
          () => lpAmountForZeroSupply(a, b, c),
        ]) {
          try {
            const r = f();
            if (r < 0n || r > U128_MAX) return false;
          } catch (err) {
            if (!(err instanceof AssetConversionMathError)) return false;
          }
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});
