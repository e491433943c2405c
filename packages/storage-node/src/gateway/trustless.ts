/**
 * Trustless gateway responses (specs.ipfs.tech/http-gateways/trustless-gateway): a single raw block, or the
 * DAG as a CAR v1 stream in DFS order. The root block is read before the status line goes out, so a missing
 * root is a 404; a block missing later cuts the stream (the client's CAR verification then fails).
 */
import type { CID } from 'multiformats/cid';
import { writeCarBody } from './car.ts';
import { type WalkedBlock, walkDag } from './dag-walk.ts';
import { entityBytesBlocks } from './entity-bytes.ts';
import { BlockNotFoundError } from './errors.ts';
import {
  contentDisposition,
  etagMatches,
  IMMUTABLE_CACHE_CONTROL,
  type RequestContext,
} from './http-util.ts';
import { CAR_TYPE, type CarParams, RAW_TYPE } from './negotiate.ts';
import type { Resolved } from './resolve.ts';

function commonHeaders(ctx: RequestContext, resolved: Resolved, format: 'raw' | 'car', fromAccept: boolean) {
  const headers: Record<string, string> = {
    'Cache-Control': IMMUTABLE_CACHE_CONTROL,
    'X-Content-Type-Options': 'nosniff',
    'X-Ipfs-Path': ctx.url.pathname,
    'X-Ipfs-Roots': resolved.roots.map(String).join(','),
    Vary: 'Accept',
  };
  if (fromAccept) {
    const location = new URL(ctx.url);
    location.searchParams.set('format', format);
    headers['Content-Location'] = `${location.pathname}${location.search}`;
  }
  return headers;
}

function attachmentName(ctx: RequestContext, cid: CID, ext: string): string {
  const filename = ctx.url.searchParams.get('filename') ?? `${cid}.${ext}`;
  return contentDisposition('attachment', filename);
}

export async function sendRawBlock(
  ctx: RequestContext,
  resolved: Resolved,
  fromAccept: boolean,
): Promise<void> {
  const { res, req } = ctx;
  const etag = `"${resolved.cid}.raw"`;
  const bytes = await ctx.blocks.get(resolved.cid, ctx.signal);
  const headers = {
    ...commonHeaders(ctx, resolved, 'raw', fromAccept),
    Etag: etag,
    'Content-Type': RAW_TYPE,
    'Content-Disposition': attachmentName(ctx, resolved.cid, 'bin'),
    'Content-Length': String(bytes.byteLength),
    'Accept-Ranges': 'none',
  };
  if (etagMatches(req, etag)) {
    res.writeHead(304, { Etag: etag, 'Cache-Control': IMMUTABLE_CACHE_CONTROL });
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function carContentType(car: CarParams): string {
  return `${CAR_TYPE}; version=1; order=dfs; dups=${car.dups ? 'y' : 'n'}`;
}

export async function sendCar(
  ctx: RequestContext,
  resolved: Resolved,
  car: CarParams,
  fromAccept: boolean,
): Promise<void> {
  const { res, req } = ctx;
  // Our DFS order is deterministic for a given DAG and parameters, so the Etag is strong.
  // With a path, the CAR also carries the path's blocks, so the whole requested path names it.
  const subject =
    resolved.pathBlocks.length > 0
      ? ctx.url.pathname.replace(/^\/ipfs\//, '').replace(/"/g, '%22')
      : resolved.cid;
  const etag = `"${subject}.car.${car.scope}.dfs.${car.dups ? 'y' : 'n'}${car.entityBytes ? `.${car.entityBytes}` : ''}"`;
  const headers = {
    ...commonHeaders(ctx, resolved, 'car', fromAccept),
    Etag: etag,
    'Content-Type': carContentType(car),
    'Content-Disposition': attachmentName(ctx, resolved.cid, 'car'),
    'Accept-Ranges': 'none',
  };
  if (etagMatches(req, etag)) {
    res.writeHead(304, { Etag: etag, 'Cache-Control': IMMUTABLE_CACHE_CONTROL });
    res.end();
    return;
  }
  if (resolved.pathBlocks.length > 0 && !(await ctx.blocks.has(resolved.cid, ctx.signal))) {
    throw new BlockNotFoundError(resolved.cid.toString());
  }
  const seen = new Set<string>();
  const blocks = carBlocks(ctx, resolved, car, seen);
  const iterator = blocks[Symbol.asyncIterator]();
  // Pull the first block now: a missing root becomes a 404 rather than a broken 200.
  const first = await iterator.next();
  if (req.method === 'HEAD') {
    if (!first.done) first.value.lent?.release();
    await iterator.return?.(undefined);
    res.writeHead(200, headers);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  async function* rest(): AsyncGenerator<WalkedBlock> {
    if (!first.done) yield first.value;
    while (true) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  await writeCarBody(res, [resolved.cid], rest());
}

/** Blocks needed to verify the path (always), then the terminus DAG in the requested scope. */
async function* carBlocks(
  ctx: RequestContext,
  resolved: Resolved,
  car: CarParams,
  seen: Set<string>,
): AsyncGenerator<WalkedBlock> {
  const common = { dups: car.dups, signal: ctx.signal, seen, lend: true };
  for (const cid of resolved.pathBlocks) {
    yield* walkDag(cid, ctx.blocks, { ...common, scope: 'block' });
  }
  // entity-bytes: only the blocks that verify the byte range (entity-bytes.ts).
  if (car.entityBytes !== undefined) {
    yield* entityBytesBlocks(resolved.cid, car.entityBytes, ctx.blocks, {
      dups: car.dups,
      signal: ctx.signal,
      seen,
    });
    return;
  }
  yield* walkDag(resolved.cid, ctx.blocks, { ...common, scope: car.scope });
}
