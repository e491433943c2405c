/**
 * `sp_session::SessionKeys` (version 1, the shape polkadot-js's `author_rotateKeys` era tools and most live chains
 * use): `generate_session_keys(seed)` makes one key per key type of the runtime's `SessionKeys` and returns their
 * concatenated encoding; `decode_session_keys` splits such bytes into (raw key, key type) pairs.
 *
 * Key generation is `sp_io::crypto::sr25519_generate`, a host function backed by the node's keystore. Given a seed
 * (a secret URI such as `//Alice`, a mnemonic, or a 0x seed), the key follows from it, as the keystore derives it;
 * without one the host must supply fresh keys (`HostFunctions.generateSessionKey`), else the call fails as it
 * does in a runtime executed without a keystore.
 */
import { keyExtractSuri } from '@polkadot/util-crypto/key/extractSuri';
import { keyFromPath } from '@polkadot/util-crypto/key/fromPath';
import { mnemonicToMiniSecret } from '@polkadot/util-crypto/mnemonic/toMiniSecret';
import { sr25519PairFromSeed } from '@polkadot/util-crypto/sr25519/pair/fromSeed';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { newtype } from '../../extrinsic/newtype.ts';
import { type SessionKeysDef } from '../../pallets/session/pallet.ts';
import { option, tuple, vec } from '../../scale/composite.ts';
import { bytes, bytesFixed } from '../../scale/primitives.ts';
import { DEV_PHRASE } from '../dev-accounts.ts';

/** `sp_core::crypto::KeyTypeId` */
export const KeyTypeIdTypeCodec = newtype(bytesFixed(4), ['sp_core', 'crypto', 'KeyTypeId'], '[u8; 4]');

export const SessionKeysDecl: RuntimeApiDecl = {
  name: 'SessionKeys',
  version: 1,
  docs: [' Session keys runtime api.'],
  methods: {
    generate_session_keys: {
      inputs: [['seed', option(bytes)]],
      output: bytes,
      docs: [
        ' Generate a set of session keys with optionally using the given seed.',
        ' The keys should be stored within the keystore exposed via runtime',
        ' externalities.',
        '',
        ' The seed needs to be a valid `utf8` string.',
        '',
        ' Returns the concatenated SCALE encoded public keys.',
      ],
    },
    decode_session_keys: {
      inputs: [['encoded', bytes]],
      output: option(vec(tuple(bytes, KeyTypeIdTypeCodec))),
      docs: [
        ' Decode the given public session keys.',
        '',
        ' Returns the list of public raw public keys + key type.',
      ],
    },
  },
};

/** The host's keystore: a new sr25519 key of `keyTypeId` (stored by the host), or one from `seed`. */
export type SessionKeyGenerator = (keyTypeId: Uint8Array, seed: string | undefined) => Uint8Array;

export class NoKeystoreError extends Error {
  override name = 'NoKeystoreError';
  constructor() {
    super('No `keystore` associated for the current context: pass a seed, or run the node with a keystore');
  }
}

/** `sr25519::Pair::from_string(seed, None)`: a secret URI on the dev phrase, a mnemonic, or a 0x seed. */
export function sr25519FromSuri(suri: string): Uint8Array {
  const { phrase, path } = keyExtractSuri(suri.startsWith('/') ? `${DEV_PHRASE}${suri}` : suri);
  const seed = /^0x[0-9a-fA-F]{64}$/.test(phrase)
    ? new Uint8Array(Buffer.from(phrase.slice(2), 'hex'))
    : mnemonicToMiniSecret(phrase);
  return keyFromPath(sr25519PairFromSeed(seed), path, 'sr25519').publicKey;
}

export function sessionKeysApi(keys: SessionKeysDef, generate?: SessionKeyGenerator): RuntimeApiImpl {
  const gen: SessionKeyGenerator =
    generate ??
    ((_id, seed) => {
      if (seed === undefined) throw new NoKeystoreError();
      return sr25519FromSuri(seed);
    });
  return {
    api: SessionKeysDecl,
    methods: {
      generate_session_keys: (seed: Uint8Array | undefined) => {
        const suri = seed === undefined ? undefined : new TextDecoder('utf-8', { fatal: true }).decode(seed);
        const value = Object.fromEntries(keys.fields.map((f) => [f.field, gen(f.keyTypeId, suri)]));
        return keys.codec.encode(value);
      },
      decode_session_keys: (encoded: Uint8Array) => {
        let value: Record<string, Uint8Array>;
        try {
          value = keys.codec.decode(encoded);
        } catch {
          return undefined;
        }
        return keys.fields.map((f) => [value[f.field], f.keyTypeId]);
      },
    },
  };
}
