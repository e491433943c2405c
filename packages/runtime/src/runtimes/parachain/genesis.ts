/**
 * Devnet genesis of a parachain: the chain's dev accounts (//Alice … //Ferdie, or Alith … Faith on Ethereum-style
 * chains) endowed with 1,000,000 tokens each, the first one as sudo and as the collator (session validator) whose
 * Aura key is //Alice's sr25519 key, what the node seals with, on every chain. DOT and every other parachain's token
 * are registered in `ForeignAssets` (sufficient, so an account may hold only them); the first dev account holds
 * `GENESIS_RESERVE_TOKENS` of each, backed by this chain's sovereign account at the token's reserve; likewise each
 * sibling's sovereign account here holds as much of this chain's token. The treasury (execution fees) is endowed.
 */
import { devAccounts } from '../dev-accounts.ts';
import { ethDevAccounts } from '../dev-accounts-eth.ts';
import { auraSessionGenesis } from '../wallet-pallets.ts';
import { siblingSovereignAccount } from '../../parachains/ids.ts';
import type { Location } from '../../xcm/index.ts';
import { GENESIS_RESERVE_TOKENS, NETWORK_TOKENS } from '../xcm-shared.ts';
import { type ParachainData, PARACHAINS } from './chains.ts';
import { tokenUnits, treasuryAccount } from './config.ts';

export const PARACHAIN_DEV_ENDOWMENT_TOKENS = 1_000_000n;

/** A foreign token's `min_balance` here: one millionth of a token (at least one unit). */
export function minForeignBalance(decimals: number): bigint {
  return decimals >= 6 ? 10n ** BigInt(decimals - 6) : 1n;
}

/** The chain's dev accounts in order (Alice … or Alith …). */
export function parachainDevAccounts(data: ParachainData): Uint8Array[] {
  return data.accounts === 'ethereum' ? Object.values(ethDevAccounts()) : Object.values(devAccounts());
}

export function parachainGenesisConfig(data: ParachainData): Record<string, unknown> {
  const accounts = parachainDevAccounts(data);
  const { unit } = tokenUnits(data.decimals);
  const endowment = PARACHAIN_DEV_ENDOWMENT_TOKENS * unit;
  const length = data.accounts === 'ethereum' ? 20 : 32;
  const siblings = PARACHAINS.filter((p) => p.paraId !== data.paraId);
  const foreign = NETWORK_TOKENS.filter((t) => t.paraId !== data.paraId);
  const enc = (s: string) => new TextEncoder().encode(s);
  return {
    Balances: {
      balances: [
        ...accounts.map((a) => [a, endowment]),
        [treasuryAccount(length), 1_000n * unit],
        ...siblings.map((p) => [siblingSovereignAccount(p.paraId, length), GENESIS_RESERVE_TOKENS * unit]),
      ],
    },
    Sudo: { key: accounts[0] },
    Assets: { assets: [], metadata: [], accounts: [] },
    ForeignAssets: {
      assets: foreign.map((t) => [t.location, accounts[0], true, minForeignBalance(t.decimals)]),
      metadata: foreign.map((t) => [t.location, enc(t.name), enc(t.symbol), t.decimals]),
      accounts: foreign.map((t) => [
        t.location,
        accounts[0],
        GENESIS_RESERVE_TOKENS * 10n ** BigInt(t.decimals),
      ]),
    } satisfies { assets: Array<[Location, Uint8Array, boolean, bigint]>; [k: string]: unknown },
    ...auraSessionGenesis([[accounts[0], devAccounts().Alice]]),
  };
}
