/**
 * A runtime's ordered list of transaction extensions acting as one (the `TxExtension` tuple): the extra tuple
 * carried by signed extrinsics, the implicit tuple appended to the signing payload, and the combined
 * validate / prepare / postDispatch. The order is the wire order: polkadot-js reads it from metadata's
 * `extrinsic.signedExtensions`, which `metadata()` returns.
 */
import { type AnyCodec, type Codec, tuple } from '../../scale/index.ts';
import { combineValidity, defaultValidity, type ValidTransaction } from '../transaction-validity.ts';
import type { ExtensionEnv, TransactionExtension } from './extension.ts';
import type { DispatchInfo, PostDispatchInfo } from './weights.ts';

export interface ExtensionMetadata {
  identifier: string;
  /** Type of the data in the extrinsic. */
  ty: AnyCodec;
  /** Type of the data only in the signed payload. */
  additionalSigned: AnyCodec;
}

export class ExtensionPipeline {
  /** The `Extra` tuple as it appears in a signed extrinsic (one value per extension, in order). */
  readonly extra: Codec<unknown[]>;
  readonly implicit: Codec<unknown[]>;

  constructor(readonly extensions: readonly TransactionExtension[]) {
    const seen = new Set<string>();
    for (const e of extensions) {
      if (seen.has(e.identifier)) throw new Error(`transaction extension ${e.identifier} listed twice`);
      seen.add(e.identifier);
    }
    this.extra = tuple(...extensions.map((e) => e.extra)) as Codec<unknown[]>;
    this.implicit = tuple(...extensions.map((e) => e.implicit)) as Codec<unknown[]>;
  }

  metadata(): ExtensionMetadata[] {
    return this.extensions.map((e) => ({
      identifier: e.identifier,
      ty: e.extra,
      additionalSigned: e.implicit,
    }));
  }

  /** The additionalSigned bytes for `extra` (throws e.g. AncientBirthBlock). */
  encodeImplicit(env: ExtensionEnv, extra: unknown[]): Uint8Array {
    return this.implicit.encode(this.extensions.map((e, i) => e.computeImplicit(env, extra[i])));
  }

  /** Validates every extension in order (the first rejection wins); returns combined validity and vals. */
  validate(env: ExtensionEnv, who: Uint8Array, extra: unknown[], info: DispatchInfo, len: number) {
    let validity = defaultValidity();
    const vals: unknown[] = new Array(this.extensions.length);
    for (let i = 0; i < this.extensions.length; i++) {
      const r = this.extensions[i].validate({ env, who, extra: extra[i], info, len });
      if (r.validity) validity = combineValidity(validity, r.validity);
      vals[i] = r.val;
    }
    return { validity, vals };
  }

  prepare(
    env: ExtensionEnv,
    who: Uint8Array,
    extra: unknown[],
    info: DispatchInfo,
    len: number,
    vals: unknown[],
  ) {
    const pres: unknown[] = new Array(this.extensions.length);
    for (let i = 0; i < this.extensions.length; i++) {
      pres[i] = this.extensions[i].prepare({ env, who, extra: extra[i], info, len }, vals[i]);
    }
    return pres;
  }

  postDispatch(
    env: ExtensionEnv,
    pres: unknown[],
    info: DispatchInfo,
    post: PostDispatchInfo,
    len: number,
    ok: boolean,
  ) {
    for (let i = 0; i < this.extensions.length; i++) {
      this.extensions[i].postDispatch?.({ env, pre: pres[i], info, post, len, ok });
    }
  }

  bareValidate(env: ExtensionEnv, info: DispatchInfo, len: number): ValidTransaction {
    let validity = defaultValidity();
    for (const e of this.extensions) {
      const v = e.bareValidate?.(env, info, len);
      if (v) validity = combineValidity(validity, v);
    }
    return validity;
  }

  bareValidateAndPrepare(env: ExtensionEnv, info: DispatchInfo, len: number): void {
    for (const e of this.extensions) e.bareValidateAndPrepare?.(env, info, len);
  }

  barePostDispatch(env: ExtensionEnv, info: DispatchInfo, post: PostDispatchInfo): void {
    for (const e of this.extensions) e.barePostDispatch?.(env, info, post);
  }
}
