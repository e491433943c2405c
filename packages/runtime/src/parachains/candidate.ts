/**
 * Candidates (polkadot-sdk `polkadot/primitives/src/v8/mod.rs`): the persisted validation data a para block is
 * built against, the commitments its execution produced, the V1 `CandidateDescriptor` (collator id + signature
 * layout; polkadot-sdk's later `CandidateDescriptorV2` reuses these bytes differently and is not used here), the
 * receipts and the candidate hash, backing attestations, the `CompactStatement` signing payload and the collator
 * signature payload. Also `ValidationParams` / `ValidationResult`, the input and output of candidate validation.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { Sr25519Signature } from '../extrinsic/multi-signature.ts';
import { newtype } from '../extrinsic/newtype.ts';
import { H256 } from '../extrinsic/primitives.ts';
import { bitvec, bytesFixed, type Codec, enumeration, option, struct, u32, vec } from '../scale/index.ts';
import {
  BlockDataCodec,
  HeadDataCodec,
  type ParaId,
  ParaIdCodec,
  ValidationCodeCodec,
  ValidationCodeHashCodec,
} from './ids.ts';
import { HorizontalMessagesCodec, type OutboundHrmpMessage, UpwardMessagesCodec } from './messages.ts';

const V8 = ['polkadot_primitives', 'v8'];

/** `sp_core::sr25519::Public`. */
export const Sr25519Public: Codec<Uint8Array> = newtype(
  bytesFixed(32),
  ['sp_core', 'sr25519', 'Public'],
  '[u8; 32]',
);
/** `CollatorId`: an sr25519 key under the `coll` app-crypto. */
export const CollatorIdCodec: Codec<Uint8Array> = newtype(Sr25519Public, [...V8, 'collator_app', 'Public']);
export const CollatorSignatureCodec: Codec<Uint8Array> = newtype(Sr25519Signature, [
  ...V8,
  'collator_app',
  'Signature',
]);
/** `ValidatorId`: an sr25519 key under the `para` app-crypto. */
export const ValidatorIdCodec: Codec<Uint8Array> = newtype(Sr25519Public, [...V8, 'validator_app', 'Public']);
export const ValidatorSignatureCodec: Codec<Uint8Array> = newtype(Sr25519Signature, [
  ...V8,
  'validator_app',
  'Signature',
]);
/** `ValidatorIndex(u32)`: a validator's position in the session's validator set. */
export const ValidatorIndexCodec: Codec<number> = newtype(u32, [...V8, 'ValidatorIndex'], 'u32');

const hashAndNumber = [
  { name: 'H', type: H256 },
  { name: 'N', type: u32 },
];

// ---- validation data and commitments --------------------------------------------------------------------------

export interface PersistedValidationData {
  parent_head: Uint8Array;
  relay_parent_number: number;
  relay_parent_storage_root: Uint8Array;
  max_pov_size: number;
}
export const PersistedValidationDataCodec: Codec<PersistedValidationData> = struct(
  {
    parent_head: HeadDataCodec,
    relay_parent_number: u32,
    relay_parent_storage_root: H256,
    max_pov_size: u32,
  },
  { parent_head: 'HeadData', relay_parent_number: 'N', relay_parent_storage_root: 'H', max_pov_size: 'u32' },
).named([...V8, 'PersistedValidationData'], { params: hashAndNumber });

/** `PersistedValidationData::hash`: blake2-256 of its encoding (the descriptor's `persisted_validation_data_hash`). */
export function persistedValidationDataHash(pvd: PersistedValidationData): Uint8Array {
  return blake2_256(PersistedValidationDataCodec.encode(pvd));
}

export interface CandidateCommitments {
  upward_messages: Uint8Array[];
  horizontal_messages: OutboundHrmpMessage[];
  new_validation_code: Uint8Array | undefined;
  head_data: Uint8Array;
  processed_downward_messages: number;
  hrmp_watermark: number;
}
export const CandidateCommitmentsCodec: Codec<CandidateCommitments> = struct(
  {
    upward_messages: UpwardMessagesCodec,
    horizontal_messages: HorizontalMessagesCodec,
    new_validation_code: option(ValidationCodeCodec),
    head_data: HeadDataCodec,
    processed_downward_messages: u32,
    hrmp_watermark: u32,
  },
  {
    upward_messages: 'UpwardMessages',
    horizontal_messages: 'HorizontalMessages',
    new_validation_code: 'Option<ValidationCode>',
    head_data: 'HeadData',
    processed_downward_messages: 'u32',
    hrmp_watermark: 'N',
  },
).named([...V8, 'CandidateCommitments'], { params: [{ name: 'N', type: u32 }] });

export function commitmentsHash(c: CandidateCommitments): Uint8Array {
  return blake2_256(CandidateCommitmentsCodec.encode(c));
}

// ---- descriptor and receipts --------------------------------------------------------------------------------

/** The V1 descriptor (`CandidateDescriptor<H256>`). */
export interface CandidateDescriptor {
  para_id: ParaId;
  relay_parent: Uint8Array;
  collator: Uint8Array;
  persisted_validation_data_hash: Uint8Array;
  pov_hash: Uint8Array;
  erasure_root: Uint8Array;
  signature: Uint8Array;
  para_head: Uint8Array;
  validation_code_hash: Uint8Array;
}
export const CandidateDescriptorCodec: Codec<CandidateDescriptor> = struct(
  {
    para_id: ParaIdCodec,
    relay_parent: H256,
    collator: CollatorIdCodec,
    persisted_validation_data_hash: H256,
    pov_hash: H256,
    erasure_root: H256,
    signature: CollatorSignatureCodec,
    para_head: H256,
    validation_code_hash: ValidationCodeHashCodec,
  },
  {
    para_id: 'Id',
    relay_parent: 'H',
    collator: 'CollatorId',
    persisted_validation_data_hash: 'Hash',
    pov_hash: 'Hash',
    erasure_root: 'Hash',
    signature: 'CollatorSignature',
    para_head: 'Hash',
    validation_code_hash: 'ValidationCodeHash',
  },
).named([...V8, 'CandidateDescriptor'], { params: [{ name: 'H', type: H256 }] });

export interface CandidateReceipt {
  descriptor: CandidateDescriptor;
  commitments_hash: Uint8Array;
}
export const CandidateReceiptCodec: Codec<CandidateReceipt> = struct(
  { descriptor: CandidateDescriptorCodec, commitments_hash: H256 },
  { descriptor: 'CandidateDescriptor<H>', commitments_hash: 'Hash' },
).named([...V8, 'CandidateReceipt'], { params: [{ name: 'H', type: H256 }] });

export interface CommittedCandidateReceipt {
  descriptor: CandidateDescriptor;
  commitments: CandidateCommitments;
}
export const CommittedCandidateReceiptCodec: Codec<CommittedCandidateReceipt> = struct(
  { descriptor: CandidateDescriptorCodec, commitments: CandidateCommitmentsCodec },
  { descriptor: 'CandidateDescriptor<H>', commitments: 'CandidateCommitments' },
).named([...V8, 'CommittedCandidateReceipt'], { params: [{ name: 'H', type: H256 }] });

/** `CommittedCandidateReceipt::to_plain`. */
export function toPlainReceipt(c: CommittedCandidateReceipt): CandidateReceipt {
  return { descriptor: c.descriptor, commitments_hash: commitmentsHash(c.commitments) };
}

/** `CandidateReceipt::hash`: blake2-256 of the plain receipt's encoding. */
export function candidateReceiptHash(r: CandidateReceipt): Uint8Array {
  return blake2_256(CandidateReceiptCodec.encode(r));
}

/** `CommittedCandidateReceipt::hash` = `to_plain().hash()`: the candidate hash validators sign. */
export function candidateHash(c: CommittedCandidateReceipt): Uint8Array {
  return candidateReceiptHash(toPlainReceipt(c));
}

/**
 * `collator_signature_payload`: relay_parent (32) ++ u32_le(para_id) ++ pvd_hash (32) ++ pov_hash (32) ++
 * validation_code_hash (32), 132 bytes; the collator signs it with sr25519.
 */
export function collatorSignaturePayload(d: {
  relay_parent: Uint8Array;
  para_id: ParaId;
  persisted_validation_data_hash: Uint8Array;
  pov_hash: Uint8Array;
  validation_code_hash: Uint8Array;
}): Uint8Array {
  const out = new Uint8Array(132);
  out.set(d.relay_parent.subarray(0, 32), 0);
  new DataView(out.buffer).setUint32(32, d.para_id, true);
  out.set(d.persisted_validation_data_hash.subarray(0, 32), 36);
  out.set(d.pov_hash.subarray(0, 32), 68);
  out.set(d.validation_code_hash.subarray(0, 32), 100);
  return out;
}

// ---- backing ------------------------------------------------------------------------------------------------

/** `ValidityAttestation`: `Implicit` (index 1) for the seconding validator, `Explicit` (index 2) for the others. */
export type ValidityAttestation =
  | { type: 'Implicit'; value: Uint8Array }
  | { type: 'Explicit'; value: Uint8Array };
export const ValidityAttestationCodec: Codec<ValidityAttestation> = enumeration({
  Implicit: [1, ValidatorSignatureCodec],
  Explicit: [2, ValidatorSignatureCodec],
}).named([...V8, 'ValidityAttestation']) as Codec<ValidityAttestation>;

export interface BackedCandidate {
  candidate: CommittedCandidateReceipt;
  validity_votes: ValidityAttestation[];
  /** One bit per member of the backing group (here: the validator set), Lsb0 in u8. */
  validator_indices: boolean[];
}
export const BackedCandidateCodec: Codec<BackedCandidate> = struct(
  {
    candidate: CommittedCandidateReceiptCodec,
    validity_votes: vec(ValidityAttestationCodec),
    validator_indices: bitvec('u8', 'Lsb0'),
  },
  {
    candidate: 'CommittedCandidateReceipt<H>',
    validity_votes: 'Vec<ValidityAttestation>',
    validator_indices: 'BitVec<u8, bitvec::order::Lsb0>',
  },
).named([...V8, 'BackedCandidate'], { params: [{ name: 'H', type: H256 }] });

/** `SigningContext<Hash>`: the session and the relay parent a statement is signed in. */
export interface SigningContext {
  session_index: number;
  parent_hash: Uint8Array;
}
export const SigningContextCodec: Codec<SigningContext> = struct({
  session_index: u32,
  parent_hash: H256,
}).named([...V8, 'SigningContext']);

export type CompactStatementKind = 'Seconded' | 'Valid';
const BACKING_STATEMENT_MAGIC = new TextEncoder().encode('BKNG');

/**
 * `CompactStatement::signing_payload`: `(statement, context).encode()` where the statement encodes as
 * `b"BKNG" ++ variant (Seconded = 1, Valid = 2) ++ candidate_hash`: 4 + 1 + 32 + 4 + 32 = 73 bytes.
 */
export function compactStatementPayload(
  kind: CompactStatementKind,
  candidateHashValue: Uint8Array,
  context: SigningContext,
): Uint8Array {
  const out = new Uint8Array(73);
  out.set(BACKING_STATEMENT_MAGIC, 0);
  out[4] = kind === 'Seconded' ? 1 : 2;
  out.set(candidateHashValue.subarray(0, 32), 5);
  out.set(SigningContextCodec.encode(context), 37);
  return out;
}

/** `ValidityAttestation::signed_payload`: Implicit signs `Seconded`, Explicit signs `Valid`. */
export function attestationPayload(
  attestation: ValidityAttestation,
  candidateHashValue: Uint8Array,
  context: SigningContext,
): Uint8Array {
  return compactStatementPayload(
    attestation.type === 'Implicit' ? 'Seconded' : 'Valid',
    candidateHashValue,
    context,
  );
}

// ---- candidate validation -----------------------------------------------------------------------------------

/** `ValidationParams`: what the validation function receives. */
export interface ValidationParams {
  parent_head: Uint8Array;
  block_data: Uint8Array;
  relay_parent_number: number;
  relay_parent_storage_root: Uint8Array;
}
export const ValidationParamsCodec: Codec<ValidationParams> = struct({
  parent_head: HeadDataCodec,
  block_data: BlockDataCodec,
  relay_parent_number: u32,
  relay_parent_storage_root: H256,
}).named(['polkadot_parachain_primitives', 'primitives', 'ValidationParams']);

/** `ValidationResult`: what the validation function returns; becomes the candidate's commitments. */
export interface ValidationResult {
  head_data: Uint8Array;
  new_validation_code: Uint8Array | undefined;
  upward_messages: Uint8Array[];
  horizontal_messages: OutboundHrmpMessage[];
  processed_downward_messages: number;
  hrmp_watermark: number;
}
export const ValidationResultCodec: Codec<ValidationResult> = struct({
  head_data: HeadDataCodec,
  new_validation_code: option(ValidationCodeCodec),
  upward_messages: UpwardMessagesCodec,
  horizontal_messages: HorizontalMessagesCodec,
  processed_downward_messages: u32,
  hrmp_watermark: u32,
}).named(['polkadot_parachain_primitives', 'primitives', 'ValidationResult']);

/** The commitments a validation result makes (same fields, the commitments' order). */
export function commitmentsFromValidationResult(r: ValidationResult): CandidateCommitments {
  return {
    upward_messages: r.upward_messages,
    horizontal_messages: r.horizontal_messages,
    new_validation_code: r.new_validation_code,
    head_data: r.head_data,
    processed_downward_messages: r.processed_downward_messages,
    hrmp_watermark: r.hrmp_watermark,
  };
}
