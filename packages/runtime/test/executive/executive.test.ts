/**
 * The executive with extrinsics signed by @polkadot/types (as `api.tx.balances.transferKeepAlive(..).signAndSend`
 * does), against a runtime whose Balances stand-in sits at Polkadot's indices: blocks of transfers execute with
 * exact balances, fees and events; every rejection reason comes back with the exact Substrate variant and leaves
 * state untouched; blocks re-execute with root checks; runtime API outputs decode with polkadot-js's own types.
 */
import type { Keyring } from '@polkadot/keyring';
import type { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { extrinsicsRoot } from '../../src/block/block.ts';
import type { Header } from '../../src/block/header.ts';
import { initCrypto } from '../../src/crypto/index.ts';
import { BlockExecutionError } from '../../src/executive/errors.ts';
import { nonceTag } from '../../src/extrinsic/extensions/check-nonce.ts';
import { ExtrinsicDecodeError, encodeExtrinsic } from '../../src/extrinsic/unchecked-extrinsic.ts';
import { Account, Events } from '../../src/pallets/system/pallet.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { memoryGenesis } from '../support/memory-genesis.ts';
import { devKeyring, type KeyPair, polkadotRegistry } from '../support/polkadot-js.ts';
import { EXISTENTIAL_DEPOSIT, makeTestRuntime, memoryStorageRoot } from './test-runtime.ts';

const UNIT = 10n ** 12n;
const runtimeVersion = { specVersion: 1_000, transactionVersion: 1 };

let registry: TypeRegistry;
let keyring: Keyring;
let alice: KeyPair;
let bob: KeyPair;
let charlie: KeyPair;
let dave: KeyPair;

beforeAll(async () => {
  await initCrypto();
  registry = polkadotRegistry();
  keyring = devKeyring();
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  charlie = keyring.addFromUri('//Charlie');
  dave = keyring.addFromUri('//Dave');
});

interface Chain {
  rt: ReturnType<typeof makeTestRuntime>;
  backend: MemoryBackend;
  genesis: Header;
  genesisHash: Uint8Array;
}

function newChain(): Chain {
  const rt = makeTestRuntime();
  const overlay = rt.runtime.buildGenesis({
    Balances: {
      balances: [
        [alice.publicKey, 1_000n * UNIT],
        [bob.publicKey, 100n * UNIT],
        [dave.publicKey, EXISTENTIAL_DEPOSIT + 10n],
      ],
    },
  });
  const { backend, genesis, genesisHash } = memoryGenesis(overlay);
  return { rt, backend, genesis, genesisHash };
}

function transfer(
  chain: Chain,
  from: typeof alice,
  to: Uint8Array,
  value: bigint,
  nonce: number,
  opts: {
    era?: unknown;
    blockHash?: Uint8Array;
    genesisHash?: Uint8Array;
    specVersion?: number;
    tip?: bigint;
  } = {},
): Uint8Array {
  const method = registry.createType('Call', { callIndex: [5, 3], args: { dest: { Id: to }, value } });
  const ext = registry.createType('Extrinsic', method);
  const genesisHash = u8aToHex(opts.genesisHash ?? chain.genesisHash);
  ext.sign(from, {
    blockHash: opts.blockHash ? u8aToHex(opts.blockHash) : genesisHash,
    genesisHash,
    nonce,
    era: opts.era as never,
    tip: opts.tip ?? 0n,
    runtimeVersion: { ...runtimeVersion, specVersion: opts.specVersion ?? runtimeVersion.specVersion },
  } as never);
  return ext.toU8a();
}

/** Builds block #1 on genesis: initialize, apply each extrinsic, finalize. */
function buildBlock(chain: Chain, xts: Uint8Array[], prepare?: () => void) {
  const { executive } = chain.rt;
  const overlay = new Overlay(chain.backend);
  const header: Header = {
    parentHash: chain.genesisHash,
    number: 1,
    stateRoot: new Uint8Array(32),
    extrinsicsRoot: new Uint8Array(32),
    digest: { logs: [] },
  };
  const results = executive.run(overlay, () => {
    executive.initializeBlock(header);
    prepare?.();
    return xts.map((x) => executive.applyExtrinsic(x));
  });
  const final = executive.run(overlay, () => executive.finalizeBlock());
  return { overlay, results, header: final };
}

/** polkadot-js's decoding of a runtime API output by its own type name (untyped without api-augment). */
const pjs = (type: string, bytes: Uint8Array): any => registry.createType(type, bytes);

const feeOf = (len: number) => 12_500n + 4_900n + BigInt(len) * 10n; // base + weight + length (multiplier 1)

describe('block execution', () => {
  it('executes a block of signed transfers: exact balances, fees, nonces and events; re-execution checks roots', () => {
    const chain = newChain();
    const xts = [
      transfer(chain, alice, bob.publicKey, 10n * UNIT, 0),
      transfer(chain, alice, charlie.publicKey, 5n * UNIT, 1),
      transfer(chain, bob, charlie.publicKey, 1n * UNIT, 0),
    ];
    const { overlay, results, header } = buildBlock(chain, xts);
    expect(results).toEqual([
      { ok: { ok: undefined } },
      { ok: { ok: undefined } },
      { ok: { ok: undefined } },
    ]);
    const { executive } = chain.rt;
    executive.run(overlay, () => {
      const a = Account.get(alice.publicKey);
      expect(a.nonce).toBe(2);
      expect(a.data.free).toBe(1_000n * UNIT - 15n * UNIT - feeOf(xts[0].length) - feeOf(xts[1].length));
      const b = Account.get(bob.publicKey);
      expect(b.nonce).toBe(1);
      expect(b.data.free).toBe(100n * UNIT + 10n * UNIT - 1n * UNIT - feeOf(xts[2].length));
      expect(Account.get(charlie.publicKey).data.free).toBe(6n * UNIT);
      const events = Events.get().map((e: any) => [e.phase, e.event.type, e.event.value.type]);
      expect(events).toEqual([
        [{ type: 'ApplyExtrinsic', value: 0 }, 'Balances', 'Transfer'],
        [{ type: 'ApplyExtrinsic', value: 0 }, 'System', 'ExtrinsicSuccess'],
        [{ type: 'ApplyExtrinsic', value: 1 }, 'Balances', 'Transfer'],
        [{ type: 'ApplyExtrinsic', value: 1 }, 'System', 'ExtrinsicSuccess'],
        [{ type: 'ApplyExtrinsic', value: 2 }, 'Balances', 'Transfer'],
        [{ type: 'ApplyExtrinsic', value: 2 }, 'System', 'ExtrinsicSuccess'],
      ]);
      const transferEvent = Events.get()[0].event.value.value;
      expect(transferEvent).toEqual({ from: alice.publicKey, to: bob.publicKey, amount: 10n * UNIT });
      // ExtrinsicSuccess carries the actual weight plus base_extrinsic, class and pays_fee.
      expect(Events.get()[1].event.value.value.dispatch_info).toEqual({
        weight: { refTime: 49_000_000 + 125_000_000, proofSize: 3_593 },
        class: 'Normal',
        paysFee: 'Yes',
      });
    });
    expect(u8aToHex(header.extrinsicsRoot)).toBe(u8aToHex(extrinsicsRoot(xts, 1)));
    expect(header.parentHash).toEqual(chain.genesisHash);

    // Import: re-execute the block on the genesis state; the roots must agree.
    const importer = new Overlay(chain.backend);
    chain.rt.executive.run(importer, () => chain.rt.executive.executeBlock({ header, extrinsics: xts }));
    expect(importer.changes().length).toBe(overlay.changes().length);

    const bad = (h: Partial<Header>, reason: string) => {
      const o = new Overlay(chain.backend);
      expect(() =>
        chain.rt.executive.run(o, () =>
          chain.rt.executive.executeBlock({ header: { ...header, ...h }, extrinsics: xts }),
        ),
      ).toThrow(expect.objectContaining({ name: 'BlockExecutionError', reason }));
    };
    bad({ stateRoot: new Uint8Array(32).fill(1) }, 'StateRootMismatch');
    bad({ extrinsicsRoot: new Uint8Array(32).fill(1) }, 'ExtrinsicsRootMismatch');
    // As in Substrate, System::initialize records the header's parent as BlockHash(n - 1), so a wrong parent shows
    // up as signatures that no longer verify (CheckGenesis/CheckMortality sign those hashes); picking the parent
    // state is the importing node's job.
    bad({ parentHash: new Uint8Array(32).fill(1) }, 'InvalidExtrinsic');
    bad({ number: 0 }, 'InvalidParentHash');
    bad({ digest: { logs: [{ type: 'Other', value: new Uint8Array([1]) }] } }, 'DigestMismatch');
    const o = new Overlay(chain.backend);
    expect(() =>
      chain.rt.executive.run(o, () =>
        chain.rt.executive.executeBlock({ header, extrinsics: [xts[0], xts[0]] }),
      ),
    ).toThrow(BlockExecutionError);
  });

  it('a failing call still pays its fee and bumps the nonce: Ok(Err(Module)) with ExtrinsicFailed', () => {
    const chain = newChain();
    const xt = transfer(chain, bob, charlie.publicKey, 500n * UNIT, 0);
    const { overlay, results } = buildBlock(chain, [xt]);
    expect(results[0]).toEqual({
      ok: { err: { type: 'Module', value: { index: 5, error: new Uint8Array([2, 0, 0, 0]) } } },
    });
    chain.rt.executive.run(overlay, () => {
      expect(Account.get(bob.publicKey).nonce).toBe(1);
      expect(Account.get(bob.publicKey).data.free).toBe(100n * UNIT - feeOf(xt.length));
      expect(Account.get(charlie.publicKey).data.free).toBe(0n);
      expect(Events.get().map((e: any) => e.event.value.type)).toEqual(['ExtrinsicFailed']);
    });
  });
});

describe('rejections leave state untouched', () => {
  function expectRejected(chain: Chain, xt: Uint8Array, reason: object, prepare?: () => void) {
    const { executive } = chain.rt;
    const overlay = new Overlay(chain.backend);
    const header: Header = {
      parentHash: chain.genesisHash,
      number: 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    executive.run(overlay, () => {
      executive.initializeBlock(header);
      prepare?.();
    });
    const before = overlay.changes().map(([k, v]) => [u8aToHex(k), v && u8aToHex(v)]);
    const rootBefore = memoryStorageRoot(overlay, 1);
    const r = executive.run(overlay, () => executive.applyExtrinsic(xt));
    expect(r).toEqual({ err: reason });
    expect(overlay.changes().map(([k, v]) => [u8aToHex(k), v && u8aToHex(v)])).toEqual(before);
    expect(memoryStorageRoot(overlay, 1)).toEqual(rootBefore);
    return overlay;
  }
  const inv = (type: string) => ({ type: 'Invalid', value: { type } });

  it('tampered signature → BadProof', () => {
    const chain = newChain();
    const xt = transfer(chain, alice, bob.publicKey, UNIT, 0);
    const p = (xt[0] & 3) === 1 ? 2 : 1; // compact length prefix
    expect(xt[p]).toBe(0x84);
    expect(xt[p + 34]).toBe(1); // MultiSignature::Sr25519 after MultiAddress::Id(32 bytes)
    const sigAt = p + 35;
    const tampered = xt.slice();
    tampered[sigAt + 5] ^= 0xff;
    expectRejected(chain, tampered, inv('BadProof'));
  });

  it('wrong genesis hash or spec version in the signed payload → BadProof', () => {
    const chain = newChain();
    expectRejected(
      chain,
      transfer(chain, alice, bob.publicKey, UNIT, 0, { genesisHash: new Uint8Array(32).fill(7) }),
      inv('BadProof'),
    );
    expectRejected(
      chain,
      transfer(chain, alice, bob.publicKey, UNIT, 0, { specVersion: 999 }),
      inv('BadProof'),
    );
  });

  it('replayed extrinsic → Stale; nonce from the future → Future', () => {
    const chain = newChain();
    const xt = transfer(chain, alice, bob.publicKey, UNIT, 0);
    expectRejected(chain, xt, inv('Stale'), () => {
      expect(chain.rt.executive.applyExtrinsic(xt)).toEqual({ ok: { ok: undefined } });
    });
    expectRejected(chain, transfer(chain, alice, bob.publicKey, UNIT, 5), inv('Future'));
  });

  it('mortal era whose birth block is unknown → AncientBirthBlock', () => {
    const chain = newChain();
    const era = registry.createType('ExtrinsicEra', { current: 1000, period: 64 });
    const xt = transfer(chain, alice, bob.publicKey, UNIT, 0, { era, blockHash: new Uint8Array(32).fill(3) });
    expectRejected(chain, xt, inv('AncientBirthBlock'));
  });

  it('block weight exhausted → ExhaustsResources; fee unaffordable → Payment', () => {
    const chain = newChain();
    const max = chain.rt.executive.system.blockWeights.max_block;
    expectRejected(chain, transfer(chain, alice, bob.publicKey, UNIT, 0), inv('ExhaustsResources'), () =>
      chain.rt.executive.system.registerExtraWeightUnchecked(
        { refTime: max.refTime * 0.75, proofSize: 0 },
        'Normal',
      ),
    );
    expectRejected(chain, transfer(chain, dave, bob.publicKey, 1n, 0), inv('Payment'));
  });

  it('unknown signer address kind → Unknown(CannotLookup); undecodable bytes → ExtrinsicDecodeError', () => {
    const chain = newChain();
    const xt = transfer(chain, alice, bob.publicKey, UNIT, 0);
    const idx = xt.slice();
    const p = (xt[0] & 3) === 1 ? 2 : 1;
    idx[p + 1] = 0x03; // MultiAddress::Address32 instead of Id: same length, AccountIdLookup cannot resolve it
    expectRejected(chain, idx, { type: 'Unknown', value: { type: 'CannotLookup' } });
    const unknownCall = encodeExtrinsic(chain.rt.format, {
      call: {
        type: 'Balances',
        value: {
          type: 'transfer_keep_alive',
          value: { dest: { type: 'Id', value: bob.publicKey }, value: 1n },
        },
      },
    });
    unknownCall[2] = 42; // no pallet 42
    const overlay = new Overlay(chain.backend);
    expect(() =>
      chain.rt.executive.run(overlay, () => chain.rt.executive.applyExtrinsic(unknownCall)),
    ).toThrow(ExtrinsicDecodeError);
    expect(overlay.changes()).toEqual([]);
  });
});

describe('transaction pool validation', () => {
  it('valid/future/stale with Substrate tags and priority; never changes state', () => {
    const chain = newChain();
    const { executive } = chain.rt;
    const overlay = new Overlay(chain.backend);
    const validate = (xt: Uint8Array) =>
      executive.run(overlay, () => executive.validateTransaction('External', xt, chain.genesisHash));
    const now = validate(transfer(chain, alice, bob.publicKey, UNIT, 0, { tip: 100n }));
    expect(now).toEqual({
      ok: {
        priority: expect.any(BigInt),
        requires: [],
        provides: [nonceTag(alice.publicKey, 0)],
        // Immortal: death = u64::MAX, longevity = death - current block (1 while validating on top of genesis).
        longevity: (1n << 64n) - 2n,
        propagate: true,
      },
    });
    const future = validate(transfer(chain, alice, bob.publicKey, UNIT, 3));
    expect('ok' in future && future.ok.requires).toEqual([nonceTag(alice.publicKey, 2)]);
    expect('ok' in future && future.ok.provides).toEqual([nonceTag(alice.publicKey, 3)]);
    // The provides tag is SCALE((AccountId32, u32)): 32 key bytes then the nonce little-endian.
    expect(u8aToHex(nonceTag(alice.publicKey, 3))).toBe(`${u8aToHex(alice.publicKey)}03000000`);
    // Mortal: longevity = death - (best + 1)
    const era = registry.createType('ExtrinsicEra', { current: 0, period: 64 });
    const mortal = validate(
      transfer(chain, alice, bob.publicKey, UNIT, 0, { era, blockHash: chain.genesisHash }),
    );
    expect('ok' in mortal && mortal.ok.longevity).toBe(63n);
    expect(overlay.changes()).toEqual([]);
  });

  it('runtime API entry points speak SCALE that polkadot-js decodes with its own types', () => {
    const chain = newChain();
    const { runtime } = chain.rt;
    const overlay = new Overlay(chain.backend);
    const xt = transfer(chain, alice, bob.publicKey, UNIT, 0, { tip: 7n });

    const version = pjs('RuntimeVersion', runtime.callApi(overlay, 'Core_version', new Uint8Array()));
    expect(version.specVersion.toNumber()).toBe(1_000);
    const apiIds = version.apis.map(([id, v]: [any, any]) => `${id.toHex()}:${v.toNumber()}`);
    // Well-known sp_api ids (blake2_64 of the trait names), e.g. Core = 0xdf6acb689907609b.
    expect(apiIds).toContain('0xdf6acb689907609b:5');
    expect(apiIds).toContain('0x40fe3ad401f8959a:6'); // BlockBuilder
    expect(apiIds).toContain('0xd2bc9897eed08f15:3'); // TaggedTransactionQueue
    expect(apiIds).toContain('0xbc9d89904f5b923f:1'); // AccountNonceApi
    expect(apiIds).toContain('0x37c8bb1350a9a2a8:4'); // TransactionPaymentApi

    const input = new Uint8Array([2, ...xt, ...chain.genesisHash]); // (External, tx, block_hash)
    const validity = pjs(
      'TransactionValidity',
      runtime.callApi(overlay, 'TaggedTransactionQueue_validate_transaction', input),
    );
    expect(validity.isOk).toBe(true);
    expect(validity.asOk.provides.map((p: any) => p.toHex())).toEqual([
      u8aToHex(nonceTag(alice.publicKey, 0)),
    ]);

    const nonce = runtime.callApi(overlay, 'AccountNonceApi_account_nonce', alice.publicKey);
    expect(registry.createType('u32', nonce).toNumber()).toBe(0);

    const info = pjs(
      'RuntimeDispatchInfoV2',
      runtime.callApi(
        overlay,
        'TransactionPaymentApi_query_info',
        new Uint8Array([...xt, ...registry.createType('u32', xt.length).toU8a()]),
      ),
    );
    expect(info.partialFee.toBigInt()).toBe(feeOf(xt.length));
    expect(info.weight.refTime.toBigInt()).toBe(49_000_000n);

    // Build a block through the API layer: initialize, apply (Ok(Ok(())) = 0x0000), finalize.
    const header = registry.createType('Header', {
      parentHash: chain.genesisHash,
      number: 1,
      digest: { logs: [] },
    });
    runtime.callApi(overlay, 'Core_initialize_block', header.toU8a());
    const applied = runtime.callApi(overlay, 'BlockBuilder_apply_extrinsic', xt);
    expect(u8aToHex(applied)).toBe('0x0000');
    expect(pjs('ApplyExtrinsicResult', applied).isOk).toBe(true);
    const stale = pjs('ApplyExtrinsicResult', runtime.callApi(overlay, 'BlockBuilder_apply_extrinsic', xt));
    expect(stale.isErr && stale.asErr.isInvalid && stale.asErr.asInvalid.isStale).toBe(true);
    const finalHeader: any = registry.createType(
      'Header',
      runtime.callApi(overlay, 'BlockBuilder_finalize_block', new Uint8Array()),
    );
    expect(finalHeader.number.toNumber()).toBe(1);
    expect(finalHeader.extrinsicsRoot.toU8a()).toEqual(extrinsicsRoot([xt], 1));
    expect(() =>
      runtime.callApi(overlay, 'BlockBuilder_apply_extrinsic', new Uint8Array([8, 4, 42])),
    ).toThrow(ExtrinsicDecodeError);
  });
});
