/**
 * The `xstorage storage-node` flags for the gateway's per-client limits, as `node:util` parseArgs options,
 * their usage text, and the conversion to gateway options. Times in seconds (fractions allowed, so tests can
 * shrink them), the quota in MB.
 */
import { AddressList } from '@xstorage/node/rpc';
import { AUTH_GUARD_DEFAULTS, type AuthGuardOptions } from './auth-guard.ts';
import { UPLOAD_LIMIT_DEFAULTS, type UploadLimitOptions } from './upload-limits.ts';

export const GATEWAY_LIMIT_FLAGS = {
  'gateway-header-timeout': { type: 'string' },
  'gateway-upload-timeout': { type: 'string' },
  'gateway-upload-min-rate': { type: 'string' },
  'gateway-max-uploads-per-ip': { type: 'string' },
  'gateway-max-uploads-per-identity': { type: 'string' },
  'gateway-upload-quota': { type: 'string' },
  'gateway-upload-quota-window': { type: 'string' },
  'gateway-auth-rate': { type: 'string' },
  'gateway-limits-exempt': { type: 'string' },
} as const;

const MB = 1024 * 1024;
const d = UPLOAD_LIMIT_DEFAULTS;

export const GATEWAY_LIMIT_USAGE = `Gateway limits (per client):
  --gateway-header-timeout <s>            to send a request head (default 20)
  --gateway-upload-timeout <s>            an upload body gets this long, plus 1 s per
  --gateway-upload-min-rate <bytes/s>     this many bytes received (defaults ${d.bodyTimeoutMs / 1000} and ${d.minBytesPerSecond})
  --gateway-max-uploads-per-ip <n>        uploads at once from one address (default ${d.maxUploadsPerIp})
  --gateway-max-uploads-per-identity <n>  uploads at once per W3Auth identity (default ${d.maxUploadsPerIdentity})
  --gateway-upload-quota <MB>             bytes per identity per window (default ${d.quotaBytes / MB}, 0 = none)
  --gateway-upload-quota-window <s>       default ${d.quotaWindowMs / 1000}
  --gateway-auth-rate <n>                 W3Auth signature checks per second per address, over it requests
                                          wait, then 429 (default ${AUTH_GUARD_DEFAULTS.perSecond}; known headers are not checked again)
  --gateway-limits-exempt <cidr,...>      addresses exempt from the counts, the quota and the auth rate (default: none)
`;

export class GatewayFlagError extends Error {
  override readonly name = 'GatewayFlagError';
}

type FlagValues = { [K in keyof typeof GATEWAY_LIMIT_FLAGS]?: string };

export interface GatewayLimitFlags {
  headerTimeoutMs?: number;
  uploadLimits: UploadLimitOptions;
  authLimits: AuthGuardOptions;
}

/** The gateway options the flags ask for (only those given). */
export function gatewayOptionsFromFlags(values: FlagValues): GatewayLimitFlags {
  const int = (name: keyof FlagValues, min: number, scale = 1): number | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min)
      throw new GatewayFlagError(`--${name} must be an integer ≥ ${min}, got '${v}'`);
    return n * scale;
  };
  const seconds = (name: keyof FlagValues): number | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || n < 0.05 || n > 30 * 86_400)
      throw new GatewayFlagError(`--${name} must be a number of seconds (0.05..2592000), got '${v}'`);
    return Math.round(n * 1000);
  };
  let exempt: string[] | undefined;
  if (values['gateway-limits-exempt'] !== undefined) {
    try {
      exempt = [...AddressList.parse(values['gateway-limits-exempt']).entries];
    } catch (err) {
      throw new GatewayFlagError(`--gateway-limits-exempt: ${(err as Error).message}`);
    }
  }
  return {
    headerTimeoutMs: seconds('gateway-header-timeout'),
    uploadLimits: {
      bodyTimeoutMs: seconds('gateway-upload-timeout'),
      minBytesPerSecond: int('gateway-upload-min-rate', 1),
      maxUploadsPerIp: int('gateway-max-uploads-per-ip', 1),
      maxUploadsPerIdentity: int('gateway-max-uploads-per-identity', 1),
      quotaBytes: int('gateway-upload-quota', 0, MB),
      quotaWindowMs: seconds('gateway-upload-quota-window'),
      exempt,
    },
    authLimits: { perSecond: int('gateway-auth-rate', 1) },
  };
}
