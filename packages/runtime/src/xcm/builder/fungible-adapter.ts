/**
 * xcm-builder `fungible_adapter.rs`: `FungibleAdapter` (`FungibleMutateAdapter` + `FungibleTransferAdapter`), the
 * asset transactor for one fungible currency, usually the native token: deposit = mint into the beneficiary's
 * account, withdraw = burn from the origin's (Exact, Polite), transfer = a preserving transfer, and, with a
 * checking account, teleport bookkeeping that keeps total issuance honest (`MintLocation::Local`: what teleports
 * out accrues there and what comes back is taken from it; `NonLocal`: the reverse).
 */
import { DispatchFailure, describeDispatchError } from '../../frame/dispatch-error.ts';
import type { NativeCurrency } from '../../pallets/balances/adapter.ts';
import type { DepositConsequence, WithdrawConsequence } from '../../pallets/balances/fungible.ts';
import type { Asset } from '../index.ts';
import { XcmFailure, xcmFail } from '../executor/errors.ts';
import type { ConvertLocation, TransactAsset } from '../executor/traits.ts';
import type { MatchesFungible } from './matchers.ts';

/** `MintLocation`. */
export type MintLocation = 'Local' | 'NonLocal';

/** The `fungible::Mutate` subset the adapter uses; methods throw `DispatchFailure` as pallet code does. */
export interface FungibleCurrency {
  mintInto(who: Uint8Array, amount: bigint): void;
  /** Exact, Polite, Expendable. */
  burnFrom(who: Uint8Array, amount: bigint): void;
  /** `transfer(.., Preserve)`. */
  transferPreserving(from: Uint8Array, to: Uint8Array, amount: bigint): void;
  canDepositMinted(who: Uint8Array, amount: bigint): DepositConsequence;
  canWithdraw(who: Uint8Array, amount: bigint): WithdrawConsequence;
}

/** pallet-balances (through its `NativeCurrency` face) as a `FungibleCurrency`. */
export function nativeFungible(currency: NativeCurrency): FungibleCurrency {
  return {
    mintInto: (who, amount) => void currency.mint(who, amount),
    burnFrom: (who, amount) => void currency.burn(who, amount, 'Expendable'),
    transferPreserving: (from, to, amount) => currency.transfer(from, to, amount, 'Preserve'),
    canDepositMinted: (who, amount) => currency.canDeposit(who, amount, 'Minted'),
    canWithdraw: (who, amount) => currency.canWithdraw(who, amount),
  };
}

/** `FailedToTransactAsset(error.into())` for a dispatch failure inside a transactor. */
export function transactFailure<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof DispatchFailure)
      throw xcmFail('FailedToTransactAsset', describeDispatchError(err.error));
    throw err;
  }
}

/** `DepositConsequence::into_result().is_ok()`. */
export const depositOk = (c: DepositConsequence) => c === 'Success';
/** `WithdrawConsequence::into_result(false).is_ok()`. */
export const withdrawOk = (c: WithdrawConsequence) => c.type === 'Success' || c.type === 'ReducedToZero';

export interface FungibleAdapterOptions {
  currency: FungibleCurrency;
  /** `Matcher`: e.g. `isConcrete(here())`. */
  matcher: MatchesFungible;
  /** `AccountIdConverter`: the runtime's `LocationToAccountId`. */
  accountOf: ConvertLocation;
  /** `CheckingAccount`: where teleports are accounted, if they are. */
  checking?: { account: Uint8Array; mintLocation: MintLocation };
}

/** `FungibleAdapter<Currency, Matcher, AccountIdConverter, AccountId, CheckingAccount>`. */
export function fungibleAdapter(opts: FungibleAdapterOptions): TransactAsset {
  const { currency, matcher, accountOf, checking } = opts;
  const amountOf = (what: Asset): bigint => {
    const amount = matcher(what);
    if (amount === undefined) throw xcmFail('AssetNotFound');
    return amount;
  };
  const account = (who: Parameters<ConvertLocation>[0]): Uint8Array => {
    const a = accountOf(who);
    if (!a) throw xcmFail('FailedToTransactAsset', 'AccountIdConversionFailed');
    return a;
  };
  const canAccrue = (amount: bigint) => {
    if (!depositOk(currency.canDepositMinted(checking!.account, amount))) throw xcmFail('NotDepositable');
  };
  const canReduce = (amount: bigint) => {
    if (!withdrawOk(currency.canWithdraw(checking!.account, amount))) throw xcmFail('NotWithdrawable');
  };
  // `debug_assert!`ed to succeed after the `can_*` check; a failure is swallowed as in a release build.
  const quietly = (f: () => void) => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof DispatchFailure) && !(err instanceof XcmFailure)) throw err;
    }
  };
  return {
    canCheckIn(_origin, what) {
      const amount = amountOf(what);
      if (checking?.mintLocation === 'Local') canReduce(amount);
      else if (checking?.mintLocation === 'NonLocal') canAccrue(amount);
    },
    checkIn(_origin, what) {
      const amount = matcher(what);
      if (amount === undefined || !checking) return;
      if (checking.mintLocation === 'Local') quietly(() => currency.burnFrom(checking.account, amount));
      else quietly(() => currency.mintInto(checking.account, amount));
    },
    canCheckOut(_dest, what) {
      const amount = amountOf(what);
      if (checking?.mintLocation === 'Local') canAccrue(amount);
      else if (checking?.mintLocation === 'NonLocal') canReduce(amount);
    },
    checkOut(_dest, what) {
      const amount = matcher(what);
      if (amount === undefined || !checking) return;
      if (checking.mintLocation === 'Local') quietly(() => currency.mintInto(checking.account, amount));
      else quietly(() => currency.burnFrom(checking.account, amount));
    },
    depositAsset(what, who) {
      const amount = amountOf(what);
      const to = account(who);
      transactFailure(() => currency.mintInto(to, amount));
    },
    withdrawAsset(what, who) {
      const amount = amountOf(what);
      const from = account(who);
      transactFailure(() => currency.burnFrom(from, amount));
    },
    internalTransferAsset(what, from, to) {
      const amount = amountOf(what);
      const source = account(from);
      const dest = account(to);
      transactFailure(() => currency.transferPreserving(source, dest, amount));
    },
  };
}
