/**
 * `GET|HEAD /ipfs/<cid>[/path]` (specs.ipfs.tech/http-gateways/path-gateway): picks the representation,
 * resolves the path locally, then serves a UnixFS file (with single-range support), a directory (index.html
 * or a generated listing), a raw block or a CAR.
 */
import { exporter, type UnixFSDirectory, type UnixFSEntry } from 'ipfs-unixfs-exporter';
import { parseContentPath } from './content-path.ts';
import { contentTypeFromName, sniffContentType } from './content-type.ts';
import { InvalidPathError, NotAcceptableError } from './errors.ts';
import {
  contentDisposition,
  etagMatches,
  IMMUTABLE_CACHE_CONTROL,
  type RequestContext,
  streamBody,
} from './http-util.ts';
import { negotiate } from './negotiate.ts';
import { parseRange } from './range.ts';
import { type Resolved, resolvePath } from './resolve.ts';
import { isNotFound, toGatewayError } from './storage.ts';
import { sendCar, sendRawBlock } from './trustless.ts';

/** Bumped when the generated directory listing changes, so caches drop old listings (spec Etag advice). */
const DIR_INDEX_VERSION = 'xstorage-1';
const SNIFF_BYTES = 512;

export async function handleIpfsPath(ctx: RequestContext): Promise<void> {
  const rest = ctx.url.pathname.slice('/ipfs/'.length);
  if (rest === '') throw new InvalidPathError('missing CID: expected /ipfs/<cid>[/path]');
  const path = parseContentPath(rest);
  const representation = negotiate(ctx.req, ctx.url.searchParams);
  const resolved = await resolvePath(path, ctx.blocks, ctx.signal);
  if (representation.kind === 'raw') return sendRawBlock(ctx, resolved, representation.fromAccept);
  if (representation.kind === 'car')
    return sendCar(ctx, resolved, representation.car, representation.fromAccept);

  const entry = await exportEntry(ctx, resolved);
  const name = path.segments[path.segments.length - 1];
  if (entry.type === 'directory') {
    if (!path.trailingSlash) return redirectToSlash(ctx);
    return sendDirectory(ctx, resolved, entry);
  }
  if (entry.type === 'file' || entry.type === 'raw' || entry.type === 'identity') {
    return sendFile(ctx, resolved, entry, name);
  }
  throw new NotAcceptableError(
    `${resolved.cid} is not UnixFS (codec 0x${resolved.cid.code.toString(16)}); request ?format=raw or ?format=car`,
  );
}

async function exportEntry(ctx: RequestContext, resolved: Resolved): Promise<UnixFSEntry> {
  try {
    return await exporter(resolved.cid, ctx.blocks.exporterStore, { signal: ctx.signal, offline: true });
  } catch (err) {
    throw toGatewayError(err, resolved.cid);
  }
}

function baseHeaders(ctx: RequestContext, resolved: Resolved): Record<string, string> {
  return {
    'Cache-Control': IMMUTABLE_CACHE_CONTROL,
    'X-Ipfs-Path': ctx.url.pathname,
    'X-Ipfs-Roots': resolved.roots.map(String).join(','),
    Vary: 'Accept',
  };
}

function redirectToSlash(ctx: RequestContext): void {
  ctx.res.writeHead(301, { Location: `${ctx.url.pathname}/${ctx.url.search}` });
  ctx.res.end();
}

type FileLike = Extract<UnixFSEntry, { type: 'file' | 'raw' | 'identity' }>;

async function readHead(ctx: RequestContext, entry: FileLike, size: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let got = 0;
  for await (const chunk of entry.content({
    offset: 0,
    length: Math.min(SNIFF_BYTES, size),
    signal: ctx.signal,
    offline: true,
  })) {
    chunks.push(chunk);
    got += chunk.byteLength;
  }
  return Buffer.concat(chunks, got);
}

async function sendFile(ctx: RequestContext, resolved: Resolved, entry: FileLike, name: string | undefined) {
  const { req, res, url } = ctx;
  const size = Number(entry.size);
  const etag = `"${resolved.cid}"`;
  const headers: Record<string, string> = {
    ...baseHeaders(ctx, resolved),
    Etag: etag,
    'Accept-Ranges': 'bytes',
  };
  if (etagMatches(req, etag)) {
    res.writeHead(304, { Etag: etag, 'Cache-Control': IMMUTABLE_CACHE_CONTROL });
    res.end();
    return;
  }
  const filename = url.searchParams.get('filename') ?? undefined;
  const download = url.searchParams.get('download');
  if (filename !== undefined || download === 'true') {
    headers['Content-Disposition'] = contentDisposition(
      download === 'true' ? 'attachment' : 'inline',
      filename,
    );
  }
  let contentType = contentTypeFromName(filename) ?? contentTypeFromName(name);
  if (contentType === undefined) {
    contentType =
      size === 0 ? 'text/plain; charset=utf-8' : sniffContentType(await readHead(ctx, entry, size));
  }
  headers['Content-Type'] = contentType;

  const range = parseRange(req.headers.range, size);
  if (range === undefined) {
    headers['Content-Length'] = String(size);
    res.writeHead(200, headers);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    return streamContent(ctx, entry, 0, size);
  }
  const length = range.end - range.start + 1;
  headers['Content-Length'] = String(length);
  headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  res.writeHead(206, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  return streamContent(ctx, entry, range.start, length);
}

async function streamContent(ctx: RequestContext, entry: FileLike, offset: number, length: number) {
  // Once the status line is out, a missing block can only cut the body short; streamBody does that.
  await streamBody(ctx.res, entry.content({ offset, length, signal: ctx.signal, offline: true }));
}

async function sendDirectory(ctx: RequestContext, resolved: Resolved, dir: UnixFSDirectory) {
  // A directory with index.html is served as that page.
  let index: UnixFSEntry | undefined;
  try {
    index = await exporter(`${resolved.cid}/index.html`, ctx.blocks.exporterStore, {
      signal: ctx.signal,
      offline: true,
    });
  } catch (err) {
    if (!isNotFound(err)) throw toGatewayError(err);
  }
  if (index !== undefined && (index.type === 'file' || index.type === 'raw')) {
    return sendFile(ctx, { ...resolved, roots: [...resolved.roots, index.cid] }, index, 'index.html');
  }
  const { req, res } = ctx;
  const etag = `"DirIndex-${DIR_INDEX_VERSION}_CID-${resolved.cid}"`;
  if (etagMatches(req, etag)) {
    res.writeHead(304, { Etag: etag, 'Cache-Control': IMMUTABLE_CACHE_CONTROL });
    res.end();
    return;
  }
  res.writeHead(200, {
    ...baseHeaders(ctx, resolved),
    Etag: etag,
    'Content-Type': 'text/html; charset=utf-8',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await streamBody(res, listing(ctx, resolved, dir));
}

async function* listing(
  ctx: RequestContext,
  resolved: Resolved,
  dir: UnixFSDirectory,
): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  const here = ctx.url.pathname;
  yield enc.encode(
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(decodeSafe(here))}</title></head><body>\n` +
      `<h1>Index of ${escapeHtml(decodeSafe(here))}</h1>\n<p>${resolved.cid}</p>\n<table>\n`,
  );
  for await (const e of dir.entries({ signal: ctx.signal, offline: true })) {
    const href = `${here}${encodeURIComponent(e.name)}`;
    yield enc.encode(
      `<tr><td><a href="${escapeHtml(href)}">${escapeHtml(e.name)}</a></td>` +
        `<td><a href="/ipfs/${e.cid}?filename=${encodeURIComponent(e.name)}">${e.cid}</a></td>` +
        `<td>${e.size}</td></tr>\n`,
    );
  }
  yield enc.encode('</table>\n</body></html>\n');
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
