/**
 * The executive with the real Balances pallet (pallets/balances, at Polkadot's index 5): a block of transfers signed
 * by @polkadot/types executes with exact balances, nonces and events, and re-executes with root checks.
 */
import type { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../src/crypto/index.ts';
import { decodeExtrinsic } from '../../src/extrinsic/unchecked-extrinsic.ts';
import { Account, Events } from '../../src/pallets/system/pallet.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { devKeyring, type KeyPair, polkadotRegistry } from '../support/polkadot-js.ts';
import { makeBalancesRuntime } from './test-runtime.ts';

const UNIT = 10n ** 10n;

let registry: TypeRegistry;
let alice: KeyPair;
let bob: KeyPair;
let charlie: KeyPair;

beforeAll(async () => {
  await initCrypto();
  registry = polkadotRegistry();
  const keyring = devKeyring();
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  charlie = keyring.addFromUri('//Charlie');
});

function setup() {
  const chain = makeBalancesRuntime([
    [alice.publicKey, 1_000n * UNIT],
    [bob.publicKey, 10n * UNIT],
  ]);
  const decodeCall = (xt: Uint8Array) => decodeExtrinsic(chain.executive.format, xt).call;
  return { ...chain, decodeCall };
}

describe('executive + pallet-balances', () => {
  it('executes polkadot-js transferKeepAlive extrinsics with exact balances, nonces and events', () => {
    const { executive, backend, genesisHash, decodeCall } = setup();
    const sign = (from: typeof alice, to: Uint8Array, value: bigint, nonce: number) => {
      const method = registry.createType('Call', { callIndex: [5, 3], args: { dest: { Id: to }, value } });
      const ext = registry.createType('Extrinsic', method);
      ext.sign(from, {
        blockHash: u8aToHex(genesisHash),
        genesisHash: u8aToHex(genesisHash),
        nonce,
        runtimeVersion: { specVersion: 7, transactionVersion: 2 },
      } as never);
      return ext.toU8a();
    };
    const xts = [
      sign(alice, bob.publicKey, 100n * UNIT, 0),
      sign(alice, charlie.publicKey, 3n * UNIT, 1),
      // Would leave Bob below the existential deposit: keep-alive refuses, the fee is still paid.
      sign(bob, charlie.publicKey, 110n * UNIT, 0),
    ];
    const overlay = new Overlay(backend);
    const header = executive.run(overlay, () => {
      executive.initializeBlock({
        parentHash: genesisHash,
        number: 1,
        stateRoot: new Uint8Array(32),
        extrinsicsRoot: new Uint8Array(32),
        digest: { logs: [] },
      });
      const results = xts.map((x) => executive.applyExtrinsic(x));
      expect(results[0]).toEqual({ ok: { ok: undefined } });
      expect(results[1]).toEqual({ ok: { ok: undefined } });
      expect('ok' in results[2] && 'err' in results[2].ok).toBe(true);
      return executive.finalizeBlock();
    });
    // base_extrinsic (125_000_000 ps) + the call's declared ref time, at 1 unit per 10^4 ps, + 10 per byte.
    const callWeight = executive.run(overlay, () => executive.runtime.callInfo(decodeCall(xts[0])));
    const fee = (len: number) =>
      12_500n + BigInt(Math.floor(callWeight.weight.refTime / 10_000)) + BigInt(len) * 10n;
    executive.run(overlay, () => {
      const a = Account.get(alice.publicKey);
      expect(a.nonce).toBe(2);
      expect(a.data.free).toBe(1_000n * UNIT - 103n * UNIT - fee(xts[0].length) - fee(xts[1].length));
      const b = Account.get(bob.publicKey);
      expect(b.nonce).toBe(1);
      expect(b.data.free).toBe(110n * UNIT - fee(xts[2].length));
      expect(Account.get(charlie.publicKey).data.free).toBe(3n * UNIT);
      const events = Events.get().map((e: any) => `${e.event.type}.${e.event.value.type}`);
      expect(
        events.filter((e: string) => e === 'Balances.Transfer' || e.startsWith('System.Extrinsic')),
      ).toEqual([
        'Balances.Transfer',
        'System.ExtrinsicSuccess',
        'Balances.Transfer',
        'System.ExtrinsicSuccess',
        'System.ExtrinsicFailed',
      ]);
      const transfer = Events.get().find(
        (e: any) => e.event.type === 'Balances' && e.event.value.type === 'Transfer',
      );
      expect(transfer?.event.value.value).toEqual({
        from: alice.publicKey,
        to: bob.publicKey,
        amount: 100n * UNIT,
      });
    });
    // Import on the genesis state reproduces the same roots.
    const importer = new Overlay(backend);
    executive.run(importer, () => executive.executeBlock({ header, extrinsics: xts }));
  });
});
