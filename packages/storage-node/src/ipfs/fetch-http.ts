/**
 * HTTP GET for the fetcher's streams, in two flavours:
 *
 * - {@link streamGet}: a minimal HTTP/1.1 client for long bodies (CAR streams). Over plain TCP the socket
 *   reads straight into one reused buffer (`net.connect({ onread })`) and the body is handed on as views of
 *   it, so a 100 MiB body costs no allocation per read; measured on loopback at ~25 ms of CPU per 100 MiB
 *   against ~150-250 ms for node:http's stream of fresh 64 KiB Buffers. It speaks exactly what a GET needs:
 *   status line, headers, and a body framed by `Content-Length`, `Transfer-Encoding: chunked` or the end of
 *   the connection; one request per connection (`Connection: close`). https goes through `tls.connect` with
 *   the same parser.
 * - {@link httpGet}: node:http with a keep-alive agent, for many small bodies (one block each).
 *
 * https verifies the server's certificate against Node's default CAs, plus any given as an
 * {@link HttpsTrust}; a certificate that does not verify fails with a {@link TlsCertificateError}.
 */
import { X509Certificate } from 'node:crypto';
import { Agent as HttpAgent, get as httpGetRaw, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { createSecureContext, getCACertificates, type SecureContext, connect as tlsConnect } from 'node:tls';

/** The server answered with a status other than 200. */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The response is not well-formed HTTP/1.1, or ended before its body did. */
export class HttpProtocolError extends Error {
  override name = 'HttpProtocolError';
}

/** The https server's certificate did not verify (untrusted issuer, wrong host name, expired...). */
export class TlsCertificateError extends Error {
  override name = 'TlsCertificateError';
  /** Node's / OpenSSL's reason, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`. */
  readonly code: string;
  constructor(host: string, cause: Error & { code?: string }) {
    super(`TLS certificate of ${host} is not trusted: ${cause.message}`, { cause });
    this.code = cause.code ?? 'UNKNOWN';
  }
}

/** A CA certificate given to trust is not one. */
export class InvalidCaError extends Error {
  override name = 'InvalidCaError';
}

/** CA certificates to trust: PEM text (one or more certificates) or DER bytes, or a list of those. */
export type ExtraCa = string | Uint8Array | ReadonlyArray<string | Uint8Array>;

/**
 * Verification codes that mean "this certificate is not acceptable" (Node's tls docs, "X509 certificate
 * error codes", and its host name check), as opposed to a connection or protocol failure.
 */
const CERTIFICATE_ERROR_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** `err` as a {@link TlsCertificateError} when it is a certificate verification failure, else as is. */
function classifyTlsError(host: string, err: Error): Error {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && CERTIFICATE_ERROR_CODES.has(code)
    ? new TlsCertificateError(host, err)
    : err;
}

/**
 * Node's default CAs plus extra ones, for https: one TLS context for the streams and one keep-alive agent
 * for the block GETs, built once per fetch (parsing a few hundred root certificates per connection would
 * cost milliseconds each). `close()` ends the agent's idle connections.
 */
export class HttpsTrust {
  readonly secureContext: SecureContext;
  readonly agent: HttpsAgent;

  /** Throws {@link InvalidCaError} unless every entry holds at least one certificate and all of them parse. */
  constructor(extra: ExtraCa) {
    const entries: ReadonlyArray<string | Uint8Array> =
      typeof extra === 'string' || extra instanceof Uint8Array ? [extra] : extra;
    if (!Array.isArray(entries))
      throw new InvalidCaError('ca must be PEM text, DER bytes, or a list of those');
    if (entries.length === 0) throw new InvalidCaError('no CA certificate given');
    const extraPem = entries.flatMap(certificatesOf);
    // 'default' is what a connection without `ca` trusts: the bundled roots, NODE_EXTRA_CA_CERTS, and the
    // system store when Node runs with --use-system-ca. `ca` replaces it, so it is given in full.
    const ca = [...getCACertificates('default'), ...extraPem];
    this.secureContext = createSecureContext({ ca });
    this.agent = new HttpsAgent({ keepAlive: true, maxSockets: 16, secureContext: this.secureContext });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The certificates in one `ca` entry, as PEM; Node would silently ignore what does not parse. */
function certificatesOf(entry: string | Uint8Array): string[] {
  if (typeof entry !== 'string' && !(entry instanceof Uint8Array)) {
    throw new InvalidCaError('a CA certificate must be PEM text or DER bytes');
  }
  const text = typeof entry === 'string' ? entry : Buffer.from(entry).toString('latin1');
  const der = typeof entry === 'string' || text.includes('-----BEGIN') ? undefined : Buffer.from(entry);
  const blocks = der
    ? [der]
    : (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []);
  if (blocks.length === 0)
    throw new InvalidCaError('no PEM certificate (-----BEGIN CERTIFICATE-----) in a CA entry');
  return blocks.map((block) => {
    try {
      return new X509Certificate(block).toString();
    } catch (err) {
      throw new InvalidCaError(`a CA certificate does not parse: ${(err as Error).message}`);
    }
  });
}

export interface StreamGetOptions {
  accept: string;
  signal: AbortSignal;
  /** A connection silent this long fails the request. */
  idleMs: number;
  /**
   * Body bytes as they arrive. `chunk` is a view of a reused read buffer: valid only during the call, copy
   * what you keep. Throwing aborts the request with that error.
   */
  onBody(chunk: Uint8Array): void;
  /** For https: CAs to trust besides Node's defaults. */
  trust?: HttpsTrust;
}

export interface StreamGet {
  /** Resolves when the whole body was delivered to `onBody`; rejects on any failure. */
  done: Promise<void>;
  /** Stops reading from the socket (backpressure) until {@link resume}. */
  pause(): void;
  resume(): void;
}

const READ_BUFFER_BYTES = 256 * 1024;
const MAX_HEAD_BYTES = 64 * 1024;
/** How much of an error response's body is kept for the message. */
const MAX_ERROR_BODY = 512;

type Framing = { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

export function streamGet(url: URL, options: StreamGetOptions): StreamGet {
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port) || (secure ? 443 : 80);
  let socket: Socket;
  let settle!: { resolve: () => void; reject: (err: Error) => void };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const parser = new ResponseParser(options.onBody);
  let finished = false;
  const finish = (err?: Error) => {
    if (finished) return;
    finished = true;
    options.signal.removeEventListener('abort', onAbort);
    socket.destroy();
    if (err) settle.reject(err);
    else settle.resolve();
  };
  const onAbort = () => finish(abortError(options.signal));
  const feed = (chunk: Uint8Array) => {
    if (finished) return;
    try {
      if (parser.feed(chunk)) finish(parser.error());
    } catch (err) {
      finish(err as Error);
    }
  };
  if (secure) {
    socket = tlsConnect({
      host,
      port,
      // SNI carries host names only (RFC 6066 §3); the certificate is still checked against an IP host.
      servername: isIP(host) ? undefined : host,
      secureContext: options.trust?.secureContext,
    });
    socket.on('data', feed);
  } else {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    socket = netConnect({
      host,
      port,
      onread: {
        buffer,
        callback: (n: number, buf: Uint8Array) => {
          feed(buf.subarray(0, n));
          return true;
        },
      },
    });
  }
  socket.setNoDelay(true);
  socket.setTimeout(options.idleMs, () =>
    finish(new HttpProtocolError(`no data from ${url.host} for ${options.idleMs} ms`)),
  );
  socket.on('error', (err) => finish(secure ? classifyTlsError(url.host, err) : err));
  socket.on('end', () => {
    try {
      parser.end();
      finish(parser.error());
    } catch (err) {
      finish(err as Error);
    }
  });
  socket.on('close', () => finish(new HttpProtocolError(`connection to ${url.host} closed early`)));
  if (options.signal.aborted) queueMicrotask(onAbort);
  else options.signal.addEventListener('abort', onAbort, { once: true });
  socket.write(
    `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: ${options.accept}\r\n` +
      'User-Agent: xstorage\r\nConnection: close\r\n\r\n',
  );
  return {
    done,
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
}

/** HTTP/1.1 response head and body framing; body bytes go to `onBody` as they are decoded. */
class ResponseParser {
  private state: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer' | 'done' = 'head';
  private head = '';
  private line = '';
  private status = 0;
  private framing: Framing = { kind: 'close' };
  private chunkLeft = 0;
  private errorBody = '';
  private readonly onBody: (chunk: Uint8Array) => void;

  constructor(onBody: (chunk: Uint8Array) => void) {
    this.onBody = onBody;
  }

  /** The failure to report once the response is complete (a non-200 status), if any. */
  error(): Error | undefined {
    if (this.status === 200) return undefined;
    const detail = this.errorBody.trim().slice(0, 200);
    return new HttpStatusError(this.status, `gateway answered ${this.status}${detail ? `: ${detail}` : ''}`);
  }

  /** Returns true once the response is complete. */
  feed(chunk: Uint8Array): boolean {
    let at = 0;
    while (at < chunk.byteLength) {
      switch (this.state) {
        case 'head': {
          // The head is short text: latin1 keeps one char per byte, so indices map back to bytes.
          const scanFrom = Math.max(0, this.head.length - 3);
          const take = Math.min(chunk.byteLength - at, MAX_HEAD_BYTES + 4 - this.head.length);
          this.head += Buffer.from(chunk.buffer, chunk.byteOffset + at, take).toString('latin1');
          const endOfHead = this.head.indexOf('\r\n\r\n', scanFrom);
          if (endOfHead < 0) {
            if (this.head.length > MAX_HEAD_BYTES) throw new HttpProtocolError('response head too large');
            at += take;
            break;
          }
          const consumed = endOfHead + 4 - (this.head.length - take);
          at += consumed;
          const head = this.head.slice(0, endOfHead);
          this.head = '';
          if (this.parseHead(head)) return true;
          break;
        }
        case 'body': {
          const n =
            this.framing.kind === 'length'
              ? Math.min(this.framing.left, chunk.byteLength - at)
              : chunk.byteLength - at;
          this.deliver(chunk.subarray(at, at + n));
          at += n;
          if (this.framing.kind === 'length') {
            this.framing.left -= n;
            if (this.framing.left === 0) return this.complete();
          }
          break;
        }
        case 'chunk-size':
        case 'chunk-end':
        case 'trailer': {
          const byte = chunk[at++]!;
          if (byte !== 0x0a) {
            this.line += String.fromCharCode(byte);
            if (this.line.length > 1024) throw new HttpProtocolError('chunk framing line too long');
            break;
          }
          const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
          this.line = '';
          if (this.state === 'chunk-end') {
            if (line !== '') throw new HttpProtocolError('missing CRLF after chunk');
            this.state = 'chunk-size';
          } else if (this.state === 'trailer') {
            if (line === '') return this.complete();
          } else {
            const sizeText = line.split(';', 1)[0]!.trim();
            if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) throw new HttpProtocolError('bad chunk size');
            this.chunkLeft = Number.parseInt(sizeText, 16);
            this.state = this.chunkLeft === 0 ? 'trailer' : 'chunk-data';
          }
          break;
        }
        case 'chunk-data': {
          const n = Math.min(this.chunkLeft, chunk.byteLength - at);
          this.deliver(chunk.subarray(at, at + n));
          at += n;
          this.chunkLeft -= n;
          if (this.chunkLeft === 0) this.state = 'chunk-end';
          break;
        }
        case 'done':
          // Bytes after a complete response on a `Connection: close` request: ignore them.
          return true;
      }
    }
    return false;
  }

  /** The connection ended: fine only when the body is framed by the end of the connection. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'body' && this.framing.kind === 'close') {
      this.state = 'done';
      return;
    }
    throw new HttpProtocolError('connection closed before the response was complete');
  }

  private deliver(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    if (this.status === 200) this.onBody(bytes);
    else if (this.errorBody.length < MAX_ERROR_BODY) {
      this.errorBody += Buffer.from(
        bytes.buffer,
        bytes.byteOffset,
        Math.min(bytes.byteLength, MAX_ERROR_BODY),
      ).toString('utf8');
    }
  }

  private complete(): true {
    this.state = 'done';
    return true;
  }

  /** Returns true if the response is already complete (no body). */
  private parseHead(head: string): boolean {
    const lines = head.split('\r\n');
    const statusLine = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
    if (!statusLine) throw new HttpProtocolError(`bad status line '${(lines[0] ?? '').slice(0, 80)}'`);
    const status = Number(statusLine[1]);
    // 1xx responses (e.g. 103 Early Hints) precede the real one.
    if (status >= 100 && status < 200) return false;
    this.status = status;
    let length: number | undefined;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new HttpProtocolError('bad header line');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value))) {
          throw new HttpProtocolError('bad Content-Length');
        }
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        chunked = value.toLowerCase().split(',').pop()!.trim() === 'chunked';
        if (!chunked) throw new HttpProtocolError(`unsupported Transfer-Encoding '${value}'`);
      }
    }
    if (status === 204 || status === 304) return this.complete();
    if (chunked) {
      this.state = 'chunk-size';
      this.framing = { kind: 'chunked' };
    } else if (length !== undefined) {
      if (length === 0) return this.complete();
      this.state = 'body';
      this.framing = { kind: 'length', left: length };
    } else {
      this.state = 'body';
      this.framing = { kind: 'close' };
    }
    return false;
  }
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('request aborted');
  err.name = 'AbortError';
  return err;
}

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 16 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 16 });

/**
 * GET with node:http and a keep-alive agent: many small bodies, one connection reused. For https, `trust`
 * adds CAs (its own agent); a certificate that does not verify is a {@link TlsCertificateError}.
 */
export function httpGet(
  url: URL,
  accept: string,
  signal: AbortSignal,
  idleMs: number,
  trust?: HttpsTrust,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const get = secure ? httpsGet : httpGetRaw;
    const req = get(url, {
      agent: secure ? (trust?.agent ?? httpsAgent) : httpAgent,
      headers: { accept },
      signal,
    });
    req.setTimeout(idleMs, () => req.destroy(new Error(`no data from ${url.host} for ${idleMs} ms`)));
    req.once('response', resolve);
    // `on`, not `once`: a second error (a reset after a timeout's destroy) must find a listener too.
    req.on('error', (err) => reject(secure ? classifyTlsError(url.host, err) : err));
  });
}
