/**
 * Scheduled renewals: a chain with OAK's `XstorageAutomation` pallet (only OAK) sends Crust `market.add_prepaid(cid,
 * amount)` at a block the user picks, paid then from the user's CRU there. Scheduling is a transaction
 * (`PrepaidScheduled`); at the block the pallet fires it (`PrepaidSent`, or `PrepaidNotSent` with the reason and
 * nothing taken); Crust's answer comes back home (`PrepaidConfirmed`, or `PrepaidFailed` with the refund on its way).
 * The watcher follows those events on the scheduling chain, as `watchReceipt` follows an order's.
 */
import type { ApiPromise } from '@polkadot/api';
import type { ChainConnections } from './connections.ts';
import { BadInputError, InsufficientBalanceError, TimeoutError, XstorageError } from './errors.ts';
import { eventsAt, followBlocks } from './follow.ts';
import { checkCid } from './orders.ts';
import type { XstorageSigner } from './signers.ts';
import { signAndWait } from './submit.ts';
import { formatAmount } from './units.ts';
import { orderFailureReason } from './watch.ts';
import { siblingLocation } from './xcm.ts';

/** `at` of a schedule: an absolute block number of the scheduling chain, or `{ in: n }` blocks from its best block. */
export type ScheduleAt = number | { in: number };

export interface SchedulePrepaidOptions {
  /** The chain that schedules (one with `XstorageAutomation`: 'oak'). */
  from: string;
  at: ScheduleAt;
  signer: XstorageSigner;
  /** Give up following (TimeoutError from `events`) after this long (default: never). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type RenewalEvent =
  | {
      kind: 'scheduled';
      taskId: string;
      chain: string;
      /** The block the schedule transaction is in. */
      blockNumber: number;
      blockHash: string;
      atBlock: number;
    }
  /** Fired at `atBlock`: `paid` CRU taken from the user, the message (id = task id) on its way to Crust. */
  | { kind: 'sent'; blockNumber: number; paid: bigint; messageId: string }
  /** Crust's market added `amount` to the file's prepaid; `blockNumber` is where the answer arrived home. */
  | { kind: 'confirmed'; blockNumber: number; amount: bigint }
  /** Crust refused it (`reason`: its error, e.g. `market.FileNotExist`); `refund` CRU is on its way home. */
  | { kind: 'failed'; blockNumber: number; reason: string; refund: bigint }
  /** Nothing was sent at `atBlock` (`reason`: `InsufficientBalance`, `Unreachable`, …) and nothing was taken. */
  | { kind: 'notSent'; blockNumber: number; reason: string }
  /** The task was cancelled before its block. */
  | { kind: 'cancelled'; blockNumber: number };

export interface ScheduledRenewal {
  taskId: string;
  chain: string;
  cid: string;
  amount: bigint;
  /** The block whose `on_initialize` sends it. */
  atBlock: number;
  /** The block the schedule transaction is in. */
  blockNumber: number;
  blockHash: string;
  /** What the task takes when it fires, as quoted now (`XstorageAutomationApi.estimate_prepaid_fee`), CRU units. */
  fee: bigint;
  /** The task's hops as they happen; ends after `confirmed`, `failed`, `notSent` or `cancelled`. */
  events: AsyncIterable<RenewalEvent>;
}

/** The chain has no `XstorageAutomation` pallet: it cannot schedule renewals. */
export class RenewalsUnsupportedError extends XstorageError {
  override name = 'RenewalsUnsupportedError';
  constructor(readonly chain: string) {
    super(
      'BAD_INPUT',
      `${chain} cannot schedule renewals; only OAK does — use \`xstorage prepaid\` without --at to add prepaid now`,
    );
  }
}

/** Whether `api`'s runtime has OAK's `XstorageAutomation` (its calls and its runtime API). */
export function hasAutomationPallet(api: ApiPromise): boolean {
  const tx = (api.tx as any).xstorageAutomation;
  return typeof tx?.schedulePrepaid === 'function' && typeof tx?.cancelPrepaid === 'function';
}

async function automationApi(c: ChainConnections, from: string): Promise<ApiPromise> {
  const chain = c.chain(from);
  const api = await c.api(chain.id);
  if (!hasAutomationPallet(api)) throw new RenewalsUnsupportedError(chain.id);
  return api;
}

/** Fails with {@link RenewalsUnsupportedError} unless `from` can schedule renewals. */
export async function checkRenewals(c: ChainConnections, from: string): Promise<void> {
  await automationApi(c, from);
}

/** The block a task fires at, checked against the chain's best block (a block already past is refused here). */
function resolveAt(at: ScheduleAt, best: number, chain: string): number {
  if (typeof at === 'number') {
    if (!Number.isSafeInteger(at) || at < 0)
      throw new BadInputError(`block ${at} is not a block number: give a whole number or { in: n }`);
    if (at <= best)
      throw new BadInputError(
        `block #${at} is not ahead of ${chain}'s best block #${best}: pick a later block (or +N blocks from now)`,
      );
    return at;
  }
  if (!Number.isSafeInteger(at.in) || at.in < 1)
    throw new BadInputError(`{ in: ${at.in} }: schedule at least 1 block ahead`);
  return best + at.in;
}

/** The CRU (units) the user holds on `api` (`foreignAssets`, keyed by Crust's location). */
async function cruHeld(api: ApiPromise, crustParaId: number, who: string): Promise<bigint> {
  const q = (api.query as any).foreignAssets?.account;
  if (!q) return 0n;
  const a = (await q(siblingLocation(crustParaId), who)) as any;
  return a.isSome ? a.unwrap().balance.toBigInt() : 0n;
}

/**
 * Schedules `market.add_prepaid(cid, amount)` on Crust for a block of `from`: checks the chain, the block and that the
 * account holds the quoted CRU, signs, and resolves once the schedule is in a block.
 *
 * @example
 * const r = await schedulePrepaid(connections, cid, 10n ** 12n, { from: 'oak', at: { in: 10 }, signer });
 * for await (const e of r.events) console.log(e.kind);
 */
export async function schedulePrepaid(
  c: ChainConnections,
  cid: string,
  amount: bigint,
  o: SchedulePrepaidOptions,
): Promise<ScheduledRenewal> {
  checkCid(cid);
  if (amount <= 0n) throw new BadInputError('the prepaid amount must be above 0');
  const api = await automationApi(c, o.from);
  const chain = c.chain(o.from);
  const crust = c.network.crust;
  const fee = ((await (api.call as any).xstorageAutomationApi.estimatePrepaidFee(amount)) as any).toBigInt();
  if (fee === 0n)
    throw new XstorageError(
      'ORDER_FAILED',
      `${chain.id} cannot send a renewal to Crust now (no fee parameters, or the amount overflows)`,
    );
  const held = await cruHeld(api, crust.paraId, o.signer.address);
  if (held < fee)
    throw new InsufficientBalanceError(
      `${o.signer.address} holds ${formatAmount(held, crust.decimals, crust.token)} on ${chain.id}; the renewal takes ${formatAmount(fee, crust.decimals, crust.token)} when it fires: get CRU on ${chain.id} first`,
      fee,
      held,
    );
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const atBlock = resolveAt(o.at, best, chain.id);
  const tx = (api.tx as any).xstorageAutomation.schedulePrepaid(cid, amount, atBlock);
  const inc = await signAndWait(api, tx, o.signer, `scheduling the renewal of ${cid}`, o.signal).catch(
    (err) => {
      if (err instanceof XstorageError && /NotInFuture$/.test((err as any).reason ?? ''))
        throw new BadInputError(
          `block #${atBlock} passed before the schedule was included: pick a later block (or more blocks ahead)`,
        );
      throw err;
    },
  );
  const scheduled = inc.events
    .map((e: any) => e.event)
    .find((e: any) => e.section === 'xstorageAutomation' && e.method === 'PrepaidScheduled');
  if (!scheduled)
    throw new XstorageError('ORDER_FAILED', `${chain.id} included the schedule but reported no task`);
  const taskId: string = scheduled.data.taskId.toHex();
  const first: RenewalEvent = {
    kind: 'scheduled',
    taskId,
    chain: chain.id,
    blockNumber: inc.blockNumber,
    blockHash: inc.blockHash,
    atBlock,
  };
  return {
    taskId,
    chain: chain.id,
    cid,
    amount,
    atBlock,
    blockNumber: inc.blockNumber,
    blockHash: inc.blockHash,
    fee,
    events: watchRenewal(c, { chain: chain.id, taskId, atBlock, from: inc.blockNumber + 1, first }, o),
  };
}

/**
 * Follows task `taskId` of `chain` (due at `atBlock`) from block `from` on: `sent`/`notSent`/`cancelled` by its block,
 * then Crust's answer.
 *
 * @example
 * for await (const e of watchRenewal(c, { chain: 'oak', taskId, atBlock, from })) console.log(e);
 */
export async function* watchRenewal(
  c: ChainConnections,
  t: { chain: string; taskId: string; atBlock: number; from: number; first?: RenewalEvent },
  o: { timeoutMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<RenewalEvent> {
  if (t.first) yield t.first;
  const ac = new AbortController();
  let timedOut = false;
  const timer =
    o.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          ac.abort();
        }, o.timeoutMs);
  const onAbort = () => ac.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) ac.abort();
  let stage = 'sent';
  try {
    const api = await c.api(t.chain);
    const crust = await c.api(c.network.crust.id);
    const mine = (e: any) => e.section === 'xstorageAutomation' && e.data.taskId?.toHex?.() === t.taskId;
    let sent = false;
    for await (const b of followBlocks(api, t.from, ac.signal)) {
      const events = (await eventsAt(api, b.hash)).map((r) => r.event).filter(mine);
      for (const e of events) {
        if (e.method === 'PrepaidCancelled') {
          yield { kind: 'cancelled', blockNumber: b.number };
          return;
        }
        if (e.method === 'PrepaidNotSent') {
          yield { kind: 'notSent', blockNumber: b.number, reason: e.data.reason.type };
          return;
        }
        if (e.method === 'PrepaidSent') {
          sent = true;
          stage = "Crust's answer";
          yield {
            kind: 'sent',
            blockNumber: b.number,
            paid: e.data.paid.toBigInt(),
            messageId: e.data.messageId.toHex(),
          };
        }
        if (e.method === 'PrepaidConfirmed') {
          yield { kind: 'confirmed', blockNumber: b.number, amount: e.data.amount.toBigInt() };
          return;
        }
        if (e.method === 'PrepaidFailed') {
          yield {
            kind: 'failed',
            blockNumber: b.number,
            reason: orderFailureReason(crust, e.data.error),
            refund: e.data.refund.toBigInt(),
          };
          return;
        }
      }
      if (!sent && b.number >= t.atBlock) {
        // Nothing for the task at its block: it was cancelled (events already past), or it never existed.
        const task = (await (api.call as any).xstorageAutomationApi.task(t.taskId)) as any;
        if (task.isNone) {
          yield { kind: 'cancelled', blockNumber: b.number };
          return;
        }
      }
    }
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (timedOut) throw new TimeoutError(`renewal ${t.taskId}: not ${stage} within ${o.timeoutMs} ms`);
}

/**
 * Cancels a task before its block (`cancel_prepaid`); only its owner may.
 *
 * @example
 * await cancelPrepaid(connections, taskId, { from: 'oak', signer });
 */
export async function cancelPrepaid(
  c: ChainConnections,
  taskId: string,
  o: { from: string; signer: XstorageSigner; signal?: AbortSignal },
): Promise<{ blockNumber: number; blockHash: string }> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(taskId))
    throw new BadInputError(`'${taskId}' is not a task id (0x and 64 hex digits)`);
  const api = await automationApi(c, o.from);
  const tx = (api.tx as any).xstorageAutomation.cancelPrepaid(taskId);
  const inc = await signAndWait(api, tx, o.signer, `cancelling renewal ${taskId}`, o.signal);
  return { blockNumber: inc.blockNumber, blockHash: inc.blockHash };
}
