/**
 * The queues themselves (substrate/frame/message-queue `Pallet<T>` impl): enqueueing into a book of pages, the
 * ready ring of queues with unprocessed messages, servicing under a weight meter, overweight execution and page
 * reaping. Semantics follow polkadot-sdk step by step, including its weight checks before each step.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { DispatchFailure } from '../../frame/dispatch-error.ts';
import { state } from '../../frame/env.ts';
import { addWeight, anyGt, type Weight, weight } from '../../frame/weights.ts';
import {
  BookStateFor,
  MessageQueueError,
  MessageQueueEvent,
  p,
  Pages,
  ServiceHead,
  weights,
} from './items.ts';
import {
  isComplete,
  ITEM_HEADER_LEN,
  noteProcessedAtPos,
  type Page,
  pageFromMessage,
  peekFirst,
  peekIndex,
  skipFirst,
  tryAppendMessage,
} from './page.ts';
import { type BookState, footprintOf, type Neighbours, type QueueFootprint } from './types.ts';
import { WeightMeter } from './weight-meter.ts';

/** A message longer than `maxMessageLen()`: the caller must bound messages before enqueueing (a BoundedSlice). */
export class MessageTooLongError extends Error {
  override name = 'MessageTooLongError';
}

/** `MaxMessageLenOf<T>`: the heap size less one item header. */
export function maxMessageLen(): number {
  return Math.max(0, p.config().heapSize - ITEM_HEADER_LEN);
}

function encodeOrigin(origin: unknown): Uint8Array {
  return p.config().origin.encode(origin);
}

function sameOrigin(a: unknown, b: unknown): boolean {
  const ea = encodeOrigin(a);
  const eb = encodeOrigin(b);
  return ea.length === eb.length && ea.every((x, i) => x === eb[i]);
}

// ---- the ready ring ----------------------------------------------------------------------------------------------

/** `ready_ring_knit`: puts `origin` at the end of the ring (just before the service head). */
function readyRingKnit(origin: unknown): Neighbours | undefined {
  const head = ServiceHead.get();
  if (head === undefined) {
    ServiceHead.set(origin);
    return { prev: origin, next: origin };
  }
  const headBook = BookStateFor.get(head);
  const headNeighbours = headBook.ready_neighbours;
  if (!headNeighbours) return undefined;
  const tail = headNeighbours.prev;
  headBook.ready_neighbours = { prev: origin, next: headNeighbours.next };
  BookStateFor.set(head, headBook);
  const tailBook = BookStateFor.get(tail);
  if (!tailBook.ready_neighbours) return undefined;
  tailBook.ready_neighbours = { prev: tailBook.ready_neighbours.prev, next: origin };
  BookStateFor.set(tail, tailBook);
  return { next: head, prev: tail };
}

/** `ready_ring_unknit`. */
function readyRingUnknit(origin: unknown, neighbours: Neighbours): void {
  if (sameOrigin(origin, neighbours.next)) {
    ServiceHead.kill();
    return;
  }
  BookStateFor.mutate(neighbours.next, (b) => {
    if (b.ready_neighbours) b.ready_neighbours = { ...b.ready_neighbours, prev: neighbours.prev };
  });
  BookStateFor.mutate(neighbours.prev, (b) => {
    if (b.ready_neighbours) b.ready_neighbours = { ...b.ready_neighbours, next: neighbours.next };
  });
  const head = ServiceHead.get();
  if (head !== undefined && sameOrigin(head, origin)) ServiceHead.set(neighbours.next);
}

/** `bump_service_head`: returns the current head and moves the head on to its successor. */
function bumpServiceHead(meter: WeightMeter): unknown | undefined {
  if (!meter.tryConsume(weights().bumpServiceHead)) return undefined;
  const head = ServiceHead.get();
  if (head === undefined) return undefined;
  const neighbours = BookStateFor.get(head).ready_neighbours;
  if (!neighbours) return undefined;
  ServiceHead.set(neighbours.next);
  return head;
}

// ---- enqueueing (EnqueueMessage) ---------------------------------------------------------------------------------

function doEnqueueMessage(origin: unknown, message: Uint8Array): void {
  if (message.length > maxMessageLen())
    throw new MessageTooLongError(
      `message of ${message.length} bytes exceeds MaxMessageLen ${maxMessageLen()}`,
    );
  const book = BookStateFor.get(origin);
  book.message_count += 1n;
  book.size += BigInt(message.length);
  if (book.end > book.begin) {
    const last = book.end - 1;
    const page = Pages.get(origin, last);
    // A missing page is corruption (defensive! upstream): the message is dropped, the counts kept as upstream does.
    if (!page) return;
    if (tryAppendMessage(page, message, p.config().heapSize)) {
      Pages.set(origin, last, page);
      BookStateFor.set(origin, book);
      return;
    }
  } else {
    // Not ready, so not in the ring: knitting touches only other queues' books.
    const neighbours = readyRingKnit(origin);
    if (neighbours) book.ready_neighbours = neighbours;
  }
  book.end += 1;
  book.count += 1;
  Pages.set(origin, book.end - 1, pageFromMessage(message));
  BookStateFor.set(origin, book);
}

/** `EnqueueMessage::enqueue_message`; tells `onQueueChanged` the new footprint. */
export function enqueueMessage(message: Uint8Array, origin: unknown): void {
  doEnqueueMessage(origin, message);
  p.config().onQueueChanged?.(origin, footprint(origin));
}

/** `EnqueueMessage::enqueue_messages`: several messages, one `onQueueChanged` at the end. */
export function enqueueMessages(messages: Iterable<Uint8Array>, origin: unknown): void {
  for (const m of messages) doEnqueueMessage(origin, m);
  p.config().onQueueChanged?.(origin, footprint(origin));
}

/** `EnqueueMessage::sweep_queue`: forgets every unprocessed page of `origin`'s queue (they become stale). */
export function sweepQueue(origin: unknown): void {
  if (!BookStateFor.contains(origin)) return;
  const book = BookStateFor.get(origin);
  book.begin = book.end;
  const neighbours = book.ready_neighbours;
  book.ready_neighbours = undefined;
  if (neighbours) readyRingUnknit(origin, neighbours);
  BookStateFor.set(origin, book);
}

/** `EnqueueMessage::footprint`. */
export function footprint(origin: unknown): QueueFootprint {
  return footprintOf(BookStateFor.get(origin));
}

// ---- servicing (ServiceQueues) ------------------------------------------------------------------------------------

type MessageExecutionStatus =
  | 'InsufficientWeight'
  | 'Overweight'
  | 'Processed'
  | 'UnprocessableTemporary'
  | 'UnprocessablePermanent';

let servicing = false;

/** `with_service_mutex`: message processing must not re-enter servicing or overweight execution. */
function withServiceMutex<T>(fn: () => T): T | undefined {
  if (servicing) return undefined;
  servicing = true;
  try {
    return fn();
  } finally {
    servicing = false;
  }
}

/** `process_message_payload`: runs the processor in its own storage layer (rolled back on an error result). */
function processMessagePayload(
  origin: unknown,
  pageIndex: number,
  messageIndex: number,
  message: Uint8Array,
  meter: WeightMeter,
  overweightLimit: Weight,
): MessageExecutionStatus {
  const id = blake2_256(message);
  const overlay = state();
  overlay.startTransaction();
  let outcome: ReturnType<ReturnType<typeof p.config>['processMessage']>;
  try {
    outcome = p.config().processMessage({ message: message.slice(), origin, meter, id });
  } catch (err) {
    overlay.rollbackTransaction();
    throw err;
  }
  if (outcome.ok) overlay.commitTransaction();
  else overlay.rollbackTransaction();
  if (outcome.ok) {
    meter.consume(outcome.weightUsed);
    MessageQueueEvent.deposit({
      type: 'Processed',
      value: { id, origin, weight_used: outcome.weightUsed, success: outcome.success },
    });
    return 'Processed';
  }
  const error = outcome.error;
  outcome.afterRollback?.();
  switch (error.type) {
    case 'Overweight':
      if (anyGt(error.value, overweightLimit)) {
        MessageQueueEvent.deposit({
          type: 'OverweightEnqueued',
          value: { id, origin, page_index: pageIndex, message_index: messageIndex },
        });
        return 'Overweight';
      }
      return 'InsufficientWeight';
    case 'Yield':
      return 'UnprocessableTemporary';
    default:
      MessageQueueEvent.deposit({ type: 'ProcessingFailed', value: { id, origin, error } });
      return 'UnprocessablePermanent';
  }
}

type ItemStatus = 'Bailed' | 'NoProgress' | 'NoItem' | 'Processed' | 'Skipped';

/** `service_page_item`: the page's next message. */
function servicePageItem(
  origin: unknown,
  pageIndex: number,
  book: BookState,
  page: Page,
  meter: WeightMeter,
  overweightLimit: Weight,
): ItemStatus {
  if (isComplete(page)) return 'NoItem';
  if (!meter.tryConsume(weights().servicePageItem)) return 'Bailed';
  const payload = peekFirst(page);
  if (!payload) return 'NoItem';
  const status = processMessagePayload(origin, pageIndex, page.first_index, payload, meter, overweightLimit);
  if (status === 'InsufficientWeight') return 'Bailed';
  if (status === 'UnprocessableTemporary') return 'NoProgress';
  const processed = status !== 'Overweight';
  if (processed) {
    book.message_count = book.message_count > 0n ? book.message_count - 1n : 0n;
    const len = BigInt(payload.length);
    book.size = book.size > len ? book.size - len : 0n;
  }
  skipFirst(page, processed);
  return processed ? 'Processed' : 'Skipped';
}

type PageStatus = 'Bailed' | 'NoProgress' | 'NoMore';

/** `service_page`: as many messages of the book's `begin` page as the meter allows. */
function servicePage(
  origin: unknown,
  book: BookState,
  meter: WeightMeter,
  overweightLimit: Weight,
): [number, PageStatus] {
  const w = weights();
  const base = anyGt(w.servicePageBaseCompletion, w.servicePageBaseNoCompletion)
    ? w.servicePageBaseCompletion
    : w.servicePageBaseNoCompletion;
  if (!meter.tryConsume(base)) return [0, 'Bailed'];
  const pageIndex = book.begin;
  const page = Pages.get(origin, pageIndex);
  if (!page) return [0, 'NoMore'];
  let processed = 0;
  let status: PageStatus;
  for (;;) {
    const s = servicePageItem(origin, pageIndex, book, page, meter, overweightLimit);
    if (s === 'Bailed') {
      status = 'Bailed';
      break;
    }
    if (s === 'NoItem') {
      status = 'NoMore';
      break;
    }
    if (s === 'NoProgress') {
      status = 'NoProgress';
      break;
    }
    if (s === 'Processed') processed++;
  }
  if (isComplete(page)) {
    Pages.remove(origin, pageIndex);
    book.count = Math.max(0, book.count - 1);
  } else Pages.set(origin, pageIndex, page);
  return [processed, status];
}

/** `service_queue`: returns whether it made progress and the next ready queue. */
function serviceQueue(
  origin: unknown,
  meter: WeightMeter,
  overweightLimit: Weight,
): [boolean, unknown | undefined] {
  const w = weights();
  if (!meter.tryConsume(addWeight(w.serviceQueueBase, w.readyRingUnknit))) return [false, undefined];
  const book = BookStateFor.get(origin);
  if (p.config().isPaused?.(origin)) return [false, book.ready_neighbours?.next];
  let total = 0;
  while (book.end > book.begin) {
    const [processed, status] = servicePage(origin, book, meter, overweightLimit);
    total += processed;
    if (status === 'Bailed' || status === 'NoProgress') break;
    book.begin += 1;
  }
  const next = book.ready_neighbours?.next;
  if (book.begin >= book.end && book.ready_neighbours) {
    // No longer ready. Unknitting rewrites only the neighbours' books (never this one's).
    const neighbours = book.ready_neighbours;
    book.ready_neighbours = undefined;
    readyRingUnknit(origin, neighbours);
  }
  BookStateFor.set(origin, book);
  if (total > 0) p.config().onQueueChanged?.(origin, footprint(origin));
  return [total > 0, next];
}

function zeroWeight(w: Weight): boolean {
  return w.refTime === 0 && w.proofSize === 0;
}

function checkedSub(a: Weight, b: Weight): Weight | undefined {
  if (b.refTime > a.refTime || b.proofSize > a.proofSize) return undefined;
  return weight(a.refTime - b.refTime, a.proofSize - b.proofSize);
}

/** `single_msg_overhead`: the pallet's own weight around servicing one message. */
function singleMessageOverhead(): Weight {
  const w = weights();
  const base = anyGt(w.servicePageBaseCompletion, w.servicePageBaseNoCompletion)
    ? w.servicePageBaseCompletion
    : w.servicePageBaseNoCompletion;
  return [w.serviceQueueBase, base, w.servicePageItem, w.readyRingUnknit].reduce(
    addWeight,
    w.bumpServiceHead,
  );
}

/**
 * `max_message_weight`: the most one message may ever use; heavier ones are permanently overweight. The larger
 * of ServiceWeight and IdleMaxServiceWeight (or the given limit when neither is set), less the pallet's overhead.
 */
export function maxMessageWeight(limit: Weight): Weight | undefined {
  const c = p.config();
  const service = c.serviceWeight ?? weight(0);
  const idle = c.idleMaxServiceWeight ?? weight(0);
  const max = anyGt(service, idle) ? service : idle;
  return checkedSub(zeroWeight(max) ? limit : max, singleMessageOverhead());
}

/** `ServiceQueues::service_queues`: services ready queues round-robin until no progress or no weight is left. */
export function serviceQueues(weightLimit: Weight): Weight {
  const meter = new WeightMeter(weightLimit);
  const overweightLimit = maxMessageWeight(weightLimit) ?? weight(0);
  const done = withServiceMutex(() => {
    let next = bumpServiceHead(meter);
    if (next === undefined) return;
    let lastNoProgress: unknown | undefined;
    for (;;) {
      const [progressed, n] = serviceQueue(next, meter, overweightLimit);
      if (n === undefined) break;
      if (!progressed) {
        if (lastNoProgress !== undefined && sameOrigin(lastNoProgress, n)) break;
        if (lastNoProgress === undefined) lastNoProgress = next;
      } else lastNoProgress = undefined;
      next = n;
    }
  });
  // A recursive call (from inside a message) services nothing, as upstream's mutex makes it.
  void done;
  return meter.consumed();
}

// ---- overweight and reaping ---------------------------------------------------------------------------------------

/** `do_execute_overweight`: runs one skipped (overweight) message with up to `weightLimit`. */
export function doExecuteOverweight(
  origin: unknown,
  pageIndex: number,
  index: number,
  weightLimit: Weight,
): Weight {
  const result = withServiceMutex(() => executeOverweightInner(origin, pageIndex, index, weightLimit));
  if (result === undefined) throw MessageQueueError.fail('RecursiveDisallowed');
  return result;
}

const MAX_WEIGHT = weight(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

function executeOverweightInner(
  origin: unknown,
  pageIndex: number,
  index: number,
  weightLimit: Weight,
): Weight {
  const book = BookStateFor.get(origin);
  if (p.config().isPaused?.(origin)) throw MessageQueueError.fail('QueuePaused');
  const page = Pages.get(origin, pageIndex);
  if (!page) throw MessageQueueError.fail('NoPage');
  const item = peekIndex(page, index);
  if (!item) throw MessageQueueError.fail('NoMessage');
  if (!(pageIndex < book.begin || (pageIndex === book.begin && item.pos < page.first)))
    throw MessageQueueError.fail('Queued');
  if (item.processed) throw MessageQueueError.fail('AlreadyProcessed');
  const meter = new WeightMeter(weightLimit);
  // Never "permanently overweight" here: that would deposit a second OverweightEnqueued.
  const status = processMessagePayload(origin, pageIndex, index, item.payload, meter, MAX_WEIGHT);
  if (status === 'Overweight' || status === 'InsufficientWeight')
    throw MessageQueueError.fail('InsufficientWeight');
  if (status === 'UnprocessableTemporary') throw MessageQueueError.fail('TemporarilyUnprocessable');
  const len = BigInt(item.payload.length);
  noteProcessedAtPos(page, item.pos);
  book.message_count = book.message_count > 0n ? book.message_count - 1n : 0n;
  book.size = book.size > len ? book.size - len : 0n;
  let pageWeight: Weight;
  if (page.remaining === 0) {
    Pages.remove(origin, pageIndex);
    book.count = Math.max(0, book.count - 1);
    pageWeight = weights().executeOverweightPageRemoved;
  } else {
    Pages.set(origin, pageIndex, page);
    pageWeight = weights().executeOverweightPageUpdated;
  }
  BookStateFor.set(origin, book);
  p.config().onQueueChanged?.(origin, footprintOf(book));
  return addWeight(meter.consumed(), pageWeight);
}

export type ExecuteOverweightError =
  | 'NotFound'
  | 'AlreadyProcessed'
  | 'InsufficientWeight'
  | 'QueuePaused'
  | 'Other'
  | 'RecursiveDisallowed';

/** `ServiceQueues::execute_overweight`: the base weight is taken from `weightLimit` first. */
export function executeOverweight(
  weightLimit: Weight,
  address: { origin: unknown; page: number; index: number },
): { ok: Weight } | { err: ExecuteOverweightError } {
  const meter = new WeightMeter(weightLimit);
  const w = weights();
  const base = anyGt(w.executeOverweightPageRemoved, w.executeOverweightPageUpdated)
    ? w.executeOverweightPageRemoved
    : w.executeOverweightPageUpdated;
  if (!meter.tryConsume(base)) return { err: 'InsufficientWeight' };
  try {
    return { ok: doExecuteOverweight(address.origin, address.page, address.index, meter.remaining()) };
  } catch (err) {
    if (!(err instanceof DispatchFailure)) throw err;
    for (const [name, mapped] of [
      ['InsufficientWeight', 'InsufficientWeight'],
      ['AlreadyProcessed', 'AlreadyProcessed'],
      ['QueuePaused', 'QueuePaused'],
      ['NoPage', 'NotFound'],
      ['NoMessage', 'NotFound'],
      ['Queued', 'NotFound'],
      ['RecursiveDisallowed', 'RecursiveDisallowed'],
    ] as const) {
      if (MessageQueueError.is(err.error, name)) return { err: mapped };
    }
    return { err: 'Other' };
  }
}

/** `do_reap_page`: removes a page with nothing left to process, or a stale one beyond the MaxStale horizon. */
export function doReapPage(origin: unknown, pageIndex: number): void {
  const book = BookStateFor.get(origin);
  if (!(pageIndex < book.begin)) throw MessageQueueError.fail('NotReapable');
  const page = Pages.get(origin, pageIndex);
  if (!page) throw MessageQueueError.fail('NoPage');
  const reapable = page.remaining === 0;
  const cullable = () => {
    const total = book.count;
    const ready = Math.min(Math.max(0, book.end - book.begin), total);
    const stale = total - ready;
    const maxStale = p.config().maxStale;
    if (stale < maxStale + 1) return false;
    const overflow = stale - (maxStale + 1) + 1;
    const backlog = Math.max(Math.floor((maxStale * maxStale) / overflow), maxStale);
    const watermark = Math.max(0, book.begin - backlog);
    return pageIndex < watermark;
  };
  if (!reapable && !cullable()) throw MessageQueueError.fail('NotReapable');
  Pages.remove(origin, pageIndex);
  book.count = Math.max(0, book.count - 1);
  const remaining = BigInt(page.remaining);
  const remainingSize = BigInt(page.remaining_size);
  book.message_count = book.message_count > remaining ? book.message_count - remaining : 0n;
  book.size = book.size > remainingSize ? book.size - remainingSize : 0n;
  BookStateFor.set(origin, book);
  p.config().onQueueChanged?.(origin, footprintOf(book));
  MessageQueueEvent.deposit({ type: 'PageReaped', value: { origin, index: pageIndex } });
}
