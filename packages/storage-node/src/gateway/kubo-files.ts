/**
 * `POST /api/v0/files/stat` of content paths (`/ipfs/<cid>[/…]`, `ipfs://…`), as Kubo's `core/commands/files.go`
 * (`statNode`) answers it: `{Hash, Size, CumulativeSize, Blocks, Type}` (+ `Mode`, `Mtime`, `MtimeNsecs` when
 * stored; + `WithLocality`, `Local`, `SizeLocal` with `with-local`). CumulativeSize is the block's size plus its
 * links' Tsize (a raw block: its size). This gateway keeps no MFS, so any other path (and every other `files/*`
 * command, which only work on MFS) is an honest command error rather than a 404.
 */
import * as dagPb from '@ipld/dag-pb';
import type { CID } from 'multiformats/cid';
import { BadArgumentError, BlockNotFoundError } from './errors.ts';
import type { RequestContext } from './http-util.ts';
import { ipldLinks, RAW_CODE } from './ipld-links.ts';
import { args, boolOption } from './kubo-args.ts';
import { asCommandError } from './kubo-ls.ts';
import { cidEncoder, kuboContentPath, NdjsonStream } from './kubo-output.ts';
import { CommandFailedError } from './kubo-rpc.ts';
import { resolvePath } from './resolve.ts';
import { fileSize, goFileMode, isDirectory, mtimeOf, readFsNode } from './unixfs-node.ts';

const DEFAULT_STAT_FORMAT =
  '<hash>\nSize: <size>\nCumulativeSize: <cumulsize>\nChildBlocks: <childs>\nType: <type>\nMode: <mode> (<mode-octal>)\nMtime: <mtime>';

/** Kubo's `errFormat`. */
const FORMAT_CONFLICT = 'format was set by multiple options. Only one format option is allowed';

function isContentPath(arg: string): boolean {
  return /^(\/ipfs\/|ipfs:\/\/|ipfs:|\/ipns\/|ipns:\/\/|ipns:)/.test(arg);
}

export async function handleFilesStat(ctx: RequestContext): Promise<void> {
  const query = ctx.url.searchParams;
  const [arg] = args(query, 'path', true);
  const hashOnly = boolOption(query, 'hash', false);
  const sizeOnly = boolOption(query, 'size', false);
  const format = query.get('format');
  const custom = format !== null && format !== '' && format !== DEFAULT_STAT_FORMAT;
  if ([hashOnly, sizeOnly, custom].filter(Boolean).length > 1) {
    throw new BadArgumentError(`invalid parameters: ${FORMAT_CONFLICT}`);
  }
  const withLocal = boolOption(query, 'with-local', false);
  const encode = cidEncoder(query);
  if (!isContentPath(arg!)) throw noMfs('files/stat', arg!);
  let out: Record<string, unknown>;
  try {
    const { cid } = await resolvePath(kuboContentPath(arg), ctx.blocks, ctx.signal);
    const bytes = await ctx.blocks.get(cid, ctx.signal);
    out = statNode(cid, bytes, encode);
    if (withLocal) {
      const { local, sizeLocal } = await walkLocal(ctx, cid, bytes);
      out = {
        ...out,
        WithLocality: true,
        ...(local ? { Local: true } : {}),
        ...(sizeLocal > 0 ? { SizeLocal: sizeLocal } : {}),
      };
    }
  } catch (err) {
    throw asCommandError(err);
  }
  const stream = new NdjsonStream(ctx.res);
  await stream.emit(out);
  stream.end();
}

/** Kubo's `statNode`. */
function statNode(cid: CID, bytes: Uint8Array, encode: (cid: CID) => string): Record<string, unknown> {
  if (cid.code === RAW_CODE) {
    return {
      Hash: encode(cid),
      Size: bytes.byteLength,
      CumulativeSize: bytes.byteLength,
      Blocks: 0,
      Type: 'file',
    };
  }
  if (cid.code !== dagPb.code) throw new CommandFailedError('not unixfs node (proto or raw)');
  const fs = readFsNode(cid, bytes);
  const cumulative = bytes.byteLength + fs.node.Links.reduce((n, l) => n + (l.Tsize ?? 0), 0);
  const out: Record<string, unknown> = {
    Hash: encode(cid),
    Size: fileSize(fs),
    CumulativeSize: cumulative,
    Blocks: fs.node.Links.length,
    Type: isDirectory(fs.type) ? 'directory' : 'file',
  };
  const mode = goFileMode(fs);
  // Kubo gives a symlink without a stored mode `os.ModeSymlink | 0777`.
  if (mode !== 0) out.Mode = mode;
  else if (fs.type === 'symlink') out.Mode = 2 ** 27 + 0o777;
  const mtime = mtimeOf(fs);
  if (mtime !== undefined && mtime.secs > 0) {
    out.Mtime = mtime.secs;
    if (mtime.nsecs > 0) out.MtimeNsecs = mtime.nsecs;
  }
  return out;
}

/** Kubo's `walkBlock`: whether the whole DAG is here, and the bytes of what is. */
async function walkLocal(ctx: RequestContext, root: CID, bytes: Uint8Array) {
  let local = true;
  let sizeLocal = 0;
  const stack: Array<{ cid: CID; bytes: Uint8Array }> = [{ cid: root, bytes }];
  while (stack.length > 0) {
    ctx.signal.throwIfAborted();
    const { cid, bytes: b } = stack.pop()!;
    sizeLocal += b.byteLength;
    for (const link of ipldLinks(cid, b)) {
      try {
        stack.push({ cid: link.cid, bytes: await ctx.blocks.get(link.cid, ctx.signal) });
      } catch (err) {
        if (!(err instanceof BlockNotFoundError)) throw err;
        local = false;
      }
    }
  }
  return { local, sizeLocal };
}

/** A `files/*` command on an MFS path: this gateway has none. */
export function noMfs(command: string, arg: string): CommandFailedError {
  return new CommandFailedError(
    `${command}: "${arg.slice(0, 80)}" is an MFS path, and this gateway keeps no MFS; use /ipfs/<cid>[/path]`,
  );
}

/** Every other `files/*` command: MFS only in Kubo, so a command error here. */
export function handleFilesMfsOnly(ctx: RequestContext): void {
  const command = ctx.url.pathname.replace(/^\/api\/v0\//, '').replace(/\/$/, '');
  throw new CommandFailedError(
    `${command}: this gateway keeps no MFS (files/stat of /ipfs/ paths is supported)`,
  );
}
