/** Devnet genesis of the relay chain: //Alice … //Ferdie endowed with 1,000,000 DOT each, //Alice as sudo. */
import { devAccounts } from '../dev-accounts.ts';
import { DOT } from './config.ts';

export const RELAY_DEV_ENDOWMENT = 1_000_000n * DOT;

export function relayGenesisConfig(): Record<string, unknown> {
  const accounts = Object.values(devAccounts());
  return {
    Balances: { balances: accounts.map((a) => [a, RELAY_DEV_ENDOWMENT]) },
    Sudo: { key: accounts[0] },
  };
}
