/**
 * The dev runtime checks signatures through its host's `verifySignature` (as a Substrate runtime calls
 * `sp_io::crypto::sr25519_verify`): the host is asked exactly what polkadot-js signed, once per check, and its
 * answer decides (false → Invalid(BadProof), at validation and at block building alike). Without a host verifier
 * the plain check runs, so the pure runtime behaves as before.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SignatureKind, type SignatureVerifier, verifySignature } from '../../src/crypto/signatures.ts';
import { makeDevRuntime } from '../../src/runtimes/index.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { buildBlock, type DevChain, newDevChain, ready, signTx } from './dev-chain.ts';

beforeAll(() => ready);

interface Call {
  kind: SignatureKind;
  signature: Uint8Array;
  message: Uint8Array;
  signer: Uint8Array;
}

/** A chain whose runtime's host check is `verify` (same genesis: the same runtime configuration). */
function chainWithHost(verify: SignatureVerifier): DevChain {
  return { ...newDevChain(), dev: makeDevRuntime({ verifySignature: verify }) };
}

/** The pair's `sign`, recording what polkadot-js actually signed. */
function recording(pair: KeyringPair, sink: { payload?: Uint8Array }): KeyringPair {
  return new Proxy(pair, {
    get(target, prop, receiver) {
      if (prop === 'sign') {
        return (data: Uint8Array, options?: { withType?: boolean }) => {
          sink.payload = data.slice();
          return target.sign(data, options);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

describe('host signature check', () => {
  it('is asked once per check with what polkadot-js signed, and its true admits the transaction', () => {
    const calls: Call[] = [];
    const chain = chainWithHost((kind, signature, message, signer) => {
      calls.push({ kind, signature, message, signer });
      return verifySignature(kind, signature, message, signer);
    });
    const sink: { payload?: Uint8Array } = {};
    const alice = chain.pairs.alice;
    const xt = signTx(
      chain,
      recording(alice, sink),
      'Balances',
      'transfer_keep_alive',
      [{ Id: chain.pairs.bob.publicKey }, 1_000_000_000n],
      { nonce: 0 },
    );
    const { executive, runtime } = chain.dev;
    const v = runtime.execute(new Overlay(chain.backend), () =>
      executive.validateTransaction('External', xt, chain.headHash),
    );
    expect('ok' in v).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0].kind).toBe('sr25519');
    expect(calls[0].signer).toEqual(alice.publicKey);
    expect(calls[0].message).toEqual(sink.payload);
    // The 64 signature bytes as they sit in the extrinsic (after length prefix, 0x84, MultiAddress::Id, tag 1).
    const p = (xt[0] & 3) === 1 ? 2 : 1;
    expect(xt[p + 34]).toBe(1);
    expect(calls[0].signature).toEqual(xt.subarray(p + 35, p + 99));
    // Applying it in a block asks again (the host decides whether that costs a verification).
    const block = buildBlock(chain, [xt]);
    expect(block.results.at(-1)).toEqual({ ok: { ok: undefined } });
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual(calls[0]);
  });

  it("the host's false is BadProof, at validation and in a block, for a genuine signature", () => {
    const chain = chainWithHost(() => false);
    const xt = signTx(
      chain,
      chain.pairs.alice,
      'Balances',
      'transfer_keep_alive',
      [{ Id: chain.pairs.bob.publicKey }, 1_000_000_000n],
      { nonce: 0 },
    );
    const { executive, runtime } = chain.dev;
    const v = runtime.execute(new Overlay(chain.backend), () =>
      executive.validateTransaction('External', xt, chain.headHash),
    );
    expect(v).toEqual({ err: { type: 'Invalid', value: { type: 'BadProof' } } });
    const block = buildBlock(chain, [xt]);
    expect(block.results.at(-1)).toEqual({ err: { type: 'Invalid', value: { type: 'BadProof' } } });
  });

  it('without a host verifier the plain check runs: genuine passes, tampered is BadProof', () => {
    const chain = newDevChain();
    const xt = signTx(
      chain,
      chain.pairs.alice,
      'Balances',
      'transfer_keep_alive',
      [{ Id: chain.pairs.bob.publicKey }, 1_000_000_000n],
      { nonce: 0 },
    );
    const tampered = xt.slice();
    tampered[tampered.length - 1] ^= 0x01;
    const { executive, runtime } = chain.dev;
    const validate = (x: Uint8Array) =>
      runtime.execute(new Overlay(chain.backend), () =>
        executive.validateTransaction('External', x, chain.headHash),
      );
    expect('ok' in validate(xt)).toBe(true);
    expect(validate(tampered)).toEqual({ err: { type: 'Invalid', value: { type: 'BadProof' } } });
  });

  it('signatureCheckFor names exactly the check validation makes, immortal and mortal (birth = current block)', () => {
    const calls: Call[] = [];
    const chain = chainWithHost((kind, signature, message, signer) => {
      calls.push({ kind, signature, message, signer });
      return verifySignature(kind, signature, message, signer);
    });
    buildBlock(chain, []); // block #1: its hash is the birth of the mortal transaction below
    const { executive, runtime } = chain.dev;
    const alice = chain.pairs.alice;
    const immortal = signTx(
      chain,
      alice,
      'Balances',
      'transfer_keep_alive',
      [{ Id: chain.pairs.bob.publicKey }, 1_000_000_000n],
      { nonce: 0 },
    );
    const { registry } = chain;
    const call = registry.createType('Call', {
      callIndex: [2, 3],
      args: { dest: { Id: chain.pairs.bob.publicKey }, value: 7n },
    });
    const ext = registry.createType('Extrinsic', call);
    ext.sign(alice, {
      blockHash: u8aToHex(chain.headHash),
      era: registry.createType('ExtrinsicEra', { current: chain.head.number, period: 64 }),
      genesisHash: u8aToHex(chain.genesisHash!),
      nonce: 1,
      runtimeVersion: {
        specVersion: runtime.version.spec_version,
        transactionVersion: runtime.version.transaction_version,
      },
    } as never);
    const mortal = ext.toU8a();
    for (const xt of [immortal, mortal]) {
      calls.length = 0;
      const overlay = new Overlay(chain.backend);
      const check = runtime.execute(overlay, () => executive.signatureCheckFor(xt, chain.headHash));
      expect(overlay.changes()).toEqual([]);
      expect(calls).toHaveLength(0);
      const v = runtime.execute(new Overlay(chain.backend), () =>
        executive.validateTransaction('External', xt, chain.headHash),
      );
      expect(v).toMatchObject({ ok: expect.anything() });
      expect(calls).toHaveLength(1);
      expect(check).toEqual(calls[0]);
    }
    // Nothing to check ahead: a bare extrinsic (version byte 0x04) and bytes that are no extrinsic.
    const none = runtime.execute(new Overlay(chain.backend), () =>
      executive.signatureCheckFor(new Uint8Array([16, 4, 0, 0, 0]), chain.headHash),
    );
    expect(none).toBeUndefined();
    expect(
      runtime.execute(new Overlay(chain.backend), () =>
        executive.signatureCheckFor(new Uint8Array([9]), chain.headHash),
      ),
    ).toBeUndefined();
  });
});
