/**
 * A test provider in front of a real gateway: forwards `GET /ipfs/…` and can slow the answer down (bytes per second)
 * or flip one byte of it (a peer serving a corrupted block). Loopback only.
 */
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  upstream: string;
  /** Bytes per second of each answer (default: no limit). */
  rate?: number;
  /** Flip the byte at this offset of every answer long enough to have it. */
  corruptAt?: number;
}

export interface ProxyServer {
  url: string;
  /** Answers started. */
  requests: number;
  close(): Promise<void>;
}

export async function startProxy(o: ProxyOptions): Promise<ProxyServer> {
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    const up = get(
      `${o.upstream}${req.url}`,
      { headers: { accept: req.headers.accept ?? '*/*' } },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, {
          'content-type': upRes.headers['content-type'] ?? 'application/octet-stream',
        });
        let offset = 0;
        const started = Date.now();
        upRes.on('data', (chunk: Buffer) => {
          if (o.corruptAt !== undefined && offset <= o.corruptAt && o.corruptAt < offset + chunk.length) {
            chunk = Buffer.from(chunk);
            chunk[o.corruptAt - offset] ^= 0xff;
          }
          offset += chunk.length;
          res.write(chunk);
          if (o.rate) {
            const due = started + (offset / o.rate) * 1000;
            const wait = due - Date.now();
            if (wait > 0) {
              upRes.pause();
              setTimeout(() => upRes.resume(), wait);
            }
          }
        });
        upRes.on('end', () => res.end());
        upRes.on('error', () => res.destroy());
      },
    );
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
