/**
 * JSON-RPC server on one port for both HTTP POST and WebSocket, as a Substrate node's `--rpc-port`.
 * Limits mirror Substrate's defaults: 10 MiB request/response, 1024 subscriptions per connection,
 * 100 connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { RpcError, RpcErrorCode } from './errors.ts';
import type { MethodRegistry } from './registry.ts';
import { errorText, type InternalErrorLog, RpcSession, type SessionLimits } from './session.ts';

export interface RpcServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Max HTTP body / WS message size (Substrate `--rpc-max-request-size`, 15 MiB there; 10 MiB here). */
  maxRequestBytes?: number;
  /** Max size of one response (Substrate `--rpc-max-response-size`). */
  maxResponseBytes?: number;
  /** Max TCP connections, HTTP and WS together (Substrate `--rpc-max-connections`). */
  maxConnections?: number;
  /** Substrate `--rpc-max-subscriptions-per-connection`. */
  maxSubscriptionsPerConnection?: number;
  /** Substrate `--rpc-max-batch-request-len`. */
  maxBatchLength?: number;
  /** A WS client that lets this many bytes of answers pile up unread is disconnected. */
  maxBufferedBytes?: number;
  /** Value of Access-Control-Allow-Origin for HTTP (browsers); null disables CORS headers. */
  corsOrigin?: string | null;
  /** Plain GET endpoints answering JSON, e.g. Substrate's `/health` and `/health/readiness`. */
  getRoutes?: Record<string, () => unknown>;
  /**
   * Where failures inside the server go (a handler that throws something other than an RpcError, a result
   * that cannot be serialized, a transport error). The client gets -32603; the process keeps serving.
   * Default: one line on stderr.
   */
  onError?: InternalErrorLog;
}

export const RPC_DEFAULTS = {
  host: '127.0.0.1',
  port: 9944,
  maxRequestBytes: 10 * 1024 * 1024,
  maxResponseBytes: 10 * 1024 * 1024,
  maxConnections: 100,
  maxSubscriptionsPerConnection: 1024,
  maxBatchLength: 1000,
  maxBufferedBytes: 64 * 1024 * 1024,
  corsOrigin: '*' as string | null,
  getRoutes: {} as Record<string, () => unknown>,
  onError: logToStderr as InternalErrorLog,
} as const;

function logToStderr(err: unknown, context: string): void {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  console.error(`xstorage rpc: internal error in ${context}: ${text.slice(0, 500)}`);
}

export class RpcServerStateError extends Error {
  override readonly name = 'RpcServerStateError';
}

/** WS close code when the server goes away (RFC 6455 "going away"). */
const CLOSE_GOING_AWAY = 1001;
/** WS close code for a client that does not read its answers (policy violation). */
const CLOSE_POLICY = 1008;

export class RpcServer {
  readonly #registry: MethodRegistry;
  readonly #opts: Required<RpcServerOptions>;
  readonly #limits: SessionLimits;
  #http: Server | undefined;
  #wss: WebSocketServer | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #overLimit = new WeakSet<Socket>();
  readonly #sessions = new Set<RpcSession>();
  #address: { host: string; port: number } | undefined;

  constructor(registry: MethodRegistry, options: RpcServerOptions = {}) {
    this.#registry = registry;
    this.#opts = { ...RPC_DEFAULTS, ...options } as Required<RpcServerOptions>;
    this.#limits = {
      maxBatchLength: this.#opts.maxBatchLength,
      maxSubscriptions: this.#opts.maxSubscriptionsPerConnection,
      maxResponseBytes: this.#opts.maxResponseBytes,
    };
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

  /** Open TCP connections (HTTP keep-alive and WS). */
  get connectionCount(): number {
    return this.#sockets.size;
  }

  /** Live subscriptions over all connections. */
  get subscriptionCount(): number {
    let n = 0;
    for (const s of this.#sessions) n += s.subscriptionCount;
    return n;
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.#http) throw new RpcServerStateError('RPC server already started');
    const wss = new WebSocketServer({
      noServer: true,
      // Up to twice the limit we still read the frame, answer -32007 and keep the connection (as jsonrpsee
      // does); a frame beyond that is cut off by ws with close code 1009.
      maxPayload: 2 * this.#opts.maxRequestBytes,
      perMessageDeflate: false,
    });
    const http = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => this.#onHttp(req, res));
    http.on('connection', (sock: Socket) => {
      this.#sockets.add(sock);
      if (this.#sockets.size > this.#opts.maxConnections) this.#overLimit.add(sock);
      sock.once('close', () => this.#sockets.delete(sock));
    });
    http.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket as Socket, head));
    // Bytes that are not HTTP at all: answer 400 and drop only that socket.
    http.on('clientError', (_err, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      socket.destroy();
    });
    this.#http = http;
    this.#wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.#opts.port, this.#opts.host, () => {
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
    for (const s of this.#sessions) s.close();
    this.#sessions.clear();
    for (const ws of wss.clients) ws.close(CLOSE_GOING_AWAY, 'server shutting down');
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    // In-flight HTTP requests get their answers; idle keep-alive sockets go now.
    http.closeIdleConnections();
    // Stragglers: WS clients that do not answer the close handshake, slow HTTP requests.
    const t = setTimeout(() => {
      for (const ws of wss.clients) ws.terminate();
      http.closeAllConnections();
      for (const s of this.#sockets) s.destroy();
    }, 1000);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await closed;
    clearTimeout(t);
    this.#address = undefined;
  }

  #onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const wss = this.#wss;
    // Node's HTTP parser let go of the socket for the upgrade: until ws takes it, errors are ours to catch.
    socket.on('error', () => {});
    if (!wss || this.#overLimit.has(socket)) {
      socket.end(
        'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nToo many connections. Please try again later.',
      );
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => this.#onWs(ws, socket));
  }

  #onWs(ws: WebSocket, socket: Socket): void {
    const maxBuffered = this.#opts.maxBufferedBytes;
    // Answers written in the same tick leave in one write (pipelined clients get many per read).
    let corked = false;
    const uncork = () => {
      corked = false;
      socket.uncork();
    };
    const log = this.#opts.onError;
    const session = new RpcSession(
      this.#registry,
      this.#limits,
      'ws',
      (text) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > maxBuffered) {
          ws.close(CLOSE_POLICY, 'client does not read its messages');
          session.close();
          return;
        }
        if (!corked) {
          corked = true;
          socket.cork();
          process.nextTick(uncork);
        }
        ws.send(text);
      },
      log,
    );
    this.#sessions.add(session);
    const end = () => {
      session.close();
      this.#sessions.delete(session);
    };
    ws.on('message', (data, isBinary) => {
      try {
        this.#onFrame(session, data, isBinary);
      } catch (err) {
        // Our bug, not the client's: say so on this connection and keep the process serving.
        log(err, 'ws frame');
        session.writeRaw(errorText(null, RpcError.internal()));
      }
    });
    // Protocol errors (oversized frame → close 1009, bad opcode → 1002): ws closes; we clean up.
    ws.on('error', () => end());
    ws.on('close', end);
  }

  #onFrame(session: RpcSession, data: RawData, isBinary: boolean): void {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (buf.length > this.#opts.maxRequestBytes) {
      session.writeRaw(errorText(null, tooBigRequest(this.#opts.maxRequestBytes)));
      return;
    }
    let text: string;
    if (isBinary) {
      const dec = new TextDecoder('utf-8', { fatal: true });
      try {
        text = dec.decode(buf);
      } catch {
        session.writeRaw(errorText(null, RpcError.parseError('Binary frame is not valid UTF-8 JSON')));
        return;
      }
    } else {
      text = buf.toString('utf8');
    }
    void session.receive(text);
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
    if (this.#overLimit.has(req.socket)) {
      res.writeHead(429, { 'Content-Type': 'text/plain', Connection: 'close' });
      res.end('Too many connections. Please try again later.');
      return;
    }
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
          (err) => sendJson(res, 500, errorText(null, RpcError.internal((err as Error).message))),
        );
      return;
    }
    if (req.method !== 'POST') {
      sendJson(
        res,
        405,
        errorText(null, RpcError.invalidRequest('JSON-RPC over HTTP needs POST (or a WebSocket upgrade)')),
        {
          Allow: 'POST, OPTIONS',
        },
      );
      return;
    }
    const ctype = req.headers['content-type'];
    if (ctype !== undefined && !/^application\/json\b/i.test(ctype)) {
      sendJson(
        res,
        415,
        errorText(null, RpcError.invalidRequest(`Content-Type must be application/json, got "${ctype}"`)),
      );
      return;
    }
    const limit = this.#opts.maxRequestBytes;
    const tooBig = () => sendJson(res, 413, errorText(null, tooBigRequest(limit)), { Connection: 'close' });
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
      const pending = session.receive(Buffer.concat(chunks).toString('utf8'));
      if (pending) pending.then(answer, () => sendJson(res, 500, errorText(null, RpcError.internal())));
      else answer();
    });
    req.on('error', () => {
      aborted = true;
    });
  }
}

function tooBigRequest(limit: number): RpcError {
  return new RpcError(RpcErrorCode.OversizedRequest, 'Request is too big', `Exceeded max limit of ${limit}`);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}
