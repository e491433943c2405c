/**
 * The relay block author's parachains inherent (`polkadot_primitives::v8::InherentData`, identifier `parachn0`):
 * signed availability bitfields, backed candidates, dispute statement sets and the parent header.
 */
import { type Header, HeaderCodec } from '../block/header.ts';
import { newtype } from '../extrinsic/newtype.ts';
import { H256 } from '../extrinsic/primitives.ts';
import { bitvec, type Codec, enumeration, struct, tuple, u32, vec } from '../scale/index.ts';
import {
  type BackedCandidate,
  BackedCandidateCodec,
  ValidatorIndexCodec,
  ValidatorSignatureCodec,
} from './candidate.ts';
import { CandidateHashCodec } from './ids.ts';

const V8 = ['polkadot_primitives', 'v8'];

/** `PARACHAINS_INHERENT_IDENTIFIER`. */
export const PARACHAINS_INHERENT_IDENTIFIER = 'parachn0';

/** `AvailabilityBitfield(BitVec<u8, Lsb0>)`: one bit per availability core. */
export const AvailabilityBitfieldCodec: Codec<boolean[]> = newtype(bitvec('u8', 'Lsb0'), [
  ...V8,
  'AvailabilityBitfield',
]);

export interface UncheckedSignedAvailabilityBitfield {
  payload: boolean[];
  validator_index: number;
  signature: Uint8Array;
}
/** `UncheckedSigned<AvailabilityBitfield>`. */
export const UncheckedSignedAvailabilityBitfieldCodec: Codec<UncheckedSignedAvailabilityBitfield> = struct(
  {
    payload: AvailabilityBitfieldCodec,
    validator_index: ValidatorIndexCodec,
    signature: ValidatorSignatureCodec,
  },
  { payload: 'Payload', validator_index: 'ValidatorIndex', signature: 'ValidatorSignature' },
).named([...V8, 'signed', 'UncheckedSigned'], {
  params: [
    { name: 'Payload', type: AvailabilityBitfieldCodec },
    { name: 'RealPayload', type: AvailabilityBitfieldCodec },
  ],
});

const ValidDisputeStatementKindCodec = enumeration({
  Explicit: [0],
  BackingSeconded: [1, H256],
  BackingValid: [2, H256],
  ApprovalChecking: [3],
  ApprovalCheckingMultipleCandidates: [4, vec(CandidateHashCodec)],
}).named([...V8, 'ValidDisputeStatementKind']);
const InvalidDisputeStatementKindCodec = enumeration({ Explicit: [0] }).named([
  ...V8,
  'InvalidDisputeStatementKind',
]);
export const DisputeStatementCodec = enumeration({
  Valid: [0, ValidDisputeStatementKindCodec],
  Invalid: [1, InvalidDisputeStatementKindCodec],
}).named([...V8, 'DisputeStatement']);

export const DisputeStatementSetCodec = struct(
  {
    candidate_hash: CandidateHashCodec,
    session: u32,
    statements: vec(tuple(DisputeStatementCodec, ValidatorIndexCodec, ValidatorSignatureCodec)),
  },
  { candidate_hash: 'CandidateHash', session: 'SessionIndex' },
).named([...V8, 'DisputeStatementSet']);
export type DisputeStatementSet = ReturnType<typeof DisputeStatementSetCodec.decode>;

export interface ParachainsInherentData {
  bitfields: UncheckedSignedAvailabilityBitfield[];
  backed_candidates: BackedCandidate[];
  disputes: DisputeStatementSet[];
  parent_header: Header;
}
export const ParachainsInherentDataCodec: Codec<ParachainsInherentData> = struct(
  {
    bitfields: vec(UncheckedSignedAvailabilityBitfieldCodec),
    backed_candidates: vec(BackedCandidateCodec),
    disputes: vec(DisputeStatementSetCodec),
    parent_header: HeaderCodec,
  },
  {
    bitfields: 'UncheckedSignedAvailabilityBitfields',
    backed_candidates: 'Vec<BackedCandidate<HDR::Hash>>',
    disputes: 'MultiDisputeStatementSet',
    parent_header: 'HDR',
  },
).named([...V8, 'InherentData'], { params: [{ name: 'HDR', type: HeaderCodec }] });
