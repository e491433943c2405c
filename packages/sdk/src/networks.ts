/**
 * Networks as data: which chains exist, their para ids, tokens, decimals, SS58 prefixes and account kinds, where
 * Crust is and which pallet/call a parachain's XCM `Transact` reaches there. Pointing the SDK at Polkadot, at
 * Kusama (Crust Shadow) or at a devnet is choosing one of these (or writing your own), plus the RPC endpoints.
 */
import { PARACHAINS } from '@xstorage/runtime/chains';

export type AccountKind = 'sr25519' | 'ethereum';

export interface ChainDescription {
  /** The name used in `--from`, `endpoints.json` and `createClient` options. */
  readonly id: string;
  readonly name: string;
  readonly paraId: number;
  /** The chain's native token symbol and decimals. */
  readonly token: string;
  readonly decimals: number;
  readonly ss58: number;
  /** 32-byte sr25519 accounts, or 20-byte Ethereum accounts (Moonbeam, Darwinia). */
  readonly accounts: AccountKind;
}

export interface CrustDescription extends ChainDescription {
  /** Crust's `xstorage` pallet index (127) and `place_storage_order_through_parachain` call index (0). */
  readonly xstoragePalletIndex: number;
  readonly placeOrderCallIndex: number;
}

export interface NetworkDescription {
  readonly name: string;
  readonly relay: {
    readonly name: string;
    readonly token: string;
    readonly decimals: number;
    readonly ss58: number;
  };
  readonly crust: CrustDescription;
  /** Every parachain a user may store from, Crust included. */
  readonly chains: readonly ChainDescription[];
}

const CRUST_CALL = { xstoragePalletIndex: 127, placeOrderCallIndex: 0 } as const;

/**
 * The devnet of this repository (`xstorage devnet`): Crust and the seed's seven parachains with their Polkadot para ids.
 *
 * @example
 * const client = await createClient({ network: DEVNET, endpoints: '/tmp/devnet/endpoints.json' });
 */
export const DEVNET: NetworkDescription = {
  name: 'devnet',
  relay: { name: 'Relay', token: 'DOT', decimals: 10, ss58: 0 },
  crust: { ...PARACHAINS.find((p) => p.id === 'crust')!, ...CRUST_CALL },
  chains: PARACHAINS,
};

/**
 * Polkadot: Crust 2008 and the parachains of the seed (para ids as on Polkadot).
 *
 * @example
 * const client = await createClient({ network: POLKADOT, endpoints: { relay: { ws: 'wss://…' }, parachains: { … } } });
 */
export const POLKADOT: NetworkDescription = {
  name: 'polkadot',
  relay: { name: 'Polkadot', token: 'DOT', decimals: 10, ss58: 0 },
  crust: {
    id: 'crust',
    name: 'Crust',
    paraId: 2008,
    token: 'CRU',
    decimals: 12,
    ss58: 66,
    accounts: 'sr25519',
    ...CRUST_CALL,
  },
  chains: [
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
    {
      id: 'bifrost',
      name: 'Bifrost',
      paraId: 2030,
      token: 'BNC',
      decimals: 12,
      ss58: 6,
      accounts: 'sr25519',
    },
    { id: 'phala', name: 'Phala', paraId: 2035, token: 'PHA', decimals: 12, ss58: 30, accounts: 'sr25519' },
    {
      id: 'darwinia',
      name: 'Darwinia',
      paraId: 2046,
      token: 'RING',
      decimals: 18,
      ss58: 18,
      accounts: 'ethereum',
    },
    {
      id: 'robonomics',
      name: 'Robonomics',
      paraId: 3388,
      token: 'XRT',
      decimals: 9,
      ss58: 32,
      accounts: 'sr25519',
    },
  ],
};

/**
 * Kusama: Crust Shadow 2012 and the Kusama counterparts of the seed's chains.
 *
 * @example
 * const client = await createClient({ network: KUSAMA, endpoints: { … } });
 */
export const KUSAMA: NetworkDescription = {
  name: 'kusama',
  relay: { name: 'Kusama', token: 'KSM', decimals: 12, ss58: 2 },
  crust: {
    id: 'shadow',
    name: 'Crust Shadow',
    paraId: 2012,
    token: 'CSM',
    decimals: 12,
    ss58: 66,
    accounts: 'sr25519',
    ...CRUST_CALL,
  },
  chains: [
    {
      id: 'shadow',
      name: 'Crust Shadow',
      paraId: 2012,
      token: 'CSM',
      decimals: 12,
      ss58: 66,
      accounts: 'sr25519',
    },
    { id: 'karura', name: 'Karura', paraId: 2000, token: 'KAR', decimals: 12, ss58: 8, accounts: 'sr25519' },
    {
      id: 'moonriver',
      name: 'Moonriver',
      paraId: 2023,
      token: 'MOVR',
      decimals: 18,
      ss58: 1285,
      accounts: 'ethereum',
    },
    {
      id: 'bifrost',
      name: 'Bifrost',
      paraId: 2001,
      token: 'BNC',
      decimals: 12,
      ss58: 6,
      accounts: 'sr25519',
    },
    { id: 'khala', name: 'Khala', paraId: 2004, token: 'PHA', decimals: 12, ss58: 30, accounts: 'sr25519' },
    { id: 'turing', name: 'Turing', paraId: 2114, token: 'TUR', decimals: 10, ss58: 51, accounts: 'sr25519' },
    { id: 'crab', name: 'Crab', paraId: 2105, token: 'CRAB', decimals: 18, ss58: 42, accounts: 'ethereum' },
  ],
};

export const NETWORKS: Readonly<Record<string, NetworkDescription>> = {
  devnet: DEVNET,
  polkadot: POLKADOT,
  kusama: KUSAMA,
};
