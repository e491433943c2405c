/**
 * XCM types that V4 and V5 re-use from V3 unchanged (same Rust type, same scale-info path `xcm::v3::…`):
 * BodyId, BodyPart, OriginKind, MaybeErrorCode, WeightLimit, the V3/V4 `Error`, and `DoubleEncoded`.
 */
import type { Codec } from '../scale/codec.ts';
import { enumeration, struct } from '../scale/composite.ts';
import { bytes, bytesFixed, compact, u32, u64 } from '../scale/primitives.ts';
import { boundedBytes } from './codecs.ts';
import { MAX_DISPATCH_ERROR_LEN } from './limits.ts';
import { type XcmWeight, XcmWeightCodec } from './weight.ts';

const V3 = ['xcm', 'v3'];

export type BodyId =
  | { type: 'Unit'; value?: undefined }
  | { type: 'Moniker'; value: Uint8Array }
  | { type: 'Index'; value: number }
  | { type: 'Executive'; value?: undefined }
  | { type: 'Technical'; value?: undefined }
  | { type: 'Legislative'; value?: undefined }
  | { type: 'Judicial'; value?: undefined }
  | { type: 'Defense'; value?: undefined }
  | { type: 'Administration'; value?: undefined }
  | { type: 'Treasury'; value?: undefined };

export const BodyIdCodec = enumeration({
  Unit: [0],
  Moniker: [1, bytesFixed(4)],
  Index: [2, compact(u32)],
  Executive: [3],
  Technical: [4],
  Legislative: [5],
  Judicial: [6],
  Defense: [7],
  Administration: [8],
  Treasury: [9],
}).named([...V3, 'junction', 'BodyId']) as Codec<BodyId>;

export type BodyPart =
  | { type: 'Voice'; value?: undefined }
  | { type: 'Members'; value: { count: number } }
  | { type: 'Fraction'; value: { nom: number; denom: number } }
  | { type: 'AtLeastProportion'; value: { nom: number; denom: number } }
  | { type: 'MoreThanProportion'; value: { nom: number; denom: number } };

const fraction = () => struct({ nom: compact(u32), denom: compact(u32) }, { nom: 'u32', denom: 'u32' });
export const BodyPartCodec = enumeration({
  Voice: [0],
  Members: [1, struct({ count: compact(u32) }, { count: 'u32' })],
  Fraction: [2, fraction()],
  AtLeastProportion: [3, fraction()],
  MoreThanProportion: [4, fraction()],
}).named([...V3, 'junction', 'BodyPart']) as Codec<BodyPart>;

export type OriginKind =
  | { type: 'Native' }
  | { type: 'SovereignAccount' }
  | { type: 'Superuser' }
  | { type: 'Xcm' };
export const OriginKindCodec = enumeration({
  Native: [0],
  SovereignAccount: [1],
  Superuser: [2],
  Xcm: [3],
}).named([...V3, 'OriginKind']) as Codec<OriginKind>;

/** The outcome of a `Transact` dispatch as the Transact Status Register holds it. */
export type MaybeErrorCode =
  | { type: 'Success'; value?: undefined }
  | { type: 'Error'; value: Uint8Array }
  | { type: 'TruncatedError'; value: Uint8Array };
export const MaybeErrorCodeCodec = enumeration({
  Success: [0],
  Error: [1, boundedBytes(MAX_DISPATCH_ERROR_LEN)],
  TruncatedError: [2, boundedBytes(MAX_DISPATCH_ERROR_LEN)],
}).named([...V3, 'MaybeErrorCode']) as Codec<MaybeErrorCode>;

export type WeightLimit = { type: 'Unlimited'; value?: undefined } | { type: 'Limited'; value: XcmWeight };
export const WeightLimitCodec = enumeration({
  Unlimited: [0],
  Limited: [1, XcmWeightCodec],
}).named([...V3, 'WeightLimit']) as Codec<WeightLimit>;

/** `DoubleEncoded<T>`: the call as SCALE bytes, decoded only when executed. */
export interface DoubleEncoded {
  encoded: Uint8Array;
}
export const DoubleEncodedCodec: Codec<DoubleEncoded> = struct(
  { encoded: bytes },
  { encoded: 'Vec<u8>' },
).named(['xcm', 'double_encoded', 'DoubleEncoded'], { params: [{ name: 'T' }] });

/** Names of the XCM errors of V3 and V4 (`xcm::v3::traits::Error`), in index order. */
export const ERROR_NAMES_V3 = [
  'Overflow',
  'Unimplemented',
  'UntrustedReserveLocation',
  'UntrustedTeleportLocation',
  'LocationFull',
  'LocationNotInvertible',
  'BadOrigin',
  'InvalidLocation',
  'AssetNotFound',
  'FailedToTransactAsset',
  'NotWithdrawable',
  'LocationCannotHold',
  'ExceedsMaxMessageSize',
  'DestinationUnsupported',
  'Transport',
  'Unroutable',
  'UnknownClaim',
  'FailedToDecode',
  'MaxWeightInvalid',
  'NotHoldingFees',
  'TooExpensive',
  'Trap',
  'ExpectationFalse',
  'PalletNotFound',
  'NameMismatch',
  'VersionIncompatible',
  'HoldingWouldOverflow',
  'ExportError',
  'ReanchorFailed',
  'NoDeal',
  'FeesNotMet',
  'LockError',
  'NoPermission',
  'Unanchored',
  'NotDepositable',
  'UnhandledXcmVersion',
  'WeightLimitReached',
  'Barrier',
  'WeightNotComputable',
  'ExceedsStackLimit',
] as const;

/** V5 added `TooManyAssets` at index 35; everything after it moved up one. */
export const ERROR_NAMES_V5 = [
  ...ERROR_NAMES_V3.slice(0, 35),
  'TooManyAssets',
  ...ERROR_NAMES_V3.slice(35),
] as const;

type ErrorName<N extends readonly string[]> = N[number];
/** An XCM error: `Trap` carries a u64 code, `WeightLimitReached` the weight that was needed. */
export type XcmErrorOf<N extends string> =
  | { type: Exclude<N, 'Trap' | 'WeightLimitReached'>; value?: undefined }
  | { type: 'Trap'; value: bigint }
  | { type: 'WeightLimitReached'; value: XcmWeight };
export type XcmErrorV3 = XcmErrorOf<ErrorName<typeof ERROR_NAMES_V3>>;
export type XcmErrorV5 = XcmErrorOf<ErrorName<typeof ERROR_NAMES_V5>>;

export function errorCodec<N extends string>(names: readonly N[], path: string[]): Codec<XcmErrorOf<N>> {
  const shape: Record<string, readonly [number, Codec<any>?]> = {};
  names.forEach((name, index) => {
    shape[name] =
      name === 'Trap' ? [index, u64] : name === 'WeightLimitReached' ? [index, XcmWeightCodec] : [index];
  });
  return enumeration(shape).named(path) as unknown as Codec<XcmErrorOf<N>>;
}

export const XcmErrorV3Codec = errorCodec(ERROR_NAMES_V3, [...V3, 'traits', 'Error']);

/** `xcm::v3::traits::SendError` (V4 and V5 re-use it); errors of `validate`/`deliver` of a router. */
export type SendError =
  | { type: 'NotApplicable' }
  | { type: 'Transport' }
  | { type: 'Unroutable' }
  | { type: 'DestinationUnsupported' }
  | { type: 'ExceedsMaxMessageSize' }
  | { type: 'MissingArgument' }
  | { type: 'Fees' };
export const SendErrorCodec = enumeration({
  NotApplicable: [0],
  Transport: [1],
  Unroutable: [2],
  DestinationUnsupported: [3],
  ExceedsMaxMessageSize: [4],
  MissingArgument: [5],
  Fees: [6],
}).named([...V3, 'traits', 'SendError']) as Codec<SendError>;
