/**
 * AssetConversion for other pallets (polkadot-sdk swap.rs `Swap` / `SwapCredit` and the pallet's quote functions):
 * Crust's xstorage pallet converts a user's payment in a parachain token into the exact CRU fee with
 * `swapTokensForExactTokens(user, [token, native], fee, maxIn, payee, true)`, never taking more than `maxIn`.
 *
 * Each swap runs in its own storage transaction (`with_storage_layer`): it either happens whole or changes nothing,
 * and fails by throwing a `DispatchFailure` with polkadot-sdk's error (`ProvidedMaximumNotSufficientForSwap`,
 * `ProvidedMinimumNotSufficientForSwap`, `PoolEmpty`, `InvalidPath`, `Token(NotExpendable)`, ...). Amounts must be
 * u128 values (anything else is `Overflow`). Everything here runs in the ambient runtime env (inside a dispatch, a
 * runtime API call, or `runtime.execute`).
 */
import { DispatchFailure } from '../../frame/dispatch-error.ts';
import { state } from '../../frame/env.ts';
import type { Location } from '../../xcm/index.ts';
import { config } from './items.ts';
import {
  type Credit,
  doSwapCreditTokensForExactTokens,
  doSwapExactCreditTokensForTokens,
  doSwapExactTokensForTokens,
  doSwapTokensForExactTokens,
  ensureBalance,
  getReserves,
  poolAccount,
  poolAddress as poolAddressOf,
  poolId,
  poolInfo,
  quotePriceExactTokensForTokens as quoteExactIn,
  quotePriceTokensForExactTokens as quoteExactOut,
  balancePathFromAmountIn,
  balancePathFromAmountOut,
  validateSwapPath,
} from './logic.ts';
import type { BalancePath, PoolId, PoolInfo } from './types.ts';

type AccountId = Uint8Array;
export type { Credit };

const opt = (x: bigint | undefined) => (x === undefined ? undefined : ensureBalance(x));

/**
 * `Swap::swap_exact_tokens_for_tokens`: exactly `amountIn` of `path[0]` from `sender`, at least `amountOutMin` (if
 * given) of the last asset to `sendTo`; returns the amount out.
 */
export function swapExactTokensForTokens(
  sender: AccountId,
  path: Location[],
  amountIn: bigint,
  amountOutMin: bigint | undefined,
  sendTo: AccountId,
  keepAlive: boolean,
): bigint {
  return state().transactional(() =>
    doSwapExactTokensForTokens(sender, path, ensureBalance(amountIn), opt(amountOutMin), sendTo, keepAlive),
  );
}

/**
 * `Swap::swap_tokens_for_exact_tokens`: exactly `amountOut` of the last asset to `sendTo`, paid in `path[0]` by
 * `sender`, at most `amountInMax` (if given); returns the amount taken.
 */
export function swapTokensForExactTokens(
  sender: AccountId,
  path: Location[],
  amountOut: bigint,
  amountInMax: bigint | undefined,
  sendTo: AccountId,
  keepAlive: boolean,
): bigint {
  return state().transactional(() =>
    doSwapTokensForExactTokens(sender, path, ensureBalance(amountOut), opt(amountInMax), sendTo, keepAlive),
  );
}

/**
 * `SwapCredit::swap_exact_tokens_for_tokens`: a credit already withdrawn (of `path[0]`) swapped whole; returns the
 * credit out, which the caller must place. On failure nothing changed and the caller still holds `creditIn`.
 */
export function swapExactCreditForTokens(path: Location[], creditIn: Credit, amountOutMin?: bigint): Credit {
  return state().transactional(() =>
    doSwapExactCreditTokensForTokens(
      path,
      { ...creditIn, amount: ensureBalance(creditIn.amount) },
      opt(amountOutMin),
    ),
  );
}

/** `SwapCredit::swap_tokens_for_exact_tokens`: part of a credit for exactly `amountOut`; returns (out, change). */
export function swapCreditForExactTokens(
  path: Location[],
  creditIn: Credit,
  amountOut: bigint,
): [Credit, Credit] {
  return state().transactional(() =>
    doSwapCreditTokensForExactTokens(
      path,
      { ...creditIn, amount: ensureBalance(creditIn.amount) },
      ensureBalance(amountOut),
    ),
  );
}

/** `quote_price_exact_tokens_for_tokens`: what `amount` of `asset1` would buy of `asset2` now; none if impossible. */
export function quotePriceExactTokensForTokens(
  asset1: Location,
  asset2: Location,
  amount: bigint,
  includeFee: boolean,
): bigint | undefined {
  return quoteExactIn(asset1, asset2, ensureBalance(amount), includeFee);
}

/** `quote_price_tokens_for_exact_tokens`: what `amount` of `asset2` would cost in `asset1` now; none if impossible. */
export function quotePriceTokensForExactTokens(
  asset1: Location,
  asset2: Location,
  amount: bigint,
  includeFee: boolean,
): bigint | undefined {
  return quoteExactOut(asset1, asset2, ensureBalance(amount), includeFee);
}

/** The amounts a multi-hop swap of exactly `amountIn` would move (fees included); throws as the swap would. */
export function quotePathExactIn(path: Location[], amountIn: bigint): BalancePath {
  validateSwapPath(path);
  return balancePathFromAmountIn(ensureBalance(amountIn), path);
}

/** The amounts a multi-hop swap for exactly `amountOut` would move (fees included); throws as the swap would. */
export function quotePathExactOut(path: Location[], amountOut: bigint): BalancePath {
  validateSwapPath(path);
  return balancePathFromAmountOut(ensureBalance(amountOut), path);
}

/** `get_reserves(asset1, asset2)` in the order asked, or none (no such pair, or an empty pool). */
export function reserves(asset1: Location, asset2: Location): [bigint, bigint] | undefined {
  try {
    return getReserves(asset1, asset2);
  } catch (err) {
    if (err instanceof DispatchFailure) return undefined;
    throw err;
  }
}

/** The pool of a pair: its id (as the locator orders it), account and LP token; none if it was never created. */
export function pool(
  asset1: Location,
  asset2: Location,
): { id: PoolId; account: AccountId; info: PoolInfo } | undefined {
  const id = poolId(asset1, asset2);
  const info = poolInfo(asset1, asset2);
  return id && info && { id, account: poolAccount(id), info };
}

/** `PoolLocator::pool_address`: the account a pair's pool has (or would have); none for a pair without a pool id. */
export const poolAddress = (asset1: Location, asset2: Location): AccountId | undefined =>
  poolAddressOf(asset1, asset2);

/** The native asset kind of this runtime's AssetConversion. */
export const nativeAsset = (): Location => config().native;
