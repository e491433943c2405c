/** The parachain template and the parachain profiles of the seed (Crust runs its own runtime, runtimes/crust/). */
import { crustProfile } from '../crust/index.ts';
import { oakProfile } from '../oak/index.ts';
import type { RuntimeProfile } from '../profile.ts';
import { PARACHAINS, type ParachainData } from './chains.ts';
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

/** Chains with a runtime of their own instead of the template (their folders import the template's files, not this). */
const OWN_RUNTIMES: Readonly<Record<string, RuntimeProfile>> = { crust: crustProfile, oak: oakProfile };

/** The devnet's parachain profiles, in PARACHAINS order: a chain's own runtime where it has one, else the template. */
export const PARACHAIN_PROFILES: readonly RuntimeProfile[] = PARACHAINS.map(
  (data) => OWN_RUNTIMES[data.id] ?? parachainProfile(data),
);
