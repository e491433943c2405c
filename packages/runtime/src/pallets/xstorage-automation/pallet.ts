/**
 * OAK's scheduled renewals of Crust files (`XstorageAutomation`, module `xstorage_automation`): what OAK's automation
 * does for Crust, as a small pallet — a user schedules `market.add_prepaid(cid, amount)` on Crust for a future block;
 * at that block's `on_initialize` the pallet takes the user's CRU here (burnt, as an order paid in CRU) and sends
 * Crust the order path's message (pallets/xstorage/message.ts) with `add_prepaid` as the Transacted call, so the
 * user's own derived account on Crust funds the file's renewal. Crust answers through a pallet-xcm notify query:
 * `PrepaidConfirmed`, or `PrepaidFailed` with the refund on its way home (the order's error handler).
 *
 * Calls: 0 `schedule_prepaid(cid, amount, at_block)`, 1 `cancel_prepaid(task_id)`, 2 `on_prepaid_response(query_id,
 * response)` (the `Response(Crust)` origin only). A task that cannot be sent at its block (no CRU, no channel) ends in
 * `PrepaidNotSent` and takes nothing.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { H256 } from '../../extrinsic/primitives.ts';
import { AccountId } from '../../frame/account.ts';
import { badOrigin } from '../../frame/dispatch-error.ts';
import { currentEnv, state } from '../../frame/env.ts';
import { ensureSigned, type Origin } from '../../frame/origin.ts';
import { call, constant, pallet } from '../../frame/pallet.ts';
import { addWeight, dbWeight, type Weight } from '../../frame/weights.ts';
import { encodeCompact } from '../../scale/compact.ts';
import { bytes, u32, u64, u128, vec } from '../../scale/index.ts';
import { ensureResponse } from '../../xcm/builder/origins.ts';
import { XcmFailure } from '../../xcm/executor/errors.ts';
import type { TransactAsset } from '../../xcm/executor/traits.ts';
import { withdrawAsset } from '../../xcm/executor/tuples.ts';
import {
  type Location,
  locationEquals,
  type Response,
  ResponseCodec,
  type SendError,
  type Xcm,
} from '../../xcm/index.ts';
import { Number as SystemNumber } from '../system/index.ts';
import {
  CRUST_MARKET_PALLET_INDEX,
  ORDER_MESSAGE_INSTRUCTIONS,
  orderMessage,
  refundArrival,
} from '../xstorage/message.ts';
import { accountJunction, MAX_CID_LENGTH, orderFailureOf } from '../xstorage/pallet.ts';
import { type FeeParameters, OrderFailureCodec } from '../xstorage/types.ts';
import { type PrepaidQuote, PrepaidQuoteOverflow, quotePrepaid } from './quote.ts';
import { type NotSentReason, NotSentReasonCodec, type PrepaidTask, PrepaidTaskCodec } from './types.ts';

/** Crust's `market.add_prepaid` (pallet 100, call 1). */
export const CRUST_MARKET_ADD_PREPAID = 1;
/** Tasks one block may fire (its `on_initialize` work is bounded). */
export const DEFAULT_MAX_TASKS_PER_BLOCK = 16;
/** Blocks a sent task waits for Crust's answer before it is marked `TimedOut` (pallet-xcm's query timeout). */
export const DEFAULT_RESPONSE_TIMEOUT = 100;
/** How far ahead a task may be scheduled: a week of 6 s blocks. */
export const DEFAULT_MAX_SCHEDULE_AHEAD = 100_800;

export interface XstorageAutomationConfig {
  /** The runtime's XCM asset transactor: burns the user's CRU (`ForeignAssets`), as the chain's XCM would. */
  assetTransactor: TransactAsset;
  selfParaId: number;
  /** Crust as a location from here (the parachain-side Xstorage's `CrustParaId`). */
  crust(): Location;
  /** The parachain-side Xstorage's mirror of Crust's fees and execution costs. */
  fees(): FeeParameters | undefined;
  /** The weight Crust declares for `market.add_prepaid`. */
  addPrepaidWeight(): Weight;
  /** pallet-xcm's `send_xcm` from the chain itself. */
  sendXcm(dest: Location, message: Xcm): { ok: Uint8Array } | { err: SendError };
  /** pallet-xcm's `new_notify_query(responder, notify, timeout, match_querier)`. */
  newNotifyQuery(
    responder: Location,
    notify: [palletIndex: number, callIndex: number],
    timeout: number,
    matchQuerier: Location,
  ): bigint;
  /** What this chain's executor charges, in `asset`, to run `message` (a refund must pay its way home). */
  homeExecutionFee?(asset: Location, message: Xcm): bigint;
  maxTasksPerBlock?: number;
  maxScheduleAhead?: number;
  /** Blocks pallet-xcm keeps the query open (default 100). */
  responseTimeout?: number;
}

const p = pallet<XstorageAutomationConfig>('XstorageAutomation', { module: 'xstorage_automation' });
const config = (): XstorageAutomationConfig => p.config();

// ---- storage ------------------------------------------------------------------------------------------------------

export const TaskCount = p.value('TaskCount', u64, {
  default: 0n,
  docs: [' Tasks scheduled so far (the next task id is derived from it).'],
});
export const Tasks = p.map('Tasks', ['Blake2_128Concat', H256], PrepaidTaskCodec, {
  docs: [' Tasks by id (the id is also the `SetTopic` of the message the task sends).'],
});
export const Agenda = p.map('Agenda', ['Twox64Concat', u32], vec(H256), {
  default: [],
  docs: [' The tasks a block fires in its `on_initialize`.'],
});
export const QueryTasks = p.map('QueryTasks', ['Twox64Concat', u64], H256, {
  docs: [' The task each pending pallet-xcm query answers for.'],
});
export const TaskTimeouts = p.map('TaskTimeouts', ['Twox64Concat', u32], vec(H256), {
  default: [],
  docs: [' The sent tasks whose answer is due by a block (marked `TimedOut` in its `on_initialize`).'],
});

// ---- events and errors ------------------------------------------------------------------------------------------

export const AutomationEvent = p.events({
  PrepaidScheduled: [
    0,
    { task_id: H256, who: AccountId, cid: bytes, amount: u128, at_block: u32 },
    [' `add_prepaid(cid, amount)` on Crust is scheduled for `at_block`.'],
  ],
  PrepaidCancelled: [1, { task_id: H256, who: AccountId }, [' The owner cancelled a task before its block.']],
  PrepaidSent: [
    2,
    { task_id: H256, who: AccountId, cid: bytes, amount: u128, paid: u128, message_id: H256 },
    [' The task fired: `paid` CRU taken from the user here, the message sent to Crust.'],
  ],
  PrepaidNotSent: [
    3,
    { task_id: H256, who: AccountId, reason: NotSentReasonCodec },
    [' The task fired but nothing was sent (nothing taken).'],
  ],
  PrepaidConfirmed: [
    4,
    { task_id: H256, who: AccountId, cid: bytes, amount: u128 },
    [" Crust's market added `amount` to the file's prepaid, paid by the user's account there."],
  ],
  PrepaidFailed: [
    5,
    { task_id: H256, who: AccountId, error: OrderFailureCodec, refund: u128 },
    [" Crust did not add the prepaid; `refund` CRU is on its way home, less the trip's execution fee."],
  ],
  PrepaidTimedOut: [
    6,
    { task_id: H256, who: AccountId },
    [' No answer from Crust by the deadline (a late answer still settles the task).'],
  ],
});

export const AutomationError = p.errors({
  EmptyCid: [0, [' The CID is empty.']],
  CidTooLong: [1, [' The CID is longer than `MaxCidLength`.']],
  ZeroAmount: [2, [' A prepaid amount of 0 does nothing.']],
  NotInFuture: [3, [' The block is not after the current one.']],
  TooFarAhead: [4, [' The block is further ahead than `MaxScheduleAhead`.']],
  AgendaFull: [5, [' The block already fires `MaxTasksPerBlock` tasks.']],
  UnknownTask: [6, [' No such task.']],
  NotOwner: [7, [' Only the task owner may cancel it.']],
  NotScheduled: [8, [' The task already fired.']],
  UnknownQuery: [9, [' No task waits for this answer.']],
});

// ---- weights ------------------------------------------------------------------------------------------------------

export const AutomationWeights = {
  /** Firing one task: quote, payment, query, message, status. */
  fire: (): Weight => dbWeight(250_000_000, 16_000, 9, 9),
  /** Scheduling pays for its firing up front (as OAK charges a task's execution when it is scheduled). */
  schedule: (): Weight => addWeight(dbWeight(20_000_000, 2_000, 3, 3), AutomationWeights.fire()),
  cancel: (): Weight => dbWeight(15_000_000, 2_000, 2, 2),
  onResponse: (): Weight => dbWeight(60_000_000, 8_000, 3, 3),
};

// ---- logic -----------------------------------------------------------------------------------------------------

const u32le = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

/** `blake2_256(b"xstorage/prepaid" ++ u32_le(para id) ++ u64_le(nonce))`. */
export function taskId(paraId: number, nonce: bigint): Uint8Array {
  const tag = new TextEncoder().encode('xstorage/prepaid');
  const out = new Uint8Array(tag.length + 12);
  out.set(tag);
  out.set(u32le(paraId), tag.length);
  out.set(u64.encode(nonce), tag.length + 4);
  return blake2_256(out);
}

/** `(100u8, 1u8, cid: Vec<u8>, Compact(amount)).encode()`: Crust's `market.add_prepaid(cid, amount)`. */
export function addPrepaidCall(cid: Uint8Array, amount: bigint): Uint8Array {
  const len = encodeCompact(cid.length);
  const amt = encodeCompact(amount);
  const out = new Uint8Array(2 + len.length + cid.length + amt.length);
  out.set([CRUST_MARKET_PALLET_INDEX, CRUST_MARKET_ADD_PREPAID]);
  out.set(len, 2);
  out.set(cid, 2 + len.length);
  out.set(amt, 2 + len.length + cid.length);
  return out;
}

class NotSent extends Error {
  override name = 'NotSent';
  constructor(readonly reason: NotSentReason) {
    super(reason.type);
  }
}

/** What firing a task of `amount` for `who` costs now (throws NotSent). */
export function quoteFor(who: Uint8Array, amount: bigint): PrepaidQuote {
  const c = config();
  const f = c.fees();
  if (!f) throw new NotSent({ type: 'NoFeeParameters' });
  const crust = c.crust();
  const refundFee = c.homeExecutionFee?.(crust, refundArrival('Cru', crust, accountJunction(who))) ?? 0n;
  try {
    return quotePrepaid(f, amount, c.addPrepaidWeight(), ORDER_MESSAGE_INSTRUCTIONS, refundFee);
  } catch (err) {
    if (err instanceof PrepaidQuoteOverflow) throw new NotSent({ type: 'Overflow' });
    throw err;
  }
}

/** What a task of `amount` would take from a user if it fired now; 0 when it could not be sent. */
export function estimatePrepaidFee(amount: bigint): bigint {
  if (amount === 0n) return 0n;
  try {
    return quoteFor(new Uint8Array(currentEnv('estimate').runtime.accounts.length), amount).total;
  } catch (err) {
    if (err instanceof NotSent) return 0n;
    throw err;
  }
}

/** Pays and sends `task` (throws NotSent, leaving everything as it was). */
function send(id: Uint8Array, task: PrepaidTask): void {
  const c = config();
  const q = quoteFor(task.who, task.amount);
  const crust = c.crust();
  const user = accountJunction(task.who);
  try {
    // CRU here is a claim on this chain's sovereign account on Crust: burnt here, withdrawn there.
    withdrawAsset(
      c.assetTransactor,
      { id: crust, fun: { type: 'Fungible', value: q.total } },
      { parents: 0, interior: [user] },
      undefined,
    );
  } catch (err) {
    if (err instanceof XcmFailure) throw new NotSent({ type: 'InsufficientBalance' });
    throw err;
  }
  const runtime = currentEnv('a notify query').runtime;
  const deadline = SystemNumber.get() + (c.responseTimeout ?? DEFAULT_RESPONSE_TIMEOUT);
  const queryId = c.newNotifyQuery(
    crust,
    [runtime.palletIndex('XstorageAutomation'), ON_PREPAID_RESPONSE_INDEX],
    deadline,
    { parents: 0, interior: [user] },
  );
  const crustParaId = crust.interior[0]?.type === 'Parachain' ? crust.interior[0].value : 0;
  const message = orderMessage({
    currency: 'Cru',
    selfParaId: c.selfParaId,
    crustParaId,
    user,
    amount: q.total,
    execution: q.execution,
    deposit: q.deposit,
    refund: q.refund,
    weight: q.weight,
    call: addPrepaidCall(task.cid, task.amount),
    callWeight: c.addPrepaidWeight(),
    queryId,
    responseWeight: AutomationWeights.onResponse(),
    topic: id,
  });
  const sent = c.sendXcm(crust, message);
  if ('err' in sent)
    throw new NotSent({
      type:
        sent.err.type === 'NotApplicable' || sent.err.type === 'Unroutable' ? 'Unreachable' : 'SendFailure',
    });
  Tasks.set(id, {
    ...task,
    status: { type: 'Sent', value: { query_id: queryId, paid: q.total, refund: q.refund } },
  });
  QueryTasks.set(queryId, id);
  TaskTimeouts.mutate(deadline, (ids) => [...ids, id]);
  AutomationEvent.deposit({
    type: 'PrepaidSent',
    value: {
      task_id: id,
      who: task.who,
      cid: task.cid,
      amount: task.amount,
      paid: q.total,
      message_id: sent.ok,
    },
  });
}

/** Fires the tasks of block `n`; the weight used. */
function fireAgenda(n: number): Weight {
  const due = Agenda.take(n);
  for (const id of due) {
    const task = Tasks.get(id);
    if (task?.status.type !== 'Scheduled') continue;
    try {
      state().transactional(() => send(id, task));
    } catch (err) {
      if (!(err instanceof NotSent)) throw err;
      Tasks.set(id, { ...task, status: { type: 'NotSent', value: err.reason } });
      AutomationEvent.deposit({
        type: 'PrepaidNotSent',
        value: { task_id: id, who: task.who, reason: err.reason },
      });
    }
  }
  let w = dbWeight(5_000_000, 0, 2, 2);
  for (let i = 0; i < due.length; i++) w = addWeight(w, AutomationWeights.fire());
  const late = TaskTimeouts.take(n);
  for (const id of late) {
    const task = Tasks.get(id);
    if (task?.status.type !== 'Sent') continue;
    Tasks.set(id, { ...task, status: { type: 'TimedOut', value: task.status.value } });
    AutomationEvent.deposit({ type: 'PrepaidTimedOut', value: { task_id: id, who: task.who } });
  }
  return addWeight(w, dbWeight(0, 0, late.length, late.length));
}

function schedule(origin: Origin, cid: Uint8Array, amount: bigint, at: number): void {
  const who = ensureSigned(origin);
  const c = config();
  if (cid.length === 0) throw AutomationError.fail('EmptyCid');
  if (cid.length > MAX_CID_LENGTH) throw AutomationError.fail('CidTooLong');
  if (amount === 0n) throw AutomationError.fail('ZeroAmount');
  const now = SystemNumber.get();
  if (at <= now) throw AutomationError.fail('NotInFuture');
  if (at - now > (c.maxScheduleAhead ?? DEFAULT_MAX_SCHEDULE_AHEAD))
    throw AutomationError.fail('TooFarAhead');
  const agenda = Agenda.get(at);
  if (agenda.length >= (c.maxTasksPerBlock ?? DEFAULT_MAX_TASKS_PER_BLOCK))
    throw AutomationError.fail('AgendaFull');
  const nonce = TaskCount.get();
  TaskCount.set(nonce + 1n);
  const id = taskId(c.selfParaId, nonce);
  Tasks.set(id, { who, cid, amount, at_block: at, status: { type: 'Scheduled' } });
  Agenda.set(at, [...agenda, id]);
  AutomationEvent.deposit({
    type: 'PrepaidScheduled',
    value: { task_id: id, who, cid, amount, at_block: at },
  });
}

function cancel(origin: Origin, id: Uint8Array): void {
  const who = ensureSigned(origin);
  const task = Tasks.get(id);
  if (!task) throw AutomationError.fail('UnknownTask');
  if (!task.who.every((b, i) => b === who[i]) || task.who.length !== who.length)
    throw AutomationError.fail('NotOwner');
  if (task.status.type !== 'Scheduled') throw AutomationError.fail('NotScheduled');
  Agenda.set(
    task.at_block,
    Agenda.get(task.at_block).filter((x) => !x.every((b, i) => b === id[i])),
  );
  Tasks.remove(id);
  AutomationEvent.deposit({ type: 'PrepaidCancelled', value: { task_id: id, who } });
}

function onResponse(origin: Origin, queryId: bigint, response: Response): void {
  const responder = ensureResponse(origin);
  if (!locationEquals(responder, config().crust())) throw badOrigin();
  const id = QueryTasks.take(queryId);
  const task = id && Tasks.get(id);
  if (!id || !task || (task.status.type !== 'Sent' && task.status.type !== 'TimedOut'))
    throw AutomationError.fail('UnknownQuery');
  const sent = task.status.value;
  const failure = orderFailureOf(response);
  if (!failure) {
    Tasks.set(id, { ...task, status: { type: 'Confirmed' } });
    AutomationEvent.deposit({
      type: 'PrepaidConfirmed',
      value: { task_id: id, who: task.who, cid: task.cid, amount: task.amount },
    });
    return;
  }
  Tasks.set(id, { ...task, status: { type: 'Failed', value: failure } });
  AutomationEvent.deposit({
    type: 'PrepaidFailed',
    value: {
      task_id: id,
      who: task.who,
      error: failure,
      refund: failure.type === 'UnexpectedResponse' ? 0n : sent.refund,
    },
  });
}

const ON_PREPAID_RESPONSE_INDEX = 2;

export const XstorageAutomation = p.build({
  docs: [
    ' Scheduled renewals of Crust files: `market.add_prepaid` on Crust at a future block, paid in CRU here.',
  ],
  calls: {
    schedule_prepaid: call(
      0,
      { cid: bytes, amount: u128, at_block: u32 },
      {
        weight: AutomationWeights.schedule,
        typeNames: { cid: 'Vec<u8>', amount: 'u128', at_block: 'BlockNumber' },
        docs: [
          " At `at_block`, take this task's quote in CRU from the caller and have the caller's account on Crust",
          " add `amount` to `cid`'s prepaid (`market.add_prepaid`).",
        ],
        dispatch: (origin, { cid, amount, at_block }) => schedule(origin, cid, amount, at_block),
      },
    ),
    cancel_prepaid: call(
      1,
      { task_id: H256 },
      {
        weight: AutomationWeights.cancel,
        typeNames: { task_id: 'H256' },
        docs: [' Cancel a task of the caller before its block.'],
        dispatch: (origin, { task_id }) => cancel(origin, task_id),
      },
    ),
    on_prepaid_response: call(
      ON_PREPAID_RESPONSE_INDEX,
      { query_id: u64, response: ResponseCodec },
      {
        weight: AutomationWeights.onResponse,
        typeNames: { query_id: 'QueryId', response: 'Response' },
        docs: [
          " Crust's answer to a task's message (pallet-xcm notifies it with the `Response(Crust)` origin).",
        ],
        dispatch: (origin, { query_id, response }) => onResponse(origin, query_id, response),
      },
    ),
  },
  constants: {
    MaxTasksPerBlock: constant(
      u32,
      (c: XstorageAutomationConfig) => c.maxTasksPerBlock ?? DEFAULT_MAX_TASKS_PER_BLOCK,
      [' Tasks one block may fire.'],
    ),
    MaxScheduleAhead: constant(
      u32,
      (c: XstorageAutomationConfig) => c.maxScheduleAhead ?? DEFAULT_MAX_SCHEDULE_AHEAD,
      [' How many blocks ahead a task may be scheduled.'],
    ),
  },
  hooks: {
    onInitialize: (n) => fireAgenda(n),
  },
});
