/**
 * Streaming multipart/form-data for `/api/v0/add`, shaped like Kubo's (go-ipfs-files `MultipartFile`): each
 * part with a filename is a file, or a directory when its Content-Type is `application/x-directory`; the
 * filename is query-unescaped (kubo-rpc-client percent-encodes paths). Parts are handed out one at a time and
 * each file's bytes flow straight from the socket to the consumer, so nothing is buffered beyond a chunk.
 * The body is counted as it arrives; past `maxBytes` the parse fails with {@link PayloadTooLargeError}, and
 * a body that does not keep arriving (`deadline`) with {@link UploadBodyTimeoutError}.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import {
  GatewayError,
  MalformedMultipartError,
  PayloadTooLargeError,
  RequestAbortedError,
} from './errors.ts';
import { type BodyDeadline, UploadBodyTimeoutError } from './upload-limits.ts';

export type UploadPart =
  | { kind: 'file'; path: string; content: AsyncIterable<Uint8Array> }
  | { kind: 'directory'; path: string };

export interface MultipartOptions {
  maxBytes: number;
  signal?: AbortSignal;
  /** The body must keep arriving: past this rule the parse fails with {@link UploadBodyTimeoutError}. */
  deadline?: BodyDeadline;
  /** Told of every chunk's size as it arrives; may throw (a quota) to fail the parse. */
  onBytes?: (bytes: number) => void;
}

/** Bytes buffered in the parser and in each file stream before the socket is paused (bounded, per upload). */
const STREAM_BUFFER = 512 * 1024;

/** Limits that keep a hostile form from costing memory: part headers and counts. */
const LIMITS = { fields: 100, fieldSize: 64 * 1024, parts: 100_000, headerPairs: 64 };

function ignore(): void {}

/** Go's `url.QueryUnescape`: `+` is a space, `%XX` escapes. */
export function queryUnescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new MalformedMultipartError(`invalid escape in part filename "${s.slice(0, 100)}"`);
  }
}

/** Kubo cleans part paths; we refuse traversal instead of silently rewriting. */
function cleanPath(filename: string): string {
  const path = queryUnescape(filename).replace(/^\/+/, '');
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..'))
    throw new MalformedMultipartError(`invalid part path "${path.slice(0, 100)}"`);
  return segments.join('/');
}

/**
 * Yields the parts of a multipart body. Throws {@link MalformedMultipartError} for a missing boundary, a
 * truncated body or bad part headers, and when the form holds no file part at all.
 */
export async function* multipartParts(
  req: IncomingMessage,
  opts: MultipartOptions,
): AsyncGenerator<UploadPart> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      preservePath: true,
      defParamCharset: 'utf8',
      limits: LIMITS,
      // Room for a few socket reads (and about one chunk of file data) between pauses; the 16 KiB defaults
      // pause the socket on nearly every read.
      highWaterMark: STREAM_BUFFER,
      fileHwm: STREAM_BUFFER,
    });
  } catch (err) {
    throw new MalformedMultipartError(`invalid multipart request: ${(err as Error).message}`);
  }

  const queue: UploadPart[] = [];
  // File streams not yet fully read: a failure must reach whoever is reading them.
  const open = new Set<Readable>();
  let failure: GatewayError | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (err: GatewayError) => {
    failure ??= err;
    for (const stream of open) stream.destroy(err);
    notify();
  };

  parser.on('file', (_name, stream, info) => {
    // Every part stream gets a listener at once: a queued part nobody reads yet may be destroyed by a later
    // part's failure, and an 'error' with no listener ends the process. Its reader learns of it through
    // `failure` (see `guard`).
    stream.on('error', ignore);
    if (failure) {
      stream.resume();
      return;
    }
    let path: string;
    try {
      path = cleanPath(info.filename ?? '');
    } catch (err) {
      stream.resume();
      fail(err as GatewayError);
      return;
    }
    if (info.mimeType === 'application/x-directory') {
      stream.resume();
      queue.push({ kind: 'directory', path });
    } else {
      open.add(stream);
      stream.once('close', () => open.delete(stream));
      queue.push({ kind: 'file', path, content: guard(stream) });
    }
    notify();
  });
  parser.on('field', () => {
    // Kubo ignores non-file form fields.
  });
  parser.on('partsLimit', () => fail(new MalformedMultipartError('too many parts in multipart body')));
  // Kubo clients send no plain fields to speak of: a form of thousands is someone making the parser work.
  parser.on('fieldsLimit', () =>
    fail(
      new MalformedMultipartError(`too many non-file fields in multipart body (at most ${LIMITS.fields})`),
    ),
  );
  parser.on('error', (err: Error) =>
    fail(new MalformedMultipartError(`malformed multipart body: ${err.message}`)),
  );
  parser.on('close', () => {
    finished = true;
    notify();
  });

  // Feed the parser by hand (not pipe) so we can count bytes and stop reading without destroying the
  // socket: the router still has to send the 413/400 on it.
  let received = 0;
  let pausedMs = 0;
  let pausedAt: number | undefined;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > opts.maxBytes) {
      detach();
      fail(new PayloadTooLargeError(opts.maxBytes));
      parser.destroy();
      return;
    }
    try {
      opts.onBytes?.(chunk.length);
    } catch (err) {
      detach();
      fail(err instanceof GatewayError ? err : new MalformedMultipartError(String(err)));
      parser.destroy();
      return;
    }
    if (!parser.write(chunk)) {
      // Time we are not reading is not the client's to account for.
      req.pause();
      pausedAt = performance.now();
      parser.once('drain', () => {
        pausedMs += performance.now() - pausedAt!;
        pausedAt = undefined;
        req.resume();
      });
    }
  };
  const onEnd = () => {
    detach();
    parser.end();
  };
  const onAborted = () => {
    detach();
    fail(new RequestAbortedError('client closed the connection during upload'));
    parser.destroy();
  };
  const onSignal = () => onAborted();
  // The body-time rule: `timeoutMs`, plus a second per `minBytesPerSecond` bytes received so far.
  const startedAt = performance.now();
  let deadlineTimer: NodeJS.Timeout | undefined;
  const checkDeadline = () => {
    const d = opts.deadline!;
    const allowed = d.timeoutMs + (received / d.minBytesPerSecond) * 1000;
    const now = performance.now();
    const waitedOnUs = pausedMs + (pausedAt === undefined ? 0 : now - pausedAt);
    const left = allowed - (now - startedAt - waitedOnUs);
    if (left > 0) {
      deadlineTimer = setTimeout(checkDeadline, Math.min(left + 5, 60_000));
      return;
    }
    deadlineTimer = undefined;
    detach();
    fail(
      new UploadBodyTimeoutError(
        `upload body too slow: ${received} bytes in ${Math.round(allowed / 1000)} s (the gateway allows ${d.timeoutMs / 1000} s plus 1 s per ${d.minBytesPerSecond} bytes)`,
      ),
    );
    parser.destroy();
  };
  if (opts.deadline) deadlineTimer = setTimeout(checkDeadline, opts.deadline.timeoutMs);
  function detach() {
    clearTimeout(deadlineTimer);
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onClose);
    opts.signal?.removeEventListener('abort', onSignal);
  }
  const onClose = () => {
    if (!req.complete) onAborted();
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('close', onClose);
  opts.signal?.addEventListener('abort', onSignal, { once: true });

  let parts = 0;
  try {
    while (true) {
      if (failure) throw failure;
      const next = queue.shift();
      if (next) {
        parts++;
        yield next;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure) throw failure;
    if (parts === 0) throw new MalformedMultipartError("file argument 'path' is required");
  } finally {
    detach();
    if (!finished) parser.destroy();
  }

  /** Re-throws stream errors as gateway errors (a truncated part is a client error, not a 500). */
  async function* guard(stream: Readable): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (err) {
      if (failure) throw failure;
      throw err instanceof GatewayError
        ? err
        : new MalformedMultipartError(`malformed multipart body: ${(err as Error).message}`);
    }
    if (failure) throw failure;
  }
}
