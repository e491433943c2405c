/**
 * The flags `xstorage storage-node` takes for its Crust side (`--crust …`), their usage text and their parsing
 * into {@link CrustStorageNodeOptions}. Kept here so the CLI command only spreads them in.
 */
import { type ManagerLimits, parseStrategy, type StrategyWeights } from './manager/strategy.ts';
import type { WorkerOptions } from './worker/worker.ts';

export const CRUST_FLAGS = {
  crust: { type: 'string' },
  key: { type: 'string' },
  group: { type: 'string' },
  'http-port': { type: 'string' },
  capacity: { type: 'string' },
  'min-file-size': { type: 'string' },
  'max-file-size': { type: 'string' },
  'min-replicas': { type: 'string' },
  'max-replicas': { type: 'string' },
  strategy: { type: 'string' },
  'max-pulls': { type: 'string' },
  'pull-timeout-base': { type: 'string' },
  'pull-rate': { type: 'string' },
  retries: { type: 'string' },
  'retry-delay': { type: 'string' },
  'check-interval': { type: 'string' },
  'public-gateway': { type: 'boolean' },
  'pin-replicas': { type: 'string' },
  name: { type: 'string' },
} as const;

export const CRUST_USAGE = `Storage node on Crust (with --crust):
  --crust <ws://…>          Crust's JSON-RPC; turns on the manager and the worker
  --key <uri|file>          the node's account: a secret URI (//Alice//storage-1, a mnemonic) or a file with one
  --group <owner>           join this group owner's group after the first report (its allowlist must name us)
  --http-port <port>        HTTP port of the gateway and GET /status (same as --gateway-port; default any free)
  --capacity <size>         bytes this node may fill (e.g. 500GiB; default: free disk at start)
  --min-file-size <size>    skip smaller files (default none)
  --max-file-size <size>    skip larger files (default none)
  --min-replicas <n>        scanned files need at least n replicas (default 0)
  --max-replicas <n>        skip files with n replicas or more (default 100)
  --strategy <s>            default | srdFirst | newFileFirst | <new>:<scanned> weights (default default)
  --max-pulls <n>           pulls at once (default 8; 40% of them for files of 5 GiB and more)
  --pull-timeout-base <s>   a pull may take this + size / pull-rate (default 3600)
  --pull-rate <size>        bytes per second counted in the timeout (default 200KiB)
  --retries <n>             pull attempts before a file is given up (default 3)
  --retry-delay <s>         wait before a failed or waiting file is tried again (default 1800)
  --check-interval <s>      random re-checks of stored files this often (default 600)
  --public-gateway          serve the IPFS Pinning Service API (/pins): orders paid by --key's account
  --pin-replicas <n>        replicas on chain for a pin to count as pinned (default 3, as Crust's pinner)
  --name <name>             a name in logs and /status`;

export class FlagError extends Error {
  override name = 'FlagError';
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** `1048576`, `100MiB`, `1.5GB`, … in bytes. */
export function parseSize(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new FlagError(`--${flag} must be a size like 1048576, 100MiB or 2GB, got '${text}'`);
  return Math.floor(Number(m[1]) * unit);
}

function parseCount(flag: string, text: string, min = 0): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new FlagError(`--${flag} must be an integer ≥ ${min}, got '${text}'`);
  return n;
}

function parseSeconds(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new FlagError(`--${flag} must be seconds ≥ 0, got '${text}'`);
  return n * 1000;
}

export interface ParsedCrustFlags {
  crust: string;
  key: string;
  group?: string;
  httpPort?: number;
  capacity?: number;
  limits: Partial<ManagerLimits>;
  strategy?: StrategyWeights;
  worker: Partial<WorkerOptions>;
  publicGateway: boolean;
  pinReplicas: number;
  name?: string;
}

export function parseCrustFlags(
  values: Record<string, string | boolean | string[] | undefined>,
): ParsedCrustFlags {
  const v = values as Record<string, string | undefined>;
  if (!v.crust) throw new FlagError('--crust is required here');
  if (!/^wss?:\/\//.test(v.crust))
    throw new FlagError(`--crust must be a ws:// or wss:// URL, got '${v.crust}'`);
  if (!v.key) throw new FlagError('--key is required with --crust');
  const limits: Partial<ManagerLimits> = {};
  if (v['min-file-size'] !== undefined) limits.minFileSize = parseSize('min-file-size', v['min-file-size']);
  if (v['max-file-size'] !== undefined) limits.maxFileSize = parseSize('max-file-size', v['max-file-size']);
  if (v['min-replicas'] !== undefined) limits.minReplicas = parseCount('min-replicas', v['min-replicas']);
  if (v['max-replicas'] !== undefined) limits.maxReplicas = parseCount('max-replicas', v['max-replicas']);
  if (v['max-pulls'] !== undefined) limits.maxPendingPulls = parseCount('max-pulls', v['max-pulls'], 1);
  if (v['pull-timeout-base'] !== undefined)
    limits.pullTimeoutBaseMs = parseSeconds('pull-timeout-base', v['pull-timeout-base']);
  if (v['pull-rate'] !== undefined) {
    limits.pullBytesPerSecond = parseSize('pull-rate', v['pull-rate']);
    if (limits.pullBytesPerSecond <= 0) throw new FlagError('--pull-rate must be above 0');
  }
  if (v.retries !== undefined) limits.maxAttempts = parseCount('retries', v.retries, 1);
  if (v['retry-delay'] !== undefined) limits.retryDelayMs = parseSeconds('retry-delay', v['retry-delay']);
  const worker: Partial<WorkerOptions> = {};
  if (v['check-interval'] !== undefined)
    worker.checkIntervalMs = parseSeconds('check-interval', v['check-interval']);
  const port = v['http-port'] ?? v['gateway-port'];
  let httpPort: number | undefined;
  if (port !== undefined) {
    httpPort = Number(port);
    if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535)
      throw new FlagError(`--http-port must be 0..65535, got '${port}'`);
  }
  let strategy: StrategyWeights | undefined;
  if (v.strategy !== undefined) {
    try {
      strategy = parseStrategy(v.strategy);
    } catch (err) {
      throw new FlagError(`--strategy: ${(err as Error).message}`);
    }
  }
  return {
    crust: v.crust,
    key: v.key,
    group: v.group,
    httpPort,
    capacity: v.capacity === undefined ? undefined : parseSize('capacity', v.capacity),
    limits,
    strategy,
    worker,
    publicGateway: values['public-gateway'] === true,
    pinReplicas: v['pin-replicas'] === undefined ? 3 : parseCount('pin-replicas', v['pin-replicas'], 1),
    name: v.name,
  };
}
