/**
 * `sp_runtime::transaction_validity`: why a transaction is (in)valid, with the exact SCALE shapes the node and
 * polkadot-js decode (`TransactionValidity = Result<ValidTransaction, TransactionValidityError>`).
 */
import { bool, bytes, enumeration, struct, U64_MAX, u64, u8, vec } from '../scale/index.ts';

const path = (name: string) => ['sp_runtime', 'transaction_validity', name];

export const InvalidTransactionCodec = enumeration({
  Call: [0],
  Payment: [1],
  Future: [2],
  Stale: [3],
  BadProof: [4],
  AncientBirthBlock: [5],
  ExhaustsResources: [6],
  Custom: [7, u8],
  BadMandatory: [8],
  MandatoryValidation: [9],
  BadSigner: [10],
  IndeterminateImplicit: [11],
  UnknownOrigin: [12],
}).named(path('InvalidTransaction'));

export const UnknownTransactionCodec = enumeration({
  CannotLookup: [0],
  NoUnsignedValidator: [1],
  Custom: [2, u8],
}).named(path('UnknownTransaction'));

export const TransactionValidityErrorCodec = enumeration({
  Invalid: [0, InvalidTransactionCodec],
  Unknown: [1, UnknownTransactionCodec],
}).named(path('TransactionValidityError'));

export type InvalidReason =
  | 'Call'
  | 'Payment'
  | 'Future'
  | 'Stale'
  | 'BadProof'
  | 'AncientBirthBlock'
  | 'ExhaustsResources'
  | 'BadMandatory'
  | 'MandatoryValidation'
  | 'BadSigner'
  | 'IndeterminateImplicit'
  | 'UnknownOrigin';
export type UnknownReason = 'CannotLookup' | 'NoUnsignedValidator';

export type TransactionValidityErrorValue =
  | { type: 'Invalid'; value: { type: InvalidReason; value?: undefined } | { type: 'Custom'; value: number } }
  | {
      type: 'Unknown';
      value: { type: UnknownReason; value?: undefined } | { type: 'Custom'; value: number };
    };

/** Thrown by extrinsic checks and extensions; carries the exact SCALE value returned to the node. */
export class TransactionValidityError extends Error {
  override name = 'TransactionValidityError';
  constructor(readonly value: TransactionValidityErrorValue) {
    super(
      `${value.type}(${value.value.type}${value.value.type === 'Custom' ? ` ${value.value.value}` : ''})`,
    );
  }

  get isInvalid(): boolean {
    return this.value.type === 'Invalid';
  }

  /** The variant name, e.g. 'BadProof', 'Stale', 'CannotLookup'. */
  get reason(): string {
    return this.value.value.type;
  }
}

export function invalid(reason: InvalidReason | { custom: number }): TransactionValidityError {
  return new TransactionValidityError({
    type: 'Invalid',
    value: typeof reason === 'string' ? { type: reason } : { type: 'Custom', value: reason.custom },
  });
}

export function unknown(reason: UnknownReason | { custom: number }): TransactionValidityError {
  return new TransactionValidityError({
    type: 'Unknown',
    value: typeof reason === 'string' ? { type: reason } : { type: 'Custom', value: reason.custom },
  });
}

export interface ValidTransaction {
  priority: bigint;
  requires: Uint8Array[];
  provides: Uint8Array[];
  longevity: bigint;
  propagate: boolean;
}

export const ValidTransactionCodec = struct(
  { priority: u64, requires: vec(bytes), provides: vec(bytes), longevity: u64, propagate: bool },
  {
    priority: 'TransactionPriority',
    requires: 'Vec<TransactionTag>',
    provides: 'Vec<TransactionTag>',
    longevity: 'TransactionLongevity',
    propagate: 'bool',
  },
).named(path('ValidTransaction'));

/** `ValidTransaction::default()`: what an extension that does not care about validity contributes. */
export function defaultValidity(): ValidTransaction {
  return { priority: 0n, requires: [], provides: [], longevity: U64_MAX, propagate: true };
}

/** `ValidTransaction::combine_with`: priorities add (saturating), tags concatenate, longevity is the minimum. */
export function combineValidity(a: ValidTransaction, b: ValidTransaction): ValidTransaction {
  const priority = a.priority + b.priority;
  return {
    priority: priority > U64_MAX ? U64_MAX : priority,
    requires: [...a.requires, ...b.requires],
    provides: [...a.provides, ...b.provides],
    longevity: a.longevity < b.longevity ? a.longevity : b.longevity,
    propagate: a.propagate && b.propagate,
  };
}

export const TransactionSourceCodec = enumeration({
  InBlock: [0],
  Local: [1],
  External: [2],
}).named(path('TransactionSource'));

export type TransactionSource = 'InBlock' | 'Local' | 'External';
