/** swork's stored types, field for field as Crust's (cstrml/swork/src/lib.rs). */
import { AccountId } from '../../frame/account.ts';
import type { Codec } from '../../scale/codec.ts';
import { btreeMap, btreeSet, option, struct, tuple } from '../../scale/composite.ts';
import { u64, u128 } from '../../scale/primitives.ts';
import { MerkleRoot, SworkerAnchor, SworkerCode } from '../market/primitives.ts';

export interface WorkReport {
  /** The slot of the last accepted report. */
  report_slot: bigint;
  /** Storage power of the replicas counted for this worker (file sizes, then spower once ready). */
  spower: bigint;
  /** Reported free (SRD) space. */
  free: bigint;
  /** Reported size of all files the worker holds. */
  reported_files_size: bigint;
  reported_srd_root: Uint8Array;
  reported_files_root: Uint8Array;
}

export const WorkReportCodec: Codec<WorkReport> = struct(
  {
    report_slot: u64,
    spower: u64,
    free: u64,
    reported_files_size: u64,
    reported_srd_root: MerkleRoot,
    reported_files_root: MerkleRoot,
  },
  { reported_srd_root: 'MerkleRoot', reported_files_root: 'MerkleRoot' },
).named(['cstrml_swork', 'WorkReport']);

export interface PKInfo {
  code: Uint8Array;
  /** Set by the key's first report (or taken over in an A/B upgrade). */
  anchor: Uint8Array | undefined;
}

export const PKInfoCodec: Codec<PKInfo> = struct(
  { code: SworkerCode, anchor: option(SworkerAnchor) },
  { code: 'SworkerCode', anchor: 'Option<SworkerAnchor>' },
).named(['cstrml_swork', 'PKInfo']);

export interface Identity {
  /** The identity's anchor: the key it first reported with; unchanged by A/B upgrades. */
  anchor: Uint8Array;
  /** The slot before which the identity's workload counts zero (1: new, not checked yet; 0: none). */
  punishment_deadline: bigint;
  /** The group owner, if the worker joined a group. */
  group: Uint8Array | undefined;
}

export const IdentityCodec: Codec<Identity> = struct(
  { anchor: SworkerAnchor, punishment_deadline: u64, group: option(AccountId) },
  { anchor: 'SworkerAnchor', punishment_deadline: 'ReportSlot', group: 'Option<AccountId>' },
).named(['cstrml_swork', 'Identity']);

export interface Group {
  members: Set<Uint8Array>;
  allowlist: Set<Uint8Array>;
}

export const GroupCodec: Codec<Group> = struct(
  { members: btreeSet(AccountId), allowlist: btreeSet(AccountId) },
  { members: 'BTreeSet<AccountId>', allowlist: 'BTreeSet<AccountId>' },
).named(['cstrml_swork', 'Group']);

/** `Workload`: (workload per owner, total free, total spower, total reported files size) being summed up. */
export const WorkloadCodec = tuple(btreeMap(AccountId, u128), u128, u128, u128);
export type WorkloadValue = [Map<Uint8Array, bigint>, bigint, bigint, bigint];

/** `(cid, size, valid_at)` as work reports list added and deleted files. */
export const ReportedFileCodec = tuple(MerkleRoot, u64, u64);
export type ReportedFileTuple = [cid: Uint8Array, size: bigint, validAt: bigint];
