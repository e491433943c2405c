/**
 * `POST /api/v0/ls` as Kubo's `core/commands/ls.go` (and coreapi `UnixfsAPI.Ls`) answers it: for each path, a
 * UnixFS directory (plain or HAMT-sharded) lists its entries, anything else lists its node's links (a chunked
 * file's leaves, unnamed; nothing for a single-block file). Each link is
 * `{Name, Hash, Size, Type, Target, Mode, ModTime}`: with `resolve-type`/`size` (default true) a dag-pb child is
 * read to learn its UnixFS type (1 dir, 2 file, 4 symlink) and file size; a raw child is a file of its link
 * size. Without `stream`, one `{"Objects":[{"Hash":<path as given>,"Links":[…sorted by name]}, …]}`; with it,
 * one `{"Objects":[{"Hash","Links":[link]}]}` line per link as it is found.
 *
 * Reads are local: a child block that is not here fails the command (Kubo would fetch it).
 */
import { exporter } from 'ipfs-unixfs-exporter';
import type { CID } from 'multiformats/cid';
import type { RequestContext } from './http-util.ts';
import { DAG_PB_CODE, ipldLinks, RAW_CODE, UndecodableBlockError } from './ipld-links.ts';
import { args, boolOption } from './kubo-args.ts';
import { cidEncoder, kuboContentPath, NdjsonStream } from './kubo-output.ts';
import { CommandFailedError } from './kubo-rpc.ts';
import { resolvePath } from './resolve.ts';
import { toGatewayError } from './storage.ts';
import {
  fileSize,
  goFileMode,
  goTime,
  isDirectory,
  mtimeOf,
  readFsNode,
  UNIXFS_TYPE,
} from './unixfs-node.ts';

export interface LsLink {
  Name: string;
  Hash: string;
  Size: number;
  Type: number;
  Target: string;
  Mode: number;
  ModTime: string;
}

interface RawLink {
  name: string;
  cid: CID;
  size: number;
}

export async function handleLs(ctx: RequestContext): Promise<void> {
  const query = ctx.url.searchParams;
  const paths = args(query, 'ipfs-path', true);
  const resolveType = boolOption(query, 'resolve-type', true);
  const resolveSize = boolOption(query, 'size', true);
  const stream = boolOption(query, 'stream', false);
  const encode = cidEncoder(query);
  const out = new NdjsonStream(ctx.res);
  const objects: Array<{ Hash: string; Links: LsLink[] }> = [];
  try {
    for (const path of paths) {
      const links: LsLink[] = [];
      for await (const raw of linksOf(ctx, path)) {
        const link = await describe(ctx, raw, resolveType || resolveSize, encode);
        if (stream) await out.emit({ Objects: [{ Hash: path, Links: [link] }] });
        else links.push(link);
      }
      // Go's strings.Compare: bytewise on UTF-8.
      links.sort((a, b) => Buffer.compare(Buffer.from(a.Name), Buffer.from(b.Name)));
      objects.push({ Hash: path, Links: links });
    }
  } catch (err) {
    out.fail(asCommandError(err));
    return;
  }
  if (!stream) await out.emit({ Objects: objects });
  out.end();
}

/** Failures of stored data (an undecodable block) are command failures in Kubo's terms. */
export function asCommandError(err: unknown): unknown {
  return err instanceof UndecodableBlockError ? new CommandFailedError(err.message) : err;
}

async function* linksOf(ctx: RequestContext, path: string): AsyncGenerator<RawLink> {
  const { cid } = await resolvePath(kuboContentPath(path), ctx.blocks, ctx.signal);
  const bytes = await ctx.blocks.get(cid, ctx.signal);
  if (cid.code === DAG_PB_CODE && isDirectory(readFsNode(cid, bytes).type)) {
    let dir: Awaited<ReturnType<typeof exporter>>;
    try {
      dir = await exporter(cid, ctx.blocks.exporterStore, { signal: ctx.signal, offline: true });
    } catch (err) {
      throw toGatewayError(err, cid);
    }
    if (dir.type !== 'directory') throw new CommandFailedError(`${cid} is not a directory`);
    try {
      for await (const e of dir.entries({ signal: ctx.signal, offline: true })) {
        yield { name: e.name, cid: e.cid, size: Number(e.size) };
      }
    } catch (err) {
      throw toGatewayError(err);
    }
    return;
  }
  for (const l of ipldLinks(cid, bytes)) yield { name: l.name, cid: l.cid, size: l.size ?? 0 };
}

/** coreapi `processLink`. */
async function describe(
  ctx: RequestContext,
  link: RawLink,
  resolve: boolean,
  encode: (cid: CID) => string,
): Promise<LsLink> {
  const out: LsLink = {
    Name: link.name,
    Hash: encode(link.cid),
    Size: 0,
    Type: 0,
    Target: '',
    Mode: 0,
    ModTime: goTime(undefined),
  };
  if (link.cid.code === RAW_CODE) {
    out.Type = UNIXFS_TYPE.file;
    out.Size = link.size;
  } else if (link.cid.code === DAG_PB_CODE && resolve) {
    const fs = readFsNode(link.cid, await ctx.blocks.get(link.cid, ctx.signal));
    out.Type = isDirectory(fs.type)
      ? UNIXFS_TYPE.directory
      : fs.type === 'symlink'
        ? UNIXFS_TYPE.symlink
        : UNIXFS_TYPE.file;
    if (fs.type === 'symlink') out.Target = new TextDecoder().decode(fs.unixfs.data ?? new Uint8Array());
    out.Size = fileSize(fs);
    out.Mode = goFileMode(fs);
    out.ModTime = goTime(mtimeOf(fs));
  }
  return out;
}
