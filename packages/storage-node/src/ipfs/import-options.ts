/**
 * `ipfs add` exactly as Kubo does it by default, for Helia / ipfs-unixfs-importer.
 *
 * The importer's own defaults are the modern ones (CIDv1, raw leaves, 1 MiB chunks, 1024 links), and
 * `@helia/unixfs` drops the importer's `profile` option on some paths, so every Kubo default is passed
 * explicitly here. The Kubo defaults (boxo `chunker`, `ipld/unixfs/importer/balanced`, kubo
 * `core/commands/add.go`): CIDv0, fixed 256 KiB chunks, dag-pb UnixFS `file` leaves, balanced layout with at
 * most 174 links per node, a single-chunk file is its own root, links before data in dag-pb nodes.
 * `--cid-version=1` without `--raw-leaves` turns raw leaves on, as in Kubo.
 *
 * Every option set accepted here is fixed-size chunking + balanced layout, so files are built by the
 * streaming importer in `unixfs-balanced-file.ts` (several times faster, same blocks);
 * {@link kuboImporterOptions} stays the reference it is tested against, and {@link fastKuboImporterOptions}
 * plugs the fast file builder into ipfs-unixfs-importer for directories and multi-file adds.
 */
import { open } from 'node:fs/promises';
import { UnixFS } from 'ipfs-unixfs';
import type { ImporterOptions } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import type { CID } from 'multiformats/cid';
import { type BalancedFileOptions, importBalancedFile } from './unixfs-balanced-file.ts';

/** Kubo's default chunk: `size-262144` (boxo `chunker.DefaultBlockSize`). */
export const KUBO_DEFAULT_CHUNK_SIZE = 262_144;
/** Kubo's balanced layout: `helpers.DefaultLinksPerBlock` = 174. */
export const KUBO_MAX_CHILDREN_PER_NODE = 174;
/** Largest chunk Kubo accepts (boxo `chunker.ChunkSizeLimit`, 1 MiB); bigger blocks would not travel by bitswap. */
export const KUBO_MAX_CHUNK_SIZE = 1_048_576;

/** The `ipfs add` knobs we honour, named as in Kubo's RPC query (`cid-version`, `raw-leaves`, `chunker`). */
export interface KuboAddOptions {
  /** 0 (default, `Qm…`) or 1 (`bafy…`). */
  cidVersion?: 0 | 1;
  /** Default: false for CIDv0, true for CIDv1 (Kubo's rule). */
  rawLeaves?: boolean;
  /** `default` or `size-N` (1 ≤ N ≤ 1 MiB). Rabin and buzhash are refused: their CIDs would not match Kubo. */
  chunker?: string;
}

/** An `ipfs add` option we cannot honour Kubo-identically; the message names the option. */
export class InvalidImportOptionError extends Error {
  override name = 'InvalidImportOptionError';
  readonly option: string;
  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/** Parses Kubo's `chunker` string; returns the chunk size in bytes. */
export function parseChunker(chunker: string | undefined): number {
  if (chunker === undefined || chunker === '' || chunker === 'default') return KUBO_DEFAULT_CHUNK_SIZE;
  const sized = /^size-(\d+)$/.exec(chunker);
  if (sized) {
    const size = Number(sized[1]);
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new InvalidImportOptionError('chunker', `chunker size must be greater than 0: ${chunker}`);
    }
    if (size > KUBO_MAX_CHUNK_SIZE) {
      throw new InvalidImportOptionError(
        'chunker',
        `chunker parameters may not exceed the maximum chunk size of ${KUBO_MAX_CHUNK_SIZE}: ${chunker}`,
      );
    }
    return size;
  }
  if (chunker.startsWith('rabin') || chunker.startsWith('buzhash')) {
    throw new InvalidImportOptionError(
      'chunker',
      `chunker '${chunker}' is not supported (only 'size-N'): its CIDs would not match Kubo's`,
    );
  }
  throw new InvalidImportOptionError('chunker', `unrecognized chunker option: ${chunker}`);
}

/**
 * ipfs-unixfs-importer options that reproduce `ipfs add` with the given Kubo flags (all Kubo defaults when
 * empty): the reference the fast importer is tested against.
 */
export function kuboImporterOptions(opts: KuboAddOptions = {}): ImporterOptions {
  const cidVersion = opts.cidVersion ?? 0;
  if (cidVersion !== 0 && cidVersion !== 1) {
    throw new InvalidImportOptionError(
      'cid-version',
      `cid-version must be 0 or 1, got ${String(cidVersion)}`,
    );
  }
  const chunkSize = parseChunker(opts.chunker);
  return {
    cidVersion,
    rawLeaves: opts.rawLeaves ?? cidVersion === 1,
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    wrapWithDirectory: false,
    fieldOrder: 'links-first',
    shardSplitStrategy: 'links-bytes',
    chunker: fixedSize({ chunkSize }),
    layout: balanced({ maxChildrenPerNode: KUBO_MAX_CHILDREN_PER_NODE }),
  };
}

/** Go's `strconv.ParseBool`, which Kubo's RPC uses for boolean query options. */
function parseGoBool(option: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new InvalidImportOptionError(option, `${option} must be a boolean, got '${value}'`);
}

/**
 * Maps the query of Kubo's `POST /api/v0/add` to {@link KuboAddOptions}. Options that change the DAG but that
 * we cannot reproduce (`trickle`, `inline`, `hash` other than sha2-256, `nocopy`) are refused, never
 * silently ignored, so a returned CID always means what the caller asked for.
 */
export function kuboAddOptionsFromQuery(
  query: URLSearchParams | Record<string, string | undefined>,
): KuboAddOptions {
  const get = (k: string): string | undefined =>
    query instanceof URLSearchParams ? (query.get(k) ?? undefined) : query[k];
  const out: KuboAddOptions = {};
  const version = get('cid-version');
  if (version !== undefined && version !== '') {
    if (version !== '0' && version !== '1') {
      throw new InvalidImportOptionError('cid-version', `cid-version must be 0 or 1, got '${version}'`);
    }
    out.cidVersion = version === '1' ? 1 : 0;
  }
  const raw = get('raw-leaves');
  if (raw !== undefined && raw !== '') out.rawLeaves = parseGoBool('raw-leaves', raw);
  const chunker = get('chunker');
  if (chunker !== undefined) {
    parseChunker(chunker);
    out.chunker = chunker;
  }
  const hash = get('hash');
  if (hash !== undefined && hash !== '' && hash !== 'sha2-256') {
    throw new InvalidImportOptionError('hash', `hash '${hash}' is not supported (only sha2-256)`);
  }
  for (const flag of ['trickle', 'inline', 'nocopy'] as const) {
    const v = get(flag);
    if (v !== undefined && v !== '' && parseGoBool(flag, v)) {
      throw new InvalidImportOptionError(flag, `${flag} is not supported`);
    }
  }
  return out;
}

/** Where blocks go: a blockstore, or anything holding one (a Helia node). */
export interface BlockSink {
  // Loosely typed on purpose: blockstores from different interface-blockstore majors all fit.
  put(key: any, value: Uint8Array, options?: { signal?: AbortSignal }): unknown;
}
export type BlockTarget = BlockSink | { blockstore: BlockSink };

export interface AddResult {
  cid: CID;
  /** Bytes of file content. */
  size: number;
  /** Cumulative size of every block of the DAG: what Kubo reports as `Size` in `ipfs add` output. */
  dagSize: number;
}

export interface AddOptions extends KuboAddOptions {
  signal?: AbortSignal;
}

type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

function blockstoreOf(target: BlockTarget): BlockSink {
  return 'blockstore' in target ? target.blockstore : target;
}

/** The fast importer's settings for Kubo options (every option set we accept is fixed-size + balanced). */
function balancedFileOptions(opts: AddOptions): BalancedFileOptions {
  const importerOptions = kuboImporterOptions(opts);
  return {
    chunkSize: parseChunker(opts.chunker),
    cidVersion: importerOptions.cidVersion as 0 | 1,
    rawLeaves: importerOptions.rawLeaves === true,
    maxChildren: KUBO_MAX_CHILDREN_PER_NODE,
    signal: opts.signal,
  };
}

/**
 * Adds bytes (or a stream of byte chunks) as one UnixFS file; Kubo's CID unless `opts` says otherwise.
 * The blocks are those ipfs-unixfs-importer writes with {@link kuboImporterOptions} (see
 * `unixfs-balanced-file.ts`); a failed block write rejects with `BlockWriteError`.
 */
export async function addBytes(
  target: BlockTarget,
  source: ByteSource,
  opts: AddOptions = {},
): Promise<AddResult> {
  const options = balancedFileOptions(opts);
  const { cid, size, dagSize } = await importBalancedFile(source, blockstoreOf(target), options);
  return { cid, size, dagSize };
}

const UPLOAD_WRITE_CONCURRENCY = 8;

/**
 * Importer options for ipfs-unixfs-importer that build each file with the fast balanced-file importer
 * (same blocks as {@link kuboImporterOptions}); directories, wrapping and sharding stay the importer's.
 * Files must not carry `mode` / `mtime` (Kubo's add does not set them by default; such a file is refused).
 */
export function fastKuboImporterOptions(opts: AddOptions = {}): ImporterOptions {
  const reference = kuboImporterOptions(opts);
  // Uploads (the gateway's `add`) arrive from a socket far slower than a local import writes: 8 leaves in
  // flight keep up, and each one more is 256 KiB held per upload.
  const fileOptions = { ...balancedFileOptions(opts), writeConcurrency: UPLOAD_WRITE_CONCURRENCY };
  const fileBuilder: NonNullable<ImporterOptions['fileBuilder']> = async (file, blockstore) => {
    if (file.mode !== undefined || file.mtime !== undefined) {
      throw new InvalidImportOptionError('mode', 'file mode and mtime are not supported by this importer');
    }
    const result = await importBalancedFile(file.content, blockstore, fileOptions);
    const root = result.root;
    const unixfs =
      root.kind === 'node'
        ? new UnixFS({ type: 'file', blockSizes: root.blockSizes.map(BigInt) })
        : root.raw
          ? undefined
          : new UnixFS({ type: 'file', data: root.data });
    return {
      cid: result.cid,
      path: file.path,
      unixfs,
      size: BigInt(result.dagSize),
      originalPath: file.originalPath,
    };
  };
  return {
    ...reference,
    // Pieces reach the file builder as they come; it cuts the chunks itself.
    chunker: (source) => source,
    fileBuilder,
  };
}

/**
 * Adds a file from disk, streaming it (never the whole file in memory): each chunk is read straight into
 * its leaf block.
 */
export async function addFile(target: BlockTarget, path: string, opts: AddOptions = {}): Promise<AddResult> {
  const options = balancedFileOptions(opts); // refuse bad options before opening anything
  opts.signal?.throwIfAborted();
  const file = await open(path, 'r');
  try {
    const reader = {
      read: async (buffer: Uint8Array, offset: number, length: number) =>
        (await file.read(buffer, offset, length, null)).bytesRead,
    };
    const { cid, size, dagSize } = await importBalancedFile(reader, blockstoreOf(target), options);
    return { cid, size, dagSize };
  } finally {
    await file.close();
  }
}
