/**
 * JSON-RPC server on one port for both HTTP POST and WebSocket, as a Substrate node's `--rpc-port`.
 * Substrate's limits with Substrate's defaults (10 MiB request/response here, 1024 subscriptions per
 * connection, 100 connections), and per-client limits beyond them so that clients cannot hurt each other
 * (options.ts): connections per address with a fair share of the total, header/request/idle timeouts, an
 * outbound bound per connection after which a slow consumer's subscriptions are dropped and the connection
 * cut, byte limits on responses and batch responses, a rate limit per connection, an explicit exemption list.
 *
 * Every byte from the network is handled inside code that answers errors: a failure of ours in one request
 * is logged and answered -32603 (or 500), never thrown out of an event handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Admission, ConnectionGuard, type GuardedConnection } from './connection-guard.ts';
import { RpcError } from './errors.ts';
import { LimitEvents, type RpcLimitStats } from './limit-events.ts';
import { type ResolvedRpcOptions, type RpcServerOptions, resolveRpcOptions } from './options.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { MethodRegistry } from './registry.ts';
import { errorText, RpcSession, type SessionLimits } from './session.ts';
import { WorkShare } from './work-share.ts';
import { WsClose, WsConnection } from './ws-connection.ts';

export { RPC_DEFAULTS, type RpcServerOptions } from './options.ts';

export class RpcServerStateError extends Error {
  override readonly name = 'RpcServerStateError';
}

/** How long a refused or evicted socket gets to read its 429 / close frame before it is destroyed. */
const REFUSAL_GRACE_MS = 1000;

/** One TCP connection as the connection guard sees it; a WebSocket once upgraded. */
class ClientSlot implements GuardedConnection {
  lastHttpAt = performance.now();
  ws: WsConnection | undefined;
  rate: RateLimiter | undefined;
  admission: Admission | undefined;

  constructor(
    readonly socket: Socket,
    private readonly onEvict: () => void,
  ) {}

  get lastActiveAt(): number {
    return this.ws?.lastActiveAt ?? this.lastHttpAt;
  }

  get subscriptionCount(): number {
    return this.ws?.subscriptionCount ?? 0;
  }

  get exempt(): boolean {
    return this.admission?.admitted === true && this.admission.exempt;
  }

  evict(): void {
    this.onEvict();
    if (this.ws) this.ws.close(WsClose.TryAgainLater, 'server full: another client needs this place');
    else this.socket.destroy();
  }
}

export class RpcServer {
  readonly #registry: MethodRegistry;
  readonly #opts: ResolvedRpcOptions;
  readonly #limits: SessionLimits;
  readonly #guard: ConnectionGuard;
  readonly #events: LimitEvents;
  readonly #share: WorkShare;
  #http: Server | undefined;
  #wss: WebSocketServer | undefined;
  readonly #slots = new Map<Socket, ClientSlot>();
  readonly #connections = new Set<WsConnection>();
  #address: { host: string; port: number } | undefined;

  constructor(registry: MethodRegistry, options: RpcServerOptions = {}) {
    this.#registry = registry;
    this.#opts = resolveRpcOptions(options);
    this.#limits = {
      maxBatchLength: this.#opts.maxBatchLength,
      maxSubscriptions: this.#opts.maxSubscriptionsPerConnection,
      maxResponseBytes: this.#opts.maxResponseBytes,
      maxBatchResponseBytes: this.#opts.maxBatchResponseBytes,
    };
    this.#guard = new ConnectionGuard({
      maxConnections: this.#opts.maxConnections,
      maxConnectionsPerIp: this.#opts.maxConnectionsPerIp,
      exempt: this.#opts.exempt,
    });
    this.#events = new LimitEvents(this.#opts.onLimit);
    this.#share = new WorkShare(this.#opts.maxInFlightTotal);
  }

  /** Where the server listens (after start). */
  get address(): { host: string; port: number } {
    if (!this.#address) throw new RpcServerStateError('RPC server is not started');
    return this.#address;
  }

  get wsUrl(): string {
    const { host, port } = this.address;
    return `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  get httpUrl(): string {
    const { host, port } = this.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** Open TCP connections (HTTP keep-alive and WS), refused ones still closing included. */
  get connectionCount(): number {
    return this.#slots.size;
  }

  /** Live subscriptions over all connections. */
  get subscriptionCount(): number {
    let n = 0;
    for (const c of this.#connections) n += c.session.subscriptionCount;
    return n;
  }

  /** How often each per-client limit acted since start. */
  get limitStats(): Readonly<RpcLimitStats> {
    return this.#events.stats;
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.#http) throw new RpcServerStateError('RPC server already started');
    const o = this.#opts;
    const wss = new WebSocketServer({
      noServer: true,
      // Up to twice the limit we still read the frame, answer -32007 and keep the connection (as jsonrpsee
      // does); a frame beyond that is cut off by ws with close code 1009.
      maxPayload: 2 * o.maxRequestBytes,
      perMessageDeflate: false,
    });
    const http = createServer(
      {
        maxHeaderSize: 16 * 1024,
        headersTimeout: o.headerTimeoutMs,
        requestTimeout: Math.max(o.requestTimeoutMs, o.headerTimeoutMs),
        // Node checks both timeouts on this period (30 s by default, which let slow-header sockets stay
        // 75-90 s).
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(o.headerTimeoutMs / 4))),
        keepAliveTimeout: Math.min(5000, o.idleTimeoutMs || 5000),
      },
      (req, res) => this.#onHttp(req, res),
    );
    // A socket that accepts no bytes of our answer for this long is gone (WS sockets are excluded: ws
    // turns the socket timeout off on upgrade).
    http.timeout = o.slowConsumerTimeoutMs;
    // File descriptors: past this, sockets are dropped at accept (refused ones still hold one until their 429).
    http.maxConnections = 4 * o.maxConnections + 64 + (o.exempt.empty ? 0 : 1024);
    http.on('connection', (socket: Socket) => this.#onConnection(socket));
    http.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket as Socket, head));
    // Bytes that are not HTTP at all: answer 400 and drop only that socket.
    http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      if (socket.writable) {
        const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      }
      socket.destroy();
    });
    this.#http = http;
    this.#wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(o.port, o.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    const a = http.address() as AddressInfo;
    this.#address = { host: a.address, port: a.port };
    return this.#address;
  }

  async stop(): Promise<void> {
    const http = this.#http;
    const wss = this.#wss;
    if (!http || !wss) return;
    this.#http = undefined;
    this.#wss = undefined;
    for (const c of this.#connections) c.close(WsClose.GoingAway, 'server shutting down');
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    // In-flight HTTP requests get their answers; idle keep-alive sockets go now.
    http.closeIdleConnections();
    // Stragglers: WS clients that do not answer the close handshake, slow HTTP requests.
    const t = setTimeout(() => {
      for (const ws of wss.clients) ws.terminate();
      http.closeAllConnections();
      for (const s of this.#slots.keys()) s.destroy();
    }, 1000);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await closed;
    clearTimeout(t);
    this.#connections.clear();
    this.#address = undefined;
  }

  #onConnection(socket: Socket): void {
    const slot = new ClientSlot(socket, () =>
      this.#events.emit({ kind: 'evicted', address: socket.remoteAddress ?? 'unknown' }),
    );
    this.#slots.set(socket, slot);
    slot.admission = this.#guard.admit(socket.remoteAddress, slot);
    const a = slot.admission;
    if (a.admitted) {
      if (!a.exempt && this.#opts.rateLimitPerMinute > 0)
        slot.rate = new RateLimiter(this.#opts.rateLimitPerMinute);
    } else {
      this.#events.emit({ kind: 'refused', address: socket.remoteAddress ?? 'unknown', reason: a.reason });
    }
    socket.once('close', () => {
      this.#slots.delete(socket);
      if (slot.admission?.admitted) slot.admission.release();
    });
  }

  /** The 429 a refused connection gets at its first request, with why. */
  #refusal(slot: ClientSlot | undefined): string | undefined {
    const a = slot?.admission;
    if (!a || a.admitted) return undefined;
    return a.reason === 'per-ip'
      ? `Too many connections from your address (at most ${this.#opts.maxConnectionsPerIp}). Please try again later.`
      : 'Too many connections. Please try again later.';
  }

  #onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    // Node's HTTP parser let go of the socket for the upgrade: until ws takes it, errors are ours to catch.
    socket.on('error', () => {});
    try {
      const wss = this.#wss;
      const slot = this.#slots.get(socket);
      const refusal = wss ? this.#refusal(slot) : 'Server is shutting down.';
      if (!wss || !slot || refusal !== undefined) {
        socket.end(
          `HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal ?? ''}`,
        );
        setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.#onWs(ws, socket, slot));
    } catch (err) {
      this.#opts.onError(err, 'ws upgrade');
      socket.destroy();
    }
  }

  #onWs(ws: WebSocket, socket: Socket, slot: ClientSlot): void {
    const o = this.#opts;
    let conn: WsConnection | undefined;
    const session = new RpcSession(this.#registry, this.#limits, 'ws', (text) => conn?.send(text), o.onError);
    conn = new WsConnection(
      ws,
      socket,
      session,
      {
        maxRequestBytes: o.maxRequestBytes,
        maxInFlight: o.maxInFlightPerConnection,
        maxBufferedBytes: o.maxBufferedBytes,
        hardBufferedBytes: o.hardBufferedBytes,
        maxBufferedBytesTotal: o.maxBufferedBytesTotal,
        slowConsumerTimeoutMs: o.slowConsumerTimeoutMs,
        idleTimeoutMs: o.idleTimeoutMs,
        rateLimitPerMinute: o.rateLimitPerMinute,
      },
      o.onError,
      this.#events,
      slot.exempt,
      () => this.#totalBuffered(),
      this.#share,
    );
    slot.ws = conn;
    this.#connections.add(conn);
    const end = () => {
      conn.ended();
      this.#connections.delete(conn);
    };
    // Protocol errors (oversized frame → close 1009, bad opcode → 1002): ws closes; we clean up.
    ws.on('error', end);
    ws.on('close', end);
  }

  #totalBuffered(): number {
    let n = 0;
    for (const c of this.#connections) n += c.ws.bufferedAmount;
    return n;
  }

  #onHttp(req: IncomingMessage, res: ServerResponse): void {
    // A reset mid-answer is the client's business; with no listener it would be the process's end.
    res.on('error', () => {});
    req.on('error', () => {});
    try {
      this.#serveHttp(req, res);
    } catch (err) {
      this.#opts.onError(err, 'http request');
      sendJson(res, 500, errorText(null, RpcError.internal()));
    }
  }

  #serveHttp(req: IncomingMessage, res: ServerResponse): void {
    const cors = this.#opts.corsOrigin;
    if (cors !== null) {
      res.setHeader('Access-Control-Allow-Origin', cors);
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    }
    const slot = this.#slots.get(req.socket);
    const refusal = this.#refusal(slot);
    if (refusal !== undefined) {
      res.writeHead(429, { 'Content-Type': 'text/plain', Connection: 'close' });
      res.end(refusal);
      req.resume();
      return;
    }
    if (slot) slot.lastHttpAt = performance.now();
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const routes = this.#opts.getRoutes;
    const route = req.method === 'GET' && Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route) {
      Promise.resolve()
        .then(route)
        .then(
          (v) => sendJson(res, 200, JSON.stringify(v ?? null)),
          (err) => sendJson(res, 500, errorText(null, RpcError.internal((err as Error)?.message))),
        )
        .catch((err) => {
          this.#opts.onError(err, `GET ${path}`);
          sendJson(res, 500, errorText(null, RpcError.internal()));
        });
      return;
    }
    if (req.method !== 'POST') {
      sendJson(
        res,
        405,
        errorText(null, RpcError.invalidRequest('JSON-RPC over HTTP needs POST (or a WebSocket upgrade)')),
        { Allow: 'POST, OPTIONS' },
      );
      req.resume();
      return;
    }
    const ctype = req.headers['content-type'];
    if (ctype !== undefined && !/^application\/json\b/i.test(ctype)) {
      sendJson(
        res,
        415,
        errorText(
          null,
          RpcError.invalidRequest(`Content-Type must be application/json, got "${ctype.slice(0, 100)}"`),
        ),
      );
      req.resume();
      return;
    }
    const limit = this.#opts.maxRequestBytes;
    const tooBig = () =>
      sendJson(res, 413, errorText(null, RpcError.oversizedRequest(limit)), { Connection: 'close' });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      tooBig();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > limit) {
        aborted = true;
        chunks.length = 0;
        tooBig();
        // The rest of an oversized streamed body is discarded; a client that keeps streaming is cut off.
        res.once('finish', () => setTimeout(() => req.destroy(), 1000).unref());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (aborted) return;
      const body = Buffer.concat(chunks).toString('utf8');
      const wait = slot?.rate?.waitMs() ?? 0;
      if (wait > 0) setTimeout(() => this.#answerHttp(body, res, slot), wait);
      else this.#answerHttp(body, res, slot);
    });
    req.on('error', () => {
      aborted = true;
    });
  }

  #answerHttp(body: string, res: ServerResponse, slot: ClientSlot | undefined): void {
    if (res.destroyed) return;
    let out = '';
    const session = new RpcSession(
      this.#registry,
      this.#limits,
      'http',
      (text) => {
        out = text;
      },
      this.#opts.onError,
    );
    const answer = () => {
      session.close();
      if (out === '') {
        if (!res.headersSent) res.writeHead(204).end();
      } else sendJson(res, 200, out);
    };
    const { calls, done } = session.receive(body);
    slot?.rate?.charge(calls);
    if (done) done.then(answer);
    else answer();
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}
