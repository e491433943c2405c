/**
 * Candidate validation on the relay chain's validator (polkadot's candidate-validation subsystem): before backing a
 * collation it checks the descriptor against the relay parent's state (the persisted validation data hash, the
 * validation code hash), the PoV hash and the collator's signature, then executes the parachain block against its
 * proof of validity alone (the parent head the relay chain holds gives the parent state root), and accepts the
 * candidate only if the commitments the execution produced are exactly the ones the receipt claims. A wrong state
 * root, a message the block did not send, or state the proof lacks: the candidate is invalid and never backed.
 */
import { type Header, HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { sr25519Verify } from '@xstorage/runtime/crypto';
import { OccupiedCoreAssumptionCodec } from '@xstorage/runtime/pallets/relay';
import {
  type CandidateCommitments,
  type CommittedCandidateReceipt,
  collatorSignaturePayload,
  commitmentsHash,
  ParaIdCodec,
  type PersistedValidationData,
  PersistedValidationDataCodec,
  persistedValidationDataHash,
  ValidationCodeHashCodec,
} from '@xstorage/runtime/parachains';
import { validateBlockStateless } from '@xstorage/runtime/runtimes';
import { option, tuple } from '@xstorage/runtime/scale';
import { withoutSeal } from '../chain/pov-recorder.ts';
import { type Collation, decodePov, povHash } from '../collation/collation.ts';
import { readValidationOutputs } from '../collation/outputs.ts';
import type { RelayChainInterface } from '../collation/relay-interface.ts';
import type { ParaCodeRegistry } from './para-code.ts';

export type InvalidCandidateReason =
  | 'UnknownRelayParent'
  | 'UnknownPara'
  | 'PersistedValidationDataMismatch'
  | 'CodeHashMismatch'
  | 'UnknownValidationCode'
  | 'PovHashMismatch'
  | 'BadCollatorSignature'
  | 'BadPov'
  | 'BadParent'
  | 'ExecutionFailed'
  | 'ValidationDataMismatch'
  | 'CommitmentsMismatch';

export class InvalidCandidateError extends Error {
  override name = 'InvalidCandidateError';
  constructor(
    readonly reason: InvalidCandidateReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const same = (a: Uint8Array, b: Uint8Array) => hex(a) === hex(b);
const pvdCall = tuple(ParaIdCodec, OccupiedCoreAssumptionCodec);
const optPvd = option(PersistedValidationDataCodec);
const optCodeHash = option(ValidationCodeHashCodec);

export interface ValidatedCandidate {
  receipt: CommittedCandidateReceipt;
  pvd: PersistedValidationData;
  /** The parachain block's (sealed) header: the new head. */
  header: Header;
}

/** Validates `collation`; throws InvalidCandidateError with the reason. */
export async function validateCollation(
  relay: RelayChainInterface,
  codes: ParaCodeRegistry,
  collation: Collation,
): Promise<ValidatedCandidate> {
  const { receipt } = collation;
  const d = receipt.descriptor;
  const para = d.para_id;
  const at = d.relay_parent;
  let pvd: PersistedValidationData | undefined;
  let codeHash: Uint8Array | undefined;
  try {
    pvd = optPvd.decode(
      await relay.call(at, 'ParachainHost_persisted_validation_data', pvdCall.encode([para, 'Included'])),
    );
    codeHash = optCodeHash.decode(
      await relay.call(at, 'ParachainHost_validation_code_hash', pvdCall.encode([para, 'Included'])),
    );
  } catch (err) {
    throw new InvalidCandidateError(
      'UnknownRelayParent',
      `relay parent 0x${hex(at)}: ${(err as Error).message}`,
    );
  }
  if (!pvd || !codeHash) throw new InvalidCandidateError('UnknownPara', `para ${para} is not registered`);
  if (!same(persistedValidationDataHash(pvd), d.persisted_validation_data_hash))
    throw new InvalidCandidateError('PersistedValidationDataMismatch', 'the descriptor commits to other PVD');
  if (!same(codeHash, d.validation_code_hash))
    throw new InvalidCandidateError('CodeHashMismatch', `para ${para} runs other validation code`);
  if (!same(povHash(collation.pov), d.pov_hash))
    throw new InvalidCandidateError('PovHashMismatch', 'the PoV does not hash to the descriptor');
  if (!sr25519Verify(d.signature, collatorSignaturePayload(d), d.collator))
    throw new InvalidCandidateError('BadCollatorSignature', 'the collator signature does not verify');
  const code = codes.runtimeFor(codeHash);
  if (!code)
    throw new InvalidCandidateError('UnknownValidationCode', `no runtime for code 0x${hex(codeHash)}`);

  let pov: ReturnType<typeof decodePov>;
  let parent: Header;
  try {
    pov = decodePov(collation.pov);
    parent = HeaderCodec.decode(pvd.parent_head);
  } catch (err) {
    throw new InvalidCandidateError('BadPov', (err as Error).message);
  }
  const sealed = pov.block.header;
  if (!same(sealed.parentHash, headerHash(parent)) || sealed.number !== parent.number + 1)
    throw new InvalidCandidateError(
      'BadParent',
      `the block does not build on the para's head #${parent.number}`,
    );

  const result = validateBlockStateless({
    runtime: code.runtime,
    parentStateRoot: parent.stateRoot,
    block: { header: withoutSeal(sealed), extrinsics: pov.block.extrinsics },
    proof: pov.proof,
    readOutputs: readValidationOutputs,
  });
  if (!result.ok) throw new InvalidCandidateError('ExecutionFailed', result.error.message);
  const { outputs, validationData } = result.outputs;
  if (
    !validationData ||
    !same(PersistedValidationDataCodec.encode(validationData), PersistedValidationDataCodec.encode(pvd))
  )
    throw new InvalidCandidateError('ValidationDataMismatch', 'the block was built on other validation data');
  const produced: CandidateCommitments = {
    upward_messages: outputs.upward_messages,
    horizontal_messages: outputs.horizontal_messages,
    new_validation_code: outputs.new_validation_code,
    head_data: outputs.custom_head_data ?? HeaderCodec.encode(sealed),
    processed_downward_messages: outputs.processed_downward_messages,
    hrmp_watermark: outputs.hrmp_watermark,
  };
  if (!same(commitmentsHash(produced), commitmentsHash(receipt.commitments)))
    throw new InvalidCandidateError(
      'CommitmentsMismatch',
      'the block produced other commitments than claimed',
    );
  return { receipt, pvd, header: sealed };
}
