/**
 * What pallet-asset-conversion does (lib.rs `do_create_pool`, `do_add_liquidity`, `do_remove_liquidity`,
 * `do_swap_*`, `swap`, `credit_swap`, `withdraw`, `balance_path_from_amount_*`, `get_reserves`, the quotes;
 * swap.rs `Swap` / `SwapCredit`), step for step in the same order, so the same inputs fail with the same error
 * and succeed with the same balances. Runs in the ambient runtime env; every failure is a thrown `DispatchFailure`
 * and the caller (the dispatcher, or the transactional entry points in api.ts) rolls back what was written.
 */
import { accountKind } from '../../frame/account.ts';
import { DispatchFailure, tokenError } from '../../frame/dispatch-error.ts';
import { type Location, locationEquals } from '../../xcm/index.ts';
import {
  AssetConversionError as Err,
  AssetConversionEvent as Event,
  config,
  NextPoolAssetId,
  Pools,
} from './items.ts';
import {
  AssetConversionMathError,
  getAmountIn as mathGetAmountIn,
  getAmountOut as mathGetAmountOut,
  lpAmountForZeroSupply,
  mulDiv as mathMulDiv,
  permillOf,
  quote as mathQuote,
  saturatingAdd,
  saturatingSub,
  U128_MAX,
} from './math.ts';
import { poolAccountOf, poolIdOf } from './pool-locator.ts';
import { type BalancePath, PoolIdCodec, type PoolId, type PoolInfo } from './types.ts';

type AccountId = Uint8Array;

const U32_MAX = 0xffff_ffff;

/** Runs a math step, its error as the pallet's error. */
function math<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AssetConversionMathError) throw Err.fail(err.error);
    throw err;
  }
}

/** A `T::Balance` from outside a decoded call (a pallet calling in): what cannot be a u128 is an `Overflow`. */
export function ensureBalance(x: bigint): bigint {
  if (typeof x !== 'bigint' || x < 0n || x > U128_MAX) throw Err.fail('Overflow');
  return x;
}

// ---- pools -------------------------------------------------------------------------------------------------------

/** `T::PoolLocator::pool_id`; none for a pair the locator refuses (equal assets, or no native side). */
export function poolId(asset1: Location, asset2: Location): PoolId | undefined {
  const c = config();
  return poolIdOf(c.poolLocator, c.native, asset1, asset2);
}

/** `T::PoolLocator::address` of a pool id. */
export function poolAccount(id: PoolId): AccountId {
  const c = config();
  return poolAccountOf(c.poolAccount, c.palletId, id, accountKind().length);
}

function poolIdOrFail(asset1: Location, asset2: Location): PoolId {
  const id = poolId(asset1, asset2);
  if (!id) throw Err.fail('InvalidAssetPair');
  return id;
}

/** `T::PoolLocator::pool_address`. */
export function poolAddress(asset1: Location, asset2: Location): AccountId | undefined {
  const id = poolId(asset1, asset2);
  return id && poolAccount(id);
}

function poolAddressOrFail(asset1: Location, asset2: Location): AccountId {
  return poolAccount(poolIdOrFail(asset1, asset2));
}

/** The pool of a pair, if it was created. */
export function poolInfo(asset1: Location, asset2: Location): PoolInfo | undefined {
  const id = poolId(asset1, asset2);
  return id && Pools.get(id);
}

/** `get_balance`: what the pool (or anyone) holds of `asset`, as `reducible_balance(Expendable, Polite)`. */
export function getBalance(owner: AccountId, asset: Location): bigint {
  return config().assets.reducibleBalance(asset, owner, 'Expendable');
}

/** The LP token id the next pool gets (`NextPoolAssetId`, else `Incrementable::initial_value()` = 0). */
function takeNextLpToken(): number {
  const lpToken = NextPoolAssetId.get() ?? 0;
  if (lpToken >= U32_MAX) throw Err.fail('IncorrectPoolAssetId');
  NextPoolAssetId.set(lpToken + 1);
  return lpToken;
}

/** `do_create_pool`. */
export function doCreatePool(creator: AccountId, asset1: Location, asset2: Location): PoolId {
  if (locationEquals(asset1, asset2)) throw Err.fail('InvalidAssetPair');
  const id = poolIdOrFail(asset1, asset2);
  if (Pools.contains(id)) throw Err.fail('PoolExists');
  const account = poolAccount(id);
  const c = config();

  // The setup fee, withdrawn keeping the creator alive, goes to `PoolSetupFeeTarget` (`ResolveAssetTo`, which drops
  // a credit it cannot place); without a target it is dropped: burned.
  const fee = withdraw(c.poolSetupFeeAsset, creator, c.poolSetupFee, true);
  const target = c.poolSetupFeeTarget;
  if (target === undefined || !c.assets.resolve(c.poolSetupFeeAsset, target, fee))
    c.assets.dropCredit(c.poolSetupFeeAsset, fee);

  if (c.assets.shouldTouch(asset1, account)) c.assets.touch(asset1, account, creator);
  if (c.assets.shouldTouch(asset2, account)) c.assets.touch(asset2, account, creator);

  const lpToken = takeNextLpToken();
  c.poolAssets.create(lpToken, account, false, 1n);
  if (c.poolAssets.shouldTouch(lpToken, account)) c.poolAssets.touch(lpToken, account, creator);

  Pools.set(id, { lp_token: lpToken });
  Event.deposit({
    type: 'PoolCreated',
    value: { creator, pool_id: id, pool_account: account, lp_token: lpToken },
  });
  return id;
}

/** `do_add_liquidity`: returns the LP tokens minted to `mintTo`. */
export function doAddLiquidity(
  who: AccountId,
  asset1: Location,
  asset2: Location,
  amount1Desired: bigint,
  amount2Desired: bigint,
  amount1Min: bigint,
  amount2Min: bigint,
  mintTo: AccountId,
): bigint {
  const id = poolIdOrFail(asset1, asset2);
  if (!(amount1Desired > 0n && amount2Desired > 0n)) throw Err.fail('WrongDesiredAmount');
  const pool = Pools.get(id);
  if (!pool) throw Err.fail('PoolNotFound');
  const account = poolAccount(id);
  const c = config();

  const reserve1 = getBalance(account, asset1);
  const reserve2 = getBalance(account, asset2);

  let amount1: bigint;
  let amount2: bigint;
  if (reserve1 === 0n || reserve2 === 0n) {
    amount1 = amount1Desired;
    amount2 = amount2Desired;
  } else {
    const amount2Optimal = quote(amount1Desired, reserve1, reserve2);
    if (amount2Optimal <= amount2Desired) {
      if (amount2Optimal < amount2Min) throw Err.fail('AssetTwoDepositDidNotMeetMinimum');
      amount1 = amount1Desired;
      amount2 = amount2Optimal;
    } else {
      const amount1Optimal = quote(amount2Desired, reserve2, reserve1);
      if (amount1Optimal > amount1Desired) throw Err.fail('OptimalAmountLessThanDesired');
      if (amount1Optimal < amount1Min) throw Err.fail('AssetOneDepositDidNotMeetMinimum');
      amount1 = amount1Optimal;
      amount2 = amount2Desired;
    }
  }

  if (saturatingAdd(amount1, reserve1) < c.assets.minimumBalance(asset1))
    throw Err.fail('AmountOneLessThanMinimal');
  if (saturatingAdd(amount2, reserve2) < c.assets.minimumBalance(asset2))
    throw Err.fail('AmountTwoLessThanMinimal');

  c.assets.transfer(asset1, who, account, amount1, 'Preserve');
  c.assets.transfer(asset2, who, account, amount2, 'Preserve');

  const totalSupply = c.poolAssets.totalIssuance(pool.lp_token);
  let lpTokenAmount: bigint;
  if (totalSupply === 0n) {
    lpTokenAmount = math(() => lpAmountForZeroSupply(amount1, amount2, c.mintMinLiquidity));
    c.poolAssets.mintInto(pool.lp_token, account, c.mintMinLiquidity);
  } else {
    const side1 = mulDiv(amount1, totalSupply, reserve1);
    const side2 = mulDiv(amount2, totalSupply, reserve2);
    lpTokenAmount = side1 < side2 ? side1 : side2;
  }
  if (!(lpTokenAmount > c.mintMinLiquidity)) throw Err.fail('InsufficientLiquidityMinted');

  c.poolAssets.mintInto(pool.lp_token, mintTo, lpTokenAmount);
  Event.deposit({
    type: 'LiquidityAdded',
    value: {
      who,
      mint_to: mintTo,
      pool_id: id,
      amount1_provided: amount1,
      amount2_provided: amount2,
      lp_token: pool.lp_token,
      lp_token_minted: lpTokenAmount,
    },
  });
  return lpTokenAmount;
}

/** `do_remove_liquidity`: returns the amounts of `asset1` and `asset2` paid to `withdrawTo`. */
export function doRemoveLiquidity(
  who: AccountId,
  asset1: Location,
  asset2: Location,
  lpTokenBurn: bigint,
  amount1MinReceive: bigint,
  amount2MinReceive: bigint,
  withdrawTo: AccountId,
): [bigint, bigint] {
  const id = poolIdOrFail(asset1, asset2);
  if (!(lpTokenBurn > 0n)) throw Err.fail('ZeroLiquidity');
  const pool = Pools.get(id);
  if (!pool) throw Err.fail('PoolNotFound');
  const account = poolAccount(id);
  const c = config();

  const reserve1 = getBalance(account, asset1);
  const reserve2 = getBalance(account, asset2);
  const totalSupply = c.poolAssets.totalIssuance(pool.lp_token);
  const withdrawalFee = permillOf(c.liquidityWithdrawalFee, lpTokenBurn);
  const lpRedeemAmount = saturatingSub(lpTokenBurn, withdrawalFee);

  const amount1 = mulDiv(lpRedeemAmount, reserve1, totalSupply);
  const amount2 = mulDiv(lpRedeemAmount, reserve2, totalSupply);
  if (amount1 === 0n || amount1 < amount1MinReceive) throw Err.fail('AssetOneWithdrawalDidNotMeetMinimum');
  if (amount2 === 0n || amount2 < amount2MinReceive) throw Err.fail('AssetTwoWithdrawalDidNotMeetMinimum');
  if (saturatingSub(reserve1, amount1) < c.assets.minimumBalance(asset1))
    throw Err.fail('ReserveLeftLessThanMinimal');
  if (saturatingSub(reserve2, amount2) < c.assets.minimumBalance(asset2))
    throw Err.fail('ReserveLeftLessThanMinimal');

  // The LP tokens burned include the fee (`burn_from(.., Expendable, Exact, Polite)`).
  if (c.poolAssets.reducibleBalance(pool.lp_token, who, false) < lpTokenBurn)
    throw tokenError('FundsUnavailable');
  c.poolAssets.burnFrom(pool.lp_token, who, lpTokenBurn);

  c.assets.transfer(asset1, account, withdrawTo, amount1, 'Expendable');
  c.assets.transfer(asset2, account, withdrawTo, amount2, 'Expendable');

  Event.deposit({
    type: 'LiquidityRemoved',
    value: {
      who,
      withdraw_to: withdrawTo,
      pool_id: id,
      amount1,
      amount2,
      lp_token: pool.lp_token,
      lp_token_burned: lpTokenBurn,
      withdrawal_fee: c.liquidityWithdrawalFee,
    },
  });
  return [amount1, amount2];
}

/** The `touch` call: creates the pool account's asset accounts that need one, at `who`'s deposit. Returns how many. */
export function doTouch(who: AccountId, asset1: Location, asset2: Location): number {
  const id = poolIdOrFail(asset1, asset2);
  const pool = Pools.get(id);
  if (!pool) throw Err.fail('PoolNotFound');
  const account = poolAccount(id);
  const c = config();
  let refunds = 0;
  if (c.assets.shouldTouch(asset1, account)) {
    c.assets.touch(asset1, account, who);
    refunds += 1;
  }
  if (c.assets.shouldTouch(asset2, account)) {
    c.assets.touch(asset2, account, who);
    refunds += 1;
  }
  if (c.poolAssets.shouldTouch(pool.lp_token, account)) {
    c.poolAssets.touch(pool.lp_token, account, who);
    refunds += 1;
  }
  Event.deposit({ type: 'Touched', value: { pool_id: id, who } });
  return refunds;
}

// ---- swaps -------------------------------------------------------------------------------------------------------

/** `do_swap_exact_tokens_for_tokens`: returns the amount of the last asset paid to `sendTo`. */
export function doSwapExactTokensForTokens(
  sender: AccountId,
  path: Location[],
  amountIn: bigint,
  amountOutMin: bigint | undefined,
  sendTo: AccountId,
  keepAlive: boolean,
): bigint {
  if (!(amountIn > 0n)) throw Err.fail('ZeroAmount');
  if (amountOutMin !== undefined && !(amountOutMin > 0n)) throw Err.fail('ZeroAmount');
  validateSwapPath(path);
  const balancePath = balancePathFromAmountIn(amountIn, path);
  const amountOut = balancePath[balancePath.length - 1][1];
  if (amountOutMin !== undefined && amountOut < amountOutMin)
    throw Err.fail('ProvidedMinimumNotSufficientForSwap');
  swap(sender, balancePath, sendTo, keepAlive);
  Event.deposit({
    type: 'SwapExecuted',
    value: { who: sender, send_to: sendTo, amount_in: amountIn, amount_out: amountOut, path: balancePath },
  });
  return amountOut;
}

/** `do_swap_tokens_for_exact_tokens`: returns the amount of the first asset taken from `sender`. */
export function doSwapTokensForExactTokens(
  sender: AccountId,
  path: Location[],
  amountOut: bigint,
  amountInMax: bigint | undefined,
  sendTo: AccountId,
  keepAlive: boolean,
): bigint {
  if (!(amountOut > 0n)) throw Err.fail('ZeroAmount');
  if (amountInMax !== undefined && !(amountInMax > 0n)) throw Err.fail('ZeroAmount');
  validateSwapPath(path);
  const balancePath = balancePathFromAmountOut(amountOut, path);
  const amountIn = balancePath[0][1];
  if (amountInMax !== undefined && amountIn > amountInMax)
    throw Err.fail('ProvidedMaximumNotSufficientForSwap');
  swap(sender, balancePath, sendTo, keepAlive);
  Event.deposit({
    type: 'SwapExecuted',
    value: { who: sender, send_to: sendTo, amount_in: amountIn, amount_out: amountOut, path: balancePath },
  });
  return amountIn;
}

/** A `Credit` of `T::Assets`: an amount of `asset` already withdrawn from some account, to be resolved somewhere. */
export interface Credit {
  asset: Location;
  amount: bigint;
}

/** `do_swap_exact_credit_tokens_for_tokens`: the whole credit in, the credit of the last asset out. */
export function doSwapExactCreditTokensForTokens(
  path: Location[],
  creditIn: Credit,
  amountOutMin: bigint | undefined,
): Credit {
  const amountIn = creditIn.amount;
  if (!(path.length > 0 && locationEquals(path[0], creditIn.asset))) throw Err.fail('InvalidPath');
  if (amountIn === 0n) throw Err.fail('ZeroAmount');
  if (amountOutMin !== undefined && amountOutMin === 0n) throw Err.fail('ZeroAmount');
  validateSwapPath(path);
  const balancePath = balancePathFromAmountIn(amountIn, path);
  const amountOut = balancePath[balancePath.length - 1][1];
  if (amountOutMin !== undefined && amountOut < amountOutMin)
    throw Err.fail('ProvidedMinimumNotSufficientForSwap');
  const creditOut = creditSwap(amountIn, balancePath);
  Event.deposit({
    type: 'SwapCreditExecuted',
    value: { amount_in: amountIn, amount_out: amountOut, path: balancePath },
  });
  return { asset: path[path.length - 1], amount: creditOut };
}

/** `do_swap_credit_tokens_for_exact_tokens`: part of the credit in for exactly `amountOut`; returns (out, change). */
export function doSwapCreditTokensForExactTokens(
  path: Location[],
  creditIn: Credit,
  amountOut: bigint,
): [Credit, Credit] {
  const amountInMax = creditIn.amount;
  if (!(path.length > 0 && locationEquals(path[0], creditIn.asset))) throw Err.fail('InvalidPath');
  if (!(amountInMax > 0n)) throw Err.fail('ZeroAmount');
  if (!(amountOut > 0n)) throw Err.fail('ZeroAmount');
  validateSwapPath(path);
  const balancePath = balancePathFromAmountOut(amountOut, path);
  const amountIn = balancePath[0][1];
  if (amountIn > amountInMax) throw Err.fail('ProvidedMaximumNotSufficientForSwap');
  const creditOut = creditSwap(amountIn, balancePath);
  Event.deposit({
    type: 'SwapCreditExecuted',
    value: { amount_in: amountIn, amount_out: amountOut, path: balancePath },
  });
  return [
    { asset: path[path.length - 1], amount: creditOut },
    { asset: creditIn.asset, amount: amountInMax - amountIn },
  ];
}

/** `swap`: withdraws the first asset from `sender`, runs the path, resolves the last asset into `sendTo`. */
function swap(sender: AccountId, path: BalancePath, sendTo: AccountId, keepAlive: boolean): void {
  const [assetIn, amountIn] = path[0];
  const creditIn = withdraw(assetIn, sender, amountIn, keepAlive);
  const creditOut = creditSwap(creditIn, path);
  const assetOut = path[path.length - 1][0];
  if (!config().assets.resolve(assetOut, sendTo, creditOut)) throw Err.fail('BelowMinimum');
}

/**
 * `credit_swap`: each pool pays the next one what the path says, the last pool's output is withdrawn (keeping the
 * pool alive) as the credit out, and the credit in is resolved into the first pool.
 */
function creditSwap(creditIn: bigint, path: BalancePath): bigint {
  const c = config();
  let creditOut: bigint | undefined;
  for (let pos = 0; pos + 1 < path.length; pos++) {
    const [asset1] = path[pos];
    const [asset2, amountOut] = path[pos + 1];
    const poolFrom = poolAddressOrFail(asset1, asset2);
    if (pos + 2 < path.length) {
      const poolTo = poolAddressOrFail(asset2, path[pos + 2][0]);
      c.assets.transfer(asset2, poolFrom, poolTo, amountOut, 'Preserve');
    } else {
      creditOut = withdraw(asset2, poolFrom, amountOut, true);
      break;
    }
  }
  if (creditOut === undefined) throw Err.fail('InvalidPath');
  const poolTo = poolAddressOrFail(path[0][0], path[1][0]);
  if (!c.assets.resolve(path[0][0], poolTo, creditIn)) throw Err.fail('BelowMinimum');
  return creditOut;
}

/** Without this check a `Preserve` withdrawal could still reap the account (polkadot-sdk issue 1698). */
function ensureKeepAlive(asset: Location, who: AccountId, value: bigint): void {
  if (config().assets.reducibleBalance(asset, who, 'Preserve') < value) throw tokenError('NotExpendable');
}

/** `withdraw`: takes `value` of `asset` out of `who` (kept alive when `keepAlive`); returns the credit. */
function withdraw(asset: Location, who: AccountId, value: bigint, keepAlive: boolean): bigint {
  if (keepAlive) ensureKeepAlive(asset, who, value);
  return config().assets.withdraw(asset, who, value, keepAlive ? 'Preserve' : 'Expendable');
}

/** `validate_swap_path`: 2..=MaxSwapPathLength assets, each consecutive pair a pool, no pool twice. */
export function validateSwapPath(path: Location[]): void {
  if (path.length < 2 || path.length > config().maxSwapPathLength) throw Err.fail('InvalidPath');
  const seen = new Set<string>();
  for (let i = 0; i + 1 < path.length; i++) {
    const id = poolIdOrFail(path[i], path[i + 1]);
    const key = Buffer.from(PoolIdCodec.encode(id)).toString('hex');
    if (seen.has(key)) throw Err.fail('NonUniquePath');
    seen.add(key);
  }
}

/** `balance_path_from_amount_out`: walking back from the amount out, what each pool needs in. */
export function balancePathFromAmountOut(amountOut: bigint, path: Location[]): BalancePath {
  const out: BalancePath = [];
  let amountIn = amountOut;
  for (let i = path.length - 1; i >= 0; i--) {
    const asset2 = path[i];
    if (i === 0) {
      out.push([asset2, amountIn]);
      break;
    }
    const [reserveIn, reserveOut] = getReserves(path[i - 1], asset2);
    out.push([asset2, amountIn]);
    amountIn = getAmountIn(amountIn, reserveIn, reserveOut);
  }
  return out.reverse();
}

/** `balance_path_from_amount_in`: following the amount in, what each pool pays out. */
export function balancePathFromAmountIn(amountIn: bigint, path: Location[]): BalancePath {
  const out: BalancePath = [];
  let amountOut = amountIn;
  for (let i = 0; i < path.length; i++) {
    const asset1 = path[i];
    if (i === path.length - 1) {
      out.push([asset1, amountOut]);
      break;
    }
    const [reserveIn, reserveOut] = getReserves(asset1, path[i + 1]);
    out.push([asset1, amountOut]);
    amountOut = getAmountOut(amountOut, reserveIn, reserveOut);
  }
  return out;
}

// ---- prices --------------------------------------------------------------------------------------------------------

/** `get_reserves`: the pool's balance of each asset, in the order asked; `PoolEmpty` if either is zero. */
export function getReserves(asset1: Location, asset2: Location): [bigint, bigint] {
  const account = poolAddressOrFail(asset1, asset2);
  const balance1 = getBalance(account, asset1);
  const balance2 = getBalance(account, asset2);
  if (balance1 === 0n || balance2 === 0n) throw Err.fail('PoolEmpty');
  return [balance1, balance2];
}

export const quote = (amount: bigint, reserve1: bigint, reserve2: bigint): bigint =>
  math(() => mathQuote(amount, reserve1, reserve2));
export const mulDiv = (a: bigint, b: bigint, c: bigint): bigint => math(() => mathMulDiv(a, b, c));
export const getAmountOut = (amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint =>
  math(() => mathGetAmountOut(amountIn, reserveIn, reserveOut, config().lpFee));
export const getAmountIn = (amountOut: bigint, reserveIn: bigint, reserveOut: bigint): bigint =>
  math(() => mathGetAmountIn(amountOut, reserveIn, reserveOut, config().lpFee));

const orNone = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch (err) {
    if (err instanceof DispatchFailure || err instanceof AssetConversionMathError) return undefined;
    throw err;
  }
};

/** `quote_price_exact_tokens_for_tokens`: what `amount` of `asset1` buys of `asset2` now (none if not possible). */
export function quotePriceExactTokensForTokens(
  asset1: Location,
  asset2: Location,
  amount: bigint,
  includeFee: boolean,
): bigint | undefined {
  if (amount === 0n) return undefined;
  const account = poolAddress(asset1, asset2);
  if (!account) return undefined;
  const balance1 = getBalance(account, asset1);
  const balance2 = getBalance(account, asset2);
  if (balance1 === 0n) return undefined;
  const c = config();
  const amountOut = orNone(() =>
    includeFee
      ? mathGetAmountOut(amount, balance1, balance2, c.lpFee)
      : mathQuote(amount, balance1, balance2),
  );
  // Small inputs can round the output to zero.
  if (amountOut === undefined || amountOut === 0n) return undefined;
  // A swap withdraws from the pool keeping it alive (Preserve).
  if (amountOut > c.assets.reducibleBalance(asset2, account, 'Preserve')) return undefined;
  return amountOut;
}

/** `quote_price_tokens_for_exact_tokens`: what it costs in `asset1` to get `amount` of `asset2` now. */
export function quotePriceTokensForExactTokens(
  asset1: Location,
  asset2: Location,
  amount: bigint,
  includeFee: boolean,
): bigint | undefined {
  if (amount === 0n) return undefined;
  const account = poolAddress(asset1, asset2);
  if (!account) return undefined;
  const balance1 = getBalance(account, asset1);
  const balance2 = getBalance(account, asset2);
  if (balance1 === 0n) return undefined;
  const c = config();
  if (amount > c.assets.reducibleBalance(asset2, account, 'Preserve')) return undefined;
  return orNone(() =>
    includeFee ? mathGetAmountIn(amount, balance1, balance2, c.lpFee) : mathQuote(amount, balance2, balance1),
  );
}

// ---- genesis -------------------------------------------------------------------------------------------------------

/** `setup_pool_from_genesis`: a pool without setup fee, with initial liquidity from `provider` if both amounts > 0. */
export function setupPoolFromGenesis(
  asset1: Location,
  asset2: Location,
  provider: AccountId,
  amount1: bigint,
  amount2: bigint,
): bigint {
  if (locationEquals(asset1, asset2)) throw Err.fail('InvalidAssetPair');
  ensureBalance(amount1);
  ensureBalance(amount2);
  const id = poolIdOrFail(asset1, asset2);
  if (Pools.contains(id)) throw Err.fail('PoolExists');
  const account = poolAccount(id);
  const c = config();

  const lpToken = takeNextLpToken();
  c.poolAssets.create(lpToken, account, false, 1n);
  if (c.assets.shouldTouch(asset1, account)) c.assets.touch(asset1, account, provider);
  if (c.assets.shouldTouch(asset2, account)) c.assets.touch(asset2, account, provider);
  if (c.poolAssets.shouldTouch(lpToken, account)) c.poolAssets.touch(lpToken, account, provider);
  Pools.set(id, { lp_token: lpToken });

  if (amount1 === 0n || amount2 === 0n) return 0n;
  c.assets.transfer(asset1, provider, account, amount1, 'Preserve');
  c.assets.transfer(asset2, provider, account, amount2, 'Preserve');
  const lpTokenAmount = math(() => lpAmountForZeroSupply(amount1, amount2, c.mintMinLiquidity));
  c.poolAssets.mintInto(lpToken, account, c.mintMinLiquidity);
  c.poolAssets.mintInto(lpToken, provider, lpTokenAmount);
  return lpTokenAmount;
}
