/** SCALE shapes of the executive's results, as sp_runtime defines them. */
import { TransactionValidityErrorCodec, ValidTransactionCodec } from '../extrinsic/transaction-validity.ts';
import { DispatchErrorCodec } from '../frame/dispatch-error.ts';
import { enumeration, result, unit } from '../scale/index.ts';

/** `ApplyExtrinsicResult = Result<Result<(), DispatchError>, TransactionValidityError>` */
export const ApplyExtrinsicResultCodec = result(
  result(unit, DispatchErrorCodec),
  TransactionValidityErrorCodec,
);

/** `TransactionValidity = Result<ValidTransaction, TransactionValidityError>` */
export const TransactionValidityCodec = result(ValidTransactionCodec, TransactionValidityErrorCodec);

/** `sp_runtime::ExtrinsicInclusionMode` (Core v5's initialize_block result). */
export const ExtrinsicInclusionModeCodec = enumeration({ AllExtrinsics: [0], OnlyInherents: [1] }).named([
  'sp_runtime',
  'ExtrinsicInclusionMode',
]);
