/**
 * The HRMP messaging facet of candidate inclusion (polkadot-sdk `hrmp.rs`): the acceptance checks on a candidate's
 * outbound messages (`check_outbound_hrmp`) and watermark (`check_hrmp_watermark`), and the enactment that prunes
 * what the recipient processed (`prune_hrmp`) and queues what the sender sent (`queue_outbound_hrmp`, `sent_at` = this
 * relay block, extending the channel's MQC head).
 */
import type { ParaId } from '../../../parachains/ids.ts';
import {
  EMPTY_MQC_HEAD,
  extendHrmpMqc,
  type InboundHrmpMessage,
  type OutboundHrmpMessage,
} from '../../../parachains/messages.ts';
import { blockNumber } from '../../system/block.ts';
import {
  HrmpChannelContents,
  HrmpChannelDigests,
  HrmpChannels,
  HrmpEgressChannelsIndex,
  HrmpIngressChannelsIndex,
  HrmpWatermarks,
} from './items.ts';

/** `HrmpWatermarkAcceptanceErr`. */
export type HrmpWatermarkError =
  | { type: 'AdvancementRule'; new_watermark: number; last_watermark: number }
  | { type: 'AheadRelayParent'; new_watermark: number; relay_parent_number: number }
  | { type: 'LandsOnBlockWithNoMessages'; new_watermark: number };

/** `OutboundHrmpAcceptanceErr`. */
export type OutboundHrmpError =
  | { type: 'MoreMessagesThanPermitted'; sent: number; permitted: number }
  | { type: 'NotSorted'; idx: number }
  | { type: 'NoSuchChannel'; idx: number; sender: ParaId; recipient: ParaId }
  | { type: 'MaxMessageSizeExceeded'; idx: number; msg_size: number; max_size: number }
  | { type: 'TotalSizeExceeded'; idx: number; total_size: number; limit: number }
  | { type: 'CapacityExceeded'; idx: number; count: number; limit: number };

/**
 * `check_hrmp_watermark`: the watermark may equal the relay parent number; otherwise it must not be ahead of it, not
 * go back from the last one, and (if it moves) land on a block in which the para was sent a message.
 */
export function checkHrmpWatermark(
  recipient: ParaId,
  relayParentNumber: number,
  newWatermark: number,
): HrmpWatermarkError | undefined {
  if (newWatermark === relayParentNumber) return undefined;
  if (newWatermark > relayParentNumber)
    return { type: 'AheadRelayParent', new_watermark: newWatermark, relay_parent_number: relayParentNumber };
  const last = HrmpWatermarks.get(recipient);
  if (last !== undefined) {
    if (newWatermark < last)
      return { type: 'AdvancementRule', new_watermark: newWatermark, last_watermark: last };
    if (newWatermark === last) return undefined;
  }
  const digest = HrmpChannelDigests.get(recipient);
  if (!digest.some(([block]) => block === newWatermark))
    return { type: 'LandsOnBlockWithNoMessages', new_watermark: newWatermark };
  return undefined;
}

/**
 * `check_outbound_hrmp`: at most `maxPerCandidate` messages, recipients strictly ascending (so one message per
 * recipient), each to an open channel, within its message size, and the channel's capacity and total size after it.
 */
export function checkOutboundHrmp(
  maxPerCandidate: number,
  sender: ParaId,
  messages: readonly OutboundHrmpMessage[],
): OutboundHrmpError | undefined {
  if (messages.length > maxPerCandidate)
    return { type: 'MoreMessagesThanPermitted', sent: messages.length, permitted: maxPerCandidate };
  let last: ParaId | undefined;
  for (let idx = 0; idx < messages.length; idx++) {
    const m = messages[idx];
    if (last !== undefined && m.recipient <= last) return { type: 'NotSorted', idx };
    last = m.recipient;
    const channel = HrmpChannels.get({ sender, recipient: m.recipient });
    if (!channel) return { type: 'NoSuchChannel', idx, sender, recipient: m.recipient };
    const size = m.data.length;
    if (size > channel.max_message_size)
      return { type: 'MaxMessageSizeExceeded', idx, msg_size: size, max_size: channel.max_message_size };
    const totalSize = channel.total_size + size;
    if (totalSize > channel.max_total_size)
      return { type: 'TotalSizeExceeded', idx, total_size: totalSize, limit: channel.max_total_size };
    const count = channel.msg_count + 1;
    if (count > channel.max_capacity)
      return { type: 'CapacityExceeded', idx, count, limit: channel.max_capacity };
  }
  return undefined;
}

/**
 * `prune_hrmp`: removes from every channel to `recipient` the messages sent at or before `newWatermark`, updates the
 * channels' counts and sizes, and records the watermark.
 */
export function pruneHrmp(recipient: ParaId, newWatermark: number): void {
  const senders = new Set<ParaId>();
  const leftover: Array<readonly [number, ParaId[]]> = [];
  for (const entry of HrmpChannelDigests.get(recipient)) {
    if (entry[0] <= newWatermark) for (const s of entry[1]) senders.add(s);
    else leftover.push(entry);
  }
  HrmpChannelDigests.set(recipient, leftover);
  for (const sender of [...senders].sort((a, b) => a - b)) {
    const id = { sender, recipient };
    let prunedCount = 0;
    let prunedSize = 0;
    const kept: InboundHrmpMessage[] = [];
    for (const msg of HrmpChannelContents.get(id)) {
      if (msg.sent_at <= newWatermark) {
        prunedCount++;
        prunedSize += msg.data.length;
      } else kept.push(msg);
    }
    if (kept.length > 0) HrmpChannelContents.set(id, kept);
    else HrmpChannelContents.remove(id);
    const channel = HrmpChannels.get(id);
    if (channel)
      HrmpChannels.set(id, {
        ...channel,
        msg_count: channel.msg_count - prunedCount,
        total_size: channel.total_size - prunedSize,
      });
  }
  HrmpWatermarks.set(recipient, newWatermark);
}

/** `queue_outbound_hrmp`: appends each message to its channel with `sent_at` = now and extends the MQC head. */
export function queueOutboundHrmp(sender: ParaId, messages: readonly OutboundHrmpMessage[]): void {
  const now = blockNumber();
  for (const m of messages) {
    const id = { sender, recipient: m.recipient };
    const channel = HrmpChannels.get(id);
    // The recipient may have been offboarded since the candidate was accepted.
    if (!channel) continue;
    const inbound: InboundHrmpMessage = { sent_at: now, data: m.data };
    HrmpChannels.set(id, {
      ...channel,
      msg_count: channel.msg_count + 1,
      total_size: channel.total_size + m.data.length,
      mqc_head: extendHrmpMqc(channel.mqc_head ?? EMPTY_MQC_HEAD, inbound),
    });
    const contents = HrmpChannelContents.get(id);
    contents.push(inbound);
    HrmpChannelContents.set(id, contents);
    const digest = HrmpChannelDigests.get(m.recipient);
    const lastEntry = digest[digest.length - 1];
    if (lastEntry && lastEntry[0] === now) digest[digest.length - 1] = [now, [...lastEntry[1], sender]];
    else digest.push([now, [sender]]);
    HrmpChannelDigests.set(m.recipient, digest);
  }
}

/** `inbound_hrmp_channels_contents`: the messages of every channel to `recipient`, by sender (ascending). */
export function inboundHrmpChannelsContents(recipient: ParaId): Map<ParaId, InboundHrmpMessage[]> {
  const out = new Map<ParaId, InboundHrmpMessage[]>();
  for (const sender of HrmpIngressChannelsIndex.get(recipient))
    out.set(sender, HrmpChannelContents.get({ sender, recipient }));
  return out;
}

/** The MQC heads of every channel to `recipient`, by sender (zero for a channel with no message yet). */
export function hrmpMqcHeads(recipient: ParaId): Array<[ParaId, Uint8Array]> {
  return HrmpIngressChannelsIndex.get(recipient).map((sender) => [
    sender,
    HrmpChannels.get({ sender, recipient })?.mqc_head ?? EMPTY_MQC_HEAD,
  ]);
}

/** `outbound_remaining_capacity`: per recipient, (messages, bytes) the sender may still put in the channel. */
export function outboundRemainingCapacity(sender: ParaId): Array<[ParaId, [number, number]]> {
  const out: Array<[ParaId, [number, number]]> = [];
  for (const recipient of HrmpEgressChannelsIndex.get(sender)) {
    const c = HrmpChannels.get({ sender, recipient });
    if (c) out.push([recipient, [c.max_capacity - c.msg_count, c.max_total_size - c.total_size]]);
  }
  return out;
}
