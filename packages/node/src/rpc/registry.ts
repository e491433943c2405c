/**
 * The method registry: every RPC method (plain or subscription) is defined here exactly once, with its
 * aliases, typed params and handler. `rpc_methods` is generated from it.
 */
import type { ParamSpec, ParamValues } from './params.ts';

/** What a handler knows about the caller. */
export interface CallContext {
  readonly transport: 'ws' | 'http';
  /** Unique per connection (HTTP: per request). */
  readonly connectionId: number;
  /** Aborted when the connection closes. */
  readonly signal: AbortSignal;
  /**
   * Runs `fn` right after this call's answer (or its batch's) is written, in the same socket write where it can: work
   * whose events must follow the answer (chainHead operations) starts without waiting for another turn of the loop.
   * Runs even if the call then fails, so what it holds is released.
   */
  afterAnswer(fn: () => void): void;
}

export interface MethodDef<P extends readonly ParamSpec[] = readonly ParamSpec[], R = unknown> {
  name: string;
  aliases?: readonly string[];
  params: P;
  handler: (params: ParamValues<P>, ctx: CallContext) => R | Promise<R>;
}

/** Why the server dropped a subscription on its own: its client does not read its messages fast enough. */
export type SubscriptionDropReason = 'slow-consumer';

/** Why a subscription ended. */
export type SubscriptionEndReason =
  /** The client unsubscribed. */
  | 'unsubscribed'
  /** The handler called `close()` (or failed). */
  | 'closed-by-server'
  /** The connection went away (or the server stopped). */
  | 'connection-closed'
  | SubscriptionDropReason;

/** Where a subscription handler pushes notifications. */
export interface SubscriptionSink<T = unknown> {
  /** The subscription id the client received. */
  readonly id: string;
  /** True once unsubscribed, closed by the server, or the connection went away. */
  readonly closed: boolean;
  /** Why it ended (undefined while live); readable from the teardown. */
  readonly endReason: SubscriptionEndReason | undefined;
  /** Aborted when the subscription ends for any reason. */
  readonly signal: AbortSignal;
  /** Sends `{"jsonrpc":"2.0","method":<notification>,"params":{"subscription":id,"result":result}}`. */
  send(result: T): void;
  /** Ends the subscription from the server side (e.g. a watched extrinsic reached a final state). */
  close(): void;
  /**
   * `hook` runs when the server is about to drop this subscription because the connection's outbound buffer
   * passed its bound (`--rpc-max-buffer-per-connection`): a `send()` from inside the hook still goes out (one
   * last small notification, e.g. chainHead_v1_follow's `{"event":"stop"}` or transactionWatch_v1's
   * `{"event":"dropped"}`); then the subscription ends with `endReason` = the drop reason and its teardown
   * runs. Without a hook a dropped subscription just ends, as Substrate's legacy subscriptions do
   * (polkadot-sdk `sc-rpc/src/utils.rs` `pipe_from_stream`: "In such cases the subscription is dropped").
   */
  onDropped(hook: (reason: SubscriptionDropReason) => void): void;
}

/** Returned by a subscription handler: called once when the subscription ends. */
export type Teardown = () => void;

export interface SubscriptionDef<P extends readonly ParamSpec[] = readonly ParamSpec[], T = unknown> {
  /** e.g. `chain_subscribeNewHeads`. */
  subscribe: string;
  subscribeAliases?: readonly string[];
  /** e.g. `chain_unsubscribeNewHeads`. */
  unsubscribe: string;
  unsubscribeAliases?: readonly string[];
  /** Notification method name, e.g. `chain_newHead`. */
  notification: string;
  params: P;
  handler: (
    params: ParamValues<P>,
    sink: SubscriptionSink<T>,
    ctx: CallContext,
  ) => undefined | Teardown | Promise<undefined | Teardown> | void | Promise<void>;
}

export type RegistryEntry =
  | { kind: 'method'; def: MethodDef }
  | { kind: 'subscribe'; def: SubscriptionDef }
  | { kind: 'unsubscribe'; def: SubscriptionDef };

export class DuplicateMethodError extends Error {
  override readonly name = 'DuplicateMethodError';
  constructor(method: string) {
    super(`RPC method "${method}" is already registered`);
  }
}

export class MethodRegistry {
  readonly #entries = new Map<string, RegistryEntry>();

  constructor(opts: { builtins?: boolean } = {}) {
    if (opts.builtins !== false) {
      this.method({
        name: 'rpc_methods',
        params: [],
        handler: () => ({ methods: this.names() }),
      });
    }
  }

  /** Registers a plain method (and its aliases). */
  method<const P extends readonly ParamSpec[], R>(def: MethodDef<P, R>): this {
    this.#add([def.name, ...(def.aliases ?? [])], { kind: 'method', def: def as unknown as MethodDef });
    return this;
  }

  /** Registers a subscription: its subscribe and unsubscribe names (and aliases). */
  subscription<const P extends readonly ParamSpec[], T>(def: SubscriptionDef<P, T>): this {
    const d = def as unknown as SubscriptionDef;
    const subNames = [def.subscribe, ...(def.subscribeAliases ?? [])];
    const unsubNames = [def.unsubscribe, ...(def.unsubscribeAliases ?? [])];
    for (const n of [...subNames, ...unsubNames]) if (this.#entries.has(n)) throw new DuplicateMethodError(n);
    this.#add(subNames, { kind: 'subscribe', def: d });
    this.#add(unsubNames, { kind: 'unsubscribe', def: d });
    return this;
  }

  get(name: string): RegistryEntry | undefined {
    return this.#entries.get(name);
  }

  /** All callable names, aliases included, sorted (as Substrate's `rpc_methods`). */
  names(): string[] {
    return [...this.#entries.keys()].sort();
  }

  #add(names: string[], entry: RegistryEntry): void {
    for (const n of names) if (this.#entries.has(n)) throw new DuplicateMethodError(n);
    for (const n of names) this.#entries.set(n, entry);
  }
}
