/**
 * xcm-builder `fungibles_adapter.rs`: `FungiblesAdapter` over one assets-pallet instance (`Assets` with u32 ids,
 * `ForeignAssets` keyed by Location): the matcher picks the assets it handles and converts their ids; deposit mints,
 * withdraw burns, transfer keeps the sender alive; teleports of assets `assetChecking` names are accounted in the
 * checking account, as polkadot-sdk's `LocalMint` / `NonLocalMint` / `DualMint`.
 */
import type { Fungibles } from '../../pallets/assets/pallet.ts';
import { xcmFail } from '../executor/errors.ts';
import type { ConvertLocation, TransactAsset } from '../executor/traits.ts';
import { type MintLocation, depositOk, transactFailure, withdrawOk } from './fungible-adapter.ts';
import type { MatchesFungibles } from './matchers.ts';

export interface FungiblesAdapterOptions<Id> {
  assets: Fungibles<Id>;
  matcher: MatchesFungibles<Id>;
  accountOf: ConvertLocation;
  /** `CheckAsset`: the teleport policy of an asset (`NoChecking` when absent). */
  assetChecking?: (id: Id) => MintLocation | undefined;
  /** `CheckingAccount`. */
  checkingAccount?: Uint8Array;
}

/** `FungiblesAdapter<Assets, Matcher, AccountIdConverter, AccountId, CheckAsset, CheckingAccount>`. */
export function fungiblesAdapter<Id>(opts: FungiblesAdapterOptions<Id>): TransactAsset {
  const { assets, matcher, accountOf } = opts;
  const account = (who: Parameters<ConvertLocation>[0]): Uint8Array => {
    const a = accountOf(who);
    if (!a) throw xcmFail('FailedToTransactAsset', 'AccountIdConversionFailed');
    return a;
  };
  const policy = (id: Id): MintLocation | undefined =>
    opts.checkingAccount ? opts.assetChecking?.(id) : undefined;
  const checking = () => opts.checkingAccount!;
  const canAccrue = (id: Id, amount: bigint) => {
    if (!depositOk(assets.canDeposit(id, checking(), amount))) throw xcmFail('NotDepositable');
  };
  const canReduce = (id: Id, amount: bigint) => {
    if (!withdrawOk(assets.canWithdraw(id, checking(), amount))) throw xcmFail('NotWithdrawable');
  };
  const quietly = (f: () => void) => {
    try {
      transactFailure(f);
    } catch {
      // `debug_assert!`ed after the `can_*` check.
    }
  };
  const matched = (what: Parameters<MatchesFungibles<Id>>[0]) => {
    try {
      return matcher(what);
    } catch {
      return undefined;
    }
  };
  return {
    canCheckIn(_origin, what) {
      const { id, amount } = matcher(what);
      const p = policy(id);
      if (p === 'Local') canReduce(id, amount);
      else if (p === 'NonLocal') canAccrue(id, amount);
    },
    checkIn(_origin, what) {
      const m = matched(what);
      if (!m) return;
      const p = policy(m.id);
      if (p === 'Local') quietly(() => void assets.burnFrom(m.id, checking(), m.amount));
      else if (p === 'NonLocal') quietly(() => void assets.mintInto(m.id, checking(), m.amount));
    },
    canCheckOut(_dest, what) {
      const { id, amount } = matcher(what);
      const p = policy(id);
      if (p === 'Local') canAccrue(id, amount);
      else if (p === 'NonLocal') canReduce(id, amount);
    },
    checkOut(_dest, what) {
      const m = matched(what);
      if (!m) return;
      const p = policy(m.id);
      if (p === 'Local') quietly(() => void assets.mintInto(m.id, checking(), m.amount));
      else if (p === 'NonLocal') quietly(() => void assets.burnFrom(m.id, checking(), m.amount));
    },
    depositAsset(what, who) {
      const { id, amount } = matcher(what);
      const to = account(who);
      transactFailure(() => assets.mintInto(id, to, amount));
    },
    withdrawAsset(what, who) {
      const { id, amount } = matcher(what);
      const from = account(who);
      transactFailure(() => assets.burnFrom(id, from, amount));
    },
    internalTransferAsset(what, from, to) {
      const { id, amount } = matcher(what);
      const source = account(from);
      const dest = account(to);
      transactFailure(() => assets.transfer(id, source, dest, amount, true));
    },
  };
}
