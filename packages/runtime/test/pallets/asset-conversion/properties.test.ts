/**
 * Properties of the exchange over random sequences of calls (fast-check), in the mock runtime with a genesis pool:
 * - k = x·y of the pool never decreases across a swap, and the value of one LP token, √(x·y) / supply, never
 *   decreases across anything (swaps, adding, removing liquidity);
 * - a `swap_tokens_for_exact_tokens` never takes more than `amount_in_max` and pays exactly `amount_out`; a
 *   `swap_exact_tokens_for_tokens` takes exactly `amount_in` and pays at least `amount_out_min`;
 * - a call that fails changes nothing; no call creates or destroys the native token or the foreign token.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { TotalIssuance } from '../../../src/pallets/balances/index.ts';
import type { Location } from '../../../src/xcm/index.ts';
import { balance, poolAccount, poolBalance } from './helpers.ts';
import {
  acc,
  addLiquidity,
  ConversionExt,
  ForeignAssetsInstance,
  NATIVE,
  PoolAssetsInstance,
  ready,
  removeLiquidity,
  swapExactTokensForTokens,
  swapTokensForExactTokens,
  token,
} from './mock.ts';

beforeAll(() => ready);

const T2 = token(2);
const provider = acc(5);
const traders = [acc(1), acc(2), acc(3)];
const assets: [Location, Location] = [NATIVE, T2];

const op = fc.oneof(
  fc.record({
    kind: fc.constant('exactIn' as const),
    who: fc.nat(2),
    dir: fc.boolean(),
    amount: fc.bigInt({ min: 0n, max: 5n * 10n ** 9n }),
    limit: fc.bigInt({ min: 0n, max: 10n ** 9n }),
  }),
  fc.record({
    kind: fc.constant('exactOut' as const),
    who: fc.nat(2),
    dir: fc.boolean(),
    amount: fc.bigInt({ min: 0n, max: 10n ** 9n }),
    limit: fc.bigInt({ min: 0n, max: 5n * 10n ** 9n }),
  }),
  fc.record({
    kind: fc.constant('add' as const),
    who: fc.nat(2),
    dir: fc.boolean(),
    amount: fc.bigInt({ min: 0n, max: 10n ** 9n }),
    limit: fc.bigInt({ min: 0n, max: 10n ** 9n }),
  }),
  fc.record({
    kind: fc.constant('remove' as const),
    who: fc.nat(2),
    dir: fc.boolean(),
    amount: fc.bigInt({ min: 1n, max: 100n }), // percent of the caller's LP tokens
    limit: fc.constant(0n),
  }),
);

describe('random sequences of swaps and liquidity changes', () => {
  it('keep k, the LP token value, the slippage bounds, the supplies, and failed calls change nothing', () => {
    // How often each kind of call went through: the checks on success must have run, not only the failures.
    const succeeded = { exactIn: 0, exactOut: 0, add: 0, remove: 0, failed: 0 };
    fc.assert(
      fc.property(
        fc.bigInt({ min: 10n ** 6n, max: 10n ** 12n }),
        fc.bigInt({ min: 10n ** 4n, max: 10n ** 12n }),
        fc.array(op, { minLength: 1, maxLength: 8 }),
        (reserveNative, reserveToken, ops) => {
          const ext = new ConversionExt(
            {},
            {
              balances: [
                [provider, 10n ** 15n],
                ...traders.map((t) => [t, 10n ** 13n] as [Uint8Array, bigint]),
              ],
              foreignAssets: [[T2, provider, false, 1n]],
              foreignAccounts: [
                [T2, provider, 10n ** 15n],
                ...traders.map((t) => [T2, t, 10n ** 13n] as [Location, Uint8Array, bigint]),
              ],
              pools: [[NATIVE, T2, provider, reserveNative, reserveToken]],
            },
          );
          const pool = poolAccount(ext, NATIVE, T2);
          const state = () => ({
            x: balance(ext, pool, NATIVE),
            y: balance(ext, pool, T2),
            supply: ext.run(() => PoolAssetsInstance.fungibles.totalIssuance(0)),
            native: ext.run(() => TotalIssuance.get()),
            foreign: ext.run(() => ForeignAssetsInstance.fungibles.totalIssuance(T2)),
          });
          // The liquidity providers of the run: the genesis provider and the traders who add.
          const providers = [provider, ...traders];
          for (const o of ops) {
            const who = traders[o.who];
            const [a, b] = o.dir ? assets : [assets[1], assets[0]];
            const before = state();
            const snapshot = ext.snapshot();
            const paid = balance(ext, who, a);
            const got = balance(ext, who, b);
            let call: RuntimeCallValue;
            switch (o.kind) {
              case 'exactIn':
                call = swapExactTokensForTokens([a, b], o.amount, o.limit, who, true);
                break;
              case 'exactOut':
                call = swapTokensForExactTokens([a, b], o.amount, o.limit, who, true);
                break;
              case 'add':
                call = addLiquidity(a, b, o.amount, o.limit, 1n, 1n, who);
                break;
              case 'remove': {
                const holder = providers[o.who];
                const lp = (poolBalance(ext, holder, 0) * o.amount) / 100n;
                call = removeLiquidity(a, b, lp, 0n, 0n, holder);
                break;
              }
            }
            const holderOrWho = o.kind === 'remove' ? providers[o.who] : who;
            const outcome = ext.dispatch(holderOrWho, call);
            const after = state();
            // Nothing is minted or burned but LP tokens.
            expect(after.native).toBe(before.native);
            expect(after.foreign).toBe(before.foreign);
            if (!outcome.ok) {
              succeeded.failed += 1;
              expect(ext.snapshot()).toEqual(snapshot);
              continue;
            }
            succeeded[o.kind] += 1;
            // √(x·y)/supply never drops: x'·y'·supply² ≥ x·y·supply'².
            expect(after.x * after.y * before.supply ** 2n).toBeGreaterThanOrEqual(
              before.x * before.y * after.supply ** 2n,
            );
            if (o.kind === 'exactIn' || o.kind === 'exactOut') {
              expect(after.supply).toBe(before.supply);
              expect(after.x * after.y).toBeGreaterThanOrEqual(before.x * before.y);
              const spent = paid - balance(ext, who, a);
              const received = balance(ext, who, b) - got;
              if (o.kind === 'exactIn') {
                expect(spent).toBe(o.amount);
                expect(received).toBeGreaterThanOrEqual(o.limit);
              } else {
                expect(received).toBe(o.amount);
                expect(spent).toBeLessThanOrEqual(o.limit);
              }
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(succeeded.exactIn).toBeGreaterThan(5);
    expect(succeeded.exactOut).toBeGreaterThan(5);
    expect(succeeded.add).toBeGreaterThan(5);
    expect(succeeded.remove).toBeGreaterThan(5);
    expect(succeeded.failed).toBeGreaterThan(5);
  });
});
