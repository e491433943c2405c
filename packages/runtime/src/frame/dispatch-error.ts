/**
 * sp_runtime::DispatchError and its parts, with the variant indices of polkadot-sdk (sp-runtime/src/lib.rs), and the
 * `DispatchFailure` exception pallet code throws to fail a call (the `Err(...)` / `?` of FRAME).
 */
import type { Codec } from '../scale/codec.ts';
import { type EnumValue, enumeration, struct } from '../scale/composite.ts';
import { bytesFixed, u8 } from '../scale/primitives.ts';

/** `sp_runtime::ModuleError`: `error` is 4 bytes, the first the pallet's error index (frame-metadata V14+). */
export const ModuleErrorCodec = struct(
  { index: u8, error: bytesFixed(4) },
  { index: 'u8', error: '[u8; MAX_MODULE_ERROR_ENCODED_SIZE]' },
).named(['sp_runtime', 'ModuleError']);

export const TokenErrorCodec = enumeration({
  FundsUnavailable: [0],
  OnlyProvider: [1],
  BelowMinimum: [2],
  CannotCreate: [3],
  UnknownAsset: [4],
  Frozen: [5],
  Unsupported: [6],
  CannotCreateHold: [7],
  NotExpendable: [8],
  Blocked: [9],
}).named(['sp_runtime', 'TokenError']);

export const ArithmeticErrorCodec = enumeration({
  Underflow: [0],
  Overflow: [1],
  DivisionByZero: [2],
}).named(['sp_arithmetic', 'ArithmeticError']);

export const TransactionalErrorCodec = enumeration({ LimitReached: [0], NoLayer: [1] }).named([
  'sp_runtime',
  'TransactionalError',
]);

export const TrieErrorCodec = enumeration({
  InvalidStateRoot: [0],
  IncompleteDatabase: [1],
  ValueAtIncompleteKey: [2],
  DecoderError: [3],
  InvalidHash: [4],
  DuplicateKey: [5],
  ExtraneousNode: [6],
  ExtraneousValue: [7],
  ExtraneousHashReference: [8],
  InvalidChildReference: [9],
  ValueMismatch: [10],
  IncompleteProof: [11],
  RootMismatch: [12],
  DecodeError: [13],
}).named(['sp_runtime', 'proving_trie', 'TrieError']);

const dispatchErrorShape = {
  Other: [0],
  CannotLookup: [1],
  BadOrigin: [2],
  Module: [3, ModuleErrorCodec],
  ConsumerRemaining: [4],
  NoProviders: [5],
  TooManyConsumers: [6],
  Token: [7, TokenErrorCodec],
  Arithmetic: [8, ArithmeticErrorCodec],
  Transactional: [9, TransactionalErrorCodec],
  Exhausted: [10],
  Corruption: [11],
  Unavailable: [12],
  RootNotAllowed: [13],
  Trie: [14, TrieErrorCodec],
} as const;

export type DispatchError = EnumValue<typeof dispatchErrorShape>;
export const DispatchErrorCodec: Codec<DispatchError> = enumeration(dispatchErrorShape).named([
  'sp_runtime',
  'DispatchError',
]);

export type TokenError = DispatchError & { type: 'Token' } extends { value: infer V } ? V : never;

/** What a failed dispatch may still report: the weight it actually used, and whether it pays. */
export interface PostDispatchInfo {
  actualWeight?: import('./weights.ts').Weight;
  paysFee?: import('./weights.ts').Pays;
}

/**
 * Thrown by pallet code to fail the current call; the dispatcher rolls back the call's writes and reports `error`.
 * (`Other` carries its text only in `message`: it is `#[codec(skip)]` on the wire.)
 */
export class DispatchFailure extends Error {
  override name = 'DispatchFailure';
  constructor(
    readonly error: DispatchError,
    readonly postInfo: PostDispatchInfo = {},
    message?: string,
  ) {
    super(message ?? describeDispatchError(error));
  }
}

export function describeDispatchError(e: DispatchError): string {
  if (e.type === 'Module') return `Module { index: ${e.value.index}, error: 0x${hex(e.value.error)} }`;
  if (e.value && typeof e.value === 'object' && 'type' in e.value) return `${e.type}(${e.value.type})`;
  return e.type;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

export const badOrigin = (): DispatchFailure => new DispatchFailure({ type: 'BadOrigin' });
export const otherError = (message: string): DispatchFailure =>
  new DispatchFailure({ type: 'Other' }, {}, message);
export const arithmeticError = (kind: 'Underflow' | 'Overflow' | 'DivisionByZero'): DispatchFailure =>
  new DispatchFailure({ type: 'Arithmetic', value: { type: kind } });
export const tokenError = (kind: (DispatchError & { type: 'Token' })['value']['type']): DispatchFailure =>
  new DispatchFailure({ type: 'Token', value: { type: kind } } as DispatchError);
