/**
 * `Cache-Control: only-if-cached` on `/ipfs/…` (path-gateway spec, "only-if-cached"; trustless-gateway spec: "SHOULD
 * return 412 if the root block is not immediately available"): a probe answered from the local store alone, with
 * 412 and no payload when the root block is not here, so a light client can rank gateways without a transfer.
 */
import { parseContentPath } from './content-path.ts';
import type { RequestContext } from './http-util.ts';

/** True when the request asked `only-if-cached` and was answered 412 (the root is not here). */
export async function answeredNotCached(ctx: RequestContext): Promise<boolean> {
  const header = ctx.req.headers['cache-control'];
  if (header === undefined || !/(^|,)\s*only-if-cached\s*(,|$)/i.test(header)) return false;
  let cid: ReturnType<typeof parseContentPath>['cid'];
  try {
    cid = parseContentPath(ctx.url.pathname.slice('/ipfs/'.length)).cid;
  } catch {
    return false; // a bad path gets its own 400 from the path gateway
  }
  if (await ctx.blocks.has(cid, ctx.signal)) return false;
  ctx.res.writeHead(412, { 'Content-Length': '0' });
  ctx.res.end();
  return true;
}
