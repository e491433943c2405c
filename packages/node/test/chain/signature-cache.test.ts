/**
 * The node's signature cache (the host's `sp_io::crypto` check with a memory of verified signatures): it answers
 * exactly as the plain check, remembers only successes, keys on all four inputs, and stays within its bound.
 * Signatures come from @polkadot/keyring (sr25519, ed25519, ecdsa), not from our own signer.
 */
import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import {
  initCrypto,
  type SignatureKind,
  type SignatureVerifier,
  verifySignature,
} from '@xstorage/runtime/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SignatureCache } from '../../src/chain/signature-cache.ts';

let keyring: Keyring;
beforeAll(async () => {
  await initCrypto();
  await cryptoWaitReady();
  keyring = new Keyring();
});

/** The plain check, counting how often it really runs. */
function counted(): { verify: SignatureVerifier; calls: () => number } {
  let n = 0;
  return {
    verify: (kind, sig, msg, signer) => {
      n++;
      return verifySignature(kind, sig, msg, signer);
    },
    calls: () => n,
  };
}

const msg = (i: number) => new TextEncoder().encode(`transfer payload #${i}`);
const flip = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i] ^= 0x01;
  return c;
};

function sr(i: number) {
  const pair = keyring.addFromUri(`//Alice`, {}, 'sr25519');
  const message = msg(i);
  return { kind: 'sr25519' as SignatureKind, sig: pair.sign(message), message, signer: pair.publicKey };
}

describe('SignatureCache', () => {
  it('answers a verified signature from memory, and only a verified one', () => {
    const inner = counted();
    const cache = new SignatureCache(16, inner.verify);
    const { kind, sig, message, signer } = sr(1);
    expect(cache.verify(kind, sig, message, signer)).toBe(true);
    expect(inner.calls()).toBe(1);
    expect(cache.verify(kind, sig, message, signer)).toBe(true);
    expect(cache.verify(kind, sig.slice(), message.slice(), signer.slice())).toBe(true);
    expect(inner.calls()).toBe(1);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 2, misses: 1 });
  });

  it('a tampered signature, message or key with a cached sibling still fails, every time', () => {
    const inner = counted();
    const cache = new SignatureCache(16, inner.verify);
    const { kind, sig, message, signer } = sr(2);
    expect(cache.verify(kind, sig, message, signer)).toBe(true);
    const tampered: Array<[Uint8Array, Uint8Array, Uint8Array]> = [
      [flip(sig, 0), message, signer],
      [flip(sig, 40), message, signer],
      [sig, flip(message, 3), signer],
      [sig, message.subarray(0, message.length - 1), signer],
      [sig, new Uint8Array([...message, 0]), signer],
      [sig, message, flip(signer, 31)],
      [sig, message, keyring.addFromUri('//Bob', {}, 'sr25519').publicKey],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [s, m, k] of tampered) expect(cache.verify(kind, s, m, k)).toBe(false);
    }
    // Failures are never remembered: each of them ran the full check both times.
    expect(inner.calls()).toBe(1 + 2 * tampered.length);
    expect(cache.stats().entries).toBe(1);
    // The genuine one is still answered from memory.
    expect(cache.verify(kind, sig, message, signer)).toBe(true);
    expect(inner.calls()).toBe(1 + 2 * tampered.length);
  });

  it('the same bytes under another scheme are a different entry (and checked by that scheme)', () => {
    const inner = counted();
    const cache = new SignatureCache(16, inner.verify);
    const { sig, message, signer } = sr(3);
    expect(cache.verify('sr25519', sig, message, signer)).toBe(true);
    expect(cache.verify('ed25519', sig, message, signer)).toBe(false);
    expect(inner.calls()).toBe(2);
    // Genuine ed25519 and ecdsa (MultiSignature: AccountId32 = blake2_256 of the compressed key) signatures.
    const ed = keyring.addFromUri('//Alice', {}, 'ed25519');
    const edSig = ed.sign(message);
    expect(cache.verify('ed25519', edSig, message, ed.publicKey)).toBe(true);
    expect(cache.verify('ed25519', edSig, message, ed.publicKey)).toBe(true);
    const ec = keyring.addFromUri('//Alice', {}, 'ecdsa');
    const ecSig = ec.sign(message);
    const ecAccount = blake2AsU8a(ec.publicKey);
    expect(cache.verify('ecdsa', ecSig, message, ecAccount)).toBe(true);
    expect(cache.verify('ecdsa', ecSig, message, ecAccount)).toBe(true);
    expect(cache.verify('ecdsa', ecSig, flip(message, 0), ecAccount)).toBe(false);
    expect(inner.calls()).toBe(5);
  });

  it('holds at most its capacity, evicting the oldest first', () => {
    const inner = counted();
    const cache = new SignatureCache(3, inner.verify);
    const items = Array.from({ length: 5 }, (_, i) => sr(100 + i));
    for (const t of items) expect(cache.verify(t.kind, t.sig, t.message, t.signer)).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 3, capacity: 3 });
    expect(inner.calls()).toBe(5);
    // The three newest are remembered...
    for (const t of items.slice(2)) expect(cache.verify(t.kind, t.sig, t.message, t.signer)).toBe(true);
    expect(inner.calls()).toBe(5);
    // ...the two oldest were evicted and are verified again (still true).
    for (const t of items.slice(0, 2)) expect(cache.verify(t.kind, t.sig, t.message, t.signer)).toBe(true);
    expect(inner.calls()).toBe(7);
    expect(cache.stats().entries).toBe(3);
  });

  it('hostile input: malformed lengths, non-bytes and unknown kinds answer false without throwing or caching', () => {
    const cache = new SignatureCache(4);
    const { sig, message, signer } = sr(4);
    expect(cache.verify('sr25519', sig.subarray(0, 63), message, signer)).toBe(false);
    expect(cache.verify('sr25519', sig, message, signer.subarray(1))).toBe(false);
    expect(cache.verify('sr25519', new Uint8Array(64), message, signer)).toBe(false);
    expect(cache.verify('sr25519', null as never, message, signer)).toBe(false);
    expect(cache.verify('rsa' as SignatureKind, sig, message, signer)).toBe(false);
    expect(cache.stats().entries).toBe(0);
    expect(() => new SignatureCache(0)).toThrow(RangeError);
    expect(() => new SignatureCache(1.5)).toThrow(RangeError);
  });
});
