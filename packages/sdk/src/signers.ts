/**
 * Who signs: a key from `@polkadot/keyring` (sr25519 dev URIs and mnemonics, Ethereum private keys and Moonbeam's
 * Alith…Faith), or any polkadot-js extension signer. The same object signs the chain's transactions and the
 * gateway's W3Auth header.
 */
import type { Signer as InjectedSigner } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, isEthereumAddress } from '@polkadot/util-crypto';
import {
  ETH_DEV_ACCOUNT_NAMES,
  ETH_DEV_PRIVATE_KEYS,
  type EthDevAccountName,
} from '@xstorage/runtime/dev-accounts-eth';
import { BadInputError } from './errors.ts';
import type { AccountKind } from './networks.ts';

export interface XstorageSigner {
  readonly kind: AccountKind;
  /** SS58 (generic prefix 42) for sr25519 accounts, the 0x address for Ethereum ones. */
  readonly address: string;
  /** 32 or 20 bytes. */
  readonly accountId: Uint8Array;
  /** What `tx.signAndSend(account, options)` takes. */
  readonly txAccount: KeyringPair | string;
  readonly txOptions: { signer?: InjectedSigner };
  /** Signs `message` for W3Auth: sr25519 over the raw bytes, EIP-191 `personal_sign` for Ethereum keys. */
  signMessage(message: Uint8Array): Promise<Uint8Array>;
}

/** `\x19Ethereum Signed Message:\n<len>` ‖ message: what `personal_sign` hashes (keccak256, in the keyring). */
function personalMessage(message: Uint8Array): Uint8Array {
  return u8aConcat(stringToU8a(`\x19Ethereum Signed Message:\n${message.length}`), message);
}

/**
 * Wraps a `@polkadot/keyring` pair (type `sr25519`, `ed25519` or `ethereum`).
 *
 * @example
 * const signer = keyringSigner(new Keyring({ type: 'sr25519' }).addFromUri('//Alice'));
 */
export function keyringSigner(pair: KeyringPair): XstorageSigner {
  const kind: AccountKind = pair.type === 'ethereum' ? 'ethereum' : 'sr25519';
  return {
    kind,
    address: pair.address,
    accountId: kind === 'ethereum' ? hexToU8a(pair.address) : decodeAddress(pair.address),
    txAccount: pair,
    txOptions: {},
    signMessage: async (message) => pair.sign(kind === 'ethereum' ? personalMessage(message) : message),
  };
}

/**
 * A signer from a secret: for sr25519 chains a URI (`//Alice`, a mnemonic, `0x` seed, with `//derivation`), for
 * Ethereum chains a `0x` private key or one of Alith, Baltathar, Charleth, Dorothy, Ethan, Faith.
 *
 * @example
 * const alice = await signerFromSecret('//Alice', 'sr25519');
 * const alith = await signerFromSecret('Alith', 'ethereum');
 */
export async function signerFromSecret(secret: string, kind: AccountKind): Promise<XstorageSigner> {
  await cryptoWaitReady();
  const s = secret.trim();
  if (kind === 'ethereum') {
    const name = ETH_DEV_ACCOUNT_NAMES.find((n) => n.toLowerCase() === s.toLowerCase());
    const key = name ? ETH_DEV_PRIVATE_KEYS[name as EthDevAccountName] : s;
    if (!isHex(key) || hexToU8a(key).length !== 32)
      throw new BadInputError(
        `this chain uses Ethereum accounts: give a 0x private key (32 bytes) or one of ${ETH_DEV_ACCOUNT_NAMES.join(', ')}`,
      );
    return keyringSigner(new Keyring({ type: 'ethereum' }).addFromUri(key));
  }
  if (ETH_DEV_ACCOUNT_NAMES.some((n) => n.toLowerCase() === s.toLowerCase()))
    throw new BadInputError(
      `${s} is an Ethereum dev account: this chain uses sr25519 accounts, e.g. //Alice`,
    );
  try {
    return keyringSigner(new Keyring({ type: 'sr25519' }).addFromUri(s));
  } catch (err) {
    throw new BadInputError(
      `not a secret URI (//Alice, a mnemonic, or a 0x seed): ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/**
 * A polkadot-js extension account (`web3FromAddress(address).signer`). W3Auth uses `signRaw`, whose `<Bytes>`
 * wrapping the gateway accepts.
 *
 * @example
 * const injector = await web3FromAddress(address);
 * const signer = extensionSigner(address, injector.signer);
 */
export function extensionSigner(
  address: string,
  signer: InjectedSigner,
  kind: AccountKind = isEthereumAddress(address) ? 'ethereum' : 'sr25519',
): XstorageSigner {
  return {
    kind,
    address,
    accountId: kind === 'ethereum' ? hexToU8a(address) : decodeAddress(address),
    txAccount: address,
    txOptions: { signer },
    async signMessage(message) {
      if (!signer.signRaw)
        throw new BadInputError('this extension signer cannot sign raw messages (signRaw)');
      const { signature } = await signer.signRaw({ address, data: u8aToHex(message), type: 'bytes' });
      return hexToU8a(signature);
    },
  };
}
