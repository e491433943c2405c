/**
 * Genesis pools (polkadot-sdk's `GenesisConfig.pools`: `(asset1, asset2, provider, amount1, amount2)`, built by
 * `setup_pool_from_genesis`), the pool accounts (`AccountIdConverter<PalletId, PoolId>`: blake2_256 of the SCALE
 * `(PalletId, (Location, Location))`, checked with @polkadot/types' own `MultiLocationV5` definition and
 * @polkadot/util-crypto's blake2), and the `AssetConversionApi` runtime API called with bytes @polkadot/types encodes
 * (`xcm::v5::Location` arguments, as Asset Hub's implementation takes), answering in bytes it decodes.
 */
import { TypeRegistry } from '@polkadot/types';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { NextPoolAssetId, Pools, poolAccountOf } from '../../../src/pallets/asset-conversion/index.ts';
import { ScaleDecodeError } from '../../../src/scale/errors.ts';
import type { Location } from '../../../src/xcm/index.ts';
import { accountId32 } from '../../../src/xcm/index.ts';
import { assertNoop, assertOk, balance, poolAccount, poolBalance } from './helpers.ts';
import {
  acc,
  addLiquidity,
  ConversionExt,
  type MockGenesis,
  NATIVE,
  ready,
  swapExactTokensForTokens,
  token,
} from './mock.ts';

beforeAll(() => ready);

const provider = acc(5);
const user = acc(1);
const t2 = token(2);
const t3 = token(3);
const registry = new TypeRegistry();
/** polkadot-js's V5 location value for ours. */
const pjsLocation = (l: Location) => ({
  parents: l.parents,
  interior: l.interior.length === 0 ? 'Here' : { [`X${l.interior.length}`]: l.interior.map(pjsJunction) },
});
const pjsJunction = (j: any) =>
  j.type === 'Parachain'
    ? { Parachain: j.value }
    : j.type === 'GeneralIndex'
      ? { GeneralIndex: j.value }
      : j.type === 'AccountId32'
        ? { AccountId32: { network: null, id: j.value.id } }
        : { PalletInstance: j.value };

const genesis = (pools: MockGenesis['pools'], extra: Partial<MockGenesis> = {}): MockGenesis => ({
  balances: [
    [provider, 1_000_000n],
    [user, 1_000_000n],
  ],
  foreignAssets: [
    [t2, provider, false, 1n],
    [t3, provider, true, 1n],
  ],
  foreignAccounts: [
    [t2, provider, 100_000n],
    [t3, provider, 100_000n],
    [t2, user, 1000n],
  ],
  pools,
  ...extra,
});

describe('pool accounts', () => {
  it('are blake2_256("py/ascon" ++ SCALE((Location, Location))), as @polkadot/types and util-crypto compute it', () => {
    const pairs: Array<[Location, Location]> = [
      [NATIVE, t2],
      [
        { parents: 1, interior: [] },
        {
          parents: 1,
          interior: [
            { type: 'Parachain', value: 1000 },
            { type: 'PalletInstance', value: 50 },
            { type: 'GeneralIndex', value: 1984n },
          ],
        },
      ],
      [NATIVE, { parents: 0, interior: [accountId32(new Uint8Array(32).fill(7))] }],
    ];
    for (const [a, b] of pairs) {
      const encoded = registry
        .createType('(MultiLocationV5, MultiLocationV5)', [pjsLocation(a), pjsLocation(b)])
        .toU8a();
      const expected = blake2AsU8a(u8aConcat(stringToU8a('py/ascon'), encoded), 256);
      expect(poolAccountOf('PalletIdSeed', stringToU8a('py/ascon'), [a, b], 32)).toEqual(expected);
      // The seedless converter Asset Hub used before the migration, and a 20-byte account (TrailingZeroInput).
      expect(poolAccountOf('NoSeed', stringToU8a('py/ascon'), [a, b], 32)).toEqual(blake2AsU8a(encoded, 256));
      expect(poolAccountOf('PalletIdSeed', stringToU8a('py/ascon'), [a, b], 20)).toEqual(
        expected.slice(0, 20),
      );
    }
  });
});

describe('genesis', () => {
  it('seeds a pool from a funded provider: √(10000·200) − 100 = 1314 LP tokens, 100 locked, no setup fee', () => {
    const ext = new ConversionExt({}, genesis([[NATIVE, t2, provider, 10000n, 200n]]));
    const pool = poolAccount(ext, NATIVE, t2);
    expect(balance(ext, pool, NATIVE)).toBe(10000n);
    expect(balance(ext, pool, t2)).toBe(200n);
    expect(poolBalance(ext, provider, 0)).toBe(1314n);
    expect(poolBalance(ext, pool, 0)).toBe(100n);
    // ...and the deposit (AssetAccountDeposit 10) of the pool's t2 account, which it touched.
    expect(balance(ext, provider, NATIVE)).toBe(1_000_000n - 10000n - 10n);
    expect(balance(ext, provider, t2)).toBe(100_000n - 200n);
    expect(ext.run(() => [...Pools.iter()])).toEqual([[[NATIVE, t2], { lp_token: 0 }]]);
    expect(ext.run(() => NextPoolAssetId.get())).toBe(1);
    // It trades at once: get_amount_out(100, 200, 10000) = 3326.
    assertOk(ext, ext.dispatch(user, swapExactTokensForTokens([t2, NATIVE], 100n, 1n, user, true)));
    expect(balance(ext, user, NATIVE)).toBe(1_000_000n + 3326n);
  });

  it('seeds several pools, in either asset order, and an empty one that takes liquidity later', () => {
    const ext = new ConversionExt(
      {},
      genesis([
        [t3, NATIVE, provider, 500n, 20000n],
        [NATIVE, t2, provider, 0n, 0n],
      ]),
    );
    expect(ext.run(() => [...Pools.iter()]).map(([id, info]) => [id, info.lp_token])).toEqual(
      expect.arrayContaining([
        [[NATIVE, t3], 0],
        [[NATIVE, t2], 1],
      ]),
    );
    const p3 = poolAccount(ext, NATIVE, t3);
    expect(balance(ext, p3, t3)).toBe(500n);
    expect(balance(ext, p3, NATIVE)).toBe(20000n);
    expect(poolBalance(ext, provider, 0)).toBe(3062n); // ⌊√(500·20000)⌋ − 100
    assertNoop(
      ext,
      user,
      swapExactTokensForTokens([t2, NATIVE], 10n, 1n, user, true),
      'AssetConversion.PoolEmpty',
    );
    assertOk(ext, ext.dispatch(user, addLiquidity(NATIVE, t2, 10000n, 100n, 1n, 1n, user)));
  });

  it('refuses a bad pool list with a named error saying which pool and why', () => {
    const bad: Array<[MockGenesis['pools'], RegExp]> = [
      [[[NATIVE, NATIVE, provider, 1n, 1n]], /InvalidAssetPair/],
      [[[t2, t3, provider, 1000n, 1000n]], /InvalidAssetPair/], // Asset Hub's locator: the native token in every pool
      [
        [
          [NATIVE, t2, provider, 1000n, 10n],
          [t2, NATIVE, provider, 1000n, 10n],
        ],
        /PoolExists/,
      ],
      [[[NATIVE, t2, provider, 2_000_000n, 10n]], /FundsUnavailable/], // more than the provider holds
      [[[NATIVE, t2, provider, 100n, 1n]], /InsufficientLiquidityMinted/], // √100 < MintMinLiquidity
      [[[NATIVE, t2, provider, 10n, 10n]], /BelowMinimum/], // the pool account would not reach the ED
      [[[NATIVE, t2, provider, 1n << 130n, 10n]], /Overflow/],
    ];
    for (const [pools, reason] of bad) {
      let error: unknown;
      try {
        new ConversionExt({ poolLocator: 'WithFirstAsset' }, genesis(pools));
      } catch (err) {
        error = err;
      }
      expect((error as Error)?.name).toBe('AssetConversionGenesisError');
      expect((error as Error).message).toMatch(reason);
    }
  });
});

describe('AssetConversionApi', () => {
  const ext = () =>
    new ConversionExt(
      {},
      genesis([
        [NATIVE, t2, provider, 10000n, 200n],
        [NATIVE, t3, provider, 0n, 0n],
      ]),
    );
  const quoteArgs = (a: Location, b: Location, amount: bigint, fee: boolean) =>
    registry
      .createType('(MultiLocationV5, MultiLocationV5, u128, bool)', [
        pjsLocation(a),
        pjsLocation(b),
        amount,
        fee,
      ])
      .toU8a();
  const pairArgs = (a: Location, b: Location) =>
    registry.createType('(MultiLocationV5, MultiLocationV5)', [pjsLocation(a), pjsLocation(b)]).toU8a();
  const optU128 = (bytes: Uint8Array) => {
    const o = registry.createType('Option<u128>', bytes);
    return o.isSome ? o.unwrap().toBigInt() : undefined;
  };

  it('quotes as can_quote_price does (46 and 4299 with the fee, 60 and 3000 without), none where it cannot', () => {
    const e = ext();
    const exact = (a: Location, b: Location, n: bigint, fee: boolean) =>
      optU128(e.callApi('AssetConversionApi_quote_price_exact_tokens_for_tokens', quoteArgs(a, b, n, fee)));
    const forExact = (a: Location, b: Location, n: bigint, fee: boolean) =>
      optU128(e.callApi('AssetConversionApi_quote_price_tokens_for_exact_tokens', quoteArgs(a, b, n, fee)));
    expect(exact(NATIVE, t2, 3000n, true)).toBe(46n);
    expect(exact(NATIVE, t2, 3000n, false)).toBe(60n);
    expect(forExact(NATIVE, t2, 60n, true)).toBe(4299n);
    expect(forExact(t2, NATIVE, 3000n, false)).toBe(60n);
    expect(exact(NATIVE, t2, 0n, true)).toBeUndefined(); // a zero amount
    expect(exact(NATIVE, t2, 1n, true)).toBeUndefined(); // rounds to nothing
    expect(forExact(NATIVE, t2, 200n, true)).toBeUndefined(); // the whole reserve
    expect(exact(NATIVE, t3, 100n, true)).toBeUndefined(); // an empty pool
    expect(exact(t2, t3, 100n, true)).toBeUndefined(); // no such pair
    expect(exact(NATIVE, NATIVE, 100n, true)).toBeUndefined();
  });

  it('reports reserves in the order asked, none for an empty pool or a pair without one', () => {
    const e = ext();
    const reserves = (a: Location, b: Location) => {
      const o = registry.createType(
        'Option<(u128, u128)>',
        e.callApi('AssetConversionApi_get_reserves', pairArgs(a, b)),
      );
      return o.isSome ? (o.unwrap() as any).map((x: any) => x.toBigInt()) : undefined;
    };
    expect(reserves(NATIVE, t2)).toEqual([10000n, 200n]);
    expect(reserves(t2, NATIVE)).toEqual([200n, 10000n]);
    expect(reserves(NATIVE, t3)).toBeUndefined();
    expect(reserves(t2, t3)).toBeUndefined();
  });

  it('changes no state, and refuses malformed input with a decode error', () => {
    const e = ext();
    const before = e.snapshot();
    e.callApi('AssetConversionApi_quote_price_exact_tokens_for_tokens', quoteArgs(NATIVE, t2, 3000n, true));
    expect(e.snapshot()).toEqual(before);
    const good = quoteArgs(NATIVE, t2, 3000n, true);
    const hostile = [
      good.slice(0, good.length - 1), // truncated
      u8aConcat(good, new Uint8Array([0])), // trailing byte
      new Uint8Array([0, 9, ...good.slice(2)]), // X9 junctions
      new Uint8Array([0, 1, 0xff, 0xff, 0xff, 0xff]), // a junction variant that does not exist
      new Uint8Array(),
    ];
    for (const input of hostile)
      expect(() => e.callApi('AssetConversionApi_quote_price_exact_tokens_for_tokens', input)).toThrow(
        ScaleDecodeError,
      );
    expect(e.snapshot()).toEqual(before);
  });
});
