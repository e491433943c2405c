/**
 * One assembly function for every chain (relay, Crust, the parachain profiles, dev): pallets at their indices with
 * their configs, the extrinsic format (signature scheme + signed extensions), the inherents; from these it derives
 * the runtime's account kind, the executive (System's and TransactionPayment's configs are read from the pallet
 * list, never passed twice), the extrinsic metadata and the standard runtime APIs. A runtime folder
 * (`runtimes/<chain>/`) holds only what differs: its pallets and configs, its genesis, its XCM config.
 */
import type { SignatureVerifier } from '../crypto/signatures.ts';
import type { InherentProvider } from '../executive/inherents.ts';
import { Executive } from '../executive/executive.ts';
import { frameSystem } from '../executive/frame-system.ts';
import { executiveApis } from '../executive/runtime-apis.ts';
import type { ExtensionPipeline } from '../extrinsic/extensions/pipeline.ts';
import type { SignatureScheme } from '../extrinsic/signature-scheme.ts';
import type { ValidTransaction, TransactionSource } from '../extrinsic/transaction-validity.ts';
import { type ExtrinsicFormat, extrinsicMetadataInfo } from '../extrinsic/unchecked-extrinsic.ts';
import type { Origin } from '../frame/origin.ts';
import type { RuntimeCallValue } from '../frame/pallet.ts';
import { defineRuntime, type PalletEntry, type Runtime } from '../frame/runtime.ts';
import type { RuntimeApiImpl, RuntimeVersion } from '../frame/runtime-version.ts';
import { metadataApi } from '../metadata/api.ts';
import type { SystemConfig } from '../pallets/system/pallet.ts';
import {
  TransactionPayment,
  type TransactionPaymentConfig,
  transactionPaymentFees,
} from '../pallets/transaction-payment/index.ts';
import type { Overlay } from '../state/overlay.ts';
import type { StateVersion } from '../trie/trie.ts';
import { type GenesisConfigs, type SessionKeyGenerator, standardApis } from './apis/index.ts';
import { memoryStorageRoot } from './state-root.ts';

/** What the host (the node, or a test) gives the runtime: `sp_io` functions that are not pure TypeScript. */
export interface HostFunctions {
  /** `sp_io::storage::root` of the state being built; default: over an in-memory backend (tests). */
  storageRoot?: (overlay: Overlay, version: StateVersion) => Uint8Array;
  /** `sp_io::crypto` signature checks; default: the plain verifier (verifies every time). */
  verifySignature?: SignatureVerifier;
  /** `sp_io::crypto::sr25519_generate` with the host's keystore (SessionKeys without a seed); default: none. */
  generateSessionKey?: SessionKeyGenerator;
}

export interface ChainRuntime {
  runtime: Runtime;
  executive: Executive;
  format: ExtrinsicFormat<RuntimeCallValue>;
  scheme: SignatureScheme;
}

export interface ChainRuntimeSpec {
  /** `[index, pallet, config]`; must include System (and TransactionPayment, whose config gives the fees). */
  pallets: readonly PalletEntry[];
  version: Omit<RuntimeVersion, 'apis'>;
  /** Rust crate of the outer enums (`<crate>::RuntimeCall`); default `<spec_name>_runtime`. */
  crate?: string;
  /** Extrinsic signer and signature kind; decides the runtime's account kind too. */
  scheme: SignatureScheme;
  extensions: ExtensionPipeline;
  inherents?: readonly InherentProvider[];
  /** Runtime APIs beyond the standard ones (Core, BlockBuilder, TaggedTransactionQueue, AccountNonceApi,
   * TransactionPaymentApi, Metadata, DryRunApi, GenesisBuilder, and SessionKeys / AuraApi with the Session / Aura
   * pallets); functions get the assembled chain runtime. */
  apis?: ReadonlyArray<RuntimeApiImpl | ((chain: ChainRuntime) => RuntimeApiImpl)>;
  /** frame_system's BaseCallFilter for non-Root origins. */
  callFilter?: (call: RuntimeCallValue, origin: Origin) => boolean;
  /** `ValidateUnsigned` for bare non-inherent calls. */
  validateUnsigned?(source: TransactionSource, call: RuntimeCallValue): ValidTransaction;
  /** GenesisBuilder's named presets (`development`: the genesis configs by pallet name). */
  genesisPresets?: Record<string, () => GenesisConfigs>;
  /** `DryRunApi` (default: dry runs without XCM; a runtime with pallet-xcm passes its XCM-aware one). */
  dryRunApi?: (runtime: Runtime) => RuntimeApiImpl;
}

export class ChainRuntimeSpecError extends Error {
  override name = 'ChainRuntimeSpecError';
}

export function defineChainRuntime(spec: ChainRuntimeSpec, host: HostFunctions = {}): ChainRuntime {
  const systemEntry = spec.pallets.find(([, p]) => p.system !== undefined);
  if (!systemEntry) throw new ChainRuntimeSpecError(`${spec.version.spec_name}: no System pallet`);
  const systemConfig = systemEntry[2] as SystemConfig;
  const paymentEntry = spec.pallets.find(([, p]) => p === TransactionPayment);
  if (!paymentEntry)
    throw new ChainRuntimeSpecError(`${spec.version.spec_name}: no TransactionPayment pallet`);
  const paymentConfig = paymentEntry[2] as TransactionPaymentConfig;

  // The executive and the APIs refer to each other; the APIs resolve it when called.
  let chain: ChainRuntime | undefined;
  const extra = (spec.apis ?? []).map((a) =>
    typeof a === 'function' ? (_runtime: Runtime) => a(chain!) : a,
  );
  const runtime = defineRuntime({
    pallets: spec.pallets as never,
    version: spec.version,
    crate: spec.crate,
    accounts: spec.scheme.accounts,
    callFilter: spec.callFilter,
    apis: [
      metadataApi,
      ...executiveApis({
        scheme: spec.scheme,
        extensions: spec.extensions,
        executive: () => chain!.executive,
      }),
      ...standardApis({
        pallets: spec.pallets,
        genesisPresets: spec.genesisPresets,
        generateSessionKey: host.generateSessionKey,
        dryRunApi: spec.dryRunApi,
      }),
      ...extra,
    ],
    extrinsic: extrinsicMetadataInfo({ scheme: spec.scheme, extensions: spec.extensions }),
  });
  const format: ExtrinsicFormat<RuntimeCallValue> = {
    scheme: spec.scheme,
    call: runtime.callCodec,
    extensions: spec.extensions,
  };
  const executive = new Executive({
    runtime,
    format,
    system: frameSystem(runtime, systemConfig),
    fees: transactionPaymentFees(paymentConfig),
    storageRoot: host.storageRoot ?? memoryStorageRoot,
    verifySignature: host.verifySignature,
    inherents: spec.inherents ?? [],
    validateUnsigned: spec.validateUnsigned,
  });
  chain = { runtime, executive, format, scheme: spec.scheme };
  return chain;
}
