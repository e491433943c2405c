/**
 * The sibling router (cumulus xcmp-queue `impl SendXcm`) as plain typed functions; the runtime's XCM config wraps
 * them as a `SendXcm` for destinations `(1, [Parachain(id)])`. `validateSend` checks what can be known before
 * sending (the message decodes within XCM's nesting limit, the channel is open, the message fits a page) and
 * prices delivery; `deliver` appends it to the channel's outbound pages and returns its hash.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import type { ParaId } from '../../parachains/ids.ts';
import { decodeAllWithDepthLimit, MAX_XCM_DECODE_DEPTH, VersionedXcmCodec } from '../../xcm/index.ts';
import { DeliveryFeeFactor, p, XcmpQueueEvent } from './items.ts';
import { sendFragment } from './outbound.ts';
import type { MessageSendError } from './types.ts';

/** What `validateSend` hands to `deliver`. */
export interface SiblingTicket {
  dest: ParaId;
  /** The encoded `VersionedXcm`, exactly as it will travel. */
  message: Uint8Array;
}

/** xcm `SendError` kinds this router produces. */
export type SiblingSendError =
  | { type: 'ExceedsMaxMessageSize' }
  | { type: 'NotApplicable' }
  | { type: 'Transport'; value: MessageSendError };

export function validateSend<Price = unknown>(
  dest: ParaId,
  versionedXcm: Uint8Array,
): { ok: { ticket: SiblingTicket; price: Price | undefined } } | { err: SiblingSendError } {
  // `validate_xcm_nesting`: the message must decode as a VersionedXcm within the depth limit.
  try {
    decodeAllWithDepthLimit(VersionedXcmCodec, versionedXcm, MAX_XCM_DECODE_DEPTH);
  } catch {
    return { err: { type: 'ExceedsMaxMessageSize' } };
  }
  const config = p.config();
  const info = config.channelInfo.channelInfo(dest);
  if (!info) return { err: { type: 'Transport', value: 'NoChannel' } };
  if (versionedXcm.length + 1 > Math.min(info.max_message_size, config.maxPageSize))
    return { err: { type: 'ExceedsMaxMessageSize' } };
  const price = config.priceForSiblingDelivery?.(dest, versionedXcm, DeliveryFeeFactor.get(dest)) as
    | Price
    | undefined;
  return { ok: { ticket: { dest, message: versionedXcm.slice() }, price } };
}

/** `deliver`: queues the message as a fragment of a `ConcatenatedVersionedXcm` page; deposits XcmpMessageSent. */
export function deliver(ticket: SiblingTicket): { ok: Uint8Array } | { err: SiblingSendError } {
  const hash = blake2_256(ticket.message);
  const sent = sendFragment(ticket.dest, 'ConcatenatedVersionedXcm', ticket.message);
  if ('err' in sent) return { err: { type: 'Transport', value: sent.err } };
  XcmpQueueEvent.deposit({ type: 'XcmpMessageSent', value: { message_hash: hash } });
  return { ok: hash };
}
