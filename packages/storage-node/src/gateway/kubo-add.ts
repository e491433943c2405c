/**
 * `POST /api/v0/add`: multipart parts stream straight into the UnixFS importer with Kubo's options (from
 * `../ipfs/import-options.ts`, files built by the fast balanced-file importer), so a 1 GiB upload never sits in memory. Output is Kubo's NDJSON
 * (`{"Name","Hash","Size"}` per file and directory, `{"Name","Bytes"}` progress lines with `progress=true`).
 *
 * With `pin=true` (Kubo's default) each root is pinned from the blocks the upload stored (`pin-roots.ts`,
 * `upload-dag.ts`) when the node's pin datastore is at hand, else by Helia walking the DAG.
 *
 * Without `progress`, the answer is held until the import and pins are done, so a failure is a proper status
 * (400/413/500 with Kubo's error JSON); with `progress`, status 200 goes out first and a failure is reported
 * as a final error line plus the `X-Stream-Error` trailer, as Kubo does.
 */
import type { ImportCandidate, ImportResult } from 'ipfs-unixfs-importer';
import { importer } from 'ipfs-unixfs-importer';
import type { CID } from 'multiformats/cid';
import {
  fastKuboImporterOptions,
  InvalidImportOptionError,
  kuboAddOptionsFromQuery,
} from '../ipfs/import-options.ts';
import { BadArgumentError, GatewayError, MalformedMultipartError, PayloadTooLargeError } from './errors.ts';
import type { RequestContext } from './http-util.ts';
import { boolOption } from './kubo-args.ts';
import { multipartParts } from './multipart.ts';
import { type PinStore, pinUploadRoots } from './pin-roots.ts';
import type { GatewayNode } from './storage.ts';
import { UploadDag } from './upload-dag.ts';
import type { HoldUploadGuard, UploadGuard } from './upload-gc.ts';
import type { UploadLedger, UploadStore } from './upload-ledger.ts';
import type { BodyDeadline } from './upload-limits.ts';
import type { PartsWriter } from './upload-parts.ts';

export interface AddDeps {
  node: GatewayNode;
  ledger: UploadLedger;
  maxUploadBytes: number;
  /** Where Helia keeps pins: with it, `pin=true` records each pin from the blocks the upload stored. */
  pinStore?: PinStore;
  /** Writes blocks given as parts (dag-pb leaves) without joining them first. */
  partsWriter?: PartsWriter;
  /** Holds Helia's GC read lock over a pinned upload (a Helia node only). */
  uploadGuard?: HoldUploadGuard;
  /** The body must keep arriving (upload-limits.ts); none when absent. */
  bodyDeadline?: BodyDeadline;
}

/** `only-hash`: blocks are computed and dropped (parts are never joined). */
const HASH_ONLY_SINK: UploadStore = { put: async (cid) => cid, putParts: async (cid) => cid };

interface AddFlags {
  pin: boolean;
  quieter: boolean;
  silent: boolean;
  progress: boolean;
  wrap: boolean;
  onlyHash: boolean;
}

/** Progress lines at most every this many bytes per file (Kubo reports per chunk). */
const PROGRESS_STEP = 256 * 1024;

function flags(query: URLSearchParams): AddFlags {
  const bool = (name: string, dflt: boolean) => boolOption(query, name, dflt);
  return {
    pin: bool('pin', true),
    quieter: bool('quieter', false),
    silent: bool('silent', false),
    progress: bool('progress', false),
    wrap: bool('wrap-with-directory', false),
    onlyHash: bool('only-hash', false),
  };
}

export async function handleAdd(ctx: RequestContext, deps: AddDeps): Promise<void> {
  const { req, url } = ctx;
  let importerOptions: ReturnType<typeof fastKuboImporterOptions>;
  try {
    // Each file through the fast balanced-file importer (same blocks as the reference importer options).
    importerOptions = fastKuboImporterOptions({
      ...kuboAddOptionsFromQuery(url.searchParams),
      signal: ctx.signal,
    });
  } catch (err) {
    if (err instanceof InvalidImportOptionError) throw new BadArgumentError(err.message);
    throw err;
  }
  const f = flags(url.searchParams);
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw new MalformedMultipartError(
      `expected multipart/form-data request body, got "${contentType.slice(0, 80)}"`,
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > deps.maxUploadBytes)
    throw new PayloadTooLargeError(deps.maxUploadBytes);

  const pinning = f.pin && !f.onlyHash;
  // The DAG is only kept when the pin will be recorded from it.
  const dag = pinning && deps.pinStore !== undefined ? new UploadDag() : undefined;
  // A pinned upload keeps GC out from its first block to its pin, and meanwhile writes below the GC lock.
  const guard = pinning && deps.uploadGuard !== undefined ? await deps.uploadGuard(ctx.signal) : undefined;
  try {
    await addUnderGuard(ctx, deps, f, importerOptions, pinning, dag, guard);
  } finally {
    guard?.release();
  }
}

async function addUnderGuard(
  ctx: RequestContext,
  deps: AddDeps,
  f: AddFlags,
  importerOptions: ReturnType<typeof fastKuboImporterOptions>,
  pinning: boolean,
  dag: UploadDag | undefined,
  guard: UploadGuard | undefined,
): Promise<void> {
  const { req, res } = ctx;
  const session = deps.ledger.begin(guard?.store ?? deps.node.blockstore, { parts: deps.partsWriter, dag });
  const sink = f.onlyHash ? HASH_ONLY_SINK : session.store;
  const lines: string[] = [];
  let headersSent = false;
  const emit = (obj: unknown) => {
    const line = `${JSON.stringify(obj)}\n`;
    if (headersSent) res.write(line);
    else lines.push(line);
  };
  if (f.progress) {
    res.writeHead(200, kuboStreamHeaders());
    headersSent = true;
  }

  async function* candidates(): AsyncGenerator<ImportCandidate> {
    for await (const part of multipartParts(req, {
      maxBytes: deps.maxUploadBytes,
      signal: ctx.signal,
      deadline: deps.bodyDeadline,
      onBytes: ctx.upload?.count,
    })) {
      if (part.kind === 'directory') yield { path: part.path };
      else
        yield { path: part.path, content: f.progress ? withProgress(part.path, part.content) : part.content };
    }
  }
  async function* withProgress(name: string, content: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    let bytes = 0;
    let reported = 0;
    for await (const chunk of content) {
      bytes += chunk.byteLength;
      if (bytes - reported >= PROGRESS_STEP) {
        reported = bytes;
        emit({ Name: name, Bytes: bytes });
      }
      yield chunk;
    }
    emit({ Name: name, Bytes: bytes });
  }

  const addLine = (entry: ImportResult) => kuboAddLine(entry, f.wrap);
  const results: ImportResult[] = [];
  try {
    for await (const entry of importer(candidates(), sink, {
      ...importerOptions,
      wrapWithDirectory: f.wrap,
      // One file at a time: parts arrive in order on one socket.
      fileImportConcurrency: 1,
      signal: ctx.signal,
    } as never) as AsyncIterable<ImportResult>) {
      results.push(entry);
      if (!f.quieter && !f.silent) emit(addLine(entry));
    }
    if (results.length === 0) throw new MalformedMultipartError("file argument 'path' is required");
    if (f.quieter && !f.silent) emit(addLine(results[results.length - 1]!));
    if (pinning) {
      await pinUploadRoots(deps.node, topLevel(results, f.wrap), dag, deps.pinStore, ctx.signal, () =>
        // Helia's walk takes the GC lock per block: let go of ours first (a GC may then take a root whose
        // DAG this upload did not store, and the walk fails on it rather than pinning half a DAG).
        guard?.release(),
      );
    }
    session.commit();
  } catch (err) {
    await session.rollback(deps.node.pins);
    const error = asGatewayError(err);
    if (!headersSent) throw error;
    res.addTrailers({ 'X-Stream-Error': error.message });
    res.end(`${JSON.stringify({ Message: error.message, Code: error.kuboCode, Type: 'error' })}\n`);
    return;
  }
  if (!headersSent) res.writeHead(200, kuboStreamHeaders());
  res.end(lines.join(''));
}

function kuboStreamHeaders(): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Chunked-Output': '1',
    'Cache-Control': 'no-cache',
    Trailer: 'X-Stream-Error',
  };
}

function kuboAddLine(entry: ImportResult, wrapped: boolean): { Name: string; Hash: string; Size: string } {
  const hash = entry.cid.toString();
  const path = entry.path ?? '';
  // Kubo names an unnamed input (stdin, empty filename) by its hash; the wrapping directory has no name.
  const name = path !== '' ? path : wrapped ? '' : hash;
  return { Name: name, Hash: hash, Size: String(entry.size) };
}

/** Kubo pins what it reports as roots: the wrapper directory, or each top-level file/directory. */
function topLevel(results: ImportResult[], wrap: boolean): CID[] {
  if (wrap) return [results[results.length - 1]!.cid];
  const out = new Map<string, CID>();
  for (const r of results) {
    const path = r.path ?? '';
    if (!path.includes('/')) out.set(r.cid.toString(), r.cid);
  }
  return [...out.values()];
}

function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = new GatewayError(err instanceof Error ? err.message : String(err));
  return e;
}
