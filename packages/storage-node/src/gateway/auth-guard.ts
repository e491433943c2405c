/**
 * The CPU a W3Auth header costs, bounded per client. An sr25519 verification takes milliseconds of the event
 * loop, and anyone may send signed headers made offline in bulk (W3Auth accepts any key), so:
 *
 * - results are remembered per header (a signature over an address never expires, and a bad one stays bad):
 *   a client that uploads again with the same header costs a lookup;
 * - verifications (headers not remembered) are rationed per client address: a token bucket of
 *   `perSecond`, holding `burst`; a request over it waits for its token up to `maxWaitMs`, past that 429.
 *
 * Only the default W3Auth authorizer is wrapped: a custom one may decide on more than the header.
 */
import type { IncomingMessage } from 'node:http';
import { type AddressList, clientKey, RateLimiter } from '@xstorage/node/rpc';
import type { Authorizer, Identity } from './auth.ts';
import { GatewayError, UnauthorizedError } from './errors.ts';

export interface AuthGuardOptions {
  /** Verifications per second per client address (default 4: a client's own header is remembered). */
  perSecond?: number;
  /** Verifications a client may make at once before the rate applies (default 20). */
  burst?: number;
  /** Longest a request waits for its verification before 429 (default 5 s). */
  maxWaitMs?: number;
  /** Headers remembered (default 4096). */
  cacheSize?: number;
}

export const AUTH_GUARD_DEFAULTS = { perSecond: 4, burst: 20, maxWaitMs: 5000, cacheSize: 4096 } as const;

/** The client asks for more signature checks than its share. */
export class TooManyAuthAttemptsError extends GatewayError {
  override name = 'TooManyAuthAttemptsError';
  override readonly status = 429;
}

/** Buckets kept before idle ones (full again) are swept. */
const SWEEP_AT = 10_000;

export function guardedAuthorizer(
  inner: Authorizer,
  exempt: AddressList,
  options: AuthGuardOptions = {},
): Authorizer {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...AUTH_GUARD_DEFAULTS, ...given } as Required<AuthGuardOptions>;
  const remembered = new Map<string, Identity | UnauthorizedError>();
  const buckets = new Map<string, { limiter: RateLimiter; waiting: number }>();

  const remember = (header: string, outcome: Identity | UnauthorizedError) => {
    if (remembered.size >= o.cacheSize) remembered.delete(remembered.keys().next().value!);
    remembered.set(header, outcome);
  };

  /** Resolves when this address may verify one more header; throws 429 when that is too far off. */
  const ration = async (address: string | undefined): Promise<void> => {
    if (exempt.has(address)) return;
    const key = clientKey(address);
    if (buckets.size >= SWEEP_AT) {
      for (const [k, b] of buckets) if (b.waiting === 0 && b.limiter.waitMs() === 0) buckets.delete(k);
    }
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { limiter: new RateLimiter(o.perSecond * 60, { capacity: o.burst }), waiting: 0 };
      buckets.set(key, bucket);
    }
    const wait = bucket.limiter.waitMs() + bucket.waiting * (1000 / o.perSecond);
    if (wait > o.maxWaitMs) {
      throw new TooManyAuthAttemptsError(
        `too many signature checks from your address (${o.perSecond}/s); try again in ${Math.ceil(wait / 1000)} s`,
      );
    }
    if (wait > 0) {
      bucket.waiting++;
      await new Promise((r) => setTimeout(r, wait));
      bucket.waiting--;
    }
    bucket.limiter.charge(1);
  };

  return async (req: IncomingMessage, action) => {
    const header = req.headers.authorization;
    const known = header === undefined ? undefined : remembered.get(header);
    if (known instanceof UnauthorizedError) throw known;
    if (known) return known;
    await ration(req.socket.remoteAddress);
    try {
      const identity = await inner(req, action);
      if (header !== undefined) remember(header, identity);
      return identity;
    } catch (err) {
      if (header !== undefined && err instanceof UnauthorizedError) remember(header, err);
      throw err;
    }
  };
}
