/** Genesis of the dev chain: //Alice … //Ferdie endowed, //Alice as sudo. */
import type { AssetsGenesis } from '../../pallets/assets/index.ts';
import type { BalancesGenesis } from '../../pallets/balances/index.ts';
import type { SudoGenesis } from '../../pallets/sudo/index.ts';
import { DEV_ENDOWMENT } from './config.ts';

export interface DevGenesisConfig {
  Balances: BalancesGenesis;
  Sudo: SudoGenesis;
  Assets: AssetsGenesis;
}

/** Each of `accounts` endowed with `endowment`, `sudo` as the sudo key. */
export function devGenesisConfig(
  accounts: readonly Uint8Array[],
  sudo: Uint8Array | undefined,
  endowment: bigint = DEV_ENDOWMENT,
): DevGenesisConfig {
  return {
    Balances: { balances: accounts.map((a) => [a, endowment] as [Uint8Array, bigint]) },
    Sudo: { key: sudo },
    Assets: { assets: [], metadata: [], accounts: [] },
  };
}
