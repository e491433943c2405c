/**
 * The RPC server's options and their defaults. Substrate's own limits keep Substrate's names and defaults
 * where we have them (`--rpc-max-connections` 100, `--rpc-max-subscriptions-per-connection` 1024,
 * `--rpc-max-batch-request-len`, `--rpc-rate-limit` off); the per-client limits beyond them (issue 14) are
 * ours, with defaults a devnet or a test suite running many clients from 127.0.0.1 stays well inside.
 */
import { AddressList } from './client-address.ts';
import type { RpcLimitEvent } from './limit-events.ts';
import type { InternalErrorLog } from './session.ts';

export interface RpcServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Max HTTP body / WS message size (Substrate `--rpc-max-request-size`, 15 MiB there; 10 MiB here). */
  maxRequestBytes?: number;
  /** Max bytes of one response (Substrate `--rpc-max-response-size`); past it -32008. */
  maxResponseBytes?: number;
  /** Max bytes of a batch's whole response; past it the batch stops and is answered -32011. */
  maxBatchResponseBytes?: number;
  /** Max connections, HTTP and WS together (Substrate `--rpc-max-connections`); exempt ones not counted. */
  maxConnections?: number;
  /** Max connections from one address (IPv6: one /64). When the total is reached, the biggest holder gives
   * one up for a newcomer from an address holding fewer. */
  maxConnectionsPerIp?: number;
  /** Substrate `--rpc-max-subscriptions-per-connection`. */
  maxSubscriptionsPerConnection?: number;
  /** Substrate `--rpc-max-batch-request-len`. */
  maxBatchLength?: number;
  /** Unsent bytes a WS connection may have waiting besides the message just written (one big answer is not
   * a backlog); past it its subscriptions are dropped (with their `onDropped` hooks) and its requests wait
   * until it reads. */
  maxBufferedBytes?: number;
  /** Unsent bytes of all WS connections together; past it, a connection holding over a MiB of them is
   * treated as over its own bound. */
  maxBufferedBytesTotal?: number;
  /** How long a connection may stay over `maxBufferedBytes` before it is cut. */
  slowConsumerTimeoutMs?: number;
  /** Requests of one WS connection running at once; later ones wait (and reading pauses). */
  maxInFlightPerConnection?: number;
  /** Requests running at once over all connections, except that a connection with none running may always
   * start one (work-share.ts). */
  maxInFlightTotal?: number;
  /** A WS connection with no request and no subscription for this long is closed; 0 = never. */
  idleTimeoutMs?: number;
  /** Time a client has to send a request's head (request line and headers) before a 408. */
  headerTimeoutMs?: number;
  /** Time a client has to send a whole HTTP request (head and body) before a 408. */
  requestTimeoutMs?: number;
  /** Calls per minute per connection, over which calls wait (Substrate `--rpc-rate-limit`); 0 = none. */
  rateLimitPerMinute?: number;
  /** CIDR blocks exempt from the per-client limits (per-address cap, total, eviction, idle timeout, rate
   * limit); the buffer and size bounds still apply. Default none. */
  limitsExempt?: readonly string[];
  /** Value of Access-Control-Allow-Origin for HTTP (browsers); null disables CORS headers. */
  corsOrigin?: string | null;
  /** Plain GET endpoints answering JSON, e.g. Substrate's `/health` and `/health/readiness`. */
  getRoutes?: Record<string, () => unknown>;
  /**
   * Where failures inside the server go (a handler that throws something other than an RpcError, a result
   * that cannot be serialized, a transport error). The client gets -32603; the process keeps serving.
   * Default: one line on stderr.
   */
  onError?: InternalErrorLog;
  /** Each time a per-client limit acts (refusal, eviction, idle close, dropped subscriptions, cut). */
  onLimit?: (event: RpcLimitEvent) => void;
}

const MiB = 1024 * 1024;

export const RPC_DEFAULTS = {
  host: '127.0.0.1',
  port: 9944,
  maxRequestBytes: 10 * MiB,
  maxResponseBytes: 10 * MiB,
  maxConnections: 100,
  maxConnectionsPerIp: 50,
  maxSubscriptionsPerConnection: 1024,
  maxBatchLength: 1000,
  maxBufferedBytes: 4 * MiB,
  maxBufferedBytesTotal: 256 * MiB,
  slowConsumerTimeoutMs: 30_000,
  maxInFlightPerConnection: 8,
  maxInFlightTotal: 16,
  idleTimeoutMs: 120_000,
  headerTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  rateLimitPerMinute: 0,
  corsOrigin: '*' as string | null,
} as const;

/** The options with every default filled in (an explicit `undefined` counts as not given). */
export interface ResolvedRpcOptions
  extends Required<Omit<RpcServerOptions, 'limitsExempt' | 'onLimit' | 'maxBatchResponseBytes'>> {
  maxBatchResponseBytes: number;
  exempt: AddressList;
  /** Past this many unsent bytes a connection is cut at once. */
  hardBufferedBytes: number;
  onLimit: RpcServerOptions['onLimit'];
}

export function resolveRpcOptions(options: RpcServerOptions): ResolvedRpcOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...RPC_DEFAULTS, getRoutes: {}, onError: logToStderr, ...given } as Required<RpcServerOptions>;
  for (const name of [
    'maxRequestBytes',
    'maxResponseBytes',
    'maxConnections',
    'maxConnectionsPerIp',
    'maxBatchLength',
    'maxBufferedBytes',
    'maxBufferedBytesTotal',
    'slowConsumerTimeoutMs',
    'maxInFlightPerConnection',
    'maxInFlightTotal',
    'headerTimeoutMs',
    'requestTimeoutMs',
  ] as const) {
    if (!Number.isFinite(o[name]) || o[name] < 1) {
      throw new RangeError(`RPC option ${name} must be a positive number, got ${o[name]}`);
    }
  }
  return {
    ...o,
    maxBatchResponseBytes: options.maxBatchResponseBytes ?? o.maxResponseBytes,
    exempt: new AddressList(options.limitsExempt ?? []),
    // Room for the soft bound, answers of requests already running when it was passed, and one maximal
    // response: a legitimate big answer does not get its reader cut.
    hardBufferedBytes: 2 * o.maxBufferedBytes + 2 * o.maxResponseBytes,
    onLimit: options.onLimit,
  };
}

let logged = 0;
let windowStart = 0;
let suppressed = 0;

/** One line per internal error on stderr, at most 20 a minute (a hostile client must not flood the log). */
function logToStderr(err: unknown, context: string): void {
  const now = Date.now();
  if (now - windowStart > 60_000) {
    if (suppressed > 0) console.error(`xstorage rpc: ${suppressed} more internal errors not shown`);
    windowStart = now;
    logged = 0;
    suppressed = 0;
  }
  if (++logged > 20) {
    suppressed++;
    return;
  }
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  console.error(`xstorage rpc: internal error in ${context}: ${text.slice(0, 500)}`);
}
