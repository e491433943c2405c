/**
 * Error codes of the new JSON-RPC spec (paritytech/json-rpc-interface-spec: chainHead_v1_follow, _unpin, _call,
 * _continue; transaction_v1_stop), with the messages polkadot-sdk's rpc-spec-v2 answers with.
 */
import { RpcError, RpcErrorCode } from '../rpc/index.ts';

export const SpecV2ErrorCode = {
  /** chainHead_v1_follow: the connection already has its maximum of follow subscriptions. */
  ReachedLimits: -32800,
  /** A block hash that this follow subscription has not reported, or has unpinned. */
  InvalidBlock: -32801,
  /** chainHead_v1_call on a follow subscription started with `withRuntime: false`. */
  InvalidRuntimeCall: -32802,
  /** chainHead_v1_continue for an operation that is not waiting for it. */
  InvalidContinue: -32803,
  /** chainHead_v1_unpin with the same hash twice. */
  InvalidDuplicateHashes: -32804,
} as const;

export const specV2Errors = {
  reachedLimits: (max: number) =>
    new RpcError(
      SpecV2ErrorCode.ReachedLimits,
      'Maximum number of chainHead_follow has been reached',
      `at most ${max} chainHead_v1_follow subscriptions per connection`,
    ),
  invalidBlock: (hash: string) => new RpcError(SpecV2ErrorCode.InvalidBlock, 'Invalid block hash', hash),
  invalidRuntimeCall: () =>
    new RpcError(
      SpecV2ErrorCode.InvalidRuntimeCall,
      'Invalid runtime call',
      'The runtime updates flag must be set (chainHead_v1_follow with withRuntime: true)',
    ),
  invalidContinue: () =>
    new RpcError(
      SpecV2ErrorCode.InvalidContinue,
      'Wait for continue event was not generated for the subscription',
    ),
  duplicateHashes: (hash: string) =>
    new RpcError(
      SpecV2ErrorCode.InvalidDuplicateHashes,
      'Received duplicate hashes for the `chainHead_unpin` method',
      hash,
    ),
  invalidOperationId: (id: string) =>
    new RpcError(RpcErrorCode.InvalidParams, 'Invalid operation id', id.slice(0, 64)),
};
