/**
 * cumulus-pallet-xcmp-queue's types (cumulus/pallets/xcmp-queue, cumulus_primitives_core) under their Rust paths,
 * the channel view the pallet reads (`GetChannelInfo`, supplied by parachain-system), and the pallet's Config.
 */
import type { Origin } from '../../frame/origin.ts';
import type { Weight } from '../../frame/weights.ts';
import type { ParaId } from '../../parachains/ids.ts';
import { ParaIdCodec } from '../../parachains/ids.ts';
import type { Codec } from '../../scale/codec.ts';
import { enumeration, struct } from '../../scale/composite.ts';
import { bool, u16, u32 } from '../../scale/primitives.ts';
import type { QueueFootprint } from '../message-queue/types.ts';

const unitEnum = <N extends string>(shape: Record<N, readonly [number]>, path: string[]): Codec<N> =>
  enumeration(shape as Record<string, readonly [number]>)
    .named(path)
    .map(
      (v) => v.type as N,
      (type) => ({ type }),
    );

/** `cumulus_primitives_core::XcmpMessageFormat`: the first byte of every HRMP page. */
export type XcmpMessageFormat = 'ConcatenatedVersionedXcm' | 'ConcatenatedEncodedBlob' | 'Signals';
export const XcmpMessageFormatCodec: Codec<XcmpMessageFormat> = unitEnum(
  { ConcatenatedVersionedXcm: [0], ConcatenatedEncodedBlob: [1], Signals: [2] },
  ['cumulus_primitives_core', 'XcmpMessageFormat'],
);
export const FORMAT_BYTE: Record<XcmpMessageFormat, number> = {
  ConcatenatedVersionedXcm: 0,
  ConcatenatedEncodedBlob: 1,
  Signals: 2,
};

/** `ChannelSignal`: sent on a `Signals` page to the sibling at the other end of our inbound channel. */
export type ChannelSignal = 'Suspend' | 'Resume';
export const ChannelSignalCodec: Codec<ChannelSignal> = unitEnum({ Suspend: [0], Resume: [1] }, [
  'cumulus_pallet_xcmp_queue',
  'ChannelSignal',
]);

export type OutboundState = 'Ok' | 'Suspended';
export const OutboundStateCodec: Codec<OutboundState> = unitEnum({ Ok: [0], Suspended: [1] }, [
  'cumulus_pallet_xcmp_queue',
  'OutboundState',
]);

/** `OutboundChannelDetails`: pages `first_index..last_index` of `OutboundXcmpMessages` wait for `recipient`. */
export interface OutboundChannelDetails {
  recipient: ParaId;
  state: OutboundState;
  signals_exist: boolean;
  first_index: number;
  last_index: number;
}
export const OutboundChannelDetailsCodec: Codec<OutboundChannelDetails> = struct(
  {
    recipient: ParaIdCodec,
    state: OutboundStateCodec,
    signals_exist: bool,
    first_index: u16,
    last_index: u16,
  },
  {
    recipient: 'ParaId',
    state: 'OutboundState',
    signals_exist: 'bool',
    first_index: 'u16',
    last_index: 'u16',
  },
).named(['cumulus_pallet_xcmp_queue', 'OutboundChannelDetails']);

/** `QueueConfigData`: thresholds in pages of the sender's inbound queue (in MessageQueue). */
export interface QueueConfigData {
  suspend_threshold: number;
  drop_threshold: number;
  resume_threshold: number;
}
export const QueueConfigDataCodec: Codec<QueueConfigData> = struct(
  { suspend_threshold: u32, drop_threshold: u32, resume_threshold: u32 },
  { suspend_threshold: 'u32', drop_threshold: 'u32', resume_threshold: 'u32' },
).named(['cumulus_pallet_xcmp_queue', 'QueueConfigData']);

/** cumulus's genesis defaults: suspend at 32 pages, drop at 48, resume at 8. */
export const DEFAULT_QUEUE_CONFIG: QueueConfigData = {
  suspend_threshold: 32,
  drop_threshold: 48,
  resume_threshold: 8,
};

/** `QueueConfigData::validate`: resume < suspend <= drop, resume > 0. */
export function validQueueConfig(c: QueueConfigData): boolean {
  return (
    c.resume_threshold < c.suspend_threshold &&
    c.suspend_threshold <= c.drop_threshold &&
    c.resume_threshold > 0
  );
}

/** `cumulus_primitives_core::ChannelStatus` of an outbound channel, as parachain-system sees the relay. */
export type ChannelStatus =
  | { type: 'Closed' }
  | { type: 'Full' }
  /** A page smaller than `maxSizeNow` fits now; none larger than `maxSizeEver` ever will. */
  | { type: 'Ready'; maxSizeNow: number; maxSizeEver: number };

/** `cumulus_primitives_core::ChannelInfo`. */
export interface ChannelInfo {
  max_capacity: number;
  max_total_size: number;
  max_message_size: number;
  msg_count: number;
  total_size: number;
}

/** `GetChannelInfo` (parachain-system implements it from `RelevantMessagingState`). */
export interface GetChannelInfo {
  channelStatus(recipient: ParaId): ChannelStatus;
  channelInfo(recipient: ParaId): ChannelInfo | undefined;
}

/** `cumulus_primitives_core::MessageSendError`. */
export type MessageSendError = 'QueueFull' | 'NoChannel' | 'TooBig' | 'Other' | 'TooManyChannels';

/** `XcmpQueue: EnqueueMessage<ParaId>`: the inbound queue of each sibling (MessageQueue with origin Sibling). */
export interface InboundQueue {
  enqueueMessages(messages: Uint8Array[], sender: ParaId): void;
  footprint(sender: ParaId): QueueFootprint;
  /** `MaxXcmpMessageLenOf<T>`: the longest message the queue takes. */
  maxMessageLen(): number;
}

export interface XcmpQueueWeightInfo {
  setConfigWithU32: Weight;
  /** `enqueue_xcmp_messages(n)` = base + n × perMessage. */
  enqueueXcmpMessagesBase: Weight;
  enqueueXcmpMessagesPerMessage: Weight;
  suspendChannel: Weight;
  resumeChannel: Weight;
  splitConcatenatedXcm: Weight;
}

export interface XcmpQueueConfig<Price = unknown> {
  /** `ChannelInfo`: outbound channel state (parachain-system's `GetChannelInfo`). */
  channelInfo: GetChannelInfo;
  /** `XcmpQueue`: where inbound XCMs go (MessageQueue, origin Sibling(sender)). */
  inbound: InboundQueue;
  /** `MaxInboundSuspended` (cumulus templates: 1000). */
  maxInboundSuspended: number;
  /** `MaxActiveOutboundChannels` (templates: 128). */
  maxActiveOutboundChannels: number;
  /** `MaxPageSize` (templates: 1 << 16). */
  maxPageSize: number;
  /** `ControllerOrigin` for suspend/resume_xcm_execution; default Root. Throw a DispatchFailure to refuse. */
  ensureController?(origin: Origin): void;
  /**
   * `ControllerOriginConverter` + `ControllerOrigin` applied to `(Parent, Parachain(para))` as Superuser: whether
   * that sibling is the controller, whose queue stays open while execution is suspended. Default: none is.
   */
  isControllerSibling?(para: ParaId): boolean;
  /** `PriceForSiblingDelivery::price_for_delivery(para, message)`, given the channel's delivery fee factor. */
  priceForSiblingDelivery?(para: ParaId, encodedXcm: Uint8Array, feeFactor: bigint): Price;
  weights?: Partial<XcmpQueueWeightInfo>;
}
