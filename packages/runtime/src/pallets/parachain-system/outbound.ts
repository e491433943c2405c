/**
 * What a block sends (cumulus parachain-system `on_finalize`, `send_upward_message`, `GetChannelInfo`): pending
 * upward messages move into `UpwardMessages` within the relay queue's remaining room and the per-candidate limit;
 * HRMP pages come from the XCMP source, at most `hrmp_max_message_num_per_candidate`, each channel judged by its
 * state at the relay parent (`RelevantMessagingState`). The candidate's commitments are read from these items.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import type { ParaId } from '../../parachains/ids.ts';
import { decreasedFeeFactor, increasedFeeFactor, messageSizeFactor } from '../xcmp-queue/fee-factor.ts';
import type { ChannelInfo, ChannelStatus, GetChannelInfo, MessageSendError } from '../xcmp-queue/types.ts';
import {
  AnnouncedHrmpMessagesPerCandidate,
  HostConfiguration,
  HrmpOutboundMessages,
  p,
  ParachainSystemEvent,
  PendingUpwardMessages,
  RelevantMessagingState,
  UpwardDeliveryFeeFactor,
  UpwardMessages,
} from './items.ts';

/** `ump_constants::THRESHOLD_FACTOR`: the UMP fee factor rises past half the relay's upward queue size. */
export const UMP_THRESHOLD_FACTOR = 2;

/**
 * `send_upward_message`: queues `message` for the relay (sent in `on_finalize` when there is room). Refused when
 * larger than the relay's `max_upward_message_size` (known once a block has run the inherent).
 */
export function sendUpwardMessage(
  message: Uint8Array,
): { ok: [number, Uint8Array] } | { err: MessageSendError } {
  const host = HostConfiguration.get();
  if (host && message.length > host.max_upward_message_size) return { err: 'TooBig' };
  const pending = PendingUpwardMessages.get();
  pending.push(message.slice());
  PendingUpwardMessages.set(pending);
  if (host) {
    const total = pending.reduce((s, m) => s + m.length, 0);
    if (total > Math.floor(host.max_upward_queue_size / UMP_THRESHOLD_FACTOR))
      UpwardDeliveryFeeFactor.mutate((f) => increasedFeeFactor(f, messageSizeFactor(message.length)));
  }
  const hash = blake2_256(message);
  ParachainSystemEvent.deposit({ type: 'UpwardMessageSent', value: { message_hash: hash } });
  return { ok: [0, hash] };
}

/** `on_finalize`'s UMP part: the longest prefix of pending messages within count and size room. */
export function moveUpwardMessages(): void {
  const host = HostConfiguration.get();
  const state = RelevantMessagingState.get();
  if (!host || !state) return;
  const room = state.relay_dispatch_queue_remaining_capacity;
  const capacity = Math.min(room.remaining_count, host.max_upward_message_num_per_candidate);
  const pending = PendingUpwardMessages.get();
  let count = 0;
  let size = 0;
  for (const m of pending) {
    if (count + 1 > capacity || size + m.length > room.remaining_size) break;
    count++;
    size += m.length;
  }
  UpwardMessages.set(pending.slice(0, count));
  const rest = pending.slice(count);
  PendingUpwardMessages.set(rest);
  const remaining = rest.reduce((s, m) => s + m.length, 0);
  if (remaining <= Math.floor(host.max_upward_queue_size / UMP_THRESHOLD_FACTOR))
    UpwardDeliveryFeeFactor.mutate((f) => decreasedFeeFactor(f));
}

/** `on_finalize`'s HRMP part: at most one page per channel, sorted by recipient. */
export function takeHrmpOutbound(): void {
  const host = HostConfiguration.get();
  if (!host) return;
  const maximum = Math.min(host.hrmp_max_message_num_per_candidate, AnnouncedHrmpMessagesPerCandidate.take());
  const pages = p.config().outboundXcmpMessageSource.takeOutboundMessages(maximum);
  const messages = pages
    .map(([recipient, data]) => ({ recipient, data }))
    .sort((a, b) => a.recipient - b.recipient);
  HrmpOutboundMessages.set(messages);
}

/** `GetChannelInfo` from `RelevantMessagingState` (the previous block's until this block's inherent runs). */
export const parachainChannelInfo: GetChannelInfo = {
  channelStatus(id: ParaId): ChannelStatus {
    const channel = RelevantMessagingState.get()?.egress_channels.find(([r]) => r === id)?.[1];
    if (!channel) return { type: 'Closed' };
    if (channel.msg_count + 1 > channel.max_capacity) return { type: 'Full' };
    return {
      type: 'Ready',
      maxSizeNow: Math.max(0, channel.max_total_size - channel.total_size),
      maxSizeEver: channel.max_message_size,
    };
  },
  channelInfo(id: ParaId): ChannelInfo | undefined {
    const channel = RelevantMessagingState.get()?.egress_channels.find(([r]) => r === id)?.[1];
    if (!channel) return undefined;
    const { max_capacity, max_total_size, max_message_size, msg_count, total_size } = channel;
    return { max_capacity, max_total_size, max_message_size, msg_count, total_size };
  },
};

/** `ListChannelInfos::outgoing_channels`. */
export function outgoingChannels(): ParaId[] {
  return RelevantMessagingState.get()?.egress_channels.map(([id]) => id) ?? [];
}
