/**
 * Inbound messages of `set_validation_data` (cumulus `enqueue_inbound_downward_messages`,
 * `enqueue_inbound_horizontal_messages`): the collator relays our downward queue and the contents of each inbound
 * HRMP channel as of the relay parent; they must chain exactly to the MQC heads the relay state proves, come only
 * from channels that exist, and be in order (`sent_at` never decreasing, never past the relay parent). Then
 * downward messages go to the DMP queue and horizontal ones to the XCMP handler, and the block records how many
 * downward messages it processed and its HRMP watermark.
 */
import { addWeight, type Weight } from '../../frame/weights.ts';
import type { AbridgedHrmpChannel } from '../../parachains/host-config.ts';
import type { ParaId } from '../../parachains/ids.ts';
import {
  EMPTY_MQC_HEAD,
  extendDownwardMqc,
  extendHrmpMqc,
  type InboundDownwardMessage,
  type InboundHrmpMessage,
} from '../../parachains/messages.ts';
import { equalBytes, toHex } from '../../trie/nibbles.ts';
import {
  HrmpWatermark,
  LastDmqMqcHead,
  LastHrmpMqcHeads,
  p,
  ParachainSystemEvent,
  ProcessedDownwardMessages,
  ReservedXcmpWeightOverride,
  weights,
} from './items.ts';
import { ParachainSystemPanic } from './panic.ts';

function checkOrder(
  sentAts: Iterable<number>,
  relayParentNumber: number,
  reason: 'DownwardMessageOrder' | 'HorizontalMessageOrder',
  what: string,
): void {
  let previous = 0;
  for (const sentAt of sentAts) {
    if (sentAt < previous)
      throw new ParachainSystemPanic(reason, `${what}: sent_at ${sentAt} after ${previous}`);
    if (sentAt > relayParentNumber)
      throw new ParachainSystemPanic(
        reason,
        `${what}: sent_at ${sentAt} is past the relay parent ${relayParentNumber}`,
      );
    previous = sentAt;
  }
}

export function enqueueInboundDownwardMessages(
  expectedHead: Uint8Array,
  messages: InboundDownwardMessage[],
  relayParentNumber: number,
): Weight {
  checkOrder(
    messages.map((m) => m.sent_at),
    relayParentNumber,
    'DownwardMessageOrder',
    'downward queue',
  );
  let head = LastDmqMqcHead.get();
  for (const m of messages) head = extendDownwardMqc(head, m);
  // A mismatch: a message was altered, left out or made up.
  if (!equalBytes(head, expectedHead))
    throw new ParachainSystemPanic(
      'DmqMqcHeadMismatch',
      `messages chain to ${toHex(head)}, the relay's head is ${toHex(expectedHead)}`,
    );
  const count = messages.length;
  const w = weights();
  const weightUsed = addWeight(w.enqueueInboundDownwardMessagesBase, {
    refTime: w.enqueueInboundDownwardMessagesPerMessage.refTime * count,
    proofSize: w.enqueueInboundDownwardMessagesPerMessage.proofSize * count,
  });
  if (count > 0) {
    ParachainSystemEvent.deposit({ type: 'DownwardMessagesReceived', value: { count } });
    const queue = p.config().dmpQueue;
    const max = queue.maxMessageLen();
    // Too long for the queue: dropped (upstream's defensive path), but counted as processed and in the MQC.
    queue.handleMessages(messages.filter((m) => m.msg.length <= max).map((m) => m.msg));
    LastDmqMqcHead.set(head);
    ParachainSystemEvent.deposit({
      type: 'DownwardMessagesProcessed',
      value: { weight_used: weightUsed, dmq_head: head },
    });
  }
  ProcessedDownwardMessages.set(count);
  return weightUsed;
}

export function enqueueInboundHorizontalMessages(
  ingressChannels: ReadonlyArray<readonly [ParaId, AbridgedHrmpChannel]>,
  horizontal: Map<ParaId, InboundHrmpMessage[]>,
  relayParentNumber: number,
): Weight {
  const ingress = new Map(ingressChannels.map(([sender, channel]) => [sender, channel]));
  for (const [sender, messages] of horizontal) {
    if (!ingress.has(sender))
      throw new ParachainSystemPanic('HrmpSenderWithoutChannel', `para ${sender} has no channel to us`);
    checkOrder(
      messages.map((m) => m.sent_at),
      relayParentNumber,
      'HorizontalMessageOrder',
      `channel from ${sender}`,
    );
  }

  // Dispatch order: by sent_at, then by sender (the map iterates senders ascending; the sort is stable).
  const flat: Array<[ParaId, InboundHrmpMessage]> = [];
  for (const [sender, messages] of horizontal) for (const m of messages) flat.push([sender, m]);
  flat.sort((a, b) => a[1].sent_at - b[1].sent_at || a[0] - b[0]);

  const lastHeads = LastHrmpMqcHeads.get();
  const running = new Map<ParaId, Uint8Array>();
  let watermark: number | undefined;
  for (const [sender, m] of flat) {
    if (watermark === undefined || watermark < m.sent_at) watermark = m.sent_at;
    running.set(sender, extendHrmpMqc(running.get(sender) ?? lastHeads.get(sender) ?? EMPTY_MQC_HEAD, m));
  }
  // Every open channel's head must match, including those with no message this block (their head carries over).
  for (const [sender, channel] of ingressChannels) {
    const head = running.get(sender) ?? lastHeads.get(sender) ?? EMPTY_MQC_HEAD;
    running.set(sender, head);
    const target = channel.mqc_head ?? EMPTY_MQC_HEAD;
    if (!equalBytes(head, target))
      throw new ParachainSystemPanic(
        'HrmpMqcHeadMismatch',
        `channel from ${sender}: messages chain to ${toHex(head)}, the relay's head is ${toHex(target)}`,
      );
  }

  const config = p.config();
  const maxWeight = ReservedXcmpWeightOverride.get() ?? config.reservedXcmpWeight;
  const used = config.xcmpMessageHandler.handleXcmpMessages(
    flat.map(([sender, m]) => [sender, m.sent_at, m.data] as const),
    maxWeight,
  );
  LastHrmpMqcHeads.set(new Map([...running].sort((a, b) => a[0] - b[0])));
  // The newest sent_at processed, or the relay parent when nothing came.
  HrmpWatermark.set(watermark ?? relayParentNumber);
  return used;
}
