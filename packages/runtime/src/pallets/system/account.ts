/**
 * Account lifecycle and reference counting (frame_system's inc/dec providers, consumers, sufficients; nonce) and
 * the `StoredMap` view of account data other pallets (Balances) use through their config. Semantics follow
 * polkadot-sdk substrate/frame/system/src/lib.rs.
 */
import { DispatchFailure } from '../../frame/dispatch-error.ts';
import { Account, config, SystemEvent } from './pallet.ts';
import type { AccountData, AccountId, AccountInfo } from './types.ts';

export type IncRefStatus = 'Created' | 'Existed';
export type DecRefStatus = 'Reaped' | 'Exists';

function onCreatedAccount(who: AccountId): void {
  config().onNewAccount?.(who);
  SystemEvent.deposit({ type: 'NewAccount', value: { account: who } });
}

function onKilledAccount(who: AccountId): void {
  config().onKilledAccount?.(who);
  SystemEvent.deposit({ type: 'KilledAccount', value: { account: who } });
}

export function accountExists(who: AccountId): boolean {
  return Account.contains(who);
}

export function account(who: AccountId): AccountInfo {
  return Account.get(who);
}

export function accountNonce(who: AccountId): number {
  return Account.get(who).nonce;
}

export function incAccountNonce(who: AccountId): void {
  Account.mutate(who, (a) => {
    a.nonce = (a.nonce + 1) >>> 0;
  });
}

/** A provider reference: the account may exist. Creating the account deposits NewAccount. */
export function incProviders(who: AccountId): IncRefStatus {
  let status: IncRefStatus = 'Existed';
  const info = Account.get(who);
  if (info.providers === 0 && info.sufficients === 0) {
    info.providers = 1;
    status = 'Created';
  } else info.providers = Math.min(info.providers + 1, 0xffffffff);
  Account.set(who, info);
  if (status === 'Created') onCreatedAccount(who);
  return status;
}

/**
 * Drops a provider reference. The last provider (with no consumers and no sufficients) reaps the account;
 * the last provider while consumers remain fails with ConsumerRemaining and changes nothing.
 */
export function decProviders(who: AccountId): DecRefStatus {
  if (!Account.contains(who)) return 'Reaped';
  const info = Account.get(who);
  if (info.providers === 0) info.providers = 1; // logged as a logic error upstream; treated as one provider
  if (info.providers === 1 && info.consumers === 0 && info.sufficients === 0) {
    Account.remove(who);
    onKilledAccount(who);
    return 'Reaped';
  }
  if (info.providers === 1 && info.consumers > 0) throw new DispatchFailure({ type: 'ConsumerRemaining' });
  info.providers -= 1;
  Account.set(who, info);
  return 'Exists';
}

export function incSufficients(who: AccountId): IncRefStatus {
  const info = Account.get(who);
  if (info.providers + info.sufficients === 0) {
    info.sufficients = 1;
    Account.set(who, info);
    onCreatedAccount(who);
    return 'Created';
  }
  info.sufficients = Math.min(info.sufficients + 1, 0xffffffff);
  Account.set(who, info);
  return 'Existed';
}

export function decSufficients(who: AccountId): DecRefStatus {
  if (!Account.contains(who)) return 'Reaped';
  const info = Account.get(who);
  if (info.sufficients === 0) info.sufficients = 1;
  if (info.sufficients === 1 && info.providers === 0) {
    // consumers must be zero when providers are (invariant), so the account goes.
    Account.remove(who);
    onKilledAccount(who);
    return 'Reaped';
  }
  info.sufficients -= 1;
  Account.set(who, info);
  return 'Exists';
}

/** A consumer reference (e.g. a lock or reserve); needs a provider and stays under MaxConsumers. */
export function incConsumers(who: AccountId): void {
  const info = Account.get(who);
  if (info.providers === 0) throw new DispatchFailure({ type: 'NoProviders' });
  if (info.consumers >= (config().maxConsumers ?? 16))
    throw new DispatchFailure({ type: 'TooManyConsumers' });
  info.consumers += 1;
  Account.set(who, info);
}

/** As incConsumers without the MaxConsumers bound (`inc_consumers_without_limit`). */
export function incConsumersWithoutLimit(who: AccountId): void {
  const info = Account.get(who);
  if (info.providers === 0) throw new DispatchFailure({ type: 'NoProviders' });
  info.consumers += 1;
  Account.set(who, info);
}

export function decConsumers(who: AccountId): void {
  Account.mutate(who, (a) => {
    if (a.consumers > 0) a.consumers -= 1;
  });
}

export function providers(who: AccountId): number {
  return Account.get(who).providers;
}
export function consumers(who: AccountId): number {
  return Account.get(who).consumers;
}
export function sufficients(who: AccountId): number {
  return Account.get(who).sufficients;
}
/** `can_dec_provider`: removing one provider would not violate the consumer invariant. */
export function canDecProvider(who: AccountId): boolean {
  const a = Account.get(who);
  return a.consumers === 0 || a.providers > 1;
}
/** `can_accrue_consumers` */
export function canAccrueConsumers(who: AccountId, amount: number): boolean {
  const a = Account.get(who);
  return a.providers > 0 && a.consumers + amount <= (config().maxConsumers ?? 16);
}

const isDefaultData = (d: AccountData) =>
  d.free === 0n && d.reserved === 0n && d.frozen === 0n && d.flags === 0n;

/**
 * frame_system's `StoredMap<AccountId, AccountData>` (what pallet-balances uses as `AccountStore`): `fn` sees the
 * data (undefined for a default/absent account) and returns the new data or undefined; the data is stored only
 * while the account has a provider or sufficient reference, otherwise the account entry is removed. Nothing is
 * written if `fn` throws.
 */
export const accountStore = {
  get(who: AccountId): AccountData {
    return Account.get(who).data;
  },
  tryMutateExists<R>(
    who: AccountId,
    fn: (data: AccountData | undefined) => { data: AccountData | undefined; result: R },
  ): R {
    const info = Account.get(who);
    const { data, result } = fn(isDefaultData(info.data) ? undefined : { ...info.data });
    // fn may have changed ref counts (e.g. incProviders on first deposit): read them again.
    const now = Account.get(who);
    if (now.providers > 0 || now.sufficients > 0) {
      now.data = data ?? { free: 0n, reserved: 0n, frozen: 0n, flags: 0n };
      Account.set(who, now);
    } else Account.remove(who);
    return result;
  },
};
