/**
 * Runtime composition (construct_runtime!): pallets at explicit indices with their configs, giving the outer
 * RuntimeCall / RuntimeEvent / RuntimeError enums, dispatch with origin checks and transactional rollback, hooks in
 * pallet index order, genesis, runtime APIs and RuntimeVersion.
 */
import { type AnyCodec, Codec, Codec as CodecClass } from '../scale/codec.ts';
import { enumeration, tuple } from '../scale/composite.ts';
import { Writer } from '../scale/io.ts';
import type { StateBackend } from '../state/backend.ts';
import { MemoryBackend } from '../state/memory-backend.ts';
import { Overlay } from '../state/overlay.ts';
import { ACCOUNT_32, type AccountKind } from './account.ts';
import { type DispatchError, DispatchFailure, type PostDispatchInfo } from './dispatch-error.ts';
import { type RuntimeEnv, state, withCodecRuntime, withEnv } from './env.ts';
import type { Origin } from './origin.ts';
import type { Pallet, RuntimeCallValue } from './pallet.ts';
import { apiId, type RuntimeApiImpl, type RuntimeVersion } from './runtime-version.ts';
import { addWeight, type DispatchInfo, subWeight, type Weight, weight, ZERO_WEIGHT } from './weights.ts';

/** FRAME's TRANSACTIONAL_LIMIT: nested storage layers beyond this fail with Transactional(LimitReached). */
export const TRANSACTIONAL_LIMIT = 255;

export type PalletEntry = readonly [index: number, pallet: Pallet<any, any, any>, config: unknown];
/** Checks each entry's config against its pallet's Config type. */
type CheckedEntries<P extends readonly PalletEntry[]> = {
  [I in keyof P]: P[I] extends readonly [number, Pallet<infer C, any, any>, unknown]
    ? readonly [number, P[I][1], C]
    : P[I];
};

/** What the extrinsic format contributes to metadata (supplied by the extrinsic module). */
export interface ExtrinsicMetadataInfo {
  version: number;
  address: AnyCodec;
  signature: AnyCodec;
  /** The tuple of signed extensions' explicit parts (`Extra`). */
  extra: AnyCodec;
  signedExtensions: ReadonlyArray<{ identifier: string; ty: AnyCodec; additionalSigned: AnyCodec }>;
  /** V14's extrinsic type (`UncheckedExtrinsic<Address, Call, Signature, Extra>`); built from the above if absent. */
  uncheckedExtrinsic?: AnyCodec;
}

export interface RuntimeSpec<P extends readonly PalletEntry[]> {
  pallets: P & CheckedEntries<P>;
  /** RuntimeVersion without `apis` (derived from `apis` below). */
  version: Omit<RuntimeVersion, 'apis'>;
  /** Rust crate name for the outer enums' paths (`<crate>::RuntimeCall`); default `<spec_name>_runtime`. */
  crate?: string;
  apis?: Array<RuntimeApiImpl | ((runtime: Runtime) => RuntimeApiImpl)>;
  /** frame_system's BaseCallFilter: calls from non-Root origins it rejects fail with System's CallFiltered. */
  callFilter?: (call: RuntimeCallValue, origin: Origin) => boolean;
  extrinsic?: ExtrinsicMetadataInfo;
  /** `T::AccountId` / `T::Lookup` (default: 32-byte accounts named by `MultiAddress`). */
  accounts?: AccountKind;
}

export type DispatchOutcome =
  | { ok: true; postInfo: PostDispatchInfo }
  | { ok: false; error: DispatchError; postInfo: PostDispatchInfo };

export interface ComposedPallet {
  index: number;
  pallet: Pallet<any, any, any>;
  config: unknown;
}

export class UnknownCallError extends Error {
  override name = 'UnknownCallError';
}

export class Runtime implements RuntimeEnv {
  /** In index order. */
  readonly pallets: readonly ComposedPallet[];
  readonly version: RuntimeVersion;
  readonly crate: string;
  readonly callCodec: Codec<RuntimeCallValue>;
  readonly eventCodec: Codec<{ type: string; value: any }>;
  readonly errorCodec: Codec<{ type: string; value: any }>;
  readonly apis: readonly RuntimeApiImpl[];
  readonly extrinsic: ExtrinsicMetadataInfo | undefined;
  readonly accounts: AccountKind;
  readonly #byName = new Map<string, ComposedPallet>();
  readonly #system: ComposedPallet;
  readonly #callFilter: RuntimeSpec<any>['callFilter'];
  readonly #apiMethods = new Map<string, { api: RuntimeApiImpl; method: string }>();

  constructor(spec: RuntimeSpec<readonly PalletEntry[]>) {
    this.pallets = [...spec.pallets]
      .map(([index, pallet, config]) => ({ index, pallet, config }))
      .sort((a, b) => a.index - b.index);
    for (const p of this.pallets) {
      if (!Number.isInteger(p.index) || p.index < 0 || p.index > 255)
        throw new Error(`pallet ${p.pallet.name}: index ${p.index} out of 0..255`);
      if (this.#byName.has(p.pallet.name)) throw new Error(`pallet ${p.pallet.name} included twice`);
      if (this.pallets.some((q) => q !== p && q.index === p.index))
        throw new Error(`pallet index ${p.index} used twice`);
      this.#byName.set(p.pallet.name, p);
    }
    const systems = this.pallets.filter((p) => p.pallet.system);
    if (systems.length !== 1)
      throw new Error(`a runtime needs exactly one System pallet, got ${systems.length}`);
    this.#system = systems[0];
    this.crate = spec.crate ?? `${spec.version.spec_name.replace(/-/g, '_')}_runtime`;
    this.#callFilter = spec.callFilter;
    this.extrinsic = spec.extrinsic;
    this.accounts = spec.accounts ?? ACCOUNT_32;

    const outer = (name: string, pick: (p: Pallet) => AnyCodec | undefined) =>
      enumeration(
        Object.fromEntries(
          this.pallets.flatMap(({ index, pallet }) => {
            const codec = pick(pallet);
            return codec ? [[pallet.name, [index, codec] as const]] : [];
          }),
        ),
      ).named([this.crate, name]) as Codec<any>;
    const bound = (codec: Codec<any>) => bindCodecToRuntime(codec, this);
    this.callCodec = bound(outer('RuntimeCall', (p) => p.callCodec));
    this.eventCodec = bound(outer('RuntimeEvent', (p) => p.events?.codec));
    this.errorCodec = bound(outer('RuntimeError', (p) => p.errors?.codec));

    this.apis = (spec.apis ?? []).map((a) => (typeof a === 'function' ? a(this) : a));
    for (const api of this.apis) {
      for (const method of Object.keys(api.api.methods)) {
        if (!api.methods[method]) throw new Error(`runtime API ${api.api.name}: ${method} not implemented`);
        this.#apiMethods.set(`${api.api.name}_${method}`, { api, method });
      }
    }
    this.version = {
      ...spec.version,
      apis: this.apis.map((a) => [apiId(a.api.name), a.api.version] as [Uint8Array, number]),
    };
  }

  // ---- RuntimeEnv (what pallet code sees through env.ts) -----------------------------------------------------

  palletIndex(palletName: string): number {
    return this.#entry(palletName).index;
  }

  palletConfig(palletName: string): unknown {
    return this.#entry(palletName).config;
  }

  depositEvent(palletName: string, event: unknown, topics: Uint8Array[] = []): void {
    const { index, pallet } = this.#entry(palletName);
    const w = new Writer(64);
    w.byte(index);
    pallet.events!.codec.write(w, event as any);
    this.#system.pallet.system!.depositEvent(w.finish(), topics);
  }

  #entry(name: string): ComposedPallet {
    const e = this.#byName.get(name);
    if (!e) throw new Error(`pallet ${name} is not part of runtime ${this.version.spec_name}`);
    return e;
  }

  pallet(name: string): ComposedPallet | undefined {
    return this.#byName.get(name);
  }

  // ---- execution --------------------------------------------------------------------------------------------

  /** Runs `fn` with `overlay` as the ambient state and this runtime as the ambient runtime. */
  execute<T>(overlay: Overlay, fn: () => T): T {
    return withEnv({ state: overlay, runtime: this }, fn);
  }

  /** What the call declares before running: weight, class, whether it pays (for fees and CheckWeight). */
  callInfo(call: RuntimeCallValue): DispatchInfo {
    const def = this.#callDef(call);
    return { weight: def.weight(call.value.value), class: def.class ?? 'Normal', paysFee: def.pays ?? 'Yes' };
  }

  /**
   * Dispatches `call` as `origin` in its own storage layer (every FRAME dispatchable is transactional): a
   * `DispatchFailure` rolls back all its writes and becomes the outcome's error. Anything else thrown is a runtime
   * bug (a Rust panic): its writes are rolled back too and it propagates.
   */
  dispatch(call: RuntimeCallValue, origin: Origin): DispatchOutcome {
    const def = this.#callDef(call);
    if (origin.type !== 'Root' && this.#callFilter && !this.#callFilter(call, origin)) {
      return { ok: false, error: this.#system.pallet.system!.callFilteredError(), postInfo: {} };
    }
    const overlay = state();
    if (overlay.transactionDepth >= TRANSACTIONAL_LIMIT) {
      return { ok: false, error: { type: 'Transactional', value: { type: 'LimitReached' } }, postInfo: {} };
    }
    try {
      const post = overlay.transactional(() => {
        const r = def.dispatch(origin, call.value.value);
        // Returning the failure (`return MyError.fail('X')`) is the same as throwing it.
        if (r instanceof DispatchFailure) throw r;
        return r;
      });
      return { ok: true, postInfo: post ?? {} };
    } catch (err) {
      if (err instanceof DispatchFailure) return { ok: false, error: err.error, postInfo: err.postInfo };
      throw err;
    }
  }

  #callDef(call: RuntimeCallValue) {
    const entry = this.#byName.get(call?.type);
    const def = entry?.pallet.calls[call?.value?.type];
    if (!def) throw new UnknownCallError(`no call ${call?.type}.${call?.value?.type} in this runtime`);
    return def;
  }

  decodeCall(bytes: Uint8Array): RuntimeCallValue {
    return this.callCodec.decode(bytes);
  }

  encodeCall(call: RuntimeCallValue): Uint8Array {
    return this.callCodec.encode(call);
  }

  // ---- hooks (pallet index order) ---------------------------------------------------------------------------

  onInitialize(n: number): Weight {
    let total: Weight = ZERO_WEIGHT;
    for (const { pallet } of this.pallets) {
      const w = pallet.hooks.onInitialize?.(n);
      if (w) total = addWeight(total, w);
    }
    return total;
  }

  onFinalize(n: number): void {
    for (const { pallet } of this.pallets) pallet.hooks.onFinalize?.(n);
  }

  /**
   * Offers the remaining weight to each pallet's onIdle in turn; returns the total used. As FRAME, the first pallet
   * asked rotates with the block number (`n % pallets`), so no pallet always gets the leftovers.
   */
  onIdle(n: number, remaining: Weight): Weight {
    let used: Weight = weight(0);
    const count = this.pallets.length;
    for (let i = 0; i < count; i++) {
      const { pallet } = this.pallets[(n + i) % count];
      if (!pallet.hooks.onIdle) continue;
      const w = pallet.hooks.onIdle(n, subWeight(remaining, used));
      if (w) used = addWeight(used, w);
    }
    return used;
  }

  onRuntimeUpgrade(): Weight {
    let total: Weight = ZERO_WEIGHT;
    for (const { pallet } of this.pallets) {
      const w = pallet.hooks.onRuntimeUpgrade?.();
      if (w) total = addWeight(total, w);
    }
    return total;
  }

  // ---- genesis ----------------------------------------------------------------------------------------------

  /**
   * Builds genesis state: each pallet's `genesis.build` (in index order) with `config[palletName]` or its default.
   * Returns the overlay holding the writes (call `drainChanges()` for the trie/DB).
   */
  buildGenesis(config: Record<string, unknown> = {}, backend: StateBackend = new MemoryBackend()): Overlay {
    for (const name of Object.keys(config)) {
      const p = this.#byName.get(name);
      if (!p) throw new Error(`genesis config for unknown pallet ${name}`);
      if (!p.pallet.genesis) throw new Error(`pallet ${name} has no genesis config`);
    }
    const overlay = new Overlay(backend);
    this.execute(overlay, () => {
      for (const { pallet } of this.pallets) {
        if (!pallet.genesis) continue;
        const g = config[pallet.name] ?? pallet.genesis.default?.();
        if (g !== undefined) pallet.genesis.build(g);
      }
    });
    return overlay;
  }

  // ---- runtime APIs -----------------------------------------------------------------------------------------

  hasApi(method: string): boolean {
    return this.#apiMethods.has(method);
  }

  /**
   * Calls runtime API `method` (`Core_version`, `Metadata_metadata_at_version`, ...) with SCALE `input` (the
   * arguments' encodings concatenated), against `overlay`; returns the SCALE-encoded output.
   */
  callApi(overlay: Overlay, method: string, input: Uint8Array): Uint8Array {
    const found = this.#apiMethods.get(method);
    if (!found) throw new UnknownCallError(`runtime API method ${method} not found`);
    const decl = found.api.api.methods[found.method];
    const args = tuple(...decl.inputs.map(([, c]) => c)).decode(input);
    return this.execute(overlay, () => decl.output.encode(found.api.methods[found.method](...args)));
  }
}

/**
 * The runtime's outer enum, encoding and decoding as this runtime even outside its env (a node decoding a block's
 * calls, a client building one): the accounts inside resolve to this runtime's account kind.
 */
function bindCodecToRuntime<T>(codec: Codec<T>, runtime: RuntimeEnv): Codec<T> {
  const c = new CodecClass<T>(
    (w, v) => withCodecRuntime(runtime, () => codec.write(w, v)),
    (r) => withCodecRuntime(runtime, () => codec.read(r)),
    () => withCodecRuntime(runtime, () => codec.info),
    codec.minLength,
    (a, b) => withCodecRuntime(runtime, () => codec.compare(a, b)),
  );
  return c;
}

export function defineRuntime<const P extends readonly PalletEntry[]>(spec: RuntimeSpec<P>): Runtime {
  return new Runtime(spec as RuntimeSpec<readonly PalletEntry[]>);
}
