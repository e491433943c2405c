/**
 * The types of OAK's scheduled renewals (`XstorageAutomation`): a task that funds a Crust file's renewal
 * (`market.add_prepaid`) at a future block, its status, and why a task could not be sent.
 */
import { AccountId } from '../../frame/account.ts';
import type { Codec } from '../../scale/codec.ts';
import { enumeration, struct } from '../../scale/composite.ts';
import { bytes, u32, u64, u128 } from '../../scale/primitives.ts';
import { type OrderFailure, OrderFailureCodec } from '../xstorage/types.ts';

const MODULE = 'xstorage_automation';

/** Why a due task sent nothing (the user's CRU untouched). */
export type NotSentReason =
  | { type: 'NoFeeParameters' }
  | { type: 'InsufficientBalance' }
  | { type: 'Unreachable' }
  | { type: 'SendFailure' }
  | { type: 'Overflow' };
export const NotSentReasonCodec = enumeration({
  NoFeeParameters: [0],
  InsufficientBalance: [1],
  Unreachable: [2],
  SendFailure: [3],
  Overflow: [4],
}).named([MODULE, 'primitives', 'NotSentReason']) as unknown as Codec<NotSentReason>;

/** What a sent task remembers: its pallet-xcm query, what the user paid, and the refund a failure sends home. */
const SENT = struct(
  { query_id: u64, paid: u128, refund: u128 },
  { query_id: 'QueryId', paid: 'u128', refund: 'u128' },
);

export type TaskStatus =
  /** Waiting for its block. */
  | { type: 'Scheduled'; value?: undefined }
  /** Paid and sent to Crust; the answer comes back as pallet-xcm query `query_id`. */
  | { type: 'Sent'; value: { query_id: bigint; paid: bigint; refund: bigint } }
  /** Crust's market took the prepaid amount. */
  | { type: 'Confirmed'; value?: undefined }
  /** Crust did not: the refund is on its way home. */
  | { type: 'Failed'; value: OrderFailure }
  /** Nothing was sent at its block. */
  | { type: 'NotSent'; value: NotSentReason }
  /** No answer from Crust by the query's deadline; a late answer still settles it. */
  | { type: 'TimedOut'; value: { query_id: bigint; paid: bigint; refund: bigint } };
export const TaskStatusCodec = enumeration({
  Scheduled: [0],
  Sent: [1, SENT],
  Confirmed: [2],
  Failed: [3, OrderFailureCodec],
  NotSent: [4, NotSentReasonCodec],
  TimedOut: [5, SENT],
}).named([MODULE, 'primitives', 'TaskStatus']) as unknown as Codec<TaskStatus>;

export interface PrepaidTask {
  who: Uint8Array;
  cid: Uint8Array;
  /** CRU the file's prepaid receives on Crust. */
  amount: bigint;
  /** The block whose `on_initialize` sends it. */
  at_block: number;
  status: TaskStatus;
}
export const PrepaidTaskCodec: Codec<PrepaidTask> = struct(
  { who: AccountId, cid: bytes, amount: u128, at_block: u32, status: TaskStatusCodec },
  { who: 'AccountId', cid: 'Vec<u8>', amount: 'u128', at_block: 'BlockNumber', status: 'TaskStatus' },
).named([MODULE, 'primitives', 'PrepaidTask']);
