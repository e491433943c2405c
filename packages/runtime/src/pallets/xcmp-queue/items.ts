/** cumulus-pallet-xcmp-queue storage, events and errors, with cumulus's names, hashers, defaults and indices. */
import { pallet } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, weight } from '../../frame/weights.ts';
import { ParaIdCodec } from '../../parachains/ids.ts';
import { boundedVec } from '../../parachains/messages.ts';
import { btreeSet } from '../../scale/composite.ts';
import { bool, bytes, bytesFixed, u16 } from '../../scale/primitives.ts';
import { FIXED_ONE, FixedU128Codec } from '../transaction-payment/index.ts';
import {
  DEFAULT_QUEUE_CONFIG,
  OutboundChannelDetailsCodec,
  QueueConfigDataCodec,
  type XcmpQueueConfig,
  type XcmpQueueWeightInfo,
} from './types.ts';

export const p = pallet<XcmpQueueConfig>('XcmpQueue', { module: 'cumulus_pallet_xcmp_queue' });

/** `BoundedBTreeSet<ParaId, MaxInboundSuspended>`. */
const SuspendedSetCodec = btreeSet(ParaIdCodec).named(
  ['bounded_collections', 'bounded_btree_set', 'BoundedBTreeSet'],
  { params: [{ name: 'T', type: ParaIdCodec }, { name: 'S' }] },
);

export const InboundXcmpSuspended = p.value('InboundXcmpSuspended', SuspendedSetCodec, {
  default: new Set<number>(),
  docs: [' The suspended inbound XCMP channels. All others are not suspended.'],
});
export const OutboundXcmpStatus = p.value(
  'OutboundXcmpStatus',
  boundedVec(OutboundChannelDetailsCodec, Number.MAX_SAFE_INTEGER),
  {
    default: [],
    docs: [
      ' The non-empty XCMP channels in order of becoming non-empty, and the index of the first',
      ' and last outbound message. If the two indices are equal, then it indicates an empty',
      ' queue and there must be a non-`Ok` `OutboundStatus`. We assume queues grow no greater',
      ' than 65535 items. Queue indices for normal messages begin at one; zero is reserved in',
      ' case of the need to send a high-priority signal message this block.',
      ' The bool is true if there is a signal message waiting to be sent.',
    ],
  },
);
/** `WeakBoundedVec<u8, MaxPageSize>` pages, each starting with its format byte. */
export const OutboundXcmpMessages = p.doubleMap(
  'OutboundXcmpMessages',
  ['Blake2_128Concat', ParaIdCodec],
  ['Twox64Concat', u16],
  bytes,
  { default: new Uint8Array(0), docs: [' The messages outbound in a given XCMP channel.'] },
);
export const SignalMessages = p.map('SignalMessages', ['Blake2_128Concat', ParaIdCodec], bytes, {
  default: new Uint8Array(0),
  docs: [' Any signal messages waiting to be sent.'],
});
export const QueueConfig = p.value('QueueConfig', QueueConfigDataCodec, {
  default: DEFAULT_QUEUE_CONFIG,
  docs: [' The configuration which controls the dynamics of the outbound queue.'],
});
export const QueueSuspended = p.value('QueueSuspended', bool, {
  default: false,
  docs: [' Whether or not the XCMP queue is suspended from executing incoming XCMs or not.'],
});
export const DeliveryFeeFactor = p.map('DeliveryFeeFactor', ['Twox64Concat', ParaIdCodec], FixedU128Codec, {
  default: FIXED_ONE,
  docs: [' The factor to multiply the base delivery fee by.'],
});

export const XcmpQueueEvent = p.events({
  XcmpMessageSent: [
    0,
    { message_hash: bytesFixed(32) },
    [' An HRMP message was sent to a sibling parachain.'],
  ],
});

export const XcmpQueueError = p.errors({
  BadQueueConfig: [0, [' Setting the queue config failed since one of its values was invalid.']],
  AlreadySuspended: [1, [' The execution is already suspended.']],
  AlreadyResumed: [2, [' The execution is already resumed.']],
  TooManyActiveOutboundChannels: [3, [' There are too many active outbound channels.']],
  TooBig: [4, [' The message is too big.']],
});

const db = (reads: number, writes: number): Weight =>
  weight(reads * Number(ROCKS_DB_WEIGHT.read) + writes * Number(ROCKS_DB_WEIGHT.write), 0);

/** cumulus/pallets/xcmp-queue/src/weights.rs (SubstrateWeight with RocksDbWeight). */
export const DEFAULT_WEIGHTS: XcmpQueueWeightInfo = {
  setConfigWithU32: addWeight(weight(3_377_000, 1561), db(1, 1)),
  enqueueXcmpMessagesBase: addWeight(weight(5_457_000, 3517), db(4, 3)),
  enqueueXcmpMessagesPerMessage: weight(4_706_303, 0),
  suspendChannel: addWeight(weight(2_233_000, 1561), db(1, 1)),
  resumeChannel: addWeight(weight(2_871_000, 1596), db(1, 1)),
  splitConcatenatedXcm: weight(30_651_000, 0),
};

export function weights(): XcmpQueueWeightInfo {
  const w = p.config().weights;
  return w ? { ...DEFAULT_WEIGHTS, ...w } : DEFAULT_WEIGHTS;
}

/** `WeightInfo::enqueue_xcmp_messages(n)`. */
export function enqueueWeight(n: number): Weight {
  const w = weights();
  return addWeight(w.enqueueXcmpMessagesBase, {
    refTime: w.enqueueXcmpMessagesPerMessage.refTime * n,
    proofSize: w.enqueueXcmpMessagesPerMessage.proofSize * n,
  });
}
