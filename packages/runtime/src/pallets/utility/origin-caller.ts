/**
 * The runtime's `OriginCaller` (construct_runtime's `PalletsOrigin`): what `utility.dispatch_as` and
 * `DryRunApi.dry_run_call` take to name an origin. Variants are keyed by pallet index as construct_runtime makes them:
 * `system(frame_support::dispatch::RawOrigin<AccountId>)` at System's index, one variant per pallet that declares an
 * origin (registered here by that pallet's module, e.g. a parachain or XCM origin), and the uninhabited `Void` at
 * its position in the enum. The codec is late-bound: it encodes, decodes and describes itself as the current
 * runtime's enum.
 */
import { AccountId } from '../../frame/account.ts';
import { currentRuntime, type RuntimeEnv } from '../../frame/env.ts';
import { type Origin, noneOrigin, rootOrigin, signedOrigin } from '../../frame/origin.ts';
import type { Runtime } from '../../frame/runtime.ts';
import { type AnyCodec, Codec } from '../../scale/codec.ts';
import { enumeration } from '../../scale/composite.ts';

/** `frame_support::dispatch::RawOrigin<AccountId>` */
export const RawOriginCodec = enumeration({
  Root: [0],
  Signed: [1, AccountId],
  None: [2],
}).named(['frame_support', 'dispatch', 'RawOrigin'], { params: [{ name: 'AccountId', type: AccountId }] });

/** `sp_core::Void`: an enum without variants (nothing decodes to it). */
const VoidCodec: AnyCodec = (enumeration({}) as unknown as AnyCodec).named(['sp_core', 'Void']);

export interface OriginCallerValue {
  type: string;
  value: any;
}

/** A pallet's own origin as it appears in `OriginCaller` (pallet_xcm's `Origin`, parachains' `Origin`). */
export interface PalletOriginSpec {
  codec: AnyCodec;
  /** The dispatch origin this variant's value stands for. */
  toOrigin(value: any): Origin;
  /** The variant's value for `origin`, or undefined when `origin` is not this pallet's. */
  fromOrigin(origin: Origin): unknown;
}

const palletOrigins = new Map<string, PalletOriginSpec>();

/** Declares `palletName`'s origin; runtimes that include the pallet get its `OriginCaller` variant. */
export function registerPalletOrigin(palletName: string, spec: PalletOriginSpec): void {
  palletOrigins.set(palletName, spec);
}

export class UnknownOriginCallerError extends Error {
  override name = 'UnknownOriginCallerError';
}

interface Built {
  codec: Codec<OriginCallerValue>;
  pallets: Array<{ name: string; spec: PalletOriginSpec }>;
}

const built = new WeakMap<RuntimeEnv, Built>();

function build(rt: RuntimeEnv): Built {
  const cached = built.get(rt);
  if (cached) return cached;
  const runtime = rt as unknown as Runtime;
  const shape: Record<string, readonly [number, AnyCodec?]> = {
    system: [runtime.palletIndex('System'), RawOriginCodec],
  };
  const pallets: Built['pallets'] = [];
  for (const { index, pallet } of runtime.pallets) {
    const spec = palletOrigins.get(pallet.name);
    if (!spec) continue;
    shape[pallet.name] = [index, spec.codec];
    pallets.push({ name: pallet.name, spec });
  }
  // `Void` has no codec index: it takes its position, after the other variants.
  const used = new Set(Object.values(shape).map(([i]) => i));
  const voidIndex = Object.keys(shape).length;
  if (!used.has(voidIndex)) shape.Void = [voidIndex, VoidCodec];
  const codec = enumeration(shape).named([
    runtime.crate ?? 'runtime',
    'OriginCaller',
  ]) as Codec<OriginCallerValue>;
  const b = { codec, pallets };
  built.set(rt, b);
  return b;
}

function current(): Built {
  const rt = currentRuntime();
  if (!rt) throw new UnknownOriginCallerError('OriginCaller needs a runtime (run inside runtime.execute)');
  return build(rt);
}

class OriginCallerRefCodec extends Codec<OriginCallerValue> {
  constructor() {
    super(
      (w, v) => current().codec.write(w, v),
      (r) => current().codec.read(r),
      () => current().codec.info,
      1,
    );
  }

  override get info() {
    return current().codec.info;
  }
}

/** The current runtime's `OriginCaller`. */
export const OriginCallerRef: Codec<OriginCallerValue> = new OriginCallerRefCodec();

/** `OriginCaller` → the origin a call is dispatched with (`(*as_origin).into()`). */
export function originFromCaller(caller: OriginCallerValue): Origin {
  if (caller.type === 'system') {
    const raw = caller.value as { type: string; value?: Uint8Array };
    if (raw.type === 'Root') return rootOrigin();
    if (raw.type === 'None') return noneOrigin();
    if (raw.type === 'Signed' && raw.value instanceof Uint8Array) return signedOrigin(raw.value);
  }
  const pallet = current().pallets.find((p) => p.name === caller.type);
  if (pallet) return pallet.spec.toOrigin(caller.value);
  throw new UnknownOriginCallerError(`no origin ${String(caller.type)} in this runtime`);
}

/** An origin → its `OriginCaller` value. */
export function callerFromOrigin(origin: Origin): OriginCallerValue {
  switch (origin.type) {
    case 'Root':
      return { type: 'system', value: { type: 'Root' } };
    case 'None':
      return { type: 'system', value: { type: 'None' } };
    case 'Signed':
      return { type: 'system', value: { type: 'Signed', value: origin.who } };
  }
  for (const { name, spec } of current().pallets) {
    const v = spec.fromOrigin(origin);
    if (v !== undefined) return { type: name, value: v };
  }
  throw new UnknownOriginCallerError(`origin ${String(origin.type)} has no OriginCaller variant here`);
}
