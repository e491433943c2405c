import { hexToU8a, u8aToHex } from '@polkadot/util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../src/crypto/hashing.ts';
import {
  hashKey,
  mapKeyFromStorageKey,
  StorageHasher,
  StorageKeyError,
  splitHashedKey,
  storageMapKey,
  storagePrefix,
} from '../../src/crypto/storage-hashers.ts';

const ALICE = hexToU8a('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');

beforeAll(async () => {
  await initCrypto();
});

describe('storage hashers', () => {
  it('uses the frame-metadata StorageHasher indices', () => {
    expect([
      StorageHasher.Blake2_128,
      StorageHasher.Blake2_256,
      StorageHasher.Blake2_128Concat,
      StorageHasher.Twox128,
      StorageHasher.Twox256,
      StorageHasher.Twox64Concat,
      StorageHasher.Identity,
    ]).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('builds the well-known System.Account prefix and the System.Account(Alice) key', () => {
    expect(u8aToHex(storagePrefix('System', 'Account'))).toBe(
      '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9',
    );
    // The key polkadot-js apps queries for Alice's balance on any dev chain.
    const key = storageMapKey('System', 'Account', [StorageHasher.Blake2_128Concat, ALICE]);
    expect(u8aToHex(key)).toBe(
      '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d',
    );
    expect(mapKeyFromStorageKey(StorageHasher.Blake2_128Concat, key)).toEqual(ALICE);
  });

  it('hashes with every hasher to the expected length and recovers keys from concat hashers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (k1, k2) => {
        expect(hashKey(StorageHasher.Blake2_128, k1).length).toBe(16);
        expect(hashKey(StorageHasher.Blake2_256, k1).length).toBe(32);
        expect(hashKey(StorageHasher.Twox128, k1).length).toBe(16);
        expect(hashKey(StorageHasher.Twox256, k1).length).toBe(32);
        expect(hashKey(StorageHasher.Identity, k1)).toEqual(k1);
        // Double map: Twox64Concat(k1) ++ Blake2_128Concat(k2).
        const key = storageMapKey(
          'P',
          'I',
          [StorageHasher.Twox64Concat, k1],
          [StorageHasher.Blake2_128Concat, k2],
        );
        const first = splitHashedKey(StorageHasher.Twox64Concat, key.subarray(32), k1.length);
        expect(first.key).toEqual(k1);
        const second = splitHashedKey(StorageHasher.Blake2_128Concat, first.rest);
        expect(second.key).toEqual(k2);
        expect(second.rest.length).toBe(0);
      }),
    );
  });

  it('gives StorageKeyError for opaque hashers and truncated keys', () => {
    expect(() => splitHashedKey(StorageHasher.Blake2_256, new Uint8Array(40))).toThrow(StorageKeyError);
    expect(() => splitHashedKey(StorageHasher.Blake2_128Concat, new Uint8Array(15))).toThrow(StorageKeyError);
    expect(() => splitHashedKey(StorageHasher.Twox64Concat, new Uint8Array(10), 3)).toThrow(StorageKeyError);
    expect(() => mapKeyFromStorageKey(StorageHasher.Identity, new Uint8Array(31))).toThrow(StorageKeyError);
    expect(() => hashKey(99 as StorageHasher, new Uint8Array())).toThrow(StorageKeyError);
  });
});
