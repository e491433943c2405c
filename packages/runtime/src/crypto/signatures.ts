/**
 * Signature verification as Substrate runtimes do it (sp_runtime::MultiSignature, sp_io::crypto) plus the
 * Ethereum-style variant of EVM parachains (Moonbeam's EthereumSignature over AccountId20).
 * Every function verifies exactly the bytes it is given (the "sign blake2_256(payload) when > 256 bytes" rule
 * belongs to the extrinsic module) and returns false for any malformed input: they never throw on untrusted bytes.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { secp256k1 } from '@noble/curves/secp256k1';
import { sr25519Verify as sr25519VerifyJs } from '@polkadot/util-crypto/sr25519/verify';
import { sr25519Verify as sr25519VerifyWasm } from '@polkadot/wasm-crypto';
import { blake2_256, cryptoBackend, keccak256 } from './hashing.ts';

export class SignatureError extends Error {
  override name = 'SignatureError';
}

/**
 * The signature checks a runtime asks its host for (Substrate's `sp_io::crypto` host functions), by what the signer
 * is: `sr25519` / `ed25519` a 32-byte public key; `ecdsa` an AccountId32, i.e. blake2_256 of the 33-byte compressed
 * key recovered from a 65-byte signature over blake2_256(message) (`Verify for MultiSignature`); `ethereum` an
 * AccountId20 recovered from a 65-byte signature over keccak256(message) (Moonbeam's EthereumSignature).
 */
export type SignatureKind = 'sr25519' | 'ed25519' | 'ecdsa' | 'ethereum';

/**
 * A host's signature check: true only when `signature` by `signer` over exactly `message` is valid for `kind`; false
 * for anything else, malformed input included (never throws). The result depends on these four inputs alone, which
 * is what lets a host remember verified ones (see the node's signature cache).
 */
export type SignatureVerifier = (
  kind: SignatureKind,
  signature: Uint8Array,
  message: Uint8Array,
  signer: Uint8Array,
) => boolean;

/** The plain host check: verifies every time (the pure runtime's default). */
export const verifySignature: SignatureVerifier = (kind, signature, message, signer) => {
  switch (kind) {
    case 'sr25519':
      return sr25519Verify(signature, message, signer);
    case 'ed25519':
      return ed25519Verify(signature, message, signer);
    case 'ecdsa':
      return ecdsaAccountVerify(signature, message, signer);
    case 'ethereum':
      return ethereumVerify(signature, message, signer);
    default:
      return false;
  }
};

function isBytes(x: unknown, length?: number): x is Uint8Array {
  return x instanceof Uint8Array && (length === undefined || x.length === length);
}

/** sr25519 (schnorrkel, "substrate" signing context): 64-byte signature, 32-byte public key. */
export function sr25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!isBytes(signature, 64) || !isBytes(message) || !isBytes(publicKey, 32)) return false;
  // schnorrkel marks signatures with the high bit of the last byte; without it they are legacy and rejected.
  if ((signature[63] & 0x80) === 0) return false;
  try {
    return cryptoBackend() === 'wasm'
      ? sr25519VerifyWasm(signature, message, publicKey)
      : sr25519VerifyJs(message, signature, publicKey);
  } catch {
    return false;
  }
}

/**
 * ed25519 with ZIP-215 rules, which is what sp_core uses (ed25519-zebra) so that every node agrees on edge cases
 * such as non-canonical encodings (RFC 8032 strict verifiers can disagree on those).
 */
export function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!isBytes(signature, 64) || !isBytes(message) || !isBytes(publicKey, 32)) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: true });
  } catch {
    return false;
  }
}

/**
 * Recovers the public key of a 65-byte recoverable secp256k1 signature (r ++ s ++ v) over a 32-byte hash, as
 * sp_io::crypto::secp256k1_ecdsa_recover (version 2): v may be 0..3 or 27..30, r and s must be below the curve
 * order (no "overflowing" signatures). Returns undefined when nothing can be recovered.
 */
export function secp256k1Recover(
  signature: Uint8Array,
  messageHash: Uint8Array,
  compressed: boolean,
): Uint8Array | undefined {
  if (!isBytes(signature, 65) || !isBytes(messageHash, 32)) return undefined;
  const v = signature[64] > 26 ? signature[64] - 27 : signature[64];
  if (v > 3) return undefined;
  try {
    const sig = secp256k1.Signature.fromCompact(signature.subarray(0, 64)).addRecoveryBit(v);
    return sig.recoverPublicKey(messageHash).toRawBytes(compressed);
  } catch {
    return undefined;
  }
}

/**
 * MultiSignature::Ecdsa: 65-byte recoverable signature over blake2_256(message), checked against the 33-byte
 * compressed public key. (The runtime's MultiSigner compares blake2_256(compressed key) with the AccountId32;
 * use `ecdsaAccountId` for that.)
 */
export function ecdsaVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!isBytes(message) || !isBytes(publicKey, 33)) return false;
  const recovered = secp256k1Recover(signature, blake2_256(message), true);
  return recovered !== undefined && equalBytes(recovered, publicKey);
}

/**
 * `Verify for MultiSignature`'s ecdsa arm: the compressed public key recovered from a 65-byte signature over
 * blake2_256(message) must hash (blake2_256) to the 32-byte account id `signer`.
 */
export function ecdsaAccountVerify(signature: Uint8Array, message: Uint8Array, signer: Uint8Array): boolean {
  if (!isBytes(message) || !isBytes(signer, 32)) return false;
  const recovered = secp256k1Recover(signature, blake2_256(message), true);
  return recovered !== undefined && equalBytes(blake2_256(recovered), signer);
}

/** AccountId32 of an ecdsa signer: blake2_256 of the 33-byte compressed public key (MultiSigner::into_account). */
export function ecdsaAccountId(compressedPublicKey: Uint8Array): Uint8Array {
  if (!isBytes(compressedPublicKey, 33)) {
    throw new SignatureError(
      `ecdsa public key must be 33 bytes (compressed), got ${(compressedPublicKey as Uint8Array)?.length}`,
    );
  }
  return blake2_256(compressedPublicKey);
}

/**
 * AccountId20 of a secp256k1 key: last 20 bytes of keccak256(uncompressed key without its 0x04 byte).
 * Accepts a 33-byte compressed, 65-byte uncompressed or 64-byte raw (x ++ y) public key.
 */
export function ethereumAddressFromPublicKey(publicKey: Uint8Array): Uint8Array {
  let raw: Uint8Array;
  if (isBytes(publicKey, 64)) raw = publicKey;
  else if (isBytes(publicKey, 33) || isBytes(publicKey, 65)) {
    try {
      raw = secp256k1.ProjectivePoint.fromHex(publicKey).toRawBytes(false).subarray(1);
    } catch {
      throw new SignatureError('not a point on secp256k1');
    }
  } else {
    throw new SignatureError(
      `secp256k1 public key must be 33, 64 or 65 bytes, got ${(publicKey as Uint8Array)?.length}`,
    );
  }
  return keccak256(raw).slice(12);
}

/**
 * Ethereum-style signature (Moonbeam's account::EthereumSignature): 65-byte recoverable secp256k1 signature over
 * keccak256(message); valid when the recovered key's AccountId20 equals `address`.
 */
export function ethereumVerify(signature: Uint8Array, message: Uint8Array, address: Uint8Array): boolean {
  if (!isBytes(message) || !isBytes(address, 20)) return false;
  const recovered = secp256k1Recover(signature, keccak256(message), false);
  return recovered !== undefined && equalBytes(keccak256(recovered.subarray(1)).subarray(12), address);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
