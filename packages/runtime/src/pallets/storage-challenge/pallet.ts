/**
 * `StorageChallenge`: proofs of storage that need no trusted hardware (no Crust chain has these). Every
 * `challengePeriod` blocks the chain picks one replica at random from all replicas the market records, with a seed
 * derived from the parent block hash:
 *
 *   seed = blake2_256("xstorage/storage-challenge" ‖ parent_hash ‖ u32_le(block number))
 *   replica = the (seed's first 8 bytes, little endian, mod replica count)-th of the index
 *
 * (deterministic and checkable by every node; the block author can bias it by choosing what it builds on — a known
 * limit of parent-hash randomness, accepted here for a devnet-grade beacon). The replica's holder (the worker account
 * that reported it) must answer with `respond(id, blocks)`: the blocks on the seed's path through the file's DAG
 * (proof.ts) before block `issued_at + responseDeadline`. A wrong answer, or none by then, drops that replica from
 * the market and punishes the worker in swork (its workload counts zero for PunishmentSlots slots, as for a missed
 * report). A correct answer is free of fees.
 *
 * Kept out of swork so swork stays Crust's: this pallet reaches the market (replica lookup/removal) and swork
 * (punishment) through its Config, and learns about replicas from the market's ReplicaObserver, keeping its own
 * index so picking one is O(1).
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { AccountId } from '../../frame/account.ts';
import { ensureSigned } from '../../frame/origin.ts';
import { call, constant, pallet } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, weight } from '../../frame/weights.ts';
import { enumeration, struct, tuple, vec } from '../../scale/composite.ts';
import { bytes, bytesFixed, u32, u64 } from '../../scale/primitives.ts';
import type { ReplicaObserver } from '../market/config.ts';
import { equalBytes, MerkleRoot } from '../market/primitives.ts';
import type { MarketReplicaAccess } from '../market/replicas.ts';
import type { SworkChallengeAccess } from '../swork/interface.ts';
import { ParentHash } from '../system/index.ts';
import { CidError, isCheckable, parseCidString } from './cid.ts';
import { DEFAULT_PROOF_LIMITS, type ProofLimits, verifyChallengeProof } from './proof.ts';

export interface StorageChallengeConfig {
  market: MarketReplicaAccess;
  swork: SworkChallengeAccess;
  /** A challenge every this many blocks (if there is a replica). */
  challengePeriod: number;
  /** Blocks a holder has to answer. */
  responseDeadline: number;
  limits?: ProofLimits;
}

/** One challenge every 10 minutes of 6 s blocks, 5 minutes to answer. */
export const STORAGE_CHALLENGE_DEFAULTS = { challengePeriod: 100, responseDeadline: 50 } as const;

const p = pallet<StorageChallengeConfig>('StorageChallenge', { module: 'pallet_storage_challenge' });
const config = (): StorageChallengeConfig => p.config();

const ReplicaKey = tuple(MerkleRoot, AccountId);

export interface Challenge {
  cid: Uint8Array;
  /** The group owner the replica is recorded under. */
  owner: Uint8Array;
  /** The worker account that holds it and must answer. */
  who: Uint8Array;
  seed: Uint8Array;
  issued_at: number;
  deadline: number;
}

export const ChallengeCodec = struct(
  { cid: MerkleRoot, owner: AccountId, who: AccountId, seed: bytesFixed(32), issued_at: u32, deadline: u32 },
  {
    cid: 'MerkleRoot',
    owner: 'AccountId',
    who: 'AccountId',
    seed: '[u8; 32]',
    issued_at: 'BlockNumber',
    deadline: 'BlockNumber',
  },
).named(['pallet_storage_challenge', 'Challenge']);

export const ReplicaCount = p.value('ReplicaCount', u32, {
  default: 0,
  docs: [' How many replicas the index holds.'],
});
export const ReplicaAt = p.map('ReplicaAt', ['Twox64Concat', u32], ReplicaKey, {
  docs: [' The index of replicas: position → (cid, group owner).'],
});
export const ReplicaPosition = p.map('ReplicaPosition', ['Blake2_128Concat', ReplicaKey], u32, {
  docs: [' Where a replica sits in the index.'],
});
export const NextChallengeId = p.value('NextChallengeId', u64, {
  default: 0n,
  docs: [' The next challenge id.'],
});
export const Challenges = p.map('Challenges', ['Twox64Concat', u64], ChallengeCodec, {
  docs: [' Open challenges.'],
});
export const OpenChallenge = p.map('OpenChallenge', ['Blake2_128Concat', ReplicaKey], u64, {
  docs: [' The open challenge of a replica (at most one).'],
});
export const ChallengesByDeadline = p.map('ChallengesByDeadline', ['Twox64Concat', u32], vec(u64), {
  default: [],
  docs: [' Challenges that expire at the start of a block.'],
});

export const FailureReasonCodec = enumeration({ NoAnswer: [0], InvalidProof: [1] }).named([
  'pallet_storage_challenge',
  'FailureReason',
]);

export const StorageChallengeEvent = p.events({
  ChallengeIssued: [
    0,
    { id: u64, cid: MerkleRoot, owner: AccountId, who: AccountId, seed: bytesFixed(32), deadline: u32 },
    [' A replica holder must answer a challenge before `deadline`.'],
  ],
  ChallengePassed: [
    1,
    { id: u64, who: AccountId, cid: MerkleRoot },
    [' A challenge was answered correctly.'],
  ],
  ChallengeFailed: [
    2,
    { id: u64, who: AccountId, cid: MerkleRoot, owner: AccountId, reason: FailureReasonCodec },
    [' A challenge failed: the replica was removed and the worker punished.'],
  ],
});

export const StorageChallengeError = p.errors({
  UnknownChallenge: [0, [' No open challenge has this id.']],
  NotChallenged: [1, [' The challenge is addressed to another account.']],
});

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
const rw = (reads: number, writes: number): Weight => weight(reads * READ + writes * WRITE, 0);

export const StorageChallengeWeights = {
  /** Hashing and parsing grow with the bytes answered (~5 ns per byte for sha2-256 + parsing). */
  respond: (bytesAnswered: number) =>
    addWeight(weight(40_000_000 + 5_000 * bytesAnswered, 4_000 + bytesAnswered), rw(4, 6)),
};

// ---- the replica index (fed by the market's ReplicaObserver) ------------------------------------------------------

/** Give this to the market's Config as `replicaObserver`. */
export const challengeReplicaObserver: ReplicaObserver = {
  added(cid, owner) {
    const key: [Uint8Array, Uint8Array] = [cid, owner];
    if (ReplicaPosition.contains(key)) return;
    const i = ReplicaCount.get();
    ReplicaAt.set(i, key);
    ReplicaPosition.set(key, i);
    ReplicaCount.set(i + 1);
  },
  removed(cid, owner) {
    const key: [Uint8Array, Uint8Array] = [cid, owner];
    const i = ReplicaPosition.take(key);
    if (i === undefined) return;
    const last = ReplicaCount.get() - 1;
    const moved = ReplicaAt.get(last);
    if (i !== last && moved) {
      ReplicaAt.set(i, moved);
      ReplicaPosition.set(moved, i);
    }
    ReplicaAt.remove(last);
    ReplicaCount.set(last);
  },
};

// ---- challenges -------------------------------------------------------------------------------------------------

const SEED_DOMAIN = new TextEncoder().encode('xstorage/storage-challenge');

/** The seed of block `n`'s challenge (see the header). */
export function challengeSeed(parentHash: Uint8Array, n: number): Uint8Array {
  const input = new Uint8Array(SEED_DOMAIN.length + parentHash.length + 4);
  input.set(SEED_DOMAIN);
  input.set(parentHash, SEED_DOMAIN.length);
  new DataView(input.buffer).setUint32(SEED_DOMAIN.length + parentHash.length, n, true);
  return blake2_256(input);
}

function leU64(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = 7; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

function checkableCid(cid: Uint8Array): boolean {
  try {
    return isCheckable(parseCidString(cid));
  } catch (e) {
    if (e instanceof CidError) return false;
    throw e;
  }
}

/** Picks and records block `n`'s challenge, if there is a replica to challenge. */
function issueChallenge(n: number): Weight {
  const count = ReplicaCount.get();
  if (count === 0) return rw(1, 0);
  const seed = challengeSeed(ParentHash.get(), n);
  const picked = ReplicaAt.get(Number(leU64(seed) % BigInt(count)));
  if (!picked) return rw(2, 0);
  const [cid, owner] = picked;
  if (OpenChallenge.contains([cid, owner])) return rw(3, 0);
  const replica = config().market.replica(cid, owner);
  if (!replica || !checkableCid(cid)) return rw(4, 0);
  const id = NextChallengeId.get();
  NextChallengeId.set(id + 1n);
  const deadline = n + config().responseDeadline;
  Challenges.set(id, { cid, owner, who: replica.who, seed, issued_at: n, deadline });
  OpenChallenge.set([cid, owner], id);
  ChallengesByDeadline.mutate(deadline, (ids) => {
    ids.push(id);
  });
  StorageChallengeEvent.deposit({
    type: 'ChallengeIssued',
    value: { id, cid, owner, who: replica.who, seed, deadline },
  });
  return rw(6, 5);
}

function close(id: bigint, ch: Challenge): void {
  Challenges.remove(id);
  OpenChallenge.remove([ch.cid, ch.owner]);
}

/** A failed challenge: the replica leaves the market, the worker is punished. */
function fail(id: bigint, ch: Challenge, reason: 'NoAnswer' | 'InvalidProof'): void {
  close(id, ch);
  config().market.removeReplica(ch.cid, ch.owner);
  config().swork.punish(ch.who);
  StorageChallengeEvent.deposit({
    type: 'ChallengeFailed',
    value: { id, who: ch.who, cid: ch.cid, owner: ch.owner, reason: { type: reason } },
  });
}

function expireChallenges(n: number): Weight {
  const ids = ChallengesByDeadline.take(n);
  let used = rw(1, 1);
  for (const id of ids) {
    const ch = Challenges.get(id);
    if (ch) fail(id, ch, 'NoAnswer');
    used = addWeight(used, rw(4, 6));
  }
  return used;
}

export const StorageChallenge = p.build({
  docs: [' Random storage challenges answered with the blocks of a path through the file DAG.'],
  calls: {
    respond: call(
      0,
      { id: u64, blocks: vec(bytes) },
      {
        weight: ({ blocks }) => StorageChallengeWeights.respond(blocks.reduce((s, b) => s + b.length, 0)),
        dispatch(origin, { id, blocks }) {
          const who = ensureSigned(origin);
          const ch = Challenges.get(id);
          if (!ch) throw StorageChallengeError.fail('UnknownChallenge');
          if (!equalBytes(ch.who, who)) throw StorageChallengeError.fail('NotChallenged');
          const check = verifyChallengeProof(
            parseCidString(ch.cid),
            ch.seed,
            blocks,
            config().limits ?? DEFAULT_PROOF_LIMITS,
          );
          if (!check.ok) {
            fail(id, ch, 'InvalidProof');
            return;
          }
          close(id, ch);
          StorageChallengeEvent.deposit({ type: 'ChallengePassed', value: { id, who, cid: ch.cid } });
          return { paysFee: 'No' };
        },
        typeNames: { id: 'u64', blocks: 'Vec<Vec<u8>>' },
        docs: [
          ' Answer challenge `id` with the blocks on its path through the file DAG, root first. Signed by the',
          ' worker account the challenge names. A wrong answer fails the challenge (the call itself succeeds).',
        ],
      },
    ),
  },
  constants: {
    ChallengePeriod: constant(u32, (c: StorageChallengeConfig) => c.challengePeriod, [
      ' A challenge every this many blocks.',
    ]),
    ResponseDeadline: constant(u32, (c: StorageChallengeConfig) => c.responseDeadline, [
      ' Blocks a holder has to answer.',
    ]),
    MaxDepth: constant(u32, (c: StorageChallengeConfig) => (c.limits ?? DEFAULT_PROOF_LIMITS).maxDepth, [
      ' Most blocks on an answered path.',
    ]),
    MaxBlockSize: constant(
      u32,
      (c: StorageChallengeConfig) => (c.limits ?? DEFAULT_PROOF_LIMITS).maxBlockSize,
      [' Largest block in an answer.'],
    ),
  },
  hooks: {
    onInitialize(n) {
      let used = expireChallenges(n);
      const period = config().challengePeriod;
      if (period > 0 && n % period === 0) used = addWeight(used, issueChallenge(n));
      return used;
    },
  },
});
