/**
 * A small JSON-RPC 2.0 client over WebSocket for talking to another chain's node (the relay chain interface a
 * collator uses): calls with a timeout, subscriptions (`chain_subscribeNewHeads` …) whose notifications may arrive
 * before the subscription id's response, and reconnection: when the socket drops, pending calls fail, and once it is
 * back every live subscription is made again (its listener is told with `onResubscribed`, as new heads may have been
 * missed). Answers are size-bounded (`maxPayload`).
 */
import WebSocket from 'ws';

export class JsonRpcClientError extends Error {
  override readonly name = 'JsonRpcClientError';
  constructor(
    message: string,
    /** The JSON-RPC error code, when the server answered with an error. */
    readonly code?: number,
  ) {
    super(message);
  }
}

export interface JsonRpcClientOptions {
  /** Per call (default 30 s). */
  timeoutMs?: number;
  /** Largest message accepted (default 64 MiB: read proofs can be large). */
  maxPayload?: number;
  /** Delay before reconnecting (default 500 ms, doubling up to 5 s). */
  reconnectMs?: number;
  log?: (message: string) => void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

interface Subscription {
  method: string;
  unsubscribe: string;
  params: unknown[];
  onNotification(result: unknown): void;
  onResubscribed?(): void;
  /** The server's current id for it. */
  id: string | number | undefined;
  closed: boolean;
}

export class JsonRpcClient {
  readonly url: string;
  readonly #o: Required<Omit<JsonRpcClientOptions, 'log'>> & Pick<JsonRpcClientOptions, 'log'>;
  #ws: WebSocket | undefined;
  #open: Promise<void> | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #subs = new Set<Subscription>();
  readonly #byServerId = new Map<string, Subscription>();
  /** Notifications for ids not known yet (their subscribe response is on its way). */
  readonly #early = new Map<string, unknown[]>();
  #closed = false;
  #retryMs: number;

  constructor(url: string, options: JsonRpcClientOptions = {}) {
    this.url = url;
    this.#o = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxPayload: options.maxPayload ?? 64 * 1024 * 1024,
      reconnectMs: options.reconnectMs ?? 500,
      log: options.log,
    };
    this.#retryMs = this.#o.reconnectMs;
  }

  /** Connects (rejects if the first connection fails). */
  async connect(): Promise<void> {
    await this.#connect();
  }

  #connect(): Promise<void> {
    if (this.#open) return this.#open;
    this.#open = new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.url, { maxPayload: this.#o.maxPayload });
      this.#ws = ws;
      ws.on('open', () => {
        this.#retryMs = this.#o.reconnectMs;
        resolve();
      });
      ws.on('message', (data) => this.#onMessage(String(data)));
      ws.on('error', (err) => {
        this.#o.log?.(`${this.url}: ${err.message}`);
        reject(new JsonRpcClientError(`cannot connect to ${this.url}: ${err.message}`));
      });
      ws.on('close', () => this.#onClose(ws));
    });
    this.#open.catch(() => {});
    return this.#open;
  }

  #onClose(ws: WebSocket): void {
    if (this.#ws !== ws) return;
    this.#ws = undefined;
    this.#open = undefined;
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new JsonRpcClientError(`connection to ${this.url} closed`));
      this.#pending.delete(id);
    }
    this.#byServerId.clear();
    this.#early.clear();
    for (const s of this.#subs) s.id = undefined;
    if (this.#closed) return;
    const wait = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, 5000);
    setTimeout(() => void this.#reconnect(), wait).unref();
  }

  async #reconnect(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#connect();
    } catch {
      return; // #onClose schedules the next attempt
    }
    for (const s of this.#subs) {
      if (s.closed) continue;
      try {
        await this.#subscribeOnServer(s);
        s.onResubscribed?.();
      } catch (err) {
        this.#o.log?.(`resubscribing ${s.method}: ${(err as Error).message}`);
      }
    }
  }

  #onMessage(text: string): void {
    let msg: {
      id?: unknown;
      result?: unknown;
      error?: { code?: number; message?: string };
      method?: string;
      params?: { subscription?: unknown; result?: unknown };
    };
    try {
      msg = JSON.parse(text);
    } catch {
      this.#o.log?.(`${this.url} sent a message that is not JSON`);
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error) p.reject(new JsonRpcClientError(String(msg.error.message ?? 'error'), msg.error.code));
      else p.resolve(msg.result);
      return;
    }
    const subId = msg.params?.subscription;
    if (typeof msg.method === 'string' && (typeof subId === 'string' || typeof subId === 'number')) {
      const k = String(subId);
      const s = this.#byServerId.get(k);
      if (s) s.onNotification(msg.params!.result);
      else {
        // Bounded: a server cannot make us hold notifications for ids we never asked for.
        if (!this.#early.has(k) && this.#early.size >= 16) this.#early.clear();
        const early = this.#early.get(k) ?? [];
        if (early.length < 64) early.push(msg.params!.result);
        this.#early.set(k, early);
      }
    }
  }

  /** One call; rejects with JsonRpcClientError on an error answer, a timeout or a lost connection. */
  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    if (this.#closed) throw new JsonRpcClientError('the client is closed');
    await this.#connect();
    const ws = this.#ws;
    if (!ws) throw new JsonRpcClientError(`not connected to ${this.url}`);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new JsonRpcClientError(`${method} timed out after ${this.#o.timeoutMs} ms`));
      }, this.#o.timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new JsonRpcClientError(`${method}: ${err.message}`));
      });
    });
  }

  /** Subscribes; resolves to the function that unsubscribes. Survives reconnections. */
  async subscribe(
    method: string,
    unsubscribe: string,
    params: unknown[],
    onNotification: (result: unknown) => void,
    onResubscribed?: () => void,
  ): Promise<() => void> {
    const s: Subscription = {
      method,
      unsubscribe,
      params,
      onNotification,
      onResubscribed,
      id: undefined,
      closed: false,
    };
    this.#subs.add(s);
    try {
      await this.#subscribeOnServer(s);
    } catch (err) {
      this.#subs.delete(s);
      throw err;
    }
    return () => {
      s.closed = true;
      this.#subs.delete(s);
      if (s.id !== undefined) {
        this.#byServerId.delete(String(s.id));
        this.call(unsubscribe, [s.id]).catch(() => {});
      }
    };
  }

  async #subscribeOnServer(s: Subscription): Promise<void> {
    const id = await this.call<string | number>(s.method, s.params);
    if (typeof id !== 'string' && typeof id !== 'number')
      throw new JsonRpcClientError(`${s.method} answered no subscription id`);
    s.id = id;
    const k = String(id);
    this.#byServerId.set(k, s);
    for (const r of this.#early.get(k) ?? []) s.onNotification(r);
    this.#early.delete(k);
  }

  close(): void {
    this.#closed = true;
    for (const s of this.#subs) s.closed = true;
    this.#subs.clear();
    this.#ws?.close();
    this.#ws = undefined;
  }
}
