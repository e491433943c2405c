/**
 * What a validator reads from a parachain block's post-state to check its candidate, and so what the collator must
 * prove beyond the block's own execution: the candidate's outputs (parachain-system's `candidateOutputs`) and the
 * validation data the block was built on. One definition for both sides.
 */
import {
  type CandidateOutputs,
  candidateOutputs,
  ValidationData,
} from '@xstorage/runtime/pallets/parachain-system';
import type { PersistedValidationData } from '@xstorage/runtime/parachains';

export interface ValidationOutputs {
  outputs: CandidateOutputs;
  validationData: PersistedValidationData | undefined;
}

/** Runs in the parachain runtime's env over the block's post-state. */
export function readValidationOutputs(): ValidationOutputs {
  return { outputs: candidateOutputs(), validationData: ValidationData.get() };
}
