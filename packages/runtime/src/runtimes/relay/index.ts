/** The relay chain (`--chain relay`): DOT, the parachains' registry, HRMP, inclusion. */
import type { RuntimeProfile } from '../profile.ts';
import { relayProperties } from './config.ts';
import { relayGenesisConfig } from './genesis.ts';
import { makeRelayRuntime } from './runtime.ts';

export * from './config.ts';
export * from './genesis.ts';
export * from './runtime.ts';

export const relayProfile: RuntimeProfile = {
  id: 'relay',
  name: 'xstorage Relay',
  role: { kind: 'relay' },
  properties: relayProperties,
  make: makeRelayRuntime,
  genesisConfig: relayGenesisConfig,
};
