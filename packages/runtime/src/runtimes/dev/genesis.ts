/** Genesis of the dev chain: //Alice … //Ferdie endowed, //Alice as sudo and the Aura authority (session validator). */
import type { AssetsGenesis } from '../../pallets/assets/index.ts';
import type { AuraGenesis } from '../../pallets/aura/index.ts';
import type { SessionGenesis } from '../../pallets/session/index.ts';
import type { BalancesGenesis } from '../../pallets/balances/index.ts';
import type { SudoGenesis } from '../../pallets/sudo/index.ts';
import { auraSessionGenesis } from '../wallet-pallets.ts';
import { DEV_ENDOWMENT } from './config.ts';

export interface DevGenesisConfig {
  Balances: BalancesGenesis;
  Sudo: SudoGenesis;
  Assets: AssetsGenesis;
  Aura: AuraGenesis;
  Session: SessionGenesis;
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
    // The sudo account (//Alice) is the authority: its sr25519 account id is its aura key.
    ...auraSessionGenesis(sudo ? [[sudo, sudo]] : []),
  };
}
