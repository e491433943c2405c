/**
 * Dispatch for one HTTP request and the mapping of every failure to a response: Kubo's error JSON under
 * `/api/v0/`, W3Auth's JSON on 401, short text on the path gateway. A request whose body was not read (an
 * early 401/413/400) has its body drained up to a cap, so the client reads the status instead of a reset.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorizer } from './auth.ts';
import { meterFor } from './bandwidth-meter.ts';
import {
  GatewayError,
  InternalGatewayError,
  InvalidPathError,
  MalformedMultipartError,
  MethodNotAllowedError,
  RequestAbortedError,
  RouteNotFoundError,
  UnauthorizedError,
} from './errors.ts';
import { type RequestContext, sendJson, sendText } from './http-util.ts';
import { handleAdd } from './kubo-add.ts';
import { KUBO_COMMANDS } from './kubo-commands.ts';
import { handleRepoGc, handleRepoStat } from './kubo-repo.ts';
import {
  handleBlockGet,
  handleCat,
  handleId,
  handlePinAdd,
  handlePinLs,
  handlePinRm,
  handleVersion,
} from './kubo-rpc.ts';
import { answeredNotCached } from './only-if-cached.ts';
import { handleIpfsPath } from './path-gateway.ts';
import type { PinStore } from './pin-roots.ts';
import { handleRoutingV1, ROUTING_V1_PREFIX } from './routing-v1.ts';
import type { GatewayNode, LocalBlocks } from './storage.ts';
import type { HoldUploadGuard } from './upload-gc.ts';
import type { UploadLedger } from './upload-ledger.ts';
import {
  type BodyDeadline,
  UploadBodyTimeoutError,
  type UploadLimiter,
  UploadQuotaExceededError,
} from './upload-limits.ts';
import type { PartsWriter } from './upload-parts.ts';

export interface RouterDeps {
  node: GatewayNode;
  blocks: LocalBlocks;
  ledger: UploadLedger;
  /** Undefined = writes are open (only for tests and trusted deployments). */
  authorize: Authorizer | undefined;
  maxUploadBytes: number;
  /** Where uploads record their pins from the blocks they stored (a Helia node's datastore); else Helia walks. */
  pinStore?: PinStore;
  /** Writes dag-pb leaves as parts when the store under Helia takes them. */
  partsWriter?: PartsWriter;
  /** Holds Helia's GC read lock over a pinned upload. */
  uploadGuard?: HoldUploadGuard;
  /** Most bytes of an unread request body we swallow before closing the socket. */
  drainLimitBytes: number;
  /** Uploads per address and identity, the quota, and the body-time rule. */
  uploads: UploadLimiter;
  /** Optional logger for unexpected (500) errors. */
  onError?: (err: unknown, req: IncomingMessage) => void;
}

type RpcHandler = (ctx: RequestContext, deps: RouterDeps) => Promise<void> | void;

interface RpcCommand {
  handler: RpcHandler;
  /** Writes need W3Auth. */
  write: boolean;
  /** Reads a body into the store: counted by the upload limits. */
  upload?: boolean;
}

const RPC: Record<string, RpcCommand> = {
  add: {
    handler: (ctx, d) => handleAdd(ctx, { ...d, bodyDeadline: d.uploads.bodyDeadline }),
    write: true,
    upload: true,
  },
  cat: { handler: (ctx) => handleCat(ctx), write: false },
  'block/get': { handler: (ctx) => handleBlockGet(ctx), write: false },
  'pin/add': { handler: (ctx, d) => handlePinAdd(ctx, d.node), write: true },
  'pin/rm': { handler: (ctx, d) => handlePinRm(ctx, d.node), write: true },
  'pin/ls': { handler: (ctx, d) => handlePinLs(ctx, d.node), write: false },
  id: { handler: (ctx, d) => handleId(ctx, d.node), write: false },
  version: { handler: (ctx) => handleVersion(ctx), write: false },
  'repo/gc': { handler: (ctx, d) => handleRepoGc(ctx, d.node), write: true },
  'repo/stat': { handler: (ctx, d) => handleRepoStat(ctx, d.node), write: false },
  // ls, refs, dag/*, block/put|stat|rm, files/stat, swarm/peers, stats/bw, name/* (issue 13)
  ...KUBO_COMMANDS,
};

const RPC_PREFIX = '/api/v0/';
const EXPOSED_HEADERS = [
  'Content-Range',
  'Content-Length',
  'X-Ipfs-Path',
  'X-Ipfs-Roots',
  'X-Chunked-Output',
  'X-Stream-Output',
  'X-Stream-Error',
  'Etag',
].join(', ');

export async function route(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RouterDeps,
  signal: AbortSignal,
): Promise<void> {
  const rawUrl = req.url ?? '/';
  const isRpc = rawUrl.startsWith(RPC_PREFIX);
  // `stats/bw` reports the bytes of the gateway's sockets.
  meterFor(deps).track(req.socket);
  // Browser DApps read from the gateway and upload with an Authorization header, as through Crust's W3Auth
  // gateways (which enable CORS for every origin); a signature, not a cookie, authorizes writes.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': isRpc ? 'POST' : 'GET, HEAD',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Range, Accept, If-None-Match',
      'Access-Control-Max-Age': '86400',
    });
    res.end();
    return;
  }
  try {
    let url: URL;
    try {
      url = new URL(rawUrl, 'http://gateway.invalid');
    } catch {
      throw new InvalidPathError('malformed request URL');
    }
    const ctx: RequestContext = { req, res, url, blocks: deps.blocks, signal };
    if (isRpc) return await routeRpc(ctx, deps);
    if (url.pathname.startsWith('/ipfs/') || url.pathname === '/ipfs') {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw new MethodNotAllowedError(req.method ?? '', ['GET', 'HEAD']);
      if (url.pathname === '/ipfs') throw new InvalidPathError('missing CID: expected /ipfs/<cid>[/path]');
      if (await answeredNotCached(ctx)) return;
      return await handleIpfsPath(ctx);
    }
    if (url.pathname.startsWith(ROUTING_V1_PREFIX)) return await handleRoutingV1(ctx, deps.node);
    throw new RouteNotFoundError(url.pathname);
  } catch (err) {
    sendError(req, res, err, isRpc, deps, signal);
  }
}

async function routeRpc(ctx: RequestContext, deps: RouterDeps): Promise<void> {
  const name = ctx.url.pathname.slice(RPC_PREFIX.length).replace(/\/$/, '');
  // Own keys only: `constructor`, `toString`, … are not commands.
  const command = Object.hasOwn(RPC, name) ? RPC[name] : undefined;
  if (command === undefined) throw new RouteNotFoundError(ctx.url.pathname);
  // Kubo's RPC only answers POST (a browser-driven GET could otherwise trigger writes).
  if (ctx.req.method !== 'POST') throw new MethodNotAllowedError(ctx.req.method ?? '', ['POST']);
  const length = Number(ctx.req.headers['content-length']);
  const declaredBytes = Number.isFinite(length) ? length : undefined;
  let identity: string | undefined;
  if (command.write && deps.authorize !== undefined) {
    const who = await deps.authorize(ctx.req, { command: name, declaredBytes });
    // Ethereum addresses are case-insensitive (checksum casing is optional).
    identity = `${who.chain}:${who.chain === 'ethereum' ? who.address.toLowerCase() : who.address}`;
  }
  if (!command.upload) return await command.handler(ctx, deps);
  const grant = deps.uploads.admit(ctx.req.socket.remoteAddress, identity, declaredBytes);
  try {
    await command.handler({ ...ctx, upload: grant }, deps);
  } finally {
    grant.release();
  }
}

function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  err: unknown,
  isRpc: boolean,
  deps: RouterDeps,
  signal: AbortSignal,
): void {
  const error =
    err instanceof GatewayError
      ? err
      : signal.aborted
        ? new RequestAbortedError('request aborted')
        : new InternalGatewayError(err instanceof Error ? err.message : String(err));
  if (error instanceof InternalGatewayError) deps.onError?.(err, req);
  if (res.headersSent || error instanceof RequestAbortedError || res.destroyed) {
    // Mid-body failure: the only honest signal left is to cut the connection.
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (error instanceof MethodNotAllowedError) headers.Allow = error.allow.join(', ');
  if (error instanceof UploadQuotaExceededError) headers['Retry-After'] = String(error.retryAfterSeconds);
  // A body too slow to wait for is not drained either: the answer goes out and the connection with it.
  const cut = error instanceof UploadBodyTimeoutError;
  if (cut) {
    headers.Connection = 'close';
    res.once('finish', () => req.socket.destroy());
    setTimeout(() => req.socket.destroy(), 1000).unref();
  }
  // No `Connection: close` for an unread body: Node would then close the socket as soon as the answer is
  // out, while the client may still be sending (it gets EPIPE instead of our status). The body is drained
  // instead (see `drain`), and the connection stays usable unless it goes past the cap.
  const bodyUnread = !req.complete;
  if (error instanceof UnauthorizedError) {
    headers['WWW-Authenticate'] = 'Basic realm="w3auth"';
    // Crust's W3Auth gateways answer `{"Error": ...}`; Kubo clients read `Message`. Both are here.
    sendJson(res, 401, { Error: error.message, Message: error.message, Code: 0, Type: 'error' }, headers);
  } else if (isRpc) {
    // Kubo's RPC reports command failures (a missing block included) as 500 with Code 0; only bad
    // arguments are 400 (Code 1), and unknown commands 404.
    const status = error.status === 404 && !(error instanceof RouteNotFoundError) ? 500 : error.status;
    const code = status === 500 ? 0 : error.kuboCode;
    sendJson(res, status, { Message: error.message, Code: code, Type: 'error' }, headers);
  } else {
    sendText(
      res,
      error.status,
      `${error.status === 500 ? 'internal error' : 'error'}: ${error.message}`,
      headers,
    );
  }
  if (bodyUnread && !cut) {
    // A malformed body is not read to its end: a client that sends megabytes after its error only costs the
    // others bandwidth (a form of 100,000 fields is 5 MB). Bodies refused whole (401, 413) are drained as far
    // as `drainLimitBytes`, so that their clients read the status.
    const limit = error instanceof MalformedMultipartError ? MALFORMED_DRAIN_BYTES : deps.drainLimitBytes;
    drain(req, limit, deps.uploads.bodyDeadline);
  }
}

/** What is read of a malformed body after its error before the connection is closed. */
const MALFORMED_DRAIN_BYTES = 256 * 1024;

/**
 * Swallows the rest of an unread body (so the client sees our status), closing the socket past `limit` or
 * when the body does not keep arriving (the upload body-time rule).
 */
function drain(req: IncomingMessage, limit: number, deadline: BodyDeadline): void {
  let seen = 0;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left =
      deadline.timeoutMs + (seen / deadline.minBytesPerSecond) * 1000 - (performance.now() - started);
    if (left <= 0) req.socket.destroy();
    else timer = setTimeout(check, Math.min(left + 5, 60_000)).unref();
  };
  timer = setTimeout(check, deadline.timeoutMs).unref();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.socket.destroy();
  });
  req.once('close', () => clearTimeout(timer));
  req.on('error', () => {});
  req.resume();
}
