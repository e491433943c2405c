/**
 * JSON-RPC error codes and the one error type handlers throw. Codes and messages follow jsonrpsee
 * (`types/src/error.rs`), which Substrate nodes use, so clients see the same answers as from a real node.
 */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** jsonrpsee CALL_EXECUTION_FAILED_CODE: a handler failed for a reason of its own. */
  CallExecutionFailed: -32000,
  TooManySubscriptions: -32006,
  OversizedRequest: -32007,
  OversizedResponse: -32008,
  ServerIsBusy: -32009,
  TooBigBatchRequest: -32010,
  /** jsonrpsee TOO_BIG_BATCH_RESPONSE_CODE: the batch's answers together pass the response size limit. */
  TooBigBatchResponse: -32011,
} as const;

export type RpcErrorCodeValue = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];

/** A JSON-RPC error object as it goes on the wire. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** Thrown by handlers (or the server) to answer with a specific JSON-RPC error. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  toJSON(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  static parseError(detail: string): RpcError {
    return new RpcError(RpcErrorCode.ParseError, 'Parse error', detail);
  }
  static invalidRequest(detail: string): RpcError {
    return new RpcError(RpcErrorCode.InvalidRequest, 'Invalid request', detail);
  }
  static methodNotFound(method: string): RpcError {
    // A client's method name is echoed only as far as a real one can be long.
    const name = method.length > 100 ? `${method.slice(0, 100)}…` : method;
    return new RpcError(
      RpcErrorCode.MethodNotFound,
      'Method not found',
      `Method "${name}" is not served by this node; see rpc_methods`,
    );
  }
  static invalidParams(detail: string): RpcError {
    return new RpcError(RpcErrorCode.InvalidParams, 'Invalid params', detail);
  }
  static internal(detail?: string): RpcError {
    return new RpcError(RpcErrorCode.InternalError, 'Internal error', detail);
  }
  static oversizedRequest(limit: number): RpcError {
    return new RpcError(
      RpcErrorCode.OversizedRequest,
      'Request is too big',
      `Exceeded max limit of ${limit}`,
    );
  }
}
