/**
 * How Kubo's RPC writes answers, shared by the commands added for issue 13 (`ls`, `refs`, `dag/*`, `block/*`,
 * `files/stat`, `swarm/peers`, `stats/bw`, `name/*`): streamed NDJSON with `X-Chunked-Output: 1`, a failure
 * after the status line as a final `{"Message","Code","Type"}` line plus the `X-Stream-Error` trailer (go-ipfs-cmds'
 * HTTP response emitter), CIDs printed as `--cid-base` asks (go-cidutil's `cidenc`: CIDv0 as is, CIDv1 in
 * base32, an explicit base upgrading CIDv0 to CIDv1), and content paths in any form `cmdutils.PathOrCidPath`
 * takes (`/ipfs/<cid>[/…]`, `ipfs://<cid>[/…]`, a bare CID).
 */
import type { ServerResponse } from 'node:http';
import { bases } from 'multiformats/basics';
import type { CID } from 'multiformats/cid';
import { type ContentPath, parseKuboPathArg } from './content-path.ts';
import { BadArgumentError, GatewayError, InternalGatewayError, InvalidPathError } from './errors.ts';

/** Headers of a streamed Kubo answer. */
export function kuboStreamHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Chunked-Output': '1',
    'Cache-Control': 'no-cache',
    Trailer: 'X-Stream-Error',
    ...extra,
  };
}

/**
 * A streamed NDJSON answer. Nothing is sent until the first line (so a failure before it is still a proper
 * status with Kubo's error body, thrown to the router); after it, a failure ends the stream as Kubo does.
 */
export class NdjsonStream {
  private started = false;
  constructor(private readonly res: ServerResponse) {}

  get headersSent(): boolean {
    return this.started;
  }

  /** Sends the status line now (for answers that may have no line at all, or stream for long). */
  open(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, kuboStreamHeaders());
  }

  /** Writes one line; resolves once the socket took it (backpressure). */
  async emit(value: unknown): Promise<void> {
    this.open();
    if (this.res.destroyed) return;
    if (!this.res.write(`${JSON.stringify(value)}\n`)) await drainedOrClosed(this.res);
  }

  /** Ends the answer (an empty one if nothing was emitted). */
  end(): void {
    this.open();
    this.res.end();
  }

  /**
   * Ends the stream with `err`: before the first line it is thrown (the router answers with its status),
   * after it Kubo's error line and trailer close the stream.
   */
  fail(err: unknown): void {
    const error =
      err instanceof GatewayError ? err : new InternalGatewayError(String((err as Error)?.message ?? err));
    if (!this.started) throw error;
    if (this.res.destroyed) return;
    this.res.addTrailers({ 'X-Stream-Error': error.message.replace(/[\r\n]/g, ' ') });
    this.res.end(`${JSON.stringify({ Message: error.message, Code: error.kuboCode, Type: 'error' })}\n`);
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

// Every multibase multiformats knows, by Kubo's names (`base32`, `base58btc`, `base36`, `base64url`, …).
const BASES: Record<string, { encoder: { encode(bytes: Uint8Array): string } }> = Object.fromEntries(
  Object.values(bases).map((b) => [b.name, b]),
);

/** How CIDs are printed (`cid-base`; go-cidutil `cidenc`: CIDv1 in base32 unless told, CIDv0 as is). */
export function cidEncoder(query: URLSearchParams): (cid: CID) => string {
  const name = query.get('cid-base');
  if (name === null || name === '') return (cid) => cid.toString();
  const base = BASES[name];
  if (base === undefined) throw new BadArgumentError(`unknown multibase "${name.slice(0, 40)}"`);
  // An explicit base prints every CID in it, so CIDv0 is upgraded (Kubo t0095-refs: `--cid-base=base32`).
  return (cid) => (cid.version === 0 ? cid.toV1() : cid).toString(base.encoder as never);
}

/** A content path as Kubo takes it: `/ipfs/<cid>[/…]`, `ipfs://<cid>[/…]`, `ipfs:<cid>` or a bare CID. */
export function kuboContentPath(arg: string | undefined, argName = 'ipfs-path'): ContentPath {
  if (arg === undefined || arg === '') throw new BadArgumentError(`argument "${argName}" is required`);
  let text = arg;
  if (text.startsWith('ipfs://')) text = `/ipfs/${text.slice('ipfs://'.length)}`;
  else if (text.startsWith('ipfs:')) text = `/ipfs/${text.slice('ipfs:'.length)}`;
  else if (text.startsWith('/ipns/') || text.startsWith('ipns://') || text.startsWith('ipns:')) {
    throw new InvalidPathError(`cannot resolve "${arg.slice(0, 80)}": this gateway has no IPNS`);
  }
  return parseKuboPathArg(text, argName);
}
