/**
 * Admission of connections so that clients cannot lock each other out: a cap per client address (IPv4, or
 * IPv6 /64), a total cap, and a fair share when the total is reached — a newcomer from an address holding
 * far fewer connections than the biggest holder takes the place of that holder's least recently active
 * connection instead of being refused. Exempt addresses (the operator's own) bypass all of it.
 *
 * Substrate only has the total (`--rpc-max-connections`): one client holding them all gets every other one a
 * 429 for as long as it likes.
 */
import type { AddressList } from './client-address.ts';
import { clientKey } from './client-address.ts';

/** What the guard needs to know of, and do to, an admitted connection. */
export interface GuardedConnection {
  /** `performance.now()` of the last request received. */
  readonly lastActiveAt: number;
  /** Live subscriptions: a connection someone is watching is evicted last. */
  readonly subscriptionCount: number;
  /** Closes the connection to make room for another client's. */
  evict(): void;
}

export type Admission =
  | { admitted: true; exempt: boolean; release(): void }
  | { admitted: false; reason: 'per-ip' | 'total' };

export interface GuardLimits {
  maxConnections: number;
  maxConnectionsPerIp: number;
  exempt: AddressList;
}

export class ConnectionGuard {
  readonly #byKey = new Map<string, Set<GuardedConnection>>();
  #admitted = 0;
  #evictions = 0;

  constructor(private readonly limits: GuardLimits) {}

  /** Admitted connections that count against the limits (exempt ones do not). */
  get count(): number {
    return this.#admitted;
  }

  /** Connections closed so far to give their place to another client. */
  get evictions(): number {
    return this.#evictions;
  }

  admit(remoteAddress: string | undefined, conn: GuardedConnection): Admission {
    if (this.limits.exempt.has(remoteAddress)) return { admitted: true, exempt: true, release: () => {} };
    const key = clientKey(remoteAddress);
    const mine = this.#byKey.get(key);
    const held = mine?.size ?? 0;
    if (held >= this.limits.maxConnectionsPerIp) return { admitted: false, reason: 'per-ip' };
    if (this.#admitted >= this.limits.maxConnections && !this.#evictForNewcomer(held)) {
      return { admitted: false, reason: 'total' };
    }
    const set = mine ?? new Set<GuardedConnection>();
    if (!mine) this.#byKey.set(key, set);
    set.add(conn);
    this.#admitted++;
    let released = false;
    return {
      admitted: true,
      exempt: false,
      release: () => {
        if (released) return;
        released = true;
        this.#remove(key, set, conn);
      },
    };
  }

  /**
   * The total is reached: if some address holds at least two more connections than the newcomer's, one of
   * its connections makes room (the one with no subscriptions idle the longest, else idle the longest).
   */
  #evictForNewcomer(newcomerHeld: number): boolean {
    let biggest: { key: string; set: Set<GuardedConnection> } | undefined;
    for (const [key, set] of this.#byKey) {
      if (!biggest || set.size > biggest.set.size) biggest = { key, set };
    }
    if (!biggest || biggest.set.size < newcomerHeld + 2) return false;
    let victim: GuardedConnection | undefined;
    for (const c of biggest.set) if (!victim || evictsBefore(c, victim)) victim = c;
    this.#remove(biggest.key, biggest.set, victim!);
    this.#evictions++;
    victim!.evict();
    return true;
  }

  #remove(key: string, set: Set<GuardedConnection>, conn: GuardedConnection): void {
    if (!set.delete(conn)) return;
    this.#admitted--;
    if (set.size === 0 && this.#byKey.get(key) === set) this.#byKey.delete(key);
  }
}

function evictsBefore(a: GuardedConnection, b: GuardedConnection): boolean {
  const aUnwatched = a.subscriptionCount === 0;
  if (aUnwatched !== (b.subscriptionCount === 0)) return aUnwatched;
  return a.lastActiveAt < b.lastActiveAt;
}
