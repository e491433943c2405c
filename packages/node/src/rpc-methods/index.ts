/**
 * The Substrate RPC methods a node serves, one module per namespace, all registered into one `MethodRegistry`
 * (`rpc_methods` comes with the registry).
 */
import { MethodRegistry } from '../rpc/index.ts';
import { registerAuthor } from './author.ts';
import { registerChain } from './chain.ts';
import { registerChildState } from './childstate.ts';
import type { RpcContext } from './context.ts';
import { registerEngine } from './engine.ts';
import { registerPayment } from './payment.ts';
import { registerState } from './state.ts';
import { registerSystem } from './system.ts';

export type { NodeIdentity, RpcContext } from './context.ts';
export { headerToJson, type HeaderJson, toHex } from './json.ts';
export { runtimeVersionJson } from './state.ts';

export function substrateRpc(ctx: RpcContext, opts: { engine?: boolean } = {}): MethodRegistry {
  const reg = new MethodRegistry();
  registerSystem(reg, ctx);
  registerChain(reg, ctx);
  registerState(reg, ctx);
  registerChildState(reg, ctx);
  registerAuthor(reg, ctx);
  registerPayment(reg, ctx);
  if (opts.engine !== false) registerEngine(reg, ctx);
  return reg;
}
