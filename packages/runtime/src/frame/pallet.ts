/**
 * Pallet definition. A pallet is declared once, in the order a FRAME pallet module reads:
 *
 *   const p = pallet<MyConfig>('Template', { module: 'pallet_template' });
 *   export const Something = p.value('Something', u32);                          // OptionQuery
 *   export const Owners = p.map('Owners', ['Blake2_128Concat', AccountId32], u128, { default: 0n });
 *   export const TemplateEvent = p.events({ Stored: [0, { value: u32, who: AccountId32 }, ['A value was stored.']] });
 *   export const TemplateError = p.errors({ NoneValue: [0, ['Nothing stored yet.']] });
 *   export const Template = p.build({
 *     calls: {
 *       store: call(0, { value: u32 }, {
 *         weight: () => weight(10_000_000, 1_000),
 *         dispatch(origin, { value }) {
 *           const who = ensureSigned(origin);
 *           if (value > p.config().maxValue) throw TemplateError.fail('TooBig');
 *           Something.set(value);
 *           TemplateEvent.deposit({ type: 'Stored', value: { value, who } });
 *         },
 *       }),
 *     },
 *     constants: { MaxValue: constant(u32, (c) => c.maxValue) },
 *     hooks: { onInitialize: (n) => weight(0) },
 *     genesis: { build: (g: { initial: number }) => Something.set(g.initial) },
 *   });
 *
 * Storage, events, errors and `config()` reach state and runtime through the ambient env (env.ts), so pallet code
 * reads like FRAME code without threading a context through every helper. Other pallets are reached only through
 * the typed `Config` the runtime passes in (e.g. a `currency` adapter), never through their storage.
 */
import type { AnyCodec, Codec, Infer } from '../scale/codec.ts';
import { Codec as CodecClass } from '../scale/codec.ts';
import { enumeration, type StructShape, type StructValue, struct } from '../scale/composite.ts';
import { type DispatchError, DispatchFailure, type PostDispatchInfo } from './dispatch-error.ts';
import { currentEnv } from './env.ts';
import type { Origin } from './origin.ts';
import { type AnyStorageItem, storageBuilders } from './storage.ts';
import type { DispatchClass, Pays, Weight } from './weights.ts';

// ---- calls ----------------------------------------------------------------------------------------------------

export interface CallSpec<A> {
  /** Declared weight (pre-dispatch), from the decoded arguments. */
  weight: (args: A) => Weight;
  class?: DispatchClass;
  pays?: Pays;
  /** Runs the call. Throw a `DispatchFailure` (e.g. `MyError.fail('X')`, `ensureSigned`) to fail it: every write
   * it made is rolled back (returning the failure works too). Return post-dispatch info to report the actual
   * weight or waive the fee. */
  dispatch: (origin: Origin, args: A) => PostDispatchInfo | DispatchFailure | void;
  docs?: string[];
  /** Rust type names of the arguments for metadata (e.g. `{ dest: 'AccountIdLookupOf<T>' }`). */
  typeNames?: Partial<Record<keyof A, string>>;
}

export interface CallDef<A = any> extends CallSpec<A> {
  index: number;
  args: Codec<A>;
}

/** One dispatchable: explicit call index (`#[pallet::call_index(n)]`), named SCALE arguments, weight, body. */
export function call<S extends StructShape>(
  index: number,
  args: S,
  spec: CallSpec<StructValue<S>>,
): CallDef<StructValue<S>> {
  if (!Number.isInteger(index) || index < 0 || index > 255)
    throw new Error(`call index ${index} out of 0..255`);
  return { ...spec, index, args: struct(args, spec.typeNames as Partial<Record<keyof S, string>>) };
}

export type CallArgs<C> = C extends CallDef<infer A> ? A : never;
/** A pallet's call as a value of its `Call` enum: `{ type: 'transfer', value: { dest, value } }`. */
export type PalletCallValue<Calls extends Record<string, CallDef>> = {
  [K in keyof Calls]: { type: K; value: CallArgs<Calls[K]> };
}[keyof Calls];

// ---- events and errors ----------------------------------------------------------------------------------------

/** `[index, fields, docs]`: fields as `{ name: codec }` (named, as FRAME events are) or one codec; none for unit. */
export type EventSpec = readonly [index: number, fields?: StructShape | AnyCodec, docs?: string[]];
export type EventValue<S extends Record<string, EventSpec>> = {
  [K in keyof S]: S[K][1] extends AnyCodec
    ? { type: K; value: Infer<S[K][1]> }
    : S[K][1] extends StructShape
      ? { type: K; value: StructValue<S[K][1]> }
      : { type: K; value?: undefined };
}[keyof S];

export class PalletEvents<S extends Record<string, EventSpec> = Record<string, EventSpec>> {
  readonly codec: Codec<EventValue<S>>;
  constructor(
    readonly pallet: string,
    module: string,
    readonly spec: S,
  ) {
    const shape: Record<string, readonly [number, AnyCodec?, string[]?]> = {};
    for (const [name, [index, fields, docs]] of Object.entries(spec)) {
      const codec = fields === undefined ? undefined : fields instanceof CodecClass ? fields : struct(fields);
      shape[name] = [index, codec, docs ?? []];
    }
    this.codec = enumeration(shape).named([...module.split('::'), 'pallet', 'Event'], {
      docs: ['The `Event` enum of this pallet'],
    }) as unknown as Codec<EventValue<S>>;
  }

  /** Deposits the event into System.Events (with optional topics), as `Self::deposit_event`. */
  deposit(event: EventValue<S>, topics?: Uint8Array[]): void {
    currentEnv('deposit_event').runtime.depositEvent(this.pallet, event, topics);
  }
}

/** `[index, docs]` */
export type ErrorSpec = readonly [index: number, docs?: string[]];

export class PalletErrors<Name extends string = string> {
  readonly codec: Codec<{ type: Name }>;
  readonly #index: Map<string, number>;
  constructor(
    readonly pallet: string,
    module: string,
    readonly spec: Record<Name, ErrorSpec>,
  ) {
    const shape: Record<string, readonly [number, undefined, string[]]> = {};
    this.#index = new Map();
    for (const [name, [index, docs]] of Object.entries(spec) as Array<[string, ErrorSpec]>) {
      shape[name] = [index, undefined, docs ?? []];
      this.#index.set(name, index);
    }
    this.codec = enumeration(shape).named([...module.split('::'), 'pallet', 'Error'], {
      docs: ['The `Error` enum of this pallet.'],
    }) as unknown as Codec<{ type: Name }>;
  }

  /** `DispatchError::Module { index: <pallet index in the current runtime>, error: [i, 0, 0, 0] }` */
  error(name: Name): DispatchError {
    const i = this.#index.get(name);
    if (i === undefined) throw new Error(`${this.pallet} has no error ${name}`);
    const index = currentEnv('a pallet error').runtime.palletIndex(this.pallet);
    return { type: 'Module', value: { index, error: new Uint8Array([i, 0, 0, 0]) } };
  }

  /** The exception to throw: `throw Error.fail('InsufficientBalance')`. */
  fail(name: Name, postInfo?: PostDispatchInfo): DispatchFailure {
    return new DispatchFailure(this.error(name), postInfo, `${this.pallet}.${name}`);
  }

  /** Whether `e` is this pallet's error `name` in the current runtime. */
  is(e: DispatchError, name: Name): boolean {
    if (e.type !== 'Module') return false;
    const index = currentEnv('a pallet error').runtime.palletIndex(this.pallet);
    return e.value.index === index && e.value.error[0] === this.#index.get(name);
  }
}

// ---- constants, hooks, genesis --------------------------------------------------------------------------------

export interface ConstantDef<Config> {
  type: AnyCodec;
  /** The value from the pallet's config (and the runtime, for constants like System's `Version`). */
  value: (config: Config, runtime: RuntimeInfo) => unknown;
  docs?: string[];
}

export function constant<T, Config>(
  type: Codec<T>,
  value: (config: Config, runtime: RuntimeInfo) => T,
  docs?: string[],
): ConstantDef<Config> {
  return { type, value, docs };
}

/** What constants may read from the composed runtime. */
export interface RuntimeInfo {
  version: import('./runtime-version.ts').RuntimeVersion;
}

export interface Hooks {
  /** Start of block `n`, before any extrinsic; returns the weight it used. */
  onInitialize?(n: number): Weight | void;
  /** End of block `n`, after every extrinsic and `onIdle`. */
  onFinalize?(n: number): void;
  /** Spare block weight after the extrinsics; returns what it used (at most `remaining`). */
  onIdle?(n: number, remaining: Weight): Weight | void;
  /** First block after a runtime upgrade. */
  onRuntimeUpgrade?(): Weight | void;
}

export interface GenesisDef<G> {
  /** The pallet's genesis config when the chain spec gives none. */
  default?: () => G;
  /** Writes initial state; runs inside the runtime env with a fresh overlay. */
  build: (config: G) => void;
}

/** System-only duties the runtime delegates (recording events, the call-filter error). */
export interface SystemDuties {
  depositEvent(encodedEvent: Uint8Array, topics: Uint8Array[]): void;
  callFilteredError(): DispatchError;
}

// ---- the pallet -----------------------------------------------------------------------------------------------

export interface PalletSpec<Config, Calls extends Record<string, CallDef>, G> {
  docs?: string[];
  calls?: Calls;
  constants?: Record<string, ConstantDef<Config>>;
  hooks?: Hooks;
  genesis?: GenesisDef<G>;
  /** Only frame_system sets this. */
  system?: SystemDuties;
}

export interface Pallet<
  Config = any,
  Calls extends Record<string, CallDef> = Record<string, CallDef>,
  G = any,
> {
  readonly name: string;
  /**
   * Rust module path prefix of the pallet's types, e.g. `pallet_balances` (→ `pallet_balances::pallet::Call`); may have
   * several segments (`polkadot_runtime_parachains::hrmp` → `polkadot_runtime_parachains::hrmp::pallet::Call`).
   */
  readonly module: string;
  readonly docs: string[];
  readonly storage: readonly AnyStorageItem[];
  readonly calls: Calls;
  readonly callCodec: Codec<PalletCallValue<Calls>> | undefined;
  readonly events: PalletEvents<any> | undefined;
  readonly errors: PalletErrors<any> | undefined;
  readonly constants: Record<string, ConstantDef<Config>>;
  readonly hooks: Hooks;
  readonly genesis: GenesisDef<G> | undefined;
  readonly system: SystemDuties | undefined;
  /** Builds a `RuntimeCall` value for this pallet's call: `Balances.tx.transfer_keep_alive({ dest, value })`. */
  readonly tx: { [K in keyof Calls]: (args: CallArgs<Calls[K]>) => RuntimeCallValue };
  /** The config the current runtime gives this pallet. */
  config(): Config;
  /** Phantom, for typing runtime entries. */
  readonly __config?: Config;
}

/** A value of the outer `RuntimeCall` enum: pallet name, then the pallet's call. */
export interface RuntimeCallValue {
  type: string;
  value: { type: string; value: any };
}

export class PalletBuilder<Config> {
  readonly storage: AnyStorageItem[] = [];
  #events: PalletEvents<any> | undefined;
  #errors: PalletErrors<any> | undefined;
  readonly #items: ReturnType<typeof storageBuilders>;

  constructor(
    readonly name: string,
    readonly module: string,
  ) {
    this.#items = storageBuilders(name);
  }

  #track<T extends AnyStorageItem>(item: T): T {
    if (this.storage.some((s) => s.name === item.name))
      throw new Error(`${this.name}: duplicate storage ${item.name}`);
    this.storage.push(item);
    return item;
  }

  /** `StorageValue` (see storage.ts for query kinds). */
  value: ReturnType<typeof storageBuilders>['value'] = ((name: string, codec: AnyCodec, opts?: any) =>
    this.#track(this.#items.value(name, codec, opts))) as any;
  map: ReturnType<typeof storageBuilders>['map'] = ((name: string, key: any, codec: AnyCodec, opts?: any) =>
    this.#track(this.#items.map(name, key, codec, opts))) as any;
  doubleMap: ReturnType<typeof storageBuilders>['doubleMap'] = ((
    name: string,
    k1: any,
    k2: any,
    codec: AnyCodec,
    opts?: any,
  ) => this.#track(this.#items.doubleMap(name, k1, k2, codec, opts))) as any;
  nMap: ReturnType<typeof storageBuilders>['nMap'] = ((
    name: string,
    keys: any,
    codec: AnyCodec,
    opts?: any,
  ) => this.#track(this.#items.nMap(name, keys, codec, opts))) as any;

  events<S extends Record<string, EventSpec>>(spec: S): PalletEvents<S> {
    this.#events = new PalletEvents(this.name, this.module, spec);
    return this.#events;
  }

  errors<S extends Record<string, ErrorSpec>>(spec: S): PalletErrors<Extract<keyof S, string>> {
    this.#errors = new PalletErrors(
      this.name,
      this.module,
      spec as Record<Extract<keyof S, string>, ErrorSpec>,
    );
    return this.#errors;
  }

  /** This pallet's config in the current runtime (FRAME's `T::Something::get()`). */
  config(): Config {
    return currentEnv('config()').runtime.palletConfig(this.name) as Config;
  }

  build<Calls extends Record<string, CallDef> = {}, G = undefined>(
    spec: PalletSpec<Config, Calls, G> = {},
  ): Pallet<Config, Calls, G> {
    const calls = (spec.calls ?? {}) as Calls;
    const name = this.name;
    const callEntries = Object.entries(calls);
    const seen = new Set<number>();
    for (const [callName, def] of callEntries) {
      if (seen.has(def.index)) throw new Error(`${name}: call index ${def.index} used twice (${callName})`);
      seen.add(def.index);
    }
    const callCodec =
      callEntries.length === 0
        ? undefined
        : (enumeration(
            Object.fromEntries(
              callEntries.map(([n, def]) => [n, [def.index, def.args, def.docs ?? []] as const]),
            ),
          ).named([...this.module.split('::'), 'pallet', 'Call'], {
            docs: ['Contains a variant per dispatchable extrinsic that this pallet has.'],
          }) as unknown as Codec<PalletCallValue<Calls>>);
    const tx = Object.fromEntries(
      callEntries.map(([callName]) => [
        callName,
        (args: unknown) => ({ type: name, value: { type: callName, value: args } }),
      ]),
    ) as Pallet<Config, Calls, G>['tx'];
    return {
      name,
      module: this.module,
      docs: spec.docs ?? [],
      storage: this.storage,
      calls,
      callCodec,
      events: this.#events,
      errors: this.#errors,
      constants: spec.constants ?? {},
      hooks: spec.hooks ?? {},
      genesis: spec.genesis,
      system: spec.system,
      tx,
      config: () => this.config(),
    };
  }
}

/** Starts a pallet definition; `module` defaults to `pallet_<snake_case name>`. */
export function pallet<Config = {}>(name: string, opts: { module?: string } = {}): PalletBuilder<Config> {
  const module = opts.module ?? `pallet_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;
  return new PalletBuilder<Config>(name, module);
}
