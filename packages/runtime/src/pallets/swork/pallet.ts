/**
 * Crust's storage workers as a pallet named `Swork` (cstrml/swork/src/lib.rs, mainnet), without SGX: calls at
 * Crust's indices (`register` keeps its index with sr25519 arguments; the TEE-key calls 3–4 and the off-chain spower
 * service's 6–7 are left out), groups and their allowlists, the end-of-slot workload sum with punishment, and the
 * genesis list of allowed codes.
 */
import { AccountId, AccountIdLookupOf, lookup } from '../../frame/account.ts';
import { ensureRoot, ensureSigned } from '../../frame/origin.ts';
import { call, constant } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, weight } from '../../frame/weights.ts';
import { vec } from '../../scale/composite.ts';
import { bool, u32, u64 } from '../../scale/primitives.ts';
import {
  equalBytes,
  MerkleRoot,
  SworkerCode,
  SworkerPubKey,
  SworkerSignature,
} from '../market/primitives.ts';
import {
  Codes,
  config,
  EnablePunishment,
  Groups,
  Identities,
  p,
  type SworkConfig,
  SworkError,
  SworkEvent,
  WorkReports,
} from './items.ts';
import { ReportedFileCodec } from './types.ts';
import { workloadOnInitialize } from './workload.ts';
import { currentBlock, register, reportWorks } from './works.ts';

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
const w = (refTime: number, reads = 0, writes = 0, proof = 0): Weight =>
  addWeight(weight(refTime, proof), weight(reads * READ + writes * WRITE, 0));

/** Crust's benchmarked weights (cstrml/swork/src/weight.rs) plus RocksDb reads and writes. */
export const SworkWeights = {
  setCode: () => w(43_000_000, 4, 4),
  register: () => w(4_801_000_000, 6, 3, 4_000),
  reportWorks: (added: number, deleted: number) =>
    w(
      3_505_000_000 + 700_000_000 * added + 350_000_000 * deleted,
      2 * (added + deleted) + 8,
      2 * (added + deleted) + 6,
      8_000 + 1_000 * (added + deleted),
    ),
  createGroup: () => w(58_000_000, 6, 3),
  joinGroup: () => w(123_000_000, 7, 4),
  quitGroup: () => w(123_000_000, 7, 4),
  kickOut: () => w(123_000_000, 7, 4),
  root: () => weight(1_000, 0),
};

const ZERO_ROOT = new Uint8Array(32);

// Sets hold byte arrays: membership is by content.
const hasMember = (set: Set<Uint8Array>, who: Uint8Array) => [...set].some((m) => equalBytes(m, who));
const removeMember = (set: Set<Uint8Array>, who: Uint8Array) => {
  for (const m of set) if (equalBytes(m, who)) set.delete(m);
};

export interface SworkGenesis {
  /** `init_codes`: allowed code identities and the block each expires at. */
  init_codes: Array<[Uint8Array, number]>;
}

const BlockNumber = u32;

export const Swork = p.build({
  docs: [" Crust's storage workers: registration, work reports, groups."],
  calls: {
    set_code: call(
      0,
      { new_code: SworkerCode, expire_block: BlockNumber },
      {
        weight: SworkWeights.setCode,
        class: 'Operational',
        dispatch(origin, { new_code, expire_block }) {
          ensureRoot(origin);
          Codes.set(new_code, expire_block);
          SworkEvent.deposit({ type: 'SetCodeSuccess', value: [new_code, expire_block] });
        },
        typeNames: { new_code: 'SworkerCode', expire_block: 'T::BlockNumber' },
        docs: [
          ' Set code for AB Upgrade, this should only be called by `root` origin',
          ' Ruled by `sudo/democracy`',
        ],
      },
    ),
    clear_expired_code: call(
      1,
      { expired_code: SworkerCode },
      {
        weight: SworkWeights.setCode,
        dispatch(origin, { expired_code }) {
          ensureSigned(origin);
          const expiry = Codes.get(expired_code);
          if (expiry === undefined) return;
          if (!(expiry < currentBlock())) throw SworkError.fail('CodeNotExpired');
          Codes.remove(expired_code);
          SworkEvent.deposit({ type: 'RemoveCodeSuccess', value: expired_code });
        },
        typeNames: { expired_code: 'SworkerCode' },
        docs: [' clear the expired code'],
      },
    ),
    register: call(
      2,
      { applier: AccountId, code: SworkerCode, pubkey: SworkerPubKey, sig: SworkerSignature },
      {
        weight: SworkWeights.register,
        dispatch(origin, { applier, code, pubkey, sig }) {
          register(ensureSigned(origin), applier, code, pubkey, sig);
        },
        typeNames: {
          applier: 'T::AccountId',
          code: 'SworkerCode',
          pubkey: 'SworkerPubKey',
          sig: 'SworkerSignature',
        },
        docs: [
          ' Register a worker key for the signing account. `sig` is the worker key (sr25519) signing',
          ' `code ++ SCALE(applier) ++ pubkey`; `code` must be an allowed, unexpired code identity.',
          '',
          ' The dispatch origin for this call must be _Signed_ by the applier.',
          '',
          ' Emits `RegisterSuccess` if new id has been registered.',
        ],
      },
    ),
    report_works: call(
      5,
      {
        curr_pk: SworkerPubKey,
        ab_upgrade_pk: SworkerPubKey,
        slot: u64,
        slot_hash: MerkleRoot,
        reported_srd_size: u64,
        reported_files_size: u64,
        added_files: vec(ReportedFileCodec),
        deleted_files: vec(ReportedFileCodec),
        reported_srd_root: MerkleRoot,
        reported_files_root: MerkleRoot,
        sig: SworkerSignature,
      },
      {
        weight: (a) => SworkWeights.reportWorks(a.added_files.length, a.deleted_files.length),
        dispatch(origin, args) {
          const { paysFee } = reportWorks(ensureSigned(origin), args as never);
          return paysFee ? undefined : { paysFee: 'No' };
        },
        typeNames: {
          curr_pk: 'SworkerPubKey',
          ab_upgrade_pk: 'SworkerPubKey',
          slot_hash: 'Vec<u8>',
          added_files: 'Vec<(MerkleRoot, u64, u64)>',
          deleted_files: 'Vec<(MerkleRoot, u64, u64)>',
          reported_srd_root: 'MerkleRoot',
          reported_files_root: 'MerkleRoot',
          sig: 'SworkerSignature',
        },
        docs: [
          ' Report storage works from sWorker, signed by its registered worker key (see the `report` helpers',
          ' for the exact payload).',
          '',
          ' The dispatch origin for this call must be _Signed_ by the reporter account.',
          '',
          ' Emits `WorksReportSuccess` if new work report has been reported',
        ],
      },
    ),
    create_group: call(
      8,
      {},
      {
        weight: SworkWeights.createGroup,
        dispatch(origin) {
          const who = ensureSigned(origin);
          if (Identities.contains(who)) throw SworkError.fail('GroupOwnerForbidden');
          if (Groups.contains(who)) throw SworkError.fail('GroupAlreadyExist');
          Groups.set(who, { members: new Set<Uint8Array>(), allowlist: new Set<Uint8Array>() });
          SworkEvent.deposit({ type: 'CreateGroupSuccess', value: who });
        },
        docs: [' Create a group. One account can only create one group once.'],
      },
    ),
    add_member_into_allowlist: call(
      9,
      { target: AccountIdLookupOf },
      {
        weight: SworkWeights.createGroup,
        dispatch(origin, { target }) {
          const owner = ensureSigned(origin);
          const who = lookup(target);
          if (!Groups.contains(owner)) throw SworkError.fail('NotOwner');
          if (Identities.get(who)?.group !== undefined) throw SworkError.fail('AlreadyJoint');
          const group = Groups.get(owner);
          if (group.allowlist.size >= config().maxGroupSize) throw SworkError.fail('ExceedAllowlistLimit');
          if (!hasMember(group.allowlist, who)) group.allowlist.add(who);
          Groups.set(owner, group);
          SworkEvent.deposit({ type: 'AddIntoAllowlistSuccess', value: [owner, who] });
        },
        typeNames: { target: '<T::Lookup as StaticLookup>::Source' },
      },
    ),
    remove_member_from_allowlist: call(
      10,
      { target: AccountIdLookupOf },
      {
        weight: SworkWeights.createGroup,
        dispatch(origin, { target }) {
          const owner = ensureSigned(origin);
          const who = lookup(target);
          if (!Groups.contains(owner)) throw SworkError.fail('NotOwner');
          const group = Groups.get(owner);
          removeMember(group.allowlist, who);
          Groups.set(owner, group);
          SworkEvent.deposit({ type: 'RemoveFromAllowlistSuccess', value: [owner, who] });
        },
        typeNames: { target: '<T::Lookup as StaticLookup>::Source' },
      },
    ),
    join_group: call(
      11,
      { target: AccountIdLookupOf },
      {
        weight: SworkWeights.joinGroup,
        dispatch(origin, { target }) {
          const who = ensureSigned(origin);
          const owner = lookup(target);
          const identity = Identities.get(who);
          if (!identity) throw SworkError.fail('IdentityNotExist');
          if (identity.group !== undefined) throw SworkError.fail('AlreadyJoint');
          if (!Groups.contains(owner)) throw SworkError.fail('NotOwner');
          const group = Groups.get(owner);
          if (group.members.size >= config().maxGroupSize) throw SworkError.fail('ExceedGroupLimit');
          if (!hasMember(group.allowlist, who)) throw SworkError.fail('NotInAllowlist');
          // Its replicas so far counted for itself; in the group they count from scratch.
          const wr = WorkReports.get(identity.anchor);
          if (wr) WorkReports.set(identity.anchor, { ...wr, spower: 0n });
          group.members.add(who);
          removeMember(group.allowlist, who);
          Groups.set(owner, group);
          Identities.set(who, { ...identity, group: owner });
          SworkEvent.deposit({ type: 'JoinGroupSuccess', value: [who, owner] });
        },
        typeNames: { target: '<T::Lookup as StaticLookup>::Source' },
        docs: [
          ' Join a group. The account should already report works once and cannot have any spower value.',
          ' The target must be a group owner.',
        ],
      },
    ),
    quit_group: call(
      12,
      {},
      {
        weight: SworkWeights.quitGroup,
        dispatch(origin) {
          const who = ensureSigned(origin);
          const identity = Identities.get(who);
          if (!identity) throw SworkError.fail('IdentityNotExist');
          const owner = identity.group;
          if (owner === undefined || !Groups.contains(owner)) throw SworkError.fail('NotJoint');
          Identities.set(who, { ...identity, group: undefined });
          const group = Groups.get(owner);
          removeMember(group.members, who);
          Groups.set(owner, group);
          // The worker starts over without files (its replicas stay with the group's owner).
          const wr = WorkReports.get(identity.anchor);
          if (wr)
            WorkReports.set(identity.anchor, {
              ...wr,
              spower: 0n,
              reported_files_size: 0n,
              reported_files_root: ZERO_ROOT,
            });
          SworkEvent.deposit({ type: 'QuitGroupSuccess', value: [who, owner] });
        },
        docs: [' Quit a group.'],
      },
    ),
    kick_out: call(
      13,
      { target: AccountIdLookupOf },
      {
        weight: SworkWeights.kickOut,
        dispatch(origin, { target }) {
          const owner = ensureSigned(origin);
          const member = lookup(target);
          if (!Groups.contains(owner)) throw SworkError.fail('NotOwner');
          const identity = Identities.get(member);
          if (!identity) throw SworkError.fail('IdentityNotExist');
          if (identity.group === undefined || !equalBytes(identity.group, owner))
            throw SworkError.fail('NotJoint');
          Identities.set(member, { ...identity, group: undefined });
          const group = Groups.get(owner);
          removeMember(group.members, member);
          Groups.set(owner, group);
          SworkEvent.deposit({ type: 'KickOutSuccess', value: member });
        },
        typeNames: { target: '<T::Lookup as StaticLookup>::Source' },
        docs: [' Kick someone out of this group.'],
      },
    ),
    set_punishment: call(
      14,
      { is_enabled: bool },
      {
        weight: SworkWeights.root,
        dispatch(origin, { is_enabled }) {
          ensureRoot(origin);
          EnablePunishment.set(is_enabled);
          SworkEvent.deposit({ type: 'SetPunishmentSuccess', value: is_enabled });
        },
        docs: [' Set the punishment flag'],
      },
    ),
  },
  constants: {
    PunishmentSlots: constant(u32, (c: SworkConfig) => c.punishmentSlots, [
      ' The punishment duration if someone offline',
    ]),
    MaxGroupSize: constant(u32, (c: SworkConfig) => c.maxGroupSize, [
      ' The max number of members in one group',
    ]),
  },
  hooks: {
    onInitialize: (now) => workloadOnInitialize(now),
  },
  genesis: {
    default: (): SworkGenesis => ({ init_codes: [] }),
    build(g: SworkGenesis) {
      for (const [code, expiry] of g.init_codes) Codes.set(code, expiry);
    },
  },
});
