/**
 * pallet-asset-conversion (polkadot-sdk substrate/frame/asset-conversion): a Uniswap-V2 constant-product exchange
 * between pairs of assets named by XCM Location, as Asset Hub runs it. Calls at polkadot-sdk's indices:
 * `create_pool` 0, `add_liquidity` 1, `remove_liquidity` 2, `swap_exact_tokens_for_tokens` 3,
 * `swap_tokens_for_exact_tokens` 4, `touch` 5. The work is in logic.ts; other pallets use api.ts.
 */
import { AccountId } from '../../frame/account.ts';
import { DispatchFailure, describeDispatchError } from '../../frame/dispatch-error.ts';
import { ensureSigned } from '../../frame/origin.ts';
import { call, constant } from '../../frame/pallet.ts';
import { vec } from '../../scale/composite.ts';
import { bool, u128, u32 } from '../../scale/primitives.ts';
import type { Location } from '../../xcm/index.ts';
import { p } from './items.ts';
import {
  doAddLiquidity,
  doCreatePool,
  doRemoveLiquidity,
  doSwapExactTokensForTokens,
  doSwapTokensForExactTokens,
  doTouch,
  setupPoolFromGenesis,
} from './logic.ts';
import { AssetConversionMathError } from './math.ts';
import {
  type AssetConversionConfig,
  AssetKindCodec,
  PalletIdCodec,
  PermillCodec,
  resolveConfig,
} from './types.ts';
import { AssetConversionWeights } from './weights.ts';

export interface AssetConversionGenesis {
  /**
   * Pools to create at genesis, as polkadot-sdk's `GenesisConfig.pools`: `(asset1, asset2, liquidity_provider,
   * amount1, amount2)`. The provider must hold both amounts (Balances / ForeignAssets genesis, built first) and keeps
   * at least the existential deposit; both amounts 0 makes an empty pool. No setup fee is charged.
   */
  pools: Array<[Location, Location, Uint8Array, bigint, bigint]>;
}

export class AssetConversionGenesisError extends Error {
  override name = 'AssetConversionGenesisError';
}

const kind = 'Box<T::AssetKind>';
const bal = 'T::Balance';
const acc = 'T::AccountId';

export const AssetConversion = p.build({
  docs: [],
  calls: {
    create_pool: call(
      0,
      { asset1: AssetKindCodec, asset2: AssetKindCodec },
      {
        weight: AssetConversionWeights.createPool,
        dispatch(origin, { asset1, asset2 }) {
          doCreatePool(ensureSigned(origin), asset1, asset2);
        },
        typeNames: { asset1: kind, asset2: kind },
        docs: [
          ' Creates an empty liquidity pool and an associated new `lp_token` asset',
          ' (the id of which is returned in the `Event::PoolCreated` event).',
          '',
          ' Once a pool is created, someone may [`Pallet::add_liquidity`] to it.',
        ],
      },
    ),
    add_liquidity: call(
      1,
      {
        asset1: AssetKindCodec,
        asset2: AssetKindCodec,
        amount1_desired: u128,
        amount2_desired: u128,
        amount1_min: u128,
        amount2_min: u128,
        mint_to: AccountId,
      },
      {
        weight: AssetConversionWeights.addLiquidity,
        dispatch(origin, a) {
          const who = ensureSigned(origin);
          doAddLiquidity(
            who,
            a.asset1,
            a.asset2,
            a.amount1_desired,
            a.amount2_desired,
            a.amount1_min,
            a.amount2_min,
            a.mint_to,
          );
        },
        typeNames: {
          asset1: kind,
          asset2: kind,
          amount1_desired: bal,
          amount2_desired: bal,
          amount1_min: bal,
          amount2_min: bal,
          mint_to: acc,
        },
        docs: [
          ' Provide liquidity into the pool of `asset1` and `asset2`.',
          ' NOTE: an optimal amount of asset1 and asset2 will be calculated and',
          ' might be different than the provided `amount1_desired`/`amount2_desired`',
          " thus you should provide the min amount you're happy to provide.",
          ' Params `amount1_min`/`amount2_min` represent that.',
          ' `mint_to` will be sent the liquidity tokens that represent this share of the pool.',
          '',
          ' Once liquidity is added, someone may successfully call',
          ' [`Pallet::swap_exact_tokens_for_tokens`].',
        ],
      },
    ),
    remove_liquidity: call(
      2,
      {
        asset1: AssetKindCodec,
        asset2: AssetKindCodec,
        lp_token_burn: u128,
        amount1_min_receive: u128,
        amount2_min_receive: u128,
        withdraw_to: AccountId,
      },
      {
        weight: AssetConversionWeights.removeLiquidity,
        dispatch(origin, a) {
          const who = ensureSigned(origin);
          doRemoveLiquidity(
            who,
            a.asset1,
            a.asset2,
            a.lp_token_burn,
            a.amount1_min_receive,
            a.amount2_min_receive,
            a.withdraw_to,
          );
        },
        typeNames: {
          asset1: kind,
          asset2: kind,
          lp_token_burn: bal,
          amount1_min_receive: bal,
          amount2_min_receive: bal,
          withdraw_to: acc,
        },
        docs: [
          ' Allows you to remove liquidity by providing the `lp_token_burn` tokens that will be',
          ' burned in the process. With the usage of `amount1_min_receive`/`amount2_min_receive`',
          " it's possible to control the min amount of returned tokens you're happy with.",
        ],
      },
    ),
    swap_exact_tokens_for_tokens: call(
      3,
      {
        path: vec(AssetKindCodec),
        amount_in: u128,
        amount_out_min: u128,
        send_to: AccountId,
        keep_alive: bool,
      },
      {
        weight: ({ path }) => AssetConversionWeights.swapExactTokensForTokens(path.length),
        dispatch(origin, a) {
          const sender = ensureSigned(origin);
          doSwapExactTokensForTokens(sender, a.path, a.amount_in, a.amount_out_min, a.send_to, a.keep_alive);
        },
        typeNames: {
          path: 'Vec<Box<T::AssetKind>>',
          amount_in: bal,
          amount_out_min: bal,
          send_to: acc,
          keep_alive: 'bool',
        },
        docs: [
          ' Swap the exact amount of `asset1` into `asset2`.',
          ' `amount_out_min` param allows you to specify the min amount of the `asset2`',
          " you're happy to receive.",
          '',
          ' [`AssetConversionApi::quote_price_exact_tokens_for_tokens`] runtime call can be called',
          ' for a quote.',
        ],
      },
    ),
    swap_tokens_for_exact_tokens: call(
      4,
      {
        path: vec(AssetKindCodec),
        amount_out: u128,
        amount_in_max: u128,
        send_to: AccountId,
        keep_alive: bool,
      },
      {
        weight: ({ path }) => AssetConversionWeights.swapTokensForExactTokens(path.length),
        dispatch(origin, a) {
          const sender = ensureSigned(origin);
          doSwapTokensForExactTokens(sender, a.path, a.amount_out, a.amount_in_max, a.send_to, a.keep_alive);
        },
        typeNames: {
          path: 'Vec<Box<T::AssetKind>>',
          amount_out: bal,
          amount_in_max: bal,
          send_to: acc,
          keep_alive: 'bool',
        },
        docs: [
          ' Swap any amount of `asset1` to get the exact amount of `asset2`.',
          ' `amount_in_max` param allows to specify the max amount of the `asset1`',
          " you're happy to provide.",
          '',
          ' [`AssetConversionApi::quote_price_tokens_for_exact_tokens`] runtime call can be called',
          ' for a quote.',
        ],
      },
    ),
    touch: call(
      5,
      { asset1: AssetKindCodec, asset2: AssetKindCodec },
      {
        weight: () => AssetConversionWeights.touch(3),
        dispatch(origin, { asset1, asset2 }) {
          const refunds = doTouch(ensureSigned(origin), asset1, asset2);
          return { actualWeight: AssetConversionWeights.touch(refunds) };
        },
        typeNames: { asset1: kind, asset2: kind },
        docs: [
          ' Touch an existing pool to fulfill prerequisites before providing liquidity, such as',
          " ensuring that the pool's accounts are in place. It is typically useful when a pool",
          " creator removes the pool's accounts and does not provide a liquidity. This action may",
          " involve holding assets from the caller as a deposit for creating the pool's accounts.",
          '',
          ' The origin must be Signed.',
          '',
          ' - `asset1`: The asset ID of an existing pool with a pair (asset1, asset2).',
          ' - `asset2`: The asset ID of an existing pool with a pair (asset1, asset2).',
          '',
          ' Emits `Touched` event when successful.',
        ],
      },
    ),
  },
  constants: {
    LPFee: constant(u32, (c: AssetConversionConfig) => resolveConfig(c).lpFee, [
      ' A % the liquidity providers will take of every swap. Represents 10ths of a percent.',
    ]),
    PoolSetupFee: constant(u128, (c: AssetConversionConfig) => resolveConfig(c).poolSetupFee, [
      ' A one-time fee to setup the pool.',
    ]),
    PoolSetupFeeAsset: constant(
      AssetKindCodec,
      (c: AssetConversionConfig) => resolveConfig(c).poolSetupFeeAsset,
      [' Asset class from [`Config::Assets`] used to pay the [`Config::PoolSetupFee`].'],
    ),
    LiquidityWithdrawalFee: constant(
      PermillCodec,
      (c: AssetConversionConfig) => resolveConfig(c).liquidityWithdrawalFee,
      [' A fee to withdraw the liquidity.'],
    ),
    MintMinLiquidity: constant(u128, (c: AssetConversionConfig) => resolveConfig(c).mintMinLiquidity, [
      ' The minimum LP token amount that could be minted. Ameliorates rounding errors.',
    ]),
    MaxSwapPathLength: constant(u32, (c: AssetConversionConfig) => resolveConfig(c).maxSwapPathLength, [
      ' The max number of hops in a swap.',
    ]),
    PalletId: constant(PalletIdCodec, (c: AssetConversionConfig) => resolveConfig(c).palletId, [
      " The pallet's id, used for deriving its sovereign account ID.",
    ]),
  },
  genesis: {
    default: (): AssetConversionGenesis => ({ pools: [] }),
    build(g: AssetConversionGenesis) {
      for (const [asset1, asset2, provider, amount1, amount2] of g.pools) {
        try {
          setupPoolFromGenesis(asset1, asset2, provider, amount1, amount2);
        } catch (err) {
          const reason =
            err instanceof DispatchFailure
              ? `${err.message} (${describeDispatchError(err.error)})`
              : err instanceof AssetConversionMathError
                ? err.error
                : undefined;
          if (reason === undefined) throw err;
          throw new AssetConversionGenesisError(
            `Genesis pool (${JSON.stringify(asset1)}, ${JSON.stringify(asset2)}) setup failed: ${reason}`,
          );
        }
      }
    },
  },
});
