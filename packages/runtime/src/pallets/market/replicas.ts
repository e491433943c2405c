/**
 * Replicas, as work reports change them: Crust's `MarketInterface::{upsert_replica, delete_replica}` (the on-chain
 * path Crust used until 2024, before it moved replica updates to an off-chain service), with the first four
 * reporters' rewards and the `IllegalFileClosed` size check; and the read/remove access the storage challenge
 * pallet uses to find and drop a replica whose holder failed a challenge.
 */
import { MAX_REPLICAS } from './config.ts';
import { calculateRewardAmount, satSub } from './fees.ts';
import { config, FileKeysCount, FilesV2, MarketEvent, OrdersCount } from './items.ts';
import { countedSpower, currentBlock, hasEnoughCollateral, move } from './orders.ts';
import { reservedPot, stakingPot, storagePot } from './pots.ts';
import { equalBytes, type MarketInterface } from './primitives.ts';
import { type FileInfoV2, replicaOf } from './types.ts';

/**
 * `maybe_upsert_file_size`: the first reporter settles the size. A smaller size corrects the order; a larger one
 * means the order lied, so the file is closed (`IllegalFileClosed`) and its funds go to the reporter's group owner
 * as reward if its collateral covers them, else to the reserved pot.
 */
function maybeUpsertFileSize(who: Uint8Array, cid: Uint8Array, reportedFileSize: bigint): void {
  const file = FilesV2.get(cid);
  if (file === undefined || file.replicas.size !== 0 || file.file_size === reportedFileSize) return;
  if (file.file_size > reportedFileSize) {
    file.file_size = reportedFileSize;
    FilesV2.set(cid, file);
    return;
  }
  const total = file.amount + file.prepaid;
  if (!maybeRewardMerchant(who, total)) {
    try {
      move(storagePot(), reservedPot(), total, true);
    } catch {
      // Crust discards this result ("should not have error"); the file is closed either way.
    }
  }
  FilesV2.remove(cid);
  FileKeysCount.mutate((n) => Math.max(n - 1, 0));
  OrdersCount.mutate((n) => Math.max(n - 1, 0));
  MarketEvent.deposit({ type: 'IllegalFileClosed', value: cid });
}

/** `maybe_reward_merchant`: credits `amount` to the group owner of `who` if its collateral covers it. */
function maybeRewardMerchant(who: Uint8Array, amount: bigint): boolean {
  const { sworker, benefits } = config();
  const owner = sworker.getOwner(who);
  if (!owner) return false;
  const reward = hasEnoughCollateral(owner, amount);
  if (reward === undefined) return false;
  benefits.updateReward(owner, reward);
  return true;
}

export const marketInterface: MarketInterface = {
  upsertReplica(who, owner, cid, reportedFileSize, anchor, validAt) {
    maybeUpsertFileSize(who, cid, reportedFileSize);
    const file = FilesV2.get(cid);
    if (!file) return { spower: 0n, isValidCid: false };
    let spower = 0n;
    if (file.replicas.size < MAX_REPLICAS && !replicaOf(file, owner)) {
      file.replicas.set(owner, { who, valid_at: validAt, anchor, is_reported: true, created_at: validAt });
      file.reported_replica_count += 1;
      spower = file.file_size;
      if (file.remaining_paid_count > 0) {
        const reward = calculateRewardAmount(file.remaining_paid_count, file.amount);
        const next = hasEnoughCollateral(owner, reward);
        if (next !== undefined) {
          config().benefits.updateReward(owner, next);
          file.amount = satSub(file.amount, reward);
          file.remaining_paid_count -= 1;
        }
      }
      config().replicaObserver?.added(cid, owner);
    }
    // The first replica makes the file live: its lifetime starts now.
    if (file.expired_at === 0) {
      const now = currentBlock();
      file.calculated_at = now;
      file.expired_at = now + config().fileDuration;
    }
    FilesV2.set(cid, file);
    return { spower, isValidCid: true };
  },

  deleteReplica(who, owner, cid, anchor) {
    const file = FilesV2.get(cid);
    if (!file) return { spower: 0n, isValidCid: false };
    let spower = 0n;
    const found = replicaOf(file, owner);
    if (found && equalBytes(found[1].who, who)) {
      const [key, replica] = found;
      // A replica under another anchor (the worker re-registered) no longer counts in the current work report.
      if (equalBytes(replica.anchor, anchor)) spower = countedSpower(file, replica.created_at);
      if (replica.is_reported) file.reported_replica_count = Math.max(file.reported_replica_count - 1, 0);
      file.replicas.delete(key);
      config().replicaObserver?.removed(cid, owner);
    }
    FilesV2.set(cid, file);
    return { spower, isValidCid: true };
  },

  withdrawStakingPot() {
    const { currency } = config();
    const pot = stakingPot();
    const ed = currency.existentialDeposit();
    const free = currency.free(pot);
    if (free < ed) return 0n;
    const amount = free - ed;
    if (amount === 0n) return 0n;
    try {
      return currency.burn(pot, amount, 'Preserve');
    } catch {
      return 0n;
    }
  },
};

/** A replica as the storage challenge pallet sees it. */
export interface ReplicaView {
  /** The worker's account (the one that reported it). */
  who: Uint8Array;
  anchor: Uint8Array;
  fileSize: bigint;
}

/** Read and remove replicas for the storage challenge pallet (reached through its Config). */
export interface MarketReplicaAccess {
  replica(cid: Uint8Array, owner: Uint8Array): ReplicaView | undefined;
  /**
   * Drops `owner`'s replica of `cid` (its holder failed a storage challenge): the replica stops counting, and the
   * storage power it added leaves the worker's work report. Returns whether there was such a replica.
   */
  removeReplica(cid: Uint8Array, owner: Uint8Array): boolean;
}

export const marketReplicaAccess: MarketReplicaAccess = {
  replica(cid, owner) {
    const file = FilesV2.get(cid);
    const found = file && replicaOf(file, owner);
    if (!file || !found) return undefined;
    return { who: found[1].who, anchor: found[1].anchor, fileSize: file.file_size };
  },
  removeReplica(cid, owner) {
    const file = FilesV2.get(cid);
    const found = file && replicaOf(file, owner);
    if (!file || !found) return false;
    const [key, replica] = found;
    config().sworker.updateSpower(replica.anchor, countedSpower(file, replica.created_at), 0n);
    if (replica.is_reported) file.reported_replica_count = Math.max(file.reported_replica_count - 1, 0);
    file.replicas.delete(key);
    FilesV2.set(cid, file);
    config().replicaObserver?.removed(cid, owner);
    return true;
  },
};

export type { FileInfoV2 };
