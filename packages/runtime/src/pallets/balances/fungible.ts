/**
 * The `fungible` traits of pallet_balances (impl_fungible.rs plus frame_support's default methods in
 * traits/tokens/fungible/regular.rs): what is reducible, whether a deposit/withdrawal may happen, the account
 * mutation that enforces the existential deposit (provider/consumer refs, Endowed, DustLost), and the
 * transfer / mint / burn / withdraw / deposit built on it. Everything runs in the ambient runtime env.
 */
import {
  arithmeticError,
  DispatchFailure,
  type DispatchError,
  tokenError,
} from '../../frame/dispatch-error.ts';
import { state } from '../../frame/env.ts';
import {
  accountStore,
  canDecProvider,
  consumers,
  decConsumers,
  decProviders,
  incConsumers,
  incProviders,
  providers,
} from '../system/account.ts';
import { type AccountData, type AccountId, NEW_LOGIC_FLAG } from '../system/types.ts';
import { config, Error, Event, InactiveIssuance, TotalIssuance } from './items.ts';

export type { AccountId };
/** `Preservation`: may the operation kill the account (Expendable), must it keep our provider ref
 * when it is the only one (Protect), or must it keep the account alive at all (Preserve)? */
export type Preservation = 'Expendable' | 'Protect' | 'Preserve';
/** `Fortitude`: Polite respects freezes; Force ignores them. */
export type Fortitude = 'Polite' | 'Force';
/** `Precision`: Exact or all that is possible up to the amount. */
export type Precision = 'Exact' | 'BestEffort';
export type Provenance = 'Minted' | 'Extant';

export type DepositConsequence =
  | 'BelowMinimum'
  | 'CannotCreate'
  | 'UnknownAsset'
  | 'Overflow'
  | 'Success'
  | 'Blocked';
export type WithdrawConsequence =
  | { type: 'BalanceLow' | 'WouldDie' | 'UnknownAsset' | 'Underflow' | 'Overflow' | 'Frozen' | 'Success' }
  | { type: 'ReducedToZero'; value: bigint };

export const U128_MAX = (1n << 128n) - 1n;
const ZERO_DATA = (): AccountData => ({ free: 0n, reserved: 0n, frozen: 0n, flags: NEW_LOGIC_FLAG });

export const ed = (): bigint => config().existentialDeposit;
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const satSub = (a: bigint, b: bigint) => (a > b ? a - b : 0n);
const satAdd = (a: bigint, b: bigint) => (a + b > U128_MAX ? U128_MAX : a + b);

// ---- Inspect ------------------------------------------------------------------------------------------------------

/** The account's balance data (all zero for an account that does not exist). */
export function accountData(who: AccountId): AccountData {
  const d = accountStore.get(who);
  return { ...d, flags: d.flags | NEW_LOGIC_FLAG };
}

export const totalIssuance = (): bigint => TotalIssuance.get();
export const activeIssuance = (): bigint => satSub(TotalIssuance.get(), InactiveIssuance.get());
export const freeBalance = (who: AccountId): bigint => accountStore.get(who).free;
export const reservedBalance = (who: AccountId): bigint => accountStore.get(who).reserved;
export function totalBalance(who: AccountId): bigint {
  const a = accountStore.get(who);
  return satAdd(a.free, a.reserved);
}

/** `reducible_balance`: what may leave the free balance given freezes and the provider rule. */
export function reducibleBalance(who: AccountId, preservation: Preservation, force: Fortitude): bigint {
  const a = accountStore.get(who);
  let untouchable = 0n;
  // Frozen applies to the total; what is on hold already counts towards it.
  if (force === 'Polite') untouchable = satSub(a.frozen, a.reserved);
  if (
    preservation === 'Preserve' ||
    (preservation === 'Protect' && a.free !== 0n && providers(who) === 1) ||
    (preservation === 'Expendable' && a.free !== 0n && !canDecProvider(who))
  ) {
    untouchable = max(untouchable, ed());
  }
  return satSub(a.free, untouchable);
}

/** `usable_balance`: what can be transferred or reserved (free minus what freezes and the provider rule keep). */
export const usableBalance = (who: AccountId): bigint => reducibleBalance(who, 'Expendable', 'Polite');

export function canDeposit(who: AccountId, amount: bigint, provenance: Provenance): DepositConsequence {
  if (amount === 0n) return 'Success';
  if (provenance === 'Minted' && TotalIssuance.get() + amount > U128_MAX) return 'Overflow';
  const a = accountStore.get(who);
  const newFree = a.free + amount;
  if (newFree > U128_MAX) return 'Overflow';
  if (newFree < ed()) return 'BelowMinimum';
  if (a.reserved + newFree > U128_MAX) return 'Overflow';
  return 'Success';
}

export function canWithdraw(who: AccountId, amount: bigint): WithdrawConsequence {
  if (amount === 0n) return { type: 'Success' };
  if (TotalIssuance.get() < amount) return { type: 'Underflow' };
  const a = accountStore.get(who);
  if (a.free < amount) return { type: 'BalanceLow' };
  const newFree = a.free - amount;
  if (amount > reducibleBalance(who, 'Expendable', 'Polite')) return { type: 'Frozen' };
  let success: WithdrawConsequence = { type: 'Success' };
  if (newFree < ed()) {
    if (!canDecProvider(who)) return { type: 'WouldDie' };
    success = { type: 'ReducedToZero', value: newFree };
  }
  if (newFree + a.reserved < a.frozen) return { type: 'Frozen' };
  return success;
}

/** `DepositConsequence::into_result`. */
export function depositResult(c: DepositConsequence): void {
  switch (c) {
    case 'Success':
      return;
    case 'Overflow':
      throw arithmeticError('Overflow');
    default:
      throw tokenError(c);
  }
}

/** `WithdrawConsequence::into_result(keep_nonzero)`: the dust that goes with it, or the error. */
export function withdrawResult(c: WithdrawConsequence, keepNonzero: boolean): bigint {
  switch (c.type) {
    case 'Success':
      return 0n;
    case 'ReducedToZero':
      if (keepNonzero) throw tokenError('NotExpendable');
      return c.value;
    case 'BalanceLow':
      throw tokenError('FundsUnavailable');
    case 'WouldDie':
      throw tokenError('OnlyProvider');
    case 'UnknownAsset':
      throw tokenError('UnknownAsset');
    case 'Frozen':
      throw tokenError('Frozen');
    case 'Underflow':
      throw arithmeticError('Underflow');
    case 'Overflow':
      throw arithmeticError('Overflow');
  }
}

// ---- the account mutation (Pallet::try_mutate_account) -----------------------------------------------------------

/**
 * Mutates `who`'s balance data under the existential-deposit law: takes/drops a provider ref as the free balance
 * crosses ED, a consumer ref while anything is reserved or frozen, reaps the account (and returns its dust) when
 * free < ED with nothing reserved, deposits Endowed for a new account and DustLost for dust. `fn` throwing (a
 * `DispatchFailure`) leaves state untouched. Does not maintain total issuance: callers do.
 */
export function tryMutateAccount<R>(
  who: AccountId,
  fn: (account: AccountData, isNew: boolean) => R,
): { result: R; dust: bigint | undefined } {
  return state().transactional(() => {
    let endowed: bigint | undefined;
    let dust: bigint | undefined;
    const result = accountStore.tryMutateExists(who, (maybe) => {
      const isNew = maybe === undefined || isDefault(maybe);
      const account = isNew ? ZERO_DATA() : { ...maybe, flags: maybe.flags | NEW_LOGIC_FLAG };
      const existential = ed();
      const didProvide = account.free >= existential;
      const didConsume = !isNew && (account.reserved !== 0n || account.frozen !== 0n);
      const r = fn(account, isNew);
      const doesProvide = account.free >= existential;
      const doesConsume = account.reserved !== 0n || account.frozen !== 0n;
      if (!didProvide && doesProvide) incProviders(who);
      if (didConsume && !doesConsume) decConsumers(who);
      if (!didConsume && doesConsume) incConsumers(who);
      if (doesConsume && consumers(who) === 0) incConsumers(who);
      if (didProvide && !doesProvide) decProviders(who);
      if (isNew) endowed = account.free;
      let data: AccountData;
      if (account.free < existential && account.reserved === 0n) {
        if (account.free !== 0n) dust = account.free;
        data = ZERO_DATA();
      } else data = account;
      return { data, result: r };
    });
    if (endowed !== undefined)
      Event.deposit({ type: 'Endowed', value: { account: who, free_balance: endowed } });
    if (dust !== undefined) Event.deposit({ type: 'DustLost', value: { account: who, amount: dust } });
    return { result, dust };
  });
}

function isDefault(d: AccountData): boolean {
  return (
    d.free === 0n && d.reserved === 0n && d.frozen === 0n && (d.flags === 0n || d.flags === NEW_LOGIC_FLAG)
  );
}

/** `mutate_account_handling_dust`: as tryMutateAccount, handing any dust to `DustRemoval`. */
export function mutateAccountHandlingDust<R>(
  who: AccountId,
  fn: (account: AccountData, isNew: boolean) => R,
): R {
  const { result, dust } = tryMutateAccount(who, fn);
  if (dust !== undefined) handleRawDust(dust);
  return result;
}

/** `handle_raw_dust`: at most ED - 1 is dust. */
export function handleRawDust(amount: bigint): void {
  handleDust(min(amount, satSub(ed(), 1n)));
}

/** `handle_dust`: to the configured DustRemoval, else dropped (a credit dropped decreases total issuance). */
export function handleDust(amount: bigint): void {
  if (amount === 0n) return;
  const removal = config().dustRemoval;
  if (removal) removal(amount);
  else dropCredit(amount);
}

/** A `Credit` dropped unused: `DecreaseIssuance`. */
export function dropCredit(amount: bigint): void {
  TotalIssuance.set(satSub(TotalIssuance.get(), amount));
}

/** A `Debt` dropped unused: `IncreaseIssuance`. */
export function dropDebt(amount: bigint): void {
  TotalIssuance.set(satAdd(TotalIssuance.get(), amount));
}

// ---- Unbalanced ---------------------------------------------------------------------------------------------------

/** `write_balance`: sets free to `amount`; a reduction beyond what Force-reducible allows is InsufficientBalance. */
export function writeBalance(who: AccountId, amount: bigint): bigint | undefined {
  const maxReduction = reducibleBalance(who, 'Expendable', 'Force');
  const { dust } = tryMutateAccount(who, (account) => {
    const reduction = satSub(account.free, amount);
    if (reduction > maxReduction) throw Error.fail('InsufficientBalance');
    account.free = amount;
  });
  return dust;
}

export function decreaseBalance(
  who: AccountId,
  amount: bigint,
  precision: Precision,
  preservation: Preservation,
  force: Fortitude,
): bigint {
  const old = freeBalance(who);
  const free = reducibleBalance(who, preservation, force);
  if (precision === 'BestEffort') amount = min(amount, free);
  if (amount > old) throw tokenError('FundsUnavailable');
  const dust = writeBalance(who, old - amount);
  if (dust !== undefined) handleDust(dust);
  return amount;
}

export function increaseBalance(who: AccountId, amount: bigint, precision: Precision): bigint {
  const old = freeBalance(who);
  let next = old + amount;
  if (next > U128_MAX) {
    if (precision === 'Exact') throw arithmeticError('Overflow');
    next = U128_MAX;
  }
  if (next < ed()) {
    if (precision === 'BestEffort') return 0n;
    throw tokenError('BelowMinimum');
  }
  if (next === old) return 0n;
  const dust = writeBalance(who, next);
  if (dust !== undefined) handleDust(dust);
  return next - old;
}

// ---- Mutate -------------------------------------------------------------------------------------------------------

/** `fungible::Mutate::transfer`, as `transfer_allow_death` (Expendable) and `transfer_keep_alive` (Preserve). */
export function transfer(
  source: AccountId,
  dest: AccountId,
  amount: bigint,
  preservation: Preservation,
): bigint {
  return state().transactional(() => {
    withdrawResult(canWithdraw(source, amount), preservation !== 'Expendable');
    depositResult(canDeposit(dest, amount, 'Extant'));
    decreaseBalance(source, amount, 'BestEffort', preservation, 'Polite');
    // Cannot fail after can_deposit; upstream ignores the result the same way.
    try {
      increaseBalance(dest, amount, 'BestEffort');
    } catch (err) {
      if (!(err instanceof DispatchFailure)) throw err;
    }
    Event.deposit({ type: 'Transfer', value: { from: source, to: dest, amount } });
    return amount;
  });
}

/** `mint_into`: creates `amount` new units in `who` (Minted). */
export function mintInto(who: AccountId, amount: bigint): bigint {
  return state().transactional(() => {
    if (TotalIssuance.get() + amount > U128_MAX) throw arithmeticError('Overflow');
    const actual = increaseBalance(who, amount, 'Exact');
    TotalIssuance.set(satAdd(TotalIssuance.get(), actual));
    Event.deposit({ type: 'Minted', value: { who, amount } });
    return actual;
  });
}

/** `burn_from`: destroys up to `amount` of `who`'s reducible balance (Burned). */
export function burnFrom(
  who: AccountId,
  amount: bigint,
  preservation: Preservation,
  precision: Precision,
  force: Fortitude,
): bigint {
  return state().transactional(() => {
    const actual = min(reducibleBalance(who, preservation, force), amount);
    if (actual !== amount && precision === 'Exact') throw tokenError('FundsUnavailable');
    if (TotalIssuance.get() < actual) throw arithmeticError('Overflow');
    const done = decreaseBalance(who, actual, 'BestEffort', preservation, force);
    TotalIssuance.set(satSub(TotalIssuance.get(), done));
    Event.deposit({ type: 'Burned', value: { who, amount: done } });
    return done;
  });
}

// ---- Balanced ------------------------------------------------------------------------------------------------------

/**
 * `Balanced::withdraw`: takes `value` out of `who` and returns the credit (the amount), which the caller must place
 * (deposit elsewhere) or drop with `dropCredit` (burn). Deposits Withdraw.
 */
export function withdraw(
  who: AccountId,
  value: bigint,
  precision: Precision,
  preservation: Preservation,
  force: Fortitude,
): bigint {
  return state().transactional(() => {
    const decrease = decreaseBalance(who, value, precision, preservation, force);
    Event.deposit({ type: 'Withdraw', value: { who, amount: decrease } });
    return decrease;
  });
}

/** `Balanced::deposit`: adds `value` to `who` and returns the debt (the amount added), to be offset by a credit. */
export function deposit(who: AccountId, value: bigint, precision: Precision): bigint {
  return state().transactional(() => {
    const increase = increaseBalance(who, value, precision);
    Event.deposit({ type: 'Deposit', value: { who, amount: increase } });
    return increase;
  });
}

/** `Balanced::resolve`: puts a credit into `who` in full, or fails (returning false) changing nothing. */
export function resolve(who: AccountId, credit: bigint): boolean {
  try {
    deposit(who, credit, 'Exact');
    return true;
  } catch (err) {
    if (err instanceof DispatchFailure) return false;
    throw err;
  }
}

/** `Balanced::issue` of `amount` with done_issue's event; the result is a credit. */
export function issue(amount: bigint): bigint {
  const old = TotalIssuance.get();
  const next = satAdd(old, amount);
  TotalIssuance.set(next);
  if (next - old !== 0n) Event.deposit({ type: 'Issued', value: { amount: next - old } });
  return next - old;
}

/** `Balanced::rescind`: reduces total issuance; the result is a debt. */
export function rescind(amount: bigint): bigint {
  const old = TotalIssuance.get();
  const next = satSub(old, amount);
  TotalIssuance.set(next);
  Event.deposit({ type: 'Rescinded', value: { amount: old - next } });
  return old - next;
}

export type { DispatchError };
