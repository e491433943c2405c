/**
 * One WebSocket client and the limits that keep it from hurting the others:
 *
 * - Frames wait in a small queue and run at most `maxInFlight` at a time (and fewer while the server-wide
 *   work share is full, see work-share.ts), and for at most a couple of ms of CPU per event-loop turn; while a connection is blocked (too many in flight, its turn used, over its rate,
 *   or over its outbound bound) the socket is paused, so a client pipelining requests it never reads the
 *   answers of stalls itself (TCP backpressure) instead of filling our memory or taking everyone's CPU.
 * - Outbound bound: once more than `maxBufferedBytes` of answers wait unsent (or more than a MiB while all
 *   connections together hold over `maxBufferedBytesTotal`), the connection stops reading requests and its
 *   subscriptions are dropped (each one's `onDropped` hook may send a last `stop` event); if it does not read
 *   them down within `slowConsumerTimeoutMs`, or lets `hardBufferedBytes` pile up, it is cut.
 * - Idle: no request for `idleTimeoutMs` and nothing subscribed or running: closed.
 * - Rate: `rateLimitPerMinute` calls, over it requests wait (Substrate's `--rpc-rate-limit`).
 */
import type { Socket } from 'node:net';
import { type RawData, WebSocket } from 'ws';
import { RpcError } from './errors.ts';
import type { LimitEvents } from './limit-events.ts';
import { RateLimiter } from './rate-limiter.ts';
import { errorText, type InternalErrorLog, type RpcSession } from './session.ts';
import type { WorkShare } from './work-share.ts';

export interface WsConnectionLimits {
  maxRequestBytes: number;
  maxInFlight: number;
  maxBufferedBytes: number;
  hardBufferedBytes: number;
  /** Unsent bytes of all connections together; past it, the connection adding to it is treated as slow. */
  maxBufferedBytesTotal: number;
  slowConsumerTimeoutMs: number;
  /** 0 = none. */
  idleTimeoutMs: number;
  /** 0 = none. */
  rateLimitPerMinute: number;
}

/** Close codes (RFC 6455 §7.4.1). */
export const WsClose = {
  Normal: 1000,
  GoingAway: 1001,
  PolicyViolation: 1008,
  TryAgainLater: 1013,
} as const;

interface Frame {
  data: RawData;
  isBinary: boolean;
  bytes: number;
}

/** Time a closing connection gets for the close handshake before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

/** A connection with less than this waiting is never blamed for the server-wide bound. */
const SHARED_BOUND_FLOOR = 1024 * 1024;

/**
 * CPU one connection may spend on its requests in one turn of the event loop; then it yields (setImmediate)
 * and every other socket is read and served before it goes on. Twenty clients pipelining heavy calls then
 * delay a well-behaved client's call by about twenty turns, not by their whole backlog.
 */
const TURN_BUDGET_MS = 2;

/** A counter that moves once per event-loop turn (after the I/O of the turn), read lazily. */
let loopTurn = 0;
let turnArmed = false;
function currentTurn(): number {
  if (!turnArmed) {
    turnArmed = true;
    setImmediate(() => {
      loopTurn++;
      turnArmed = false;
    });
  }
  return loopTurn;
}

export class WsConnection {
  lastActiveAt = performance.now();
  readonly #queue: Frame[] = [];
  #queuedBytes = 0;
  #inFlight = 0;
  #paused = false;
  #overloaded = false;
  #closing = false;
  #corked = false;
  #turn = -1;
  #turnStartedAt = 0;
  #turnScheduled = false;
  #slowTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #rateTimer: NodeJS.Timeout | undefined;
  readonly #rate: RateLimiter | undefined;
  readonly #address: string;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Socket,
    readonly session: RpcSession,
    private readonly limits: WsConnectionLimits,
    private readonly log: InternalErrorLog,
    private readonly events: LimitEvents,
    exempt: boolean,
    /** Unsent bytes of every connection of the server. */
    private readonly totalBuffered: () => number,
    /** Requests running over all connections. */
    private readonly share: WorkShare,
  ) {
    this.#address = socket.remoteAddress ?? 'unknown';
    this.#rate =
      !exempt && limits.rateLimitPerMinute > 0 ? new RateLimiter(limits.rateLimitPerMinute) : undefined;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    // Bytes leaving: a slow consumer that catches up is served again.
    socket.on('drain', () => this.#onDrain());
    if (!exempt && limits.idleTimeoutMs > 0) this.#armIdle();
  }

  get subscriptionCount(): number {
    return this.session.subscriptionCount;
  }

  get overloaded(): boolean {
    return this.#overloaded;
  }

  /** Writes one answer or notification (the session's `write`). */
  send(text: string): void {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN || this.#closing) return;
    if (!this.#corked) {
      // Answers written in the same tick leave in one write (pipelined clients get many per read).
      this.#corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.socket.uncork();
      });
    }
    ws.send(text);
    const buffered = ws.bufferedAmount;
    if (buffered > this.limits.hardBufferedBytes) {
      this.terminate('outbound buffer over its hard bound: the client does not read its messages');
    } else if (!this.#overloaded) {
      // What waits besides this message: one big answer (up to the response limit) is not a backlog, many
      // unread ones are.
      const backlog = buffered - text.length;
      // The shared bound is asked only of connections holding a real backlog (a sum over connections).
      if (
        backlog > this.limits.maxBufferedBytes ||
        (backlog > SHARED_BOUND_FLOOR && this.totalBuffered() > this.limits.maxBufferedBytesTotal)
      ) {
        this.#enterOverload();
      }
    }
  }

  /** Closes politely (close frame, then the socket after a grace period). */
  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#clearTimers();
    this.session.close();
    try {
      this.ws.close(code, reason);
    } catch {
      // Already closing.
    }
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Cuts a slow consumer at once: its unsent bytes are freed now (a close frame would queue behind them). */
  terminate(reason: string): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.#closing = true;
    this.#clearTimers();
    this.session.close();
    this.events.emit({ kind: 'slow-consumer-cut', address: this.#address, reason });
    this.ws.terminate();
  }

  /** The connection ended (from the `close` event): timers go, subscriptions end. */
  ended(): void {
    this.#closing = true;
    this.#clearTimers();
    this.#queue.length = 0;
    this.session.close();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#closing) return;
    this.lastActiveAt = performance.now();
    const bytes = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : (data as Buffer | ArrayBuffer).byteLength;
    this.#queue.push({ data, isBinary, bytes });
    this.#queuedBytes += bytes;
    // A paused socket stops after the chunk being parsed: more than that queued means the client found a way
    // around backpressure.
    if (this.#queuedBytes > 2 * this.limits.maxRequestBytes + 1024 * 1024) {
      this.close(WsClose.PolicyViolation, 'too many requests waiting');
      return;
    }
    this.#pump();
  }

  #pump(): void {
    const turn = currentTurn();
    if (turn !== this.#turn) {
      this.#turn = turn;
      this.#turnStartedAt = performance.now();
    }
    while (this.#queue.length > 0 && !this.#closing) {
      if (this.#overloaded || this.#inFlight >= this.limits.maxInFlight) {
        this.#pause();
        return;
      }
      if (!this.share.mayStart(this.#inFlight)) {
        this.#pause();
        this.share.wait(this.#wake);
        return;
      }
      if (performance.now() - this.#turnStartedAt > TURN_BUDGET_MS) {
        this.#yieldTurn();
        return;
      }
      const wait = this.#rate?.waitMs() ?? 0;
      if (wait > 0) {
        this.#pause();
        this.#rateTimer ??= setTimeout(() => {
          this.#rateTimer = undefined;
          this.#pump();
        }, wait);
        return;
      }
      const frame = this.#queue.shift()!;
      this.#queuedBytes -= frame.bytes;
      this.#run(frame);
    }
    if (this.#queue.length === 0) this.#resume();
  }

  /** This connection used its share of the turn: the rest of its queue waits for the next one. */
  #yieldTurn(): void {
    this.#pause();
    if (this.#turnScheduled) return;
    this.#turnScheduled = true;
    setImmediate(() => {
      this.#turnScheduled = false;
      this.#pump();
    });
  }

  #run(frame: Frame): void {
    try {
      const text = this.#decode(frame);
      if (text === undefined) return;
      const { calls, done } = this.session.receive(text);
      this.#rate?.charge(calls);
      if (done) {
        this.#inFlight++;
        this.share.started();
        done.then(() => {
          this.#inFlight--;
          this.share.finished();
          this.lastActiveAt = performance.now();
          this.#pump();
        });
      }
    } catch (err) {
      // Our bug, not the client's: say so on this connection and keep the process serving.
      this.log(err, 'ws frame');
      this.session.writeRaw(errorText(null, RpcError.internal()));
    }
  }

  #decode(frame: Frame): string | undefined {
    const { data, isBinary, bytes } = frame;
    if (bytes > this.limits.maxRequestBytes) {
      this.session.writeRaw(errorText(null, RpcError.oversizedRequest(this.limits.maxRequestBytes)));
      return undefined;
    }
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!isBinary) return buf.toString('utf8');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      this.session.writeRaw(errorText(null, RpcError.parseError('Binary frame is not valid UTF-8 JSON')));
      return undefined;
    }
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.ws.pause();
  }

  #resume(): void {
    if (!this.#paused || this.#closing) return;
    this.#paused = false;
    this.ws.resume();
  }

  #enterOverload(): void {
    this.#overloaded = true;
    this.#pause();
    const count = this.session.dropSubscriptions('slow-consumer');
    if (count > 0) this.events.emit({ kind: 'subscriptions-dropped', address: this.#address, count });
    this.#slowTimer = setTimeout(
      () => this.terminate(`outbound buffer over its bound for ${this.limits.slowConsumerTimeoutMs} ms`),
      this.limits.slowConsumerTimeoutMs,
    );
  }

  #onDrain(): void {
    if (!this.#overloaded || this.ws.bufferedAmount > this.limits.maxBufferedBytes / 2) return;
    this.#overloaded = false;
    clearTimeout(this.#slowTimer);
    this.#slowTimer = undefined;
    this.#pump();
  }

  #armIdle(): void {
    const period = this.limits.idleTimeoutMs;
    const check = () => {
      const quiet = performance.now() - this.lastActiveAt;
      const busy = this.session.subscriptionCount > 0 || this.#inFlight > 0 || this.#queue.length > 0;
      if (!busy && quiet >= period) {
        this.events.emit({ kind: 'idle-closed', address: this.#address });
        this.close(WsClose.Normal, 'idle timeout');
        return;
      }
      this.#idleTimer = setTimeout(check, busy ? period : Math.max(10, period - quiet));
      this.#idleTimer.unref();
    };
    this.#idleTimer = setTimeout(check, period);
    this.#idleTimer.unref();
  }

  /** Called by the work share when a place frees up. */
  readonly #wake = () => this.#pump();

  #clearTimers(): void {
    this.share.forget(this.#wake);
    clearTimeout(this.#slowTimer);
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#rateTimer);
    this.#slowTimer = this.#idleTimer = this.#rateTimer = undefined;
  }
}
