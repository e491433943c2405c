/**
 * What a storage worker computes to build a valid `swork.report_works`, and the exact bytes its key signs — the same
 * layout crust-sworker's enclave signs (src/enclave/report/Report.cpp `gen_work_report`) and Crust's chain verifies
 * (cstrml/swork `work_report_sig_check`, utils.rs `encode_files`), with an sr25519 worker key instead of SGX's p256:
 *
 *   payload = curr_pk ‖ ab_upgrade_pk ‖ dec(slot) ‖ slot_hash ‖ dec(reported_srd_size) ‖ dec(reported_files_size)
 *             ‖ reported_srd_root ‖ reported_files_root ‖ json(added_files) ‖ json(deleted_files)
 *
 * where dec(n) is n's decimal ASCII digits, `ab_upgrade_pk` is empty unless the key takes over from a previous one,
 * and json(files) is `[{"cid":"<cid>","size":<n>,"c_block_num":<n>},…]` with no spaces (`[]` when empty).
 *
 *   reported_files_root = sha256(sha256(cid₁ ‖ dec(size₁)) ‖ … ‖ sha256(cidₙ ‖ dec(sizeₙ))) over every file the worker
 *                         holds after this report, in byte order of the CID strings; 32 zero bytes when none.
 *   reported_srd_root   = sha256(h₁ ‖ … ‖ hₙ) of the worker's free-space (SRD) hashes; 32 zero bytes when none.
 *
 * Pure and deterministic: the storage node (TypeScript) uses these; the chain uses `workReportPayload`.
 */
import { sha256 } from '../../crypto/hashing.ts';
import { compareBytes } from '../../scale/codec.ts';
import { FILES_COUNT_LIMIT } from './items.ts';

const te = new TextEncoder();

export class WorkReportBuildError extends Error {
  override name = 'WorkReportBuildError';
}

/** A file as a work report lists it: CID string, size in bytes, block the worker got it at (`c_block_num`). */
export interface ReportedFile {
  cid: string | Uint8Array;
  size: bigint | number;
  validAt: bigint | number;
}

const cidBytes = (cid: string | Uint8Array): Uint8Array => (typeof cid === 'string' ? te.encode(cid) : cid);

/** `encode_u64_to_string_to_bytes`: the decimal digits of `n`. */
export function decimalBytes(n: bigint | number): Uint8Array {
  const v = BigInt(n);
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new WorkReportBuildError(`${v} is not a u64`);
  return te.encode(v.toString());
}

/** `encode_files`: the JSON array of files exactly as sworker serializes it (CID bytes inserted verbatim). */
export function encodeFiles(
  files: ReadonlyArray<ReportedFile | readonly [Uint8Array, bigint, bigint]>,
): Uint8Array {
  const parts: Uint8Array[] = [te.encode('[')];
  files.forEach((f, i) => {
    const [cid, size, validAt] = Array.isArray(f)
      ? (f as readonly [Uint8Array, bigint, bigint])
      : [cidBytes((f as ReportedFile).cid), (f as ReportedFile).size, (f as ReportedFile).validAt];
    if (i > 0) parts.push(te.encode(','));
    parts.push(te.encode('{"cid":"'), cid, te.encode('","size":'), decimalBytes(size));
    parts.push(te.encode(',"c_block_num":'), decimalBytes(validAt), te.encode('}'));
  });
  parts.push(te.encode(']'));
  return concat(parts);
}

/** The fields of a work report the worker key signs. */
export interface WorkReportFields {
  currPk: Uint8Array;
  /** The previous key in an A/B upgrade; empty otherwise. */
  abUpgradePk: Uint8Array;
  slot: bigint | number;
  slotHash: Uint8Array;
  reportedSrdSize: bigint | number;
  reportedFilesSize: bigint | number;
  reportedSrdRoot: Uint8Array;
  reportedFilesRoot: Uint8Array;
  addedFiles: ReadonlyArray<ReportedFile | readonly [Uint8Array, bigint, bigint]>;
  deletedFiles: ReadonlyArray<ReportedFile | readonly [Uint8Array, bigint, bigint]>;
}

/** The bytes the worker key signs (see the header). */
export function workReportPayload(f: WorkReportFields): Uint8Array {
  return concat([
    f.currPk,
    f.abUpgradePk,
    decimalBytes(f.slot),
    f.slotHash,
    decimalBytes(f.reportedSrdSize),
    decimalBytes(f.reportedFilesSize),
    f.reportedSrdRoot,
    f.reportedFilesRoot,
    encodeFiles(f.addedFiles),
    encodeFiles(f.deletedFiles),
  ]);
}

export const EMPTY_ROOT = new Uint8Array(32);

/** `reported_files_root` of the files a worker holds (any order in; sorted by CID bytes as sworker keeps them). */
export function filesRoot(
  files: ReadonlyArray<{ cid: string | Uint8Array; size: bigint | number }>,
): Uint8Array {
  if (files.length === 0) return EMPTY_ROOT.slice();
  const sorted = files
    .map((f) => ({ cid: cidBytes(f.cid), size: f.size }))
    .sort((a, b) => compareBytes(a.cid, b.cid));
  return sha256(concat(sorted.map((f) => sha256(concat([f.cid, decimalBytes(f.size)])))));
}

/** `reported_srd_root` of the worker's SRD hashes. */
export function srdRoot(hashes: readonly Uint8Array[]): Uint8Array {
  return hashes.length === 0 ? EMPTY_ROOT.slice() : sha256(concat([...hashes]));
}

/** The arguments of `swork.report_works`, in call order. */
export interface ReportWorksArgs {
  curr_pk: Uint8Array;
  ab_upgrade_pk: Uint8Array;
  slot: bigint;
  slot_hash: Uint8Array;
  reported_srd_size: bigint;
  reported_files_size: bigint;
  added_files: Array<[Uint8Array, bigint, bigint]>;
  deleted_files: Array<[Uint8Array, bigint, bigint]>;
  reported_srd_root: Uint8Array;
  reported_files_root: Uint8Array;
  sig: Uint8Array;
}

export interface BuildWorkReportInput {
  /** The worker key's public key (sr25519, 32 bytes). */
  currPk: Uint8Array;
  /** The key this one takes over from in an A/B upgrade (then `added`/`deleted` must be empty). */
  abUpgradePk?: Uint8Array;
  /** The current report slot (a multiple of REPORT_SLOT) and that block's hash. */
  slot: bigint | number;
  slotHash: Uint8Array;
  /** Every file the worker holds and reports after this report (the previous report's set + added − deleted). */
  files: ReadonlyArray<{ cid: string | Uint8Array; size: bigint | number }>;
  added?: readonly ReportedFile[];
  deleted?: readonly ReportedFile[];
  /** Free space (SRD): its size and root, or its hashes (each 1 GiB, as sworker's). Default none. */
  srd?: { size: bigint | number; root: Uint8Array } | { hashes: readonly Uint8Array[] };
}

export interface BuiltWorkReport {
  /** The call's arguments; `sig` is empty until signed. */
  args: ReportWorksArgs;
  /** What the worker key must sign. */
  payload: Uint8Array;
}

const GIB = 1n << 30n;

/**
 * Builds a work report's arguments and its signing payload from what the worker holds. Refuses reports the chain
 * would refuse: more than 300 added or deleted files, added files missing from `files`, deleted files still in it.
 */
export function buildWorkReport(input: BuildWorkReportInput): BuiltWorkReport {
  const added = input.added ?? [];
  const deleted = input.deleted ?? [];
  if (added.length > FILES_COUNT_LIMIT || deleted.length > FILES_COUNT_LIMIT)
    throw new WorkReportBuildError(
      `at most ${FILES_COUNT_LIMIT} added and ${FILES_COUNT_LIMIT} deleted files per report`,
    );
  const held = new Set(input.files.map((f) => hexOf(cidBytes(f.cid))));
  for (const f of added)
    if (!held.has(hexOf(cidBytes(f.cid))))
      throw new WorkReportBuildError('an added file is not among the held files');
  for (const f of deleted)
    if (held.has(hexOf(cidBytes(f.cid))))
      throw new WorkReportBuildError('a deleted file is still among the held files');
  const abUpgradePk = input.abUpgradePk ?? new Uint8Array(0);
  if (abUpgradePk.length > 0 && (added.length > 0 || deleted.length > 0))
    throw new WorkReportBuildError('an A/B upgrade report cannot change files');
  const srd = input.srd ?? { size: 0n, root: EMPTY_ROOT };
  const [srdSize, srdRootBytes] =
    'hashes' in srd ? [BigInt(srd.hashes.length) * GIB, srdRoot(srd.hashes)] : [BigInt(srd.size), srd.root];
  const tuple = (f: ReportedFile): [Uint8Array, bigint, bigint] => [
    cidBytes(f.cid),
    BigInt(f.size),
    BigInt(f.validAt),
  ];
  const args: ReportWorksArgs = {
    curr_pk: input.currPk,
    ab_upgrade_pk: abUpgradePk,
    slot: BigInt(input.slot),
    slot_hash: input.slotHash,
    reported_srd_size: srdSize,
    reported_files_size: input.files.reduce((s, f) => s + BigInt(f.size), 0n),
    added_files: added.map(tuple),
    deleted_files: deleted.map(tuple),
    reported_srd_root: srdRootBytes,
    reported_files_root: filesRoot(input.files),
    sig: new Uint8Array(0),
  };
  return { args, payload: workReportPayloadOf(args) };
}

/** The signing payload of a `report_works` call's arguments. */
export function workReportPayloadOf(a: Omit<ReportWorksArgs, 'sig'>): Uint8Array {
  return workReportPayload({
    currPk: a.curr_pk,
    abUpgradePk: a.ab_upgrade_pk,
    slot: a.slot,
    slotHash: a.slot_hash,
    reportedSrdSize: a.reported_srd_size,
    reportedFilesSize: a.reported_files_size,
    reportedSrdRoot: a.reported_srd_root,
    reportedFilesRoot: a.reported_files_root,
    addedFiles: a.added_files,
    deletedFiles: a.deleted_files,
  });
}

/** Signs a built report with the worker key (e.g. `(m) => sr25519Sign(m, pair)` of @polkadot/util-crypto). */
export function signWorkReport(
  built: BuiltWorkReport,
  sign: (payload: Uint8Array) => Uint8Array,
): ReportWorksArgs {
  return { ...built.args, sig: sign(built.payload) };
}

/**
 * The bytes a worker key signs to bind itself to `applier` with code identity `code` (`swork.register`): as
 * Crust's `register_payload_sig_check` lays them out, without the TEE authority chain: code ‖ SCALE(applier) ‖ pubkey.
 */
export function registerPayload(
  code: Uint8Array,
  applierEncoded: Uint8Array,
  pubkey: Uint8Array,
): Uint8Array {
  return concat([code, applierEncoded, pubkey]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
