/**
 * The exchange's integer arithmetic, exactly as pallet-asset-conversion computes it (lib.rs `quote`, `get_amount_out`,
 * `get_amount_in`, `calc_lp_amount_for_zero_supply`, `mul_div`): `Balance` is u128, every intermediate is a U256
 * (`HigherPrecisionBalance = sp_core::U256` on Asset Hub) whose checked operations fail past 2^256, and a result that
 * does not fit back into u128 is an `Overflow`. Pure functions of bigints: no state, no env.
 */

export const U128_MAX = (1n << 128n) - 1n;
const U256_MAX = (1n << 256n) - 1n;

/** The pallet error a computation fails with (the names are `pallet_asset_conversion::Error` variants). */
export type MathErrorName = 'Overflow' | 'ZeroLiquidity' | 'AmountOutTooHigh' | 'InsufficientLiquidityMinted';

export class AssetConversionMathError extends Error {
  override name = 'AssetConversionMathError';
  constructor(readonly error: MathErrorName) {
    super(`asset conversion: ${error}`);
  }
}

const fail = (e: MathErrorName): never => {
  throw new AssetConversionMathError(e);
};

/** A `Balance` argument: a u128 (anything else cannot come from a decoded call, and is refused as Overflow). */
function balance(x: bigint): bigint {
  if (typeof x !== 'bigint' || x < 0n || x > U128_MAX) fail('Overflow');
  return x;
}

const checkedMul = (a: bigint, b: bigint): bigint => {
  const r = a * b;
  return r > U256_MAX ? fail('Overflow') : r;
};
const checkedAdd = (a: bigint, b: bigint): bigint => {
  const r = a + b;
  return r > U256_MAX ? fail('Overflow') : r;
};
const checkedDiv = (a: bigint, b: bigint): bigint => (b === 0n ? fail('Overflow') : a / b);
/** `TryInto<Balance>` of a U256. */
const intoBalance = (x: bigint): bigint => (x > U128_MAX ? fail('Overflow') : x);

/** `mul_div(a, b, c)`: a · b / c, rounded down. */
export function mulDiv(a: bigint, b: bigint, c: bigint): bigint {
  return intoBalance(checkedDiv(checkedMul(balance(a), balance(b)), balance(c)));
}

/** `quote(amount, reserve1, reserve2)`: the other side's amount at the pool's price, without fee (rounded down). */
export function quote(amount: bigint, reserve1: bigint, reserve2: bigint): bigint {
  return mulDiv(amount, reserve2, reserve1);
}

/**
 * `get_amount_out`: what `amountIn` buys, after the LP fee (`lpFee` permille):
 * ⌊ in·(1000−fee)·reserveOut / (reserveIn·1000 + in·(1000−fee)) ⌋.
 */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, lpFee: number): bigint {
  const input = balance(amountIn);
  const rIn = balance(reserveIn);
  const rOut = balance(reserveOut);
  if (rIn === 0n || rOut === 0n) fail('ZeroLiquidity');
  const withFee = checkedMul(input, 1000n - BigInt(lpFee));
  const numerator = checkedMul(withFee, rOut);
  const denominator = checkedAdd(checkedMul(rIn, 1000n), withFee);
  return intoBalance(checkedDiv(numerator, denominator));
}

/**
 * `get_amount_in`: what must go in for `amountOut`, after the LP fee:
 * ⌊ reserveIn·out·1000 / ((reserveOut − out)·(1000−fee)) ⌋ + 1. The whole reserve can never be bought.
 */
export function getAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint, lpFee: number): bigint {
  const out = balance(amountOut);
  const rIn = balance(reserveIn);
  const rOut = balance(reserveOut);
  if (rIn === 0n || rOut === 0n) fail('ZeroLiquidity');
  if (out >= rOut) fail('AmountOutTooHigh');
  const numerator = checkedMul(checkedMul(rIn, out), 1000n);
  const denominator = checkedMul(rOut - out, 1000n - BigInt(lpFee));
  return intoBalance(checkedAdd(checkedDiv(numerator, denominator), 1n));
}

/** `IntegerSquareRoot` of a non-negative integer: the largest r with r² ≤ n. */
export function integerSqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('integerSqrt of a negative number');
  if (n < 2n) return n;
  // Newton's iteration from above converges to ⌊√n⌋.
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** `calc_lp_amount_for_zero_supply`: √(amount1·amount2) − MintMinLiquidity, the first provider's LP tokens. */
export function lpAmountForZeroSupply(amount1: bigint, amount2: bigint, mintMinLiquidity: bigint): bigint {
  const root = integerSqrt(checkedMul(balance(amount1), balance(amount2)));
  const min = balance(mintMinLiquidity);
  if (root < min) fail('InsufficientLiquidityMinted');
  return intoBalance(root - min);
}

/** `Permill * Balance` (sp-arithmetic: the product rounded to the nearest, a tie rounding down). */
export function permillOf(parts: number, x: bigint): bigint {
  const p = BigInt(parts);
  const product = balance(x) * p;
  const q = product / 1_000_000n;
  const r = product % 1_000_000n;
  return r * 2n > 1_000_000n ? q + 1n : q;
}

/** Saturating u128 addition (`saturating_add`). */
export const saturatingAdd = (a: bigint, b: bigint): bigint => (a + b > U128_MAX ? U128_MAX : a + b);
/** Saturating u128 subtraction (`saturating_sub`). */
export const saturatingSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
