/**
 * Validating a block from its proof of validity, as the relay chain checks a parachain candidate (cumulus'
 * `validate_block`): the block is re-executed by the chain's executive against a partial trie of the parent state
 * built from the storage proof alone; `executeBlock` checks the parent hash, the extrinsics, the digest, the state
 * root and the extrinsics root the header claims. A block that needs state its proof does not hold fails as
 * `IncompleteProof`, never with a guess. On success the post-state (partial parent trie + the block's changes) is
 * returned readable, so the validator can take the candidate's outputs from it.
 */
import type { Header } from '../block/header.ts';
import { BlockExecutionError, type BlockExecutionFailure } from '../executive/errors.ts';
import { Overlay } from '../state/overlay.ts';
import { ProofBackend, proofStorageRoot, proofTrieWithChanges } from '../state/proof-backend.ts';
import { InvalidProofError, ProofDatabase, type ProofLimits } from '../trie/proof-source.ts';
import { IncompleteProofError, ProofTrie } from '../trie/proof-trie.ts';
import type { ChainRuntime, HostFunctions } from './chain-runtime.ts';

export type StatelessValidationFailure =
  /** The proof is malformed or hostile (bad encoding, too large, an item that is not what its hash says). */
  | 'InvalidProof'
  /** Execution needed a node or value the proof does not hold. */
  | 'IncompleteProof'
  | BlockExecutionFailure
  /** The runtime failed otherwise (a panic in Substrate's terms). */
  | 'ExecutionFailed';

export class StatelessValidationError extends Error {
  override name = 'StatelessValidationError';
  constructor(
    readonly reason: StatelessValidationFailure,
    message: string,
    /** The error behind it (an IncompleteProofError names the missing node). */
    override readonly cause?: unknown,
  ) {
    super(`${reason}: ${message}`);
  }
}

export interface StatelessBlockInput<T = undefined> {
  /**
   * The chain's runtime: a factory (e.g. `profile.make`) that gets `{ storageRoot: proofStorageRoot }`, or a
   * runtime already made with a `storageRoot` that handles a `ProofBackend` (`proofStorageRoot` or
   * `withProofStorageRoot(...)`); reuse one across validations to skip assembling it each time.
   */
  runtime: ChainRuntime | ((host: HostFunctions) => ChainRuntime);
  /** The state root of the parent block (from the parent head the validator trusts). */
  parentStateRoot: Uint8Array;
  /** The block without its seal (its header as the runtime computed it). */
  block: { header: Header; extrinsics: Uint8Array[] };
  /** Storage proof items (any order, duplicates allowed). */
  proof: readonly Uint8Array[];
  limits?: ProofLimits;
  /**
   * Reads the candidate's outputs (e.g. parachain-system's `candidateOutputs`), run in the runtime's env over the
   * post-state after a successful execution; a read the proof cannot answer fails the validation as
   * `IncompleteProof` (the collator proves such reads with `proveBlock`'s `readOutputs` / `outputKeys`).
   */
  readOutputs?: () => T;
}

export interface StatelessBlockOutcome<T = undefined> {
  /** The post-state: reads of keys the block wrote, or that the proof holds; other reads throw IncompleteProofError. */
  postState: ProofBackend;
  stateRoot: Uint8Array;
  /** The block's net storage changes, in key order (null = deleted). */
  changes: Array<[Uint8Array, Uint8Array | null]>;
  /** Distinct proof items and their bytes. */
  proofItems: number;
  proofBytes: number;
  /** Distinct items the execution used (the others were dead weight in the PoV). */
  proofItemsUsed: number;
  /** What `readOutputs` returned (undefined without it). */
  outputs: T;
}

export type StatelessValidationResult<T = undefined> =
  | ({ ok: true } & StatelessBlockOutcome<T>)
  | { ok: false; error: StatelessValidationError };

/** Executes `block` against `proof` only. Never throws for a bad block or proof: the failure is the result. */
export function validateBlockStateless<T = undefined>(
  input: StatelessBlockInput<T>,
): StatelessValidationResult<T> {
  let backend: ProofBackend | undefined;
  let postState: ProofBackend | undefined;
  try {
    const chain =
      typeof input.runtime === 'function' ? input.runtime({ storageRoot: proofStorageRoot }) : input.runtime;
    const { executive, runtime } = chain;
    const db = new ProofDatabase(input.proof, input.limits);
    backend = new ProofBackend(new ProofTrie(input.parentStateRoot, db, executive.stateVersion));
    const overlay = new Overlay(backend);
    runtime.execute(overlay, () => executive.executeBlock(input.block));
    const changes = overlay.drainChanges();
    const post = proofTrieWithChanges(backend, changes);
    const stateRoot = backend.guard(() => post.root());
    // Runtime code may have swallowed a proof failure and still reached the header's root: it is not valid.
    if (backend.missing || backend.invalid) return failure([backend], undefined);
    const after = new ProofBackend(post);
    postState = after;
    const outputs = (
      input.readOutputs ? runtime.execute(new Overlay(after), input.readOutputs) : undefined
    ) as T;
    if (after.missing || after.invalid) return failure([after], undefined);
    return {
      ok: true,
      postState: after,
      outputs,
      stateRoot,
      changes,
      proofItems: db.size,
      proofBytes: db.bytes,
      proofItemsUsed: db.usedCount,
    };
  } catch (err) {
    return failure([backend, postState], err);
  }
}

function failure(
  backends: Array<ProofBackend | undefined>,
  err: unknown,
): { ok: false; error: StatelessValidationError } {
  // A proof failure anywhere during execution decides, whatever error the runtime turned it into.
  const missing =
    backends.find((b) => b?.missing)?.missing ?? (err instanceof IncompleteProofError ? err : undefined);
  const invalid =
    backends.find((b) => b?.invalid)?.invalid ?? (err instanceof InvalidProofError ? err : undefined);
  let error: StatelessValidationError;
  if (invalid) error = new StatelessValidationError('InvalidProof', invalid.message, invalid);
  else if (missing) error = new StatelessValidationError('IncompleteProof', missing.message, missing);
  else if (err instanceof BlockExecutionError)
    error = new StatelessValidationError(err.reason, err.message, err);
  else error = new StatelessValidationError('ExecutionFailed', (err as Error)?.message ?? String(err), err);
  return { ok: false, error };
}
