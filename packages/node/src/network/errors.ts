/** Typed errors of the network service: what a peer sent that we refuse, and what went wrong talking to one. */

/** Bytes a peer sent that do not decode as the protocol's message (or break its limits). The peer is dropped. */
export class NetworkMessageError extends Error {
  override readonly name = 'NetworkMessageError';
  constructor(
    /** Which message: `BlockRequest`, `BlockAnnounce`, … */
    readonly kind: string,
    detail: string,
  ) {
    super(`malformed ${kind}: ${detail}`);
  }
}

/** A request to a peer failed: timeout, refused protocol, reset stream, or an answer we could not use. */
export class NetworkRequestError extends Error {
  override readonly name = 'NetworkRequestError';
}

/** The network service cannot do what was asked in its state (not started, stopped). */
export class NetworkStateError extends Error {
  override readonly name = 'NetworkStateError';
}
