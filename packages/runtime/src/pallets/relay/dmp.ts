/**
 * `polkadot_runtime_parachains::dmp` (pallet `Dmp`): downward message queues (relay → para), their MQC heads (at the
 * well-known key `dmq_mqc_head`), and the delivery fee factor that grows while a queue is past half its hard limit.
 * `queueDownwardMessage` is what the relay's XCM router calls; inclusion checks `processed_downward_messages` and
 * prunes what a candidate processed.
 */
import { H256 } from '../../extrinsic/primitives.ts';
import { pallet } from '../../frame/pallet.ts';
import { type ParaId, ParaIdCodec } from '../../parachains/ids.ts';
import {
  EMPTY_MQC_HEAD,
  extendDownwardMqc,
  type InboundDownwardMessage,
  InboundDownwardMessageCodec,
} from '../../parachains/messages.ts';
import { vec } from '../../scale/index.ts';
import { blockNumber } from '../system/block.ts';
import { FIXED_ONE, FixedU128Codec } from '../transaction-payment/items.ts';
import { activeConfig } from './configuration.ts';
import { isValidPara } from './paras.ts';

/** `sp_core::MAX_POSSIBLE_ALLOCATION` (32 MiB): bounds a queue at this / max_downward_message_size messages. */
export const MAX_POSSIBLE_ALLOCATION = 33_554_432;
const THRESHOLD_FACTOR = 2;
/** 1.05 */
const EXPONENTIAL_FEE_BASE = 1_050_000_000_000_000_000n;
/** 0.001 per KiB of message. */
const MESSAGE_SIZE_FEE_BASE = 1_000_000_000_000_000n;

const p = pallet<{}>('Dmp', { module: 'polkadot_runtime_parachains::dmp' });

export const DownwardMessageQueues = p.map(
  'DownwardMessageQueues',
  ['Twox64Concat', ParaIdCodec],
  vec(InboundDownwardMessageCodec),
  { default: [], docs: [' The downward messages addressed for a certain para.'] },
);
export const DownwardMessageQueueHeads = p.map(
  'DownwardMessageQueueHeads',
  ['Twox64Concat', ParaIdCodec],
  H256,
  {
    default: EMPTY_MQC_HEAD,
    docs: [
      ' A mapping that stores the downward message queue MQC head for each para.',
      '',
      ' Each link in this chain has a form:',
      ' `(prev_head, B, H(M))`, where',
      ' - `prev_head`: is the previous head hash or zero if none.',
      ' - `B`: is the relay-chain block number in which a message was appended.',
      ' - `H(M)`: is the hash of the message being appended.',
    ],
  },
);
export const DeliveryFeeFactor = p.map('DeliveryFeeFactor', ['Twox64Concat', ParaIdCodec], FixedU128Codec, {
  default: FIXED_ONE,
  docs: [' The factor to multiply the base delivery fee by.'],
});

export const Dmp = p.build({ docs: [' Downward message passing: relay → para queues.'] });

/** Why a downward message was not queued (polkadot-sdk `QueueDownwardMessageError`, plus `Unroutable`). */
export type QueueDownwardMessageError = 'ExceedsMaxMessageSize' | 'Unroutable';

function dmqMaxLength(maxDownwardMessageSize: number): number {
  return maxDownwardMessageSize === 0 ? 0 : Math.floor(MAX_POSSIBLE_ALLOCATION / maxDownwardMessageSize);
}

/** `FixedU128` product, rounded to nearest with ties down (sp-arithmetic `NearestPrefDown`). */
function fixedMul(a: bigint, b: bigint): bigint {
  const x = a * b;
  const q = x / FIXED_ONE;
  return 2n * (x % FIXED_ONE) > FIXED_ONE ? q + 1n : q;
}

function fixedDiv(a: bigint, b: bigint): bigint {
  const x = a * FIXED_ONE;
  const q = x / b;
  return 2n * (x % b) > b ? q + 1n : q;
}

/** `can_queue_downward_message`: undefined if `queueDownwardMessage(para, msg)` would succeed. */
export function canQueueDownwardMessage(
  para: ParaId,
  msg: Uint8Array,
): QueueDownwardMessageError | undefined {
  const config = activeConfig();
  if (!isValidPara(para)) return 'Unroutable';
  if (msg.length > config.max_downward_message_size) return 'ExceedsMaxMessageSize';
  if (dmqLength(para) > dmqMaxLength(config.max_downward_message_size)) return 'ExceedsMaxMessageSize';
  return undefined;
}

/**
 * `queue_downward_message`: appends `msg` to the para's queue with `sent_at` = this block's number and extends the
 * queue's MQC head. Returns the reason if it was not queued (nothing is written then).
 */
export function queueDownwardMessage(para: ParaId, msg: Uint8Array): QueueDownwardMessageError | undefined {
  const refused = canQueueDownwardMessage(para, msg);
  if (refused) return refused;
  const inbound: InboundDownwardMessage = { sent_at: blockNumber(), msg };
  DownwardMessageQueueHeads.set(para, extendDownwardMqc(DownwardMessageQueueHeads.get(para), inbound));
  const queue = DownwardMessageQueues.get(para);
  queue.push(inbound);
  DownwardMessageQueues.set(para, queue);
  const maxSize = activeConfig().max_downward_message_size;
  if (queue.length > Math.floor(dmqMaxLength(maxSize) / THRESHOLD_FACTOR)) {
    const sizeFactor = BigInt(Math.floor(msg.length / 1024)) * MESSAGE_SIZE_FEE_BASE;
    DeliveryFeeFactor.set(para, fixedMul(DeliveryFeeFactor.get(para), EXPONENTIAL_FEE_BASE + sizeFactor));
  }
  return undefined;
}

export type ProcessedDownwardMessagesError =
  | { type: 'AdvancementRule' }
  | { type: 'Underflow'; processed: number; queueLength: number };

/**
 * `check_processed_downward_messages`: a candidate must process at least one message if the queue held one at its
 * relay parent (the first message's `sent_at` ≤ relay parent number), and no more than the queue holds.
 */
export function checkProcessedDownwardMessages(
  para: ParaId,
  relayParentNumber: number,
  processed: number,
): ProcessedDownwardMessagesError | undefined {
  const queue = DownwardMessageQueues.get(para);
  if (queue.length > 0 && processed === 0 && queue[0].sent_at <= relayParentNumber)
    return { type: 'AdvancementRule' };
  if (queue.length < processed) return { type: 'Underflow', processed, queueLength: queue.length };
  return undefined;
}

/** `prune_dmq`: drops the first `processed` messages (all if fewer), easing the fee factor below the threshold. */
export function pruneDmq(para: ParaId, processed: number): void {
  const queue = DownwardMessageQueues.get(para);
  const rest = processed >= queue.length ? [] : queue.slice(processed);
  if (rest.length !== queue.length) DownwardMessageQueues.set(para, rest);
  const threshold = Math.floor(dmqMaxLength(activeConfig().max_downward_message_size) / THRESHOLD_FACTOR);
  if (rest.length <= threshold) {
    // As polkadot-sdk: written on every prune below the threshold (1.0 is the floor).
    const f = fixedDiv(DeliveryFeeFactor.get(para), EXPONENTIAL_FEE_BASE);
    // biome-ignore lint/complexity/useMathMinMax: bigints (Math.max takes numbers)
    DeliveryFeeFactor.set(para, f > FIXED_ONE ? f : FIXED_ONE);
  }
}

export function dmqLength(para: ParaId): number {
  return DownwardMessageQueues.get(para).length;
}

/** `dmq_contents`: the para's pending downward messages, oldest first. */
export function dmqContents(para: ParaId): InboundDownwardMessage[] {
  return DownwardMessageQueues.get(para);
}

export function dmqMqcHead(para: ParaId): Uint8Array {
  return DownwardMessageQueueHeads.get(para);
}

/** The delivery fee factor (FixedU128 inner value, 10^18 = 1.0) for messages to `para`. */
export function deliveryFeeFactor(para: ParaId): bigint {
  return DeliveryFeeFactor.get(para);
}
