/**
 * xcm-builder `routing.rs` and the plumbing between the executor's `SendXcm` and a byte-level transport
 * (UMP / DMP / XCMP queues): `withUniqueTopic` (every sent message ends in a `SetTopic`, whose id `deliver`
 * returns), `versionedRouter` (wrap in the destination's version, encode, hand to the transport) and
 * frame_system's `unique`.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { state } from '../../frame/env.ts';
import { INTRABLOCK_ENTROPY_KEY } from '../../frame/well-known-keys.ts';
import { keyToString } from '../../state/keys.ts';
import {
  type Assets,
  type Location,
  type SendError,
  type VersionedXcm,
  VersionedXcmCodec,
  type Xcm,
  XcmCodec,
  type XcmHash,
  trailingTopic,
} from '../index.ts';
import type { DeliverResult, SendResult, SendXcm } from '../executor/traits.ts';
import type { WrapVersion } from './version.ts';

const ENTROPY = keyToString(INTRABLOCK_ENTROPY_KEY);
const UNIQUE_TAG = new TextEncoder().encode('frame_system::unique');

/**
 * `frame_system::unique(entropy)`: `blake2_256((b"frame_system::unique", entropy, last).encode())`, where `last` is
 * the block's intrablock entropy (zeros if unset), which the result then replaces: unique within a block and across
 * blocks, deterministic for every node.
 */
export function unique(entropyEncoded: Uint8Array): Uint8Array {
  const last = state().getK(ENTROPY)?.subarray(0, 32) ?? new Uint8Array(32);
  const input = new Uint8Array(UNIQUE_TAG.length + entropyEncoded.length + 32);
  input.set(UNIQUE_TAG);
  input.set(entropyEncoded, UNIQUE_TAG.length);
  input.set(last, UNIQUE_TAG.length + entropyEncoded.length);
  const next = blake2_256(input);
  state().setK(ENTROPY, next);
  return next;
}

/**
 * `WithUniqueTopic<Inner>`: a message not ending in `SetTopic` gets `SetTopic(unique(&message))` appended; the
 * topic is what `deliver` returns (the id a user can follow to the destination). Use as the outermost router.
 */
export function withUniqueTopic<T>(inner: SendXcm<T>): SendXcm<{ inner: T; id: XcmHash }> {
  return {
    validate(dest, message) {
      let msg = message;
      let id = trailingTopic(message);
      if (!id) {
        id = unique(XcmCodec.encode(message));
        msg = [...message, { type: 'SetTopic', value: id }];
      }
      const r = inner.validate(dest, msg);
      return r.ok ? { ok: true, ticket: { inner: r.ticket, id }, price: r.price } : r;
    },
    deliver(ticket) {
      const r = inner.deliver(ticket.inner);
      return r.ok ? { ok: true, hash: ticket.id } : r;
    },
  };
}

/** A byte-level transport for some destinations (a para's XCMP channels, the relay's UMP, DMP to a child). */
export interface EncodedTransport<Route, Ticket> {
  /** The route to `dest` if this transport serves it (else the router answers `NotApplicable`). */
  route(dest: Location): Route | undefined;
  /** Checks and prices the encoded `VersionedXcm`; an error stops the routing (as a Rust router's `Err`). */
  validate(
    route: Route,
    encoded: Uint8Array,
    message: VersionedXcm,
  ): { ticket: Ticket; price: Assets } | SendError;
  /** Enqueues it; returns its hash (blake2_256 of the encoded message for the queues). */
  deliver(ticket: Ticket): XcmHash | SendError;
}

/** A `SendXcm` over a byte transport: the message wrapped for the destination's version (else `DestinationUnsupported`). */
export function versionedRouter<Route, Ticket>(
  wrap: WrapVersion,
  transport: EncodedTransport<Route, Ticket>,
): SendXcm<Ticket> {
  return {
    validate(dest: Location, message: Xcm): SendResult<Ticket> {
      const route = transport.route(dest);
      if (route === undefined) return { ok: false, error: { type: 'NotApplicable' } };
      const versioned = wrap.wrapVersion(dest, message);
      if (!versioned) return { ok: false, error: { type: 'DestinationUnsupported' } };
      const r = transport.validate(route, VersionedXcmCodec.encode(versioned), versioned);
      return 'ticket' in r ? { ok: true, ticket: r.ticket, price: r.price } : { ok: false, error: r };
    },
    deliver(ticket: Ticket): DeliverResult {
      const r = transport.deliver(ticket);
      return r instanceof Uint8Array ? { ok: true, hash: r } : { ok: false, error: r };
    },
  };
}

/** A router that routes nothing (`()`): every destination is `NotApplicable`. */
export const noRouter: SendXcm<never> = {
  validate: () => ({ ok: false, error: { type: 'NotApplicable' } }),
  deliver: () => ({ ok: false, error: { type: 'Unroutable' } }),
};
