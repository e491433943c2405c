/**
 * Transaction validity as sp-runtime defines it (`primitives/runtime/src/transaction_validity.rs`): what the
 * runtime's `TaggedTransactionQueue_validate_transaction` answers.
 */

import type {
  InvalidReason,
  TransactionSource,
  UnknownReason,
  ValidTransaction,
} from '@xstorage/runtime/extrinsic';
import { U64_MAX } from '@xstorage/runtime/scale';

export type { TransactionSource, ValidTransaction };

/**
 * sp-runtime `InvalidTransaction` in the `{ Custom: n }` form the pool and the author RPC report; the reasons
 * themselves are the runtime's.
 */
export type InvalidTransaction = InvalidReason | { Custom: number };

/** sp-runtime `UnknownTransaction`, in the same form. */
export type UnknownTransaction = UnknownReason | { Custom: number };

/** sp-runtime `TransactionValidityError`. */
export type TransactionValidityError = { Invalid: InvalidTransaction } | { Unknown: UnknownTransaction };

export type ValidityResult =
  | { ok: true; value: ValidTransaction }
  | { ok: false; error: TransactionValidityError };

/** Supplied by the node: the runtime's validate_transaction at block `at`. */
export type ValidateFn = (
  tx: Uint8Array,
  at: Uint8Array,
  source: TransactionSource,
) => Promise<ValidityResult>;

/** sp-runtime `TransactionLongevity::MAX`: valid until it is included or invalidated. */
export const LONGEVITY_FOREVER = U64_MAX;

/** The `&'static str` of each `InvalidTransaction` (sp-runtime `From<InvalidTransaction> for &'static str`). */
export function invalidTransactionMessage(e: InvalidTransaction): string {
  if (typeof e === 'object') return 'InvalidTransaction custom error';
  switch (e) {
    case 'Call':
      return 'Transaction call is not expected';
    case 'Future':
      return 'Transaction will be valid in the future';
    case 'Stale':
      return 'Transaction is outdated';
    case 'BadProof':
      return 'Transaction has a bad signature';
    case 'AncientBirthBlock':
      return 'Transaction has an ancient birth block';
    case 'ExhaustsResources':
      return 'Transaction would exhaust the block limits';
    case 'Payment':
      return 'Inability to pay some fees (e.g. account balance too low)';
    case 'BadMandatory':
      return 'A call was labelled as mandatory, but resulted in an Error.';
    case 'MandatoryValidation':
      return 'Transaction dispatch is mandatory; transactions must not be validated.';
    case 'BadSigner':
      return 'Invalid signing address';
    case 'IndeterminateImplicit':
      return 'The implicit data was unable to be calculated';
    case 'UnknownOrigin':
      return 'The transaction extension did not authorize any origin';
  }
}

/** The `&'static str` of each `UnknownTransaction`. */
export function unknownTransactionMessage(e: UnknownTransaction): string {
  if (typeof e === 'object') return 'UnknownTransaction custom error';
  return e === 'CannotLookup'
    ? 'Could not lookup information required to validate the transaction'
    : 'Could not find an unsigned validator for the unsigned transaction';
}

/** Rust `Debug` formatting of the enums, as Substrate puts in RPC error data. */
export function debugFormat(e: InvalidTransaction | UnknownTransaction): string {
  return typeof e === 'object' ? `Custom(${e.Custom})` : e;
}
