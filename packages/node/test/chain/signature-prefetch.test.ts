/**
 * The verifier thread: it answers exactly as the main thread's sr25519 check (signatures from @polkadot/keyring),
 * declines while not ready, and through the runtime host only TRUE answers reach the signature cache, for the
 * very check validation then makes (so validation is answered from the cache, and a tampered transaction is still
 * refused with BadProof).
 */
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { initCrypto, sr25519Verify } from '@xstorage/runtime/crypto';
import { generateMetadata } from '@xstorage/runtime/metadata';
import { Overlay } from '@xstorage/runtime/state';
import { Trie } from '@xstorage/runtime/trie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeRuntimeHost,
  type RuntimeHost,
  SignaturePrefetcher,
  TrieBackend,
} from '../../src/chain/index.ts';
import { devChainSpec } from '../../src/chain-spec/index.ts';

let keyring: Keyring;
const prefetcher = new SignaturePrefetcher();
let host: RuntimeHost;

async function ready(state: () => string): Promise<void> {
  const start = Date.now();
  while (state() === 'starting' || state() === 'idle') {
    if (Date.now() - start > 20_000) throw new Error('verifier thread did not start');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  await initCrypto();
  await cryptoWaitReady();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  prefetcher.start();
  await ready(() => prefetcher.state);
  host = makeRuntimeHost('dev', { signatureThread: true });
  host.startSignatureThread();
});
afterAll(async () => {
  await prefetcher.stop();
  await host?.close();
});

const flip = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i] ^= 0x01;
  return c;
};

describe('SignaturePrefetcher', () => {
  it('declines before start', () => {
    const idle = new SignaturePrefetcher();
    expect(idle.state).toBe('idle');
    expect(
      idle.verify({
        signature: new Uint8Array(64),
        message: new Uint8Array(1),
        publicKey: new Uint8Array(32),
      }),
    ).toBe(undefined);
  });

  it('answers a batch exactly as the main thread does, genuine and tampered alike', async () => {
    expect(prefetcher.state).toBe('ready');
    const alice = keyring.addFromUri('//Alice');
    const checks = Array.from({ length: 40 }, (_, i) => {
      const message = new TextEncoder().encode(`payload ${i} `.repeat(1 + (i % 30)));
      const signature = alice.sign(message);
      const publicKey = alice.publicKey;
      switch (i % 5) {
        case 1:
          return { signature: flip(signature, i % 64), message, publicKey };
        case 2:
          return { signature, message: flip(message, 0), publicKey };
        case 3:
          return { signature, message, publicKey: keyring.addFromUri('//Bob').publicKey };
        case 4: {
          // Without schnorrkel's marker bit: refused by sr25519Verify, so refused here too.
          const legacy = signature.slice();
          legacy[63] &= 0x7f;
          return { signature: legacy, message, publicKey };
        }
        default:
          return { signature, message, publicKey };
      }
    });
    const pending = checks.map((c) => prefetcher.verify(c));
    // Counted as the thread's backlog until answered (the host leaves checks to validation beyond a bound).
    expect(prefetcher.backlog).toBe(checks.length);
    const answers = await Promise.all(pending);
    expect(prefetcher.backlog).toBe(0);
    expect(answers).toEqual(checks.map((c) => sr25519Verify(c.signature, c.message, c.publicKey)));
    expect(answers.filter(Boolean)).toHaveLength(8);
    // Malformed lengths: false without bothering the thread.
    expect(
      await prefetcher.verify({
        signature: new Uint8Array(63),
        message: new Uint8Array(1),
        publicKey: new Uint8Array(32),
      }),
    ).toBe(false);
  });

  it('after stop it declines, and pending requests resolve (false)', async () => {
    const p = new SignaturePrefetcher();
    p.start();
    await ready(() => p.state);
    const alice = keyring.addFromUri('//Alice');
    const message = new Uint8Array([1, 2, 3]);
    const pending = p.verify({ signature: alice.sign(message), message, publicKey: alice.publicKey });
    await p.stop();
    expect(await pending).toBe(false);
    expect(p.state).toBe('off');
    expect(p.verify({ signature: alice.sign(message), message, publicKey: alice.publicKey })).toBe(undefined);
  });
});

describe('runtime host prefetch', () => {
  it('records only verified checks, the very ones validation makes; tampered transactions stay BadProof', async () => {
    await ready(() => host.signatureThreadState());
    const trie = Trie.fromEntries(devChainSpec().genesis(), host.executive.stateVersion);
    const registry = new TypeRegistry();
    registry.setMetadata(new Metadata(registry, generateMetadata(host.runtime, 14)));
    // Validating on top of block `at` (number 0) makes the runtime take `at` as BlockHash[0], the genesis hash that
    // CheckGenesis signs: so sign with `at`.
    const at = new Uint8Array(32).fill(7);
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const sign = (nonce: number) => {
      const call = registry.createType('Call', {
        callIndex: [2, 3],
        args: { dest: { Id: bob.publicKey }, value: 1_000n },
      });
      const ext = registry.createType('Extrinsic', call);
      ext.sign(alice, {
        blockHash: u8aToHex(at),
        genesisHash: u8aToHex(at),
        nonce,
        runtimeVersion: {
          specVersion: host.runtime.version.spec_version,
          transactionVersion: host.runtime.version.transaction_version,
        },
      } as never);
      return ext.toU8a();
    };
    const validate = (tx: Uint8Array) =>
      host.runtime.execute(new Overlay(new TrieBackend(trie)), () =>
        host.executive.validateTransaction('External', tx, at),
      );

    const tx = sign(0);
    const before = host.signatureCache.stats();
    const pending = host.prefetchSignature(trie, tx, at);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(host.signatureCache.stats().entries).toBe(before.entries + 1);
    // Already remembered: nothing more to do ahead.
    expect(host.prefetchSignature(trie, tx, at)).toBe(undefined);
    // Validation finds its check in the cache (a hit, no miss).
    expect('ok' in validate(tx)).toBe(true);
    expect(host.signatureCache.stats()).toMatchObject({ hits: before.hits + 1, misses: before.misses });

    // A tampered copy (amount changed): the thread says false, nothing is recorded, validation refuses it.
    const tampered = tx.slice();
    tampered[tampered.length - 1] ^= 0x01;
    await host.prefetchSignature(trie, tampered, at);
    expect(host.signatureCache.stats().entries).toBe(before.entries + 1);
    expect(validate(tampered)).toEqual({ err: { type: 'Invalid', value: { type: 'BadProof' } } });
    // Bytes that are no extrinsic: nothing to do ahead (validation reports them as before).
    expect(host.prefetchSignature(trie, new Uint8Array([4, 1, 2]), at)).toBe(undefined);
  });
});
