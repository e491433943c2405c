/**
 * The relay chain's upward message path (polkadot-sdk's `inclusion::AggregateMessageOrigin` and `UmpQueueId`):
 * upward messages of an included candidate go into MessageQueue under `Ump(Para(id))`; the queue's footprint is what
 * inclusion checks a candidate's UMP messages against; MessageQueue hands each to the relay's XCM executor.
 */
import type { QueueFootprint } from '../../pallets/message-queue/index.ts';
import { enqueueMessages, footprint } from '../../pallets/message-queue/index.ts';
import type { UpwardQueueFootprint } from '../../pallets/relay/index.ts';
import { type ParaId, ParaIdCodec } from '../../parachains/ids.ts';
import { type Codec, enumeration } from '../../scale/index.ts';

export type UmpQueueId = { type: 'Para'; value: ParaId };
export type RelayMessageOrigin = { type: 'Ump'; value: UmpQueueId };

export const UmpQueueIdCodec: Codec<UmpQueueId> = enumeration({ Para: [0, ParaIdCodec] }).named([
  'polkadot_runtime_parachains',
  'inclusion',
  'UmpQueueId',
]) as Codec<UmpQueueId>;

export const RelayMessageOriginCodec: Codec<RelayMessageOrigin> = enumeration({
  Ump: [0, UmpQueueIdCodec],
}).named(['polkadot_runtime_parachains', 'inclusion', 'AggregateMessageOrigin']) as Codec<RelayMessageOrigin>;

export const umpOrigin = (para: ParaId): RelayMessageOrigin => ({
  type: 'Ump',
  value: { type: 'Para', value: para },
});

/** `ParaInclusion`'s hooks into MessageQueue. */
export const relayUpward = {
  receiveUpward: (para: ParaId, messages: Uint8Array[]) => enqueueMessages(messages, umpOrigin(para)),
  upwardQueueFootprint: (para: ParaId): UpwardQueueFootprint => {
    const f: QueueFootprint = footprint(umpOrigin(para));
    return { count: Number(f.count), size: Number(f.size) };
  },
};
