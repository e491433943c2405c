/** The development chain (`--dev`): a standalone chain with the basic pallets, sealed by //Alice. */
import { devAccounts } from '../dev-accounts.ts';
import type { RuntimeProfile } from '../profile.ts';
import { devProperties } from './config.ts';
import { devGenesisConfig } from './genesis.ts';
import { makeDevRuntime } from './runtime.ts';

export * from './config.ts';
export * from './genesis.ts';
export * from './runtime.ts';

export const devProfile: RuntimeProfile = {
  id: 'dev',
  name: 'xstorage Development',
  role: { kind: 'standalone' },
  properties: devProperties,
  make: makeDevRuntime,
  genesisConfig() {
    const accounts = devAccounts();
    return devGenesisConfig(Object.values(accounts), accounts.Alice) as unknown as Record<string, unknown>;
  },
};
