/**
 * `/api/v0/repo/gc` and `/api/v0/repo/stat`, shaped as Kubo answers them (kubo-rpc-client's `repo.gc()` reads
 * `{"Key":{"/":cid}}` / `{"Error":msg}` lines, `repo.stat()` reads `NumObjects`, `RepoSize`, `StorageMax`,
 * `RepoPath`, `Version`). Without them a gateway user could unpin but never get the space back.
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BadArgumentError } from './errors.ts';
import { type RequestContext, sendJson } from './http-util.ts';
import { boolOption } from './kubo-args.ts';
import { CommandFailedError } from './kubo-rpc.ts';
import { type GatewayNode, packStoreUnder } from './storage.ts';

/** What `repo/stat` reports as the repository format (Kubo says `fs-repo@<n>`). */
export const REPO_VERSION = 'xstorage-pack@1';

/**
 * Runs Helia's GC and streams each deleted block as it goes. The GC waits for pulls and pinned uploads in
 * progress (they hold its lock until their pin is written), so it never takes their blocks. With the pack
 * store the space comes back as segments are compacted (sealed segments less than half alive).
 */
export async function handleRepoGc(ctx: RequestContext, node: GatewayNode): Promise<void> {
  const gc = node.gc;
  if (gc === undefined) throw new CommandFailedError('this gateway cannot collect garbage (no Helia node)');
  const query = ctx.url.searchParams;
  const silent = boolOption(query, 'silent', false);
  const streamErrors = boolOption(query, 'stream-errors', false);
  const { res } = ctx;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'X-Chunked-Output': '1',
    'Cache-Control': 'no-cache',
    Trailer: 'X-Stream-Error',
  });
  let firstError: string | undefined;
  try {
    await gc.call(node, {
      onProgress: (event) => {
        if (event.type === 'helia:gc:deleted') {
          if (!silent) res.write(`${JSON.stringify({ Key: { '/': String(event.detail) } })}\n`);
        } else if (event.type === 'helia:gc:error') {
          const message = event.detail instanceof Error ? event.detail.message : String(event.detail);
          firstError ??= message;
          if (streamErrors) res.write(`${JSON.stringify({ Error: message })}\n`);
        }
      },
    });
  } catch (err) {
    firstError ??= err instanceof Error ? err.message : String(err);
  }
  if (firstError !== undefined && !streamErrors) {
    res.write(`${JSON.stringify({ Message: firstError, Code: 0, Type: 'error' })}\n`);
    res.addTrailers({ 'X-Stream-Error': firstError });
  }
  res.end();
}

export async function handleRepoStat(ctx: RequestContext, node: GatewayNode): Promise<void> {
  const sizeOnly = boolOption(ctx.url.searchParams, 'size-only', false);
  if (ctx.url.searchParams.has('human') && boolOption(ctx.url.searchParams, 'human', false)) {
    throw new BadArgumentError('human=true is not supported; sizes are in bytes');
  }
  const pack = packStoreUnder(node.blockstore);
  if (pack === undefined) throw new CommandFailedError('repo/stat needs the storage node’s pack store');
  const stats = pack.stats();
  // No configured quota: the store can grow into the file system's free space.
  const fs = await statfs(pack.path);
  const storageMax = stats.totalBytes + fs.bavail * fs.bsize;
  if (sizeOnly) {
    sendJson(ctx.res, 200, { RepoSize: stats.totalBytes, StorageMax: storageMax });
    return;
  }
  sendJson(ctx.res, 200, {
    RepoSize: stats.totalBytes,
    StorageMax: storageMax,
    NumObjects: stats.blocks,
    RepoPath: dirname(pack.path),
    Version: REPO_VERSION,
  });
}
