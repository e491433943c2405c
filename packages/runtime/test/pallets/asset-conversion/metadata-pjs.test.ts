/**
 * AssetConversion as polkadot-js sees it through our metadata V14/V15 (what polkadot.js Apps and `@polkadot/api` do
 * with `state_getMetadata`): `api.tx.assetConversion.*` at polkadot-sdk's call indices with its argument names and
 * Asset Hub's types (`StagingXcmV5Location`, `u128`, `AccountId32`), the events and errors in polkadot-sdk's order,
 * `api.query.assetConversion.pools` keys and values, the constants, the `AssetConversionApi` declaration; a call
 * polkadot-js encodes runs in our runtime, and the events it deposits decode in polkadot-js.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import { compactStripLength, u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import { signedOrigin } from '../../../src/frame/origin.ts';
import { Pools } from '../../../src/pallets/asset-conversion/index.ts';
import { Events } from '../../../src/pallets/system/index.ts';
import { assertOk } from './helpers.ts';
import { acc, ConversionExt, INDEX, makeConversionRuntime, NATIVE, ready, token } from './mock.ts';

beforeAll(() => ready);

const runtime = makeConversionRuntime().runtime;
const registries = [14, 15].map((v) => {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, generateMetadata(runtime, v as 14 | 15));
  registry.setMetadata(metadata);
  return [v, registry, metadata] as const;
});

const L = 'StagingXcmV5Location';
const I = INDEX.AssetConversion;
/** polkadot-sdk lib.rs `#[pallet::call_index]`es and argument names, as polkadot-js camelCases them. */
const CALLS: Array<[number, string, Array<[string, string]>]> = [
  [
    0,
    'createPool',
    [
      ['asset1', L],
      ['asset2', L],
    ],
  ],
  [
    1,
    'addLiquidity',
    [
      ['asset1', L],
      ['asset2', L],
      ['amount1Desired', 'u128'],
      ['amount2Desired', 'u128'],
      ['amount1Min', 'u128'],
      ['amount2Min', 'u128'],
      ['mintTo', 'AccountId32'],
    ],
  ],
  [
    2,
    'removeLiquidity',
    [
      ['asset1', L],
      ['asset2', L],
      ['lpTokenBurn', 'u128'],
      ['amount1MinReceive', 'u128'],
      ['amount2MinReceive', 'u128'],
      ['withdrawTo', 'AccountId32'],
    ],
  ],
  [
    3,
    'swapExactTokensForTokens',
    [
      ['path', `Vec<${L}>`],
      ['amountIn', 'u128'],
      ['amountOutMin', 'u128'],
      ['sendTo', 'AccountId32'],
      ['keepAlive', 'bool'],
    ],
  ],
  [
    4,
    'swapTokensForExactTokens',
    [
      ['path', `Vec<${L}>`],
      ['amountOut', 'u128'],
      ['amountInMax', 'u128'],
      ['sendTo', 'AccountId32'],
      ['keepAlive', 'bool'],
    ],
  ],
  [
    5,
    'touch',
    [
      ['asset1', L],
      ['asset2', L],
    ],
  ],
];

const ERRORS = [
  'InvalidAssetPair',
  'PoolExists',
  'WrongDesiredAmount',
  'AmountOneLessThanMinimal',
  'AmountTwoLessThanMinimal',
  'ReserveLeftLessThanMinimal',
  'AmountOutTooHigh',
  'PoolNotFound',
  'Overflow',
  'AssetOneDepositDidNotMeetMinimum',
  'AssetTwoDepositDidNotMeetMinimum',
  'AssetOneWithdrawalDidNotMeetMinimum',
  'AssetTwoWithdrawalDidNotMeetMinimum',
  'OptimalAmountLessThanDesired',
  'InsufficientLiquidityMinted',
  'ZeroLiquidity',
  'ZeroAmount',
  'ProvidedMinimumNotSufficientForSwap',
  'ProvidedMaximumNotSufficientForSwap',
  'InvalidPath',
  'NonUniquePath',
  'IncorrectPoolAssetId',
  'BelowMinimum',
  'PoolEmpty',
];

describe.each(registries)('metadata V%i through @polkadot/types', (v, registry, metadata) => {
  const pallet = () => registry.metadata.pallets.find((p) => p.name.toString() === 'AssetConversion')!;

  it('has every call at its polkadot-sdk index with its argument names and types', () => {
    expect(pallet().index.toNumber()).toBe(I);
    for (const [index, name, args] of CALLS) {
      const fn = registry.findMetaCall(new Uint8Array([I, index]));
      expect(`${fn.section}.${fn.method}`).toBe(`assetConversion.${name}`);
      expect(fn.meta.args.map((a) => [a.name.toString(), a.type.toString()])).toEqual(args);
    }
  });

  it('has polkadot-sdk’s events (with their fields) and errors, in order', () => {
    const events = registry.lookup.getSiType(pallet().events.unwrap().type).def.asVariant.variants;
    expect(
      events.map((e) => [e.index.toNumber(), e.name.toString(), e.fields.map((f) => f.name.toString())]),
    ).toEqual([
      [0, 'PoolCreated', ['creator', 'pool_id', 'pool_account', 'lp_token']],
      [
        1,
        'LiquidityAdded',
        ['who', 'mint_to', 'pool_id', 'amount1_provided', 'amount2_provided', 'lp_token', 'lp_token_minted'],
      ],
      [
        2,
        'LiquidityRemoved',
        [
          'who',
          'withdraw_to',
          'pool_id',
          'amount1',
          'amount2',
          'lp_token',
          'lp_token_burned',
          'withdrawal_fee',
        ],
      ],
      [3, 'SwapExecuted', ['who', 'send_to', 'amount_in', 'amount_out', 'path']],
      [4, 'SwapCreditExecuted', ['amount_in', 'amount_out', 'path']],
      [5, 'Touched', ['pool_id', 'who']],
    ]);
    const errors = registry.lookup.getSiType(pallet().errors.unwrap().type).def.asVariant.variants;
    expect(errors.map((e) => e.name.toString())).toEqual(ERRORS);
    expect(errors.map((e) => e.index.toNumber())).toEqual(ERRORS.map((_, i) => i));
  });

  it('has the storage items and constants, whose values decode to the config', () => {
    const items = pallet()
      .storage.unwrap()
      .items.map((i) => i.name.toString());
    expect(items).toEqual(['Pools', 'NextPoolAssetId']);
    const decorated = expandMetadata(registry, metadata);
    const c = decorated.consts.assetConversion as any;
    expect(c.lpFee.toNumber()).toBe(3);
    expect(c.poolSetupFee.toBigInt()).toBe(100n);
    expect(c.poolSetupFeeAsset.toJSON()).toEqual({ parents: 0, interior: { here: null } });
    expect(c.liquidityWithdrawalFee.toNumber()).toBe(0);
    expect(c.mintMinLiquidity.toBigInt()).toBe(100n);
    expect(c.maxSwapPathLength.toNumber()).toBe(4);
    expect(c.palletId.toU8a()).toEqual(new TextEncoder().encode('py/ascon'));
    if (v === 15) {
      const typeName = (t: any) => {
        const def = registry.lookup.getTypeDef(t);
        return def.lookupName ?? def.type;
      };
      const api = metadata.asV15.apis.find((a) => a.name.toString() === 'AssetConversionApi')!;
      expect(
        api.methods.map((m) => [
          m.name.toString(),
          m.inputs.map((i) => `${i.name}: ${typeName(i.type)}`),
          typeName(m.output),
        ]),
      ).toEqual([
        [
          'quote_price_tokens_for_exact_tokens',
          [`asset1: ${L}`, `asset2: ${L}`, 'amount: u128', 'include_fee: bool'],
          'Option<u128>',
        ],
        [
          'quote_price_exact_tokens_for_tokens',
          [`asset1: ${L}`, `asset2: ${L}`, 'amount: u128', 'include_fee: bool'],
          'Option<u128>',
        ],
        ['get_reserves', [`asset1: ${L}`, `asset2: ${L}`], 'Option<(u128,u128)>'],
      ]);
    }
  });

  it('runs calls polkadot-js encodes; the storage keys it derives hold the pools; the events decode', () => {
    const alice = acc(1);
    const location2 = { parents: 1, interior: { X1: [{ Parachain: 2002 }] } };
    const ext = new ConversionExt(
      {},
      {
        balances: [[alice, 1_000_000n]],
        foreignAssets: [[token(2), alice, false, 1n]],
        foreignAccounts: [[token(2), alice, 10_000n]],
      },
    );
    // Arguments in call order, as `api.tx.assetConversion.addLiquidity(a, b, ...)` takes them.
    const pjsCall = (callIndex: number, args: unknown[]) =>
      registry.createType('Call', { callIndex: [I, callIndex], args }).toU8a();
    const run = (bytes: Uint8Array) =>
      ext.run(() => ext.chain.runtime.dispatch(ext.chain.runtime.decodeCall(bytes), signedOrigin(alice)));

    assertOk(ext, run(pjsCall(0, [location2, { parents: 0, interior: 'Here' }])));
    assertOk(
      ext,
      run(pjsCall(1, [{ parents: 0, interior: 'Here' }, location2, 100_000, 1_000, 1, 1, alice])),
    );
    ext.run(() => Events.set([]));
    assertOk(ext, run(pjsCall(3, [[location2, { parents: 0, interior: 'Here' }], 10, 1, alice, true])));

    // api.query.assetConversion.pools([native, token]): the key polkadot-js derives is ours.
    const decorated = expandMetadata(registry, metadata);
    const poolKey = [{ parents: 0, interior: 'Here' }, location2];
    const [, key] = compactStripLength((decorated.query.assetConversion as any).pools(poolKey));
    expect(u8aToHex(key)).toBe(u8aToHex(ext.run(() => Pools.key([NATIVE, token(2)]))));
    const info = registry.createTypeUnsafe(
      registry.createLookupType((decorated.query.assetConversion as any).pools.meta.type.asMap.value),
      [ext.backend.get(key)!],
    );
    expect(info.toJSON()).toEqual({ lpToken: 0 });

    const records = registry.createType(
      'Vec<FrameSystemEventRecord>',
      ext.backend.get(ext.run(() => Events.key())),
    ) as any;
    const swap = records.map((r: any) => r.event).find((e: any) => e.section === 'assetConversion');
    expect(swap.method).toBe('SwapExecuted');
    // get_amount_out(10, 1000, 100000) = ⌊10·997·100000 / (1000·1000 + 9970)⌋ = 987
    const ss58 = registry.createType('AccountId32', alice).toString();
    expect(swap.toJSON().data).toEqual([
      ss58,
      ss58,
      10,
      987,
      [
        [{ parents: 1, interior: { x1: [{ parachain: 2002 }] } }, 10],
        [{ parents: 0, interior: { here: null } }, 987],
      ],
    ]);
  });
});
