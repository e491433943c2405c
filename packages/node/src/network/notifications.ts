/**
 * A notifications protocol as Substrate runs them: each side opens its own substream to the other, sends its
 * handshake first and reads the other's; after the handshakes, the opener sends length-prefixed messages (unsigned
 * varint, as libp2p and Substrate frame them) and the receiver only reads. So a peer has one outbound substream
 * (what we send on) and one inbound substream (what we read) per protocol.
 *
 * Reading is bounded (the message size limit is checked on the length prefix, before the bytes arrive) and
 * sequential per peer: `onMessage` is awaited, so a peer that sends faster than we process waits on its own
 * substream. Sending never blocks the caller: each peer has a short queue, and messages beyond it are dropped (a slow
 * peer loses announcements, as in Substrate, and catches up by syncing).
 */
import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import { type LengthPrefixedStream, lpStream } from '@libp2p/utils';
import { NetworkMessageError } from './errors.ts';
import { SUBSTREAM_OPEN_TIMEOUT_MS } from './protocols.ts';
import { describe, isProtocolViolation } from './wire-errors.ts';

/** Messages waiting to be written to one peer before new ones are dropped. */
const MAX_QUEUED_PER_PEER = 256;

export interface NotificationsConfig<H> {
  protocol: string;
  maxMessageBytes: number;
  maxHandshakeBytes: number;
  /** Our handshake as of now. */
  localHandshake(): Uint8Array;
  /** Decodes and checks the remote handshake; throws NetworkMessageError to refuse the peer. */
  decodeHandshake(bytes: Uint8Array): H;
  /** A handshake from `peer` was accepted (on either substream). */
  onHandshake(peer: PeerId, handshake: H): void;
  /** A message on `peer`'s inbound substream; a thrown NetworkMessageError drops the peer. */
  onMessage(peer: PeerId, message: Uint8Array): void | Promise<void>;
  /** A peer broke the protocol: drop and ban it. */
  misbehaved(peer: PeerId, reason: string): void;
}

interface Outbound {
  stream: Stream;
  lp: LengthPrefixedStream<Stream>;
  queue: Promise<void>;
  queued: number;
}

export class NotificationsProtocol<H> {
  readonly #libp2p: Libp2p;
  readonly #c: NotificationsConfig<H>;
  readonly #outbound = new Map<string, Outbound>();
  readonly #opening = new Map<string, Promise<boolean>>();
  readonly #inbound = new Map<string, Stream>();
  #running = false;

  constructor(libp2p: Libp2p, config: NotificationsConfig<H>) {
    this.#libp2p = libp2p;
    this.#c = config;
  }

  get protocol(): string {
    return this.#c.protocol;
  }

  async start(): Promise<void> {
    this.#running = true;
    await this.#libp2p.handle(
      this.#c.protocol,
      (stream, conn) => this.#inboundStream(stream, conn.remotePeer),
      {
        // One inbound substream per peer and protocol (a reconnect may briefly overlap the old one).
        maxInboundStreams: 4,
        maxOutboundStreams: 4,
      },
    );
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#libp2p.unhandle(this.#c.protocol).catch(() => {});
    for (const o of this.#outbound.values()) o.stream.abort(new Error('network stopping'));
    for (const s of this.#inbound.values()) s.abort(new Error('network stopping'));
    this.#outbound.clear();
    this.#inbound.clear();
  }

  isOpen(peer: PeerId): boolean {
    return this.#outbound.has(peer.toString());
  }

  /**
   * Opens our substream to `peer` and exchanges handshakes. Resolves true when open, false when the peer does not
   * speak the protocol (another chain's node) or the substream failed; a bad handshake drops the peer.
   */
  open(peer: PeerId): Promise<boolean> {
    const k = peer.toString();
    if (this.#outbound.has(k)) return Promise.resolve(true);
    const pending = this.#opening.get(k);
    if (pending) return pending;
    const p = this.#open(peer).finally(() => this.#opening.delete(k));
    this.#opening.set(k, p);
    return p;
  }

  async #open(peer: PeerId): Promise<boolean> {
    if (!this.#running) return false;
    const signal = AbortSignal.timeout(SUBSTREAM_OPEN_TIMEOUT_MS);
    let stream: Stream;
    try {
      stream = await this.#libp2p.dialProtocol(peer, this.#c.protocol, { signal });
    } catch {
      return false;
    }
    const lp = this.#lp(stream);
    try {
      await lp.write(this.#c.localHandshake(), { signal });
      const raw = (await lp.read({ signal })).subarray();
      if (raw.length > this.#c.maxHandshakeBytes)
        throw new NetworkMessageError('handshake', `${raw.length} bytes`);
      const hs = this.#c.decodeHandshake(raw);
      if (!this.#running) throw new Error('network stopping');
      this.#outbound.set(peer.toString(), { stream, lp, queue: Promise.resolve(), queued: 0 });
      const onClose = () => {
        const o = this.#outbound.get(peer.toString());
        if (o?.stream === stream) this.#outbound.delete(peer.toString());
      };
      stream.addEventListener('close', onClose, { once: true });
      this.#c.onHandshake(peer, hs);
      return true;
    } catch (err) {
      stream.abort(err as Error);
      if (isProtocolViolation(err))
        this.#c.misbehaved(peer, `${this.#c.protocol} handshake: ${describe(err)}`);
      return false;
    }
  }

  /** Queues `message` to `peer` (dropped if the substream is not open or the peer is too far behind). */
  send(peer: PeerId, message: Uint8Array): boolean {
    const k = peer.toString();
    const o = this.#outbound.get(k);
    if (!o || o.queued >= MAX_QUEUED_PER_PEER) return false;
    o.queued++;
    o.queue = o.queue.then(async () => {
      try {
        await o.lp.write(message, { signal: AbortSignal.timeout(SUBSTREAM_OPEN_TIMEOUT_MS) });
      } catch (err) {
        // The peer stopped reading: close our side; it is reopened on the next connection.
        if (this.#outbound.get(k) === o) this.#outbound.delete(k);
        o.stream.abort(err as Error);
      } finally {
        o.queued--;
      }
    });
    return true;
  }

  /** Sends to every peer whose substream is open (except `except`); resolves to the peers it was queued for. */
  broadcast(message: Uint8Array, filter: (peer: PeerId) => boolean = () => true): PeerId[] {
    const sent: PeerId[] = [];
    for (const conn of this.#libp2p.getConnections()) {
      const peer = conn.remotePeer;
      if (sent.some((p) => p.equals(peer)) || !filter(peer)) continue;
      if (this.send(peer, message)) sent.push(peer);
    }
    return sent;
  }

  /** Forgets the peer's substreams (its connection closed). */
  forget(peer: PeerId): void {
    const k = peer.toString();
    this.#outbound.get(k)?.stream.abort(new Error('peer disconnected'));
    this.#outbound.delete(k);
    this.#inbound.get(k)?.abort(new Error('peer disconnected'));
    this.#inbound.delete(k);
  }

  #lp(stream: Stream): LengthPrefixedStream<Stream> {
    const max = Math.max(this.#c.maxMessageBytes, this.#c.maxHandshakeBytes);
    return lpStream(stream, { maxDataLength: max, maxBufferSize: max + 16 });
  }

  async #inboundStream(stream: Stream, peer: PeerId): Promise<void> {
    const k = peer.toString();
    const lp = this.#lp(stream);
    try {
      const signal = AbortSignal.timeout(SUBSTREAM_OPEN_TIMEOUT_MS);
      const raw = (await lp.read({ signal })).subarray();
      if (raw.length > this.#c.maxHandshakeBytes)
        throw new NetworkMessageError('handshake', `${raw.length} bytes`);
      const hs = this.#c.decodeHandshake(raw);
      await lp.write(this.#c.localHandshake(), { signal });
      this.#inbound.get(k)?.abort(new Error('replaced by a new substream'));
      this.#inbound.set(k, stream);
      this.#c.onHandshake(peer, hs);
      // Our own substream to a peer that opened one to us (it may have connected first).
      void this.open(peer);
      for (;;) {
        let msg: Uint8Array;
        try {
          msg = (await lp.read()).subarray();
        } catch (err) {
          if ((err as Error).name === 'UnexpectedEOFError') break;
          throw err;
        }
        await this.#c.onMessage(peer, msg);
        if (!this.#running) break;
      }
    } catch (err) {
      stream.abort(err as Error);
      if (isProtocolViolation(err)) this.#c.misbehaved(peer, `${this.#c.protocol}: ${describe(err)}`);
    } finally {
      if (this.#inbound.get(k) === stream) this.#inbound.delete(k);
    }
  }
}
