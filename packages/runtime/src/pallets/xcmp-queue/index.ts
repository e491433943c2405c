export { takeFirstConcatenatedXcm } from './concatenated.ts';
export {
  decreaseFeeFactor,
  decreasedFeeFactor,
  EXPONENTIAL_FEE_BASE,
  increaseFeeFactor,
  increasedFeeFactor,
  messageSizeFactor,
  MESSAGE_SIZE_FEE_BASE,
  THRESHOLD_FACTOR,
} from './fee-factor.ts';
export { handleXcmpMessages, type InboundReport, isPaused, onQueueChanged } from './inbound.ts';
export {
  DEFAULT_WEIGHTS as XcmpQueueDefaultWeights,
  DeliveryFeeFactor,
  InboundXcmpSuspended,
  OutboundXcmpMessages,
  OutboundXcmpStatus,
  QueueConfig,
  QueueSuspended,
  SignalMessages,
  XcmpQueueError,
  XcmpQueueEvent,
} from './items.ts';
export {
  queuedPages,
  resumeChannel,
  sendFragment,
  sendSignal,
  suspendChannel,
  takeOutboundMessages,
} from './outbound.ts';
export { XcmpQueue } from './pallet.ts';
export { deliver, type SiblingSendError, type SiblingTicket, validateSend } from './router.ts';
export * from './types.ts';
