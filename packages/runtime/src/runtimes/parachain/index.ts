/** The parachain template and the seven parachain profiles of the seed (plus Crust's para id and token). */
import type { RuntimeProfile } from '../profile.ts';
import { type ParachainData, PARACHAINS } from './chains.ts';
import { parachainGenesisConfig } from './genesis.ts';
import { makeParachainRuntime } from './runtime.ts';

export * from './chains.ts';
export * from './config.ts';
export * from './genesis.ts';
export * from './runtime.ts';

/** A profile running the template runtime for `data`. */
export function parachainProfile(data: ParachainData): RuntimeProfile {
  return {
    id: data.id,
    name: data.name,
    role: { kind: 'parachain', paraId: data.paraId },
    properties: { ss58Format: data.ss58, tokenDecimals: data.decimals, tokenSymbol: data.token },
    make: (host) => makeParachainRuntime(data, host),
    genesisConfig: () => parachainGenesisConfig(data),
  };
}

export const PARACHAIN_PROFILES: readonly RuntimeProfile[] = PARACHAINS.map(parachainProfile);
