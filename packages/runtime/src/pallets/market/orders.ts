/**
 * Placing and settling orders, as Crust's market does it (cstrml/market/src/lib.rs): `place_storage_order` (also the
 * typed entry point the `xstorage` pallet calls for a cross-chain order), `add_prepaid`, `calculate_reward` (reward
 * the liquidator, refresh the replicas, renew from prepaid or close) and `reward_merchant`.
 */
import { state } from '../../frame/env.ts';
import { Number as BlockNumber } from '../system/index.ts';
import { REWARD_PERSON } from './config.ts';
import { calculateSpower, getFileFee, satAdd, satSub, splitFee } from './fees.ts';
import {
  config,
  EnableMarket,
  FileKeysCount,
  FilesV2,
  HasNewOrder,
  MarketError,
  MarketEvent,
  OrdersCount,
  SpowerReadyPeriod,
} from './items.ts';
import { reservedPot, stakingPot, storagePot } from './pots.ts';
import { equalBytes } from './primitives.ts';
import type { FileInfoV2 } from './types.ts';

const U32_MAX = 0xffff_ffff;
const satAddU32 = (a: number, b: number) => Math.min(a + b, U32_MAX);

export const currentBlock = (): number => BlockNumber.get();

/** `Currency::transfer`: nothing to do for zero or to oneself; AllowDeath/KeepAlive as Expendable/Preserve. */
export function move(from: Uint8Array, to: Uint8Array, amount: bigint, keepAlive: boolean): void {
  if (amount === 0n || equalBytes(from, to)) return;
  config().currency.transfer(from, to, amount, keepAlive ? 'Preserve' : 'Expendable');
}

/** `usable_balance`: free balance not held back by locks or freezes. */
export function usableBalance(who: Uint8Array): bigint {
  return config().currency.reducible(who, 'Expendable', 'Polite');
}

/**
 * `split_into_reserved_and_storage_and_staking_pot`: moves the reserved, staking and storage shares of an order of
 * `value` (+ `baseFee` + `tips`) from `who`; returns what went to the storage pot (storage share + tips).
 */
function splitIntoPots(
  who: Uint8Array,
  value: bigint,
  baseFee: bigint,
  tips: bigint,
  keepAlive: boolean,
): bigint {
  const { staking, storage, reserved } = splitFee(value, baseFee);
  const storageAmount = storage + tips;
  move(who, reservedPot(), reserved, keepAlive);
  move(who, stakingPot(), staking, keepAlive);
  move(who, storagePot(), storageAmount, keepAlive);
  return storageAmount;
}

/**
 * Places an order for `cid` paid by `who`, exactly as `place_storage_order` does (the caller has checked `who`'s
 * origin): the size charged is the file's known size for a CID already ordered, the fee goes to the pots, the file is
 * created pending or extended, `FileSuccess` is deposited. Returns what `who` paid (base fee + v + tips). Fails with
 * a `DispatchFailure` (PlaceOrderNotAvailable, FileSizeNotCorrect, FileTooLarge, InsufficientCurrency) changing
 * nothing.
 */
export function placeStorageOrderFor(
  who: Uint8Array,
  cid: Uint8Array,
  reportedFileSize: bigint,
  tips: bigint,
  _memo: Uint8Array = new Uint8Array(0),
): bigint {
  return state().transactional(() => {
    if (!EnableMarket.get()) throw MarketError.fail('PlaceOrderNotAvailable');
    let chargedFileSize = reportedFileSize;
    const existing = FilesV2.get(cid);
    if (existing) {
      if (existing.file_size <= reportedFileSize) chargedFileSize = existing.file_size;
      else throw MarketError.fail('FileSizeNotCorrect');
    }
    if (chargedFileSize >= config().maximumFileSize) throw MarketError.fail('FileTooLarge');
    const [baseFee, value] = getFileFee(chargedFileSize);
    const charged = baseFee + value + tips;
    if (usableBalance(who) < charged) throw MarketError.fail('InsufficientCurrency');
    const amount = splitIntoPots(who, value, baseFee, tips, false);
    upsertNewFileInfo(cid, amount, currentBlock(), chargedFileSize, existing);
    HasNewOrder.set(true);
    OrdersCount.mutate((n) => satAddU32(n, 1));
    MarketEvent.deposit({ type: 'FileSuccess', value: [who, cid] });
    return charged;
  });
}

/** `upsert_new_file_info`: a new pending file, or more amount and a refreshed lifetime for a known one. */
function upsertNewFileInfo(
  cid: Uint8Array,
  amount: bigint,
  now: number,
  fileSize: bigint,
  existing: FileInfoV2 | undefined,
): void {
  if (existing) {
    // expired_at > calculated_at: ongoing; == : ready to be closed (refreshed now); < : pending.
    if (existing.expired_at === existing.calculated_at) existing.calculated_at = now;
    existing.expired_at = existing.replicas.size === 0 ? 0 : now + config().fileDuration;
    existing.amount = satAdd(existing.amount, amount);
    FilesV2.set(cid, existing);
    return;
  }
  FilesV2.set(cid, {
    file_size: fileSize,
    spower: 0n,
    expired_at: 0,
    calculated_at: now,
    amount,
    prepaid: 0n,
    reported_replica_count: 0,
    remaining_paid_count: REWARD_PERSON,
    replicas: new Map(),
  });
  FileKeysCount.mutate((n) => satAddU32(n, 1));
}

/** `add_prepaid`: funds the file's automatic renewal (kept in the storage pot). */
export function addPrepaid(who: Uint8Array, cid: Uint8Array, amount: bigint): void {
  if (usableBalance(who) < amount) throw MarketError.fail('InsufficientCurrency');
  const file = FilesV2.get(cid);
  if (!file) throw MarketError.fail('FileNotExist');
  move(who, storagePot(), amount, false);
  file.prepaid = satAdd(file.prepaid, amount);
  FilesV2.set(cid, file);
  MarketEvent.deposit({ type: 'AddPrepaidSuccess', value: [who, cid, amount] });
}

/** `calculate_reward`: settles `cid` for `liquidator` (a no-op success for an unknown CID). */
export function calculateReward(liquidator: Uint8Array, cid: Uint8Array): void {
  const file = FilesV2.get(cid);
  if (!file) return;
  const now = currentBlock();
  if (file.expired_at === 0) throw MarketError.fail('NotInRewardPeriod');
  maybeRewardLiquidator(cid, now, liquidator);
  updateReplicas(cid, now);
  tryToRenewFile(cid, now, liquidator);
  tryToCloseFile(cid, now);
  MarketEvent.deposit({ type: 'CalculateSuccess', value: cid });
}

/** `maybe_reward_liquidator`: once the file has expired, whoever settles it gets what is left of its amount. */
function maybeRewardLiquidator(cid: Uint8Array, now: number, liquidator: Uint8Array): void {
  const file = FilesV2.get(cid);
  if (!file || now < file.expired_at) return;
  const reward = file.amount;
  file.amount = 0n;
  move(storagePot(), liquidator, reward, true);
  FilesV2.set(cid, file);
}

/**
 * `update_replicas`: a replica whose worker did not report in the last slot stops counting (`is_reported`), the
 * file's spower follows the counted replicas, and the file is settled up to now (or its expiry).
 */
export function updateReplicas(cid: Uint8Array, now: number): void {
  const file = FilesV2.get(cid);
  if (!file || file.expired_at <= file.calculated_at) return;
  const { sworker } = config();
  let reported = 0;
  for (const replica of file.replicas.values()) {
    if (sworker.isWrReported(replica.anchor, now)) {
      replica.is_reported = true;
      reported++;
    } else {
      replica.valid_at = now;
      replica.is_reported = false;
    }
  }
  file.reported_replica_count = reported;
  updateReplicasSpower(file, now);
  file.calculated_at = Math.min(now, file.expired_at);
  FilesV2.set(cid, file);
}

/**
 * `update_replicas_spower` while the file lives: replicas past `SpowerReadyPeriod` count the file's spower in their
 * work reports (moved from the file size they counted before), the others keep counting the size.
 */
function updateReplicasSpower(file: FileInfoV2, now: number): void {
  const { sworker } = config();
  const next = calculateSpower(file.file_size, file.reported_replica_count);
  const previous = file.spower;
  const ready = SpowerReadyPeriod.get();
  for (const replica of file.replicas.values()) {
    if (replica.created_at === undefined) sworker.updateSpower(replica.anchor, previous, next);
    else if (replica.created_at + ready <= now) {
      sworker.updateSpower(replica.anchor, file.file_size, next);
      replica.created_at = undefined;
    }
  }
  file.spower = next;
}

/** What a replica adds to its worker's work report: the file's spower once ready, its size before. */
export function countedSpower(file: FileInfoV2, createdAt: number | undefined): bigint {
  return createdAt === undefined ? file.spower : file.file_size;
}

/** `try_to_renew_file`: an expired, settled file whose prepaid covers a new order is renewed from it. */
function tryToRenewFile(cid: Uint8Array, now: number, liquidator: Uint8Array): void {
  const file = FilesV2.get(cid);
  if (!file || file.expired_at !== file.calculated_at) return;
  const [baseFee, value] = getFileFee(file.file_size);
  const total = baseFee + value;
  if (file.prepaid < total) return;
  file.prepaid = satSub(file.prepaid, total);
  file.amount = satAdd(file.amount, splitIntoPots(storagePot(), value, baseFee, 0n, true));
  if (file.replicas.size === 0) {
    file.expired_at = 0;
    file.calculated_at = now;
    file.remaining_paid_count = REWARD_PERSON;
  } else {
    file.expired_at = now + config().fileDuration;
    file.calculated_at = now;
  }
  FilesV2.set(cid, file);
  HasNewOrder.set(true);
  MarketEvent.deposit({ type: 'RenewFileSuccess', value: [liquidator, cid] });
}

/**
 * `try_to_close_file`: an expired, settled file (not renewed) is removed; what is left of its amount and prepaid goes
 * to the reserved pot, and every replica's storage power leaves its worker's work report. (Crust's code recomputes
 * the spower for zero replicas to take it off; with its current α table that is the file size, not zero, so the
 * counted value is taken off directly here, as its comment "remove all spower from wr" intends.)
 */
function tryToCloseFile(cid: Uint8Array, now: number): void {
  const file = FilesV2.get(cid);
  if (!file || !(file.expired_at <= now && file.expired_at === file.calculated_at)) return;
  move(storagePot(), reservedPot(), satAdd(file.amount, file.prepaid), true);
  const { sworker, replicaObserver } = config();
  for (const [owner, replica] of file.replicas) {
    sworker.updateSpower(replica.anchor, countedSpower(file, replica.created_at), 0n);
    replicaObserver?.removed(cid, owner);
  }
  FilesV2.remove(cid);
  FileKeysCount.mutate((n) => Math.max(n - 1, 0));
  MarketEvent.deposit({ type: 'FileClosed', value: cid });
}

/** `reward_merchant`: a group owner claims its unclaimed file rewards from the storage pot. */
export function rewardMerchant(merchant: Uint8Array): void {
  const { benefits } = config();
  const [, reward] = benefits.collateralAndReward(merchant);
  if (reward <= 0n) throw MarketError.fail('NotEnoughReward');
  move(storagePot(), merchant, reward, true);
  benefits.updateReward(merchant, 0n);
  MarketEvent.deposit({ type: 'RewardMerchantSuccess', value: merchant });
}

/** `has_enough_collateral`: the owner's new unclaimed reward if its collateral covers it (× COLLATERAL_RATIO). */
export function hasEnoughCollateral(who: Uint8Array, value: bigint): bigint | undefined {
  const [collateral, reward] = config().benefits.collateralAndReward(who);
  const next = reward + value;
  return next * config().collateralRatio <= collateral ? next : undefined;
}
