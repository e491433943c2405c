/**
 * The Crust parachain (para id 2008): `crustProfile` runs it with the devnet's short durations (`--chain crust`, and
 * what `xstorage devnet` runs), `crustProductionProfile` with Crust's production durations (`crust-production`).
 */
import type { HostFunctions } from '../chain-runtime.ts';
import type { RuntimeProfile } from '../profile.ts';
import { CRUST, CRUST_DEVNET_DURATIONS, CRUST_PRODUCTION_DURATIONS, type CrustDurations } from './config.ts';
import { crustGenesisConfig } from './genesis.ts';
import { makeCrustRuntime } from './runtime.ts';

export * from './call-filter.ts';
export * from './config.ts';
export * from './genesis.ts';
export * from './market-api.ts';
export * from './runtime.ts';

/** A Crust profile with `durations` (the `id` chain specs name it by). */
export function crustProfileWith(id: string, durations: CrustDurations, implName: string): RuntimeProfile {
  return {
    id,
    name: CRUST.name,
    role: { kind: 'parachain', paraId: CRUST.paraId },
    properties: { ss58Format: CRUST.ss58, tokenDecimals: CRUST.decimals, tokenSymbol: CRUST.token },
    make: (host?: HostFunctions) => makeCrustRuntime({ durations, implName }, host),
    genesisConfig: crustGenesisConfig,
  };
}

/** Crust on the devnet: 10-block report slots, 300-block files (CRUST_DEVNET_DURATIONS). */
export const crustProfile: RuntimeProfile = crustProfileWith(
  'crust',
  CRUST_DEVNET_DURATIONS,
  'xstorage-crust-devnet',
);

/** Crust with mainnet durations: 600-block slots, 180-day files (CRUST_PRODUCTION_DURATIONS). */
export const crustProductionProfile: RuntimeProfile = crustProfileWith(
  'crust-production',
  CRUST_PRODUCTION_DURATIONS,
  'xstorage-crust',
);
