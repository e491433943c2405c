/**
 * Every failure the gateway reports to a client is one of these: the router maps `status` to the HTTP status
 * and picks the body shape (Kubo RPC JSON under /api/v0, plain text on the path gateway, W3Auth JSON for
 * auth failures), so handlers only throw.
 */
export class GatewayError extends Error {
  override name = 'GatewayError';
  /** HTTP status sent to the client. */
  readonly status: number = 500;
  /** Kubo's cmds error code: 0 = normal (HTTP 500), 1 = client error (HTTP 400). */
  get kuboCode(): number {
    return this.status >= 400 && this.status < 500 ? 1 : 0;
  }
}

/** The CID in the path (or an `arg`) does not parse. */
export class InvalidCidError extends GatewayError {
  override name = 'InvalidCidError';
  override readonly status = 400;
  constructor(
    readonly input: string,
    cause?: unknown,
  ) {
    super(`invalid CID "${truncate(input)}": ${cause instanceof Error ? cause.message : 'not a CID'}`);
  }
}

/** The content path is syntactically wrong (empty segment, bad escape, unknown namespace). */
export class InvalidPathError extends GatewayError {
  override name = 'InvalidPathError';
  override readonly status = 400;
}

/** A request argument is missing or malformed (Kubo's ErrClient). */
export class BadArgumentError extends GatewayError {
  override name = 'BadArgumentError';
  override readonly status = 400;
}

/** The CID names a codec this gateway cannot decode (only raw, dag-pb, dag-cbor, dag-json, json, identity). */
export class UnsupportedCodecError extends GatewayError {
  override name = 'UnsupportedCodecError';
  override readonly status = 400;
}

/** A block is not in the local blockstore; the gateway never fetches from the network. */
export class BlockNotFoundError extends GatewayError {
  override name = 'BlockNotFoundError';
  override readonly status = 404;
  constructor(readonly cid: string) {
    super(`block was not found locally (offline): ${cid}`);
  }
}

/** The DAG exists but the requested path inside it does not. */
export class PathNotFoundError extends GatewayError {
  override name = 'PathNotFoundError';
  override readonly status = 404;
}

/** No route for this URL. */
export class RouteNotFoundError extends GatewayError {
  override name = 'RouteNotFoundError';
  override readonly status = 404;
  constructor(readonly path: string) {
    super(`404 page not found: ${truncate(path)}`);
  }
}

export class MethodNotAllowedError extends GatewayError {
  override name = 'MethodNotAllowedError';
  override readonly status = 405;
  constructor(
    readonly method: string,
    readonly allow: readonly string[],
  ) {
    super(`method ${truncate(method)} not allowed (allowed: ${allow.join(', ')})`);
  }
}

/** The requested representation cannot be produced for this content. */
export class NotAcceptableError extends GatewayError {
  override name = 'NotAcceptableError';
  override readonly status = 406;
}

/** W3Auth failed: no header, garbled header, unknown chain, or a signature that does not verify. */
export class UnauthorizedError extends GatewayError {
  override name = 'UnauthorizedError';
  override readonly status = 401;
}

/** The upload is larger than the gateway accepts; counted while streaming. */
export class PayloadTooLargeError extends GatewayError {
  override name = 'PayloadTooLargeError';
  override readonly status = 413;
  constructor(readonly limit: number) {
    super(`request body exceeds the upload limit of ${limit} bytes`);
  }
}

/** The multipart/form-data body is unusable: no boundary, truncated, no file part, bad part header. */
export class MalformedMultipartError extends GatewayError {
  override name = 'MalformedMultipartError';
  override readonly status = 400;
}

/** `Range` asks for bytes outside the entity. */
export class RangeNotSatisfiableError extends GatewayError {
  override name = 'RangeNotSatisfiableError';
  override readonly status = 416;
  constructor(readonly size: number) {
    super(`requested range not satisfiable (entity size ${size})`);
  }
}

/** The client went away or the server is stopping; nothing is sent. */
export class RequestAbortedError extends GatewayError {
  override name = 'RequestAbortedError';
  override readonly status = 499;
}

/** Anything unexpected is reported as a 500 with its message, never with a stack. */
export class InternalGatewayError extends GatewayError {
  override name = 'InternalGatewayError';
  override readonly status = 500;
}

export function truncate(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
