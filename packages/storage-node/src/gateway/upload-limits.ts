/**
 * What one client may cost the gateway in uploads (issue 14): W3Auth accepts any key, as Crust's public
 * gateways do, so a signature names a client but does not vouch for it.
 *
 * - Body time: an upload body gets `bodyTimeoutMs`, plus one second for every `minBytesPerSecond` bytes it
 *   has sent (Apache's mod_reqtimeout rule, `body=20,MinRate=500`): a client dripping bytes is cut, a slow
 *   but real link is not.
 * - Uploads in flight per client address and per identity (the W3Auth address), refused with 429 past them.
 * - Bytes per identity per window (a fixed window from its first upload), 429 with Retry-After past them.
 *
 * Exempt addresses (the operator's own) skip the counts and the quota; body time applies to everyone.
 */
import { AddressList, clientKey } from '@xstorage/node/rpc';
import { GatewayError } from './errors.ts';

export interface UploadLimitOptions {
  /** Time any upload body gets (default 20 s). */
  bodyTimeoutMs?: number;
  /** Each this many bytes received add a second (default 500, as Apache). */
  minBytesPerSecond?: number;
  /** Uploads at once from one address, IPv6 per /64 (default 16). */
  maxUploadsPerIp?: number;
  /** Uploads at once per W3Auth identity (default 4). */
  maxUploadsPerIdentity?: number;
  /** Bytes one identity may upload per window; 0 = no quota (default 32 GiB). */
  quotaBytes?: number;
  /** Quota window (default 1 h). */
  quotaWindowMs?: number;
  /** CIDR blocks exempt from the counts and the quota. */
  exempt?: readonly string[];
}

export const UPLOAD_LIMIT_DEFAULTS = {
  bodyTimeoutMs: 20_000,
  minBytesPerSecond: 500,
  maxUploadsPerIp: 16,
  maxUploadsPerIdentity: 4,
  quotaBytes: 32 * 1024 ** 3,
  quotaWindowMs: 3_600_000,
} as const;

/** Too many uploads at once from this address or identity. */
export class TooManyUploadsError extends GatewayError {
  override name = 'TooManyUploadsError';
  override readonly status = 429;
}

/** The identity used up its bytes for this window. */
export class UploadQuotaExceededError extends GatewayError {
  override name = 'UploadQuotaExceededError';
  override readonly status = 429;
  constructor(
    readonly quotaBytes: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`upload quota exceeded: ${quotaBytes} bytes per window; try again in ${retryAfterSeconds} s`);
  }
}

/** The body did not arrive fast enough (see the body time rule above). */
export class UploadBodyTimeoutError extends GatewayError {
  override name = 'UploadBodyTimeoutError';
  override readonly status = 408;
}

/** The body-time rule for one upload, as the multipart reader applies it. */
export interface BodyDeadline {
  timeoutMs: number;
  minBytesPerSecond: number;
}

/** One admitted upload: counts its bytes against the quota; `release` when it ends. */
export interface UploadGrant {
  /** Adds received bytes; throws {@link UploadQuotaExceededError} past the quota. */
  count(bytes: number): void;
  release(): void;
}

interface QuotaWindow {
  start: number;
  used: number;
}

/** Windows kept before expired ones are swept (one per identity seen in the window). */
const SWEEP_AT = 10_000;
/** Most windows kept at all. */
const MAX_WINDOWS = 100_000;

export class UploadLimiter {
  readonly limits: Required<Omit<UploadLimitOptions, 'exempt'>>;
  readonly #exempt: AddressList;
  readonly #perIp = new Map<string, number>();
  readonly #perIdentity = new Map<string, number>();
  readonly #windows = new Map<string, QuotaWindow>();

  constructor(
    options: UploadLimitOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.limits = { ...UPLOAD_LIMIT_DEFAULTS, ...given } as Required<Omit<UploadLimitOptions, 'exempt'>>;
    this.#exempt = new AddressList(options.exempt ?? []);
  }

  /** The operator's exempt addresses (shared by the gateway's other per-client limits). */
  get exempt(): AddressList {
    return this.#exempt;
  }

  get bodyDeadline(): BodyDeadline {
    return { timeoutMs: this.limits.bodyTimeoutMs, minBytesPerSecond: this.limits.minBytesPerSecond };
  }

  /** Uploads running now (not exempt). */
  get inFlight(): number {
    let n = 0;
    for (const v of this.#perIp.values()) n += v;
    return n;
  }

  /**
   * Admits an upload from `address` by `identity` (a W3Auth address, or undefined when writes are open), with
   * the body size it declared. Throws 429s; the caller must `release()` the grant.
   */
  admit(address: string | undefined, identity: string | undefined, declaredBytes?: number): UploadGrant {
    if (this.#exempt.has(address)) return { count: () => {}, release: () => {} };
    const ipKey = clientKey(address);
    const idKey = identity ?? `address:${ipKey}`;
    const { maxUploadsPerIp, maxUploadsPerIdentity } = this.limits;
    if ((this.#perIp.get(ipKey) ?? 0) >= maxUploadsPerIp) {
      throw new TooManyUploadsError(
        `too many uploads at once from your address (at most ${maxUploadsPerIp})`,
      );
    }
    if ((this.#perIdentity.get(idKey) ?? 0) >= maxUploadsPerIdentity) {
      throw new TooManyUploadsError(
        `too many uploads at once for ${idKey.slice(0, 80)} (at most ${maxUploadsPerIdentity})`,
      );
    }
    const window = this.#window(idKey);
    if (declaredBytes !== undefined) this.#charge(window, 0, declaredBytes);
    bump(this.#perIp, ipKey, 1);
    bump(this.#perIdentity, idKey, 1);
    let released = false;
    return {
      count: (bytes) => this.#charge(window, bytes),
      release: () => {
        if (released) return;
        released = true;
        bump(this.#perIp, ipKey, -1);
        bump(this.#perIdentity, idKey, -1);
      },
    };
  }

  /** Adds `bytes` to the window; throws if that, plus `ahead` bytes announced, passes the quota. */
  #charge(window: QuotaWindow, bytes: number, ahead = 0): void {
    const quota = this.limits.quotaBytes;
    if (quota <= 0) return;
    window.used += bytes;
    if (window.used + ahead > quota) {
      const retry = Math.max(1, Math.ceil((window.start + this.limits.quotaWindowMs - this.now()) / 1000));
      throw new UploadQuotaExceededError(quota, retry);
    }
  }

  #window(key: string): QuotaWindow {
    const t = this.now();
    const existing = this.#windows.get(key);
    if (existing && t - existing.start < this.limits.quotaWindowMs) return existing;
    if (this.#windows.size >= SWEEP_AT) {
      for (const [k, w] of this.#windows)
        if (t - w.start >= this.limits.quotaWindowMs) this.#windows.delete(k);
      // Fresh keys cost nothing: past a bound the oldest windows go (a one-shot key loses nothing by it).
      for (const k of this.#windows.keys()) {
        if (this.#windows.size < MAX_WINDOWS) break;
        this.#windows.delete(k);
      }
    }
    const fresh = { start: t, used: 0 };
    this.#windows.set(key, fresh);
    return fresh;
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
