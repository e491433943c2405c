/**
 * A request/response protocol as Substrate runs them: one substream per request, the request as one
 * length-prefixed message, the response as one length-prefixed message, then the substream closes. Both sides bound
 * the size on the length prefix and give up after a timeout. A request that does not decode drops the peer; a
 * handler that fails for its own reasons only resets the substream.
 */
import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import type { Multiaddr } from '@multiformats/multiaddr';
import { NetworkRequestError } from './errors.ts';
import { describe, isProtocolViolation } from './wire-errors.ts';

export interface RequestHandlerConfig {
  protocol: string;
  maxRequestBytes: number;
  /** How long the requester may take to send its request, and we to answer. */
  timeoutMs: number;
  /** Requests served at once per protocol (beyond: the substream is refused by libp2p). */
  maxConcurrent?: number;
  handle(peer: PeerId, request: Uint8Array, signal: AbortSignal): Promise<Uint8Array>;
  misbehaved(peer: PeerId, reason: string): void;
}

export async function handleRequests(libp2p: Libp2p, c: RequestHandlerConfig): Promise<void> {
  await libp2p.handle(
    c.protocol,
    async (stream: Stream, conn) => {
      const peer = conn.remotePeer;
      const signal = AbortSignal.timeout(c.timeoutMs);
      const lp = lpStream(stream, {
        maxDataLength: c.maxRequestBytes,
        maxBufferSize: c.maxRequestBytes + 16,
      });
      try {
        const request = (await lp.read({ signal })).subarray();
        const response = await c.handle(peer, request, signal);
        await lp.write(response, { signal });
        await stream.close({ signal });
      } catch (err) {
        stream.abort(err as Error);
        if (isProtocolViolation(err)) c.misbehaved(peer, `${c.protocol}: ${describe(err)}`);
      }
    },
    { maxInboundStreams: c.maxConcurrent ?? 16, maxOutboundStreams: 16 },
  );
}

export interface RequestOptions {
  maxResponseBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Sends one request and reads the response; any failure is a NetworkRequestError (the cause attached). */
export async function sendRequest(
  libp2p: Libp2p,
  peer: PeerId | Multiaddr,
  protocol: string,
  request: Uint8Array,
  o: RequestOptions,
): Promise<Uint8Array> {
  const signal = o.signal
    ? AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)])
    : AbortSignal.timeout(o.timeoutMs);
  let stream: Stream | undefined;
  try {
    stream = await libp2p.dialProtocol(peer, protocol, { signal });
    const lp = lpStream(stream, {
      maxDataLength: o.maxResponseBytes,
      maxBufferSize: o.maxResponseBytes + 16,
    });
    await lp.write(request, { signal });
    const response = (await lp.read({ signal })).subarray();
    await stream.close({ signal }).catch(() => {});
    return response;
  } catch (err) {
    stream?.abort(err as Error);
    throw new NetworkRequestError(`${protocol} request to ${String(peer)} failed: ${describe(err)}`, {
      cause: err,
    });
  }
}
