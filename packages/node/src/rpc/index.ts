export { RpcError, RpcErrorCode, type RpcErrorObject } from './errors.ts';
export { decodeParams, ParamDecodeError, type ParamDecoder, type ParamSpec, p, params } from './params.ts';
export {
  type CallContext,
  DuplicateMethodError,
  type MethodDef,
  MethodRegistry,
  type RegistryEntry,
  type SubscriptionDef,
  type SubscriptionSink,
  type Teardown,
} from './registry.ts';
export { RPC_DEFAULTS, RpcServer, type RpcServerOptions, RpcServerStateError } from './server.ts';
export { RpcSession, type SessionLimits } from './session.ts';
