/**
 * The reserve, lock, hold and freeze side of pallet_balances: ReservableCurrency / NamedReservableCurrency /
 * LockableCurrency (impl_currency.rs), fungible::{MutateHold, MutateFreeze} (impl_fungible.rs), and the legacy
 * `Currency::withdraw` whose Module errors (InsufficientBalance, Expendability, LiquidityRestrictions) older pallets
 * such as Crust's market report.
 */
import { arithmeticError, DispatchFailure, tokenError } from '../../frame/dispatch-error.ts';
import { state } from '../../frame/env.ts';
import { providers } from '../system/account.ts';
import {
  type AccountId,
  accountData,
  decreaseBalance,
  type Fortitude,
  handleRawDust,
  increaseBalance,
  mutateAccountHandlingDust,
  type Precision,
  reducibleBalance,
  totalBalance,
  tryMutateAccount,
} from './fungible.ts';
import { config, Error, Event, Freezes, Holds, Locks, Reserves } from './items.ts';
import {
  type BalanceLock,
  type BalanceStatus,
  type IdAmount,
  type LockReasons,
  type Reason,
  RuntimeFreezeReasonRef,
  RuntimeHoldReasonRef,
  sameReason,
} from './types.ts';

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const satSub = (a: bigint, b: bigint) => (a > b ? a - b : 0n);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

// ---- legacy Currency ------------------------------------------------------------------------------------------

/** `ensure_can_withdraw`: the free balance after a withdrawal must still cover what is frozen. */
function ensureCanWithdraw(who: AccountId, amount: bigint, newFree: bigint): void {
  if (amount === 0n) return;
  if (newFree < accountData(who).frozen) throw Error.fail('LiquidityRestrictions');
}

export type ExistenceRequirement = 'KeepAlive' | 'AllowDeath';

/** `Currency::withdraw`: Withdraw event; the returned credit must be placed or burned (`dropCredit`). */
export function withdrawLegacy(who: AccountId, value: bigint, liveness: ExistenceRequirement): bigint {
  if (value === 0n) return 0n;
  return mutateAccountHandlingDust(who, (account) => {
    if (account.free < value) throw Error.fail('InsufficientBalance');
    const newFree = account.free - value;
    const ed = config().existentialDeposit;
    const wouldKill = newFree < ed && account.free >= ed;
    if (liveness === 'KeepAlive' && wouldKill) throw Error.fail('Expendability');
    ensureCanWithdraw(who, value, newFree);
    account.free = newFree;
    Event.deposit({ type: 'Withdraw', value: { who, amount: value } });
    return value;
  });
}

/** `ReservableCurrency::reserve`: moves `value` from free to reserved (Reserved). */
export function reserve(who: AccountId, value: bigint): void {
  if (value === 0n) return;
  mutateAccountHandlingDust(who, (account) => {
    if (account.free < value) throw Error.fail('InsufficientBalance');
    account.free -= value;
    account.reserved += value;
    ensureCanWithdraw(who, value, account.free);
  });
  Event.deposit({ type: 'Reserved', value: { who, amount: value } });
}

/** `ReservableCurrency::can_reserve` */
export function canReserve(who: AccountId, value: bigint): boolean {
  if (value === 0n) return true;
  const a = accountData(who);
  return a.free >= value && a.free - value >= a.frozen;
}

/** `ReservableCurrency::unreserve`: moves up to `value` back to free (Unreserved); returns what was not reserved. */
export function unreserve(who: AccountId, value: bigint): bigint {
  if (value === 0n) return 0n;
  if (totalBalance(who) === 0n) return value;
  let actual: bigint;
  try {
    actual = mutateAccountHandlingDust(who, (account) => {
      const a = min(account.reserved, value);
      account.reserved -= a;
      account.free += a;
      return a;
    });
  } catch (err) {
    if (err instanceof DispatchFailure) return value;
    throw err;
  }
  Event.deposit({ type: 'Unreserved', value: { who, amount: actual } });
  return value - actual;
}

/**
 * `do_transfer_reserved` / `repatriate_reserved`: moves up to `value` of `slashed`'s reserve into `beneficiary`'s free
 * or reserved balance (ReserveRepatriated); the beneficiary must exist. Returns the part that could not be moved.
 */
export function repatriateReserved(
  slashed: AccountId,
  beneficiary: AccountId,
  value: bigint,
  status: BalanceStatus,
  precision: Precision = 'BestEffort',
  fortitude: Fortitude = 'Polite',
): bigint {
  if (value === 0n) return 0n;
  return state().transactional(() => {
    const a = accountData(slashed);
    const maxMovable = fortitude === 'Force' ? a.reserved : satSub(a.reserved, satSub(a.frozen, a.free));
    const actual = precision === 'BestEffort' ? min(value, maxMovable) : value;
    if (actual > maxMovable) throw tokenError('FundsUnavailable');
    if (sameBytes(slashed, beneficiary)) {
      return status === 'Free' ? value - (actual - unreserve(slashed, actual)) : value - actual;
    }
    const outer = tryMutateAccount(beneficiary, (to, isNew) => {
      if (isNew) throw Error.fail('DeadAccount');
      const inner = tryMutateAccount(slashed, (from) => {
        if (status === 'Free') to.free += actual;
        else to.reserved += actual;
        if ((status === 'Free' ? to.free : to.reserved) >= 1n << 128n) throw arithmeticError('Overflow');
        from.reserved = satSub(from.reserved, actual);
      });
      return inner.dust;
    });
    if (outer.result !== undefined) handleRawDust(outer.result);
    if (outer.dust !== undefined) handleRawDust(outer.dust);
    Event.deposit({
      type: 'ReserveRepatriated',
      value: { from: slashed, to: beneficiary, amount: actual, destination_status: status },
    });
    return value - actual;
  });
}

// ---- named reserves -----------------------------------------------------------------------------------------------

/** `NamedReservableCurrency::reserve_named` */
export function reserveNamed(id: Uint8Array, who: AccountId, value: bigint): void {
  if (value === 0n) return;
  state().transactional(() => {
    const reserves = Reserves.get(who);
    const found = reserves.find((r) => sameBytes(r.id, id));
    if (found) found.amount += value;
    else {
      if (reserves.length >= config().maxReserves) throw Error.fail('TooManyReserves');
      reserves.push({ id, amount: value });
      reserves.sort((x, y) => compareBytes(x.id, y.id));
    }
    reserve(who, value);
    Reserves.set(who, reserves);
  });
}

/** `NamedReservableCurrency::unreserve_named`: returns what could not be unreserved. */
export function unreserveNamed(id: Uint8Array, who: AccountId, value: bigint): bigint {
  if (value === 0n) return 0n;
  const reserves = Reserves.get(who);
  const i = reserves.findIndex((r) => sameBytes(r.id, id));
  if (i < 0) return value;
  const toChange = min(reserves[i].amount, value);
  const remain = unreserve(who, toChange);
  const actual = toChange - remain;
  reserves[i].amount -= actual;
  if (reserves[i].amount === 0n) reserves.splice(i, 1);
  if (reserves.length === 0) Reserves.remove(who);
  else Reserves.set(who, reserves);
  return value - actual;
}

export function reservedBalanceNamed(id: Uint8Array, who: AccountId): bigint {
  return Reserves.get(who).find((r) => sameBytes(r.id, id))?.amount ?? 0n;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// ---- locks and freezes: both feed `frozen` ---------------------------------------------------------------------

function recomputeFrozen(
  who: AccountId,
  locks: BalanceLock[],
  freezes: IdAmount[],
): { prev: bigint; after: bigint } {
  let prev = 0n;
  let after = 0n;
  mutateAccountHandlingDust(who, (b) => {
    prev = b.frozen;
    b.frozen = 0n;
    for (const l of locks) if (l.amount > b.frozen) b.frozen = l.amount;
    for (const f of freezes) if (f.amount > b.frozen) b.frozen = f.amount;
    after = b.frozen;
  });
  return { prev, after };
}

function updateLocks(who: AccountId, locks: BalanceLock[]): void {
  const { prev, after } = recomputeFrozen(who, locks, Freezes.get(who));
  if (locks.length === 0) Locks.remove(who);
  else Locks.set(who, locks);
  if (prev > after) Event.deposit({ type: 'Unlocked', value: { who, amount: prev - after } });
  else if (after > prev) Event.deposit({ type: 'Locked', value: { who, amount: after - prev } });
}

function updateFreezes(who: AccountId, freezes: IdAmount[]): void {
  const { prev, after } = recomputeFrozen(who, Locks.get(who), freezes);
  if (freezes.length === 0) Freezes.remove(who);
  else Freezes.set(who, freezes);
  if (prev > after) Event.deposit({ type: 'Thawed', value: { who, amount: prev - after } });
  else if (after > prev) Event.deposit({ type: 'Frozen', value: { who, amount: after - prev } });
}

/** `LockableCurrency::set_lock`: a zero amount removes the lock. */
export function setLock(id: Uint8Array, who: AccountId, amount: bigint, reasons: LockReasons = 'All'): void {
  if (amount === 0n) return removeLock(id, who);
  state().transactional(() => {
    const locks = Locks.get(who).filter((l) => !sameBytes(l.id, id));
    locks.push({ id, amount, reasons });
    updateLocks(who, locks);
  });
}

/** `LockableCurrency::extend_lock`: the lock becomes the larger of the old and new amounts. */
export function extendLock(
  id: Uint8Array,
  who: AccountId,
  amount: bigint,
  reasons: LockReasons = 'All',
): void {
  if (amount === 0n) return;
  state().transactional(() => {
    const locks = Locks.get(who);
    const found = locks.find((l) => sameBytes(l.id, id));
    if (found) {
      if (amount > found.amount) found.amount = amount;
      found.reasons = found.reasons === reasons ? reasons : 'All';
    } else locks.push({ id, amount, reasons });
    updateLocks(who, locks);
  });
}

export function removeLock(id: Uint8Array, who: AccountId): void {
  state().transactional(() =>
    updateLocks(
      who,
      Locks.get(who).filter((l) => !sameBytes(l.id, id)),
    ),
  );
}

/** `MutateFreeze::set_freeze`: zero thaws. */
export function setFreeze(id: Reason, who: AccountId, amount: bigint): void {
  if (amount === 0n) return thaw(id, who);
  state().transactional(() => {
    const freezes = Freezes.get(who);
    const found = freezes.find((f) => sameReason(f.id, id, RuntimeFreezeReasonRef));
    if (found) found.amount = amount;
    else {
      if (freezes.length >= config().maxFreezes) throw Error.fail('TooManyFreezes');
      freezes.push({ id, amount });
    }
    updateFreezes(who, freezes);
  });
}

export function thaw(id: Reason, who: AccountId): void {
  state().transactional(() =>
    updateFreezes(
      who,
      Freezes.get(who).filter((f) => !sameReason(f.id, id, RuntimeFreezeReasonRef)),
    ),
  );
}

export function balanceFrozen(id: Reason, who: AccountId): bigint {
  return Freezes.get(who).find((f) => sameReason(f.id, id, RuntimeFreezeReasonRef))?.amount ?? 0n;
}

// ---- holds ----------------------------------------------------------------------------------------------------

function maxHolds(): number {
  const c = config();
  if (c.maxHolds !== undefined) return c.maxHolds;
  const def = RuntimeHoldReasonRef.info.def;
  return def.kind === 'variant' ? def.variants.length : 0;
}

export function balanceOnHold(reason: Reason, who: AccountId): bigint {
  return Holds.get(who).find((h) => sameReason(h.id, reason, RuntimeHoldReasonRef))?.amount ?? 0n;
}

function holdAvailable(reason: Reason, who: AccountId): boolean {
  if (providers(who) === 0) return false;
  const holds = Holds.get(who);
  return holds.length < maxHolds() || holds.some((h) => sameReason(h.id, reason, RuntimeHoldReasonRef));
}

/** `UnbalancedHold::set_balance_on_hold` */
function setBalanceOnHold(reason: Reason, who: AccountId, amount: bigint): void {
  const holds = Holds.get(who);
  const item = holds.find((h) => sameReason(h.id, reason, RuntimeHoldReasonRef));
  let delta = amount;
  let increase = true;
  let next = holds;
  if (item) {
    delta = item.amount > amount ? item.amount - amount : amount - item.amount;
    increase = amount > item.amount;
    item.amount = amount;
    next = holds.filter((h) => h.amount !== 0n);
  } else if (amount !== 0n) {
    if (holds.length >= maxHolds()) throw Error.fail('TooManyHolds');
    holds.push({ id: reason, amount });
  }
  tryMutateAccount(who, (a) => {
    if (increase) a.reserved += delta;
    else {
      if (a.reserved < delta) throw arithmeticError('Underflow');
      a.reserved -= delta;
    }
  });
  Holds.set(who, next);
}

/** `MutateHold::hold`: moves `amount` of free balance on hold for `reason` (the account stays alive). */
export function hold(reason: Reason, who: AccountId, amount: bigint): void {
  if (amount === 0n) return;
  state().transactional(() => {
    if (!holdAvailable(reason, who)) throw tokenError('CannotCreateHold');
    if (amount > reducibleBalance(who, 'Protect', 'Force')) throw tokenError('FundsUnavailable');
    decreaseBalance(who, amount, 'Exact', 'Protect', 'Force');
    setBalanceOnHold(reason, who, balanceOnHold(reason, who) + amount);
  });
}

/** `MutateHold::release`: returns up to `amount` held for `reason` to free balance; returns what was released. */
export function release(
  reason: Reason,
  who: AccountId,
  amount: bigint,
  precision: Precision = 'Exact',
): bigint {
  return state().transactional(() => {
    const held = balanceOnHold(reason, who);
    if (amount > held && precision === 'Exact') throw tokenError('FundsUnavailable');
    const a = increaseBalance(who, min(amount, held), 'BestEffort');
    setBalanceOnHold(reason, who, held - a);
    return a;
  });
}
