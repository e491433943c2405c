/**
 * One client connection's JSON-RPC state machine, transport-agnostic: parses a frame/body, validates it as
 * JSON-RPC 2.0 (single or batch), dispatches to the registry, owns the connection's subscriptions, and
 * writes answers through `write`. Notifications of a new subscription are held back until the answer that
 * carries its id has been written, so clients never see a notification for an id they do not know yet.
 */
import { randomBytes } from 'node:crypto';
import { RpcError, RpcErrorCode, type RpcErrorObject } from './errors.ts';
import { decodeParams } from './params.ts';
import type {
  CallContext,
  MethodRegistry,
  SubscriptionDef,
  SubscriptionDropReason,
  SubscriptionEndReason,
  SubscriptionSink,
  Teardown,
} from './registry.ts';

export interface SessionLimits {
  maxBatchLength: number;
  maxSubscriptions: number;
  /** Bytes of one response (UTF-8, as sent); a bigger one is answered -32008. */
  maxResponseBytes: number;
  /** Bytes of a whole batch's response; past it the batch stops and is answered -32011. */
  maxBatchResponseBytes: number;
}

/** What one `receive` did: how many calls it held (a batch: its length) and, if still running, when it ends. */
export interface Received {
  calls: number;
  /** Resolves (never rejects) once every answer of the frame is written. */
  done?: Promise<void>;
}

/**
 * Calls of one batch run at most this many at a time, in order: a batch of 1,000 heavy calls holds ~16
 * results in memory, not 1,000, and stops as soon as its response would pass the byte limit.
 */
const BATCH_CONCURRENCY = 16;

/** Where a session reports what went wrong inside the server (never the client's fault). */
export type InternalErrorLog = (err: unknown, context: string) => void;

/**
 * Deepest JSON a request may nest: serde_json's recursion limit, which jsonrpsee (Substrate's RPC) parses
 * requests with; deeper input is a parse error there too. Nothing below us has to handle deeper values.
 */
export const MAX_JSON_DEPTH = 128;

type JsonRpcId = string | number | null;

interface ActiveSubscription {
  def: SubscriptionDef;
  sink: Sink;
}

let nextConnectionId = 1;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 16 random alphanumerics, as Substrate's `RandomStringIdProvider::new(16)`. */
function randomSubscriptionId(): string {
  const bytes = randomBytes(16);
  let s = '';
  for (const b of bytes) s += ID_ALPHABET[b % ID_ALPHABET.length];
  return s;
}

class Sink implements SubscriptionSink {
  closed = false;
  endReason: SubscriptionEndReason | undefined;
  #active = false;
  #closeOnActivate = false;
  #pending: string[] = [];
  #dropHooks: Array<(reason: SubscriptionDropReason) => void> = [];
  #dropping = false;
  readonly #controller = new AbortController();
  teardown: Teardown | undefined;

  constructor(
    readonly id: string,
    private readonly notification: string,
    private readonly session: RpcSession,
  ) {}

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  send(result: unknown): void {
    if (this.closed) return;
    let text: string;
    try {
      text = `{"jsonrpc":"2.0","method":${JSON.stringify(this.notification)},"params":{"subscription":${JSON.stringify(this.id)},"result":${JSON.stringify(result ?? null)}}}`;
    } catch (err) {
      // A value the handler cannot serialize is the server's bug: log it, drop this one notification, and
      // never throw into the producer (a chain event loop feeds many subscriptions).
      this.session.logInternal(err, `notification ${this.notification}`);
      return;
    }
    if (this.#active) this.session.writeRaw(text);
    else this.#pending.push(text);
  }

  onDropped(hook: (reason: SubscriptionDropReason) => void): void {
    if (!this.closed) this.#dropHooks.push(hook);
  }

  /** Called once the subscribe answer is on the wire. */
  activate(): void {
    if (this.#active) return;
    this.#active = true;
    const pending = this.#pending;
    this.#pending = [];
    if (!this.closed) for (const t of pending) this.session.writeRaw(t);
    if (this.#closeOnActivate) this.session.endSubscription(this.id, 'closed-by-server');
  }

  close(): void {
    // A drop hook that closes (chainHead's stop() does): the drop ends it right after, with the drop's reason.
    if (this.#dropping) return;
    // Closed by the handler before the client even has the id: deliver what was sent, then end.
    if (!this.#active) this.#closeOnActivate = true;
    else this.session.endSubscription(this.id, 'closed-by-server');
  }

  /** Internal: the server drops the subscription; its hooks may send() one last notification first. */
  runDropHooks(reason: SubscriptionDropReason): void {
    const hooks = this.#dropHooks;
    this.#dropHooks = [];
    this.#dropping = true;
    for (const hook of hooks) {
      try {
        hook(reason);
      } catch (err) {
        this.session.logInternal(err, `drop hook of ${this.notification}`);
      }
    }
  }

  /** Internal: mark ended and run the handler's teardown once. */
  end(reason: SubscriptionEndReason): void {
    if (this.closed) return;
    this.closed = true;
    this.endReason = reason;
    this.#pending = [];
    this.#dropHooks = [];
    this.#controller.abort();
    const t = this.teardown;
    this.teardown = undefined;
    if (t) {
      try {
        t();
      } catch (err) {
        // A failing teardown must not break the connection.
        this.session.logInternal(err, `teardown of ${this.notification}`);
      }
    }
  }
}

interface Outcome {
  /** The JSON text of the response object, or undefined for a notification. */
  text?: string;
  /** Subscriptions created by this request, to activate after the answer is written. */
  created?: Sink;
  /** Work the call asked to start once its answer is written (`CallContext.afterAnswer`). */
  after?: Array<() => void>;
}

export class RpcSession {
  readonly connectionId = nextConnectionId++;
  readonly #subs = new Map<string, ActiveSubscription>();
  readonly #controller = new AbortController();
  readonly #ctx: CallContext;
  readonly #log: InternalErrorLog;
  #closed = false;

  constructor(
    private readonly registry: MethodRegistry,
    private readonly limits: SessionLimits,
    readonly transport: 'ws' | 'http',
    private readonly write: (text: string) => void,
    log: InternalErrorLog = () => {},
  ) {
    this.#ctx = {
      transport,
      connectionId: this.connectionId,
      signal: this.#controller.signal,
      // Subscription handlers activate after their answer already; anything else waits one turn.
      afterAnswer: (fn) => setImmediate(fn),
    };
    this.#log = log;
  }

  get subscriptionCount(): number {
    return this.#subs.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  writeRaw(text: string): void {
    if (this.#closed) return;
    try {
      this.write(text);
    } catch (err) {
      // The transport refused the frame (e.g. a string too long for a Buffer): end this connection's state,
      // not the process.
      this.logInternal(err, 'write');
      this.close();
    }
  }

  /** Logs a failure inside the server (a handler's or ours); the caller answers the client. */
  logInternal(err: unknown, context: string): void {
    try {
      this.#log(err, context);
    } catch {
      // A logger that throws must not turn a logged failure into a crash.
    }
  }

  /**
   * Handles one WS text frame or one HTTP body. Never throws, and `done` never rejects: whatever goes wrong
   * while answering a request is answered as -32603 and logged.
   */
  receive(text: string): Received {
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        this.writeRaw(
          errorText(null, RpcError.parseError(`Request is not valid JSON: ${(err as Error).message}`)),
        );
        return { calls: 1 };
      }
      if (nestedDeeperThan(parsed, MAX_JSON_DEPTH)) {
        this.writeRaw(
          errorText(
            null,
            RpcError.parseError(`recursion limit exceeded: JSON nested over ${MAX_JSON_DEPTH} deep`),
          ),
        );
        return { calls: 1 };
      }
      if (Array.isArray(parsed)) {
        return {
          calls: Math.max(1, Math.min(parsed.length, this.limits.maxBatchLength)),
          done: this.#receiveBatch(parsed).catch((err) => this.#failed(err, null)),
        };
      }
      // Synchronous handlers answer within the same tick as the frame arrived (no promise hops).
      const out = this.#handle(parsed);
      if (isThenable(out)) {
        return {
          calls: 1,
          done: Promise.resolve(out).then(
            (o) => this.#finish(o, parsed),
            (err) => this.#failed(err, requestId(parsed)),
          ),
        };
      }
      this.#finish(out, parsed);
    } catch (err) {
      this.#failed(err, null);
    }
    return { calls: 1 };
  }

  /** The last line of defence: an exception escaped the request's own handling. */
  #failed(err: unknown, id: JsonRpcId): void {
    this.logInternal(err, 'request');
    try {
      this.writeRaw(errorText(id, RpcError.internal()));
    } catch {
      // Nothing more can be said on this connection.
    }
  }

  #finish(out: Outcome, request: unknown): void {
    try {
      if (out.text !== undefined) this.writeRaw(this.#limitResponse(out.text, request));
      out.created?.activate();
    } catch (err) {
      if (out.created) this.endSubscription(out.created.id, 'closed-by-server');
      this.#failed(err, requestId(request));
    }
    this.#runAfter(out);
  }

  #runAfter(out: Outcome | undefined): void {
    for (const fn of out?.after ?? []) {
      try {
        fn();
      } catch (err) {
        this.logInternal(err, 'after answer');
      }
    }
  }

  async #receiveBatch(batch: unknown[]): Promise<void> {
    if (batch.length === 0) {
      this.writeRaw(
        errorText(null, RpcError.invalidRequest('Empty batch: a batch must hold at least one request')),
      );
      return;
    }
    if (batch.length > this.limits.maxBatchLength) {
      this.writeRaw(
        errorText(
          null,
          new RpcError(
            RpcErrorCode.TooBigBatchRequest,
            'The batch request was too large',
            `Exceeded max limit of ${this.limits.maxBatchLength}`,
          ),
        ),
      );
      return;
    }
    const limit = this.limits.maxBatchResponseBytes;
    const outs: Outcome[] = new Array(batch.length);
    // `[`, `]` and the commas between answers.
    let bytes = 1;
    let tooLarge = false;
    let next = 0;
    const worker = async () => {
      while (!tooLarge && next < batch.length) {
        const i = next++;
        const o = await this.#handleGuarded(batch[i]);
        outs[i] = o;
        if (o.text !== undefined) {
          bytes += 1 + (o.text.length * 3 < limit ? o.text.length : Buffer.byteLength(o.text));
          // Exact once the rough count (UTF-16 units) gets near the limit.
          if (bytes > limit / 3 && bytes > limit) tooLarge = true;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, batch.length) }, worker));
    if (tooLarge) {
      // The client never learns these ids.
      for (const o of outs) if (o?.created) this.endSubscription(o.created.id, 'closed-by-server');
      for (const o of outs) this.#runAfter(o);
      this.writeRaw(
        errorText(
          null,
          new RpcError(
            RpcErrorCode.TooBigBatchResponse,
            'The batch response was too large',
            `Exceeded max limit of ${limit}`,
          ),
        ),
      );
      return;
    }
    const texts = outs.flatMap((o) => (o.text === undefined ? [] : [o.text]));
    if (texts.length > 0) this.writeRaw(`[${texts.join(',')}]`);
    for (const o of outs) o.created?.activate();
    for (const o of outs) this.#runAfter(o);
  }

  #limitResponse(text: string, request: unknown): string {
    if (text.length <= this.limits.maxResponseBytes / 3) return text;
    if (Buffer.byteLength(text) <= this.limits.maxResponseBytes) return text;
    return errorText(requestId(request), tooBig(this.limits.maxResponseBytes));
  }

  /** One request of a batch: whatever happens, an outcome (so the others are still answered). */
  #handleGuarded(req: unknown): Promise<Outcome> {
    const id = requestId(req);
    const internal = (err: unknown): Outcome => {
      this.logInternal(err, 'request');
      return { text: errorText(id, RpcError.internal()) };
    };
    try {
      return Promise.resolve(this.#handle(req)).catch(internal);
    } catch (err) {
      return Promise.resolve(internal(err));
    }
  }

  #handle(req: unknown): Outcome | Promise<Outcome> {
    if (req === null || typeof req !== 'object' || Array.isArray(req)) {
      return { text: errorText(null, RpcError.invalidRequest('A request must be a JSON object')) };
    }
    const r = req as Record<string, unknown>;
    const hasId = Object.hasOwn(r, 'id');
    const id = r.id;
    if (hasId && !(typeof id === 'string' || typeof id === 'number' || id === null)) {
      return { text: errorText(null, RpcError.invalidRequest('"id" must be a string, a number or null')) };
    }
    const rid = (hasId ? id : null) as JsonRpcId;
    const reply = (text: string | undefined): Outcome => (hasId ? { text } : {});
    if (r.jsonrpc !== '2.0') {
      return reply(
        errorText(rid, RpcError.invalidRequest(`"jsonrpc" must be "2.0", got ${describeJson(r.jsonrpc)}`)),
      );
    }
    if (typeof r.method !== 'string') {
      return reply(errorText(rid, RpcError.invalidRequest('"method" must be a string')));
    }
    if (r.params !== undefined && (r.params === null || typeof r.params !== 'object')) {
      return reply(
        errorText(rid, RpcError.invalidRequest('"params" must be an array or an object when present')),
      );
    }
    const entry = this.registry.get(r.method);
    if (!entry) return reply(errorText(rid, RpcError.methodNotFound(r.method)));
    const failed = (err: unknown): Outcome => {
      if (!(err instanceof RpcError)) this.logInternal(err, r.method as string);
      try {
        return reply(errorText(rid, toRpcError(err)));
      } catch (e) {
        // An RpcError whose data cannot be serialized.
        this.logInternal(e, r.method as string);
        return reply(errorText(rid, RpcError.internal()));
      }
    };
    try {
      switch (entry.kind) {
        case 'method': {
          const values = decodeParams(entry.def.params, r.params, r.method);
          const after: Array<() => void> = [];
          const withAfter = (o: Outcome): Outcome => (after.length > 0 ? { ...o, after } : o);
          let result: unknown;
          try {
            result = entry.def.handler(values as any, { ...this.#ctx, afterAnswer: (fn) => after.push(fn) });
          } catch (err) {
            return withAfter(failed(err));
          }
          if (isThenable(result)) {
            return Promise.resolve(result).then(
              (v) => {
                try {
                  return withAfter(reply(resultText(rid, v)));
                } catch (err) {
                  return withAfter(failed(err));
                }
              },
              (err) => withAfter(failed(err)),
            );
          }
          try {
            return withAfter(reply(resultText(rid, result)));
          } catch (err) {
            return withAfter(failed(err));
          }
        }
        case 'subscribe': {
          if (!hasId) return {}; // a subscription nobody can learn the id of is pointless
          return this.#subscribe(rid, entry.def, r.method, r.params).catch(failed);
        }
        case 'unsubscribe': {
          if (this.transport !== 'ws') throw subscriptionsNeedWs();
          const subId = decodeSubscriptionId(r.params, r.method);
          const active = subId === undefined ? undefined : this.#subs.get(subId);
          const found = active !== undefined && active.def === entry.def;
          if (found) this.endSubscription(subId!, 'unsubscribed');
          return reply(resultText(rid, found));
        }
      }
    } catch (err) {
      return failed(err);
    }
  }

  async #subscribe(
    rid: JsonRpcId,
    def: SubscriptionDef,
    method: string,
    rawParams: unknown,
  ): Promise<Outcome> {
    if (this.transport !== 'ws') throw subscriptionsNeedWs();
    if (this.#subs.size >= this.limits.maxSubscriptions) {
      throw new RpcError(
        RpcErrorCode.TooManySubscriptions,
        'Too many subscriptions on the connection',
        `Exceeded max limit of ${this.limits.maxSubscriptions}`,
      );
    }
    const values = decodeParams(def.params, rawParams, method);
    let subId = randomSubscriptionId();
    while (this.#subs.has(subId)) subId = randomSubscriptionId();
    const sink = new Sink(subId, def.notification, this);
    this.#subs.set(subId, { def, sink });
    try {
      const teardown = await def.handler(values as any, sink, this.#ctx);
      if (typeof teardown === 'function') {
        if (sink.closed || this.#closed) teardown();
        else sink.teardown = teardown;
      }
    } catch (err) {
      this.#subs.delete(subId);
      sink.end('closed-by-server');
      throw err;
    }
    return { text: resultText(rid, subId), created: sink };
  }

  /** Ends one subscription (unsubscribe, server-side close). */
  endSubscription(id: string, reason: SubscriptionEndReason = 'unsubscribed'): void {
    const s = this.#subs.get(id);
    if (!s) return;
    this.#subs.delete(id);
    s.sink.end(reason);
  }

  /**
   * The server drops every subscription of this connection (its client does not read fast enough): each
   * one's `onDropped` hooks run first (they may send one last notification, e.g. a `stop` event), then it
   * ends with `endReason` = the drop reason. Returns how many were dropped.
   */
  dropSubscriptions(reason: SubscriptionDropReason): number {
    const ids = [...this.#subs.keys()];
    for (const id of ids) {
      const s = this.#subs.get(id);
      if (!s) continue;
      s.sink.runDropHooks(reason);
      this.endSubscription(id, reason);
    }
    return ids.length;
  }

  /** Connection gone: end every subscription, abort in-flight handlers. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#controller.abort();
    for (const id of [...this.#subs.keys()]) this.endSubscription(id, 'connection-closed');
  }
}

/** The id of a request as far as it can be read (for answers to a request that failed in our code). */
function requestId(request: unknown): JsonRpcId {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return null;
  const id = (request as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** True when `value` nests arrays/objects more than `max` deep. Iterative: any depth is safe to ask about. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: object[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop()!;
    const d = depths.pop()!;
    if (d > max) return true;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      if (c !== null && typeof c === 'object') {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

/** A short description of a JSON value for error messages: never the whole value. */
export function describeJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function isThenable<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

function subscriptionsNeedWs(): RpcError {
  return RpcError.internal('Subscriptions are only served over WebSocket (ws://), not over HTTP');
}

function tooBig(limit: number): RpcError {
  return new RpcError(
    RpcErrorCode.OversizedResponse,
    'Response is too big',
    `Exceeded max limit of ${limit}`,
  );
}

function decodeSubscriptionId(params: unknown, method: string): string | undefined {
  const v = Array.isArray(params)
    ? params[0]
    : params && typeof params === 'object'
      ? (params as Record<string, unknown>).subscription
      : undefined;
  if (Array.isArray(params) && params.length > 1) {
    throw RpcError.invalidParams(`${method} takes one parameter (the subscription id), got ${params.length}`);
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw RpcError.invalidParams(`${method}: invalid subscription ID type, must be Number or String`);
}

export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof Error) return RpcError.internal(err.message);
  return RpcError.internal(String(err));
}

function idText(id: JsonRpcId): string {
  return JSON.stringify(id);
}

export function resultText(id: JsonRpcId, result: unknown): string {
  return `{"jsonrpc":"2.0","result":${JSON.stringify(result ?? null)},"id":${idText(id)}}`;
}

export function errorText(id: JsonRpcId, err: RpcError | RpcErrorObject): string {
  const obj = err instanceof RpcError ? err.toJSON() : err;
  return `{"jsonrpc":"2.0","error":${JSON.stringify(obj)},"id":${idText(id)}}`;
}
