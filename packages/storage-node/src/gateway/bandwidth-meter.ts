/**
 * Bytes in and out of the gateway's HTTP sockets, for `stats/bw`: each socket's `bytesRead`/`bytesWritten`
 * counted once (keep-alive sockets serve many requests), totals as Kubo's `metrics.Stats` and rates over the
 * last few seconds. One meter per started gateway (keyed by its router deps, see {@link meterFor}).
 */
import type { Socket } from 'node:net';

interface Seen {
  read: number;
  written: number;
}

/** Rates are measured over about this long. */
const RATE_WINDOW_MS = 5_000;
/** Samples are kept at most this often. */
const SAMPLE_EVERY_MS = 100;

export interface BandwidthStats {
  TotalIn: number;
  TotalOut: number;
  RateIn: number;
  RateOut: number;
}

export class BandwidthMeter {
  private totalIn = 0;
  private totalOut = 0;
  private readonly live = new Map<Socket, Seen>();
  private samples: Array<{ t: number; in: number; out: number }> = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Starts counting a socket (idempotent); its last bytes are counted when it closes. */
  track(socket: Socket): void {
    if (this.live.has(socket)) return;
    this.live.set(socket, { read: 0, written: 0 });
    socket.once('close', () => {
      this.account(socket);
      this.live.delete(socket);
    });
  }

  private account(socket: Socket): void {
    const seen = this.live.get(socket);
    if (seen === undefined) return;
    const read = socket.bytesRead ?? 0;
    const written = socket.bytesWritten ?? 0;
    this.totalIn += Math.max(0, read - seen.read);
    this.totalOut += Math.max(0, written - seen.written);
    seen.read = read;
    seen.written = written;
  }

  /** Totals so far and rates over the last seconds (bytes per second). */
  stats(): BandwidthStats {
    for (const socket of this.live.keys()) this.account(socket);
    const t = this.now();
    const last = this.samples[this.samples.length - 1];
    if (last === undefined || t - last.t >= SAMPLE_EVERY_MS)
      this.samples.push({ t, in: this.totalIn, out: this.totalOut });
    while (this.samples.length > 2 && t - this.samples[1]!.t >= RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const dt = (t - first.t) / 1000;
    return {
      TotalIn: this.totalIn,
      TotalOut: this.totalOut,
      RateIn: dt > 0 ? (this.totalIn - first.in) / dt : 0,
      RateOut: dt > 0 ? (this.totalOut - first.out) / dt : 0,
    };
  }
}

const meters = new WeakMap<object, BandwidthMeter>();

/** The meter of the gateway whose router deps are `owner` (one deps object per started gateway). */
export function meterFor(owner: object): BandwidthMeter {
  let meter = meters.get(owner);
  if (meter === undefined) {
    meter = new BandwidthMeter();
    meters.set(owner, meter);
  }
  return meter;
}
