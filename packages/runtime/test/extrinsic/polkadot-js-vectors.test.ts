/**
 * Extrinsics built and signed by @polkadot/types (the library @polkadot/api uses for `signAndSend`), against
 * polkadot-js's bundled Polkadot metadata (@polkadot/types-support static-polkadot, Balances = pallet 5,
 * transfer_keep_alive = call 3) with the standard extension list: our decoder parses them, our signing payload
 * equals polkadot-js's `ExtrinsicPayload` bytes, signatures verify, hashes agree.
 */
import { Keyring } from '@polkadot/keyring';
import type { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../src/crypto/index.ts';
import { ExtensionPipeline } from '../../src/extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../src/extrinsic/extensions/standard.ts';
import { MultiAddressCodec } from '../../src/extrinsic/multi-address.ts';
import { ethereumScheme, substrateScheme } from '../../src/extrinsic/signature-scheme.ts';
import {
  decodeExtrinsic,
  encodeExtrinsic,
  ExtrinsicDecodeError,
  extrinsicHash,
  type ExtrinsicFormat,
  signingPayload,
} from '../../src/extrinsic/unchecked-extrinsic.ts';
import { bytes, compact, enumeration, struct, u128, u32 } from '../../src/scale/index.ts';
import { devKeyring, type KeyPair, polkadotRegistry } from '../support/polkadot-js.ts';

const TestCall = enumeration({
  System: [0, enumeration({ remark: [0, struct({ remark: bytes })] })],
  Balances: [
    5,
    enumeration({ transfer_keep_alive: [3, struct({ dest: MultiAddressCodec, value: compact(u128) })] }),
  ],
});

const format: ExtrinsicFormat = {
  scheme: substrateScheme,
  call: TestCall,
  extensions: new ExtensionPipeline(STANDARD_EXTENSIONS),
};

const genesisHash = `0x${'91'.repeat(32)}`;
const blockHash = `0x${'ab'.repeat(32)}`;
const runtimeVersion = { specVersion: 1_003_000, transactionVersion: 26 };

let registry: TypeRegistry;
let alice: KeyPair;

beforeAll(async () => {
  await initCrypto();
  registry = polkadotRegistry();
  alice = devKeyring().addFromUri('//Alice');
});

function signedTransfer(nonce: number, era: ReturnType<TypeRegistry['createType']> | undefined, tip = 0) {
  const bob = devKeyring().addFromUri('//Bob');
  const method = registry.createType('Call', {
    callIndex: [5, 3],
    args: { dest: { Id: bob.address }, value: 1_234_567_890_123n },
  });
  const ext = registry.createType('Extrinsic', method);
  const options = { blockHash, genesisHash, nonce, era, runtimeVersion, tip };
  ext.sign(alice, options as any);
  return { ext, method, options, bob };
}

describe('polkadot-js signed extrinsics', () => {
  it('decodes a signed transferKeepAlive and re-encodes it byte for byte', () => {
    const era = registry.createType('ExtrinsicEra', { current: 1000, period: 64 });
    const { ext, bob } = signedTransfer(7, era, 5);
    const bytesIn = ext.toU8a();
    const xt = decodeExtrinsic(format, bytesIn);
    expect(xt.signed).toBeDefined();
    expect(xt.signed!.address).toEqual({ type: 'Id', value: alice.publicKey });
    expect((xt.signed!.signature as { type: string }).type).toBe('Sr25519');
    // extra = (NonZeroSender, Spec, Tx, Genesis, Mortality(era), Nonce, Weight, Payment(tip))
    expect(xt.signed!.extra[4]).toEqual({ kind: 'mortal', period: 64, phase: 1000 % 64 });
    expect(xt.signed!.extra[5]).toBe(7);
    expect(xt.signed!.extra[7]).toBe(5n);
    expect(xt.call).toEqual({
      type: 'Balances',
      value: {
        type: 'transfer_keep_alive',
        value: { dest: { type: 'Id', value: bob.publicKey }, value: 1_234_567_890_123n },
      },
    });
    expect(u8aToHex(encodeExtrinsic(format, xt))).toBe(u8aToHex(bytesIn));
    expect(u8aToHex(extrinsicHash(bytesIn))).toBe(ext.hash.toHex());
  });

  it('builds the same signing payload as ExtrinsicPayload and the signature verifies', () => {
    const era = registry.createType('ExtrinsicEra', { current: 4242, period: 128 });
    const { ext, method, options } = signedTransfer(3, era, 0);
    const payload = registry.createType(
      'ExtrinsicPayload',
      { ...options, method: method.toHex(), era, ...runtimeVersion },
      { version: 4 },
    );
    const theirs = payload.toU8a({ method: true });
    const xt = decodeExtrinsic(format, ext.toU8a());
    const extraBytes = format.extensions.extra.encode(xt.signed!.extra);
    const implicitBytes = format.extensions.implicit.encode([
      undefined,
      runtimeVersion.specVersion,
      runtimeVersion.transactionVersion,
      Uint8Array.from(Buffer.from(genesisHash.slice(2), 'hex')),
      Uint8Array.from(Buffer.from(blockHash.slice(2), 'hex')),
      undefined,
      undefined,
      undefined,
    ]);
    const ours = signingPayload(xt.callBytes, extraBytes, implicitBytes);
    expect(u8aToHex(ours)).toBe(u8aToHex(theirs));
    const signer = substrateScheme.lookup(xt.signed!.address as never);
    expect(substrateScheme.verify(xt.signed!.signature as never, ours, signer)).toBe(true);
    // A different spec version changes the payload, so the same signature no longer verifies (→ BadProof).
    const wrongSpec = format.extensions.implicit.encode([
      undefined,
      runtimeVersion.specVersion + 1,
      runtimeVersion.transactionVersion,
      Uint8Array.from(Buffer.from(genesisHash.slice(2), 'hex')),
      Uint8Array.from(Buffer.from(blockHash.slice(2), 'hex')),
      undefined,
      undefined,
      undefined,
    ]);
    expect(
      substrateScheme.verify(
        xt.signed!.signature as never,
        signingPayload(xt.callBytes, extraBytes, wrongSpec),
        signer,
      ),
    ).toBe(false);
  });

  it('hashes payloads longer than 256 bytes before signing (system.remark of 300 bytes)', () => {
    const method = registry.createType('Call', {
      callIndex: [0, 0],
      args: { remark: u8aToHex(new Uint8Array(300).fill(7)) },
    });
    const ext = registry.createType('Extrinsic', method);
    const options = { blockHash: genesisHash, genesisHash, nonce: 0, runtimeVersion };
    ext.sign(alice, options as any);
    const xt = decodeExtrinsic(format, ext.toU8a());
    expect(xt.signed!.extra[4]).toEqual({ kind: 'immortal' });
    const extraBytes = format.extensions.extra.encode(xt.signed!.extra);
    const g = Uint8Array.from(Buffer.from(genesisHash.slice(2), 'hex'));
    const implicitBytes = format.extensions.implicit.encode([
      undefined,
      1_003_000,
      26,
      g,
      g,
      undefined,
      undefined,
      undefined,
    ]);
    const ours = signingPayload(xt.callBytes, extraBytes, implicitBytes);
    expect(ours.length).toBe(32);
    const payload = registry.createType(
      'ExtrinsicPayload',
      { ...options, method: method.toHex(), ...runtimeVersion, era: '0x00' },
      { version: 4 },
    );
    const theirs = payload.toU8a({ method: true });
    expect(theirs.length).toBeGreaterThan(256);
    expect(substrateScheme.verify(xt.signed!.signature as never, ours, alice.publicKey)).toBe(true);
  });

  it('verifies ed25519 and ecdsa MultiSignatures from @polkadot/keyring', () => {
    const message = new Uint8Array([1, 2, 3, 4, 5]);
    const ed = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
    expect(substrateScheme.verify({ type: 'Ed25519', value: ed.sign(message) }, message, ed.publicKey)).toBe(
      true,
    );
    const ec = new Keyring({ type: 'ecdsa' }).addFromUri('//Alice');
    // An ecdsa signer's AccountId32 is blake2_256(compressed public key); keyring's addressRaw is exactly that.
    const sig = ec.sign(message);
    expect(substrateScheme.verify({ type: 'Ecdsa', value: sig }, message, ec.addressRaw)).toBe(true);
    expect(substrateScheme.verify({ type: 'Ecdsa', value: sig }, new Uint8Array([9]), ec.addressRaw)).toBe(
      false,
    );
  });

  it('verifies Ethereum signatures from an @polkadot/keyring ethereum pair against its AccountId20', () => {
    const eth = new Keyring({ type: 'ethereum' }).addFromUri(
      "bottom drive obey lake curtain smoke basket hold race lonely fit walk/m/44'/60'/0'/0/0",
    );
    const message = new Uint8Array(40).fill(3);
    const sig = eth.sign(message);
    expect(sig.length).toBe(65);
    expect(eth.addressRaw.length).toBe(20);
    expect(ethereumScheme.verify(sig, message, eth.addressRaw)).toBe(true);
    const tampered = sig.slice();
    tampered[10] ^= 1;
    expect(ethereumScheme.verify(tampered, message, eth.addressRaw)).toBe(false);
  });

  it('rejects malformed extrinsics with ExtrinsicDecodeError', () => {
    const { ext } = signedTransfer(0, undefined);
    const good = ext.toU8a();
    const cases: Uint8Array[] = [
      new Uint8Array([]),
      good.subarray(0, good.length - 1), // truncated
      Uint8Array.from([...good, 0]), // trailing byte
      Uint8Array.from([good[0], good[1], 0x85, ...good.subarray(3)]), // unknown version
      Uint8Array.from([...good.subarray(0, 2)]),
      (() => {
        const b = good.slice();
        b[0] += 4; // length prefix one larger than the content
        return b;
      })(),
    ];
    // Unknown call index (pallet 99).
    const bare = encodeExtrinsic(format, {
      call: { type: 'System', value: { type: 'remark', value: { remark: new Uint8Array([1]) } } },
    });
    const unknownCall = bare.slice();
    unknownCall[2] = 99;
    cases.push(unknownCall);
    // A hostile huge length prefix.
    cases.push(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x84]));
    for (const c of cases) expect(() => decodeExtrinsic(format, c)).toThrow(ExtrinsicDecodeError);
    void u32;
  });
});
