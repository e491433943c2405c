/**
 * `AssetConversionApi<Balance, AssetId>` (version 1, decl_runtime_apis! in pallet-asset-conversion lib.rs) as Asset
 * Hub implements it: `AssetId = xcm::v5::Location` (a plain Location, not a versioned one), `Balance = u128`.
 * polkadot-js calls it as `api.call.assetConversionApi.quotePriceExactTokensForTokens(asset1, asset2, amount, true)`.
 */
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { option, tuple } from '../../scale/composite.ts';
import { bool, u128 } from '../../scale/primitives.ts';
import type { Location } from '../../xcm/index.ts';
import { quotePriceExactTokensForTokens, quotePriceTokensForExactTokens, reserves } from './api.ts';
import { AssetKindCodec } from './types.ts';

const quoteInputs = [
  ['asset1', AssetKindCodec],
  ['asset2', AssetKindCodec],
  ['amount', u128],
  ['include_fee', bool],
] as const;

export const AssetConversionApiDecl: RuntimeApiDecl = {
  name: 'AssetConversionApi',
  version: 1,
  docs: [
    ' This runtime api allows people to query the size of the liquidity pools',
    ' and quote prices for swaps.',
  ],
  methods: {
    quote_price_tokens_for_exact_tokens: {
      inputs: quoteInputs,
      output: option(u128),
      docs: [
        ' Provides a quote for [`Pallet::swap_tokens_for_exact_tokens`].',
        '',
        ' Note that the price may have changed by the time the transaction is executed.',
        ' (Use `amount_in_max` to control slippage.)',
      ],
    },
    quote_price_exact_tokens_for_tokens: {
      inputs: quoteInputs,
      output: option(u128),
      docs: [
        ' Provides a quote for [`Pallet::swap_exact_tokens_for_tokens`].',
        '',
        ' Note that the price may have changed by the time the transaction is executed.',
        ' (Use `amount_out_min` to control slippage.)',
      ],
    },
    get_reserves: {
      inputs: [
        ['asset1', AssetKindCodec],
        ['asset2', AssetKindCodec],
      ],
      output: option(tuple(u128, u128)),
      docs: [' Returns the size of the liquidity pool for the given asset pair.'],
    },
  },
};

/** The implementation over the runtime's AssetConversion pallet (add it to `defineChainRuntime({ apis })`). */
export const assetConversionApi: RuntimeApiImpl = {
  api: AssetConversionApiDecl,
  methods: {
    quote_price_tokens_for_exact_tokens: (a1: Location, a2: Location, amount: bigint, fee: boolean) =>
      quotePriceTokensForExactTokens(a1, a2, amount, fee),
    quote_price_exact_tokens_for_tokens: (a1: Location, a2: Location, amount: bigint, fee: boolean) =>
      quotePriceExactTokensForTokens(a1, a2, amount, fee),
    get_reserves: (a1: Location, a2: Location) => reserves(a1, a2),
  },
};
