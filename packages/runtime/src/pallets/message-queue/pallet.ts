/**
 * pallet_message_queue (polkadot-sdk substrate/frame/message-queue): `MessageQueue` as parachains and the relay
 * compose it. Calls `reap_page` (0) and `execute_overweight` (1), both by any signed account; servicing in
 * `on_initialize` (ServiceWeight) and `on_idle` (IdleMaxServiceWeight); constants HeapSize, MaxStale,
 * ServiceWeight, IdleMaxServiceWeight.
 */
import { ensureSigned } from '../../frame/origin.ts';
import { call, constant } from '../../frame/pallet.ts';
import { addWeight, anyGt, minWeight, type Weight, WeightCodec, weight } from '../../frame/weights.ts';
import { option } from '../../scale/composite.ts';
import { u32 } from '../../scale/primitives.ts';
import { p, weights } from './items.ts';
import { doExecuteOverweight, doReapPage, serviceQueues } from './queue.ts';
import { type MessageQueueConfig, MessageOrigin } from './types.ts';

const maxOf = (a: Weight, b: Weight) => (anyGt(a, b) ? a : b);

export const MessageQueue = p.build({
  docs: [],
  calls: {
    reap_page: call(
      0,
      { message_origin: MessageOrigin, page_index: u32 },
      {
        weight: () => weights().reapPage,
        dispatch(origin, { message_origin, page_index }) {
          ensureSigned(origin);
          doReapPage(message_origin, page_index);
        },
        typeNames: { message_origin: 'MessageOriginOf<T>', page_index: 'PageIndex' },
        docs: [' Remove a page which has no more messages remaining to be processed or is stale.'],
      },
    ),
    execute_overweight: call(
      1,
      { message_origin: MessageOrigin, page: u32, index: u32, weight_limit: WeightCodec },
      {
        weight: ({ weight_limit }) =>
          addWeight(
            maxOf(weights().executeOverweightPageUpdated, weights().executeOverweightPageRemoved),
            weight_limit,
          ),
        dispatch(origin, { message_origin, page, index, weight_limit }) {
          ensureSigned(origin);
          const actualWeight = doExecuteOverweight(message_origin, page, index, weight_limit);
          return { actualWeight };
        },
        typeNames: {
          message_origin: 'MessageOriginOf<T>',
          page: 'PageIndex',
          index: 'T::Size',
          weight_limit: 'Weight',
        },
        docs: [
          ' Execute an overweight message.',
          '',
          ' Temporary processing errors will be propagated whereas permanent errors are treated',
          ' as success condition.',
          '',
          ' - `origin`: Must be `Signed`.',
          ' - `message_origin`: The origin from which the message to be executed arrived.',
          ' - `page`: The page in the queue in which the message to be executed is sitting.',
          ' - `index`: The index into the queue of the message to be executed.',
          ' - `weight_limit`: The maximum amount of weight allowed to be consumed in the execution',
          '   of the message.',
        ],
      },
    ),
  },
  constants: {
    HeapSize: constant(u32, (c: MessageQueueConfig) => c.heapSize, [
      ' The size of the page; this implies the maximum message size which can be sent.',
    ]),
    MaxStale: constant(u32, (c: MessageQueueConfig) => c.maxStale, [
      ' The maximum number of stale pages (i.e. of overweight messages) allowed before culling',
      ' can happen. Once there are more stale pages than this, then historical pages may be',
      ' dropped, even if they contain unprocessed overweight messages.',
    ]),
    ServiceWeight: constant(option(WeightCodec), (c: MessageQueueConfig) => c.serviceWeight, [
      ' The amount of weight (if any) which should be provided to the message queue for',
      ' servicing enqueued items `on_initialize`.',
    ]),
    IdleMaxServiceWeight: constant(option(WeightCodec), (c: MessageQueueConfig) => c.idleMaxServiceWeight, [
      ' The maximum amount of weight (if any) to be used from remaining weight `on_idle` which',
      ' should be provided to the message queue for servicing enqueued items `on_idle`.',
    ]),
  },
  hooks: {
    onInitialize() {
      const limit = p.config().serviceWeight;
      return limit ? serviceQueues(limit) : weight(0);
    },
    onIdle(_n, remaining) {
      const limit = p.config().idleMaxServiceWeight;
      return limit ? serviceQueues(minWeight(limit, remaining)) : weight(0);
    },
  },
});
