/**
 * The storage node's HTTP gateway: the IPFS path gateway and trustless gateway (`/ipfs/…`, raw blocks and
 * CAR streams, what storage nodes pull from), and the Kubo RPC subset users upload through (`/api/v0/add`
 * and friends), writes guarded by Crust-style W3Auth. Reads are local-only; nothing is fetched from the
 * network on a client's behalf.
 *
 *   const gw = new Gateway({ helia });
 *   const { url } = await gw.start();   // http://127.0.0.1:<port>
 *   …
 *   await gw.stop();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Authorizer, w3Auth } from './auth.ts';
import { type AuthGuardOptions, guardedAuthorizer } from './auth-guard.ts';
import { pinStoreOf } from './pin-roots.ts';
import { route } from './router.ts';
import { type GatewayBlockstore, type GatewayNode, type GatewayPins, LocalBlocks } from './storage.ts';
import { uploadGuardFor } from './upload-gc.ts';
import { UploadLedger, type UploadStats } from './upload-ledger.ts';
import { UploadLimiter, type UploadLimitOptions } from './upload-limits.ts';
import { partsWriterFor } from './upload-parts.ts';

export type { Authorizer, ChainFamily, Identity, WriteAction } from './auth.ts';
export {
  parseW3AuthHeader,
  recoverPersonalSignAddress,
  verifyEthereumSignature,
  verifySubstrateSignature,
  verifyW3Auth,
  w3Auth,
} from './auth.ts';
export { AUTH_GUARD_DEFAULTS, type AuthGuardOptions, TooManyAuthAttemptsError } from './auth-guard.ts';
export {
  GATEWAY_LIMIT_FLAGS,
  GATEWAY_LIMIT_USAGE,
  GatewayFlagError,
  type GatewayLimitFlags,
  gatewayOptionsFromFlags,
} from './cli-flags.ts';
export { type DagScope, type WalkedBlock, type WalkOptions, walkDag } from './dag-walk.ts';
export * from './errors.ts';
export { type GatewayBlockstore, type GatewayNode, type GatewayPins, LocalBlocks } from './storage.ts';
export type { UploadStats } from './upload-ledger.ts';
export {
  TooManyUploadsError,
  UPLOAD_LIMIT_DEFAULTS,
  UploadBodyTimeoutError,
  type UploadLimitOptions,
  UploadQuotaExceededError,
} from './upload-limits.ts';

/** Default upload cap: Crust's largest storable file (8 GiB) plus multipart overhead. */
export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 ** 3 + 1024 ** 2;

export interface GatewayAuthOptions {
  /** Require authentication for writes (`add`, `pin/add`, `pin/rm`). Default true. */
  required?: boolean;
  /** Who may write. Default: W3Auth ({@link w3Auth}). */
  authorize?: Authorizer;
}

export interface GatewayOptions {
  /** A Helia node (or anything with its `blockstore`, `pins` and optional `libp2p`). */
  helia?: GatewayNode;
  /** Alternatively a bare blockstore and pin set. */
  blockstore?: GatewayBlockstore;
  pins?: GatewayPins;
  host?: string;
  /** 0 = an ephemeral port. */
  port?: number;
  auth?: GatewayAuthOptions;
  /** Largest request body accepted by `/api/v0/add`; counted while streaming. */
  maxUploadBytes?: number;
  /** Largest request head (request line + headers); bigger ones get 431 from Node. Default 16 KiB. */
  maxHeaderBytes?: number;
  /** Time a client has to send a request head before a 408 (default 20 s; checked every quarter of it). */
  headerTimeoutMs?: number;
  /** What one client may cost in uploads: body time, uploads in flight per address and identity, quota
   * (its `exempt` list also exempts from `authLimits`). */
  uploadLimits?: UploadLimitOptions;
  /** Signature checks per client address, and remembered headers (the default W3Auth authorizer only). */
  authLimits?: AuthGuardOptions;
  /** Logger for unexpected server errors (answered 500, or the connection cut mid-answer). Default: stderr. */
  onError?: (err: unknown, req: IncomingMessage) => void;
  /**
   * Routes of the program around the gateway (a storage node's `/status`, the Pinning Service API), tried in order
   * before the gateway's own; each answers and resolves true, or resolves false to pass the request on.
   */
  routes?: ReadonlyArray<(req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>>;
}

function ignore(): void {}

function logToStderr(err: unknown, req: IncomingMessage): void {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  console.error(
    `xstorage gateway: internal error on ${req.method} ${(req.url ?? '').slice(0, 200)}: ${text.slice(0, 500)}`,
  );
}

export class GatewayNotStartedError extends Error {
  override name = 'GatewayNotStartedError';
}

export class Gateway {
  private server: Server | undefined;
  private readonly node: GatewayNode;
  private readonly options: GatewayOptions;
  private readonly ledger = new UploadLedger();
  private readonly uploads: UploadLimiter;
  private stopping = new AbortController();

  constructor(options: GatewayOptions) {
    const node =
      options.helia ??
      (options.blockstore && options.pins
        ? { blockstore: options.blockstore, pins: options.pins }
        : undefined);
    if (node === undefined) throw new TypeError('Gateway needs `helia` or both `blockstore` and `pins`');
    this.node = node;
    this.options = options;
    this.uploads = new UploadLimiter(options.uploadLimits);
  }

  async start(): Promise<{ url: string; port: number }> {
    if (this.server !== undefined) return this.address();
    this.stopping = new AbortController();
    const auth = this.options.auth ?? {};
    const onError = this.options.onError ?? logToStderr;
    const headerTimeoutMs = this.options.headerTimeoutMs ?? 20_000;
    const deps = {
      node: this.node,
      blocks: new LocalBlocks(this.node.blockstore),
      ledger: this.ledger,
      authorize:
        auth.required === false
          ? undefined
          : (auth.authorize ?? guardedAuthorizer(w3Auth(), this.uploads.exempt, this.options.authLimits)),
      maxUploadBytes: this.options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      // Uploads pin from the blocks they stored when Helia's datastore is here (a bare blockstore + pin set
      // has none: Helia walks the DAG), and hand leaves to the disk as parts when the store takes them.
      pinStore: this.options.helia ? pinStoreOf(this.options.helia) : undefined,
      partsWriter: partsWriterFor(this.node.blockstore, this.options.helia),
      uploadGuard: uploadGuardFor(this.options.helia),
      drainLimitBytes: 64 * 1024 ** 2,
      uploads: this.uploads,
      onError,
    };
    const server = createServer(
      {
        maxHeaderSize: this.options.maxHeaderBytes ?? 16 * 1024,
        // Uploads may be long (their bodies have their own time rule, upload-limits.ts); idle sockets are
        // reaped by the header and keep-alive timeouts.
        requestTimeout: 0,
        headersTimeout: headerTimeoutMs,
        // Node checks header timeouts on this period (30 s by default: slow-header sockets stayed 30-60 s).
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headerTimeoutMs / 4))),
      },
      (req: IncomingMessage, res: ServerResponse) => {
        // A reset mid-request or mid-answer concerns that client only; unheard, an 'error' ends the process.
        req.on('error', ignore);
        res.on('error', ignore);
        const controller = new AbortController();
        const onStop = () => controller.abort();
        this.stopping.signal.addEventListener('abort', onStop, { once: true });
        res.once('close', () => {
          this.stopping.signal.removeEventListener('abort', onStop);
          if (!res.writableFinished) controller.abort();
        });
        let routed: Promise<void>;
        const routes = this.options.routes ?? [];
        try {
          routed =
            routes.length === 0
              ? route(req, res, deps, controller.signal)
              : (async () => {
                  for (const extra of routes) if (await extra(req, res)) return;
                  await route(req, res, deps, controller.signal);
                })();
        } catch (err) {
          routed = Promise.reject(err);
        }
        routed.catch((err) => {
          onError(err, req);
          res.destroy();
        });
      },
    );
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Oversized heads and garbage requests: answer like Node would, without crashing the server.
      if (!socket.writable) return socket.destroy();
      const status =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? '408 Request Timeout'
            : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return this.address();
  }

  /** Closes the listener and every connection, aborting in-flight requests (uploads roll back). */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.stopping.abort();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Uploads being received now (exempt addresses not counted). */
  get uploadsInFlight(): number {
    return this.uploads.inFlight;
  }

  /** Failed uploads and the blocks removed again because of them. */
  get uploadStats(): Readonly<UploadStats> {
    return this.ledger.stats;
  }

  address(): { url: string; port: number } {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    if (!addr) throw new GatewayNotStartedError('gateway is not started');
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return { url: `http://${host}:${addr.port}`, port: addr.port };
  }
}
