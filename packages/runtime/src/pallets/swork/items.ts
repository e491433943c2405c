/**
 * swork's Config and declarations (cstrml/swork/src/lib.rs, mainnet): storage names, hashers, defaults and docs;
 * events and errors with Crust's indices. Without SGX there is no TEE key list (`AllowedTeePublicKeys`) and no
 * off-chain spower service (`SpowerSuperior`, `LastSpowerUpdateBlock`, `LastProcessedBlockWorkReports`): work reports
 * update market replicas directly. One error is ours: `AlreadyReported` (Crust silently accepts a second report of
 * the same key in a slot and changes nothing; here it is refused, so a replay is visible).
 */
import { AccountId } from '../../frame/account.ts';
import { pallet } from '../../frame/pallet.ts';
import type { Weight } from '../../frame/weights.ts';
import { tuple } from '../../scale/composite.ts';
import { bool, bytes, u32, u64, u128 } from '../../scale/primitives.ts';
import {
  type BenefitInterface,
  CRUST_REPORT_SLOT,
  type MarketInterface,
  SworkerAnchor,
  SworkerCode,
  SworkerPubKey,
} from '../market/primitives.ts';
import { GroupCodec, IdentityCodec, PKInfoCodec, WorkloadCodec, WorkReportCodec } from './types.ts';

export interface SworkConfig {
  /** `T::MarketInterface` (market's `marketInterface`): added and deleted files update replicas through it. */
  market: MarketInterface;
  /** `T::BenefitInterface`: only `maybeFreeCount` (a fee-free work report) is used; absent: reports pay. */
  benefits?: Pick<BenefitInterface, 'maybeFreeCount'>;
  /** `T::Works`: staking's stake limits from each owner's workload at the end of every slot; absent: nothing. */
  works?: { reportWorks(workloads: Map<Uint8Array, bigint>, totalWorkload: bigint): Weight | void };
  /** `PunishmentSlots`: slots a worker's workload counts zero after it missed one (or failed a challenge). */
  punishmentSlots: number;
  /** `MaxGroupSize`: members (and allowlist entries) of one group. */
  maxGroupSize: number;
  /** `REPORT_SLOT` in blocks. */
  reportSlot: number;
  /** `UPDATE_OFFSET`: the workload sum starts at blocks where (n + offset) % slot == 0. */
  updateOffset: number;
  /** `END_OFFSET`: and is handed over at (n + offset) % slot == 0. */
  endOffset: number;
  /** `IDENTITY_UPDATE_LENGTH`: identities summed per block. */
  identityUpdateLength: number;
}

/** Crust mainnet's values (runtime/src/lib.rs, primitives/src/constants.rs `swork`, cstrml/swork/src/lib.rs). */
export const CRUST_SWORK_DEFAULTS = {
  punishmentSlots: 8,
  maxGroupSize: 1000,
  reportSlot: CRUST_REPORT_SLOT,
  updateOffset: CRUST_REPORT_SLOT / 6,
  endOffset: 1,
  identityUpdateLength: 500,
} satisfies Omit<SworkConfig, 'market' | 'benefits' | 'works'>;

/** `SRD_LIMIT`: 2 PiB of reported free space. */
export const SRD_LIMIT = 2_251_799_813_685_248n;
/** `FILES_LIMIT`: 8 PiB of reported files. */
export const FILES_LIMIT = 9_007_199_254_740_992n;
/** `FILES_COUNT_LIMIT`: added (and deleted) files per work report. */
export const FILES_COUNT_LIMIT = 300;
/** `NEW_IDENTITY`: the punishment deadline of an identity not yet checked. */
export const NEW_IDENTITY = 1n;
export const NO_PUNISHMENT = 0n;

export const p = pallet<SworkConfig>('Swork', { module: 'cstrml_swork' });
export const config = (): SworkConfig => p.config();

const BlockNumber = u32;
const ReportSlot = u64;

export const HistorySlotDepth = p.value('HistorySlotDepth', ReportSlot, {
  default: BigInt(6 * CRUST_REPORT_SLOT),
  docs: [' The depth of the history of the ReportedInSlot'],
});
export const Codes = p.map('Codes', ['Twox64Concat', SworkerCode], BlockNumber, {
  docs: [' The sWorker enclave codes, this should be managed by sudo/democracy'],
});
export const Identities = p.map('Identities', ['Blake2_128Concat', AccountId], IdentityCodec, {
  docs: [
    ' The identity information for each sworker member, which contains the anchor, punishment deadline and group information.',
  ],
});
export const IdentityPreviousKey = p.value('IdentityPreviousKey', bytes, {
  docs: [' The previous key spower to iterate identities'],
});
export const Workload = p.value('Workload', WorkloadCodec, { docs: [' The workload information'] });
export const PubKeys = p.map('PubKeys', ['Twox64Concat', SworkerPubKey], PKInfoCodec, {
  default: { code: new Uint8Array(0), anchor: undefined },
  docs: [
    ' The pub key information, mapping from sWorker public key to an pubkey information, including the sworker enclave code and option anchor.',
  ],
});
export const Groups = p.map('Groups', ['Blake2_128Concat', AccountId], GroupCodec, {
  default: { members: new Set<Uint8Array>(), allowlist: new Set<Uint8Array>() },
  docs: [' The group information'],
});
export const WorkReports = p.map('WorkReports', ['Twox64Concat', SworkerAnchor], WorkReportCodec, {
  docs: [
    " Node's work report, mapping from sWorker anchor to an optional work report.",
    " WorkReport only been replaced, it won't get removed cause we need to check the",
    ' status transition from off-chain sWorker',
  ],
});
export const CurrentReportSlot = p.value('CurrentReportSlot', ReportSlot, {
  default: 0n,
  docs: [' The current report slot block number, this value should be a multiple of report slot block.'],
});
export const ReportedInSlot = p.doubleMap(
  'ReportedInSlot',
  ['Twox64Concat', SworkerAnchor],
  ['Twox64Concat', ReportSlot],
  bool,
  {
    default: false,
    docs: [
      ' Recording whether the validator reported works of each report slot.',
      ' We keep the last "HistorySlotDepth" length data',
      " cause B-tree won't build index on key2(ReportSlot).",
      ' The value represent if reported in this slot',
    ],
  },
);
export const Spower = p.value('Spower', u128, {
  default: 0n,
  docs: [
    ' The spower workload, used for calculating stake limit in the end of each report slot.',
    ' The default value is 0.',
  ],
});
export const ReportedFilesSize = p.value('ReportedFilesSize', u128, {
  default: 0n,
  docs: [
    ' The total reported files workload, used for calculating total_capacity for market module',
    ' The default value is 0.',
  ],
});
export const Free = p.value('Free', u128, {
  default: 0n,
  docs: [
    ' The free workload, used for calculating stake limit in the end of each report slot.',
    ' The default value is 0.',
  ],
});
export const EnablePunishment = p.value('EnablePunishment', bool, {
  default: true,
  docs: [' Enable punishment, the default behavior will have punishment.'],
});
export const AddedFilesCount = p.value('AddedFilesCount', u32, {
  default: 0,
  docs: [' Added files count in the past one period(one hour)'],
});

export const SworkEvent = p.events({
  RegisterSuccess: [
    0,
    tuple(AccountId, SworkerPubKey),
    [
      ' sWorker registration success.',
      ' The first item is the account who try to register.',
      ' The second item is the pub key of the sWorker.',
    ],
  ],
  WorksReportSuccess: [
    1,
    tuple(AccountId, SworkerPubKey),
    [
      ' Send the work report success.',
      ' The first item is the account who send the work report',
      ' The second item is the pub key of the sWorker.',
    ],
  ],
  ABUpgradeSuccess: [
    2,
    tuple(AccountId, SworkerPubKey, SworkerPubKey),
    [
      ' AB upgrade success.',
      " The first item is the account who're doing AB upgrade.",
      ' The second item is the pub key of the previous(A) sWorker.',
      ' The third item is the pub key of the latest(B) sWorker.',
    ],
  ],
  SetCodeSuccess: [
    3,
    tuple(SworkerCode, BlockNumber),
    [
      ' Set code success.',
      ' The first item is the enclave code.',
      ' The second item is the expired block number.',
    ],
  ],
  JoinGroupSuccess: [
    4,
    tuple(AccountId, AccountId),
    [
      ' Join the group success.',
      " The first item is the member's account.",
      " The second item is the group owner's account.",
    ],
  ],
  QuitGroupSuccess: [
    5,
    tuple(AccountId, AccountId),
    [
      ' Quit the group success.',
      " The first item is the member's account.",
      " The second item is the group owner's account.",
    ],
  ],
  CreateGroupSuccess: [
    6,
    AccountId,
    [' Create the group success.', " The first item is the group owner's account."],
  ],
  KickOutSuccess: [
    7,
    AccountId,
    [' Kick some one out of the group.', " The first item is the member's account."],
  ],
  AddIntoAllowlistSuccess: [9, tuple(AccountId, AccountId), [' Add who into allowlist success.']],
  RemoveFromAllowlistSuccess: [10, tuple(AccountId, AccountId), [' Remove who from allowlist success.']],
  SetPunishmentSuccess: [11, bool, [' Enable the punishment or disable it.']],
  RemoveCodeSuccess: [12, SworkerCode, [' Remove the expired code success']],
});

export const SworkError = p.errors({
  IllegalApplier: [0, [' Illegal applier']],
  IllegalIdentity: [1, [' Identity check failed']],
  IllegalReporter: [2, [' Illegal reporter']],
  OutdatedReporter: [3, [' Outdated reporter']],
  InvalidReportTime: [4, [' Invalid timing']],
  IllegalWorkReportSig: [5, [' Illegal work report signature']],
  ABUpgradeFailed: [6, [' A/B Upgrade failed']],
  IllegalFilesTransition: [7, [' Files change not legal']],
  IdentityNotExist: [8, [" Identity doesn't exist"]],
  AlreadyJoint: [9, [' Already joint one group']],
  NotOwner: [10, [' The target is not a group owner. Please make sure that the target is a group owner.']],
  IllegalSpower: [11, [' The spower value is not zero and cannot join a group.']],
  GroupAlreadyExist: [12, [' The group already exist.']],
  GroupOwnerForbidden: [13, [' The group owner cannot be a sWorker member.']],
  NotJoint: [14, [' The member is not in this group and cannot quit.']],
  ExceedGroupLimit: [15, [' Exceed the limit of members number in one group.']],
  InvalidExpiredBlock: [16, [' Cannot extend the valid duration for an existed enclave code.']],
  NotInAllowlist: [
    17,
    [
      ' Who is not in the allowlist. Please ask owner to add you into the allowlist before you join the group.',
    ],
  ],
  ExceedAllowlistLimit: [18, [' Exceed the limit of allowlist number in one group.']],
  IllegalWorkReport: [19, [' Illegal work report. This should never happen.']],
  CodeNotExpired: [20, [' Code has not been expired']],
  AlreadyReported: [24, [' This sWorker key already reported works in this slot (a replayed report).']],
});
