/**
 * JSON-RPC server for a chain node (HTTP + WebSocket on one port, Substrate limits and error codes).
 *
 *   const registry = new MethodRegistry()
 *     .method({ name: 'chain_getBlockHash', aliases: ['chain_getHead'],
 *               params: params(['number', p.optional(p.uint())]), handler: ([n]) => ... })
 *     .subscription({ subscribe: 'chain_subscribeNewHeads', subscribeAliases: ['chain_subscribeNewHead', 'subscribe_newHead'],
 *                     unsubscribe: 'chain_unsubscribeNewHeads', unsubscribeAliases: ['chain_unsubscribeNewHead', 'unsubscribe_newHead'],
 *                     notification: 'chain_newHead', params: [],
 *                     handler: (_p, sink) => { const off = chain.onHead((h) => sink.send(h)); return off; } });
 *   const server = new RpcServer(registry, { port: 9944 });
 *   await server.start(); ... await server.stop();
 *
 * Handlers throw `RpcError(code, message, data?)` for specific errors; anything else becomes -32603.
 */

export { RPC_LIMIT_FLAGS, RPC_LIMIT_USAGE, RpcFlagError, rpcOptionsFromFlags } from './cli-flags.ts';
export { AddressList, clientKey, InvalidCidrError } from './client-address.ts';
export { RpcError, RpcErrorCode, type RpcErrorObject } from './errors.ts';
export type { RpcLimitEvent, RpcLimitStats } from './limit-events.ts';
export { RPC_DEFAULTS, type RpcServerOptions } from './options.ts';
export { decodeParams, ParamDecodeError, type ParamDecoder, type ParamSpec, p, params } from './params.ts';
export { RateLimiter } from './rate-limiter.ts';
export {
  type CallContext,
  DuplicateMethodError,
  type MethodDef,
  MethodRegistry,
  type RegistryEntry,
  type SubscriptionDef,
  type SubscriptionDropReason,
  type SubscriptionEndReason,
  type SubscriptionSink,
  type Teardown,
} from './registry.ts';
export { RpcServer, RpcServerStateError } from './server.ts';
export {
  type InternalErrorLog,
  MAX_JSON_DEPTH,
  type Received,
  RpcSession,
  type SessionLimits,
} from './session.ts';
