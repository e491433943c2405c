/**
 * pallet_assets (polkadot-sdk substrate/frame/assets): fungible assets other than the native token (foreign tokens
 * reserved on other chains, for XCM), each with an owner/issuer/admin/freezer team, a min_balance below which an
 * account is removed, and metadata. The common subset of calls with upstream indices; the logic follows
 * functions.rs (prep_debit / prep_credit / can_increase / can_decrease, existence reasons and ref counts).
 *
 * `defineAssets()` builds one instance (as `pallet_assets::Instance1` does): the dev runtime's `Assets` uses u32
 * ids (`Compact` in calls); an XCM `ForeignAssets` instance can pass a Location codec.
 */
import { AccountId, AccountIdLookupOf, lookup } from '../../frame/account.ts';
import { arithmeticError, DispatchFailure, tokenError } from '../../frame/dispatch-error.ts';
import { state } from '../../frame/env.ts';
import { ensureRoot, ensureSigned } from '../../frame/origin.ts';
import { call, constant, pallet } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, weight, type Weight } from '../../frame/weights.ts';
import type { Codec } from '../../scale/codec.ts';
import { struct } from '../../scale/composite.ts';
import { bool, bytes, compact, u128, u32, u8 } from '../../scale/primitives.ts';
import type { NativeCurrency } from '../balances/adapter.ts';
import type { DepositConsequence, WithdrawConsequence } from '../balances/fungible.ts';
import { depositResult, withdrawResult } from '../balances/fungible.ts';
import {
  canAccrueConsumers,
  decConsumers,
  decSufficients,
  incConsumers,
  incSufficients,
} from '../system/account.ts';
import {
  type AssetAccount,
  AssetAccountCodec,
  type AssetDetails,
  AssetDetailsCodec,
  AssetMetadataCodec,
  ApprovalCodec,
  emptyMetadata,
  type ExistenceReason,
} from './types.ts';

export interface AssetsConfig {
  /** `Currency` for deposits (reserved from the asset owner). */
  currency: NativeCurrency;
  assetDeposit: bigint;
  assetAccountDeposit: bigint;
  metadataDepositBase: bigint;
  metadataDepositPerByte: bigint;
  approvalDeposit: bigint;
  /** Max bytes of name and symbol. */
  stringLimit: number;
  removeItemsLimit?: number;
}

export interface AssetsGenesis<Id = number> {
  /** (id, owner, is_sufficient, min_balance) */
  assets: Array<[Id, Uint8Array, boolean, bigint]>;
  /** (id, name, symbol, decimals) */
  metadata: Array<[Id, Uint8Array, Uint8Array, number]>;
  /** (id, account, balance) */
  accounts: Array<[Id, Uint8Array, bigint]>;
  nextAssetId?: Id;
}

export class AssetsGenesisError extends Error {
  override name = 'AssetsGenesisError';
}

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
const w = (refTime: number, proof: number, reads: number, writes: number): Weight =>
  addWeight(weight(refTime, proof), weight(reads * READ + writes * WRITE, 0));
/** polkadot-sdk pallet_assets SubstrateWeight (rounded). */
export const AssetsWeights = {
  create: () => w(28_000_000, 3675, 2, 2),
  forceCreate: () => w(12_000_000, 3675, 1, 1),
  mint: () => w(26_000_000, 3675, 2, 2),
  burn: () => w(34_000_000, 3675, 2, 2),
  transfer: () => w(46_000_000, 6208, 4, 4),
  transferKeepAlive: () => w(41_000_000, 6208, 4, 4),
  forceTransfer: () => w(46_000_000, 6208, 4, 4),
  freeze: () => w(16_000_000, 3675, 2, 1),
  thaw: () => w(16_000_000, 3675, 2, 1),
  setMetadata: (n: number, s: number) => w(29_000_000 + 2_000 * (n + s), 3675, 2, 1),
  clearMetadata: () => w(29_000_000, 3675, 2, 1),
};

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const satSub = (a: bigint, b: bigint) => (a > b ? a - b : 0n);
const U128_MAX = (1n << 128n) - 1n;

export interface DefineAssetsOptions<Id> {
  name?: string;
  module?: string;
  /** Asset id codec; default u32. */
  assetId?: Codec<Id>;
  /** Whether call arguments carry the id as `Compact` (`#[pallet::compact]`, true for integer ids). */
  compactId?: boolean;
}

/** `DebitFlags` */
interface DebitFlags {
  keepAlive: boolean;
  bestEffort: boolean;
}

export function defineAssets<Id = number>(opts: DefineAssetsOptions<Id> = {}) {
  const idCodec = (opts.assetId ?? u32) as Codec<Id>;
  const compactId = opts.compactId ?? opts.assetId === undefined;
  const idArg = (compactId ? compact(idCodec as unknown as Codec<number>) : idCodec) as Codec<Id>;
  const p = pallet<AssetsConfig>(opts.name ?? 'Assets', { module: opts.module ?? 'pallet_assets' });
  const config = () => p.config();

  // ---- storage ----------------------------------------------------------------------------------------------
  const Asset = p.map('Asset', ['Blake2_128Concat', idCodec], AssetDetailsCodec, {
    docs: [' Details of an asset.'],
  });
  const Account = p.doubleMap(
    'Account',
    ['Blake2_128Concat', idCodec],
    ['Blake2_128Concat', AccountId],
    AssetAccountCodec,
    {
      docs: [' The holdings of a specific account for a specific asset.'],
    },
  );
  const Approvals = p.nMap(
    'Approvals',
    [
      ['Blake2_128Concat', idCodec],
      ['Blake2_128Concat', AccountId],
      ['Blake2_128Concat', AccountId],
    ] as const,
    ApprovalCodec,
    {
      docs: [
        ' Approved balance transfers. First balance is the amount approved for transfer. Second',
        ' is the amount of `T::Currency` reserved for storing this.',
        ' First key is the asset ID, second key is the owner and third key is the delegate.',
      ],
    },
  );
  const Metadata = p.map('Metadata', ['Blake2_128Concat', idCodec], AssetMetadataCodec, {
    default: emptyMetadata(),
    docs: [' Metadata of an asset.'],
  });
  const NextAssetId = p.value('NextAssetId', idCodec, {
    docs: [
      ' The asset ID enforced for the next asset creation, if any present. Otherwise, this storage',
      ' item has no effect.',
    ],
  });

  // ---- events and errors ------------------------------------------------------------------------------------
  const A = AccountId;
  const n = (names: Record<string, string>) => names;
  const ev = <S extends Record<string, Codec<any>>>(shape: S, names: Partial<Record<keyof S, string>>) =>
    struct({ asset_id: idCodec, ...shape }, { asset_id: 'T::AssetId', ...names } as never);
  const Event = p.events({
    Created: [
      0,
      ev({ creator: A, owner: A }, n({ creator: 'T::AccountId', owner: 'T::AccountId' })),
      [' Some asset class was created.'],
    ],
    Issued: [
      1,
      ev({ owner: A, amount: u128 }, n({ owner: 'T::AccountId', amount: 'T::Balance' })),
      [' Some assets were issued.'],
    ],
    Transferred: [
      2,
      ev(
        { from: A, to: A, amount: u128 },
        n({ from: 'T::AccountId', to: 'T::AccountId', amount: 'T::Balance' }),
      ),
      [' Some assets were transferred.'],
    ],
    Burned: [
      3,
      ev({ owner: A, balance: u128 }, n({ owner: 'T::AccountId', balance: 'T::Balance' })),
      [' Some assets were destroyed.'],
    ],
    TeamChanged: [
      4,
      ev(
        { issuer: A, admin: A, freezer: A },
        n({ issuer: 'T::AccountId', admin: 'T::AccountId', freezer: 'T::AccountId' }),
      ),
      [' The management team changed.'],
    ],
    OwnerChanged: [5, ev({ owner: A }, n({ owner: 'T::AccountId' })), [' The owner changed.']],
    Frozen: [6, ev({ who: A }, n({ who: 'T::AccountId' })), [' Some account `who` was frozen.']],
    Thawed: [7, ev({ who: A }, n({ who: 'T::AccountId' })), [' Some account `who` was thawed.']],
    AssetFrozen: [8, ev({}, {}), [' Some asset `asset_id` was frozen.']],
    AssetThawed: [9, ev({}, {}), [' Some asset `asset_id` was thawed.']],
    AccountsDestroyed: [
      10,
      ev(
        { accounts_destroyed: u32, accounts_remaining: u32 },
        n({ accounts_destroyed: 'u32', accounts_remaining: 'u32' }),
      ),
      [' Accounts were destroyed for given asset.'],
    ],
    ApprovalsDestroyed: [
      11,
      ev(
        { approvals_destroyed: u32, approvals_remaining: u32 },
        n({ approvals_destroyed: 'u32', approvals_remaining: 'u32' }),
      ),
      [' Approvals were destroyed for given asset.'],
    ],
    DestructionStarted: [12, ev({}, {}), [' An asset class is in the process of being destroyed.']],
    Destroyed: [13, ev({}, {}), [' An asset class was destroyed.']],
    ForceCreated: [
      14,
      ev({ owner: A }, n({ owner: 'T::AccountId' })),
      [' Some asset class was force-created.'],
    ],
    MetadataSet: [
      15,
      ev(
        { name: bytes, symbol: bytes, decimals: u8, is_frozen: bool },
        n({ name: 'Vec<u8>', symbol: 'Vec<u8>', decimals: 'u8', is_frozen: 'bool' }),
      ),
      [' New metadata has been set for an asset.'],
    ],
    MetadataCleared: [16, ev({}, {}), [' Metadata has been cleared for an asset.']],
    ApprovedTransfer: [
      17,
      ev(
        { source: A, delegate: A, amount: u128 },
        n({ source: 'T::AccountId', delegate: 'T::AccountId', amount: 'T::Balance' }),
      ),
      [' (Additional) funds have been approved for transfer to a destination account.'],
    ],
    ApprovalCancelled: [
      18,
      ev({ owner: A, delegate: A }, n({ owner: 'T::AccountId', delegate: 'T::AccountId' })),
      [' An approval for account `delegate` was cancelled by `owner`.'],
    ],
    TransferredApproved: [
      19,
      ev(
        { owner: A, delegate: A, destination: A, amount: u128 },
        n({
          owner: 'T::AccountId',
          delegate: 'T::AccountId',
          destination: 'T::AccountId',
          amount: 'T::Balance',
        }),
      ),
      [
        ' An `amount` was transferred in its entirety from `owner` to `destination` by',
        ' the approved `delegate`.',
      ],
    ],
    AssetStatusChanged: [20, ev({}, {}), [' An asset has had its attributes changed by the `Force` origin.']],
    AssetMinBalanceChanged: [
      21,
      ev({ new_min_balance: u128 }, n({ new_min_balance: 'T::Balance' })),
      [' The min_balance of an asset has been updated by the asset owner.'],
    ],
    Touched: [
      22,
      ev({ who: A, depositor: A }, n({ who: 'T::AccountId', depositor: 'T::AccountId' })),
      [' Some account `who` was created with a deposit from `depositor`.'],
    ],
    Blocked: [23, ev({ who: A }, n({ who: 'T::AccountId' })), [' Some account `who` was blocked.']],
    Deposited: [
      24,
      ev({ who: A, amount: u128 }, n({ who: 'T::AccountId', amount: 'T::Balance' })),
      [' Some assets were deposited (e.g. for transaction fees).'],
    ],
    Withdrawn: [
      25,
      ev({ who: A, amount: u128 }, n({ who: 'T::AccountId', amount: 'T::Balance' })),
      [' Some assets were withdrawn from the account (e.g. for transaction fees).'],
    ],
  });

  const Error = p.errors({
    BalanceLow: [0, [' Account balance must be greater than or equal to the transfer amount.']],
    NoAccount: [1, [' The account to alter does not exist.']],
    NoPermission: [2, [' The signing account has no permission to do the operation.']],
    Unknown: [3, [' The given asset ID is unknown.']],
    Frozen: [4, [' The origin account is frozen.']],
    InUse: [5, [' The asset ID is already taken.']],
    BadWitness: [6, [' Invalid witness data given.']],
    MinBalanceZero: [7, [' Minimum balance should be non-zero.']],
    UnavailableConsumer: [
      8,
      [
        ' Unable to increment the consumer reference counters on the account. Either no provider',
        ' reference exists to allow a non-zero balance of a non-self-sufficient asset, or one',
        ' fewer then the maximum number of consumers has been reached.',
      ],
    ],
    BadMetadata: [9, [' Invalid metadata given.']],
    Unapproved: [10, [' No approval exists that would allow the transfer.']],
    WouldDie: [11, [' The source account would not survive the transfer and it needs to stay alive.']],
    AlreadyExists: [12, [' The asset-account already exists.']],
    NoDeposit: [13, [" The asset-account doesn't have an associated deposit."]],
    WouldBurn: [14, [' The operation would result in funds being burned.']],
    LiveAsset: [
      15,
      [
        ' The asset is a live asset and is actively being used. Usually emit for operations such',
        ' as `start_destroy` which require the asset to be in a destroying state.',
      ],
    ],
    AssetNotLive: [16, [' The asset is not live, and likely being destroyed.']],
    IncorrectStatus: [17, [' The asset status is not the expected status.']],
    NotFrozen: [18, [' The asset should be frozen before the given operation.']],
    CallbackFailed: [19, [' Callback action resulted in error']],
    BadAssetId: [20, [' The asset ID must be equal to the [`NextAssetId`].']],
  });

  // ---- functions.rs ----------------------------------------------------------------------------------------
  const details = (id: Id): AssetDetails => {
    const d = Asset.get(id);
    if (!d) throw Error.fail('Unknown');
    return d;
  };

  function newAccount(
    who: Uint8Array,
    d: AssetDetails,
    deposit?: bigint,
    depositor: Uint8Array = who,
  ): ExistenceReason {
    if (d.accounts >= 0xffffffff) throw arithmeticError('Overflow');
    let reason: ExistenceReason;
    if (deposit !== undefined)
      reason = sameBytes(depositor, who)
        ? { type: 'DepositHeld', value: deposit }
        : { type: 'DepositFrom', value: [depositor, deposit] };
    else if (d.is_sufficient) {
      incSufficients(who);
      d.sufficients += 1;
      reason = { type: 'Sufficient' };
    } else {
      try {
        incConsumers(who);
      } catch (err) {
        if (err instanceof DispatchFailure) throw Error.fail('UnavailableConsumer');
        throw err;
      }
      // One more consumer must stay possible, or the account could never be cleaned up.
      if (!canAccrueConsumers(who, 1)) throw Error.fail('UnavailableConsumer');
      reason = { type: 'Consumer' };
    }
    d.accounts += 1;
    return reason;
  }

  /** `dead_account`: true = Remove, false = Keep (a deposit still holds it). */
  function deadAccount(who: Uint8Array, d: AssetDetails, reason: ExistenceReason, force: boolean): boolean {
    switch (reason.type) {
      case 'Consumer':
        decConsumers(who);
        break;
      case 'Sufficient':
        d.sufficients = Math.max(0, d.sufficients - 1);
        decSufficients(who);
        break;
      case 'DepositRefunded':
        break;
      default:
        if (!force) return false;
    }
    d.accounts = Math.max(0, d.accounts - 1);
    return true;
  }

  function canIncrease(id: Id, who: Uint8Array, amount: bigint, increaseSupply: boolean): DepositConsequence {
    const d = Asset.get(id);
    if (!d || d.status === 'Destroying') return 'UnknownAsset';
    if (increaseSupply && d.supply + amount > U128_MAX) return 'Overflow';
    const account = Account.get(id, who);
    if (account) {
      if (account.status === 'Blocked') return 'Blocked';
      if (account.balance + amount > U128_MAX) return 'Overflow';
    } else {
      if (amount < d.min_balance) return 'BelowMinimum';
      if (!d.is_sufficient && !canAccrueConsumers(who, 2)) return 'CannotCreate';
      if (d.is_sufficient && d.sufficients >= 0xffffffff) return 'Overflow';
    }
    return 'Success';
  }

  function canDecrease(id: Id, who: Uint8Array, amount: bigint, keepAlive: boolean): WithdrawConsequence {
    const d = Asset.get(id);
    if (!d) return { type: 'UnknownAsset' };
    if (d.supply < amount) return { type: 'Underflow' };
    if (d.status === 'Frozen') return { type: 'Frozen' };
    if (d.status === 'Destroying') return { type: 'UnknownAsset' };
    if (amount === 0n) return { type: 'Success' };
    const account = Account.get(id, who);
    if (!account) return { type: 'BalanceLow' };
    if (account.status === 'Frozen' || account.status === 'Blocked') return { type: 'Frozen' };
    if (account.balance < amount) return { type: 'BalanceLow' };
    const rest = account.balance - amount;
    if (rest < d.min_balance)
      return keepAlive ? { type: 'WouldDie' } : { type: 'ReducedToZero', value: rest };
    return { type: 'Success' };
  }

  function reducibleBalance(id: Id, who: Uint8Array, keepAlive: boolean): bigint {
    const d = details(id);
    if (d.status !== 'Live') throw Error.fail('AssetNotLive');
    const account = Account.get(id, who);
    if (!account) throw Error.fail('NoAccount');
    if (account.status === 'Frozen' || account.status === 'Blocked') throw Error.fail('Frozen');
    const amount = keepAlive ? satSub(account.balance, d.min_balance) : account.balance;
    return amount < d.supply ? amount : d.supply;
  }

  function prepDebit(id: Id, target: Uint8Array, amount: bigint, f: DebitFlags): bigint {
    const reducible = reducibleBalance(id, target, f.keepAlive);
    const actual = reducible < amount ? reducible : amount;
    if (!f.bestEffort && actual < amount) throw Error.fail('BalanceLow');
    return actual + withdrawResult(canDecrease(id, target, actual, f.keepAlive), f.keepAlive);
  }

  function increaseBalance(
    id: Id,
    beneficiary: Uint8Array,
    amount: bigint,
    check: (d: AssetDetails) => void,
  ): void {
    if (amount === 0n) return;
    depositResult(canIncrease(id, beneficiary, amount, true));
    const d = details(id);
    if (d.status !== 'Live') throw Error.fail('AssetNotLive');
    check(d);
    const account = Account.get(id, beneficiary);
    if (account) account.balance += amount;
    if (account) Account.set(id, beneficiary, account);
    else {
      if (amount < d.min_balance) throw tokenError('BelowMinimum');
      const reason = newAccount(beneficiary, d);
      Account.set(id, beneficiary, { balance: amount, status: 'Liquid', reason, extra: undefined });
    }
    Asset.set(id, d);
  }

  function decreaseBalance(
    id: Id,
    target: Uint8Array,
    amount: bigint,
    f: DebitFlags,
    check: (actual: bigint, d: AssetDetails) => void,
  ): bigint {
    if (amount === 0n) return 0n;
    const d0 = details(id);
    if (d0.status !== 'Live') throw Error.fail('AssetNotLive');
    const actual = prepDebit(id, target, amount, f);
    const d = details(id);
    check(actual, d);
    const account = Account.get(id, target);
    if (!account) throw Error.fail('NoAccount');
    account.balance = satSub(account.balance, actual);
    if (account.balance < d.min_balance && deadAccount(target, d, account.reason, false))
      Account.remove(id, target);
    else Account.set(id, target, account);
    Asset.set(id, d);
    return actual;
  }

  /** `do_mint`: `checkIssuer` = the signer, who must be the asset's issuer. */
  function doMint(id: Id, beneficiary: Uint8Array, amount: bigint, checkIssuer?: Uint8Array): void {
    state().transactional(() => {
      increaseBalance(id, beneficiary, amount, (d) => {
        if (checkIssuer && !sameBytes(checkIssuer, d.issuer)) throw Error.fail('NoPermission');
        d.supply += amount;
      });
      Event.deposit({ type: 'Issued', value: { asset_id: id, owner: beneficiary, amount } });
    });
  }

  function doBurn(
    id: Id,
    target: Uint8Array,
    amount: bigint,
    checkAdmin: Uint8Array | undefined,
    f: DebitFlags,
  ): bigint {
    return state().transactional(() => {
      const d = details(id);
      if (d.status !== 'Live' && d.status !== 'Frozen') throw Error.fail('IncorrectStatus');
      const actual = decreaseBalance(id, target, amount, f, (a, det) => {
        if (checkAdmin && !sameBytes(checkAdmin, det.admin)) throw Error.fail('NoPermission');
        det.supply = satSub(det.supply, a);
      });
      Event.deposit({ type: 'Burned', value: { asset_id: id, owner: target, balance: actual } });
      return actual;
    });
  }

  function doTransfer(
    id: Id,
    source: Uint8Array,
    dest: Uint8Array,
    amount: bigint,
    needAdmin: Uint8Array | undefined,
    keepAlive: boolean,
  ): bigint {
    if (amount === 0n) return 0n;
    return state().transactional(() => {
      const d0 = details(id);
      if (d0.status !== 'Live') throw Error.fail('AssetNotLive');
      const debit = prepDebit(id, source, amount, { keepAlive, bestEffort: false });
      const credit = debit; // burn_dust is false for every call path here
      depositResult(canIncrease(id, dest, credit, false));
      const sourceAccount = Account.get(id, source);
      if (!sourceAccount) throw Error.fail('NoAccount');
      const d = details(id);
      if (needAdmin && !sameBytes(needAdmin, d.admin)) throw Error.fail('NoPermission');
      if (!sameBytes(source, dest)) {
        sourceAccount.balance = satSub(sourceAccount.balance, debit);
        const destAccount = Account.get(id, dest);
        if (destAccount) {
          destAccount.balance += credit;
          Account.set(id, dest, destAccount);
        } else {
          const reason = newAccount(dest, d);
          Account.set(id, dest, { balance: credit, status: 'Liquid', reason, extra: undefined });
        }
        if (sourceAccount.balance < d.min_balance && deadAccount(source, d, sourceAccount.reason, false))
          Account.remove(id, source);
        else Account.set(id, source, sourceAccount);
        Asset.set(id, d);
      }
      Event.deposit({ type: 'Transferred', value: { asset_id: id, from: source, to: dest, amount: credit } });
      return credit;
    });
  }

  function doForceCreate(id: Id, owner: Uint8Array, isSufficient: boolean, minBalance: bigint): void {
    if (Asset.contains(id)) throw Error.fail('InUse');
    if (minBalance === 0n) throw Error.fail('MinBalanceZero');
    const next = NextAssetId.get() as Id | undefined; // an asset id is never `()` or an Option
    if (next !== undefined && !sameId(next, id)) throw Error.fail('BadAssetId');
    Asset.set(id, {
      owner,
      issuer: owner,
      admin: owner,
      freezer: owner,
      supply: 0n,
      deposit: 0n,
      min_balance: minBalance,
      is_sufficient: isSufficient,
      accounts: 0,
      sufficients: 0,
      approvals: 0,
      status: 'Live',
    });
    Event.deposit({ type: 'ForceCreated', value: { asset_id: id, owner } });
  }

  const sameId = (a: Id, b: Id) => sameBytes(idCodec.encode(a), idCodec.encode(b));

  /** `do_touch`: an empty account for `who`, its deposit reserved from `depositor` (who may be anyone). */
  function doTouch(id: Id, who: Uint8Array, depositor: Uint8Array): void {
    state().transactional(() => {
      if (Account.contains(id, who)) throw Error.fail('AlreadyExists');
      const deposit = config().assetAccountDeposit;
      const d = details(id);
      if (d.status !== 'Live') throw Error.fail('AssetNotLive');
      const reason = newAccount(who, d, deposit, depositor);
      config().currency.reserve(depositor, deposit);
      Asset.set(id, d);
      Account.set(id, who, { balance: 0n, status: 'Liquid', reason, extra: undefined });
      Event.deposit({ type: 'Touched', value: { asset_id: id, who, depositor } });
    });
  }

  function doSetMetadata(
    id: Id,
    from: Uint8Array,
    name: Uint8Array,
    symbol: Uint8Array,
    decimals: number,
  ): void {
    const limit = config().stringLimit;
    if (name.length > limit || symbol.length > limit) throw Error.fail('BadMetadata');
    const d = details(id);
    if (d.status !== 'Live') throw Error.fail('AssetNotLive');
    if (!sameBytes(from, d.owner)) throw Error.fail('NoPermission');
    const existing = Metadata.contains(id) ? Metadata.get(id) : undefined;
    if (existing?.is_frozen) throw Error.fail('NoPermission');
    const oldDeposit = existing?.deposit ?? 0n;
    const cfg = config();
    const newDeposit =
      cfg.metadataDepositPerByte * BigInt(name.length + symbol.length) + cfg.metadataDepositBase;
    if (newDeposit > oldDeposit) cfg.currency.reserve(from, newDeposit - oldDeposit);
    else cfg.currency.unreserve(from, oldDeposit - newDeposit);
    Metadata.set(id, { deposit: newDeposit, name, symbol, decimals, is_frozen: false });
    Event.deposit({ type: 'MetadataSet', value: { asset_id: id, name, symbol, decimals, is_frozen: false } });
  }

  // ---- calls ------------------------------------------------------------------------------------------------
  const lookupNames = { id: 'T::AssetIdParameter' };
  const pallet_ = p.build({
    docs: [],
    calls: {
      create: call(
        0,
        { id: idArg, admin: AccountIdLookupOf, min_balance: u128 },
        {
          weight: AssetsWeights.create,
          dispatch(origin, { id, admin, min_balance }) {
            const owner = ensureSigned(origin);
            const adminAccount = lookup(admin);
            if (Asset.contains(id)) throw Error.fail('InUse');
            if (min_balance === 0n) throw Error.fail('MinBalanceZero');
            const next = NextAssetId.get() as Id | undefined; // an asset id is never `()` or an Option
            if (next !== undefined && !sameId(next, id)) throw Error.fail('BadAssetId');
            const deposit = config().assetDeposit;
            config().currency.reserve(owner, deposit);
            Asset.set(id, {
              owner,
              issuer: adminAccount,
              admin: adminAccount,
              freezer: adminAccount,
              supply: 0n,
              deposit,
              min_balance,
              is_sufficient: false,
              accounts: 0,
              sufficients: 0,
              approvals: 0,
              status: 'Live',
            });
            Event.deposit({ type: 'Created', value: { asset_id: id, creator: owner, owner: adminAccount } });
          },
          typeNames: { ...lookupNames, admin: 'AccountIdLookupOf<T>', min_balance: 'T::Balance' },
          docs: [
            ' Issue a new class of fungible assets from a public origin.',
            '',
            ' This new asset class has no assets initially and its owner is the origin.',
            '',
            ' The origin must conform to the configured `CreateOrigin` and have sufficient funds free.',
            '',
            ' Funds of sender are reserved by `AssetDeposit`.',
          ],
        },
      ),
      force_create: call(
        1,
        { id: idArg, owner: AccountIdLookupOf, is_sufficient: bool, min_balance: compact(u128) },
        {
          weight: AssetsWeights.forceCreate,
          dispatch(origin, { id, owner, is_sufficient, min_balance }) {
            ensureRoot(origin);
            doForceCreate(id, lookup(owner), is_sufficient, min_balance);
          },
          typeNames: {
            ...lookupNames,
            owner: 'AccountIdLookupOf<T>',
            is_sufficient: 'bool',
            min_balance: 'T::Balance',
          },
          docs: [
            ' Issue a new class of fungible assets from a privileged origin.',
            '',
            ' This new asset class has no assets initially.',
            '',
            ' The origin must conform to `ForceOrigin`.',
          ],
        },
      ),
      mint: call(
        6,
        { id: idArg, beneficiary: AccountIdLookupOf, amount: compact(u128) },
        {
          weight: AssetsWeights.mint,
          dispatch(origin, { id, beneficiary, amount }) {
            const issuer = ensureSigned(origin);
            doMint(id, lookup(beneficiary), amount, issuer);
          },
          typeNames: { ...lookupNames, beneficiary: 'AccountIdLookupOf<T>', amount: 'T::Balance' },
          docs: [
            ' Mint assets of a particular class.',
            '',
            ' The origin must be Signed and the sender must be the Issuer of the asset `id`.',
          ],
        },
      ),
      burn: call(
        7,
        { id: idArg, who: AccountIdLookupOf, amount: compact(u128) },
        {
          weight: AssetsWeights.burn,
          dispatch(origin, { id, who, amount }) {
            const admin = ensureSigned(origin);
            doBurn(id, lookup(who), amount, admin, { keepAlive: false, bestEffort: true });
          },
          typeNames: { ...lookupNames, who: 'AccountIdLookupOf<T>', amount: 'T::Balance' },
          docs: [
            ' Reduce the balance of `who` by as much as possible up to `amount` assets of `id`.',
            '',
            ' Origin must be Signed and the sender should be the Manager of the asset `id`.',
          ],
        },
      ),
      transfer: call(
        8,
        { id: idArg, target: AccountIdLookupOf, amount: compact(u128) },
        {
          weight: AssetsWeights.transfer,
          dispatch(origin, { id, target, amount }) {
            const from = ensureSigned(origin);
            doTransfer(id, from, lookup(target), amount, undefined, false);
          },
          typeNames: { ...lookupNames, target: 'AccountIdLookupOf<T>', amount: 'T::Balance' },
          docs: [' Move some assets from the sender account to another.'],
        },
      ),
      transfer_keep_alive: call(
        9,
        { id: idArg, target: AccountIdLookupOf, amount: compact(u128) },
        {
          weight: AssetsWeights.transferKeepAlive,
          dispatch(origin, { id, target, amount }) {
            const from = ensureSigned(origin);
            doTransfer(id, from, lookup(target), amount, undefined, true);
          },
          typeNames: { ...lookupNames, target: 'AccountIdLookupOf<T>', amount: 'T::Balance' },
          docs: [' Move some assets from the sender account to another, keeping the sender account alive.'],
        },
      ),
      force_transfer: call(
        10,
        { id: idArg, source: AccountIdLookupOf, dest: AccountIdLookupOf, amount: compact(u128) },
        {
          weight: AssetsWeights.forceTransfer,
          dispatch(origin, { id, source, dest, amount }) {
            const admin = ensureSigned(origin);
            doTransfer(id, lookup(source), lookup(dest), amount, admin, false);
          },
          typeNames: {
            ...lookupNames,
            source: 'AccountIdLookupOf<T>',
            dest: 'AccountIdLookupOf<T>',
            amount: 'T::Balance',
          },
          docs: [
            ' Move some assets from one account to another.',
            '',
            ' Origin must be Signed and the sender should be the Admin of the asset `id`.',
          ],
        },
      ),
      freeze: call(
        11,
        { id: idArg, who: AccountIdLookupOf },
        {
          weight: AssetsWeights.freeze,
          dispatch(origin, { id, who }) {
            const signer = ensureSigned(origin);
            const d = details(id);
            if (d.status !== 'Live' && d.status !== 'Frozen') throw Error.fail('IncorrectStatus');
            if (!sameBytes(signer, d.freezer)) throw Error.fail('NoPermission');
            const account = lookup(who);
            const a = Account.get(id, account);
            if (!a) throw Error.fail('NoAccount');
            Account.set(id, account, { ...a, status: 'Frozen' });
            Event.deposit({ type: 'Frozen', value: { asset_id: id, who: account } });
          },
          typeNames: { ...lookupNames, who: 'AccountIdLookupOf<T>' },
          docs: [
            ' Disallow further unprivileged transfers of an asset `id` from an account `who`. `who`',
            ' must already exist as an entry in `Account`s of the asset.',
          ],
        },
      ),
      thaw: call(
        12,
        { id: idArg, who: AccountIdLookupOf },
        {
          weight: AssetsWeights.thaw,
          dispatch(origin, { id, who }) {
            const signer = ensureSigned(origin);
            const d = details(id);
            if (d.status !== 'Live' && d.status !== 'Frozen') throw Error.fail('IncorrectStatus');
            if (!sameBytes(signer, d.admin)) throw Error.fail('NoPermission');
            const account = lookup(who);
            const a = Account.get(id, account);
            if (!a) throw Error.fail('NoAccount');
            Account.set(id, account, { ...a, status: 'Liquid' });
            Event.deposit({ type: 'Thawed', value: { asset_id: id, who: account } });
          },
          typeNames: { ...lookupNames, who: 'AccountIdLookupOf<T>' },
          docs: [' Allow unprivileged transfers to and from an account again.'],
        },
      ),
      set_metadata: call(
        17,
        { id: idArg, name: bytes, symbol: bytes, decimals: u8 },
        {
          weight: ({ name, symbol }) => AssetsWeights.setMetadata(name.length, symbol.length),
          dispatch(origin, { id, name, symbol, decimals }) {
            doSetMetadata(id, ensureSigned(origin), name, symbol, decimals);
          },
          typeNames: { ...lookupNames, name: 'Vec<u8>', symbol: 'Vec<u8>', decimals: 'u8' },
          docs: [
            ' Set the metadata for an asset.',
            '',
            ' Origin must be Signed and the sender should be the Owner of the asset `id`.',
            '',
            ' Funds of sender are reserved according to the formula:',
            ' `MetadataDepositBase + MetadataDepositPerByte * (name.len + symbol.len)` taking into',
            ' account any already reserved funds.',
          ],
        },
      ),
      clear_metadata: call(
        18,
        { id: idArg },
        {
          weight: AssetsWeights.clearMetadata,
          dispatch(origin, { id }) {
            const signer = ensureSigned(origin);
            const d = details(id);
            if (d.status !== 'Live') throw Error.fail('AssetNotLive');
            if (!sameBytes(signer, d.owner)) throw Error.fail('NoPermission');
            if (!Metadata.contains(id)) throw Error.fail('Unknown');
            const { deposit } = Metadata.take(id);
            config().currency.unreserve(d.owner, deposit);
            Event.deposit({ type: 'MetadataCleared', value: { asset_id: id } });
          },
          typeNames: lookupNames,
          docs: [
            ' Clear the metadata for an asset.',
            '',
            ' Origin must be Signed and the sender should be the Owner of the asset `id`.',
            '',
            ' Any deposit is freed for the asset owner.',
          ],
        },
      ),
    },
    constants: {
      AssetDeposit: constant(u128, (c: AssetsConfig) => c.assetDeposit, [
        ' The basic amount of funds that must be reserved for an asset.',
      ]),
      AssetAccountDeposit: constant(u128, (c: AssetsConfig) => c.assetAccountDeposit, [
        ' The amount of funds that must be reserved for a non-provider asset account to be',
        ' maintained.',
      ]),
      MetadataDepositBase: constant(u128, (c: AssetsConfig) => c.metadataDepositBase, [
        ' The basic amount of funds that must be reserved when adding metadata to your asset.',
      ]),
      MetadataDepositPerByte: constant(u128, (c: AssetsConfig) => c.metadataDepositPerByte, [
        ' The additional funds that must be reserved for the number of bytes you store in your',
        ' metadata.',
      ]),
      ApprovalDeposit: constant(u128, (c: AssetsConfig) => c.approvalDeposit, [
        ' The amount of funds that must be reserved when creating a new approval.',
      ]),
      StringLimit: constant(u32, (c: AssetsConfig) => c.stringLimit, [
        ' The maximum length of a name or symbol stored on-chain.',
      ]),
      RemoveItemsLimit: constant(u32, (c: AssetsConfig) => c.removeItemsLimit ?? 1000, [
        ' Max number of items to destroy per `destroy_accounts` and `destroy_approvals` call.',
        '',
        ' Must be configured to result in a weight that makes each call fit in a block.',
      ]),
    },
    genesis: {
      default: (): AssetsGenesis<Id> => ({ assets: [], metadata: [], accounts: [] }),
      build(g: AssetsGenesis<Id>) {
        for (const [id, owner, isSufficient, minBalance] of g.assets) {
          if (Asset.contains(id)) throw new AssetsGenesisError('Asset id already in use');
          if (minBalance === 0n) throw new AssetsGenesisError('Min balance should not be zero');
          doForceCreate(id, owner, isSufficient, minBalance);
        }
        for (const [id, name, symbol, decimals] of g.metadata) {
          if (!Asset.contains(id)) throw new AssetsGenesisError('Asset does not exist');
          Metadata.set(id, { deposit: 0n, name, symbol, decimals, is_frozen: false });
        }
        for (const [id, who, amount] of g.accounts) {
          doMint(id, who, amount);
        }
        if (g.nextAssetId !== undefined) NextAssetId.set(g.nextAssetId);
      },
    },
  });

  /** fungibles-style access for XCM asset transactors and fee payment in other assets. */
  const fungibles: Fungibles<Id> = {
    minimumBalance: (id) => Asset.get(id)?.min_balance ?? 0n,
    totalIssuance: (id) => Asset.get(id)?.supply ?? 0n,
    balance: (id, who) => Account.get(id, who)?.balance ?? 0n,
    assetExists: (id) => Asset.contains(id),
    reducibleBalance: (id, who, keepAlive) => {
      try {
        return reducibleBalance(id, who, keepAlive);
      } catch (err) {
        if (err instanceof DispatchFailure) return 0n;
        throw err;
      }
    },
    canDeposit: (id, who, amount, provenance = 'Minted') =>
      canIncrease(id, who, amount, provenance === 'Minted'),
    canWithdraw: (id, who, amount) => canDecrease(id, who, amount, false),
    mintInto: (id, who, amount) => {
      doMint(id, who, amount);
      return amount;
    },
    burnFrom: (id, who, amount) =>
      doBurn(id, who, amount, undefined, { keepAlive: false, bestEffort: false }),
    transfer: (id, from, to, amount, keepAlive) => doTransfer(id, from, to, amount, undefined, keepAlive),
    create: (id, admin, isSufficient, minBalance) =>
      state().transactional(() => doForceCreate(id, admin, isSufficient, minBalance)),
    shouldTouch(id, who) {
      const d = Asset.get(id);
      if (!d) return true;
      if (d.is_sufficient || canAccrueConsumers(who, 2)) return false;
      return !Account.contains(id, who);
    },
    touch: doTouch,
    withdraw: (id, who, amount, keepAlive) =>
      state().transactional(() => {
        const actual = decreaseBalance(id, who, amount, { keepAlive, bestEffort: false }, () => {});
        Event.deposit({ type: 'Withdrawn', value: { asset_id: id, who, amount: actual } });
        return actual;
      }),
    deposit: (id, who, amount) =>
      state().transactional(() => {
        increaseBalance(id, who, amount, () => {});
        Event.deposit({ type: 'Deposited', value: { asset_id: id, who, amount } });
        return amount;
      }),
    dropCredit(id, amount) {
      const d = Asset.get(id);
      if (d) Asset.set(id, { ...d, supply: satSub(d.supply, amount) });
    },
  };

  return {
    pallet: pallet_,
    storage: { Asset, Account, Approvals, Metadata, NextAssetId },
    Event,
    Error,
    fungibles,
  };
}

/** What XCM asset transactors use of an assets instance (`fungibles::{Inspect, Mutate}`). */
export interface Fungibles<Id> {
  minimumBalance(id: Id): bigint;
  totalIssuance(id: Id): bigint;
  balance(id: Id, who: Uint8Array): bigint;
  assetExists(id: Id): boolean;
  reducibleBalance(id: Id, who: Uint8Array, keepAlive: boolean): bigint;
  /** `can_deposit`; `Extant` (a transfer) skips the total-supply overflow check that `Minted` makes. */
  canDeposit(id: Id, who: Uint8Array, amount: bigint, provenance?: 'Minted' | 'Extant'): DepositConsequence;
  canWithdraw(id: Id, who: Uint8Array, amount: bigint): WithdrawConsequence;
  /** Mints (Issued); throws DispatchFailure (e.g. Token(BelowMinimum), Token(UnknownAsset)). */
  mintInto(id: Id, who: Uint8Array, amount: bigint): bigint;
  /** Burns exactly `amount` (Burned); throws Assets.BalanceLow if not possible. */
  burnFrom(id: Id, who: Uint8Array, amount: bigint): bigint;
  transfer(id: Id, from: Uint8Array, to: Uint8Array, amount: bigint, keepAlive: boolean): bigint;
  /** `fungibles::Create::create` (`do_force_create`: ForceCreated). */
  create(id: Id, admin: Uint8Array, isSufficient: boolean, minBalance: bigint): void;
  /** `AccountTouch::should_touch`: whether `who` needs an account (with a deposit) before it can hold `id`. */
  shouldTouch(id: Id, who: Uint8Array): boolean;
  /** `AccountTouch::touch` (`do_touch`): creates `who`'s empty account, `AssetAccountDeposit` reserved from `depositor`. */
  touch(id: Id, who: Uint8Array, depositor: Uint8Array): void;
  /** `Balanced::withdraw` (Exact, Polite): takes `amount` out of `who` leaving the supply (the credit is the caller's
   * to `deposit` elsewhere); `keepAlive` = Preserve. Withdrawn. */
  withdraw(id: Id, who: Uint8Array, amount: bigint, keepAlive: boolean): bigint;
  /** `Balanced::deposit` (Exact) of a credit taken by `withdraw`: the supply is unchanged. Deposited. */
  deposit(id: Id, who: Uint8Array, amount: bigint): bigint;
  /** A credit taken by `withdraw` and dropped: `DecreaseIssuance` (the supply goes down by it). */
  dropCredit(id: Id, amount: bigint): void;
}

export type { AssetAccount };
