/** pallet-message-queue storage, events and errors, with polkadot-sdk's names, hashers and indices. */
import { H256 } from '../../extrinsic/primitives.ts';
import { pallet } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, WeightCodec, weight } from '../../frame/weights.ts';
import { bool, bytesFixed, u32 } from '../../scale/primitives.ts';
import { PageCodec } from './page.ts';
import {
  BookStateCodec,
  emptyBookState,
  type MessageQueueConfig,
  type MessageQueueWeightInfo,
  MessageOrigin,
  PALLET_NAME,
  ProcessMessageErrorCodec,
} from './types.ts';

export const p = pallet<MessageQueueConfig>(PALLET_NAME, { module: 'pallet_message_queue' });

export const BookStateFor = p.map('BookStateFor', ['Twox64Concat', MessageOrigin], BookStateCodec, {
  default: emptyBookState(),
  docs: [' The index of the first and last (non-empty) pages.'],
});
export const ServiceHead = p.value('ServiceHead', MessageOrigin, {
  docs: [' The origin at which we should begin servicing.'],
});
export const Pages = p.doubleMap('Pages', ['Twox64Concat', MessageOrigin], ['Twox64Concat', u32], PageCodec, {
  docs: [' The map of page indices to pages.'],
});

export const MessageQueueEvent = p.events({
  ProcessingFailed: [
    0,
    { id: H256, origin: MessageOrigin, error: ProcessMessageErrorCodec },
    [' Message discarded due to an error in the `MessageProcessor` (usually a format error).'],
  ],
  Processed: [
    1,
    { id: H256, origin: MessageOrigin, weight_used: WeightCodec, success: bool },
    [' Message is processed.'],
  ],
  OverweightEnqueued: [
    2,
    { id: bytesFixed(32), origin: MessageOrigin, page_index: u32, message_index: u32 },
    [' Message placed in overweight queue.'],
  ],
  PageReaped: [3, { origin: MessageOrigin, index: u32 }, [' This page was reaped.']],
});

export const MessageQueueError = p.errors({
  NotReapable: [
    0,
    [' Page is not reapable because it has items remaining to be processed and is not old', ' enough.'],
  ],
  NoPage: [1, [' Page to be reaped does not exist.']],
  NoMessage: [2, [' The referenced message could not be found.']],
  AlreadyProcessed: [3, [' The message was already processed and cannot be processed again.']],
  Queued: [4, [' The message is queued for future execution.']],
  InsufficientWeight: [5, [' There is temporarily not enough weight to continue servicing messages.']],
  TemporarilyUnprocessable: [6, [' This message is temporarily unprocessable.']],
  QueuePaused: [7, [' The queue is paused and no message can be executed from it.']],
  RecursiveDisallowed: [8, [' Another call is in progress and needs to finish before this call can happen.']],
});

export type MessageQueueErrorName = Parameters<typeof MessageQueueError.fail>[0];

const db = (reads: number, writes: number): Weight =>
  weight(reads * Number(ROCKS_DB_WEIGHT.read) + writes * Number(ROCKS_DB_WEIGHT.write), 0);

/** polkadot-sdk substrate/frame/message-queue/src/weights.rs, SubstrateWeight with RocksDbWeight. */
export const DEFAULT_WEIGHTS: MessageQueueWeightInfo = {
  readyRingKnit: addWeight(weight(14_601_000, 6038), db(3, 2)),
  readyRingUnknit: addWeight(weight(13_649_000, 6038), db(3, 3)),
  serviceQueueBase: addWeight(weight(5_088_000, 3514), db(1, 1)),
  servicePageBaseCompletion: addWeight(weight(7_437_000, 69049), db(1, 1)),
  servicePageBaseNoCompletion: addWeight(weight(7_716_000, 69049), db(1, 1)),
  servicePageItem: addWeight(weight(179_759_000, 0), db(0, 2)),
  bumpServiceHead: addWeight(weight(9_715_000, 3514), db(2, 1)),
  reapPage: addWeight(weight(61_305_000, 69049), db(2, 2)),
  executeOverweightPageRemoved: addWeight(weight(78_658_000, 69049), db(2, 2)),
  executeOverweightPageUpdated: addWeight(weight(124_236_000, 69049), db(2, 2)),
};

export function weights(): MessageQueueWeightInfo {
  const w = p.config().weights;
  return w ? { ...DEFAULT_WEIGHTS, ...w } : DEFAULT_WEIGHTS;
}
