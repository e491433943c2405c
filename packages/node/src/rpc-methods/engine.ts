/**
 * `engine_createBlock` / `engine_finalizeBlock`: manual sealing as sc-consensus-manual-seal's RPC, so tests and
 * scripts decide when blocks are made (`--sealing manual`).
 */
import { type MethodRegistry, p, params, RpcError } from '../rpc/index.ts';
import type { RpcContext } from './context.ts';
import { toHex } from './json.ts';

export function registerEngine(reg: MethodRegistry, ctx: RpcContext): void {
  const { chain, sealing } = ctx;
  reg
    .method({
      name: 'engine_createBlock',
      params: params(
        ['createEmpty', p.optional(p.bool())],
        ['finalize', p.optional(p.bool())],
        ['parentHash', p.optional(p.hash())],
      ),
      // `finalize` as sc-consensus-manual-seal (seal_block.rs: `params.finalized = finalize`): true imports the block
      // as final before answering, false leaves it to engine_finalizeBlock; absent, the node's finality decides.
      handler: async ([createEmpty, finalize, parent]) => {
        if (parent && toHex(parent) !== toHex(chain.bestHash))
          throw new RpcError(-32000, 'only the best block can be built on', toHex(parent));
        if (createEmpty === false && ctx.pool.status().ready === 0)
          throw new RpcError(-32000, 'No transactions available to create a block');
        const b = await sealing.createBlock({ finalize });
        return { hash: toHex(b.hash), aux: { header_only: false } };
      },
    })
    .method({
      name: 'engine_finalizeBlock',
      params: params(['hash', p.hash()], ['justification', p.optional(p.hex())]),
      handler: async ([hash]) => {
        if (!(await chain.db.hasBlock(hash))) throw new RpcError(-32000, `unknown block ${toHex(hash)}`);
        await chain.finalize(hash);
        return true;
      },
    });
}
