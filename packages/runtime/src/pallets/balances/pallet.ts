/**
 * pallet_balances: calls with polkadot-sdk's indices, argument names and weights (SubstrateWeight of weights.rs
 * plus RocksDb reads/writes), constants and genesis. Declarations are in items.ts, the logic in fungible.ts and
 * currency.ts.
 */
import { AccountId, AccountIdLookupOf, lookup } from '../../frame/account.ts';
import { ensureRoot, ensureSigned } from '../../frame/origin.ts';
import { call, constant } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, weight, type Weight } from '../../frame/weights.ts';
import { vec } from '../../scale/composite.ts';
import { bool, compact, u128, u32 } from '../../scale/primitives.ts';
import { accountStore, incProviders } from '../system/account.ts';
import { NEW_LOGIC_FLAG } from '../system/types.ts';
import { unreserve } from './currency.ts';
import {
  accountData,
  burnFrom,
  dropCredit,
  dropDebt,
  mutateAccountHandlingDust,
  reducibleBalance,
  transfer,
} from './fungible.ts';
import { type BalancesConfig, Error, Event, InactiveIssuance, p, TotalIssuance } from './items.ts';
import { AdjustmentDirectionCodec } from './types.ts';

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
/** `Weight::from_parts(ref_time, proof)` plus `reads` and `writes` of RocksDbWeight. */
const w = (refTime: number, proof: number, reads = 0, writes = 0): Weight =>
  addWeight(weight(refTime, proof), weight(reads * READ + writes * WRITE, 0));

export const BalancesWeights = {
  transferAllowDeath: () => w(48_363_000, 3593, 1, 1),
  transferKeepAlive: () => w(38_159_000, 3593, 1, 1),
  forceSetBalanceCreating: () => w(14_687_000, 3593, 1, 1),
  forceSetBalanceKilling: () => w(19_929_000, 3593, 1, 1),
  forceTransfer: () => w(49_944_000, 6196, 2, 2),
  transferAll: () => w(47_385_000, 3593, 1, 1),
  forceUnreserve: () => w(17_233_000, 3593, 1, 1),
  upgradeAccounts: (u: number) => w(16_588_000 + 13_973_659 * u, 990 + 2603 * u, u, u),
  forceAdjustTotalIssuance: () => w(6_594_000, 0),
  burnAllowDeath: () => w(30_968_000, 0),
  burnKeepAlive: () => w(20_711_000, 0),
};

const dest = AccountIdLookupOf;
const lookupNames = { dest: 'AccountIdLookupOf<T>', value: 'T::Balance' } as const;

export interface BalancesGenesis {
  /** `balances: Vec<(AccountId, Balance)>`: each at least ED, no duplicates. */
  balances: Array<[Uint8Array, bigint]>;
}

export class BalancesGenesisError extends globalThis.Error {
  override name = 'BalancesGenesisError';
}

export const Balances = p.build({
  docs: [],
  calls: {
    transfer_allow_death: call(
      0,
      { dest, value: compact(u128) },
      {
        weight: BalancesWeights.transferAllowDeath,
        dispatch(origin, { dest, value }) {
          const source = ensureSigned(origin);
          transfer(source, lookup(dest), value, 'Expendable');
        },
        typeNames: lookupNames,
        docs: [
          ' Transfer some liquid free balance to another account.',
          '',
          ' `transfer_allow_death` will set the `FreeBalance` of the sender and receiver.',
          " If the sender's account is below the existential deposit as a result",
          ' of the transfer, the account will be reaped.',
          '',
          ' The dispatch origin for this call must be `Signed` by the transactor.',
        ],
      },
    ),
    force_transfer: call(
      2,
      { source: AccountIdLookupOf, dest, value: compact(u128) },
      {
        weight: BalancesWeights.forceTransfer,
        dispatch(origin, { source, dest, value }) {
          ensureRoot(origin);
          transfer(lookup(source), lookup(dest), value, 'Expendable');
        },
        typeNames: { source: 'AccountIdLookupOf<T>', ...lookupNames },
        docs: [
          ' Exactly as `transfer_allow_death`, except the origin must be root and the source account',
          ' may be specified.',
        ],
      },
    ),
    transfer_keep_alive: call(
      3,
      { dest, value: compact(u128) },
      {
        weight: BalancesWeights.transferKeepAlive,
        dispatch(origin, { dest, value }) {
          const source = ensureSigned(origin);
          transfer(source, lookup(dest), value, 'Preserve');
        },
        typeNames: lookupNames,
        docs: [
          ' Same as the [`transfer_allow_death`] call, but with a check that the transfer will not',
          ' kill the origin account.',
          '',
          ' 99% of the time you want [`transfer_allow_death`] instead.',
          '',
          ' [`transfer_allow_death`]: struct.Pallet.html#method.transfer',
        ],
      },
    ),
    transfer_all: call(
      4,
      { dest, keep_alive: bool },
      {
        weight: BalancesWeights.transferAll,
        dispatch(origin, { dest, keep_alive }) {
          const transactor = ensureSigned(origin);
          const preservation = keep_alive ? 'Preserve' : 'Expendable';
          const reducible = reducibleBalance(transactor, preservation, 'Polite');
          transfer(transactor, lookup(dest), reducible, preservation);
        },
        typeNames: { dest: 'AccountIdLookupOf<T>', keep_alive: 'bool' },
        docs: [
          ' Transfer the entire transferable balance from the caller account.',
          '',
          ' NOTE: This function only attempts to transfer _transferable_ balances. This means that',
          ' any locked, reserved, or existential deposits (when `keep_alive` is `true`), will not be',
          ' transferred by this function. To ensure that this function results in a killed account,',
          ' you might need to prepare the account by removing any reference counters, storage',
          ' deposits, etc...',
          '',
          ' The dispatch origin of this call must be Signed.',
          '',
          ' - `dest`: The recipient of the transfer.',
          ' - `keep_alive`: A boolean to determine if the `transfer_all` operation should send all',
          '   of the funds the account has, causing the sender account to be killed (false), or',
          '   transfer everything except at least the existential deposit, which will guarantee to',
          '   keep the sender account alive (true).',
        ],
      },
    ),
    force_unreserve: call(
      5,
      { who: AccountIdLookupOf, amount: u128 },
      {
        weight: BalancesWeights.forceUnreserve,
        dispatch(origin, { who, amount }) {
          ensureRoot(origin);
          unreserve(lookup(who), amount);
        },
        typeNames: { who: 'AccountIdLookupOf<T>', amount: 'T::Balance' },
        docs: [' Unreserve some balance from a user by force.', '', ' Can only be called by ROOT.'],
      },
    ),
    upgrade_accounts: call(
      6,
      { who: vec(AccountId) },
      {
        weight: ({ who }) => BalancesWeights.upgradeAccounts(who.length),
        dispatch(origin, { who }) {
          ensureSigned(origin);
          if (who.length === 0) return { paysFee: 'Yes' };
          // Every account we write already carries the new-logic flag; only stored old-logic data gets upgraded.
          let upgraded = 0;
          for (const account of who) {
            const stored = accountStore.get(account);
            const exists = stored.free !== 0n || stored.reserved !== 0n || stored.frozen !== 0n;
            if (exists && (stored.flags & NEW_LOGIC_FLAG) === 0n) {
              mutateAccountHandlingDust(account, () => {});
              Event.deposit({ type: 'Upgraded', value: { who: account } });
              upgraded++;
            }
          }
          return { paysFee: upgraded * 10 >= who.length * 9 ? 'No' : 'Yes' };
        },
        typeNames: { who: 'Vec<T::AccountId>' },
        docs: [
          ' Upgrade a specified account.',
          '',
          ' - `origin`: Must be `Signed`.',
          ' - `who`: The account to be upgraded.',
          '',
          ' This will waive the transaction fee if at least all but 10% of the accounts needed to',
          ' be upgraded. (We let some not have to be upgraded just in order to allow for the',
          ' possibility of churn).',
        ],
      },
    ),
    force_set_balance: call(
      8,
      { who: AccountIdLookupOf, new_free: compact(u128) },
      {
        weight: () => {
          const a = BalancesWeights.forceSetBalanceCreating();
          const b = BalancesWeights.forceSetBalanceKilling();
          return { refTime: Math.max(a.refTime, b.refTime), proofSize: Math.max(a.proofSize, b.proofSize) };
        },
        dispatch(origin, { who, new_free }) {
          ensureRoot(origin);
          const account = lookup(who);
          const ed = p.config().existentialDeposit;
          const newFree = new_free < ed ? 0n : new_free;
          const oldFree = mutateAccountHandlingDust(account, (a) => {
            const old = a.free;
            a.free = newFree;
            return old;
          });
          // Positive imbalance dropped = issuance up; negative = issuance down.
          if (newFree > oldFree) dropDebt(newFree - oldFree);
          else if (newFree < oldFree) dropCredit(oldFree - newFree);
          Event.deposit({ type: 'BalanceSet', value: { who: account, free: newFree } });
        },
        typeNames: { who: 'AccountIdLookupOf<T>', new_free: 'T::Balance' },
        docs: [
          ' Set the regular balance of a given account.',
          '',
          ' The dispatch origin for this call is `root`.',
        ],
      },
    ),
    force_adjust_total_issuance: call(
      9,
      { direction: AdjustmentDirectionCodec, delta: compact(u128) },
      {
        weight: BalancesWeights.forceAdjustTotalIssuance,
        dispatch(origin, { direction, delta }) {
          ensureRoot(origin);
          if (delta <= 0n) throw Error.fail('DeltaZero');
          const old = TotalIssuance.get();
          const max = (1n << 128n) - 1n;
          const next =
            direction === 'Increase'
              ? old + delta > max
                ? max
                : old + delta
              : old > delta
                ? old - delta
                : 0n;
          if (InactiveIssuance.get() > next) throw Error.fail('IssuanceDeactivated');
          TotalIssuance.set(next);
          Event.deposit({ type: 'TotalIssuanceForced', value: { old, new: next } });
        },
        typeNames: { direction: 'AdjustmentDirection', delta: 'T::Balance' },
        docs: [
          ' Adjust the total issuance in a saturating way.',
          '',
          ' Can only be called by root and always needs a positive `delta`.',
        ],
      },
    ),
    burn: call(
      10,
      { value: compact(u128), keep_alive: bool },
      {
        weight: ({ keep_alive }) =>
          keep_alive ? BalancesWeights.burnAllowDeath() : BalancesWeights.burnKeepAlive(),
        dispatch(origin, { value, keep_alive }) {
          const source = ensureSigned(origin);
          burnFrom(source, value, keep_alive ? 'Preserve' : 'Expendable', 'Exact', 'Polite');
        },
        typeNames: { value: 'T::Balance', keep_alive: 'bool' },
        docs: [
          ' Burn the specified liquid free balance from the origin account.',
          '',
          " If the origin's account ends up below the existential deposit as a result",
          ' of the burn and `keep_alive` is false, the account will be reaped.',
          '',
          ' Unlike sending funds to a _burn_ address, which merely makes the funds inaccessible,',
          ' this `burn` operation will reduce total issuance by the amount _burned_.',
        ],
      },
    ),
  },
  constants: {
    ExistentialDeposit: constant(u128, (c: BalancesConfig) => c.existentialDeposit, [
      ' The minimum amount required to keep an account open. MUST BE GREATER THAN ZERO!',
      '',
      ' If you *really* need it to be zero, you can enable the feature `insecure_zero_ed` for',
      ' this pallet. However, you do so at your own risk: this will open up a major DoS vector.',
      ' In case you have multiple sources of provider references, you may also get unexpected',
      ' behaviour if you set this to zero.',
      '',
      ' Bottom line: Do yourself a favour and make it at least one!',
    ]),
    MaxLocks: constant(u32, (c: BalancesConfig) => c.maxLocks, [
      ' The maximum number of locks that should exist on an account.',
      ' Not strictly enforced, but used for weight estimation.',
      '',
      ' Use of locks is deprecated in favour of freezes. See `https://github.com/paritytech/substrate/pull/12951/`',
    ]),
    MaxReserves: constant(u32, (c: BalancesConfig) => c.maxReserves, [
      ' The maximum number of named reserves that can exist on an account.',
      '',
      ' Use of reserves is deprecated in favour of holds. See `https://github.com/paritytech/substrate/pull/12951/`',
    ]),
    MaxFreezes: constant(u32, (c: BalancesConfig) => c.maxFreezes, [
      ' The maximum number of individual freeze locks that can exist on an account at any time.',
    ]),
  },
  genesis: {
    default: (): BalancesGenesis => ({ balances: [] }),
    build({ balances }: BalancesGenesis) {
      const ed = p.config().existentialDeposit;
      if (ed <= 0n) throw new BalancesGenesisError('the existential deposit must be greater than zero');
      let total = 0n;
      const seen = new Set<string>();
      for (const [who, amount] of balances) {
        if (amount < ed)
          throw new BalancesGenesisError(
            'the balance of any account should always be at least the existential deposit.',
          );
        const key = Buffer.from(who).toString('hex');
        if (seen.has(key)) throw new BalancesGenesisError('duplicate balances in genesis.');
        seen.add(key);
        total += amount;
      }
      TotalIssuance.set(total);
      for (const [who, free] of balances) {
        incProviders(who);
        accountStore.tryMutateExists(who, () => ({
          data: { free, reserved: 0n, frozen: 0n, flags: NEW_LOGIC_FLAG },
          result: undefined,
        }));
      }
    },
  },
});

export { accountData };
