/**
 * `sp_runtime::MultiSignature` and its verification against an `AccountId32` signer, as `Verify for
 * MultiSignature` does: ed25519/sr25519 check against the account's public key; ecdsa recovers the compressed
 * public key from blake2_256(message) and compares blake2_256(compressed key) with the account id.
 */
import { type SignatureVerifier, verifySignature } from '../crypto/signatures.ts';
import { bytesFixed, enumeration } from '../scale/index.ts';
import { newtype } from './newtype.ts';

export const Ed25519Signature = newtype(bytesFixed(64), ['sp_core', 'ed25519', 'Signature'], '[u8; 64]');
export const Sr25519Signature = newtype(bytesFixed(64), ['sp_core', 'sr25519', 'Signature'], '[u8; 64]');
export const EcdsaSignature = newtype(bytesFixed(65), ['sp_core', 'ecdsa', 'Signature'], '[u8; 65]');

export type MultiSignature =
  | { type: 'Ed25519'; value: Uint8Array }
  | { type: 'Sr25519'; value: Uint8Array }
  | { type: 'Ecdsa'; value: Uint8Array };

export const MultiSignatureCodec = enumeration({
  Ed25519: [0, Ed25519Signature],
  Sr25519: [1, Sr25519Signature],
  Ecdsa: [2, EcdsaSignature],
}).named(['sp_runtime', 'MultiSignature']);

/** `Verify for MultiSignature` through the host's signature check `verify` (default: the plain one). */
export function verifyMultiSignature(
  sig: MultiSignature,
  message: Uint8Array,
  signer: Uint8Array,
  verify: SignatureVerifier = verifySignature,
): boolean {
  switch (sig.type) {
    case 'Sr25519':
      return verify('sr25519', sig.value, message, signer);
    case 'Ed25519':
      return verify('ed25519', sig.value, message, signer);
    case 'Ecdsa':
      return verify('ecdsa', sig.value, message, signer);
    default:
      return false;
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
