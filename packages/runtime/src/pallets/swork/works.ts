/**
 * Registration and work reports, as Crust's swork checks and applies them (cstrml/swork/src/lib.rs `register*`,
 * `report_works`, `maybe_upsert_work_report`, `update_files`, `files_transition_check`, `work_report_timing_check`),
 * with an sr25519 worker key instead of an SGX attestation: the key signs its binding to the account, the declared
 * code must be allowlisted (`Codes`, set by root) and not expired, and the key signs every report's exact bytes.
 */
import { sr25519Verify } from '../../crypto/signatures.ts';
import { AccountId } from '../../frame/account.ts';
import { BlockHash, Number as BlockNumber } from '../system/index.ts';
import { equalBytes } from '../market/primitives.ts';
import {
  AddedFilesCount,
  Codes,
  config,
  FILES_COUNT_LIMIT,
  FILES_LIMIT,
  Free,
  Groups,
  Identities,
  NEW_IDENTITY,
  PubKeys,
  ReportedFilesSize,
  ReportedInSlot,
  SRD_LIMIT,
  SworkError,
  SworkEvent,
  WorkReports,
} from './items.ts';
import { type ReportWorksArgs, registerPayload, workReportPayloadOf } from './report.ts';
import type { ReportedFileTuple } from './types.ts';

const U32_MAX = 0xffff_ffffn;
const satSubBig = (a: bigint, b: bigint) => (a > b ? a - b : 0n);
const U64_MAX = 0xffff_ffff_ffff_ffffn;
const satAddU64 = (a: bigint, b: bigint) => (a + b > U64_MAX ? U64_MAX : a + b);

export const currentBlock = (): number => BlockNumber.get();

/** The slot `bn` falls in: bn rounded down to a multiple of REPORT_SLOT. */
export function slotOf(bn: number): bigint {
  const slot = BigInt(config().reportSlot);
  return (BigInt(bn) / slot) * slot;
}

/** `get_legal_codes` member test: `code` is allowlisted and has not expired. */
function isLegalCode(code: Uint8Array): boolean {
  const expiry = Codes.get(code);
  return expiry !== undefined && expiry > currentBlock();
}

/** `register`: binds worker key `pubkey` (code identity `code`) to `who`; `sig` is the key's signature of that. */
export function register(
  who: Uint8Array,
  applier: Uint8Array,
  code: Uint8Array,
  pubkey: Uint8Array,
  sig: Uint8Array,
): void {
  if (!equalBytes(who, applier)) throw SworkError.fail('IllegalApplier');
  if (Groups.contains(who)) throw SworkError.fail('GroupOwnerForbidden');
  if (!isLegalCode(code)) throw SworkError.fail('IllegalIdentity');
  const payload = registerPayload(code, AccountId.encode(applier), pubkey);
  if (pubkey.length !== 32 || !sr25519Verify(sig, payload, pubkey)) throw SworkError.fail('IllegalIdentity');
  PubKeys.set(pubkey, { code, anchor: undefined });
  SworkEvent.deposit({ type: 'RegisterSuccess', value: [who, pubkey] });
}

/** `reporter_code_check`: the key's code is allowlisted and expires after the reported slot. */
function reporterCodeCheck(pk: Uint8Array, slot: bigint): boolean {
  const expiry = Codes.get(PubKeys.get(pk).code);
  return expiry !== undefined && slot < BigInt(expiry);
}

/**
 * `work_report_timing_check`: the report is for the current slot (or block 1, as Crust allows) and carries that
 * block's hash. Stricter than Crust in one way: the slot block's hash must be known (Crust compares with the default
 * zero hash when it is not, e.g. in the slot block itself).
 */
function timingCheck(slot: bigint, slotHash: Uint8Array): boolean {
  if (slot > U32_MAX) return false;
  const hash = BlockHash.get(Number(slot));
  if (!hash || !equalBytes(hash, slotHash)) return false;
  return slot === 1n || slot === slotOf(currentBlock());
}

const sumSizes = (files: readonly ReportedFileTuple[]) => files.reduce((s, [, size]) => s + size, 0n);

/** `files_transition_check`: files size moves by exactly what was added and deleted; no change keeps the root. */
function filesTransitionCheck(
  prevPk: Uint8Array,
  newFilesSize: bigint,
  added: readonly ReportedFileTuple[],
  deleted: readonly ReportedFileTuple[],
  filesRoot: Uint8Array,
): boolean {
  const anchor = PubKeys.get(prevPk).anchor;
  const prev = anchor && WorkReports.get(anchor);
  if (!prev) return true;
  const addedSize = sumSizes(added);
  const deletedSize = sumSizes(deleted);
  if (addedSize === 0n && deletedSize === 0n) return equalBytes(filesRoot, prev.reported_files_root);
  return satSubBig(prev.reported_files_size + addedSize, deletedSize) === newFilesSize;
}

/** `report_works`, from its basic checks to the replicas it adds and deletes in the market. */
export function reportWorks(reporter: Uint8Array, a: ReportWorksArgs): { paysFee: boolean } {
  const now = currentBlock();
  // 1. Basic checks (and, without an enclave to vouch for it, no file claimed before it could have been fetched).
  if (
    a.reported_srd_size >= SRD_LIMIT ||
    a.reported_files_size >= FILES_LIMIT ||
    a.added_files.length > FILES_COUNT_LIMIT ||
    a.deleted_files.length > FILES_COUNT_LIMIT ||
    a.added_files.some(([, , validAt]) => validAt > BigInt(now))
  )
    throw SworkError.fail('IllegalWorkReport');
  // 2-4. A registered key, not a group owner, with a code still allowed.
  if (!PubKeys.contains(a.curr_pk)) throw SworkError.fail('IllegalReporter');
  if (Groups.contains(reporter)) throw SworkError.fail('GroupOwnerForbidden');
  if (!reporterCodeCheck(a.curr_pk, a.slot)) throw SworkError.fail('OutdatedReporter');
  // 5-6. Which case, and one report per key per slot.
  const pkAnchor = PubKeys.get(a.curr_pk).anchor;
  const isAbUpgrade = pkAnchor === undefined && a.ab_upgrade_pk.length > 0;
  const isFirstReport = pkAnchor === undefined && a.ab_upgrade_pk.length === 0;
  if (pkAnchor !== undefined) {
    const identity = Identities.get(reporter);
    if (!identity || !equalBytes(identity.anchor, pkAnchor)) throw SworkError.fail('IllegalReporter');
    if (ReportedInSlot.get(pkAnchor, a.slot)) throw SworkError.fail('AlreadyReported');
  }
  // 7-8. Timing and signature.
  if (!timingCheck(a.slot, a.slot_hash)) throw SworkError.fail('InvalidReportTime');
  if (!sr25519Verify(a.sig, workReportPayloadOf(a), a.curr_pk)) throw SworkError.fail('IllegalWorkReportSig');
  // 9. Files status transition.
  let prevPk = a.curr_pk;
  if (isAbUpgrade) {
    if (!PubKeys.contains(a.ab_upgrade_pk)) throw SworkError.fail('ABUpgradeFailed');
    const prevAnchor = PubKeys.get(a.ab_upgrade_pk).anchor;
    const prevWr = prevAnchor && WorkReports.get(prevAnchor);
    if (!prevWr) throw SworkError.fail('ABUpgradeFailed');
    if (
      a.added_files.length > 0 ||
      a.deleted_files.length > 0 ||
      !equalBytes(prevWr.reported_files_root, a.reported_files_root) ||
      !equalBytes(prevWr.reported_srd_root, a.reported_srd_root)
    )
      throw SworkError.fail('ABUpgradeFailed');
    prevPk = a.ab_upgrade_pk;
  } else if (
    !filesTransitionCheck(
      prevPk,
      a.reported_files_size,
      a.added_files,
      a.deleted_files,
      a.reported_files_root,
    )
  ) {
    throw SworkError.fail('IllegalFilesTransition');
  }
  // 10. Bind the key.
  if (isAbUpgrade) {
    const prevInfo = PubKeys.get(prevPk);
    PubKeys.mutate(a.curr_pk, (info) => {
      info.anchor = prevInfo.anchor;
    });
    PubKeys.remove(a.ab_upgrade_pk);
    SworkEvent.deposit({ type: 'ABUpgradeSuccess', value: [reporter, a.ab_upgrade_pk, a.curr_pk] });
  } else if (isFirstReport) {
    const identity = Identities.get(reporter);
    if (identity) {
      // Re-registration: the old anchor's work report and history go.
      chillAnchor(identity.anchor);
      Identities.set(reporter, { ...identity, anchor: a.curr_pk, punishment_deadline: NEW_IDENTITY });
    } else {
      Identities.set(reporter, { anchor: a.curr_pk, punishment_deadline: NEW_IDENTITY, group: undefined });
    }
    PubKeys.mutate(a.curr_pk, (info) => {
      info.anchor = a.curr_pk;
    });
  }
  // 11. Merge the report: replicas in the market, the work report, the totals.
  const anchor = PubKeys.get(a.curr_pk).anchor!;
  upsertWorkReport(reporter, anchor, a);
  SworkEvent.deposit({ type: 'WorksReportSuccess', value: [reporter, a.curr_pk] });
  // 13. A group with fee-free reports left does not pay.
  const owner = Identities.get(reporter)?.group ?? reporter;
  return { paysFee: !(config().benefits?.maybeFreeCount?.(owner) ?? false) };
}

/** `chill_anchor`: drops an anchor's work report and its reported-in-slot history. */
function chillAnchor(anchor: Uint8Array): void {
  WorkReports.remove(anchor);
  ReportedInSlot.clearPrefix(anchor);
}

/** `maybe_upsert_work_report` */
function upsertWorkReport(reporter: Uint8Array, anchor: Uint8Array, a: ReportWorksArgs): void {
  ReportedInSlot.set(anchor, a.slot, true);
  const [addedSpower, addedCount] = updateFiles(reporter, a.added_files, anchor, true);
  const [deletedSpower] = updateFiles(reporter, a.deleted_files, anchor, false);
  AddedFilesCount.mutate((n) => Math.min(n + addedCount, 0xffff_ffff));
  const old = WorkReports.get(anchor);
  const oldSpower = old?.spower ?? 0n;
  const oldFree = old?.free ?? 0n;
  const oldFilesSize = old?.reported_files_size ?? 0n;
  WorkReports.set(anchor, {
    report_slot: a.slot,
    spower: satSubBig(satAddU64(oldSpower, addedSpower), deletedSpower),
    free: a.reported_srd_size,
    reported_files_size: a.reported_files_size,
    reported_srd_root: a.reported_srd_root,
    reported_files_root: a.reported_files_root,
  });
  Free.set(satSubBig(Free.get(), oldFree) + a.reported_srd_size);
  ReportedFilesSize.set(satSubBig(ReportedFilesSize.get(), oldFilesSize) + a.reported_files_size);
}

/** `update_files`: each added/deleted file goes to the market as a replica of the reporter's group (or its own). */
function updateFiles(
  reporter: Uint8Array,
  files: readonly ReportedFileTuple[],
  anchor: Uint8Array,
  isAdded: boolean,
): [spower: bigint, validCount: number] {
  const { market } = config();
  const owner = Identities.get(reporter)?.group ?? reporter;
  let spower = 0n;
  let count = 0;
  for (const [cid, size, validAt] of files) {
    const r = isAdded
      ? market.upsertReplica(reporter, owner, cid, size, anchor, Number(validAt))
      : market.deleteReplica(reporter, owner, cid, anchor);
    spower = satAddU64(spower, r.spower);
    if (r.isValidCid) count++;
  }
  return [spower, count];
}
