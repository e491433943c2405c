/**
 * The polkadot-js side of the signing tests: a @polkadot/types registry over polkadot-js's bundled Polkadot
 * metadata (@polkadot/types-support static-polkadot: Balances = pallet 5, transfer_keep_alive = call 3) and the
 * dev keyring. Kept in one place so every test signs against the same outside reference.
 */
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import metaStatic from '@polkadot/types-support/metadata/static-polkadot';

/**
 * The signed-extension identifiers of Polkadot-style runtimes, in the order polkadot-js signs them. Written out
 * rather than read from STANDARD_EXTENSIONS so the tests do not take the order from the code they check.
 */
export const STANDARD_EXTENSION_IDS: readonly string[] = [
  'CheckNonZeroSender',
  'CheckSpecVersion',
  'CheckTxVersion',
  'CheckGenesis',
  'CheckMortality',
  'CheckNonce',
  'CheckWeight',
  'ChargeTransactionPayment',
];

export type KeyPair = ReturnType<Keyring['addFromUri']>;

/** A registry that builds and signs extrinsics for the bundled Polkadot metadata with `extensionIds`. */
export function polkadotRegistry(extensionIds: readonly string[] = STANDARD_EXTENSION_IDS): TypeRegistry {
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, metaStatic), [...extensionIds]);
  return registry;
}

/** The sr25519 dev keyring (`//Alice`, `//Bob`, ...). */
export function devKeyring(): Keyring {
  return new Keyring({ type: 'sr25519' });
}
