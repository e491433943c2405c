/**
 * The RPC methods a node serves, one module per namespace, all registered into one `MethodRegistry` (`rpc_methods`
 * comes with the registry): Substrate's legacy methods, and beside them the new JSON-RPC spec polkadot-api and
 * smoldot speak (chainHead_v1, transaction_v1, transactionWatch_v1, chainSpec_v1, archive_v1).
 */
import { MethodRegistry } from '../rpc/index.ts';
import { registerArchiveV1 } from './archive-v1.ts';
import { registerAuthor } from './author.ts';
import { registerChain } from './chain.ts';
import { registerChainHead } from './chain-head.ts';
import type { ChainHeadLimits } from './chain-head-service.ts';
import { registerChainSpecV1 } from './chain-spec-v1.ts';
import { registerChildState } from './childstate.ts';
import type { RpcContext } from './context.ts';
import { registerEngine } from './engine.ts';
import { registerPayment } from './payment.ts';
import { registerState } from './state.ts';
import { registerSystem } from './system.ts';
import { registerTransactionV1 } from './transaction-v1.ts';

export { CHAIN_HEAD_DEFAULTS, type ChainHeadLimits } from './chain-head-service.ts';
export type { NodeIdentity, RpcContext } from './context.ts';
export { type HeaderJson, headerToJson, toHex } from './json.ts';
export { runtimeVersionJson } from './state.ts';

export interface SubstrateRpcOptions {
  /** engine_createBlock / engine_finalizeBlock (default on). */
  engine?: boolean;
  /** chainHead_v1 limits (default: polkadot-sdk rpc-spec-v2's, CHAIN_HEAD_DEFAULTS). */
  chainHead?: Partial<ChainHeadLimits>;
}

export function substrateRpc(ctx: RpcContext, opts: SubstrateRpcOptions = {}): MethodRegistry {
  const reg = new MethodRegistry();
  registerSystem(reg, ctx);
  registerChain(reg, ctx);
  registerState(reg, ctx);
  registerChildState(reg, ctx);
  registerAuthor(reg, ctx);
  registerPayment(reg, ctx);
  if (opts.engine !== false) registerEngine(reg, ctx);
  const chainHead = registerChainHead(reg, ctx, opts.chainHead);
  registerTransactionV1(reg, ctx);
  registerChainSpecV1(reg, ctx);
  registerArchiveV1(reg, ctx, chainHead.limits);
  return reg;
}
