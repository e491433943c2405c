/**
 * CheckMetadataHash (RFC-0078) as polkadot-js signs it: mode 0 adds one byte and `None` to the payload; mode 1
 * adds `Some(hash)`, so only a runtime with the same metadata hash reproduces the payload.
 */
import type { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../src/crypto/index.ts';
import { checkMetadataHash } from '../../src/extrinsic/extensions/check-metadata-hash.ts';
import type { ExtensionEnv } from '../../src/extrinsic/extensions/extension.ts';
import { ExtensionPipeline } from '../../src/extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../src/extrinsic/extensions/standard.ts';
import { MultiAddressCodec } from '../../src/extrinsic/multi-address.ts';
import { substrateScheme } from '../../src/extrinsic/signature-scheme.ts';
import { TransactionValidityError } from '../../src/extrinsic/transaction-validity.ts';
import {
  decodeExtrinsic,
  type ExtrinsicFormat,
  signingPayload,
} from '../../src/extrinsic/unchecked-extrinsic.ts';
import { compact, enumeration, struct, u128 } from '../../src/scale/index.ts';
import {
  devKeyring,
  type KeyPair,
  polkadotRegistry,
  STANDARD_EXTENSION_IDS,
} from '../support/polkadot-js.ts';

const IDS = [...STANDARD_EXTENSION_IDS, 'CheckMetadataHash'];
const HASH = new Uint8Array(32).fill(0xab);
const genesis = new Uint8Array(32).fill(0x11);
const Call = enumeration({
  Balances: [
    5,
    enumeration({ transfer_keep_alive: [3, struct({ dest: MultiAddressCodec, value: compact(u128) })] }),
  ],
});

// Only what the implicit parts read: spec/tx version and the block hashes.
const env = {
  blockNumber: () => 0,
  blockHash: () => genesis,
  specVersion: 9,
  transactionVersion: 3,
} as unknown as ExtensionEnv;

let registry: TypeRegistry;
let alice: KeyPair;
beforeAll(async () => {
  await initCrypto();
  registry = polkadotRegistry(IDS);
  alice = devKeyring().addFromUri('//Alice');
});

function sign(extraOptions: object) {
  const method = registry.createType('Call', {
    callIndex: [5, 3],
    args: { dest: { Id: alice.address }, value: 1n },
  });
  const ext = registry.createType('Extrinsic', method);
  ext.sign(alice, {
    blockHash: u8aToHex(genesis),
    genesisHash: u8aToHex(genesis),
    nonce: 0,
    runtimeVersion: { specVersion: 9, transactionVersion: 3 },
    ...extraOptions,
  } as never);
  return ext.toU8a();
}

function check(format: ExtrinsicFormat, bytes: Uint8Array): boolean {
  const xt = decodeExtrinsic(format, bytes);
  const payload = signingPayload(
    xt.callBytes,
    xt.extraBytes,
    format.extensions.encodeImplicit(env, xt.signed!.extra),
  );
  return format.scheme.verify(
    xt.signed!.signature,
    payload,
    substrateScheme.lookup(xt.signed!.address as never),
  );
}

describe('CheckMetadataHash', () => {
  const withHash = (hash?: Uint8Array): ExtrinsicFormat => ({
    scheme: substrateScheme,
    call: Call,
    extensions: new ExtensionPipeline([...STANDARD_EXTENSIONS, checkMetadataHash(hash)]),
  });

  it('mode 0 (disabled): verifies whether or not the runtime knows its hash', () => {
    const bytes = sign({});
    expect(decodeExtrinsic(withHash(HASH), bytes).signed!.extra[8]).toEqual({ type: 'Disabled' });
    expect(check(withHash(HASH), bytes)).toBe(true);
    expect(check(withHash(undefined), bytes)).toBe(true);
  });

  it('mode 1: verifies only against the same metadata hash; unknown hash → Unknown(CannotLookup)', () => {
    const bytes = sign({ mode: 1, metadataHash: u8aToHex(HASH) });
    expect(decodeExtrinsic(withHash(HASH), bytes).signed!.extra[8]).toEqual({ type: 'Enabled' });
    expect(check(withHash(HASH), bytes)).toBe(true);
    expect(check(withHash(new Uint8Array(32).fill(1)), bytes)).toBe(false);
    expect(() => check(withHash(undefined), bytes)).toThrow(TransactionValidityError);
  });
});
