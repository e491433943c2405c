/**
 * pallet_balances behaviour, scenario by scenario from polkadot-sdk's own tests
 * (substrate/frame/balances/src/tests/dispatchable_tests.rs, currency_tests.rs, fungible_tests.rs), with the dev
 * runtime's ED of 10^9 in place of the mock's 1/10/100: errors, balances, ref counts, issuance and events.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accountData,
  Balances,
  BalancesCurrency,
  Locks,
  Reserves,
  TotalIssuance,
} from '../../../src/pallets/balances/index.ts';
import { Account as SystemAccount } from '../../../src/pallets/system/pallet.ts';
import { incConsumers } from '../../../src/pallets/system/account.ts';
import { acc, id, inBlock, moduleError, ready, token } from './helpers.ts';

beforeAll(() => ready);

const ED = 1_000_000_000n;
const ok = { ok: true, postInfo: {} };

function fund(b: Parameters<Parameters<typeof inBlock>[0]>[0], who: Uint8Array, amount: bigint) {
  expect(b.dispatch(Balances.tx.force_set_balance({ who: id(who), new_free: amount }))).toMatchObject({
    ok: true,
  });
}

describe('transfers', () => {
  it('a transfer to a new account below ED fails with Token(BelowMinimum) and changes nothing', () => {
    inBlock((b) => {
      fund(b, acc(1), 100n * ED);
      expect(
        b.dispatch(Balances.tx.transfer_allow_death({ dest: id(acc(5)), value: ED - 1n }), acc(1)),
      ).toEqual(token('BelowMinimum'));
      expect(accountData(acc(1)).free).toBe(100n * ED);
      expect(SystemAccount.contains(acc(5))).toBe(false);
    });
  });

  it('transfer_keep_alive of everything: Token(NotExpendable); transfer_allow_death of everything reaps', () => {
    inBlock((b) => {
      fund(b, acc(1), 100n * ED);
      expect(
        b.dispatch(Balances.tx.transfer_keep_alive({ dest: id(acc(2)), value: 100n * ED }), acc(1)),
      ).toEqual(token('NotExpendable'));
      b.clearEvents();
      expect(
        b.dispatch(Balances.tx.transfer_allow_death({ dest: id(acc(2)), value: 100n * ED }), acc(1)),
      ).toEqual(ok);
      expect(SystemAccount.contains(acc(1))).toBe(false);
      expect(accountData(acc(2)).free).toBe(100n * ED);
      expect(b.events().map(([p, n]) => `${p}.${n}`)).toEqual([
        'System.KilledAccount',
        'System.NewAccount',
        'Balances.Endowed',
        'Balances.Transfer',
      ]);
    });
  });

  it('force_transfer needs Root (BadOrigin otherwise) and moves the balance', () => {
    inBlock((b) => {
      fund(b, acc(1), 111n * ED);
      const call = Balances.tx.force_transfer({ source: id(acc(1)), dest: id(acc(2)), value: 69n * ED });
      expect(b.dispatch(call, acc(2))).toEqual({ ok: false, error: { type: 'BadOrigin' }, postInfo: {} });
      expect(b.dispatch(call)).toEqual(ok);
      expect(accountData(acc(1)).free).toBe(42n * ED);
      expect(accountData(acc(2)).free).toBe(69n * ED);
    });
  });

  it('transfer_all: keep_alive leaves ED; allow-death empties the account; held funds stay (transfer_all_works_1..4)', () => {
    inBlock((b) => {
      fund(b, acc(1), 200n * ED);
      expect(b.dispatch(Balances.tx.transfer_all({ dest: id(acc(2)), keep_alive: true }), acc(1))).toEqual(
        ok,
      );
      expect([accountData(acc(1)).free, accountData(acc(2)).free]).toEqual([ED, 199n * ED]);
      expect(b.dispatch(Balances.tx.transfer_all({ dest: id(acc(3)), keep_alive: false }), acc(2))).toEqual(
        ok,
      );
      expect(SystemAccount.contains(acc(2))).toBe(false);
      expect(accountData(acc(3)).free).toBe(199n * ED);
      // With 10 reserved the account has a consumer, so its provider (ED of free) must stay: 110 left, 199 sent
      // (transfer_all_works_3 with ED 100: 210 → 110 left, 100 sent).
      fund(b, acc(4), 210n * ED);
      BalancesCurrency.reserve(acc(4), 10n * ED);
      expect(b.dispatch(Balances.tx.transfer_all({ dest: id(acc(5)), keep_alive: false }), acc(4))).toEqual(
        ok,
      );
      expect(BalancesCurrency.total(acc(4))).toBe(11n * ED);
      expect(accountData(acc(5)).free).toBe(199n * ED);
    });
  });

  it('a lookup other than MultiAddress::Id fails with CannotLookup', () => {
    inBlock((b) => {
      fund(b, acc(1), 10n * ED);
      const r = b.dispatch(
        Balances.tx.transfer_allow_death({
          dest: { type: 'Address20', value: new Uint8Array(20) },
          value: ED,
        }),
        acc(1),
      );
      expect(r).toEqual({ ok: false, error: { type: 'CannotLookup' }, postInfo: {} });
    });
  });
});

describe('reserves, locks, freezes and holds limit what can move', () => {
  it('reserve beyond free is Balances.InsufficientBalance (Module index 2, error 2); reserved funds cannot be sent', () => {
    inBlock((b) => {
      fund(b, acc(1), 100n * ED);
      expect(() => BalancesCurrency.reserve(acc(1), 101n * ED)).toThrow(
        expect.objectContaining({ error: moduleError(2, 2).error }),
      );
      BalancesCurrency.reserve(acc(1), 60n * ED);
      expect(accountData(acc(1))).toMatchObject({ free: 40n * ED, reserved: 60n * ED });
      expect(SystemAccount.get(acc(1)).consumers).toBe(1);
      expect(
        b.dispatch(Balances.tx.transfer_allow_death({ dest: id(acc(2)), value: 41n * ED }), acc(1)),
      ).toEqual(token('FundsUnavailable'));
      // force_unreserve (Root) gives it back.
      expect(b.dispatch(Balances.tx.force_unreserve({ who: id(acc(1)), amount: 60n * ED }))).toEqual(ok);
      expect(accountData(acc(1))).toMatchObject({ free: 100n * ED, reserved: 0n });
      expect(SystemAccount.get(acc(1)).consumers).toBe(0);
      expect(
        b
          .events()
          .filter(([p]) => p === 'Balances')
          .map(([, n]) => n),
      ).toContain('Unreserved');
    });
  });

  it('a lock keeps `frozen`: transfers beyond free - frozen are Token(Frozen); reserves beyond it LiquidityRestrictions', () => {
    inBlock((b) => {
      fund(b, acc(1), 100n * ED);
      const LOCK = new TextEncoder().encode('staking ');
      BalancesCurrency.setLock(LOCK, acc(1), 70n * ED);
      expect(Locks.get(acc(1))).toEqual([{ id: LOCK, amount: 70n * ED, reasons: 'All' }]);
      expect(accountData(acc(1)).frozen).toBe(70n * ED);
      expect(
        b.dispatch(Balances.tx.transfer_allow_death({ dest: id(acc(2)), value: 31n * ED }), acc(1)),
      ).toEqual(token('Frozen'));
      expect(() => BalancesCurrency.reserve(acc(1), 31n * ED)).toThrow(
        expect.objectContaining({ error: moduleError(2, 1).error }),
      );
      expect(
        b.dispatch(Balances.tx.transfer_allow_death({ dest: id(acc(2)), value: 30n * ED }), acc(1)),
      ).toEqual(ok);
      BalancesCurrency.removeLock(LOCK, acc(1));
      expect(accountData(acc(1)).frozen).toBe(0n);
      expect(Locks.contains(acc(1))).toBe(false);
      expect(
        b
          .events()
          .filter(([p]) => p === 'Balances')
          .map(([, n]) => n),
      ).toEqual(expect.arrayContaining(['Locked', 'Unlocked']));
    });
  });

  it('named reserves add up per id and unreserve per id', () => {
    inBlock((b) => {
      fund(b, acc(1), 100n * ED);
      const a = new TextEncoder().encode('market00');
      const c = new TextEncoder().encode('assets00');
      BalancesCurrency.reserveNamed(a, acc(1), 5n * ED);
      BalancesCurrency.reserveNamed(c, acc(1), 3n * ED);
      BalancesCurrency.reserveNamed(a, acc(1), 2n * ED);
      expect(Reserves.get(acc(1)).map((r) => [Buffer.from(r.id).toString(), r.amount])).toEqual([
        ['assets00', 3n * ED],
        ['market00', 7n * ED],
      ]);
      expect(BalancesCurrency.unreserveNamed(a, acc(1), 10n * ED)).toBe(3n * ED);
      expect(accountData(acc(1)).reserved).toBe(3n * ED);
    });
  });

  it('repatriate_reserved moves reserve into another account, which must exist (DeadAccount)', () => {
    inBlock((b) => {
      fund(b, acc(1), 100n * ED);
      fund(b, acc(2), 10n * ED);
      BalancesCurrency.reserve(acc(1), 50n * ED);
      expect(BalancesCurrency.repatriateReserved(acc(1), acc(2), 20n * ED, 'Free')).toBe(0n);
      expect(BalancesCurrency.repatriateReserved(acc(1), acc(2), 40n * ED, 'Reserved')).toBe(10n * ED);
      expect(accountData(acc(1))).toMatchObject({ free: 50n * ED, reserved: 0n });
      expect(accountData(acc(2))).toMatchObject({ free: 30n * ED, reserved: 30n * ED });
      expect(() => BalancesCurrency.repatriateReserved(acc(2), acc(9), ED, 'Free')).toThrow(
        expect.objectContaining({ error: moduleError(2, 6).error }),
      );
    });
  });

  it('holds: with no hold reasons in the runtime a hold cannot be created (Token(CannotCreateHold))', () => {
    inBlock((b) => {
      fund(b, acc(1), 100n * ED);
      expect(() => BalancesCurrency.hold({ type: 'Market' }, acc(1), ED)).toThrow(
        expect.objectContaining({ error: { type: 'Token', value: { type: 'CannotCreateHold' } } }),
      );
    });
  });

  it('force_set_balance to zero with a consumer left is ConsumerRemaining (set_balance_handles_killing_account)', () => {
    inBlock((b) => {
      fund(b, acc(1), 111n * ED);
      incConsumers(acc(1));
      expect(b.dispatch(Balances.tx.force_set_balance({ who: id(acc(1)), new_free: 0n }))).toEqual({
        ok: false,
        error: { type: 'ConsumerRemaining' },
        postInfo: {},
      });
      expect(accountData(acc(1)).free).toBe(111n * ED);
    });
  });
});

describe('issuance', () => {
  it('force_set_balance adjusts total issuance; below ED it wipes the account', () => {
    inBlock((b) => {
      const before = TotalIssuance.get();
      fund(b, acc(7), 69n * ED);
      expect(TotalIssuance.get()).toBe(before + 69n * ED);
      fund(b, acc(7), ED - 1n);
      expect(SystemAccount.contains(acc(7))).toBe(false);
      expect(TotalIssuance.get()).toBe(before);
    });
  });

  it('burn: FundsUnavailable beyond the balance, Burned and issuance down otherwise, reaping when allowed (burn_works)', () => {
    inBlock((b) => {
      fund(b, acc(1), 37n * ED);
      const start = TotalIssuance.get();
      expect(b.dispatch(Balances.tx.burn({ value: 38n * ED, keep_alive: false }), acc(1))).toEqual(
        token('FundsUnavailable'),
      );
      expect(b.dispatch(Balances.tx.burn({ value: ED, keep_alive: false }), acc(1))).toEqual(ok);
      expect(b.events().at(-1)).toEqual(['Balances', 'Burned', { who: acc(1), amount: ED }]);
      expect(b.dispatch(Balances.tx.burn({ value: 36n * ED, keep_alive: true }), acc(1))).toEqual(
        token('FundsUnavailable'),
      );
      expect(b.dispatch(Balances.tx.burn({ value: 36n * ED, keep_alive: false }), acc(1))).toEqual(ok);
      expect(TotalIssuance.get()).toBe(start - 37n * ED);
      expect(SystemAccount.contains(acc(1))).toBe(false);
    });
  });

  it('force_adjust_total_issuance: Root only, DeltaZero, saturating, TotalIssuanceForced', () => {
    inBlock((b) => {
      const ti = TotalIssuance.get();
      expect(
        b.dispatch(Balances.tx.force_adjust_total_issuance({ direction: 'Increase', delta: 32n }), acc(1)),
      ).toEqual({
        ok: false,
        error: { type: 'BadOrigin' },
        postInfo: {},
      });
      expect(
        b.dispatch(Balances.tx.force_adjust_total_issuance({ direction: 'Increase', delta: 0n })),
      ).toEqual(moduleError(2, 11));
      expect(
        b.dispatch(Balances.tx.force_adjust_total_issuance({ direction: 'Increase', delta: 32n })),
      ).toEqual(ok);
      expect(b.events().at(-1)).toEqual(['Balances', 'TotalIssuanceForced', { old: ti, new: ti + 32n }]);
      b.dispatch(Balances.tx.force_adjust_total_issuance({ direction: 'Decrease', delta: 1n << 127n }));
      expect(TotalIssuance.get()).toBe(0n);
    });
  });
});
