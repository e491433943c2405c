/**
 * With only our metadata, polkadot-js builds and signs a transaction for our runtime (it learns the call enum and the
 * signed extensions from metadata), and our extrinsic decoder gets back the same call and signer.
 */
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExtensionPipeline } from '../../src/extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../src/extrinsic/extensions/standard.ts';
import { substrateScheme } from '../../src/extrinsic/signature-scheme.ts';
import { decodeExtrinsic } from '../../src/extrinsic/unchecked-extrinsic.ts';
import { generateMetadata } from '../../src/metadata/index.ts';
import { runtime, Template } from '../frame/mini-runtime.ts';

describe('polkadot-js signs against our metadata', () => {
  beforeAll(async () => {
    await cryptoWaitReady();
  });

  it.each([14, 15] as const)('V%i: signed extensions and call round-trip through our decoder', (version) => {
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, generateMetadata(runtime, version));
    registry.setMetadata(metadata);
    expect(registry.signedExtensions).toEqual(STANDARD_EXTENSIONS.map((e) => e.identifier));

    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const call = registry.createType('Call', { callIndex: [42, 0], args: { value: 7 } });
    const xt = registry.createType('Extrinsic', call);
    xt.sign(alice, {
      blockHash: new Uint8Array(32),
      genesisHash: new Uint8Array(32),
      nonce: 3,
      runtimeVersion: { specVersion: 100, transactionVersion: 1 } as never,
      signedExtensions: registry.signedExtensions,
    });
    const decoded = decodeExtrinsic(
      {
        scheme: substrateScheme,
        call: runtime.callCodec,
        extensions: new ExtensionPipeline(STANDARD_EXTENSIONS),
      },
      xt.toU8a(),
    );
    expect(decoded.call).toEqual(Template.tx.store({ value: 7 }));
    expect(decoded.signed!.address).toEqual({ type: 'Id', value: alice.publicKey });
    expect(u8aToHex(decoded.callBytes)).toBe('0x2a0007000000');
  });
});
