/**
 * A minimal JSON-RPC 2.0 WebSocket client: many calls in flight on one socket, subscriptions, and errors kept
 * as `{ code, message, data }` so tests can assert exactly what the node answered (polkadot-js folds them into
 * one string). Used by the integration tests and by bench/node-chain.bench.ts.
 */
import { once } from 'node:events';
import WebSocket from 'ws';

export class RpcCallError extends Error {
  override readonly name = 'RpcCallError';
  constructor(
    readonly code: number,
    readonly rpcMessage: string,
    readonly data: unknown,
  ) {
    super(
      `${code}: ${rpcMessage}${data === undefined ? '' : `: ${typeof data === 'string' ? data : JSON.stringify(data)}`}`,
    );
  }
}

export class RpcClosedError extends Error {
  override readonly name = 'RpcClosedError';
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

export class RpcClient {
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #subs = new Map<string, (result: unknown) => void>();
  /** Notifications that arrived before the subscribe answer was processed. */
  readonly #early = new Map<string, unknown[]>();
  #closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.#onMessage(data.toString()));
    ws.on('close', () => {
      this.#closed = true;
      for (const p of this.#pending.values()) p.reject(new RpcClosedError('connection closed'));
      this.#pending.clear();
    });
    ws.on('error', () => {});
  }

  static async open(url: string): Promise<RpcClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    await Promise.race([
      once(ws, 'open'),
      once(ws, 'error').then(([e]) => {
        throw e;
      }),
    ]);
    return new RpcClient(ws);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  call<T = any>(method: string, params: unknown[] = []): Promise<T> {
    if (this.#closed) return Promise.reject(new RpcClosedError('connection closed'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(`{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${JSON.stringify(params)}}`);
    });
  }

  /** Subscribes; `onItem` gets each notification's `result`. Returns the subscription id. */
  async subscribe(method: string, params: unknown[], onItem: (result: any) => void): Promise<string> {
    const id = await this.call<string>(method, params);
    this.#subs.set(String(id), onItem);
    for (const r of this.#early.get(String(id)) ?? []) onItem(r);
    this.#early.delete(String(id));
    return String(id);
  }

  close(): void {
    this.#closed = true;
    this.ws.terminate();
  }

  #onMessage(text: string): void {
    let m: any;
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    for (const msg of Array.isArray(m) ? m : [m]) {
      if (msg.id !== undefined && msg.id !== null && this.#pending.has(msg.id)) {
        const p = this.#pending.get(msg.id)!;
        this.#pending.delete(msg.id);
        if (msg.error) p.reject(new RpcCallError(msg.error.code, msg.error.message, msg.error.data));
        else p.resolve(msg.result);
      } else if (msg.params?.subscription !== undefined) {
        const sid = String(msg.params.subscription);
        const cb = this.#subs.get(sid);
        if (cb) cb(msg.params.result);
        else {
          const list = this.#early.get(sid) ?? [];
          list.push(msg.params.result);
          this.#early.set(sid, list);
        }
      }
    }
  }
}
