/**
 * EVM-style extrinsics (Moonbeam/Darwinia: AccountId20 signer, EthereumSignature): signed the way polkadot-js signs
 * with an `ethereum` keyring pair (keccak256 of the signing payload, secp256k1, r ++ s ++ v), encoded, decoded and
 * verified by our format; tampering and wrong signers fail.
 */
import { Keyring } from '@polkadot/keyring';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../src/crypto/index.ts';
import { IMMORTAL } from '../../src/extrinsic/era.ts';
import { ExtensionPipeline } from '../../src/extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../src/extrinsic/extensions/standard.ts';
import { AccountId20 } from '../../src/extrinsic/primitives.ts';
import { ethereumScheme } from '../../src/extrinsic/signature-scheme.ts';
import {
  decodeExtrinsic,
  encodeExtrinsic,
  type ExtrinsicFormat,
  signingPayload,
} from '../../src/extrinsic/unchecked-extrinsic.ts';
import { bytes, compact, enumeration, struct, u128 } from '../../src/scale/index.ts';

const Call = enumeration({
  System: [0, enumeration({ remark: [0, struct({ remark: bytes })] })],
  Balances: [
    10,
    enumeration({ transfer_keep_alive: [3, struct({ dest: AccountId20, value: compact(u128) })] }),
  ],
});
const format: ExtrinsicFormat = {
  scheme: ethereumScheme,
  call: Call,
  extensions: new ExtensionPipeline(STANDARD_EXTENSIONS),
};
const genesis = new Uint8Array(32).fill(0x42);
const implicit = format.extensions.implicit.encode([
  undefined,
  3_000,
  2,
  genesis,
  genesis,
  undefined,
  undefined,
  undefined,
]);

// Alith, Moonbeam's well-known dev account (address 0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac).
const ALITH_SEED = '0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133';
let alith: ReturnType<Keyring['addFromUri']>;
let baltathar: ReturnType<Keyring['addFromUri']>;

beforeAll(async () => {
  await initCrypto();
  const keyring = new Keyring({ type: 'ethereum' });
  alith = keyring.addFromUri(ALITH_SEED);
  baltathar = keyring.addFromUri('0x8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b');
});

function signed(call: unknown, nonce: number, signer = alith) {
  const extra = [undefined, undefined, undefined, undefined, IMMORTAL, nonce, undefined, 0n];
  const payload = signingPayload(format.call.encode(call), format.extensions.extra.encode(extra), implicit);
  const signature = signer.sign(payload);
  return encodeExtrinsic(format, { call, signed: { address: signer.addressRaw, signature, extra } });
}

describe('Ethereum-signed extrinsics', () => {
  it('the dev account has the published Moonbeam address', () => {
    expect(alith.address.toLowerCase()).toBe('0xf24ff3a9cf04c71dbc94d0b566f7a27b94566cac');
  });

  for (const [name, call] of [
    [
      'transfer (short payload)',
      {
        type: 'Balances',
        value: { type: 'transfer_keep_alive', value: { dest: new Uint8Array(20).fill(9), value: 5n } },
      },
    ],
    [
      'remark of 400 bytes (payload hashed with blake2_256 first)',
      { type: 'System', value: { type: 'remark', value: { remark: new Uint8Array(400).fill(1) } } },
    ],
  ] as const) {
    it(`${name}: decodes, resolves the AccountId20 signer and verifies`, () => {
      const xt = decodeExtrinsic(format, signed(call, 4));
      expect(xt.signed!.address).toEqual(alith.addressRaw);
      expect((xt.signed!.signature as Uint8Array).length).toBe(65);
      const who = ethereumScheme.lookup(xt.signed!.address as Uint8Array);
      const payload = signingPayload(xt.callBytes, xt.extraBytes, implicit);
      expect(ethereumScheme.verify(xt.signed!.signature as Uint8Array, payload, who)).toBe(true);
      // Someone else's address with Alith's signature fails; so does a changed nonce.
      expect(ethereumScheme.verify(xt.signed!.signature as Uint8Array, payload, baltathar.addressRaw)).toBe(
        false,
      );
      const other = decodeExtrinsic(format, signed(call, 5));
      expect(ethereumScheme.verify(other.signed!.signature as Uint8Array, payload, who)).toBe(false);
    });
  }

  it('a truncated Ethereum extrinsic does not decode', () => {
    const good = signed(Call.decode(new Uint8Array([0, 0, 0])) as never, 0);
    expect(() => decodeExtrinsic(format, good.subarray(0, good.length - 1))).toThrow();
  });
});
