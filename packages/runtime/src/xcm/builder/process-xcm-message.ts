/**
 * xcm-builder `ProcessXcmMessage`: what the message queues (message-queue for UMP/DMP/XCMP pages) call for each
 * message. Decodes the `VersionedXcm` with polkadot-sdk's limits (`Corrupt` when it does not), converts it to V5
 * (`Unsupported` when it cannot be), weighs it (`Unsupported` when it cannot be), refuses what does not fit the
 * meter (`Overweight(required)`, nothing run), executes it and reports whether it completed. An executor `Error`
 * outcome (the barrier, say) is `Unsupported` (`StackLimitReached` for the recursion limit) and costs the
 * message's full weight, as in polkadot-sdk.
 *
 * The message-queue pallet charges `weightUsed` to its meter itself; only the error case is charged here.
 */
import type { Weight } from '../../frame/weights.ts';
import type { WeightMeter } from '../../pallets/message-queue/weight-meter.ts';
import type { ProcessMessageArgs, ProcessMessageOutcome } from '../../pallets/message-queue/types.ts';
import {
  type Location,
  type Xcm,
  XcmConversionError,
  type XcmHash,
  decodeVersionedXcm,
  toLatestXcm,
} from '../index.ts';
import type { XcmExecutorConfig } from '../executor/config.ts';
import {
  type ExecutionResult,
  MAX_WEIGHT,
  executeXcm,
  outcomeWeightUsed,
  prepareXcm,
} from '../executor/executor.ts';

/** The details a caller (tests, events, dry runs) may want beyond the queue's outcome. */
export interface ProcessXcmDetails {
  message?: Xcm;
  required?: Weight;
  execution?: ExecutionResult;
}

export type ProcessXcmMessage = (
  origin: Location,
  bytes: Uint8Array,
  meter: WeightMeter,
  id: XcmHash,
  details?: ProcessXcmDetails,
) => ProcessMessageOutcome;

/** `ProcessXcmMessage<_, XcmExecutor<config>, RuntimeCall>`. `id` (32 bytes) is overwritten with the message id. */
export function processXcmMessage(config: XcmExecutorConfig): ProcessXcmMessage {
  return (origin, bytes, meter, id, details) => {
    let message: Xcm;
    try {
      message = toLatestXcm(decodeVersionedXcm(bytes));
    } catch (err) {
      // A decode failure is Corrupt; a version that does not convert to V5 is Unsupported.
      return { ok: false, error: { type: err instanceof XcmConversionError ? 'Unsupported' : 'Corrupt' } };
    }
    if (details) details.message = message;
    const prepared = prepareXcm(config, message, MAX_WEIGHT);
    if (!prepared.ok) return { ok: false, error: { type: 'Unsupported' } };
    const required = prepared.prepared.weight;
    if (details) details.required = required;
    if (!meter.canConsume(required)) return { ok: false, error: { type: 'Overweight', value: required } };
    const execution = executeXcm(config, origin, prepared.prepared, id, { refTime: 0, proofSize: 0 });
    if (details) details.execution = execution;
    if (execution.messageId !== id && execution.messageId.length === id.length) id.set(execution.messageId);
    const { outcome } = execution;
    if (outcome.type === 'Error') {
      meter.consume(required);
      return {
        ok: false,
        error: {
          type: outcome.value.error.type === 'ExceedsStackLimit' ? 'StackLimitReached' : 'Unsupported',
        },
      };
    }
    return { ok: true, success: outcome.type === 'Complete', weightUsed: outcomeWeightUsed(outcome) };
  };
}

/**
 * The message-queue pallet's `processMessage` hook over `processXcmMessage`, for queues whose origins
 * (`AggregateMessageOrigin`) map to XCM locations.
 */
export function messageQueueProcessor<O>(
  config: XcmExecutorConfig,
  toLocation: (origin: O) => Location,
): (args: ProcessMessageArgs<O>) => ProcessMessageOutcome {
  const process = processXcmMessage(config);
  return ({ message, origin, meter, id }) => process(toLocation(origin), message, meter, id);
}
