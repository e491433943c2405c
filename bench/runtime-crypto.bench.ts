/**
 * Crypto hot paths: sr25519 verification (the bottleneck of block import), ed25519 verification, and the hashes
 * used for every trie node and storage key. Each figure is compared with the pure-JS implementation a TypeScript
 * node would otherwise use (@polkadot/util-crypto / @noble), measured in the same run.
 */
import { blake2b } from '@noble/hashes/blake2b';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, sr25519Verify as sr25519VerifyJs, xxhashAsU8a } from '@polkadot/util-crypto';
import { ed25519Verify as ed25519VerifyWasm } from '@polkadot/wasm-crypto';
import { blake2_256, ed25519Verify, initCrypto, sr25519Verify, twox128 } from '@xstorage/runtime/crypto';
import { type BenchSuite, opsPerSecond, result } from './lib.ts';

const suite: BenchSuite = {
  name: 'runtime crypto',
  async run() {
    await initCrypto();
    await cryptoWaitReady();
    // A signed extrinsic payload is typically ~100-200 bytes.
    const msg = new Uint8Array(150).map((_, i) => i);
    const sr = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const ed = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
    const srSig = sr.sign(msg);
    const edSig = ed.sign(msg);
    if (!sr25519Verify(srSig, msg, sr.publicKey) || !ed25519Verify(edSig, msg, ed.publicKey)) {
      throw new Error('signature self-check failed');
    }
    const srOurs = opsPerSecond(() => sr25519Verify(srSig, msg, sr.publicKey), 1, 1000);
    const srJs = opsPerSecond(() => sr25519VerifyJs(msg, srSig, sr.publicKey), 1, 1000);
    const edOurs = opsPerSecond(() => ed25519Verify(edSig, msg, ed.publicKey), 1, 1000);
    const edWasm = opsPerSecond(() => ed25519VerifyWasm(edSig, msg, ed.publicKey), 1, 1000);
    // A typical trie branch node encoding (~ 16 children x 33 bytes) and a storage key part.
    const node = new Uint8Array(530).map((_, i) => i * 7);
    const keyPart = new TextEncoder().encode('Balances');
    const blakeOurs = opsPerSecond(() => blake2_256(node), 1, 500);
    const blakeJs = opsPerSecond(() => blake2b(node, { dkLen: 32 }), 1, 500);
    const twoxOurs = opsPerSecond(() => twox128(keyPart), 1, 500);
    const twoxJs = opsPerSecond(() => xxhashAsU8a(keyPart, 128, true), 1, 500);
    return [
      result(
        'runtime.crypto.sr25519_verify',
        srOurs,
        'verif/s',
        { name: 'util-crypto sr25519Verify (JS)', value: srJs },
        1,
        'higher',
      ),
      result(
        'runtime.crypto.ed25519_verify',
        edOurs,
        'verif/s',
        { name: 'wasm-crypto ed25519Verify (non-ZIP-215)', value: edWasm },
        null,
        'higher',
      ),
      result(
        'runtime.crypto.blake2_256_530b',
        blakeOurs,
        'hash/s',
        { name: '@noble/hashes blake2b', value: blakeJs },
        1,
        'higher',
      ),
      result(
        'runtime.crypto.twox128_key',
        twoxOurs,
        'hash/s',
        { name: 'util-crypto xxhash (JS)', value: twoxJs },
        1,
        'higher',
      ),
    ];
  },
};

export default suite;
