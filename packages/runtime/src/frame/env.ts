/**
 * The ambient externalities (as sp_io in Substrate): the state overlay and the runtime that pallet code runs
 * against. The executive (or a test) enters them with `withEnv` for the duration of a block or a runtime API call;
 * storage items, `deposit`, `error`, `config()` read them from here. Runtime code is synchronous, so exactly one
 * env is current at any moment; `withEnv` nests and always restores the previous one.
 */
import type { Codec } from '../scale/codec.ts';
import type { Overlay } from '../state/overlay.ts';
import type { AccountKind } from './account.ts';
import type { RuntimeVersion } from './runtime-version.ts';

/** What the composed runtime offers pallet code (implemented by `defineRuntime`). */
export interface RuntimeEnv {
  palletIndex(palletName: string): number;
  palletConfig(palletName: string): unknown;
  /** Encodes `event` as the pallet's variant of RuntimeEvent and hands it to System. */
  depositEvent(palletName: string, event: unknown, topics?: Uint8Array[]): void;
  readonly callCodec: Codec<any>;
  readonly eventCodec: Codec<any>;
  readonly version: RuntimeVersion;
  /** `T::AccountId` and `T::Lookup` of this runtime. */
  readonly accounts: AccountKind;
  /** Dispatches a RuntimeCall value (what Sudo, Utility and XCM Transact do with the calls they carry). */
  dispatch(call: any, origin: any): { ok: boolean; error?: unknown; postInfo: unknown };
  /** The declared weight/class/pays of a RuntimeCall value. */
  callInfo(call: any): { weight: { refTime: number; proofSize: number }; class: string; paysFee: string };
}

export interface Env {
  state: Overlay;
  runtime: RuntimeEnv;
}

export class NoEnvError extends Error {
  override name = 'NoEnvError';
  constructor(what: string) {
    super(`${what} needs runtime externalities: run it inside runtime.execute(state, fn) / withEnv(env, fn)`);
  }
}

let current: Env | undefined;

export function withEnv<T>(env: Env, fn: () => T): T {
  const previous = current;
  current = env;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

export function currentEnv(what = 'storage access'): Env {
  if (!current) throw new NoEnvError(what);
  return current;
}

/** The state overlay of the current env (hot path: one module-variable read). */
export function state(): Overlay {
  if (!current) throw new NoEnvError('storage access');
  return current.state;
}

export function hasEnv(): boolean {
  return current !== undefined;
}

let codecRuntime: RuntimeEnv | undefined;

/**
 * The runtime whose types late-bound codecs (`AccountId`, `RuntimeCallRef`) resolve to: the current env's, or,
 * outside any env, the runtime whose outer enum is being encoded or decoded (see `bindCodecToRuntime`).
 */
export function currentRuntime(): RuntimeEnv | undefined {
  return current?.runtime ?? codecRuntime;
}

/** Runs `fn` with `runtime` as the runtime of late-bound codecs when no env is current. */
export function withCodecRuntime<T>(runtime: RuntimeEnv, fn: () => T): T {
  if (current || codecRuntime === runtime) return fn();
  const previous = codecRuntime;
  codecRuntime = runtime;
  try {
    return fn();
  } finally {
    codecRuntime = previous;
  }
}
