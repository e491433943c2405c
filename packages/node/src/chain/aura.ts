/**
 * Aura-style author identity: a `PreRuntime(*b"aura", slot: u64)` digest before execution and a
 * `Seal(*b"aura", sr25519 signature of the pre-seal header hash)` after it, as sc-consensus-aura writes them.
 * The seal is the last digest item and is removed before the block is executed (it is not part of the state
 * transition: the runtime never sees it).
 */
// Deep imports: the package root loads all of util-crypto (~130 modules), a large share of node cold start.
import { keyExtractPath } from '@polkadot/util-crypto/key/extractPath';
import { keyFromPath } from '@polkadot/util-crypto/key/fromPath';
import { mnemonicToMiniSecret } from '@polkadot/util-crypto/mnemonic/toMiniSecret';
import { sr25519PairFromSeed } from '@polkadot/util-crypto/sr25519/pair/fromSeed';
import { sr25519Sign as sr25519SignJs } from '@polkadot/util-crypto/sr25519/sign';
import { sr25519Sign as sr25519SignWasm } from '@polkadot/wasm-crypto';
import type { DigestItem } from '@xstorage/runtime/block';
import { engineId, type Header, headerHash } from '@xstorage/runtime/block';
import { cryptoBackend, sr25519Verify } from '@xstorage/runtime/crypto';
import { DEV_PHRASE } from '@xstorage/runtime/runtimes';
import { u64 } from '@xstorage/runtime/scale';
import { BlockImportError } from './errors.ts';

export const AURA_ENGINE_ID = engineId('aura');

export interface AuthorityKey {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** The sr25519 key pair of `//Alice` (or any `//path`) on the dev phrase, as `subkey` and @polkadot/keyring derive it. */
export function devAuthorityKey(path = '//Alice'): AuthorityKey {
  const { path: junctions } = keyExtractPath(path);
  const root = sr25519PairFromSeed(mnemonicToMiniSecret(DEV_PHRASE));
  const pair = keyFromPath(root, junctions, 'sr25519');
  return { publicKey: pair.publicKey, secretKey: pair.secretKey };
}

const sameEngine = (id: Uint8Array) => id.length === 4 && id.every((b, i) => b === AURA_ENGINE_ID[i]);

export function slotDigest(slot: bigint): DigestItem {
  return { type: 'PreRuntime', value: [AURA_ENGINE_ID, u64.encode(slot)] } as DigestItem;
}

/** The slot a header claims in its aura pre-runtime digest. */
export function headerSlot(header: Header): bigint | undefined {
  for (const l of header.digest.logs) {
    if (l.type !== 'PreRuntime') continue;
    const [id, data] = l.value as [Uint8Array, Uint8Array];
    if (sameEngine(id) && data.length === 8) return u64.decode(data);
  }
  return undefined;
}

/** An sr25519 signature of `message` by `key` (seals, collator signatures, backing statements). */
export function signWith(key: AuthorityKey, message: Uint8Array): Uint8Array {
  // The wasm signer once initCrypto() has loaded it: ~6x faster than the pure-JS one, same key format.
  return cryptoBackend() === 'wasm'
    ? sr25519SignWasm(key.publicKey, key.secretKey, message)
    : sr25519SignJs(message, key);
}

/** Appends the author's seal: signature over the hash of the header as it is now. */
export function sealHeader(header: Header, key: AuthorityKey): Header {
  const sig = signWith(key, headerHash(header));
  const seal = { type: 'Seal', value: [AURA_ENGINE_ID, sig] } as DigestItem;
  return { ...header, digest: { logs: [...header.digest.logs, seal] } };
}

/**
 * Splits off and checks the seal: it must be the last digest item, be an aura seal, and be `authority`'s
 * signature of the pre-seal header hash. Returns the header without it (what the runtime executes).
 */
export function checkSeal(header: Header, authorities: readonly Uint8Array[]): Header {
  const logs = header.digest.logs;
  const last = logs.at(-1);
  if (!last || last.type !== 'Seal') throw new BlockImportError('MissingSeal', 'header has no seal');
  const [id, sig] = last.value as [Uint8Array, Uint8Array];
  if (!sameEngine(id)) throw new BlockImportError('MissingSeal', 'the seal is not an aura seal');
  const unsealed: Header = { ...header, digest: { logs: logs.slice(0, -1) } };
  if (headerSlot(unsealed) === undefined)
    throw new BlockImportError('MissingSlot', 'header has no aura pre-runtime slot digest');
  const preHash = headerHash(unsealed);
  if (sig.length !== 64 || !authorities.some((a) => sr25519Verify(sig, preHash, a))) {
    throw new BlockImportError('BadSeal', 'the seal is not a signature of an authority over the header');
  }
  return unsealed;
}
