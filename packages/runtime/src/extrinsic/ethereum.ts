/**
 * EVM-style accounts (Moonbeam `account` crate): the signer is an `AccountId20` and the signature an
 * `EthereumSignature(ecdsa::Signature)` over keccak256(message) (verification in crypto/signatures.ts).
 */
import { EcdsaSignature } from './multi-signature.ts';
import { newtype } from './newtype.ts';

export const EthereumSignatureCodec = newtype(
  EcdsaSignature,
  ['account', 'EthereumSignature'],
  'ecdsa::Signature',
);
