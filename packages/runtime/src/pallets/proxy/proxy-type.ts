/**
 * `T::ProxyType`: the kinds of proxy a runtime offers, each an `InstanceFilter<RuntimeCall>` (which calls a proxy of
 * that kind may make) with `is_superset`, and a `Default` that must be the most permissive (`Any`). A runtime
 * declares its enum (names and codec indices, as its Rust enum) and the filters; the pallet's types refer to it
 * late-bound, as they do to the account type.
 */
import { currentRuntime } from '../../frame/env.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import { Codec } from '../../scale/codec.ts';
import { enumeration } from '../../scale/composite.ts';

/** A value of the runtime's ProxyType enum: `{ type: 'Any' }`. */
export interface ProxyTypeValue {
  type: string;
}

export interface ProxyTypeDef {
  /** The enum's codec (`<runtime>::ProxyType`, unit variants). */
  readonly codec: Codec<ProxyTypeValue>;
  /** `Default::default()`: the most permissive kind. */
  readonly default: string;
  /** `InstanceFilter::filter`: may a proxy of `kind` make `call`? */
  filter(kind: string, call: RuntimeCallValue): boolean;
  /** `InstanceFilter::is_superset`: does `kind` allow at least everything `other` allows? */
  isSuperset(kind: string, other: string): boolean;
}

/** Calls a `NonTransfer` proxy may not make: anything that moves balances or assets. */
const TRANSFER_PALLETS = new Set([
  'Balances',
  'Assets',
  'ForeignAssets',
  'XTokens',
  'PolkadotXcm',
  'XcmPallet',
]);

/**
 * Polkadot's CancelProxy filter: `Proxy::reject_announcement`, and Utility / Multisig calls (whose inner calls meet
 * the same filter again when they are dispatched).
 */
function isCancelProxyCall(call: RuntimeCallValue): boolean {
  if (call.type === 'Proxy') return call.value.type === 'reject_announcement';
  return call.type === 'Utility' || call.type === 'Multisig';
}

/**
 * The `Any` / `NonTransfer` / `CancelProxy` kinds (as Polkadot's and Asset Hub's runtimes define them), at the
 * codec indices `indices` gives (Polkadot: 0, 1, 6; Asset Hub and the parachain template: 0, 1, 2).
 */
export function standardProxyTypes(
  path: string[],
  indices: { Any: number; NonTransfer: number; CancelProxy: number },
): ProxyTypeDef {
  const codec = enumeration({
    Any: [indices.Any],
    NonTransfer: [indices.NonTransfer],
    CancelProxy: [indices.CancelProxy],
  }).named(path) as unknown as Codec<ProxyTypeValue>;
  return {
    codec,
    default: 'Any',
    filter(kind, call) {
      switch (kind) {
        case 'Any':
          return true;
        case 'NonTransfer':
          return !TRANSFER_PALLETS.has(call.type);
        case 'CancelProxy':
          return isCancelProxyCall(call);
        default:
          return false;
      }
    },
    // Polkadot's `is_superset`: equal kinds, then Any over everything, nothing over Any, NonTransfer over the rest.
    isSuperset(kind, other) {
      if (kind === other) return true;
      if (kind === 'Any') return true;
      if (other === 'Any') return false;
      return kind === 'NonTransfer';
    },
  };
}

export class ProxyTypeConfigError extends Error {
  override name = 'ProxyTypeConfigError';
}

/** The current runtime's ProxyType definition (from the Proxy pallet's config). */
export function proxyTypeDef(): ProxyTypeDef {
  const rt = currentRuntime();
  const cfg = rt?.palletConfig('Proxy') as { proxyType?: ProxyTypeDef } | undefined;
  if (!cfg?.proxyType) throw new ProxyTypeConfigError('this runtime has no Proxy pallet with a ProxyType');
  return cfg.proxyType;
}

class ProxyTypeRefCodec extends Codec<ProxyTypeValue> {
  constructor() {
    super(
      (w, v) => proxyTypeDef().codec.write(w, v),
      (r) => proxyTypeDef().codec.read(r),
      () => proxyTypeDef().codec.info,
      1,
      (a, b) => proxyTypeDef().codec.compare(a, b),
    );
  }

  override get info() {
    return proxyTypeDef().codec.info;
  }
}

/** `T::ProxyType` of the current runtime. */
export const ProxyTypeRef: Codec<ProxyTypeValue> = new ProxyTypeRefCodec();
