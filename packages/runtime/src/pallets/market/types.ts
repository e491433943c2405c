/** The market's stored types, field for field as Crust's `FileInfoV2` and `Replica` (cstrml/market/src/lib.rs). */
import { AccountId } from '../../frame/account.ts';
import type { Codec } from '../../scale/codec.ts';
import { btreeMap, option, struct } from '../../scale/composite.ts';
import { bool, compact, u32, u64, u128 } from '../../scale/primitives.ts';
import { equalBytes, SworkerAnchor } from './primitives.ts';

export interface Replica {
  /** The reporter (the worker's account). */
  who: Uint8Array;
  /** The block the worker says it got the file (`c_block_num`), refreshed when it misses a report. */
  valid_at: number;
  /** The worker's anchor: the replica counts in that work report. */
  anchor: Uint8Array;
  /** Whether the worker reported in the slot before the last check. */
  is_reported: boolean;
  /** Some(block): the replica counts the file size until `SpowerReadyPeriod` passes; None: it counts the spower. */
  created_at: number | undefined;
}

export const ReplicaCodec: Codec<Replica> = struct(
  { who: AccountId, valid_at: u32, anchor: SworkerAnchor, is_reported: bool, created_at: option(u32) },
  {
    who: 'AccountId',
    valid_at: 'BlockNumber',
    anchor: 'SworkerAnchor',
    created_at: 'Option<BlockNumber>',
  },
).named(['cstrml_market', 'Replica']);

export interface FileInfoV2 {
  /** The size the order declared (corrected down by the first reporter). */
  file_size: bigint;
  /** The file's storage power: size × (1 + α(reported replicas)). */
  spower: bigint;
  /** The block the file expires at; 0 while pending (no replica yet). */
  expired_at: number;
  /** The last block the file was settled at. */
  calculated_at: number;
  /** What is left to pay reporters and the liquidator (18% of v plus tips, per order). */
  amount: bigint;
  /** Funds for automatic renewal. */
  prepaid: bigint;
  reported_replica_count: number;
  /** How many of the first reporters are still to be paid. */
  remaining_paid_count: number;
  /** Replicas keyed by group owner (a lone worker is its own owner). */
  replicas: Map<Uint8Array, Replica>;
}

export const FileInfoV2Codec: Codec<FileInfoV2> = struct(
  {
    file_size: u64,
    spower: u64,
    expired_at: u32,
    calculated_at: u32,
    amount: compact(u128),
    prepaid: compact(u128),
    reported_replica_count: u32,
    remaining_paid_count: u32,
    replicas: btreeMap(AccountId, ReplicaCodec),
  },
  {
    expired_at: 'BlockNumber',
    calculated_at: 'BlockNumber',
    amount: 'Balance',
    prepaid: 'Balance',
    replicas: 'BTreeMap<AccountId, Replica<AccountId>>',
  },
).named(['cstrml_market', 'FileInfoV2']);

/** The replica of group `owner` (the map's keys are byte arrays, compared by content). */
export function replicaOf(file: FileInfoV2, owner: Uint8Array): [Uint8Array, Replica] | undefined {
  for (const entry of file.replicas) if (equalBytes(entry[0], owner)) return entry;
  return undefined;
}
