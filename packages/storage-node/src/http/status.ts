/** `GET /status`: files by state, pulls in flight with progress, the last report, the next slot, free space. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from './route.ts';
import { sendJson } from './route.ts';

export function statusRoute(status: () => Promise<unknown>): Route {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/status') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
      return true;
    }
    sendJson(res, 200, await status());
    return true;
  };
}
