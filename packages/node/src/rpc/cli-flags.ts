/**
 * The `xstorage node` flags for the RPC server's limits (Substrate's names where Substrate has the limit), as
 * `node:util` parseArgs options, their usage text, and the conversion to {@link RpcServerOptions}. Sizes are
 * in MB as in Substrate (`--rpc-max-response-size 15`), the per-connection buffer in KiB, times in seconds
 * (fractions allowed, so tests can shrink them).
 */
import { AddressList } from './client-address.ts';
import { RPC_DEFAULTS, type RpcServerOptions } from './options.ts';

export const RPC_LIMIT_FLAGS = {
  'rpc-max-connections': { type: 'string' },
  'rpc-max-connections-per-ip': { type: 'string' },
  'rpc-max-request-size': { type: 'string' },
  'rpc-max-response-size': { type: 'string' },
  'rpc-max-batch-response-size': { type: 'string' },
  'rpc-max-batch-request-len': { type: 'string' },
  'rpc-max-subscriptions-per-connection': { type: 'string' },
  'rpc-max-buffer-per-connection': { type: 'string' },
  'rpc-max-buffer-total': { type: 'string' },
  'rpc-slow-consumer-timeout': { type: 'string' },
  'rpc-max-in-flight-per-connection': { type: 'string' },
  'rpc-max-in-flight': { type: 'string' },
  'rpc-idle-timeout': { type: 'string' },
  'rpc-header-timeout': { type: 'string' },
  'rpc-request-timeout': { type: 'string' },
  'rpc-rate-limit': { type: 'string' },
  'rpc-limits-exempt': { type: 'string' },
} as const;

const MB = 1024 * 1024;
const d = RPC_DEFAULTS;

export const RPC_LIMIT_USAGE = `RPC limits (per client, so that one cannot lock out the others):
  --rpc-max-connections <n>                 HTTP and WS connections in all (default ${d.maxConnections})
  --rpc-max-connections-per-ip <n>          from one address, IPv6 per /64 (default ${d.maxConnectionsPerIp}); when the
                                            total is reached the biggest holder makes room for a smaller one
  --rpc-max-request-size <MB>               default ${d.maxRequestBytes / MB}
  --rpc-max-response-size <MB>              one response (default ${d.maxResponseBytes / MB})
  --rpc-max-batch-response-size <MB>        a whole batch's response (default: --rpc-max-response-size)
  --rpc-max-batch-request-len <n>           default ${d.maxBatchLength}
  --rpc-max-subscriptions-per-connection <n>  default ${d.maxSubscriptionsPerConnection}
  --rpc-max-buffer-per-connection <KiB>     unsent bytes before a slow reader's subscriptions are dropped
                                            and its requests wait (default ${d.maxBufferedBytes / 1024})
  --rpc-max-buffer-total <MB>               unsent bytes of all connections (default ${d.maxBufferedBytesTotal / MB}); past it
                                            connections holding over 1 MiB of them count as slow readers
  --rpc-slow-consumer-timeout <s>           then cut if it has not read them (default ${d.slowConsumerTimeoutMs / 1000})
  --rpc-max-in-flight-per-connection <n>    requests running at once per connection (default ${d.maxInFlightPerConnection})
  --rpc-max-in-flight <n>                   ... over all connections, though a connection with none running may
                                            always start one (default ${d.maxInFlightTotal})
  --rpc-idle-timeout <s>                    close a WS with no request and no subscription (default ${d.idleTimeoutMs / 1000}, 0 = never)
  --rpc-header-timeout <s>                  to send a request head (default ${d.headerTimeoutMs / 1000})
  --rpc-request-timeout <s>                 to send a whole HTTP request (default ${d.requestTimeoutMs / 1000})
  --rpc-rate-limit <calls/min>              per connection; calls over it wait (default: none)
  --rpc-limits-exempt <cidr,...>            addresses exempt from the per-client limits (default: none)
`;

export class RpcFlagError extends Error {
  override readonly name = 'RpcFlagError';
}

type FlagValues = { [K in keyof typeof RPC_LIMIT_FLAGS]?: string };

/** The RPC server options the flags ask for (only those given). */
export function rpcOptionsFromFlags(values: FlagValues): RpcServerOptions {
  const int = (name: keyof FlagValues, min: number, scale = 1): number | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min)
      throw new RpcFlagError(`--${name} must be an integer ≥ ${min}, got '${v}'`);
    return n * scale;
  };
  const seconds = (name: keyof FlagValues, min: number): number | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || n < min || n > 86_400)
      throw new RpcFlagError(`--${name} must be a number of seconds (${min}..86400), got '${v}'`);
    return Math.round(n * 1000);
  };
  let exempt: string[] | undefined;
  if (values['rpc-limits-exempt'] !== undefined) {
    try {
      exempt = [...AddressList.parse(values['rpc-limits-exempt']).entries];
    } catch (err) {
      throw new RpcFlagError(`--rpc-limits-exempt: ${(err as Error).message}`);
    }
  }
  return {
    maxConnections: int('rpc-max-connections', 1),
    maxConnectionsPerIp: int('rpc-max-connections-per-ip', 1),
    maxRequestBytes: int('rpc-max-request-size', 1, MB),
    maxResponseBytes: int('rpc-max-response-size', 1, MB),
    maxBatchResponseBytes: int('rpc-max-batch-response-size', 1, MB),
    maxBatchLength: int('rpc-max-batch-request-len', 1),
    maxSubscriptionsPerConnection: int('rpc-max-subscriptions-per-connection', 1),
    maxBufferedBytes: int('rpc-max-buffer-per-connection', 16, 1024),
    maxBufferedBytesTotal: int('rpc-max-buffer-total', 1, MB),
    slowConsumerTimeoutMs: seconds('rpc-slow-consumer-timeout', 0.1),
    maxInFlightPerConnection: int('rpc-max-in-flight-per-connection', 1),
    maxInFlightTotal: int('rpc-max-in-flight', 1),
    idleTimeoutMs: seconds('rpc-idle-timeout', 0),
    headerTimeoutMs: seconds('rpc-header-timeout', 0.1),
    requestTimeoutMs: seconds('rpc-request-timeout', 0.1),
    rateLimitPerMinute: int('rpc-rate-limit', 1),
    limitsExempt: exempt,
  };
}
