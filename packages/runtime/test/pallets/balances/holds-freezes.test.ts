/**
 * Holds and freezes (fungible::MutateHold / MutateFreeze of pallet_balances) in a runtime that declares hold and
 * freeze reasons, scenario by scenario from polkadot-sdk's dispatchable_tests.rs and fungible_tests.rs with ED 10^9.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { defineRuntime } from '../../../src/frame/runtime.ts';
import {
  Balances,
  BalancesCurrency,
  Freezes,
  Holds,
  type Reason,
} from '../../../src/pallets/balances/index.ts';
import { Account as SystemAccount, Number_, System } from '../../../src/pallets/system/pallet.ts';
import { devBalancesConfig, devSystemConfig } from '../../../src/runtimes/index.ts';
import type { Codec } from '../../../src/scale/codec.ts';
import { enumeration } from '../../../src/scale/index.ts';
import { acc, id, ready } from './helpers.ts';

beforeAll(() => ready);

const ED = 1_000_000_000n;
const HoldReason = enumeration({ Market: [0], Preimage: [1] }).named([
  'holds_test_runtime',
  'RuntimeHoldReason',
]);
const FreezeReason = enumeration({ Staking: [0] }).named(['holds_test_runtime', 'RuntimeFreezeReason']);
const MARKET: Reason = { type: 'Market' };
const PREIMAGE: Reason = { type: 'Preimage' };
const STAKING: Reason = { type: 'Staking' };

function withRuntime<T>(fn: (rt: ReturnType<typeof defineRuntime>) => T, maxHolds?: number): T {
  const runtime = defineRuntime({
    pallets: [
      [0, System, devSystemConfig],
      [
        2,
        Balances,
        {
          ...devBalancesConfig,
          maxFreezes: 1,
          maxHolds,
          holdReason: HoldReason as unknown as Codec<Reason>,
          freezeReason: FreezeReason as unknown as Codec<Reason>,
        },
      ],
    ] as const,
    version: {
      spec_name: 'holds-test',
      impl_name: 'holds-test',
      authoring_version: 1,
      spec_version: 1,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
  });
  const overlay = runtime.buildGenesis({});
  return runtime.execute(overlay, () => {
    Number_.set(1);
    return fn(runtime);
  });
}

const setBalance = (rt: ReturnType<typeof defineRuntime>, who: Uint8Array, v: bigint) =>
  expect(
    rt.dispatch(Balances.tx.force_set_balance({ who: id(who), new_free: v }), rootOrigin()),
  ).toMatchObject({ ok: true });
const transfer = (
  rt: ReturnType<typeof defineRuntime>,
  from: Uint8Array,
  to: Uint8Array,
  value: bigint,
  keep = false,
) =>
  rt.dispatch(
    keep
      ? Balances.tx.transfer_keep_alive({ dest: id(to), value })
      : Balances.tx.transfer_allow_death({ dest: id(to), value }),
    signedOrigin(from),
  );
const tokenErr = (t: string) => ({ ok: false, error: { type: 'Token', value: { type: t } } });

describe('holds', () => {
  it('held funds cannot be transferred (balance_transfer_when_on_hold_should_not_work)', () => {
    withRuntime((rt) => {
      setBalance(rt, acc(1), 111n * ED);
      BalancesCurrency.hold(MARKET, acc(1), 69n * ED);
      expect(Holds.get(acc(1))).toEqual([{ id: MARKET, amount: 69n * ED }]);
      expect(SystemAccount.get(acc(1)).data).toMatchObject({ free: 42n * ED, reserved: 69n * ED });
      expect(transfer(rt, acc(1), acc(2), 69n * ED)).toMatchObject(tokenErr('FundsUnavailable'));
    });
  });

  it('keep-alive transfers may use all free above ED while funds are held (transfer_keep_alive_all_free_succeed)', () => {
    withRuntime((rt) => {
      setBalance(rt, acc(1), 300n * ED);
      BalancesCurrency.hold(MARKET, acc(1), 100n * ED);
      expect(transfer(rt, acc(1), acc(2), 100n * ED, true)).toMatchObject({ ok: true });
      expect(BalancesCurrency.total(acc(1))).toBe(200n * ED);
      expect(BalancesCurrency.total(acc(2))).toBe(100n * ED);
    });
  });

  it('release returns held funds; per-reason amounts add up; a new reason beyond the bound is refused', () => {
    withRuntime((rt) => {
      setBalance(rt, acc(1), 100n * ED);
      BalancesCurrency.hold(MARKET, acc(1), 10n * ED);
      BalancesCurrency.hold(MARKET, acc(1), 5n * ED);
      expect(BalancesCurrency.balanceOnHold(MARKET, acc(1))).toBe(15n * ED);
      // Full (MaxHolds 1) and a new reason: hold_available is false, so CannotCreateHold before TooManyHolds.
      expect(() => BalancesCurrency.hold(PREIMAGE, acc(1), ED)).toThrow(
        expect.objectContaining({ error: { type: 'Token', value: { type: 'CannotCreateHold' } } }),
      );
      expect(() => BalancesCurrency.release(MARKET, acc(1), 16n * ED)).toThrow(
        expect.objectContaining({ error: { type: 'Token', value: { type: 'FundsUnavailable' } } }),
      );
      expect(BalancesCurrency.release(MARKET, acc(1), 15n * ED)).toBe(15n * ED);
      expect(Holds.get(acc(1))).toEqual([]);
      expect(SystemAccount.get(acc(1))).toMatchObject({
        consumers: 0,
        data: { free: 100n * ED, reserved: 0n },
      });
    }, 1);
  });
});

describe('freezes', () => {
  it('a freeze limits transfers (Token(Frozen)) until thawed; MaxFreezes bounds distinct ids', () => {
    withRuntime((rt) => {
      setBalance(rt, acc(1), 100n * ED);
      BalancesCurrency.setFreeze(STAKING, acc(1), 60n * ED);
      expect(Freezes.get(acc(1))).toEqual([{ id: STAKING, amount: 60n * ED }]);
      expect(SystemAccount.get(acc(1)).data.frozen).toBe(60n * ED);
      expect(transfer(rt, acc(1), acc(2), 41n * ED)).toMatchObject(tokenErr('Frozen'));
      expect(transfer(rt, acc(1), acc(2), 40n * ED)).toMatchObject({ ok: true });
      // Frozen applies to the total: funds on hold count towards it.
      BalancesCurrency.thaw(STAKING, acc(1));
      expect(SystemAccount.get(acc(1)).data.frozen).toBe(0n);
      expect(Freezes.contains(acc(1))).toBe(false);
    });
  });
});
