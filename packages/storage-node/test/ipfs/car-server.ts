/**
 * A tiny trustless-gateway stand-in for tests only (IPFS trustless gateway spec: `?format=car` with
 * `dag-scope=all|block`, `?format=raw`), built on @ipld/car. It exists until the real `Gateway` lands; it can
 * also misbehave on purpose (corrupt one block, throttle) to test the fetcher against hostile providers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CarWriter } from '@ipld/car/writer';
import { CID } from 'multiformats/cid';
import { blockLinks, readBlock } from '../../src/ipfs/blocks.ts';

export interface BlockSource {
  has(cid: CID): boolean | Promise<boolean>;
  get(cid: CID, options?: any): any;
}

export interface CarServerOptions {
  /** Flip a byte in the block with this CID (string) every time it is served. */
  corrupt?: string;
  /** Milliseconds to wait before each block is written. */
  delayPerBlockMs?: number;
}

export interface CarServer {
  url: string;
  server: Server;
  requests: string[];
  bytesServed: number;
  close(): Promise<void>;
}

export async function startCarServer(store: BlockSource, opts: CarServerOptions = {}): Promise<CarServer> {
  const state = { requests: [] as string[], bytesServed: 0 };
  const get = async (cid: CID) => {
    const bytes = await readBlock(store.get(cid, { offline: true }));
    if (opts.corrupt && cid.toString() === opts.corrupt) {
      const copy = bytes.slice();
      copy[copy.length - 1] ^= 0xff;
      return copy;
    }
    return bytes;
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      state.requests.push(url.pathname + url.search);
      const m = /^\/ipfs\/([^/]+)$/.exec(url.pathname);
      let cid: CID;
      try {
        cid = CID.parse(m?.[1] ?? '');
      } catch {
        res.writeHead(400).end('bad cid');
        return;
      }
      if (!(await store.has(cid))) {
        res.writeHead(404).end('not found');
        return;
      }
      if (url.searchParams.get('format') === 'raw') {
        if (opts.delayPerBlockMs) await new Promise((r) => setTimeout(r, opts.delayPerBlockMs));
        const bytes = await get(cid);
        res.writeHead(200, { 'content-type': 'application/vnd.ipld.raw' }).end(bytes);
        state.bytesServed += bytes.byteLength;
        return;
      }
      const scope = url.searchParams.get('dag-scope') ?? 'all';
      res.writeHead(200, { 'content-type': 'application/vnd.ipld.car; version=1; order=dfs; dups=n' });
      const { writer, out } = CarWriter.create([cid]);
      const pump = (async () => {
        for await (const chunk of out) {
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
        }
        res.end();
      })();
      const seen = new Set<string>();
      const walk = async (c: CID): Promise<void> => {
        if (seen.has(c.toString())) return;
        seen.add(c.toString());
        if (opts.delayPerBlockMs) await new Promise((r) => setTimeout(r, opts.delayPerBlockMs));
        if (res.destroyed) throw new Error('client went away');
        const bytes = await get(c);
        await writer.put({ cid: c, bytes });
        state.bytesServed += bytes.byteLength;
        if (scope === 'all') for (const child of blockLinks(c, bytes)) await walk(child);
      };
      await walk(cid).catch(() => {});
      await writer.close();
      await pump;
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    get requests() {
      return state.requests;
    },
    get bytesServed() {
      return state.bytesServed;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
