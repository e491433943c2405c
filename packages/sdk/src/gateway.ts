/**
 * A storage gateway's HTTP API as Crust's apps use it: `POST /api/v0/add` (Kubo's RPC, multipart, W3Auth-signed) to
 * upload a file or a directory, `GET /ipfs/<cid>` to read it back.
 */
import { BadInputError, FileNotFoundError, NodeUnreachableError, XstorageError } from './errors.ts';
import type { XstorageSigner } from './signers.ts';
import { w3AuthHeader } from './w3auth.ts';

/** One entry of an upload: a file (`content`) or a directory (no content); paths use `/`. */
export interface UploadEntry {
  path: string;
  content?: Uint8Array | (() => AsyncIterable<Uint8Array>);
  /** Bytes of `content` (known up front for the progress total). */
  size?: number;
}

export interface UploadProgress {
  /** Bytes of file content sent so far, and in all. */
  sent: number;
  total: number;
}

export interface UploadResult {
  /** The root's CID (the file, or the top directory). */
  cid: string;
  /** The root's size as the gateway reports it (Kubo's `Size`: the DAG's cumulative size): what an order is for. */
  size: bigint;
  /** Every entry the gateway reported (`{ Name, Hash, Size }`). */
  entries: Array<{ name: string; cid: string; size: bigint }>;
}

const BOUNDARY_PREFIX = '----xstorage-';

function partHeader(boundary: string, path: string, directory: boolean): string {
  const type = directory ? 'application/x-directory' : 'application/octet-stream';
  return `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(path)}"\r\nContent-Type: ${type}\r\n\r\n`;
}

/** The multipart body as a stream, counting content bytes as the HTTP client pulls them. */
function multipartBody(
  entries: UploadEntry[],
  boundary: string,
  onContent: (bytes: number) => void,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  async function* parts(): AsyncGenerator<Uint8Array> {
    for (const e of entries) {
      yield enc.encode(partHeader(boundary, e.path, e.content === undefined));
      if (e.content instanceof Uint8Array) {
        // Slices, so progress moves during a large in-memory upload too.
        for (let i = 0; i < e.content.length; i += 256 * 1024) {
          const chunk = e.content.subarray(i, i + 256 * 1024);
          onContent(chunk.length);
          yield chunk;
        }
      } else if (e.content) {
        for await (const chunk of e.content()) {
          onContent(chunk.length);
          yield chunk;
        }
      }
      yield enc.encode('\r\n');
    }
    yield enc.encode(`--${boundary}--\r\n`);
  }
  const it = parts();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}

export interface GatewayClientOptions {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * Talks to one gateway (`endpoints.gateway`, or any Kubo-RPC-compatible W3Auth gateway).
 *
 * @example
 * const gw = new GatewayClient('http://127.0.0.1:5050');
 * const { cid, size } = await gw.add([{ path: 'hello.txt', content: bytes }], { signer });
 * const back = await gw.cat(cid);
 */
export class GatewayClient {
  readonly url: string;
  readonly #fetch: typeof fetch;

  constructor(url: string, options: GatewayClientOptions = {}) {
    if (!/^https?:\/\//.test(url)) throw new BadInputError(`gateway must be an http(s):// URL, got '${url}'`);
    this.url = url.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? fetch;
  }

  async #request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(`${this.url}${path}`, init);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new NodeUnreachableError(
        this.url,
        `gateway ${this.url} is not reachable (${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}): is the devnet running? check --endpoints/--gateway`,
        { cause: err },
      );
    }
  }

  /**
   * Uploads and pins `entries` (a file, or a directory tree: directories first, as Kubo's clients send them),
   * signed by `signer` (W3Auth). Resolves with the root's CID and size once the gateway has stored and pinned it.
   *
   * @example
   * const { cid } = await gw.add([{ path: 'a.txt', content: new TextEncoder().encode('hi') }], { signer, onProgress: console.log });
   */
  async add(
    entries: UploadEntry[],
    options: { signer: XstorageSigner; onProgress?: (p: UploadProgress) => void; signal?: AbortSignal },
  ): Promise<UploadResult> {
    if (entries.length === 0) throw new BadInputError('nothing to upload');
    const total = entries.reduce(
      (n, e) => n + (e.content instanceof Uint8Array ? e.content.length : (e.size ?? 0)),
      0,
    );
    let sent = 0;
    options.onProgress?.({ sent, total });
    const boundary = `${BOUNDARY_PREFIX}${Math.random().toString(36).slice(2)}`;
    const body = multipartBody(entries, boundary, (n) => {
      sent += n;
      options.onProgress?.({ sent, total });
    });
    const res = await this.#request('/api/v0/add?pin=true&cid-version=0', {
      method: 'POST',
      headers: {
        authorization: await w3AuthHeader(options.signer),
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: 'half',
      signal: options.signal,
    } as RequestInit);
    const text = await res.text();
    if (!res.ok)
      throw new XstorageError(
        'BAD_INPUT',
        `gateway refused the upload (${res.status}): ${kuboMessage(text)}`,
      );
    const lines = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(
        (l) =>
          JSON.parse(l) as { Name?: string; Hash?: string; Size?: string; Message?: string; Type?: string },
      );
    const error = lines.find((l) => l.Type === 'error');
    if (error) throw new XstorageError('BAD_INPUT', `gateway failed the upload: ${error.Message}`);
    const added = lines
      .filter((l) => typeof l.Hash === 'string')
      .map((l) => ({ name: l.Name ?? '', cid: l.Hash!, size: BigInt(l.Size ?? '0') }));
    if (added.length === 0) throw new XstorageError('BAD_INPUT', 'gateway answered the upload without a CID');
    const root = added[added.length - 1]!;
    return { cid: root.cid, size: root.size, entries: added };
  }

  /**
   * The bytes of a file by CID (`GET /ipfs/<cid>`), as a stream; {@link FileNotFoundError} when the gateway
   * does not have it.
   *
   * @example
   * const res = await gw.fetchFile(cid); for await (const chunk of res.body) …
   */
  async fetchFile(cid: string, options: { signal?: AbortSignal } = {}): Promise<Response> {
    const res = await this.#request(`/ipfs/${encodeURIComponent(cid)}`, { signal: options.signal });
    if (res.status === 404 || res.status === 410 || res.status === 504) {
      await res.body?.cancel();
      throw new FileNotFoundError(`the gateway ${this.url} has no file ${cid}`);
    }
    if (res.status === 400) throw new BadInputError(`not a CID: ${kuboMessage(await res.text())}`);
    if (!res.ok) throw new XstorageError('BAD_INPUT', `gateway answered ${res.status} for ${cid}`);
    return res;
  }

  /**
   * A file's bytes by CID.
   *
   * @example
   * const bytes = await gw.cat('QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG');
   */
  async cat(cid: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const res = await this.fetchFile(cid, options);
    return new Uint8Array(await res.arrayBuffer());
  }
}

function kuboMessage(text: string): string {
  try {
    const j = JSON.parse(text);
    if (typeof j.Message === 'string') return j.Message;
  } catch {
    // plain text
  }
  return text.trim().slice(0, 200);
}
