/** Every runtime profile the node can run, by id (what a chain spec's `runtime` names). */
import { crustProductionProfile, crustProfile } from './crust/index.ts';
import { devProfile } from './dev/index.ts';
import { PARACHAIN_PROFILES } from './parachain/index.ts';
import type { RuntimeProfile } from './profile.ts';
import { relayProfile } from './relay/index.ts';

// PARACHAIN_PROFILES holds Crust's own runtime as `crust` (devnet durations) and OAK's (`oak`: the template plus
// scheduled renewals), replacing the template's; Crust with production durations is `crust-production`.
const PROFILES = new Map<string, RuntimeProfile>(
  [devProfile, relayProfile, ...PARACHAIN_PROFILES, crustProfile, crustProductionProfile].map((p) => [
    p.id,
    p,
  ]),
);

export class UnknownRuntimeError extends Error {
  override name = 'UnknownRuntimeError';
}

export function runtimeProfile(id: string): RuntimeProfile {
  const p = PROFILES.get(id);
  if (!p) throw new UnknownRuntimeError(`unknown runtime "${id}"; known: ${[...PROFILES.keys()].join(', ')}`);
  return p;
}

export function runtimeProfiles(): RuntimeProfile[] {
  return [...PROFILES.values()];
}

/** Adds a profile (a chain defined outside this package, or a test's). */
export function registerRuntimeProfile(profile: RuntimeProfile): void {
  PROFILES.set(profile.id, profile);
}
