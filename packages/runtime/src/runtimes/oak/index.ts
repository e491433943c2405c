/** OAK (para 2090): the parachain template plus scheduled renewals of Crust files (pallets/xstorage-automation/README.md). */
import type { HostFunctions } from '../chain-runtime.ts';
import { parachainGenesisConfig } from '../parachain/genesis.ts';
import type { RuntimeProfile } from '../profile.ts';
import { makeOakRuntime, OAK } from './runtime.ts';

export * from './runtime.ts';

export const oakProfile: RuntimeProfile = {
  id: OAK.id,
  name: OAK.name,
  role: { kind: 'parachain', paraId: OAK.paraId },
  properties: { ss58Format: OAK.ss58, tokenDecimals: OAK.decimals, tokenSymbol: OAK.token },
  make: (host?: HostFunctions) => makeOakRuntime(host),
  genesisConfig: () => parachainGenesisConfig(OAK),
};
