/**
 * Outbound XCMP (cumulus xcmp-queue `send_fragment`, `send_signal`, `XcmpMessageSource::take_outbound_messages`):
 * per recipient a list of pages, each page one HRMP message starting with its format byte and holding fragments
 * (encoded `VersionedXcm`s) back to back up to the channel's max message size. At most one page per channel
 * leaves per block, signals first; a page waits (never dropped) while the channel is full or lacks room for it.
 */
import type { ParaId } from '../../parachains/ids.ts';
import { decreaseFeeFactor, increaseFeeFactor, messageSizeFactor, THRESHOLD_FACTOR } from './fee-factor.ts';
import { OutboundXcmpMessages, OutboundXcmpStatus, p, SignalMessages } from './items.ts';
import {
  type ChannelSignal,
  FORMAT_BYTE,
  type MessageSendError,
  type OutboundChannelDetails,
  type XcmpMessageFormat,
} from './types.ts';

const newDetails = (recipient: ParaId): OutboundChannelDetails => ({
  recipient,
  state: 'Ok',
  signals_exist: false,
  first_index: 0,
  last_index: 0,
});

/** u16 page indices as upstream (`last_index += 1` beyond 65535 would overflow: refuse instead). */
const MAX_PAGE_INDEX = 0xffff;

/**
 * `send_fragment`: appends `fragment` (already encoded) to the recipient's last page if the page has the same
 * format and room, else starts a page. Returns the number of pages queued for the recipient.
 */
export function sendFragment(
  recipient: ParaId,
  format: XcmpMessageFormat,
  fragment: Uint8Array,
): { ok: number } | { err: MessageSendError } {
  const config = p.config();
  const info = config.channelInfo.channelInfo(recipient);
  if (!info) return { err: 'NoChannel' };
  const maxMessageSize = Math.min(info.max_message_size, config.maxPageSize);
  // The format byte is counted: a fragment may have to start a page.
  if (fragment.length + 1 > maxMessageSize) return { err: 'TooBig' };

  const all = OutboundXcmpStatus.get();
  let details = all.find((c) => c.recipient === recipient);
  if (!details) {
    if (all.length >= config.maxActiveOutboundChannels) return { err: 'TooManyChannels' };
    details = newDetails(recipient);
    all.push(details);
  }

  let appendedSize: number | undefined;
  if (details.last_index > details.first_index) {
    const last = details.last_index - 1;
    const page = OutboundXcmpMessages.get(recipient, last);
    if (page[0] === FORMAT_BYTE[format] && page.length + fragment.length <= maxMessageSize) {
      const grown = new Uint8Array(page.length + fragment.length);
      grown.set(page);
      grown.set(fragment, page.length);
      OutboundXcmpMessages.set(recipient, last, grown);
      appendedSize = grown.length;
    }
  }

  let pages: number;
  let lastPageSize: number;
  if (appendedSize !== undefined) {
    pages = details.last_index - details.first_index;
    lastPageSize = appendedSize;
  } else {
    if (details.last_index >= MAX_PAGE_INDEX) return { err: 'QueueFull' };
    const index = details.last_index;
    details.last_index += 1;
    const page = new Uint8Array(1 + fragment.length);
    page[0] = FORMAT_BYTE[format];
    page.set(fragment, 1);
    OutboundXcmpMessages.set(recipient, index, page);
    OutboundXcmpStatus.set(all);
    pages = details.last_index - details.first_index;
    lastPageSize = page.length;
  }

  // As upstream: the queue's size assuming every earlier page is full.
  const totalSize = Math.max(0, pages - 1) * maxMessageSize + lastPageSize;
  if (totalSize > Math.floor(info.max_total_size / THRESHOLD_FACTOR))
    increaseFeeFactor(recipient, messageSizeFactor(fragment.length));
  return { ok: pages };
}

/** `send_signal`: a `Signals` page for `dest`, sent ahead of its other pages in the next outbound batch. */
export function sendSignal(dest: ParaId, signal: ChannelSignal): boolean {
  const all = OutboundXcmpStatus.get();
  const details = all.find((c) => c.recipient === dest);
  if (details) details.signals_exist = true;
  else {
    if (all.length >= p.config().maxActiveOutboundChannels) return false;
    all.push({ ...newDetails(dest), signals_exist: true });
  }
  SignalMessages.set(dest, Uint8Array.from([FORMAT_BYTE.Signals, signal === 'Suspend' ? 0 : 1]));
  OutboundXcmpStatus.set(all);
  return true;
}

/** `suspend_channel`: the sibling asked us to stop sending (its inbound queue is full). */
export function suspendChannel(target: ParaId): void {
  OutboundXcmpStatus.mutate((all) => {
    const details = all.find((c) => c.recipient === target);
    if (details) details.state = 'Suspended';
    else if (all.length < p.config().maxActiveOutboundChannels)
      all.push({ ...newDetails(target), state: 'Suspended' });
  });
}

/** `resume_channel`: the sibling may take our messages again. */
export function resumeChannel(target: ParaId): void {
  OutboundXcmpStatus.mutate((all) => {
    const i = all.findIndex((c) => c.recipient === target);
    if (i < 0) return;
    if (all[i].first_index === all[i].last_index && !all[i].signals_exist) all.splice(i, 1);
    else all[i].state = 'Ok';
  });
}

/**
 * `take_outbound_messages(maximum_channels)`: at most one page per channel and `maximumChannels` pages in all,
 * sorted by recipient (the relay's acceptance criteria). A closed channel's pages are discarded; a full one, or one
 * whose next page is not smaller than the room left, keeps its page for a later block.
 */
export function takeOutboundMessages(maximumChannels: number): Array<[ParaId, Uint8Array]> {
  const config = p.config();
  const statuses = OutboundXcmpStatus.get();
  const oldLength = statuses.length;
  const maxCount = Math.min(statuses.length, maximumChannels);
  const result: Array<[ParaId, Uint8Array]> = [];

  for (let s = 0; s < statuses.length; s++) {
    const status = statuses[s];
    const para = status.recipient;
    let { signals_exist: signalsExist, first_index: first, last_index: last } = status;
    const channel = config.channelInfo.channelStatus(para);
    if (channel.type === 'Closed') {
      // The channel is gone: nothing to do but drop what waited for it.
      for (let i = first; i < last; i++) OutboundXcmpMessages.remove(para, i);
      if (signalsExist) SignalMessages.remove(para);
      statuses[s] = newDetails(para);
      continue;
    }
    if (channel.type === 'Full') continue;
    // The host configuration's limit; not even signals pass it.
    if (result.length === maxCount) break;

    let page: Uint8Array;
    if (signalsExist) {
      const signal = SignalMessages.get(para);
      if (signal.length >= channel.maxSizeNow) continue;
      SignalMessages.remove(para);
      signalsExist = false;
      page = signal;
    } else if (status.state === 'Suspended') {
      continue; // signals are exempt from suspension, pages are not
    } else if (last > first) {
      const next = OutboundXcmpMessages.get(para, first);
      if (next.length >= channel.maxSizeNow) continue;
      OutboundXcmpMessages.remove(para, first);
      first += 1;
      page = next;
    } else continue;
    if (first === last) {
      first = 0;
      last = 0;
    }

    // A page larger than the channel's max message size can never go (the size shrank since it was queued).
    if (page.length <= channel.maxSizeEver) result.push([para, page]);

    const maxTotalSize = config.channelInfo.channelInfo(para)?.max_total_size ?? 0xffff_ffff;
    let remaining = 0;
    for (let i = first; i < last; i++) remaining += OutboundXcmpMessages.get(para, i).length;
    if (remaining <= Math.floor(maxTotalSize / THRESHOLD_FACTOR)) decreaseFeeFactor(para);

    statuses[s] = {
      recipient: para,
      state: status.state,
      signals_exist: signalsExist,
      first_index: first,
      last_index: last,
    };
  }

  result.sort((a, b) => a[0] - b[0]);

  // Prune emptied channels and rotate the served ones to the back, so channels late in the list are not starved.
  const kept = statuses.filter(
    (x) => x.state === 'Suspended' || x.signals_exist || x.first_index < x.last_index,
  );
  const pruned = oldLength - kept.length;
  const rotate = Math.max(0, result.length - pruned);
  // `try_rotate_left` refuses a shift beyond the length (then nothing rotates).
  const rotated = rotate <= kept.length ? [...kept.slice(rotate), ...kept.slice(0, rotate)] : kept;
  OutboundXcmpStatus.set(rotated);
  return result;
}

/** Pages waiting for `recipient` (signals not included). */
export function queuedPages(recipient: ParaId): number {
  const d = OutboundXcmpStatus.get().find((c) => c.recipient === recipient);
  return d ? d.last_index - d.first_index : 0;
}
