/**
 * Puts the storage node's own routes (`/status`, the Pinning Service API) in front of the gateway's on the same
 * HTTP port. The gateway (packages/node/src/gateway) does not take extra routes yet and is being hardened by
 * another change right now, so its listener is wrapped from outside instead: requests our routes claim are
 * answered here, every other one goes to the gateway's own listener untouched.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type Route = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export class MountError extends Error {
  override name = 'MountError';
}

/** The HTTP server behind a started gateway. */
export function serverOf(gateway: object): Server {
  const server = (gateway as { server?: Server }).server;
  if (!server || typeof server.listeners !== 'function') throw new MountError('the gateway is not started');
  return server;
}

export function mountRoutes(server: Server, routes: Route[]): void {
  const original = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const next = () => {
      for (const listener of original) listener.call(server, req, res);
    };
    void (async () => {
      for (const route of routes) if (await route(req, res)) return;
      next();
    })().catch((err) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { reason: 'INTERNAL_SERVER_ERROR', details: (err as Error).message } }),
        );
      } else res.destroy();
    });
  });
}

/** JSON answer with CORS, as the gateway answers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'access-control-allow-origin': '*',
    ...headers,
  });
  res.end(text);
}
