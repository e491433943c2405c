/**
 * frame_executive: block initialization, extrinsic application, finalization, whole-block execution with root
 * checks, and transaction-pool validation. Every method runs inside the runtime's ambient env (call it through
 * the runtime APIs, or wrap direct calls in `executive.run(overlay, fn)`).
 *
 * State discipline: `applyExtrinsic` leaves no trace when it returns a TransactionValidityError (as the block
 * builder's storage transaction does in Substrate); `validateTransaction` never changes state.
 */
import { extrinsicsRoot } from '../block/block.ts';
import type { SignatureKind, SignatureVerifier } from '../crypto/signatures.ts';
import type { Digest } from '../block/digest.ts';
import type { Header } from '../block/header.ts';
import type { ExtensionEnv, FeeConfig } from '../extrinsic/extensions/extension.ts';
import { computeFeeRaw, type FeeDetails, finalFee } from '../extrinsic/extensions/fees.ts';
import {
  combineValidity,
  invalid,
  type TransactionSource,
  TransactionValidityError,
  type TransactionValidityErrorValue,
  unknown,
  type ValidTransaction,
} from '../extrinsic/transaction-validity.ts';
import {
  type DecodedExtrinsic,
  decodeExtrinsic,
  encodeExtrinsic,
  type ExtrinsicFormat,
  signingPayload,
} from '../extrinsic/unchecked-extrinsic.ts';
import type { DispatchError } from '../frame/dispatch-error.ts';
import { state } from '../frame/env.ts';
import { noneOrigin, signedOrigin } from '../frame/origin.ts';
import type { RuntimeCallValue } from '../frame/pallet.ts';
import type { Runtime } from '../frame/runtime.ts';
import { addWeight, type DispatchInfo, subWeight, totalConsumed, type Weight } from '../frame/weights.ts';
import type { ResultValue } from '../scale/index.ts';
import type { Overlay } from '../state/overlay.ts';
import type { StateVersion } from '../trie/trie.ts';
import { BlockExecutionError } from './errors.ts';
import type { CheckInherentsResult, InherentProvider } from './inherents.ts';
import type { ExecutiveSystem } from './system-interface.ts';

export type ApplyExtrinsicResult = ResultValue<
  ResultValue<undefined, DispatchError>,
  TransactionValidityErrorValue
>;
export type TransactionValidity = ResultValue<ValidTransaction, TransactionValidityErrorValue>;
/** One host signature check: what the runtime asks `verifySignature` for a signed extrinsic. */
export interface SignatureCheck {
  kind: SignatureKind;
  signature: Uint8Array;
  message: Uint8Array;
  signer: Uint8Array;
}
export type ExtrinsicInclusionMode = { type: 'AllExtrinsics' } | { type: 'OnlyInherents' };

export interface ExecutiveConfig {
  runtime: Runtime;
  format: ExtrinsicFormat<RuntimeCallValue>;
  system: ExecutiveSystem;
  fees: FeeConfig;
  /** sp_io::storage::root: the state root of `overlay` (its backend plus pending changes) in `version`. */
  storageRoot(overlay: Overlay, version: StateVersion): Uint8Array;
  inherents?: readonly InherentProvider[];
  /**
   * The host's signature check (`sp_io::crypto::*_verify`), used for every signed extrinsic; absent = the plain
   * check. A node may supply one that remembers signatures it already verified (its pool admission) so authoring
   * does not verify them again; the answer must stay exactly that of the plain check.
   */
  verifySignature?: SignatureVerifier;
  /** `ValidateUnsigned::validate_unsigned` for bare non-inherent calls; absent = NoUnsignedValidator. */
  validateUnsigned?(source: TransactionSource, call: RuntimeCallValue): ValidTransaction;
}

export interface RuntimeDispatchInfo {
  weight: Weight;
  class: DispatchInfo['class'];
  partial_fee: bigint;
}

const U64_ZERO_WEIGHT = (w: Weight) => w.refTime === 0 && w.proofSize === 0;

export class Executive {
  readonly runtime: Runtime;
  readonly format: ExtrinsicFormat<RuntimeCallValue>;
  readonly system: ExecutiveSystem;
  readonly env: ExtensionEnv;
  readonly #config: ExecutiveConfig;

  constructor(config: ExecutiveConfig) {
    this.#config = config;
    this.runtime = config.runtime;
    this.format = config.format;
    this.system = config.system;
    const { system } = config;
    const version = config.runtime.version;
    this.env = {
      blockNumber: () => system.blockNumber(),
      blockHash: (n) => system.blockHash(n),
      specVersion: version.spec_version,
      transactionVersion: version.transaction_version,
      account: (who) => system.account(who),
      setNonce: (who, nonce) => system.setNonce(who, nonce),
      blockWeight: () => system.blockWeight(),
      setBlockWeight: (w) => system.setBlockWeight(w),
      allExtrinsicsLen: () => system.allExtrinsicsLen(),
      setAllExtrinsicsLen: (n) => system.setAllExtrinsicsLen(n),
      blockWeights: system.blockWeights,
      blockLength: system.blockLength,
      fees: config.fees,
    };
  }

  /** Runs `fn` with `overlay` as the current state (what a runtime API call does). */
  run<T>(overlay: Overlay, fn: () => T): T {
    return this.runtime.execute(overlay, fn);
  }

  /** Trie layout of the state: V0 for system_version 0, V1 from 1 on (RuntimeVersion::state_version). */
  get stateVersion(): StateVersion {
    return this.runtime.version.system_version >= 1 ? 1 : 0;
  }

  // ---- block production / import -------------------------------------------------------------------------

  initializeBlock(header: Header): ExtrinsicInclusionMode {
    const { system, runtime } = this;
    // Only pre-runtime digests go in; the runtime re-derives everything else (as extract_pre_digest).
    const digest: Digest = { logs: header.digest.logs.filter((l) => l.type === 'PreRuntime') };
    system.resetEvents();
    let w: Weight = { refTime: 0, proofSize: 0 };
    if (system.runtimeUpgraded()) w = addWeight(w, runtime.onRuntimeUpgrade());
    system.initialize(header.number, header.parentHash, digest);
    w = addWeight(w, runtime.onInitialize(header.number));
    w = addWeight(w, system.blockWeights.base_block);
    system.registerExtraWeightUnchecked(w, 'Mandatory');
    system.noteFinishedInitialize();
    return { type: 'AllExtrinsics' };
  }

  /**
   * Applies one extrinsic to the block being built. Bytes that are not an extrinsic throw `ExtrinsicDecodeError`
   * (Substrate fails the runtime call); an invalid transaction returns `{ err }` and changes nothing; a valid one
   * returns `{ ok: { ok } }` or `{ ok: { err: DispatchError } }` (fees charged, call reverted).
   */
  applyExtrinsic(bytes: Uint8Array): ApplyExtrinsicResult {
    return this.applyDecoded(decodeExtrinsic(this.format, bytes));
  }

  applyDecoded(xt: DecodedExtrinsic<RuntimeCallValue>): ApplyExtrinsicResult {
    const overlay = state();
    overlay.startTransaction();
    try {
      const r = this.#apply(xt);
      overlay.commitTransaction();
      return { ok: r };
    } catch (err) {
      overlay.rollbackTransaction();
      if (err instanceof TransactionValidityError) return { err: err.value };
      throw err;
    }
  }

  #apply(xt: DecodedExtrinsic<RuntimeCallValue>): ResultValue<undefined, DispatchError> {
    const { env, system, runtime } = this;
    const pipeline = this.format.extensions;
    const len = xt.encoded.length;
    const who = xt.signed ? this.#check(xt) : undefined;
    const info = runtime.callInfo(xt.call);
    // The first non-inherent ends the inherents (Executive::inherents_applied).
    if ((who || !this.#isInherent(xt.call)) && !system.inherentsApplied()) system.noteInherentsApplied();
    system.noteExtrinsic(xt.encoded);
    let outcome: ReturnType<Runtime['dispatch']>;
    if (who) {
      const extra = xt.signed!.extra;
      const { vals } = pipeline.validate(env, who, extra, info, len);
      const pres = pipeline.prepare(env, who, extra, info, len, vals);
      outcome = runtime.dispatch(xt.call, signedOrigin(who));
      pipeline.postDispatch(env, pres, info, outcome.postInfo, len, outcome.ok);
    } else {
      pipeline.bareValidateAndPrepare(env, info, len);
      // ValidateUnsigned::pre_dispatch: unsigned (non-inherent) calls are re-validated at inclusion.
      if (!this.#isInherent(xt.call)) this.#config.validateUnsigned?.('InBlock', xt.call);
      outcome = runtime.dispatch(xt.call, noneOrigin());
      pipeline.barePostDispatch(env, info, outcome.postInfo);
    }
    // An inherent may not fail: the whole block would be invalid.
    if (!outcome.ok && info.class === 'Mandatory') throw invalid('BadMandatory');
    system.noteAppliedExtrinsic(
      outcome.ok ? { ok: true } : { ok: false, error: outcome.error },
      info,
      outcome.postInfo,
    );
    return outcome.ok ? { ok: undefined } : { err: outcome.error };
  }

  /** `Checkable::check`: resolve the signer, build the signing payload, verify. Returns the signer. */
  #check(xt: DecodedExtrinsic<RuntimeCallValue>): Uint8Array {
    const { scheme, extensions } = this.format;
    const signed = xt.signed!;
    const who = scheme.lookup(signed.address);
    const implicit = extensions.encodeImplicit(this.env, signed.extra);
    const payload = signingPayload(xt.callBytes, xt.extraBytes, implicit);
    if (!scheme.verify(signed.signature, payload, who, this.#config.verifySignature))
      throw invalid('BadProof');
    return who;
  }

  finalizeBlock(): Header {
    const { system, runtime } = this;
    // A block of inherents only: no transaction marked their end.
    if (!system.inherentsApplied()) system.noteInherentsApplied();
    system.noteFinishedExtrinsics();
    const n = system.blockNumber();
    const remaining = subWeight(system.blockWeights.max_block, totalConsumed(system.blockWeight()));
    if (remaining.refTime > 0 && remaining.proofSize > 0) {
      const used = runtime.onIdle(n, remaining);
      if (!U64_ZERO_WEIGHT(used)) system.registerExtraWeightUnchecked(used, 'Mandatory');
    }
    runtime.onFinalize(n);
    return this.#finalizeHeader();
  }

  #finalizeHeader(): Header {
    const f = this.system.finalize();
    const extrinsicsRootHash = extrinsicsRoot(f.extrinsics, this.runtime.version.system_version);
    const stateRoot = this.#config.storageRoot(state(), this.stateVersion);
    return {
      parentHash: f.parentHash,
      number: f.number,
      stateRoot,
      extrinsicsRoot: extrinsicsRootHash,
      digest: f.digest,
    };
  }

  /**
   * Re-executes `block` on its parent state and checks it: parent hash, inherents first, every extrinsic valid,
   * digest, state root and extrinsics root as the header claims. The header must not carry the seal (import
   * strips it first, as in Substrate). Throws `BlockExecutionError`.
   */
  executeBlock(block: { header: Header; extrinsics: Uint8Array[] }): void {
    const { header } = block;
    this.initializeBlock(header);
    const n = header.number;
    const parent = n > 0 ? this.system.blockHash(n - 1) : undefined;
    if (!parent || !equal(parent, header.parentHash)) {
      throw new BlockExecutionError(
        'InvalidParentHash',
        `block #${n} does not build on the known block #${n - 1}`,
      );
    }
    const decoded = block.extrinsics.map((bytes, i) => {
      try {
        return decodeExtrinsic(this.format, bytes);
      } catch (err) {
        throw new BlockExecutionError('InvalidExtrinsic', (err as Error).message, i);
      }
    });
    let seenTransaction = false;
    decoded.forEach((xt, i) => {
      const inherent = !xt.signed && this.#isInherent(xt.call);
      if (inherent && seenTransaction) {
        throw new BlockExecutionError('InherentPosition', `inherent at index ${i} follows a transaction`, i);
      }
      if (!inherent) seenTransaction = true;
    });
    decoded.forEach((xt, i) => {
      const r = this.applyDecoded(xt);
      if ('err' in r) {
        const e = new TransactionValidityError(r.err);
        throw new BlockExecutionError('InvalidExtrinsic', `extrinsic ${i}: ${e.message}`, i);
      }
    });
    const computed = this.finalizeBlock();
    const logs = header.digest.logs;
    if (
      logs.length !== computed.digest.logs.length ||
      logs.some((l, i) => !equalJson(l, computed.digest.logs[i]))
    ) {
      throw new BlockExecutionError('DigestMismatch', 'digest items differ from those the runtime computed');
    }
    if (!equal(computed.stateRoot, header.stateRoot)) {
      throw new BlockExecutionError(
        'StateRootMismatch',
        `computed ${hex(computed.stateRoot)}, header says ${hex(header.stateRoot)}`,
      );
    }
    if (!equal(computed.extrinsicsRoot, header.extrinsicsRoot)) {
      throw new BlockExecutionError(
        'ExtrinsicsRootMismatch',
        `computed ${hex(computed.extrinsicsRoot)}, header says ${hex(header.extrinsicsRoot)}`,
      );
    }
  }

  #isInherent(call: RuntimeCallValue): boolean {
    return (this.#config.inherents ?? []).some((p) => p.isInherent(call));
  }

  // ---- transaction pool -----------------------------------------------------------------------------------

  /**
   * `TaggedTransactionQueue::validate_transaction` on top of block `blockHash` (the current state). Never changes
   * state. Bytes that are not an extrinsic throw `ExtrinsicDecodeError`.
   */
  validateTransaction(
    source: TransactionSource,
    bytes: Uint8Array,
    blockHash: Uint8Array,
  ): TransactionValidity {
    const overlay = state();
    overlay.startTransaction();
    try {
      const { system, env } = this;
      system.initialize(system.blockNumber() + 1, blockHash, { logs: [] });
      const xt = decodeExtrinsic(this.format, bytes);
      const len = xt.encoded.length;
      const who = xt.signed ? this.#check(xt) : undefined;
      const info = this.runtime.callInfo(xt.call);
      if (info.class === 'Mandatory') throw invalid('MandatoryValidation');
      if (who) return { ok: this.format.extensions.validate(env, who, xt.signed!.extra, info, len).validity };
      const valid = this.format.extensions.bareValidate(env, info, len);
      if (!this.#config.validateUnsigned) throw unknown('NoUnsignedValidator');
      const unsigned = this.#config.validateUnsigned(source, xt.call);
      return { ok: combineValidity(valid, unsigned) };
    } catch (err) {
      if (err instanceof TransactionValidityError) return { err: err.value };
      throw err;
    } finally {
      overlay.rollbackTransaction();
    }
  }

  /**
   * The host signature check `validateTransaction(_, bytes, blockHash)` would make, without making it: same
   * decoding, signer lookup and signing payload, with the scheme's verification routed to a recorder. A node uses
   * it to verify ahead of validation (on another thread) and remember the answer; the validation itself still runs
   * in full, so this is only a hint: a wrong one costs a verification, never a wrong verdict. Instead of writing the
   * block initialization validation starts with, the implicit data is computed against a view of the chain as it
   * would be after it (block number + 1, `blockHash` known as the current block's hash): the same values, for a
   * fifth of the cost. Undefined for bare or undecodable extrinsics and unknown signers. Never changes state.
   */
  signatureCheckFor(bytes: Uint8Array, blockHash: Uint8Array): SignatureCheck | undefined {
    try {
      const xt = decodeExtrinsic(this.format, bytes);
      if (!xt.signed) return undefined;
      const { scheme, extensions } = this.format;
      const signed = xt.signed;
      const who = scheme.lookup(signed.address);
      const { env } = this;
      const current = env.blockNumber();
      const afterInitialize: ExtensionEnv = {
        ...env,
        blockNumber: () => current + 1,
        blockHash: (n) => (n === current ? blockHash : env.blockHash(n)),
      };
      const implicit = extensions.encodeImplicit(afterInitialize, signed.extra);
      const payload = signingPayload(xt.callBytes, xt.extraBytes, implicit);
      let check: SignatureCheck | undefined;
      scheme.verify(signed.signature, payload, who, (kind, signature, message, signer) => {
        check ??= { kind, signature, message, signer };
        return false;
      });
      return check;
    } catch {
      return undefined;
    }
  }

  accountNonce(who: Uint8Array): number {
    return this.system.account(who).nonce;
  }

  // ---- fees (TransactionPaymentApi) -------------------------------------------------------------------------

  queryInfo(bytes: Uint8Array, len: number): RuntimeDispatchInfo {
    const xt = decodeExtrinsic(this.format, bytes);
    const info = this.runtime.callInfo(xt.call);
    const partial_fee = xt.signed ? finalFee(this.#feeDetails(info, len)) : 0n;
    return { weight: info.weight, class: info.class, partial_fee };
  }

  queryFeeDetails(bytes: Uint8Array, len: number): FeeDetails {
    const xt = decodeExtrinsic(this.format, bytes);
    if (!xt.signed) return { tip: 0n };
    return this.#feeDetails(this.runtime.callInfo(xt.call), len);
  }

  #feeDetails(info: DispatchInfo, len: number): FeeDetails {
    return computeFeeRaw(
      this.env.fees,
      this.env.blockWeights,
      len,
      info.weight,
      0n,
      info.paysFee === 'Yes',
      info.class,
    );
  }

  // ---- inherents --------------------------------------------------------------------------------------------

  inherentExtrinsics(data: Map<Uint8Array, Uint8Array>): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const p of this.#config.inherents ?? []) {
      const call = p.create(data);
      if (call) out.push(encodeExtrinsic(this.format, { call }));
    }
    return out;
  }

  checkInherents(
    block: { header: Header; extrinsics: Uint8Array[] },
    data: Map<Uint8Array, Uint8Array>,
  ): CheckInherentsResult {
    const result: CheckInherentsResult = { okay: true, fatal_error: false, errors: { data: new Map() } };
    for (const bytes of block.extrinsics) {
      const xt = decodeExtrinsic(this.format, bytes);
      // Inherents come first; the first signed extrinsic ends them.
      if (xt.signed) break;
      for (const p of this.#config.inherents ?? []) {
        if (!p.isInherent(xt.call) || !p.check) continue;
        const e = p.check(xt.call, data);
        if (!e) continue;
        result.okay = false;
        result.errors.data.set(
          Uint8Array.from(p.identifier, (c) => c.charCodeAt(0)),
          e.error,
        );
        if (e.fatal) {
          result.fatal_error = true;
          return result;
        }
      }
    }
    return result;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function equalJson(a: unknown, b: unknown): boolean {
  const norm = (x: unknown): unknown =>
    x instanceof Uint8Array
      ? hex(x)
      : Array.isArray(x)
        ? x.map(norm)
        : x && typeof x === 'object'
          ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, norm(v)]))
          : x;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

function hex(b: Uint8Array): string {
  return `0x${Buffer.from(b).toString('hex')}`;
}
