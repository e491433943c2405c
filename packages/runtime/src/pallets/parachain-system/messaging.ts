/**
 * The standard cumulus messaging wiring of a parachain runtime, as the polkadot-sdk parachain template composes it:
 * MessageQueue keyed by `AggregateMessageOrigin` (Parent for DMP, Sibling(id) for XCMP); XcmpQueue enqueueing into
 * it (`TransformOrigin<MessageQueue, AggregateMessageOrigin, ParaId, ParaIdToSibling>`) and watching its footprint
 * (`NarrowOriginToSibling<XcmpQueue>` as QueueChangeHandler and QueuePausedQuery); ParachainSystem handing downward
 * messages to it (`EnqueueWithOrigin<MessageQueue, RelayOrigin>`), horizontal ones to XcmpQueue, and taking
 * XcmpQueue's outbound pages; XcmpQueue reading channels from ParachainSystem. The runtime supplies the message
 * processor (the XCM executor) and the sizes.
 */
import type { Weight } from '../../frame/weights.ts';
import type { ParaId } from '../../parachains/ids.ts';
import {
  enqueueMessages,
  footprint,
  type MessageQueueConfig,
  type MessageQueueWeightInfo,
  maxMessageLen,
  type ProcessMessageArgs,
  type ProcessMessageOutcome,
} from '../message-queue/index.ts';
import {
  handleXcmpMessages,
  isPaused,
  onQueueChanged,
  takeOutboundMessages,
  type XcmpQueueConfig,
} from '../xcmp-queue/index.ts';
import { parachainChannelInfo } from './outbound.ts';
import type { AggregateMessageOrigin, ParachainSystemConfig, RelayNumberRule } from './types.ts';
import { AggregateMessageOriginCodec } from './types.ts';

export const PARENT_ORIGIN: AggregateMessageOrigin = { type: 'Parent' };
export const siblingOrigin = (id: ParaId): AggregateMessageOrigin => ({ type: 'Sibling', value: id });

export interface ParachainMessagingOptions<Price = unknown> {
  selfParaId: ParaId | (() => ParaId);
  /** The XCM executor behind MessageQueue (`ProcessXcmMessage`). */
  processMessage(args: ProcessMessageArgs<AggregateMessageOrigin>): ProcessMessageOutcome;
  /** MessageQueue `HeapSize` (template: 103 KiB). */
  heapSize?: number;
  maxStale?: number;
  /** MessageQueue `ServiceWeight` (template: 35% of the block). */
  serviceWeight?: Weight;
  idleMaxServiceWeight?: Weight;
  reservedXcmpWeight: Weight;
  reservedDmpWeight: Weight;
  checkAssociatedRelayNumber?: RelayNumberRule;
  expectParentIncluded?: boolean;
  /** XcmpQueue `MaxPageSize` (template: 1 << 16). */
  maxPageSize?: number;
  maxInboundSuspended?: number;
  maxActiveOutboundChannels?: number;
  priceForSiblingDelivery?: XcmpQueueConfig<Price>['priceForSiblingDelivery'];
  isControllerSibling?: XcmpQueueConfig<Price>['isControllerSibling'];
  messageQueueWeights?: Partial<MessageQueueWeightInfo>;
  xcmpQueueWeights?: XcmpQueueConfig<Price>['weights'];
  parachainSystemWeights?: ParachainSystemConfig['weights'];
  onValidationData?: ParachainSystemConfig['onValidationData'];
}

export function parachainMessagingConfigs<Price = unknown>(
  o: ParachainMessagingOptions<Price>,
): {
  messageQueue: MessageQueueConfig<AggregateMessageOrigin>;
  xcmpQueue: XcmpQueueConfig<Price>;
  parachainSystem: ParachainSystemConfig;
} {
  const messageQueue: MessageQueueConfig<AggregateMessageOrigin> = {
    origin: AggregateMessageOriginCodec,
    processMessage: o.processMessage,
    heapSize: o.heapSize ?? 103 * 1024,
    maxStale: o.maxStale ?? 8,
    serviceWeight: o.serviceWeight,
    idleMaxServiceWeight: o.idleMaxServiceWeight,
    // NarrowOriginToSibling<XcmpQueue>: only sibling queues have thresholds and can be paused.
    onQueueChanged: (origin, fp) => {
      if (origin.type === 'Sibling') onQueueChanged(origin.value, fp);
    },
    isPaused: (origin) => origin.type === 'Sibling' && isPaused(origin.value),
    weights: o.messageQueueWeights,
  };
  const xcmpQueue: XcmpQueueConfig<Price> = {
    channelInfo: parachainChannelInfo,
    inbound: {
      enqueueMessages: (messages, sender) => enqueueMessages(messages, siblingOrigin(sender)),
      footprint: (sender) => footprint(siblingOrigin(sender)),
      maxMessageLen,
    },
    maxInboundSuspended: o.maxInboundSuspended ?? 1000,
    maxActiveOutboundChannels: o.maxActiveOutboundChannels ?? 128,
    maxPageSize: o.maxPageSize ?? 1 << 16,
    priceForSiblingDelivery: o.priceForSiblingDelivery,
    isControllerSibling: o.isControllerSibling,
    weights: o.xcmpQueueWeights,
  };
  const parachainSystem: ParachainSystemConfig = {
    selfParaId: o.selfParaId,
    dmpQueue: { handleMessages: (messages) => enqueueMessages(messages, PARENT_ORIGIN), maxMessageLen },
    xcmpMessageHandler: { handleXcmpMessages: (pages, maxWeight) => handleXcmpMessages(pages, maxWeight) },
    outboundXcmpMessageSource: { takeOutboundMessages },
    reservedXcmpWeight: o.reservedXcmpWeight,
    reservedDmpWeight: o.reservedDmpWeight,
    checkAssociatedRelayNumber: o.checkAssociatedRelayNumber ?? 'MonotonicallyIncreases',
    expectParentIncluded: o.expectParentIncluded,
    onValidationData: o.onValidationData,
    weights: o.parachainSystemWeights,
  };
  return { messageQueue, xcmpQueue, parachainSystem };
}
