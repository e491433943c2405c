/**
 * Accounts as a runtime parameter (FRAME's `T::AccountId` and `T::Lookup`). A pallet is written once and runs in
 * runtimes whose accounts are 32-byte keys (Polkadot, Crust, Acala: `AccountId32` named by `MultiAddress`) or
 * 20-byte Ethereum addresses (Moonbeam, Darwinia: `AccountId20` named by itself, `IdentityLookup`). Pallets use
 * the late-bound `AccountId` and `AccountIdLookupOf` codecs below, which encode, decode and describe themselves
 * (for metadata) as the current env's runtime's account kind, as `RuntimeCallRef` does for the call enum.
 */
import type { MultiAddress } from '../extrinsic/multi-address.ts';
import { MultiAddressCodec } from '../extrinsic/multi-address.ts';
import { AccountId20, AccountId32 } from '../extrinsic/primitives.ts';
import { Codec } from '../scale/codec.ts';
import { DispatchFailure } from './dispatch-error.ts';
import { currentRuntime } from './env.ts';

/** `StaticLookup`: how call arguments name accounts, and back. */
export interface AccountLookup<Source = unknown> {
  /** The call argument's codec (`AccountIdLookupOf<T>`). */
  readonly source: Codec<Source>;
  /** `T::Lookup::lookup`; throws `DispatchFailure(CannotLookup)` for a source it cannot resolve. */
  lookup(source: Source): Uint8Array;
  /** `T::Lookup::unlookup`: the source that names `who`. */
  unlookup(who: Uint8Array): Source;
}

/** A runtime's account type and lookup. */
export interface AccountKind {
  /** `T::AccountId`. */
  readonly id: Codec<Uint8Array>;
  /** Bytes of an account id (32 or 20). */
  readonly length: 32 | 20;
  readonly lookup: AccountLookup<any>;
}

const cannotLookup = () => new DispatchFailure({ type: 'CannotLookup' });

/** `AccountIdLookup<AccountId32, ()>`: `MultiAddress::Id` resolves, anything else is `CannotLookup`. */
export const multiAddressLookup: AccountLookup<MultiAddress> = {
  source: MultiAddressCodec,
  lookup(address) {
    if (address?.type === 'Id' && address.value instanceof Uint8Array && address.value.length === 32)
      return address.value;
    throw cannotLookup();
  },
  unlookup: (who) => ({ type: 'Id', value: who }),
};

/** `IdentityLookup<AccountId20>`: the argument is the account itself (Moonbeam, Darwinia). */
export const identity20Lookup: AccountLookup<Uint8Array> = {
  source: AccountId20,
  lookup(who) {
    if (who instanceof Uint8Array && who.length === 20) return who;
    throw cannotLookup();
  },
  unlookup: (who) => who,
};

/** Polkadot-style accounts: `AccountId32`, named by `MultiAddress<AccountId32, ()>`. */
export const ACCOUNT_32: AccountKind = { id: AccountId32, length: 32, lookup: multiAddressLookup };
/** Ethereum-style accounts: `AccountId20`, named by itself. */
export const ACCOUNT_20: AccountKind = { id: AccountId20, length: 20, lookup: identity20Lookup };

/**
 * The current runtime's account kind. Outside any runtime (a storage key computed by a tool, a test vector) it is
 * the Polkadot default, 32-byte accounts.
 */
export function accountKind(): AccountKind {
  return currentRuntime()?.accounts ?? ACCOUNT_32;
}

class LateBound<T> extends Codec<T> {
  constructor(readonly pick: () => Codec<T>) {
    super(
      (w, v) => pick().write(w, v),
      (r) => pick().read(r),
      () => pick().info,
      // The shorter of the two account kinds: a bound on decoded lengths must hold for both.
      20,
      (a, b) => pick().compare(a, b),
    );
  }

  override get info() {
    return this.pick().info;
  }
}

/** The current runtime's `T::AccountId` (32 or 20 bytes). */
export const AccountId: Codec<Uint8Array> = new LateBound(() => accountKind().id);

/** The current runtime's `AccountIdLookupOf<T>` (what calls take to name an account). */
export const AccountIdLookupOf: Codec<any> = new LateBound(() => accountKind().lookup.source);

/** `T::Lookup::lookup(source)` in the current runtime. */
export function lookup(source: unknown): Uint8Array {
  return accountKind().lookup.lookup(source);
}

/** `T::Lookup::unlookup(who)` in the current runtime. */
export function unlookup(who: Uint8Array): unknown {
  return accountKind().lookup.unlookup(who);
}
