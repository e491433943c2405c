/**
 * The well-known development accounts of Ethereum-style chains (Moonbeam's "Development accounts": Alith,
 * Baltathar, Charleth, Dorothy, Ethan, Faith), by their published private keys; the AccountId20 of each is the
 * keccak256-derived address polkadot-js' `ethereum` keyring gives for the same key.
 */
import { secp256k1PairFromSeed } from '@polkadot/util-crypto/secp256k1/pair/fromSeed';
import { ethereumAddressFromPublicKey } from '../crypto/signatures.ts';

export const ETH_DEV_ACCOUNT_NAMES = ['Alith', 'Baltathar', 'Charleth', 'Dorothy', 'Ethan', 'Faith'] as const;
export type EthDevAccountName = (typeof ETH_DEV_ACCOUNT_NAMES)[number];

/** Moonbeam docs, "Development accounts" (also in moonbeam's `dev` chain spec). */
export const ETH_DEV_PRIVATE_KEYS: Record<EthDevAccountName, string> = {
  Alith: '0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133',
  Baltathar: '0x8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b',
  Charleth: '0x0b6e18cafb6ed99687ec547bd28139cafdd2bffe70e6b688025de6b445aa5c5b',
  Dorothy: '0x39539ab1876910bbf3a223d84a29e28f1cb4e2e456503e7e91ed39b2e7223d68',
  Ethan: '0x7dce9bc8babb68fec1409be38c8e1a52650206a7ed90ff956ae8a6d15eeaaef4',
  Faith: '0xb9d2ea9a615f3165812e8d44de0d24da9bbd164b65c4f0573e1ce2c8dbd9c8df',
};

/** The AccountId20 of a development account (needs the crypto wasm ready). */
export function ethDevAccountId(name: EthDevAccountName): Uint8Array {
  const seed = Buffer.from(ETH_DEV_PRIVATE_KEYS[name].slice(2), 'hex');
  return ethereumAddressFromPublicKey(secp256k1PairFromSeed(seed).publicKey);
}

/** Alith..Faith in order. */
export function ethDevAccounts(): Record<EthDevAccountName, Uint8Array> {
  return Object.fromEntries(ETH_DEV_ACCOUNT_NAMES.map((n) => [n, ethDevAccountId(n)])) as Record<
    EthDevAccountName,
    Uint8Array
  >;
}
