/**
 * The runtime APIs wallets and chain tools expect beyond the executive's, derived from the pallets a runtime has:
 * DryRunApi and GenesisBuilder always, SessionKeys with the Session pallet, AuraApi with the Aura pallet.
 */
import type { PalletEntry, Runtime } from '../../frame/runtime.ts';
import type { RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { Aura } from '../../pallets/aura/pallet.ts';
import { auraApi } from '../../pallets/aura/runtime-api.ts';
import { Session, type SessionConfig } from '../../pallets/session/pallet.ts';
import { dryRunApi } from './dry-run.ts';
import { type GenesisConfigs, genesisBuilderApi } from './genesis-builder.ts';
import { type SessionKeyGenerator, sessionKeysApi } from './session-keys.ts';

export * from './dry-run.ts';
export * from './genesis-builder.ts';
export * from './session-keys.ts';

export interface StandardApisOptions {
  pallets: readonly PalletEntry[];
  /** GenesisBuilder's named presets. */
  genesisPresets?: Record<string, () => GenesisConfigs>;
  /** The host keystore behind `SessionKeys_generate_session_keys` without a seed. */
  generateSessionKey?: SessionKeyGenerator;
  /** Replaces the plain DryRunApi (a runtime with pallet-xcm gives its XCM-aware one). */
  dryRunApi?: (runtime: Runtime) => RuntimeApiImpl;
}

export function standardApis(opts: StandardApisOptions): Array<(runtime: Runtime) => RuntimeApiImpl> {
  const apis: Array<(runtime: Runtime) => RuntimeApiImpl> = [
    opts.dryRunApi ?? ((runtime) => dryRunApi(runtime)),
    (runtime) => genesisBuilderApi(runtime, { presets: opts.genesisPresets ?? {} }),
  ];
  const session = opts.pallets.find(([, p]) => p === Session);
  if (session) {
    const keys = (session[2] as SessionConfig).keys;
    apis.push(() => sessionKeysApi(keys, opts.generateSessionKey));
  }
  if (opts.pallets.some(([, p]) => p === Aura)) apis.push(() => auraApi);
  return apis;
}
