/**
 * Devnet genesis of a parachain: the chain's dev accounts (//Alice … //Ferdie, or Alith … Faith on Ethereum-style
 * chains) endowed with 1,000,000 tokens each, the first one as sudo and as the collator (session validator) whose
 * Aura key is //Alice's sr25519 key, what the node seals with, on every chain.
 */
import { devAccounts } from '../dev-accounts.ts';
import { ethDevAccounts } from '../dev-accounts-eth.ts';
import { auraSessionGenesis } from '../wallet-pallets.ts';
import type { ParachainData } from './chains.ts';
import { tokenUnits } from './config.ts';

export const PARACHAIN_DEV_ENDOWMENT_TOKENS = 1_000_000n;

/** The chain's dev accounts in order (Alice … or Alith …). */
export function parachainDevAccounts(data: ParachainData): Uint8Array[] {
  return data.accounts === 'ethereum' ? Object.values(ethDevAccounts()) : Object.values(devAccounts());
}

export function parachainGenesisConfig(data: ParachainData): Record<string, unknown> {
  const accounts = parachainDevAccounts(data);
  const endowment = PARACHAIN_DEV_ENDOWMENT_TOKENS * tokenUnits(data.decimals).unit;
  return {
    Balances: { balances: accounts.map((a) => [a, endowment]) },
    Sudo: { key: accounts[0] },
    Assets: { assets: [], metadata: [], accounts: [] },
    ...auraSessionGenesis([[accounts[0], devAccounts().Alice]]),
  };
}
