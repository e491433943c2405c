import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, sr25519Verify as sr25519VerifyRef } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { blake2_256, initCrypto, selectCryptoBackend } from '../../src/crypto/hashing.ts';
import {
  ecdsaAccountId,
  ecdsaVerify,
  ed25519Verify,
  ethereumAddressFromPublicKey,
  ethereumVerify,
  SignatureError,
  secp256k1Recover,
  sr25519Verify,
} from '../../src/crypto/signatures.ts';

const msg = new TextEncoder().encode('xstorage: place storage order');
let keyring: { sr: any; ed: any; ec: any; eth: any };

beforeAll(async () => {
  await initCrypto();
  await cryptoWaitReady();
  keyring = {
    sr: new Keyring({ type: 'sr25519' }).addFromUri('//Alice'),
    ed: new Keyring({ type: 'ed25519' }).addFromUri('//Alice'),
    ec: new Keyring({ type: 'ecdsa' }).addFromUri('//Alice'),
    // Moonbeam dev account Alith (moonbeam docs, "Development accounts").
    eth: new Keyring({ type: 'ethereum' }).addFromUri(
      '0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133',
    ),
  };
});

function flip(bytes: Uint8Array, i: number): Uint8Array {
  const c = bytes.slice();
  c[i] ^= 1;
  return c;
}

describe('sr25519', () => {
  it('keyring //Alice has the well-known public key', () => {
    expect(u8aToHex(keyring.sr.publicKey)).toBe(
      '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d',
    );
  });

  for (const backend of ['wasm', 'js'] as const) {
    it(`verifies a @polkadot/keyring //Alice signature and rejects tampering (${backend})`, () => {
      selectCryptoBackend(backend);
      const sig = keyring.sr.sign(msg);
      expect(sr25519Verify(sig, msg, keyring.sr.publicKey)).toBe(true);
      expect(sr25519Verify(sig, flip(msg, 0), keyring.sr.publicKey)).toBe(false);
      expect(sr25519Verify(flip(sig, 5), msg, keyring.sr.publicKey)).toBe(false);
      expect(sr25519Verify(sig, msg, flip(keyring.sr.publicKey, 3))).toBe(false);
      expect(sr25519Verify(sig, msg, keyring.ed.publicKey)).toBe(false);
      selectCryptoBackend('wasm');
    });
  }

  it('returns false (no throw) for malformed lengths and non-points', () => {
    const sig = keyring.sr.sign(msg);
    expect(sr25519Verify(sig.subarray(0, 63), msg, keyring.sr.publicKey)).toBe(false);
    expect(sr25519Verify(sig, msg, keyring.sr.publicKey.subarray(0, 31))).toBe(false);
    expect(sr25519Verify(new Uint8Array(64).fill(0xff), msg, new Uint8Array(32).fill(0xff))).toBe(false);
    expect(sr25519Verify(null as any, msg, keyring.sr.publicKey)).toBe(false);
  });

  it('agrees with util-crypto sr25519Verify on random corruptions', () => {
    const sig: Uint8Array = keyring.sr.sign(msg);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const bad = sig.slice();
        bad[i] ^= x;
        let ref = false;
        try {
          ref = sr25519VerifyRef(msg, bad, keyring.sr.publicKey);
        } catch {
          ref = false;
        }
        expect(sr25519Verify(bad, msg, keyring.sr.publicKey)).toBe(ref);
      }),
      { numRuns: 60 },
    );
  });
});

describe('ed25519', () => {
  it('verifies a keyring //Alice ed25519 signature and rejects tampering', () => {
    // sp-keyring Ed25519Keyring::Alice public key.
    expect(u8aToHex(keyring.ed.publicKey)).toBe(
      '0x88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee',
    );
    const sig = keyring.ed.sign(msg);
    expect(ed25519Verify(sig, msg, keyring.ed.publicKey)).toBe(true);
    expect(ed25519Verify(sig, flip(msg, 3), keyring.ed.publicKey)).toBe(false);
    expect(ed25519Verify(flip(sig, 40), msg, keyring.ed.publicKey)).toBe(false);
    expect(ed25519Verify(sig, msg, flip(keyring.ed.publicKey, 0))).toBe(false);
    expect(ed25519Verify(sig.subarray(1), msg, keyring.ed.publicKey)).toBe(false);
    expect(ed25519Verify(sig, msg, new Uint8Array(33))).toBe(false);
  });
});

describe('ecdsa (MultiSignature::Ecdsa)', () => {
  it('verifies a keyring //Alice ecdsa signature (blake2_256 prehash) and rejects tampering', () => {
    // sp-keyring's ecdsa //Alice compressed public key.
    expect(u8aToHex(keyring.ec.publicKey)).toBe(
      '0x020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1',
    );
    const sig: Uint8Array = keyring.ec.sign(msg);
    expect(sig.length).toBe(65);
    expect(ecdsaVerify(sig, msg, keyring.ec.publicKey)).toBe(true);
    expect(ecdsaVerify(sig, flip(msg, 1), keyring.ec.publicKey)).toBe(false);
    expect(ecdsaVerify(flip(sig, 10), msg, keyring.ec.publicKey)).toBe(false);
    expect(ecdsaVerify(sig, msg, flip(keyring.ec.publicKey, 20))).toBe(false);
    // v = 27/28 (Ethereum style) is normalised exactly as sp_io::crypto::secp256k1_ecdsa_recover does.
    const v27 = sig.slice();
    v27[64] += 27;
    expect(ecdsaVerify(v27, msg, keyring.ec.publicKey)).toBe(true);
    const badV = sig.slice();
    badV[64] = 4;
    expect(ecdsaVerify(badV, msg, keyring.ec.publicKey)).toBe(false);
    expect(ecdsaVerify(sig.subarray(0, 64), msg, keyring.ec.publicKey)).toBe(false);
    expect(ecdsaVerify(new Uint8Array(65), msg, keyring.ec.publicKey)).toBe(false);
    expect(secp256k1Recover(new Uint8Array(65).fill(0xff), blake2_256(msg), true)).toBeUndefined();
  });

  it('derives the AccountId32 of an ecdsa signer as blake2_256(compressed key) like keyring addresses', () => {
    expect(ecdsaAccountId(keyring.ec.publicKey)).toEqual(keyring.ec.addressRaw);
    expect(() => ecdsaAccountId(new Uint8Array(32))).toThrow(SignatureError);
  });
});

describe('Ethereum-style (AccountId20)', () => {
  it("derives Alith's address from her key", () => {
    expect(u8aToHex(ethereumAddressFromPublicKey(keyring.eth.publicKey))).toBe(
      u8aToHex(hexToU8a('0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac')),
    );
    expect(() => ethereumAddressFromPublicKey(new Uint8Array(32))).toThrow(SignatureError);
    expect(() => ethereumAddressFromPublicKey(new Uint8Array(33))).toThrow(SignatureError);
  });

  it('verifies a keyring Alith signature (keccak256 prehash) against her AccountId20 and rejects tampering', () => {
    const alith = hexToU8a('0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac');
    const sig: Uint8Array = keyring.eth.sign(msg);
    expect(ethereumVerify(sig, msg, alith)).toBe(true);
    expect(ethereumVerify(sig, flip(msg, 2), alith)).toBe(false);
    expect(ethereumVerify(flip(sig, 33), msg, alith)).toBe(false);
    expect(ethereumVerify(sig, msg, flip(alith, 19))).toBe(false);
    expect(ethereumVerify(sig, msg, alith.subarray(1))).toBe(false);
  });
});
