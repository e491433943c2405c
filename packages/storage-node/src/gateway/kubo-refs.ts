/**
 * `POST /api/v0/refs` as Kubo's `core/commands/refs.go` (`RefWriter`) answers it: the links of each path's node
 * (`recursive`: of the whole DAG, depth first in link order), one `{"Ref","Err"}` line each, printed with
 * `format` (tokens `<src>`, `<dst>`, `<linkname>`; default `<dst>`) or `edges` (`<src> -> <dst>`, which cannot be
 * combined with a custom format). `unique` prints each ref once and prunes branches already walked, re-walking
 * one only when it is met again higher up under `max-depth` (Kubo's `visit`). All paths resolve before the
 * first line; a block missing under one root ends that root with an `Err` line and the next root goes on.
 * `refs/local` lists every block stored here.
 */
import { CID } from 'multiformats/cid';
import { BadArgumentError, GatewayError } from './errors.ts';
import type { RequestContext } from './http-util.ts';
import { ipldLinks } from './ipld-links.ts';
import { args, boolOption } from './kubo-args.ts';
import { cidEncoder, kuboContentPath, NdjsonStream } from './kubo-output.ts';
import { CommandFailedError } from './kubo-rpc.ts';
import { resolvePath } from './resolve.ts';
import type { GatewayNode } from './storage.ts';

interface RefOptions {
  unique: boolean;
  maxDepth: number;
  format: string;
  encode: (cid: CID) => string;
}

function refOptions(query: URLSearchParams): RefOptions {
  const recursive = boolOption(query, 'recursive', false);
  const edges = boolOption(query, 'edges', false);
  let format = query.get('format') ?? '<dst>';
  if (format === '') format = '<dst>';
  const depthText = query.get('max-depth');
  let maxDepth = -1;
  if (depthText !== null && depthText !== '') {
    if (!/^-?\d{1,9}$/.test(depthText)) {
      throw new BadArgumentError(`max-depth: invalid integer "${depthText.slice(0, 20)}"`);
    }
    maxDepth = Number(depthText);
  }
  if (!recursive) maxDepth = 1;
  if (edges) {
    if (format !== '<dst>') throw new CommandFailedError('using format argument with edges is not allowed');
    format = '<src> -> <dst>';
  }
  return { unique: boolOption(query, 'unique', false), maxDepth, format, encode: cidEncoder(query) };
}

export async function handleRefs(ctx: RequestContext): Promise<void> {
  const query = ctx.url.searchParams;
  const paths = args(query, 'ipfs-path', true);
  const opts = refOptions(query);
  // objectsForPaths: every path resolves before anything is written.
  const roots: CID[] = [];
  for (const p of paths) roots.push((await resolvePath(kuboContentPath(p), ctx.blocks, ctx.signal)).cid);
  const out = new NdjsonStream(ctx.res);
  out.open();
  const writer = new RefWriter(ctx, opts, out);
  for (const root of roots) {
    try {
      await writer.writeRefs(root);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      await out.emit({ Ref: '', Err: err instanceof Error ? err.message : String(err) });
    }
  }
  out.end();
}

class RefWriter {
  /** CID → the depth it was seen at (only with `unique`). */
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly ctx: RequestContext,
    private readonly opts: RefOptions,
    private readonly out: NdjsonStream,
  ) {}

  async writeRefs(root: CID): Promise<void> {
    const bytes = await this.ctx.blocks.get(root, this.ctx.signal);
    // Depth first with an explicit stack (a hostile DAG may be deep): each frame walks one node's links.
    const stack: Array<{ cid: CID; links: ReturnType<typeof ipldLinks>; next: number; depth: number }> = [
      { cid: root, links: ipldLinks(root, bytes), next: 0, depth: 0 },
    ];
    while (stack.length > 0) {
      this.ctx.signal.throwIfAborted();
      const frame = stack[stack.length - 1]!;
      if (frame.next >= frame.links.length) {
        stack.pop();
        continue;
      }
      const link = frame.links[frame.next++]!;
      const [goDeeper, shouldWrite] = this.visit(link.cid, frame.depth + 1);
      if (!goDeeper && !shouldWrite) continue;
      // A printed ref is always one that is here (Kubo gets the node before writing it).
      let child: Uint8Array | undefined;
      if (goDeeper) child = await this.ctx.blocks.get(link.cid, this.ctx.signal);
      else if (!(await this.ctx.blocks.has(link.cid, this.ctx.signal))) {
        await this.ctx.blocks.get(link.cid, this.ctx.signal); // throws the not-found error
      }
      if (shouldWrite) await this.writeEdge(frame.cid, link.cid, link.name);
      if (goDeeper)
        stack.push({ cid: link.cid, links: ipldLinks(link.cid, child!), next: 0, depth: frame.depth + 1 });
    }
  }

  /** Kubo's `RefWriter.visit`: [keep walking below, print]. */
  private visit(cid: CID, depth: number): [boolean, boolean] {
    const { maxDepth, unique } = this.opts;
    const atMax = maxDepth >= 0 && depth === maxDepth;
    if (maxDepth >= 0 && depth > maxDepth) return [false, false];
    if (!unique) return [!atMax, true];
    const key = cid.toString();
    const old = this.seen.get(key);
    if (old !== undefined && (maxDepth < 0 || old <= depth)) return [false, false];
    this.seen.set(key, depth);
    return [!atMax, old === undefined];
  }

  private async writeEdge(from: CID, to: CID, name: string): Promise<void> {
    const { encode, format } = this.opts;
    const ref = format
      .replaceAll('<src>', encode(from))
      .replaceAll('<dst>', encode(to))
      .replaceAll('<linkname>', name);
    await this.out.emit({ Ref: ref, Err: '' });
  }
}

/** `refs/local`: every block in the store, as CIDv1 raw (Kubo's words: "treats all local objects as raw blocks"). */
export async function handleRefsLocal(ctx: RequestContext, node: GatewayNode): Promise<void> {
  const store = node.blockstore as { getAll?: (o?: { signal?: AbortSignal }) => AsyncIterable<{ cid: CID }> };
  if (typeof store.getAll !== 'function') throw new CommandFailedError('this gateway cannot list its blocks');
  const encode = cidEncoder(ctx.url.searchParams);
  const out = new NdjsonStream(ctx.res);
  out.open();
  try {
    for await (const { cid } of store.getAll({ signal: ctx.signal })) {
      await out.emit({ Ref: encode(CID.createV1(0x55, CID.decode(cid.bytes).multihash)), Err: '' });
    }
  } catch (err) {
    out.fail(err instanceof GatewayError ? err : new CommandFailedError((err as Error).message));
    return;
  }
  out.end();
}
