/** Small response helpers shared by the gateway's handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestAbortedError } from './errors.ts';
import type { LocalBlocks } from './storage.ts';
import type { UploadGrant } from './upload-limits.ts';

/** Everything a handler needs for one request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  blocks: LocalBlocks;
  /** Aborted when the client goes away or the gateway stops. */
  signal: AbortSignal;
  /** An admitted upload (`add`): its bytes count against the identity's quota. */
  upload?: UploadGrant;
}

export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=29030400, immutable';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  const body = `${text}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/**
 * Streams `source` into the response with backpressure. If the source fails after headers were sent the
 * error propagates and the router tears the connection down, so the client sees a truncated body instead of
 * a complete-looking one. A plain write loop: measurably cheaper than `Readable.from` + `pipeline`. An array
 * item is written as one piece without joining its parts (corked: one `writev`).
 */
export async function streamBody(
  res: ServerResponse,
  source: AsyncIterable<Uint8Array | Uint8Array[]>,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    while (true) {
      const next = await iterator.next();
      if (next.done) break;
      if (res.destroyed) throw new RequestAbortedError('client closed the connection');
      if (Array.isArray(next.value)) {
        res.cork();
        for (const part of next.value) res.write(part);
        // uncork() may flush and emit 'drain' at once, so ask the stream rather than write()'s result.
        res.uncork();
      } else {
        res.write(next.value);
      }
      if (res.writableNeedDrain) await drained(res);
    }
  } catch (err) {
    await iterator.return?.(undefined);
    throw err;
  }
  res.end();
}

/** Resolves at the response's next 'drain'; rejects if it closes first. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new RequestAbortedError('client closed the connection'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** True when an `If-None-Match` header lists `etag` (or `*`). */
export function etagMatches(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

/** `Content-Disposition` from `?filename=` / `?download=`, with the RFC 8187 UTF-8 form for non-ASCII names. */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string | undefined): string {
  if (filename === undefined) return kind;
  const asciiName = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const header = `${kind}; filename="${asciiName}"`;
  if (asciiName === filename) return header;
  return `${header}; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
