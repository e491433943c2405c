/**
 * The well-known development accounts (//Alice ... //Ferdie): sr25519 keys derived from Substrate's DEV_PHRASE with
 * hard junctions, as `subkey inspect //Alice` and @polkadot/keyring derive them. Pure and deterministic; needs the
 * sr25519 wasm ready (`await initCrypto()` or `cryptoWaitReady()`).
 */
// Deep imports: the package root loads all of util-crypto (~130 modules), a large share of node cold start.
import { keyExtractPath } from '@polkadot/util-crypto/key/extractPath';
import { keyFromPath } from '@polkadot/util-crypto/key/fromPath';
import { mnemonicToMiniSecret } from '@polkadot/util-crypto/mnemonic/toMiniSecret';
import { sr25519PairFromSeed } from '@polkadot/util-crypto/sr25519/pair/fromSeed';

/** `sp_core::crypto::DEV_PHRASE` */
export const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
export const DEV_ACCOUNT_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;
export type DevAccountName = (typeof DEV_ACCOUNT_NAMES)[number];

/** The sr25519 public key (= AccountId32) of `//<name>` (or any `//junction/...` path) on the dev phrase. */
export function devAccountId(path: string): Uint8Array {
  const { path: junctions } = keyExtractPath(path.startsWith('/') ? path : `//${path}`);
  return keyFromPath(devRootPair(), junctions, 'sr25519').publicKey;
}

// The mnemonic-to-seed step (PBKDF2, 2048 rounds of SHA-512) dominated dev genesis when repeated for each account.
let rootPair: ReturnType<typeof sr25519PairFromSeed> | undefined;
function devRootPair(): ReturnType<typeof sr25519PairFromSeed> {
  rootPair ??= sr25519PairFromSeed(mnemonicToMiniSecret(DEV_PHRASE));
  return rootPair;
}

/** Alice..Ferdie in order. */
export function devAccounts(): Record<DevAccountName, Uint8Array> {
  return Object.fromEntries(DEV_ACCOUNT_NAMES.map((n) => [n, devAccountId(`//${n}`)])) as Record<
    DevAccountName,
    Uint8Array
  >;
}
