/**
 * The end-of-slot workload sum (Crust's swork `on_initialize` → `patial_update_identities`, `get_workload`,
 * `is_fully_reported`): from UPDATE_OFFSET blocks before a slot ends, identities are walked in batches through a
 * saved storage cursor; one that did not report in the last slot is punished (its workload counts zero for
 * PunishmentSlots slots); the totals become `Free`/`Spower`/`ReportedFilesSize` and go to `T::Works` at the end.
 */
import { state } from '../../frame/env.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, weight } from '../../frame/weights.ts';
import { keyFromString, keyToString } from '../../state/keys.ts';
import {
  config,
  CurrentReportSlot,
  EnablePunishment,
  Free,
  HistorySlotDepth,
  Identities,
  IdentityPreviousKey,
  NEW_IDENTITY,
  NO_PUNISHMENT,
  ReportedFilesSize,
  ReportedInSlot,
  Spower,
  Workload,
  WorkReports,
} from './items.ts';
import type { Identity } from './types.ts';
import { slotOf } from './works.ts';

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
const rw = (reads: number, writes: number): Weight => weight(reads * READ + writes * WRITE, 0);

/** The hook: start, continue or finish the workload sum of the slot ending at block `now`. */
export function workloadOnInitialize(now: number): Weight {
  const c = config();
  let used = rw(2, 0);
  if ((now + c.updateOffset) % c.reportSlot === 0 && !Workload.exists() && !IdentityPreviousKey.exists()) {
    IdentityPreviousKey.set(Identities.prefix);
    Workload.set([new Map(), 0n, 0n, 0n]);
    used = addWeight(used, rw(0, 2));
  }
  const previousKey = IdentityPreviousKey.get();
  if ((now + c.endOffset) % c.reportSlot !== 0 && previousKey !== undefined) {
    return addWeight(used, partialUpdateIdentities(previousKey));
  }
  const workload = Workload.get();
  if (workload) {
    const [map, totalFree, totalSpower, totalFilesSize] = workload;
    Free.set(totalFree);
    Spower.set(totalSpower);
    ReportedFilesSize.set(totalFilesSize);
    CurrentReportSlot.set(slotOf(now));
    const reported = c.works?.reportWorks(map, totalSpower + totalFree);
    IdentityPreviousKey.kill();
    Workload.kill();
    used = addWeight(addWeight(used, rw(0, 6)), reported ?? weight(0));
  }
  return used;
}

/** Sums up to IDENTITY_UPDATE_LENGTH identities after the cursor; kills the cursor when all are done. */
function partialUpdateIdentities(previousKey: Uint8Array): Weight {
  const workload = Workload.get();
  if (!workload) return rw(1, 0);
  let [map, totalFree, totalSpower, totalFilesSize] = workload;
  const prefix = keyToString(Identities.prefix);
  const currentRs = CurrentReportSlot.get();
  const depth = HistorySlotDepth.get();
  const toRemoveSlot = currentRs >= depth ? currentRs - depth : undefined;
  const enablePunishment = EnablePunishment.get();
  let cursor = keyToString(previousKey);
  // Map keys are byte arrays: find an owner's entry by content.
  const keyOf = new Map<string, Uint8Array>();
  for (const k of map.keys()) keyOf.set(Buffer.from(k).toString('hex'), k);
  let used = rw(1, 0);
  for (let i = 0; i < config().identityUpdateLength; i++) {
    const next = state().nextKeyK(cursor);
    if (next === undefined || !next.startsWith(prefix)) {
      IdentityPreviousKey.kill();
      Workload.set([map, totalFree, totalSpower, totalFilesSize]);
      return addWeight(used, rw(0, 1));
    }
    cursor = next;
    const [reporter] = Identities.decodeKey(next);
    const identity = Identities.get(reporter);
    if (!identity) continue;
    const [free, spower, filesSize] = getWorkload(reporter, identity, currentRs, enablePunishment);
    used = addWeight(used, rw(3, 1));
    totalSpower += spower;
    totalFree += free;
    totalFilesSize += filesSize;
    const owner = identity.group ?? reporter;
    const hex = Buffer.from(owner).toString('hex');
    let key = keyOf.get(hex);
    if (!key) {
      key = owner;
      keyOf.set(hex, key);
    }
    map.set(key, (map.get(key) ?? 0n) + spower + free);
    if (toRemoveSlot !== undefined) {
      ReportedInSlot.remove(identity.anchor, toRemoveSlot);
      used = addWeight(used, rw(0, 1));
    }
  }
  IdentityPreviousKey.set(keyFromString(cursor));
  Workload.set([map, totalFree, totalSpower, totalFilesSize]);
  return addWeight(used, rw(0, 2));
}

/** `get_workload`: (free, spower, files size) of a fully reporting identity, zeros otherwise. */
function getWorkload(
  reporter: Uint8Array,
  identity: Identity,
  currentRs: bigint,
  enablePunishment: boolean,
): [bigint, bigint, bigint] {
  const wr = WorkReports.get(identity.anchor);
  if (wr && isFullyReported(reporter, identity, currentRs, enablePunishment))
    return [wr.free, wr.spower, wr.reported_files_size];
  return [0n, 0n, 0n];
}

/** `is_fully_reported`: reported in the slot, and not within a punishment (missing a slot starts one). */
export function isFullyReported(
  reporter: Uint8Array,
  identity: Identity,
  currentRs: bigint,
  enablePunishment: boolean,
): boolean {
  if (identity.punishment_deadline === NEW_IDENTITY) {
    identity.punishment_deadline = NO_PUNISHMENT;
    Identities.set(reporter, identity);
    return true;
  }
  if (!enablePunishment) return ReportedInSlot.get(identity.anchor, currentRs);
  if (!ReportedInSlot.get(identity.anchor, currentRs)) punish(reporter, identity, currentRs);
  return currentRs >= identity.punishment_deadline;
}

/** Starts (or restarts) `reporter`'s punishment: its workload counts zero for PunishmentSlots slots from `fromRs`. */
export function punish(
  reporter: Uint8Array,
  identity: Identity,
  fromRs: bigint = CurrentReportSlot.get(),
): void {
  identity.punishment_deadline = fromRs + BigInt(config().punishmentSlots) * BigInt(config().reportSlot);
  Identities.set(reporter, identity);
}
