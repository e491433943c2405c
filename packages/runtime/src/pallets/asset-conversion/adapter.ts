/**
 * `T::Assets` of pallet-asset-conversion: one `fungibles` face over every asset kind a pool may hold, keyed by XCM
 * Location. Asset Hub builds it as `fungible::UnionOf<Balances, ForeignAssets, TargetFromLeft<Native>>`: the native
 * location goes to pallet-balances, every other location to a pallet-assets instance keyed by Location.
 * `nativeAndAssets()` builds that union from the runtime's `NativeCurrency` (balances/adapter.ts) and a
 * `defineAssets({ assetId: LocationCodec })` instance's `fungibles`.
 *
 * Each method has the semantics of the frame_support trait method it names (the trait defaults where pallet-assets
 * does not override them), so the pallet fails with the same `DispatchError`s as on Asset Hub, and runs in the
 * ambient runtime env.
 */
import { DispatchFailure } from '../../frame/dispatch-error.ts';
import { state } from '../../frame/env.ts';
import { type Location, locationEquals } from '../../xcm/index.ts';
import type { Fungibles } from '../assets/pallet.ts';
import type { NativeCurrency } from '../balances/adapter.ts';
import { depositResult, type Preservation, withdrawResult } from '../balances/fungible.ts';

type AccountId = Uint8Array;
export type { Preservation };

export interface ConversionAssets {
  /** `Inspect::minimum_balance`: the existential deposit, an asset's `min_balance`; 0 for an unknown asset. */
  minimumBalance(asset: Location): bigint;
  /** `Inspect::balance`: the free (native) or asset balance. */
  balance(asset: Location, who: AccountId): bigint;
  /** `Inspect::reducible_balance(asset, who, preservation, Polite)`; 0 where the account cannot pay at all. */
  reducibleBalance(asset: Location, who: AccountId, preservation: Preservation): bigint;
  /** `Mutate::transfer`: `Token(FundsUnavailable | NotExpendable | BelowMinimum | CannotCreate | ...)` errors. */
  transfer(asset: Location, from: AccountId, to: AccountId, amount: bigint, preservation: Preservation): void;
  /** `Balanced::withdraw(asset, who, amount, Exact, preservation, Polite)`: returns the credit (the amount), which
   * the caller must `resolve` into some account. */
  withdraw(asset: Location, who: AccountId, amount: bigint, preservation: Preservation): bigint;
  /** `Balanced::resolve`: places a credit in `who` whole, or returns false changing nothing. */
  resolve(asset: Location, who: AccountId, amount: bigint): boolean;
  /** A credit dropped unplaced (`OnDropCredit` = `DecreaseIssuance`): the total issuance goes down by it. */
  dropCredit(asset: Location, amount: bigint): void;
  /** `AccountTouch::should_touch`: whether `who` needs an account (with a deposit) before it can hold `asset`. */
  shouldTouch(asset: Location, who: AccountId): boolean;
  /** `AccountTouch::touch`: creates that account, its deposit paid by `depositor`. */
  touch(asset: Location, who: AccountId, depositor: AccountId): void;
}

/** `fungible::UnionOf<Balances, Assets, TargetFromLeft<native>, Location, AccountId>`. */
export function nativeAndAssets(opts: {
  /** The location that names the native token (`{ parents: 0, interior: [] }` on Crust). */
  native: Location;
  currency: NativeCurrency;
  /** A pallet-assets instance keyed by Location (e.g. `ForeignAssets`). */
  assets: Fungibles<Location>;
}): ConversionAssets {
  const { native, currency, assets } = opts;
  const isNative = (asset: Location) => locationEquals(asset, native);
  const keepAlive = (p: Preservation) => p !== 'Expendable';
  return {
    minimumBalance: (asset) =>
      isNative(asset) ? currency.existentialDeposit() : assets.minimumBalance(asset),
    balance: (asset, who) => (isNative(asset) ? currency.free(who) : assets.balance(asset, who)),
    reducibleBalance: (asset, who, preservation) =>
      isNative(asset)
        ? currency.reducible(who, preservation, 'Polite')
        : assets.reducibleBalance(asset, who, keepAlive(preservation)),
    transfer(asset, from, to, amount, preservation) {
      if (isNative(asset)) {
        currency.transfer(from, to, amount, preservation);
        return;
      }
      // The trait's default `transfer`: can_withdraw (Token errors, NotExpendable when it would reap the source
      // and the caller preserves it), can_deposit as `Extant`, then the move.
      state().transactional(() => {
        withdrawResult(assets.canWithdraw(asset, from, amount), keepAlive(preservation));
        depositResult(assets.canDeposit(asset, to, amount, 'Extant'));
        assets.transfer(asset, from, to, amount, keepAlive(preservation));
      });
    },
    withdraw: (asset, who, amount, preservation) =>
      isNative(asset)
        ? currency.withdraw(who, amount, { precision: 'Exact', preservation, force: 'Polite' })
        : assets.withdraw(asset, who, amount, keepAlive(preservation)),
    resolve(asset, who, amount) {
      if (isNative(asset)) return currency.resolve(who, amount);
      try {
        assets.deposit(asset, who, amount);
        return true;
      } catch (err) {
        if (err instanceof DispatchFailure) return false;
        throw err;
      }
    },
    dropCredit(asset, amount) {
      if (isNative(asset)) currency.burnCredit(amount);
      else assets.dropCredit(asset, amount);
    },
    // pallet-balances needs no touching (its `AccountTouch` is a no-op).
    shouldTouch: (asset, who) => (isNative(asset) ? false : assets.shouldTouch(asset, who)),
    touch(asset, who, depositor) {
      if (!isNative(asset)) assets.touch(asset, who, depositor);
    },
  };
}
