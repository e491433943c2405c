/** Resolves a content path to its terminus CID through the local blockstore (UnixFS, incl. HAMT shards). */
import { walkPath } from 'ipfs-unixfs-exporter';
import type { CID } from 'multiformats/cid';
import type { ContentPath } from './content-path.ts';
import { BadArgumentError, GatewayError, PathNotFoundError } from './errors.ts';
import { isNotFound, type LocalBlocks, toGatewayError } from './storage.ts';

export interface Resolved {
  /** The CID at the end of the path. */
  cid: CID;
  /** One CID per logical path segment, root first, terminus last (`X-Ipfs-Roots`). */
  roots: CID[];
  /** Every block read to get from the root to the terminus, in order, excluding the terminus. */
  pathBlocks: CID[];
}

export async function resolvePath(
  path: ContentPath,
  blocks: LocalBlocks,
  signal: AbortSignal,
): Promise<Resolved> {
  if (path.segments.length === 0) return { cid: path.cid, roots: [path.cid], pathBlocks: [] };
  const text = [path.cid.toString(), ...path.segments].join('/');
  const visited: CID[] = [];
  let last: { cid: CID; roots: CID[] } | undefined;
  try {
    for await (const entry of walkPath(text, blocks.exporterStore, {
      signal,
      offline: true,
      yieldSubShards: true,
    })) {
      visited.push(entry.cid);
      last = entry;
    }
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    const name = (err as Error)?.name;
    if (name === 'NotFoundError' && /^No link /.test((err as Error).message)) {
      // The exporter's "No link "x" found under <cid>": a missing name, not a missing block.
      throw new PathNotFoundError(`${(err as Error).message} (resolving /ipfs/${text})`);
    }
    if (name === 'NoResolverError' || name === 'NotUnixFSError' || name === 'BadPathError') {
      throw new BadArgumentError(`cannot traverse path: ${(err as Error).message}`);
    }
    if (isNotFound(err)) throw toGatewayError(err, visited[visited.length - 1] ?? path.cid);
    throw toGatewayError(err);
  }
  if (last === undefined) throw new PathNotFoundError(`cannot resolve ${text}`);
  return { cid: last.cid, roots: last.roots, pathBlocks: visited.slice(0, -1) };
}
