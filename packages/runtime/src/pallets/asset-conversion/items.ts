/**
 * pallet_asset_conversion's declarations: storage, events and errors with polkadot-sdk's names, indices, field names
 * and docs (substrate/frame/asset-conversion/src/lib.rs).
 */
import { AccountId } from '../../frame/account.ts';
import { pallet } from '../../frame/pallet.ts';
import { struct } from '../../scale/composite.ts';
import { u128, u32 } from '../../scale/primitives.ts';
import {
  type AssetConversionConfig,
  BalancePathCodec,
  PermillCodec,
  PoolIdCodec,
  PoolInfoCodec,
  type ResolvedConfig,
  resolveConfig,
} from './types.ts';

export const p = pallet<AssetConversionConfig>('AssetConversion', { module: 'pallet_asset_conversion' });

const resolved = new WeakMap<AssetConversionConfig, ResolvedConfig>();
/** This runtime's config with Asset Hub's defaults filled in (checked once per config object). */
export function config(): ResolvedConfig {
  const c = p.config();
  let r = resolved.get(c);
  if (!r) {
    r = resolveConfig(c);
    resolved.set(c, r);
  }
  return r;
}

export const Pools = p.map('Pools', ['Blake2_128Concat', PoolIdCodec], PoolInfoCodec, {
  docs: [
    ' Map from `PoolAssetId` to `PoolInfo`. This establishes whether a pool has been officially',
    " created rather than people sending tokens directly to a pool's public account.",
  ],
});

export const NextPoolAssetId = p.value('NextPoolAssetId', u32, {
  docs: [
    ' Stores the `PoolAssetId` that is going to be used for the next lp token.',
    ' This gets incremented whenever a new lp pool is created.',
  ],
});

const A = 'T::AccountId';
const B = 'T::Balance';
export const AssetConversionEvent = p.events({
  PoolCreated: [
    0,
    struct(
      { creator: AccountId, pool_id: PoolIdCodec, pool_account: AccountId, lp_token: u32 },
      { creator: A, pool_id: 'T::PoolId', pool_account: A, lp_token: 'T::PoolAssetId' },
      {
        creator: [' The account that created the pool.'],
        pool_id: [
          ' The pool id associated with the pool. Note that the order of the assets may not be',
          ' the same as the order specified in the create pool extrinsic.',
        ],
        pool_account: [' The account ID of the pool.'],
        lp_token: [
          ' The id of the liquidity tokens that will be minted when assets are added to this',
          ' pool.',
        ],
      },
    ),
    [' A successful call of the `CreatePool` extrinsic will create this event.'],
  ],
  LiquidityAdded: [
    1,
    struct(
      {
        who: AccountId,
        mint_to: AccountId,
        pool_id: PoolIdCodec,
        amount1_provided: u128,
        amount2_provided: u128,
        lp_token: u32,
        lp_token_minted: u128,
      },
      {
        who: A,
        mint_to: A,
        pool_id: 'T::PoolId',
        amount1_provided: B,
        amount2_provided: B,
        lp_token: 'T::PoolAssetId',
        lp_token_minted: B,
      },
      {
        who: [' The account that the liquidity was taken from.'],
        mint_to: [' The account that the liquidity tokens were minted to.'],
        pool_id: [' The pool id of the pool that the liquidity was added to.'],
        amount1_provided: [' The amount of the first asset that was added to the pool.'],
        amount2_provided: [' The amount of the second asset that was added to the pool.'],
        lp_token: [' The id of the lp token that was minted.'],
        lp_token_minted: [' The amount of lp tokens that were minted of that id.'],
      },
    ),
    [' A successful call of the `AddLiquidity` extrinsic will create this event.'],
  ],
  LiquidityRemoved: [
    2,
    struct(
      {
        who: AccountId,
        withdraw_to: AccountId,
        pool_id: PoolIdCodec,
        amount1: u128,
        amount2: u128,
        lp_token: u32,
        lp_token_burned: u128,
        withdrawal_fee: PermillCodec,
      },
      {
        who: A,
        withdraw_to: A,
        pool_id: 'T::PoolId',
        amount1: B,
        amount2: B,
        lp_token: 'T::PoolAssetId',
        lp_token_burned: B,
        withdrawal_fee: 'Permill',
      },
      {
        who: [' The account that the liquidity tokens were burned from.'],
        withdraw_to: [' The account that the assets were transferred to.'],
        pool_id: [' The pool id that the liquidity was removed from.'],
        amount1: [' The amount of the first asset that was removed from the pool.'],
        amount2: [' The amount of the second asset that was removed from the pool.'],
        lp_token: [' The id of the lp token that was burned.'],
        lp_token_burned: [' The amount of lp tokens that were burned of that id.'],
        withdrawal_fee: [' Liquidity withdrawal fee (%).'],
      },
    ),
    [' A successful call of the `RemoveLiquidity` extrinsic will create this event.'],
  ],
  SwapExecuted: [
    3,
    struct(
      { who: AccountId, send_to: AccountId, amount_in: u128, amount_out: u128, path: BalancePathCodec },
      { who: A, send_to: A, amount_in: B, amount_out: B, path: 'BalancePath<T>' },
      {
        who: [' Which account was the instigator of the swap.'],
        send_to: [' The account that the assets were transferred to.'],
        amount_in: [' The amount of the first asset that was swapped.'],
        amount_out: [' The amount of the second asset that was received.'],
        path: [
          ' The route of asset IDs with amounts that the swap went through.',
          ' E.g. (A, amount_in) -> (Dot, amount_out) -> (B, amount_out)',
        ],
      },
    ),
    [
      ' Assets have been converted from one to another. Both `SwapExactTokenForToken`',
      ' and `SwapTokenForExactToken` will generate this event.',
    ],
  ],
  SwapCreditExecuted: [
    4,
    struct(
      { amount_in: u128, amount_out: u128, path: BalancePathCodec },
      { amount_in: B, amount_out: B, path: 'BalancePath<T>' },
      {
        amount_in: [' The amount of the first asset that was swapped.'],
        amount_out: [' The amount of the second asset that was received.'],
        path: [
          ' The route of asset IDs with amounts that the swap went through.',
          ' E.g. (A, amount_in) -> (Dot, amount_out) -> (B, amount_out)',
        ],
      },
    ),
    [' Assets have been converted from one to another.'],
  ],
  Touched: [
    5,
    struct(
      { pool_id: PoolIdCodec, who: AccountId },
      { pool_id: 'T::PoolId', who: A },
      { pool_id: [' The ID of the pool.'], who: [' The account initiating the touch.'] },
    ),
    [' Pool has been touched in order to fulfill operational requirements.'],
  ],
});

export const AssetConversionError = p.errors({
  InvalidAssetPair: [0, [' Provided asset pair is not supported for pool.']],
  PoolExists: [1, [' Pool already exists.']],
  WrongDesiredAmount: [2, [" Desired amount can't be zero."]],
  AmountOneLessThanMinimal: [
    3,
    [
      " Provided amount should be greater than or equal to the existential deposit/asset's",
      ' minimal amount.',
    ],
  ],
  AmountTwoLessThanMinimal: [
    4,
    [
      " Provided amount should be greater than or equal to the existential deposit/asset's",
      ' minimal amount.',
    ],
  ],
  ReserveLeftLessThanMinimal: [
    5,
    [
      " Reserve needs to always be greater than or equal to the existential deposit/asset's",
      ' minimal amount.',
    ],
  ],
  AmountOutTooHigh: [6, [" Desired amount can't be equal to the pool reserve."]],
  PoolNotFound: [7, [" The pool doesn't exist."]],
  Overflow: [8, [' An overflow happened.']],
  AssetOneDepositDidNotMeetMinimum: [
    9,
    [" The minimal amount requirement for the first token in the pair wasn't met."],
  ],
  AssetTwoDepositDidNotMeetMinimum: [
    10,
    [" The minimal amount requirement for the second token in the pair wasn't met."],
  ],
  AssetOneWithdrawalDidNotMeetMinimum: [
    11,
    [" The minimal amount requirement for the first token in the pair wasn't met."],
  ],
  AssetTwoWithdrawalDidNotMeetMinimum: [
    12,
    [" The minimal amount requirement for the second token in the pair wasn't met."],
  ],
  OptimalAmountLessThanDesired: [13, [' Optimal calculated amount is less than desired.']],
  InsufficientLiquidityMinted: [14, [' Insufficient liquidity minted.']],
  ZeroLiquidity: [15, [" Requested liquidity can't be zero."]],
  ZeroAmount: [16, [" Amount can't be zero."]],
  ProvidedMinimumNotSufficientForSwap: [17, [' Calculated amount out is less than provided minimum amount.']],
  ProvidedMaximumNotSufficientForSwap: [18, [' Provided maximum amount is not sufficient for swap.']],
  InvalidPath: [19, [' The provided path must consists of 2 assets at least.']],
  NonUniquePath: [20, [' The provided path must consists of unique assets.']],
  IncorrectPoolAssetId: [21, [' It was not possible to get or increment the Id of the pool.']],
  BelowMinimum: [22, [' The destination account cannot exist with the swapped funds.']],
  PoolEmpty: [23, [' The pool exists but has no liquidity (at least one of the reserves is zero).']],
});

export type AssetConversionErrorName = Parameters<typeof AssetConversionError.fail>[0];
