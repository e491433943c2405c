/**
 * The Kubo RPC commands added for issue 13, as the router registers them: reads open, writes behind W3Auth
 * (`write`), and writes that store a request body counted by the upload limits (`upload`: `block/put` and
 * `dag/import`, as `add`).
 */
import type { RequestContext } from './http-util.ts';
import { handleBlockPut, handleBlockRm, handleBlockStat } from './kubo-block.ts';
import { handleDagExport, handleDagImport } from './kubo-dag.ts';
import { handleFilesMfsOnly, handleFilesStat } from './kubo-files.ts';
import { handleLs } from './kubo-ls.ts';
import { handleNamePublish, handleNameResolve, handleStatsBw, handleSwarmPeers } from './kubo-node-info.ts';
import { handleRefs, handleRefsLocal } from './kubo-refs.ts';
import type { RouterDeps } from './router.ts';

export interface KuboCommand {
  handler: (ctx: RequestContext, deps: RouterDeps) => Promise<void> | void;
  /** Needs W3Auth. */
  write: boolean;
  /** Reads a body into the store: counted by the upload limits. */
  upload?: boolean;
}

/** `files/*` commands that only work on MFS in Kubo (writes among them still need W3Auth first). */
const MFS_READS = ['ls', 'read', 'flush'];
const MFS_WRITES = ['cp', 'mkdir', 'mv', 'rm', 'write', 'chcid', 'chmod', 'touch'];

export const KUBO_COMMANDS: Record<string, KuboCommand> = {
  ls: { handler: (ctx) => handleLs(ctx), write: false },
  refs: { handler: (ctx) => handleRefs(ctx), write: false },
  'refs/local': { handler: (ctx, d) => handleRefsLocal(ctx, d.node), write: false },
  'dag/export': { handler: (ctx) => handleDagExport(ctx), write: false },
  'dag/import': { handler: (ctx, d) => handleDagImport(ctx, d), write: true, upload: true },
  'block/put': { handler: (ctx, d) => handleBlockPut(ctx, d), write: true, upload: true },
  'block/stat': { handler: (ctx) => handleBlockStat(ctx), write: false },
  'block/rm': { handler: (ctx, d) => handleBlockRm(ctx, d), write: true },
  'files/stat': { handler: (ctx) => handleFilesStat(ctx), write: false },
  ...Object.fromEntries(MFS_READS.map((c) => [`files/${c}`, { handler: handleFilesMfsOnly, write: false }])),
  ...Object.fromEntries(MFS_WRITES.map((c) => [`files/${c}`, { handler: handleFilesMfsOnly, write: true }])),
  'swarm/peers': { handler: (ctx, d) => handleSwarmPeers(ctx, d.node), write: false },
  'stats/bw': { handler: (ctx, d) => handleStatsBw(ctx, d), write: false },
  'name/resolve': { handler: (ctx) => handleNameResolve(ctx), write: false },
  'name/publish': { handler: () => handleNamePublish(), write: true },
};
