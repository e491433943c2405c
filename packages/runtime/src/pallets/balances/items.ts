/**
 * pallet_balances' declarations: config, storage, events and errors, with polkadot-sdk's names, indices, field names
 * and docs (substrate/frame/balances/src/lib.rs). Balances live in System.Account's `data` (AccountStore = System).
 */
import { AccountId } from '../../frame/account.ts';
import { pallet } from '../../frame/pallet.ts';
import type { Codec } from '../../scale/codec.ts';
import { struct, vec } from '../../scale/composite.ts';
import { u128 } from '../../scale/primitives.ts';
import { AccountDataCodec, NEW_LOGIC_FLAG } from '../system/types.ts';
import {
  AdjustmentDirectionCodec,
  BalanceLockCodec,
  BalanceStatusCodec,
  idAmountCodec,
  type Reason,
  ReserveDataCodec,
  RuntimeFreezeReasonRef,
  RuntimeHoldReasonRef,
} from './types.ts';

export interface BalancesConfig {
  /** `ExistentialDeposit`: accounts whose free balance falls below it are reaped (must be > 0). */
  existentialDeposit: bigint;
  /** `MaxLocks` (not enforced, as upstream: only weighs). */
  maxLocks: number;
  /** `MaxReserves`: named reserves per account. */
  maxReserves: number;
  /** `MaxFreezes`: freezes per account. */
  maxFreezes: number;
  /** Holds per account (`VariantCountOf<RuntimeHoldReason>`); default: the number of hold reason variants, else 0. */
  maxHolds?: number;
  /** `DustRemoval`: receives the dust of a reaped account; default drops it (total issuance goes down). */
  dustRemoval?: (amount: bigint) => void;
  /** `RuntimeHoldReason` / `RuntimeFreezeReason` of the runtime; default: enums without variants. */
  holdReason?: Codec<Reason>;
  freezeReason?: Codec<Reason>;
}

export const p = pallet<BalancesConfig>('Balances', { module: 'pallet_balances' });
export const config = (): BalancesConfig => p.config();

// ---- storage (declaration order = metadata order) ---------------------------------------------------------------

export const TotalIssuance = p.value('TotalIssuance', u128, {
  default: 0n,
  docs: [' The total units issued in the system.'],
});
export const InactiveIssuance = p.value('InactiveIssuance', u128, {
  default: 0n,
  docs: [' The total units of outstanding deactivated balance in the system.'],
});
// `Account` exists upstream for chains that keep balances in this pallet; with AccountStore = System it stays empty
// (as on Polkadot), but polkadot-js still lists it.
export const Account = p.map('Account', ['Blake2_128Concat', AccountId], AccountDataCodec, {
  default: { free: 0n, reserved: 0n, frozen: 0n, flags: NEW_LOGIC_FLAG },
  docs: [
    ' The Balances pallet example of storing the balance of an account.',
    '',
    ' NOTE: This is only used in the case that this pallet is used to store balances.',
  ],
});
export const Locks = p.map('Locks', ['Blake2_128Concat', AccountId], vec(BalanceLockCodec), {
  default: [],
  docs: [
    ' Any liquidity locks on some account balances.',
    ' NOTE: Should only be accessed when setting, changing and freeing a lock.',
    '',
    ' Use of locks is deprecated in favour of freezes. See `https://github.com/paritytech/substrate/pull/12951/`',
  ],
});
export const Reserves = p.map('Reserves', ['Blake2_128Concat', AccountId], vec(ReserveDataCodec), {
  default: [],
  docs: [
    ' Named reserves on some account balances.',
    '',
    ' Use of reserves is deprecated in favour of holds. See `https://github.com/paritytech/substrate/pull/12951/`',
  ],
});
export const Holds = p.map(
  'Holds',
  ['Blake2_128Concat', AccountId],
  vec(idAmountCodec(RuntimeHoldReasonRef)),
  {
    default: [],
    docs: [' Holds on account balances.'],
  },
);
export const Freezes = p.map(
  'Freezes',
  ['Blake2_128Concat', AccountId],
  vec(idAmountCodec(RuntimeFreezeReasonRef)),
  {
    default: [],
    docs: [' Freeze locks on account balances.'],
  },
);

// ---- events -----------------------------------------------------------------------------------------------------

const who = (docs: string[]) =>
  [struct({ who: AccountId, amount: u128 }, { who: 'T::AccountId', amount: 'T::Balance' }), docs] as const;

export const Event = p.events({
  Endowed: [
    0,
    struct(
      { account: AccountId, free_balance: u128 },
      { account: 'T::AccountId', free_balance: 'T::Balance' },
    ),
    [' An account was created with some free balance.'],
  ],
  DustLost: [
    1,
    struct({ account: AccountId, amount: u128 }, { account: 'T::AccountId', amount: 'T::Balance' }),
    [
      ' An account was removed whose balance was non-zero but below ExistentialDeposit,',
      ' resulting in an outright loss.',
    ],
  ],
  Transfer: [
    2,
    struct(
      { from: AccountId, to: AccountId, amount: u128 },
      { from: 'T::AccountId', to: 'T::AccountId', amount: 'T::Balance' },
    ),
    [' Transfer succeeded.'],
  ],
  BalanceSet: [
    3,
    struct({ who: AccountId, free: u128 }, { who: 'T::AccountId', free: 'T::Balance' }),
    [' A balance was set by root.'],
  ],
  Reserved: [4, ...who([' Some balance was reserved (moved from free to reserved).'])],
  Unreserved: [5, ...who([' Some balance was unreserved (moved from reserved to free).'])],
  ReserveRepatriated: [
    6,
    struct(
      { from: AccountId, to: AccountId, amount: u128, destination_status: BalanceStatusCodec },
      { from: 'T::AccountId', to: 'T::AccountId', amount: 'T::Balance', destination_status: 'Status' },
    ),
    [
      ' Some balance was moved from the reserve of the first account to the second account.',
      ' Final argument indicates the destination balance type.',
    ],
  ],
  Deposit: [7, ...who([' Some amount was deposited (e.g. for transaction fees).'])],
  Withdraw: [8, ...who([' Some amount was withdrawn from the account (e.g. for transaction fees).'])],
  Slashed: [9, ...who([' Some amount was removed from the account (e.g. for misbehavior).'])],
  Minted: [10, ...who([' Some amount was minted into an account.'])],
  Burned: [11, ...who([' Some amount was burned from an account.'])],
  Suspended: [12, ...who([' Some amount was suspended from an account (it can be restored later).'])],
  Restored: [13, ...who([' Some amount was restored into an account.'])],
  Upgraded: [14, struct({ who: AccountId }, { who: 'T::AccountId' }), [' An account was upgraded.']],
  Issued: [
    15,
    struct({ amount: u128 }, { amount: 'T::Balance' }),
    [' Total issuance was increased by `amount`, creating a credit to be balanced.'],
  ],
  Rescinded: [
    16,
    struct({ amount: u128 }, { amount: 'T::Balance' }),
    [' Total issuance was decreased by `amount`, creating a debt to be balanced.'],
  ],
  Locked: [17, ...who([' Some balance was locked.'])],
  Unlocked: [18, ...who([' Some balance was unlocked.'])],
  Frozen: [19, ...who([' Some balance was frozen.'])],
  Thawed: [20, ...who([' Some balance was thawed.'])],
  TotalIssuanceForced: [
    21,
    struct({ old: u128, new: u128 }, { old: 'T::Balance', new: 'T::Balance' }),
    [' The `TotalIssuance` was forcefully changed.'],
  ],
});

// ---- errors -----------------------------------------------------------------------------------------------------

export const Error = p.errors({
  VestingBalance: [0, [' Vesting balance too high to send value.']],
  LiquidityRestrictions: [1, [' Account liquidity restrictions prevent withdrawal.']],
  InsufficientBalance: [2, [' Balance too low to send value.']],
  ExistentialDeposit: [3, [' Value too low to create account due to existential deposit.']],
  Expendability: [4, [' Transfer/payment would kill account.']],
  ExistingVestingSchedule: [5, [' A vesting schedule already exists for this account.']],
  DeadAccount: [6, [' Beneficiary account must pre-exist.']],
  TooManyReserves: [7, [' Number of named reserves exceed `MaxReserves`.']],
  TooManyHolds: [8, [' Number of holds exceed `VariantCountOf<T::RuntimeHoldReason>`.']],
  TooManyFreezes: [9, [' Number of freezes exceed `MaxFreezes`.']],
  IssuanceDeactivated: [10, [' The issuance cannot be modified since it is already deactivated.']],
  DeltaZero: [11, [' The delta cannot be zero.']],
});

export { AdjustmentDirectionCodec };
