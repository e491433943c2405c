/**
 * `block/put`, `block/stat`, `block/rm` as Kubo's `core/commands/block.go` answers them (`block/get` is in
 * kubo-rpc.ts):
 *
 * - `put`: each file part of the multipart body is one block, named by `cid-codec` (default `raw`), `mhtype`
 *   (default `sha2-256`) and `mhlen` (-1: the function's length; shorter truncates, not below 20 bytes); the legacy `format` (`v0` gives a CIDv0,
 *   `protobuf`/`cbor` are read as dag-pb/dag-cbor) cannot be combined with another `cid-codec`. Blocks over
 *   2 MiB are refused unless `allow-big-block` (Kubo's message; checked before storing, where Kubo stores
 *   first). `pin=true` pins each block recursively. One `{"Key","Size"}` line per block.
 * - `stat`: `{"Key","Size"}` of a stored block.
 * - `rm`: one line per CID, `{"Hash"}` or `{"Hash","Error"}` (pinned: `pinned: recursive` / `pinned via
 *   <root>`; missing without `force`: `ipld: could not find <cid>`), nothing for successes with `quiet`.
 *
 * A failed `put` takes back the blocks it stored (Kubo keeps them for GC): nothing is half-written.
 */
import * as cborg from 'cborg';
import { Key } from 'interface-datastore';
import { base36 } from 'multiformats/bases/base36';
import { CID } from 'multiformats/cid';
import { type GatewayError, MalformedMultipartError, PayloadTooLargeError } from './errors.ts';
import type { RequestContext } from './http-util.ts';
import { args, boolOption } from './kubo-args.ts';
import { cidEncoder, kuboContentPath, NdjsonStream } from './kubo-output.ts';
import { CommandFailedError } from './kubo-rpc.ts';
import {
  BlockOptionError,
  cidOf,
  codecByName,
  digestLength,
  type HashFunction,
  hashByName,
} from './multihash-table.ts';
import { multipartParts } from './multipart.ts';
import { PIN_CID_METADATA, type PinStore } from './pin-roots.ts';
import { resolvePath } from './resolve.ts';
import type { RouterDeps } from './router.ts';
import { deleteLocalBlock, type GatewayNode, IDENTITY_HASH } from './storage.ts';
import { withUploadScope } from './upload-scope.ts';

/** Kubo's soft block limit (bitswap's 2 MiB, `cmdutils.SoftBlockLimit`). */
export const SOFT_BLOCK_LIMIT = 2 * 1024 * 1024;
/** What `allow-big-block` raises the limit to here: a block is held whole in memory while it is hashed. */
export const HARD_BLOCK_LIMIT = 32 * 1024 * 1024;

/** Kubo's words (`cmdutils.CheckBlockSize`). */
export const BIG_BLOCK_MESSAGE =
  "produced block is over 2MiB: big blocks can't be exchanged with other peers. consider using UnixFS for automatic chunking of bigger files, or pass --allow-big-block to override";

export function blockLimit(query: URLSearchParams): number {
  return boolOption(query, 'allow-big-block', false) ? HARD_BLOCK_LIMIT : SOFT_BLOCK_LIMIT;
}

/** A block over the limit: Kubo's message below the hard limit, a 413 past it. */
export function tooBigBlock(limit: number): GatewayError {
  return limit === SOFT_BLOCK_LIMIT
    ? new CommandFailedError(BIG_BLOCK_MESSAGE)
    : new PayloadTooLargeError(limit);
}

interface PutFormat {
  codec: number;
  hash: HashFunction;
  version: 0 | 1;
  /** Digest length (-1: the function's own). */
  length: number;
}

function putFormat(query: URLSearchParams): PutFormat {
  const format = query.get('format') ?? '';
  let codecName = query.get('cid-codec') ?? '';
  const hash = hashByName(query.get('mhtype') || 'sha2-256');
  const length = digestLength(hash, query.get('mhlen'));
  let version: 0 | 1 = 1;
  if (format !== '') {
    if (codecName !== '' && codecName !== 'raw') {
      throw new BlockOptionError(
        'unable to use "format" (deprecated) and a custom "cid-codec" at the same time',
      );
    }
    codecName = format === 'v0' || format === 'protobuf' ? 'dag-pb' : format === 'cbor' ? 'dag-cbor' : format;
    if (format === 'v0') {
      version = 0;
      if (hash.code !== 0x12 || length !== -1)
        throw new BlockOptionError('only sha2-255-32 is allowed with CIDv0');
    }
  }
  return { codec: codecByName(codecName || 'raw'), hash, version, length };
}

export async function handleBlockPut(ctx: RequestContext, deps: RouterDeps): Promise<void> {
  const query = ctx.url.searchParams;
  const format = putFormat(query);
  const pin = boolOption(query, 'pin', false);
  const limit = blockLimit(query);
  const encode = cidEncoder(query);
  const contentType = ctx.req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw new MalformedMultipartError(
      `expected multipart/form-data request body, got "${contentType.slice(0, 80)}"`,
    );
  }
  const declared = Number(ctx.req.headers['content-length']);
  if (Number.isFinite(declared) && declared > deps.maxUploadBytes)
    throw new PayloadTooLargeError(deps.maxUploadBytes);
  const out = new NdjsonStream(ctx.res);
  const lines: unknown[] = [];
  await withUploadScope(ctx, deps, pin, async (scope) => {
    for await (const part of multipartParts(ctx.req, {
      maxBytes: deps.maxUploadBytes,
      signal: ctx.signal,
      deadline: deps.uploads.bodyDeadline,
      onBytes: ctx.upload?.count,
    })) {
      if (part.kind !== 'file') throw new CommandFailedError('expected a file');
      const bytes = await readWhole(part.content, limit);
      const cid = cidOf(bytes, format.codec, format.hash, format.version, format.length);
      if (cid.multihash.code !== IDENTITY_HASH) await scope.put(cid, bytes, ctx.signal);
      if (pin) {
        try {
          await scope.pin(cid, ctx.blocks, ctx.signal);
        } catch (err) {
          throw new CommandFailedError(`pin: ${(err as Error).message}`);
        }
      }
      lines.push({ Key: encode(cid), Size: bytes.byteLength });
    }
    if (lines.length === 0) throw new MalformedMultipartError('argument "data" is required');
  });
  // Every block is stored (and pinned) before the answer: a failure is a status, not a half-written stream.
  for (const line of lines) await out.emit(line);
  out.end();
}

/** A part's bytes, refused once they pass `limit`. */
async function readWhole(content: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of content) {
    length += chunk.byteLength;
    if (length > limit) throw tooBigBlock(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

export async function handleBlockStat(ctx: RequestContext): Promise<void> {
  const [arg] = args(ctx.url.searchParams, 'cid', true);
  const encode = cidEncoder(ctx.url.searchParams);
  const { cid } = await resolvePath(kuboContentPath(arg, 'cid'), ctx.blocks, ctx.signal);
  const bytes = await ctx.blocks.get(cid, ctx.signal);
  const out = new NdjsonStream(ctx.res);
  await out.emit({ Key: encode(cid), Size: bytes.byteLength });
  out.end();
}

export async function handleBlockRm(ctx: RequestContext, deps: RouterDeps): Promise<void> {
  const query = ctx.url.searchParams;
  const list = args(query, 'cid', true);
  const force = boolOption(query, 'force', false);
  const quiet = boolOption(query, 'quiet', false);
  const encode = cidEncoder(query);
  const out = new NdjsonStream(ctx.res);
  try {
    for (const arg of list) {
      const { cid } = await resolvePath(kuboContentPath(arg, 'cid'), ctx.blocks, ctx.signal);
      const error = await removeBlock(deps.node, deps.pinStore, cid, force, ctx);
      if (error !== undefined) await out.emit({ Hash: encode(cid), Error: error });
      else if (!quiet) await out.emit({ Hash: encode(cid) });
    }
  } catch (err) {
    out.fail(err);
    return;
  }
  out.end();
}

/** Removes one block; the reason it was not removed, if it was not. */
async function removeBlock(
  node: GatewayNode,
  pinStore: PinStore | undefined,
  cid: CID,
  force: boolean,
  ctx: RequestContext,
): Promise<string | undefined> {
  if (cid.multihash.code === IDENTITY_HASH) return 'identity blocks live in their CID and are not stored';
  const pinned = await pinState(node, pinStore, cid);
  if (pinned !== undefined) return pinned;
  if (!(await ctx.blocks.has(cid, ctx.signal))) return force ? undefined : `ipld: could not find ${cid}`;
  try {
    await deleteLocalBlock(node.blockstore, cid);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

/** Kubo's `Pinned.String()` for a pinned block (`pinned: recursive`, `pinned via <root>`), else undefined. */
async function pinState(
  node: GatewayNode,
  pinStore: PinStore | undefined,
  cid: CID,
): Promise<string | undefined> {
  if (!(await node.pins.isPinned(cid))) return undefined;
  for await (const pin of node.pins.ls({ cid: cid.toV1() } as never)) {
    if (equalBytes(pin.cid.multihash.bytes, cid.multihash.bytes))
      return pin.depth === 0 ? 'pinned: direct' : 'pinned: recursive';
  }
  const root = await pinnedBy(pinStore, cid);
  return root === undefined ? 'pinned: indirect' : `pinned via ${root}`;
}

/** The first root whose pin holds `cid`, from Helia's pinned-block record (`/pinned-block/<base36 mh>`). */
async function pinnedBy(pinStore: PinStore | undefined, cid: CID): Promise<string | undefined> {
  if (pinStore === undefined) return undefined;
  try {
    const record = cborg.decode(
      await pinStore.datastore.get(new Key(`/pinned-block/${base36.encode(cid.multihash.bytes)}`)),
    ) as { pinnedBy?: Uint8Array[] };
    const first = record.pinnedBy?.[0];
    if (first === undefined) return undefined;
    const root = CID.decode(first);
    // As the pin was made (add keeps CIDv0 spellings in the pin's metadata), else as Helia keys it.
    try {
      const spelled = (await pinStore.pins.get(root as never)).metadata?.[PIN_CID_METADATA];
      if (typeof spelled === 'string') return spelled;
    } catch {
      // no metadata: the CID as recorded
    }
    return root.toString();
  } catch {
    return undefined;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);
}
