/**
 * The dashboard's HTTP server: the page (`/`, `/app.js`, `/style.css`), the devnet's endpoints (`/endpoints.json`)
 * and the storage nodes' `GET /status` gathered in one answer (`/api/storage-nodes`). Everything about chains the
 * page reads itself from the chains' WebSocket RPC.
 *
 *   const dashboard = new DashboardServer({ port: 0 });
 *   const url = await dashboard.start(); dashboard.setEndpoints(endpoints); … await dashboard.stop();
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Endpoints } from '@xstorage/sdk';

export interface DashboardOptions {
  host?: string;
  /** 0 = any free port. */
  port: number;
  /** Where app.js/index.html/style.css are (default: found next to the running command). */
  assetsDir?: string;
}

export class DashboardAssetsMissingError extends Error {
  override name = 'DashboardAssetsMissingError';
}

const TYPES: Record<string, string> = {
  '/': 'text/html; charset=utf-8',
  '/app.js': 'text/javascript; charset=utf-8',
  '/style.css': 'text/css; charset=utf-8',
};
const FILES: Record<string, string> = { '/': 'index.html', '/app.js': 'app.js', '/style.css': 'style.css' };
const STATUS_TIMEOUT_MS = 2000;

/** The bundled page: `dist/dashboard` beside the bundled command, or the repository's when run from source. */
export function findDashboardAssets(): string {
  const candidates = [
    join(import.meta.dirname, 'dashboard'),
    join(import.meta.dirname, '../../dist/dashboard'),
  ];
  const found = candidates.find((d) => existsSync(join(d, 'app.js')));
  if (!found)
    throw new DashboardAssetsMissingError(
      `the dashboard page is not built (looked in ${candidates.join(', ')}): run \`npm run build\``,
    );
  return found;
}

export class DashboardServer {
  readonly #options: DashboardOptions;
  #server: Server | undefined;
  #endpoints: Endpoints | undefined;
  #assets: string | undefined;
  #cache = new Map<string, Buffer>();

  constructor(options: DashboardOptions) {
    this.#options = options;
  }

  /** Listens; resolves with the page's URL. The page waits (503) until `setEndpoints`. */
  async start(): Promise<string> {
    this.#assets = this.#options.assetsDir ?? findDashboardAssets();
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String((err as Error).message));
      });
    });
    this.#server = server;
    const host = this.#options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return `http://${host}:${port}/`;
  }

  setEndpoints(endpoints: Endpoints): void {
    this.#endpoints = endpoints;
  }

  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = FILES[path];
    if (file) {
      let body = this.#cache.get(file);
      if (!body) {
        body = await readFile(join(this.#assets!, file));
        this.#cache.set(file, body);
      }
      res.writeHead(200, { 'content-type': TYPES[path]!, 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === '/endpoints.json' || path === '/api/storage-nodes') {
      if (!this.#endpoints) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end('{"error":"the devnet is starting"}');
        return;
      }
      const body = path === '/endpoints.json' ? this.#endpoints : await this.#storageNodes();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  /** Each storage node's `GET /status` (or why it did not answer), fetched in parallel with a deadline. */
  async #storageNodes(): Promise<unknown[]> {
    const nodes = this.#endpoints?.storageNodes ?? [];
    return Promise.all(
      nodes.map(async (n) => {
        try {
          const r = await fetch(`${n.http.replace(/\/$/, '')}/status`, {
            signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
          });
          return {
            ...n,
            status: r.ok ? await r.json() : undefined,
            error: r.ok ? undefined : `HTTP ${r.status}`,
          };
        } catch (err) {
          return { ...n, error: (err as Error).message };
        }
      }),
    );
  }
}
