/**
 * The typed face of the native currency that other pallets get through their config (as FRAME pallets take
 * `T::Currency`): transaction-payment withdraws fees with it, Crust's market reserves and repatriates with it, XCM
 * asset transactors withdraw and deposit with it. Every method runs in the ambient env and fails by throwing a
 * `DispatchFailure` with polkadot-sdk's error for the case.
 */
import * as currency from './currency.ts';
import * as fungible from './fungible.ts';
import type { BalanceStatus, LockReasons, Reason } from './types.ts';

type AccountId = Uint8Array;

export interface NativeCurrency {
  existentialDeposit(): bigint;
  totalIssuance(): bigint;
  activeIssuance(): bigint;
  /** Free balance. */
  free(who: AccountId): bigint;
  reserved(who: AccountId): bigint;
  /** free + reserved. */
  total(who: AccountId): bigint;
  /** `reducible_balance`: what can leave the account (Preserve keeps ED; Polite respects freezes). */
  reducible(who: AccountId, preservation: fungible.Preservation, force?: fungible.Fortitude): bigint;
  /** `fungible::Mutate::transfer` (Token errors: FundsUnavailable, NotExpendable, BelowMinimum, Frozen...). */
  transfer(from: AccountId, to: AccountId, amount: bigint, preservation: fungible.Preservation): void;
  /** Checks a withdrawal without doing it (`can_withdraw`). */
  canWithdraw(who: AccountId, amount: bigint): fungible.WithdrawConsequence;
  canDeposit(who: AccountId, amount: bigint, provenance: fungible.Provenance): fungible.DepositConsequence;
  /** `Balanced::withdraw`: removes and returns a credit, which the caller must `resolve` or `burnCredit`. */
  withdraw(
    who: AccountId,
    amount: bigint,
    opts?: {
      precision?: fungible.Precision;
      preservation?: fungible.Preservation;
      force?: fungible.Fortitude;
    },
  ): bigint;
  /** `Balanced::deposit` of an amount offset by a credit taken elsewhere; returns the amount added. */
  deposit(who: AccountId, amount: bigint, precision?: fungible.Precision): bigint;
  /** Places a credit in `who` in full, or returns false changing nothing. */
  resolve(who: AccountId, credit: bigint): boolean;
  /** Drops a credit: total issuance decreases by it. */
  burnCredit(credit: bigint): void;
  /** Mints new units into `who` (Minted). */
  mint(who: AccountId, amount: bigint): bigint;
  /** Burns from `who` (Burned). */
  burn(who: AccountId, amount: bigint, preservation?: fungible.Preservation): bigint;
  /** Legacy `Currency::withdraw` (Module errors InsufficientBalance / Expendability / LiquidityRestrictions). */
  withdrawLegacy(who: AccountId, amount: bigint, liveness: currency.ExistenceRequirement): bigint;
  reserve(who: AccountId, amount: bigint): void;
  canReserve(who: AccountId, amount: bigint): boolean;
  /** Returns the part that was not reserved. */
  unreserve(who: AccountId, amount: bigint): bigint;
  /** Returns the part that could not be moved. */
  repatriateReserved(from: AccountId, to: AccountId, amount: bigint, status: BalanceStatus): bigint;
  reserveNamed(id: Uint8Array, who: AccountId, amount: bigint): void;
  unreserveNamed(id: Uint8Array, who: AccountId, amount: bigint): bigint;
  setLock(id: Uint8Array, who: AccountId, amount: bigint, reasons?: LockReasons): void;
  extendLock(id: Uint8Array, who: AccountId, amount: bigint, reasons?: LockReasons): void;
  removeLock(id: Uint8Array, who: AccountId): void;
  hold(reason: Reason, who: AccountId, amount: bigint): void;
  release(reason: Reason, who: AccountId, amount: bigint, precision?: fungible.Precision): bigint;
  balanceOnHold(reason: Reason, who: AccountId): bigint;
  setFreeze(id: Reason, who: AccountId, amount: bigint): void;
  thaw(id: Reason, who: AccountId): void;
}

export const BalancesCurrency: NativeCurrency = {
  existentialDeposit: fungible.ed,
  totalIssuance: fungible.totalIssuance,
  activeIssuance: fungible.activeIssuance,
  free: fungible.freeBalance,
  reserved: fungible.reservedBalance,
  total: fungible.totalBalance,
  reducible: (who, preservation, force = 'Polite') => fungible.reducibleBalance(who, preservation, force),
  transfer: (from, to, amount, preservation) => void fungible.transfer(from, to, amount, preservation),
  canWithdraw: fungible.canWithdraw,
  canDeposit: fungible.canDeposit,
  withdraw: (who, amount, opts = {}) =>
    fungible.withdraw(
      who,
      amount,
      opts.precision ?? 'Exact',
      opts.preservation ?? 'Preserve',
      opts.force ?? 'Polite',
    ),
  deposit: (who, amount, precision = 'Exact') => fungible.deposit(who, amount, precision),
  resolve: fungible.resolve,
  burnCredit: fungible.dropCredit,
  mint: fungible.mintInto,
  burn: (who, amount, preservation = 'Expendable') =>
    fungible.burnFrom(who, amount, preservation, 'Exact', 'Polite'),
  withdrawLegacy: currency.withdrawLegacy,
  reserve: currency.reserve,
  canReserve: currency.canReserve,
  unreserve: currency.unreserve,
  repatriateReserved: (from, to, amount, status) => currency.repatriateReserved(from, to, amount, status),
  reserveNamed: currency.reserveNamed,
  unreserveNamed: currency.unreserveNamed,
  setLock: currency.setLock,
  extendLock: currency.extendLock,
  removeLock: currency.removeLock,
  hold: currency.hold,
  release: currency.release,
  balanceOnHold: currency.balanceOnHold,
  setFreeze: currency.setFreeze,
  thaw: currency.thaw,
};
