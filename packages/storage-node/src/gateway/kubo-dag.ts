/**
 * `dag/export` and `dag/import` as Kubo's `core/commands/dag` answers them.
 *
 * - export: the DAG under the root as a CAR v1 stream (`Content-Type: application/vnd.ipld.car`,
 *   `X-Stream-Output: 1`), header roots `[root]`, blocks depth first in link order, each once (go-car's
 *   `TraverseV1` with ExploreAllRecursively and no duplicate puts). The root must be here (else a 500 before
 *   any byte); a block missing further down cuts the stream, so a truncated CAR never looks complete.
 *   `local-only` skips missing blocks instead (a partial CAR).
 * - import: every file part is a CAR v1; every block is checked against its CID and stored, then each root
 *   named by any header is pinned recursively (`pin-roots`, default true) and reported as
 *   `{"Root":{"Cid":{"/":cid},"PinErrorMsg":""}}` (a root that cannot be pinned is reported with its reason,
 *   as Kubo does); `stats` adds `{"Stats":{"BlockCount","BlockBytesCount"}}` (`silent` only quiets Kubo's CLI text).
 *   Blocks over 2 MiB need `allow-big-block`. A malformed, truncated or lying CAR fails with Kubo's
 *   `import failed at/after block "<cid>": …` and the blocks it stored are taken back.
 */
import type { CID } from 'multiformats/cid';
import { CarFormatError, CarReader } from '../ipfs/car-reader.ts';
import { writeCarBody } from './car.ts';
import { type WalkedBlock, walkDag } from './dag-walk.ts';
import { BlockNotFoundError, GatewayError, MalformedMultipartError, PayloadTooLargeError } from './errors.ts';
import type { RequestContext } from './http-util.ts';
import { ipldLinks } from './ipld-links.ts';
import { args, boolOption } from './kubo-args.ts';
import { blockLimit, tooBigBlock } from './kubo-block.ts';
import { asCommandError } from './kubo-ls.ts';
import { kuboContentPath, NdjsonStream } from './kubo-output.ts';
import { CommandFailedError } from './kubo-rpc.ts';
import { checkBlock } from './multihash-table.ts';
import { multipartParts } from './multipart.ts';
import { resolvePath } from './resolve.ts';
import type { RouterDeps } from './router.ts';
import { IDENTITY_HASH } from './storage.ts';
import { withUploadScope } from './upload-scope.ts';

export async function handleDagExport(ctx: RequestContext): Promise<void> {
  const query = ctx.url.searchParams;
  const [arg] = args(query, 'root', true);
  const localOnly = boolOption(query, 'local-only', false);
  const { cid: root } = await resolvePath(kuboContentPath(arg, 'root'), ctx.blocks, ctx.signal);
  // Kubo stats the root first: a root that is not here is an error with a status, not an empty CAR.
  await ctx.blocks.get(root, ctx.signal);
  const blocks = localOnly
    ? partialWalk(ctx, root)
    : walkDag(root, ctx.blocks, { scope: 'all', dups: false, signal: ctx.signal, lend: true });
  const iterator = blocks[Symbol.asyncIterator]();
  let first: IteratorResult<WalkedBlock>;
  try {
    first = await iterator.next();
  } catch (err) {
    throw asCommandError(err);
  }
  ctx.res.writeHead(200, {
    'Content-Type': 'application/vnd.ipld.car',
    'X-Stream-Output': '1',
    'Cache-Control': 'no-cache',
  });
  async function* all(): AsyncGenerator<WalkedBlock> {
    if (!first.done) yield first.value;
    while (true) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  await writeCarBody(ctx.res, [root], all());
}

/** `local-only`: the blocks of the DAG that are here, depth first, each once; missing ones skipped. */
async function* partialWalk(ctx: RequestContext, root: CID): AsyncGenerator<WalkedBlock> {
  const seen = new Set<string>();
  const stack: CID[] = [root];
  while (stack.length > 0) {
    ctx.signal.throwIfAborted();
    const cid = stack.pop()!;
    const key = cid.toString();
    if (seen.has(key) || cid.multihash.code === IDENTITY_HASH) continue;
    seen.add(key);
    let bytes: Uint8Array;
    try {
      bytes = await ctx.blocks.get(cid, ctx.signal);
    } catch (err) {
      if (err instanceof BlockNotFoundError) continue;
      throw err;
    }
    const links = ipldLinks(cid, bytes);
    yield { cid, bytes };
    for (let i = links.length - 1; i >= 0; i--) stack.push(links[i]!.cid);
  }
}

/** The failure of one CAR, named after the block it happened at or after (Kubo's `importError`). */
function importError(previous: CID | undefined, current: CID | undefined, err: unknown): GatewayError {
  if (err instanceof PayloadTooLargeError || err instanceof MalformedMultipartError) return err;
  if (err instanceof GatewayError && !(err instanceof CommandFailedError) && err.status !== 500) return err;
  const why = (err as Error)?.message ?? String(err);
  if (current !== undefined) return new CommandFailedError(`import failed at block "${current}": ${why}`);
  if (previous !== undefined)
    return new CommandFailedError(`import failed after block "${previous}": ${why}`);
  return new CommandFailedError(`import failed: ${why}`);
}

export async function handleDagImport(ctx: RequestContext, deps: RouterDeps): Promise<void> {
  const query = ctx.url.searchParams;
  const localOnly = boolOption(query, 'local-only', false);
  const pinSet = query.get('pin-roots');
  if (localOnly && pinSet !== null && pinSet !== '' && boolOption(query, 'pin-roots', false)) {
    throw new CommandFailedError(
      '--local-only implies --pin-roots=false and cannot be combined with --pin-roots=true; please drop one of them',
    );
  }
  const pinRoots = !localOnly && boolOption(query, 'pin-roots', true);
  // `silent` only quiets Kubo's text encoder: the JSON answer is the same (checked as a boolean all the same).
  boolOption(query, 'silent', false);
  const stats = boolOption(query, 'stats', false);
  const limit = blockLimit(query);
  const contentType = ctx.req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw new MalformedMultipartError(
      `expected multipart/form-data request body, got "${contentType.slice(0, 80)}"`,
    );
  }
  const declared = Number(ctx.req.headers['content-length']);
  if (Number.isFinite(declared) && declared > deps.maxUploadBytes)
    throw new PayloadTooLargeError(deps.maxUploadBytes);

  let blockCount = 0;
  let blockBytes = 0;
  const lines = await withUploadScope(ctx, deps, pinRoots, async (scope) => {
    const roots = new Map<string, CID>();
    let files = 0;
    for await (const part of multipartParts(ctx.req, {
      maxBytes: deps.maxUploadBytes,
      signal: ctx.signal,
      deadline: deps.uploads.bodyDeadline,
      onBytes: ctx.upload?.count,
    })) {
      if (part.kind !== 'file') throw new CommandFailedError('expected a file handle');
      files++;
      let previous: CID | undefined;
      let current: CID | undefined;
      const arrived: Array<{ cid: CID; bytes: Uint8Array }> = [];
      const reader = new CarReader({
        maxBlockBytes: limit,
        onHeader: (rs) => {
          for (const r of rs) roots.set(r.toString(), r);
        },
        onBlock: (cid, bytes) => arrived.push({ cid, bytes }),
      });
      try {
        for await (const chunk of part.content) {
          reader.write(chunk);
          // The reader is fed one socket chunk at a time: what it completed is stored before the next chunk.
          for (const block of arrived.splice(0)) {
            current = block.cid;
            checkBlock(block.cid, block.bytes);
            if (block.cid.multihash.code !== IDENTITY_HASH)
              await scope.put(block.cid, block.bytes, ctx.signal);
            blockCount++;
            blockBytes += block.bytes.byteLength;
            previous = block.cid;
            current = undefined;
          }
        }
        reader.end();
      } catch (err) {
        if (err instanceof CarFormatError && /larger than/.test(err.message)) throw tooBigBlock(limit);
        if (err instanceof CarFormatError && /CAR version/.test(err.message)) {
          throw importError(previous, current, new Error(`${err.message}: only CAR v1 is supported here`));
        }
        throw importError(previous, current, err);
      }
    }
    if (files === 0) throw new MalformedMultipartError('argument "path" is required');
    const out: unknown[] = [];
    if (pinRoots) {
      for (const root of roots.values()) {
        let message = '';
        try {
          if (!(await ctx.blocks.has(root, ctx.signal))) message = `ipld: could not find ${root}`;
          else await scope.pin(root, ctx.blocks, ctx.signal);
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          message = (err as Error).message;
        }
        out.push({ Root: { Cid: { '/': root.toString() }, PinErrorMsg: message } });
      }
    }
    return out;
  });
  const stream = new NdjsonStream(ctx.res);
  for (const line of lines) await stream.emit(line);
  if (stats) await stream.emit({ Stats: { BlockCount: blockCount, BlockBytesCount: blockBytes } });
  stream.end();
}
