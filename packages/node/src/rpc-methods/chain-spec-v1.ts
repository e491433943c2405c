/** `chainSpec_v1_*`: the chain's name, genesis hash and properties (constant for the node's lifetime). */
import type { MethodRegistry } from '../rpc/index.ts';
import type { RpcContext } from './context.ts';
import { toHex } from './json.ts';

export function registerChainSpecV1(reg: MethodRegistry, ctx: RpcContext): void {
  const { chain, spec } = ctx;
  reg
    .method({ name: 'chainSpec_v1_chainName', params: [], handler: () => spec.name })
    .method({ name: 'chainSpec_v1_genesisHash', params: [], handler: () => toHex(chain.genesisHash) })
    .method({ name: 'chainSpec_v1_properties', params: [], handler: () => spec.properties });
}
