export {
  BookStateFor,
  DEFAULT_WEIGHTS as MessageQueueDefaultWeights,
  MessageQueueError,
  MessageQueueEvent,
  Pages,
  ServiceHead,
} from './items.ts';
export * from './page.ts';
export { MessageQueue } from './pallet.ts';
export {
  doExecuteOverweight,
  doReapPage,
  enqueueMessage,
  enqueueMessages,
  type ExecuteOverweightError,
  executeOverweight,
  footprint,
  MessageTooLongError,
  maxMessageLen,
  maxMessageWeight,
  serviceQueues,
  sweepQueue,
} from './queue.ts';
export * from './types.ts';
export { WeightMeter } from './weight-meter.ts';
