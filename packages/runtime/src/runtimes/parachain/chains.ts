/**
 * The parachains of the seed, as data: para id, token, decimals, SS58 prefix and account kind of the real chains
 * (Polkadot's, except OAK whose Polkadot para id is 2090; Crust is 2008). Everything a profile needs beyond this
 * is in the template runtime; what really differs (Crust's market, OAK's scheduled renewals) is code of its own.
 */
export type AccountScheme = 'sr25519' | 'ethereum';

export interface ParachainData {
  /** The devnet name (`endpoints.json`, `--parachains`, `--from`). */
  readonly id: string;
  readonly name: string;
  readonly paraId: number;
  readonly token: string;
  readonly decimals: number;
  readonly ss58: number;
  readonly accounts: AccountScheme;
}

/** In the devnet's fixed port order: relay on p, then these on p+1, p+2, … */
export const PARACHAINS: readonly ParachainData[] = [
  { id: 'crust', name: 'Crust', paraId: 2008, token: 'CRU', decimals: 12, ss58: 66, accounts: 'sr25519' },
  { id: 'acala', name: 'Acala', paraId: 2000, token: 'ACA', decimals: 12, ss58: 10, accounts: 'sr25519' },
  {
    id: 'moonbeam',
    name: 'Moonbeam',
    paraId: 2004,
    token: 'GLMR',
    decimals: 18,
    ss58: 1284,
    accounts: 'ethereum',
  },
  { id: 'bifrost', name: 'Bifrost', paraId: 2030, token: 'BNC', decimals: 12, ss58: 6, accounts: 'sr25519' },
  {
    id: 'robonomics',
    name: 'Robonomics',
    paraId: 3388,
    token: 'XRT',
    decimals: 9,
    ss58: 32,
    accounts: 'sr25519',
  },
  { id: 'phala', name: 'Phala', paraId: 2035, token: 'PHA', decimals: 12, ss58: 30, accounts: 'sr25519' },
  { id: 'oak', name: 'OAK', paraId: 2090, token: 'OAK', decimals: 10, ss58: 51, accounts: 'sr25519' },
  {
    id: 'darwinia',
    name: 'Darwinia',
    paraId: 2046,
    token: 'RING',
    decimals: 18,
    ss58: 18,
    accounts: 'ethereum',
  },
];

export function parachainData(id: string): ParachainData | undefined {
  return PARACHAINS.find((p) => p.id === id);
}
