/**
 * Inbound XCMP (cumulus xcmp-queue `XcmpMessageHandler`, `OnQueueChanged`, `QueuePausedQuery`): pages from siblings
 * are read by format: signals suspend or resume our outbound channel to the sender; concatenated XCMs are split and
 * enqueued into the sender's inbound queue (MessageQueue origin Sibling(sender)). The sender's queue footprint
 * drives back-pressure: at `suspend_threshold` ready pages we send it a Suspend signal, at `resume_threshold` a
 * Resume, and beyond `drop_threshold` further messages are dropped.
 */
import { anyGt, type Weight } from '../../frame/weights.ts';
import type { ParaId } from '../../parachains/ids.ts';
import type { QueueFootprint } from '../message-queue/types.ts';
import { WeightMeter } from '../message-queue/weight-meter.ts';
import { takeFirstConcatenatedXcm } from './concatenated.ts';
import { enqueueWeight, InboundXcmpSuspended, p, QueueConfig, QueueSuspended, weights } from './items.ts';
import { resumeChannel, sendSignal, suspendChannel } from './outbound.ts';
import { FORMAT_BYTE } from './types.ts';

/** What happened to one inbound page (for callers and tests; upstream only logs). */
export interface InboundReport {
  sender: ParaId;
  enqueued: number;
  dropped: number;
  /** Why the rest of the page was dropped, if it was. */
  broken?: 'UnknownFormat' | 'Blob' | 'BadXcm' | 'BadSignal' | 'QueueFull' | 'OutOfWeight' | 'TooLong';
}

/**
 * `handle_xcmp_messages`: `pages` are `(sender, sent_at, data)` in the order parachain-system hands them over
 * (by sent_at, then sender). Returns the weight used (at most `maxWeight`).
 */
export function handleXcmpMessages(
  pages: Iterable<readonly [ParaId, number, Uint8Array]>,
  maxWeight: Weight,
  reports?: InboundReport[],
): Weight {
  const meter = new WeightMeter(maxWeight);
  for (const [sender, , data] of pages) {
    const report: InboundReport = { sender, enqueued: 0, dropped: 0 };
    reports?.push(report);
    const format = data[0];
    let offset = 1;
    if (format === FORMAT_BYTE.Signals) {
      const w = weights();
      const signalWeight = anyGt(w.suspendChannel, w.resumeChannel) ? w.suspendChannel : w.resumeChannel;
      while (offset < data.length) {
        if (!meter.tryConsume(signalWeight)) {
          report.broken = 'OutOfWeight';
          break;
        }
        const signal = data[offset++];
        if (signal === 0) suspendChannel(sender);
        else if (signal === 1) resumeChannel(sender);
        else {
          report.broken = 'BadSignal';
          break;
        }
      }
    } else if (format === FORMAT_BYTE.ConcatenatedVersionedXcm) {
      while (offset < data.length) {
        if (!meter.tryConsume(weights().splitConcatenatedXcm)) {
          report.broken = 'OutOfWeight';
          break;
        }
        const item = takeFirstConcatenatedXcm(data.subarray(offset));
        if (!item) {
          report.broken = 'BadXcm';
          break;
        }
        offset += item[1];
        const outcome = enqueueXcmpMessage(sender, item[0], meter);
        if (outcome !== 'ok') {
          report.broken = outcome;
          report.dropped++;
          break;
        }
        report.enqueued++;
      }
    } else report.broken = format === FORMAT_BYTE.ConcatenatedEncodedBlob ? 'Blob' : 'UnknownFormat';
  }
  return meter.consumed();
}

/** `enqueue_xcmp_message`: into the sender's queue unless the queue already holds `drop_threshold` ready pages. */
function enqueueXcmpMessage(
  sender: ParaId,
  xcm: Uint8Array,
  meter: WeightMeter,
): 'ok' | 'QueueFull' | 'OutOfWeight' | 'TooLong' {
  if (!meter.tryConsume(enqueueWeight(1))) return 'OutOfWeight';
  const { inbound } = p.config();
  if (xcm.length > inbound.maxMessageLen()) return 'TooLong';
  const { drop_threshold } = QueueConfig.get();
  // Assume it will not fit into the current page.
  if (inbound.footprint(sender).readyPages + 1 > drop_threshold) return 'QueueFull';
  inbound.enqueueMessages([xcm], sender);
  return 'ok';
}

/** `OnQueueChanged::on_queue_changed` for the sender's inbound queue: suspend or resume the sibling. */
export function onQueueChanged(para: ParaId, fp: QueueFootprint): void {
  const { resume_threshold, suspend_threshold } = QueueConfig.get();
  const suspended = InboundXcmpSuspended.get();
  const isSuspended = suspended.has(para);
  if (isSuspended && fp.readyPages <= resume_threshold) {
    if (sendSignal(para, 'Resume')) {
      suspended.delete(para);
      InboundXcmpSuspended.set(suspended);
    }
  } else if (!isSuspended && fp.readyPages >= suspend_threshold) {
    if (!sendSignal(para, 'Suspend')) return;
    if (suspended.size >= p.config().maxInboundSuspended) return;
    suspended.add(para);
    InboundXcmpSuspended.set(suspended);
  }
}

/** `QueuePausedQuery::is_paused`: every sibling's queue while execution is suspended, except the controller's. */
export function isPaused(para: ParaId): boolean {
  if (!QueueSuspended.get()) return false;
  return !(p.config().isControllerSibling?.(para) ?? false);
}
