/**
 * `swarm/peers`, `stats/bw`, `name/resolve`, `name/publish` as Kubo's `core/commands/{swarm,stat,name}` shape
 * them, each answering honestly for what a storage gateway has:
 *
 * - `swarm/peers`: the node's libp2p connections, `{"Peers":[{"Addr","Peer","Identify":{…}}]}` sorted by
 *   address (`Peers` is null when there are none, as Go encodes an empty slice), `Direction` (1 inbound,
 *   2 outbound: Go's `network.Direction`), `Latency` (`n/a`), `Streams` and a filled `Identify` with `verbose`
 *   or their own flags.
 * - `stats/bw`: `{"TotalIn","TotalOut","RateIn","RateOut"}` of the gateway's HTTP traffic (its libp2p side is
 *   not metered); `poll` streams a line every `interval`. `peer`/`proto` figures are not kept: a command error.
 * - `name/resolve`: an `/ipfs/` path resolves to itself (as namesys does); any IPNS name or DNSLink fails with
 *   Kubo's `could not resolve name`, since this gateway keeps no IPNS records. `name/publish` fails likewise.
 */
import { meterFor } from './bandwidth-meter.ts';
import { BadArgumentError } from './errors.ts';
import type { RequestContext } from './http-util.ts';
import { args, boolOption } from './kubo-args.ts';
import { kuboContentPath, NdjsonStream } from './kubo-output.ts';
import { CommandFailedError } from './kubo-rpc.ts';
import type { GatewayNode } from './storage.ts';

interface ConnectionLike {
  remoteAddr: { toString(): string };
  remotePeer: { toString(): string };
  direction?: string;
  streams?: Array<{ protocol?: string }>;
}

interface Libp2pLike {
  getConnections?: () => ConnectionLike[];
  peerStore?: {
    get(peer: unknown): Promise<{
      addresses?: Array<{ multiaddr: { toString(): string } }>;
      protocols?: string[];
      metadata?: Map<string, Uint8Array>;
    }>;
  };
}

/** Go's zero `IdOutput`. */
const EMPTY_IDENTIFY = { ID: '', PublicKey: '', Addresses: null, AgentVersion: '', Protocols: null };

export async function handleSwarmPeers(ctx: RequestContext, node: GatewayNode): Promise<void> {
  const q = ctx.url.searchParams;
  const verbose = boolOption(q, 'verbose', false);
  const latency = verbose || boolOption(q, 'latency', false);
  const streams = verbose || boolOption(q, 'streams', false);
  const direction = verbose || boolOption(q, 'direction', false);
  const identify = verbose || boolOption(q, 'identify', false);
  const libp2p = node.libp2p as (GatewayNode['libp2p'] & Libp2pLike) | undefined;
  const conns = libp2p?.getConnections?.() ?? [];
  const peers: Array<Record<string, unknown>> = [];
  for (const c of conns) {
    const info: Record<string, unknown> = { Addr: c.remoteAddr.toString(), Peer: c.remotePeer.toString() };
    if (direction) info.Direction = c.direction === 'inbound' ? 1 : c.direction === 'outbound' ? 2 : 0;
    if (latency) info.Latency = 'n/a';
    if (streams) {
      const protocols = (c.streams ?? []).map((s) => s.protocol ?? '').sort();
      if (protocols.length > 0) info.Streams = protocols.map((p) => ({ Protocol: p }));
    }
    if (direction && info.Direction === 0) delete info.Direction;
    info.Identify = identify ? await identifyPeer(libp2p!, c) : EMPTY_IDENTIFY;
    peers.push(info);
  }
  peers.sort((a, b) => Buffer.compare(Buffer.from(String(a.Addr)), Buffer.from(String(b.Addr))));
  const out = new NdjsonStream(ctx.res);
  await out.emit({ Peers: peers.length === 0 ? null : peers });
  out.end();
}

async function identifyPeer(libp2p: Libp2pLike, c: ConnectionLike) {
  const info: Record<string, unknown> = { ...EMPTY_IDENTIFY, ID: c.remotePeer.toString() };
  try {
    const peer = await libp2p.peerStore?.get(c.remotePeer);
    const addrs = (peer?.addresses ?? []).map((a) => `${a.multiaddr.toString()}/p2p/${c.remotePeer}`).sort();
    if (addrs.length > 0) info.Addresses = addrs;
    const protocols = [...(peer?.protocols ?? [])].sort();
    if (protocols.length > 0) info.Protocols = protocols;
    const agent = peer?.metadata?.get('AgentVersion');
    if (agent !== undefined) info.AgentVersion = new TextDecoder().decode(agent);
  } catch {
    // Not in the peer store: the ID alone, as Kubo prints for a peer it knows nothing about.
  }
  return info;
}

/** Go's `time.ParseDuration` for the forms people pass (`1s`, `300ms`, `1.5h`, `2h45m`). */
export function parseGoDuration(text: string): number {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let ms = 0;
  let at = 0;
  if (text === '0') return 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    ms += Number(m[1]) * units[m[2]!]!;
    at = re.lastIndex;
  }
  if (at !== text.length || text === '')
    throw new CommandFailedError(`time: invalid duration "${text.slice(0, 40)}"`);
  return ms;
}

/** Shortest wait between two polled lines. */
const MIN_POLL_MS = 100;

export async function handleStatsBw(ctx: RequestContext, owner: object): Promise<void> {
  const q = ctx.url.searchParams;
  const peer = q.get('peer');
  const proto = q.get('proto');
  if (peer && proto) throw new BadArgumentError('please only specify peer OR protocol');
  if (peer || proto) {
    throw new CommandFailedError(
      'this gateway meters its HTTP traffic only: no per-peer or per-protocol figures',
    );
  }
  const poll = boolOption(q, 'poll', false);
  const interval = Math.max(MIN_POLL_MS, parseGoDuration(q.get('interval') || '1s'));
  const meter = meterFor(owner);
  const out = new NdjsonStream(ctx.res);
  await out.emit(meter.stats());
  while (poll && !ctx.signal.aborted && !ctx.res.destroyed) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      ctx.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
    if (ctx.signal.aborted || ctx.res.destroyed) return;
    await out.emit(meter.stats());
  }
  out.end();
}

/** Kubo's namesys `ErrResolveFailed`. */
const RESOLVE_FAILED = 'could not resolve name';

export async function handleNameResolve(ctx: RequestContext): Promise<void> {
  const [name] = args(ctx.url.searchParams, 'name', false);
  boolOption(ctx.url.searchParams, 'stream', false);
  boolOption(ctx.url.searchParams, 'recursive', true);
  if (name !== undefined && /^\/ipfs\//.test(name)) {
    // namesys answers an /ipfs/ path with itself, without reading it.
    const path = kuboContentPath(name);
    const out = new NdjsonStream(ctx.res);
    await out.emit({ Path: `/ipfs/${path.cid}${path.segments.map((s) => `/${s}`).join('')}` });
    out.end();
    return;
  }
  throw new CommandFailedError(
    `${RESOLVE_FAILED}: ${name === undefined ? 'this node has no IPNS name' : `"${name.slice(0, 80)}"`} (this gateway keeps no IPNS records and resolves no DNSLink)`,
  );
}

export function handleNamePublish(): void {
  throw new CommandFailedError('cannot publish: this gateway keeps no IPNS keys or records');
}
