/**
 * Delegated Routing V1 HTTP API (specs.ipfs.tech/routing/http-routing-v1), answered for what this gateway
 * holds: `GET /routing/v1/providers/{cid}` names the gateway itself (a `transport-ipfs-gateway-http` record at
 * the address the client reached it by, and the node's libp2p addresses as `transport-bitswap`) when the block
 * is stored here, and no provider otherwise; `GET /routing/v1/peers/{peer-id}` knows this node only. Helia's
 * delegated routing client (`@helia/delegated-routing-v1-http-api-client`, used by `@helia/http` and
 * `@helia/verified-fetch` for each `routers` URL) asks these first. IPNS is not kept here (404, "no record",
 * as the spec tells clients to read it), and the optional DHT API is 501.
 *
 * IPIP-484 filters (`filter-addrs`, `filter-protocols`) are applied as the spec words them.
 */
import { base58btc } from 'multiformats/bases/base58';
import type { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { identity } from 'multiformats/hashes/identity';
import { parseCid } from './content-path.ts';
import { BadArgumentError, GatewayError, MethodNotAllowedError, truncate } from './errors.ts';
import type { RequestContext } from './http-util.ts';
import type { GatewayNode } from './storage.ts';

export const ROUTING_V1_PREFIX = '/routing/v1/';
export const GATEWAY_HTTP_PROTOCOL = 'transport-ipfs-gateway-http';
export const BITSWAP_PROTOCOL = 'transport-bitswap';
const LIBP2P_KEY_CODE = 0x72;

/** The request does not conform to the API's schema (a bad CID or peer id): 422, as the spec says. */
export class UnprocessableRoutingRequestError extends GatewayError {
  override name = 'UnprocessableRoutingRequestError';
  override readonly status = 422;
}

/** A routing method or path this server does not implement: 501, as the spec says. */
export class RoutingNotImplementedError extends GatewayError {
  override name = 'RoutingNotImplementedError';
  override readonly status = 501;
}

/** No IPNS records are kept here; the spec has clients read 404 as "no record". */
export class NoIpnsRecordError extends GatewayError {
  override name = 'NoIpnsRecordError';
  override readonly status = 404;
}

/** A Peer Schema record. */
export interface PeerRecord {
  Schema: 'peer';
  ID: string;
  Addrs: string[];
  Protocols: string[];
}

export async function handleRoutingV1(ctx: RequestContext, node: GatewayNode): Promise<void> {
  const { req, url } = ctx;
  const rest = url.pathname.slice(ROUTING_V1_PREFIX.length);
  const [kind, ...parts] = rest.split('/');
  if (kind === 'ipns' && parts.length === 1) {
    if (req.method === 'PUT')
      throw new RoutingNotImplementedError('publishing IPNS records is not supported here');
    allowRead(req.method);
    throw new NoIpnsRecordError('no IPNS record: this gateway keeps no IPNS records');
  }
  if (kind === 'dht') {
    allowRead(req.method);
    throw new RoutingNotImplementedError('the DHT routing API is not implemented here');
  }
  if ((kind !== 'providers' && kind !== 'peers') || parts.length !== 1 || parts[0] === '') {
    throw new BadArgumentError(`unknown routing path ${truncate(url.pathname, 100)}`);
  }
  allowRead(req.method);
  const filters = parseFilters(url.searchParams);
  const self = selfRecords(ctx, node);
  let records: PeerRecord[];
  if (kind === 'providers') {
    let cid: CID;
    try {
      cid = parseCid(decodeURIComponent(parts[0]!));
    } catch (err) {
      throw new UnprocessableRoutingRequestError((err as Error).message);
    }
    records = (await ctx.blocks.has(cid, ctx.signal)) ? self : [];
  } else {
    const wanted = parsePeerId(parts[0]!);
    const mine = parsePeerId(self[0]!.ID);
    records = equalBytes(wanted, mine) ? self : [];
  }
  sendRecords(ctx, kind === 'providers' ? 'Providers' : 'Peers', applyFilters(records, filters));
}

function allowRead(method: string | undefined): void {
  if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(method ?? '', ['GET', 'HEAD']);
}

function sendRecords(ctx: RequestContext, field: 'Providers' | 'Peers', records: PeerRecord[]): void {
  const { req, res } = ctx;
  const streaming = /application\/x-ndjson/i.test(req.headers.accept ?? '');
  // Results are cacheable for a while; "none" only briefly (the block may arrive), as the spec suggests.
  const maxAge = records.length > 0 ? 300 : 15;
  const headers: Record<string, string> = {
    'Content-Type': streaming ? 'application/x-ndjson' : 'application/json',
    'Cache-Control': `public, max-age=${maxAge}, public, stale-while-revalidate=${maxAge * 2}, stale-if-error=${maxAge * 2}`,
    'Last-Modified': new Date().toUTCString(),
    Vary: 'Accept',
  };
  const body = streaming
    ? records.map((r) => `${JSON.stringify(r)}\n`).join('')
    : `${JSON.stringify({ [field]: records.slice(0, 100) })}\n`;
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** This node's records: the HTTP gateway the client is talking to, and its libp2p side if it has one. */
function selfRecords(ctx: RequestContext, node: GatewayNode): PeerRecord[] {
  const libp2p = node.libp2p;
  const http = gatewayAddress(ctx);
  const id = libp2p ? libp2p.peerId.toString() : syntheticPeerId(http.url);
  const records: PeerRecord[] = [
    {
      Schema: 'peer',
      ID: id,
      Addrs: http.multiaddr ? [http.multiaddr] : [],
      Protocols: [GATEWAY_HTTP_PROTOCOL],
    },
  ];
  const addrs =
    libp2p
      ?.getMultiaddrs()
      .map(String)
      .filter((a) => !a.includes('/p2p-circuit')) ?? [];
  if (addrs.length > 0) records.push({ Schema: 'peer', ID: id, Addrs: addrs, Protocols: [BITSWAP_PROTOCOL] });
  return records;
}

/**
 * Without libp2p the gateway still needs a peer id in its records: an identity multihash of its URL (the
 * same idea as Helia's fallback router, which names a gateway by its URL), base58btc as peer ids are.
 */
function syntheticPeerId(url: string): string {
  return base58btc.encode(identity.digest(new TextEncoder().encode(url)).bytes).slice(1);
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * The gateway's address as this client reached it: `X-Forwarded-Proto`/`X-Forwarded-Host` from a TLS proxy in
 * front, else the Host header, else the socket's local address. Only a well-formed host is used (the record
 * only ever describes this gateway, to the client that asked).
 */
export function gatewayAddress(ctx: RequestContext): { url: string; multiaddr?: string } {
  const { req } = ctx;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
  const proto = first(req.headers['x-forwarded-proto'])?.toLowerCase() === 'https' ? 'https' : 'http';
  const hostHeader = first(req.headers['x-forwarded-host']) ?? req.headers.host ?? '';
  let host: string | undefined;
  let port: number | undefined;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(hostHeader);
  if (m) {
    host = m[1]!.replace(/^\[|\]$/g, '').toLowerCase();
    port = m[2] === undefined ? (proto === 'https' ? 443 : 80) : Number(m[2]);
  }
  const valid =
    host !== undefined &&
    port !== undefined &&
    port > 0 &&
    port < 65536 &&
    (IPV4.test(host) || host.includes(':') || HOST_NAME.test(host));
  if (!valid) {
    host = req.socket.localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    port = req.socket.localPort ?? 80;
  }
  const h = host!;
  const p = port!;
  const kind = IPV4.test(h) ? 'ip4' : h.includes(':') ? 'ip6' : 'dns';
  const url = `${proto}://${kind === 'ip6' ? `[${h}]` : h}:${p}`;
  return { url, multiaddr: `/${kind}/${h}/tcp/${p}/${proto}` };
}

/** A peer id as the spec takes it: a base58btc multihash, or a CIDv1 with the libp2p-key codec. */
function parsePeerId(text: string): Uint8Array {
  try {
    const decoded = decodeURIComponent(text);
    if (/^[1Q]/.test(decoded)) return Digest.decode(base58btc.baseDecode(decoded)).bytes;
    const cid = parseCid(decoded);
    if (cid.code !== LIBP2P_KEY_CODE) throw new Error(`codec 0x${cid.code.toString(16)} is not libp2p-key`);
    return cid.multihash.bytes;
  } catch (err) {
    throw new UnprocessableRoutingRequestError(
      `invalid peer id "${truncate(text, 100)}": ${(err as Error).message}`,
    );
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);
}

interface Filters {
  addrs?: { positive: string[]; negative: string[] };
  protocols?: string[];
}

function list(query: URLSearchParams, name: string): string[] | undefined {
  const v = query.get(name);
  if (v === null || v.trim() === '') return undefined;
  return v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '')
    .slice(0, 64);
}

function parseFilters(query: URLSearchParams): Filters {
  const addrs = list(query, 'filter-addrs');
  const protocols = list(query, 'filter-protocols');
  return {
    addrs: addrs && {
      positive: addrs.filter((a) => !a.startsWith('!')),
      negative: addrs.filter((a) => a.startsWith('!')).map((a) => a.slice(1)),
    },
    protocols,
  };
}

/** The protocol names in a multiaddr string (`/ip4/1.2.3.4/tcp/80/http` → ip4, tcp, http). */
function protocolNames(addr: string): string[] {
  const parts = addr.split('/').filter((p) => p !== '');
  // Names and values alternate, except for value-less protocols; the names we filter on are never values.
  return parts.map((p) => p.toLowerCase());
}

function applyFilters(records: PeerRecord[], filters: Filters): PeerRecord[] {
  const out: PeerRecord[] = [];
  for (const record of records) {
    if (filters.protocols) {
      const mine = record.Protocols.map((p) => p.toLowerCase());
      const ok = filters.protocols.some((p) => (p === 'unknown' ? mine.length === 0 : mine.includes(p)));
      if (!ok) continue;
    }
    let addrs = record.Addrs;
    if (filters.addrs) {
      const { positive, negative } = filters.addrs;
      if (addrs.length === 0) {
        if (!positive.includes('unknown') && positive.length > 0) continue;
      } else {
        addrs = addrs.filter((a) => {
          const names = protocolNames(a);
          if (negative.some((n) => names.includes(n))) return false;
          return positive.length === 0 || positive.some((p) => names.includes(p));
        });
        if (addrs.length === 0) continue;
      }
    }
    out.push({ ...record, Addrs: addrs });
  }
  return out;
}
