/**
 * Which accounts and signatures a runtime's extrinsics carry: Substrate-style (`MultiAddress` signer,
 * `MultiSignature`, AccountId32) or EVM-style (`AccountId20` signer, `EthereumSignature`). Chosen per runtime.
 */
import { type SignatureVerifier, verifySignature } from '../crypto/signatures.ts';
import { ACCOUNT_20, ACCOUNT_32, type AccountKind } from '../frame/account.ts';
import type { Codec } from '../scale/index.ts';
import { EthereumSignatureCodec } from './ethereum.ts';
import { type MultiAddress, MultiAddressCodec } from './multi-address.ts';
import { type MultiSignature, MultiSignatureCodec, verifyMultiSignature } from './multi-signature.ts';
import { AccountId20, AccountId32 } from './primitives.ts';
import { unknown } from './transaction-validity.ts';

export interface SignatureScheme<Address = any, Signature = any> {
  readonly name: string;
  readonly accountId: Codec<Uint8Array>;
  /** The runtime's `T::AccountId` / `T::Lookup` that go with these extrinsics. */
  readonly accounts: AccountKind;
  /** The signer as written in the extrinsic. */
  readonly address: Codec<Address>;
  readonly signature: Codec<Signature>;
  /** `StaticLookup::lookup`: the account an address names; throws `Unknown(CannotLookup)`. */
  lookup(address: Address): Uint8Array;
  /** The inverse, to build extrinsics: the address form of an account id. */
  addressOf(accountId: Uint8Array): Address;
  /**
   * `Verify::verify(signature, message, signer)` through the host's signature check `host` (default: the plain
   * one, verifying every time); never throws.
   */
  verify(signature: Signature, message: Uint8Array, signer: Uint8Array, host?: SignatureVerifier): boolean;
}

/** Polkadot/Kusama/Crust: `MultiAddress<AccountId32, ()>` + `MultiSignature`, lookup as `AccountIdLookup`. */
export const substrateScheme: SignatureScheme<MultiAddress, MultiSignature> = {
  name: 'substrate',
  accountId: AccountId32,
  accounts: ACCOUNT_32,
  address: MultiAddressCodec,
  signature: MultiSignatureCodec,
  lookup(address) {
    // AccountIdLookup without pallet-indices: only `Id` resolves.
    if (address.type === 'Id') return address.value;
    throw unknown('CannotLookup');
  },
  addressOf: (accountId) => ({ type: 'Id', value: accountId }),
  verify: (sig, message, signer, host = verifySignature) => verifyMultiSignature(sig, message, signer, host),
};

/** Moonbeam/Darwinia: the address is the `AccountId20` itself (IdentityLookup), `EthereumSignature`. */
export const ethereumScheme: SignatureScheme<Uint8Array, Uint8Array> = {
  name: 'ethereum',
  accountId: AccountId20,
  accounts: ACCOUNT_20,
  address: AccountId20,
  signature: EthereumSignatureCodec,
  lookup: (address) => address,
  addressOf: (accountId) => accountId,
  verify: (sig, message, signer, host = verifySignature) => host('ethereum', sig, message, signer),
};
