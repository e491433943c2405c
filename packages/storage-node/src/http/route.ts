/** What the storage node's own HTTP routes share (the gateway tries them before its own, see GatewayOptions.routes). */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers and resolves true, or resolves false to pass the request on. */
export type Route = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

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
