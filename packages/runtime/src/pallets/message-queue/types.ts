/**
 * pallet-message-queue's types (substrate/frame/message-queue, frame_support::traits::messages) under their Rust
 * paths, and the pallet's Config: the runtime supplies the origin codec (`MessageOriginOf<T>`: on a parachain
 * cumulus's `AggregateMessageOrigin { Here, Parent, Sibling(ParaId) }`, on the relay `AggregateMessageOrigin { Ump(
 * UmpQueueId::Para(ParaId)) }`) and the message processor (the XCM executor, plugged in by the runtime).
 */
import { currentRuntime } from '../../frame/env.ts';
import { type Weight, WeightCodec } from '../../frame/weights.ts';
import { Codec } from '../../scale/codec.ts';
import { enumeration, option, struct } from '../../scale/composite.ts';
import { u32, u64 } from '../../scale/primitives.ts';
import type { WeightMeter } from './weight-meter.ts';

export const PALLET_NAME = 'MessageQueue';

/** `frame_support::traits::messages::ProcessMessageError` (variant indices as polkadot-sdk). */
export type ProcessMessageError =
  | { type: 'BadFormat' }
  | { type: 'Corrupt' }
  | { type: 'Unsupported' }
  /** Needs this much weight; more than the meter has left. */
  | { type: 'Overweight'; value: Weight }
  /** Try again later (e.g. the queue's consumer is suspended). */
  | { type: 'Yield' }
  | { type: 'StackLimitReached' };

export const ProcessMessageErrorCodec: Codec<ProcessMessageError> = enumeration({
  BadFormat: [0],
  Corrupt: [1],
  Unsupported: [2],
  Overweight: [3, WeightCodec],
  Yield: [4],
  StackLimitReached: [5],
}).named(['frame_support', 'traits', 'messages', 'ProcessMessageError']) as Codec<ProcessMessageError>;

/** What the processor made of one message. `weightUsed` is charged to the meter by the pallet. */
export type ProcessMessageOutcome =
  | { ok: true; success: boolean; weightUsed: Weight }
  | {
      ok: false;
      error: ProcessMessageError;
      /**
       * Runs after the processor's writes were rolled back, before `ProcessingFailed`: how a processor records why
       * it failed (e.g. pallet-xcm naming the barrier that refused the message) in an event that stays.
       */
      afterRollback?: () => void;
    };

export interface ProcessMessageArgs<O> {
  message: Uint8Array;
  origin: O;
  /** What is left to spend: a message needing more must answer `Overweight(required)` without running. */
  meter: WeightMeter;
  /** 32 bytes, initially blake2_256(message); the processor may overwrite it in place (XCM's `SetTopic`). */
  id: Uint8Array;
}

/** `frame_support::traits::QueueFootprint`: what xcmp-queue's thresholds look at. */
export interface QueueFootprint {
  /** Pages stored, including stale ones holding only overweight messages. */
  pages: number;
  /** Pages with messages still to service (`end - begin`). */
  readyPages: number;
  /** Unprocessed messages and their total size. */
  count: bigint;
  size: bigint;
}

/** The per-operation weights (`WeightInfo`); defaults are polkadot-sdk's SubstrateWeight with RocksDbWeight. */
export interface MessageQueueWeightInfo {
  readyRingKnit: Weight;
  readyRingUnknit: Weight;
  serviceQueueBase: Weight;
  servicePageBaseCompletion: Weight;
  servicePageBaseNoCompletion: Weight;
  servicePageItem: Weight;
  bumpServiceHead: Weight;
  reapPage: Weight;
  executeOverweightPageRemoved: Weight;
  executeOverweightPageUpdated: Weight;
}

export interface MessageQueueConfig<O = any> {
  /** Codec of `MessageOriginOf<T>`; values must have a total order (used as map keys and in events). */
  origin: Codec<O>;
  /** `MessageProcessor::process_message`. Runs in its own storage layer: an error result rolls its writes back. */
  processMessage(args: ProcessMessageArgs<O>): ProcessMessageOutcome;
  /** `HeapSize`: bytes of a page's heap; a message may be up to `heapSize - 5` bytes. */
  heapSize: number;
  /** `MaxStale`: stale pages (holding only overweight messages) kept before old ones may be culled. */
  maxStale: number;
  /** `ServiceWeight`: what `on_initialize` may spend servicing queues (none: no servicing there). */
  serviceWeight?: Weight;
  /** `IdleMaxServiceWeight`: the most `on_idle` may spend (none: no servicing there). */
  idleMaxServiceWeight?: Weight;
  /** `QueueChangeHandler::on_queue_changed` (xcmp-queue's suspend/resume thresholds). */
  onQueueChanged?(origin: O, footprint: QueueFootprint): void;
  /** `QueuePausedQuery::is_paused`: a paused queue is neither serviced nor has overweight executed. */
  isPaused?(origin: O): boolean;
  weights?: Partial<MessageQueueWeightInfo>;
}

export class MessageQueueConfigError extends Error {
  override name = 'MessageQueueConfigError';
}

/** The current runtime's MessageQueue config (also outside an env, while its outer enums are being coded). */
export function currentConfig(): MessageQueueConfig {
  const runtime = currentRuntime();
  if (!runtime)
    throw new MessageQueueConfigError('MessageQueue types need a runtime (run inside runtime.execute)');
  const config = runtime.palletConfig(PALLET_NAME) as MessageQueueConfig | undefined;
  if (!config) throw new MessageQueueConfigError('the current runtime has no MessageQueue pallet');
  return config;
}

class LateBoundOrigin extends Codec<any> {
  constructor() {
    super(
      (w, v) => currentConfig().origin.write(w, v),
      (r) => currentConfig().origin.read(r),
      () => currentConfig().origin.info,
      1,
      (a, b) => currentConfig().origin.compare(a, b),
    );
  }

  override get info() {
    return currentConfig().origin.info;
  }
}

/** `MessageOriginOf<T>`: the current runtime's origin codec. */
export const MessageOrigin: Codec<any> = new LateBoundOrigin();

export interface Neighbours<O = any> {
  prev: O;
  next: O;
}

export const NeighboursCodec: Codec<Neighbours> = struct(
  { prev: MessageOrigin, next: MessageOrigin },
  { prev: 'MessageOrigin', next: 'MessageOrigin' },
).named(['pallet_message_queue', 'Neighbours'], { params: [{ name: 'MessageOrigin', type: MessageOrigin }] });

/** `pallet_message_queue::BookState<MessageOrigin>`: one queue's pages and place in the ready ring. */
export interface BookState<O = any> {
  /** First page with items to process; `begin >= end` means none. */
  begin: number;
  /** One past the last page with items to process. */
  end: number;
  /** Pages stored, including stale ones before `begin` that still hold overweight messages. */
  count: number;
  ready_neighbours: Neighbours<O> | undefined;
  message_count: bigint;
  size: bigint;
}

export const BookStateCodec: Codec<BookState> = struct(
  {
    begin: u32,
    end: u32,
    count: u32,
    ready_neighbours: option(NeighboursCodec),
    message_count: u64,
    size: u64,
  },
  {
    begin: 'PageIndex',
    end: 'PageIndex',
    count: 'PageIndex',
    ready_neighbours: 'Option<Neighbours<MessageOrigin>>',
    message_count: 'u64',
    size: 'u64',
  },
).named(['pallet_message_queue', 'BookState'], {
  params: [{ name: 'MessageOrigin', type: MessageOrigin }],
}) as Codec<BookState>;

export const emptyBookState = (): BookState => ({
  begin: 0,
  end: 0,
  count: 0,
  ready_neighbours: undefined,
  message_count: 0n,
  size: 0n,
});

export function footprintOf(book: BookState): QueueFootprint {
  return {
    pages: book.count,
    readyPages: Math.max(0, book.end - book.begin),
    count: book.message_count,
    size: book.size,
  };
}
