/** What the RPC server's per-client limits did, for an operator's log and for tests. */
export type RpcLimitEvent =
  /** A connection was refused (HTTP 429): its address holds its share already, or the server is full. */
  | { kind: 'refused'; address: string; reason: 'per-ip' | 'total' }
  /** A connection was closed to make room for a client from an address holding fewer. */
  | { kind: 'evicted'; address: string }
  /** A WebSocket without requests or subscriptions for the idle timeout was closed. */
  | { kind: 'idle-closed'; address: string }
  /** A connection passed its outbound buffer bound: its subscriptions were dropped. */
  | { kind: 'subscriptions-dropped'; address: string; count: number }
  /** A connection that did not read its messages was cut. */
  | { kind: 'slow-consumer-cut'; address: string; reason: string };

export type RpcLimitStats = { [K in RpcLimitEvent['kind']]: number };

/** Counts events by kind and hands each to the operator's callback. */
export class LimitEvents {
  readonly stats: RpcLimitStats = {
    refused: 0,
    evicted: 0,
    'idle-closed': 0,
    'subscriptions-dropped': 0,
    'slow-consumer-cut': 0,
  };

  constructor(private readonly listener: ((event: RpcLimitEvent) => void) | undefined) {}

  emit(event: RpcLimitEvent): void {
    this.stats[event.kind] += event.kind === 'subscriptions-dropped' ? event.count : 1;
    try {
      this.listener?.(event);
    } catch {
      // An operator's logger must not take the connection down with it.
    }
  }
}
