/**
 * Inherents through the executive with the Timestamp pallet (at Polkadot's index 3, `set` = call 0):
 * BlockBuilder_inherent_extrinsics builds a bare extrinsic polkadot-js decodes as timestamp.set, blocks must start
 * with their inherents, the pool refuses inherents (MandatoryValidation), check_inherents reports drift.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import metaStatic from '@polkadot/types-support/metadata/static-polkadot';
import { beforeAll, describe, expect, it } from 'vitest';
import { OpaqueExtrinsicCodec } from '../../src/block/block.ts';
import type { Header } from '../../src/block/header.ts';
import { initCrypto } from '../../src/crypto/index.ts';
import { Executive } from '../../src/executive/executive.ts';
import { frameSystem } from '../../src/executive/frame-system.ts';
import { InherentDataCodec } from '../../src/executive/inherents.ts';
import { executiveApis } from '../../src/executive/runtime-apis.ts';
import { substrateScheme } from '../../src/extrinsic/signature-scheme.ts';
import { decodeExtrinsic, encodeExtrinsic } from '../../src/extrinsic/unchecked-extrinsic.ts';
import { defineRuntime } from '../../src/frame/runtime.ts';
import { System } from '../../src/pallets/system/pallet.ts';
import {
  Now,
  Timestamp,
  timestampInherent,
  timestampInherentData,
} from '../../src/pallets/timestamp/pallet.ts';
import { vec } from '../../src/scale/index.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { memoryGenesis } from '../support/memory-genesis.ts';
import { Balances, extensions, fees, memoryStorageRoot, systemConfig } from './test-runtime.ts';

let registry: TypeRegistry;
beforeAll(async () => {
  await initCrypto();
  registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, metaStatic));
});

function setup() {
  let executive: Executive | undefined;
  const runtime = defineRuntime({
    pallets: [
      [0, System, systemConfig],
      [3, Timestamp, { minimumPeriod: 3_000n }],
      [5, Balances, {}],
    ] as const,
    version: {
      spec_name: 'xstorage-inherents-test',
      impl_name: 'xstorage',
      authoring_version: 1,
      spec_version: 1,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
    apis: executiveApis({ scheme: substrateScheme, extensions, executive: () => executive! }),
  });
  executive = new Executive({
    runtime,
    format: { scheme: substrateScheme, call: runtime.callCodec, extensions },
    system: frameSystem(runtime, systemConfig),
    fees,
    storageRoot: memoryStorageRoot,
    inherents: [timestampInherent],
  });
  const { backend, genesisHash } = memoryGenesis(runtime.buildGenesis());
  return { runtime, executive, backend, genesisHash };
}

const inherentData = (ms: bigint) => InherentDataCodec.encode({ data: new Map([timestampInherentData(ms)]) });

describe('inherents', () => {
  it('builds, applies and checks the timestamp inherent; the pool refuses it', () => {
    const { runtime, executive, backend, genesisHash } = setup();
    const overlay = new Overlay(backend);
    const header: Header = {
      parentHash: genesisHash,
      number: 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    runtime.callApi(overlay, 'Core_initialize_block', encodeHeader(header));
    const out = runtime.callApi(
      overlay,
      'BlockBuilder_inherent_extrinsics',
      inherentData(1_700_000_000_000n),
    );
    const [inherent] = vec(OpaqueExtrinsicCodec).decode(out);
    const pjs: any = registry.createType('Extrinsic', inherent);
    expect(pjs.isSigned).toBe(false);
    expect(`${pjs.method.section}.${pjs.method.method}`).toBe('timestamp.set');
    expect(pjs.method.args[0].toBigInt()).toBe(1_700_000_000_000n);

    // The pool never accepts inherents.
    expect(
      executive.run(overlay, () => executive.validateTransaction('External', inherent, genesisHash)),
    ).toEqual({
      err: { type: 'Invalid', value: { type: 'MandatoryValidation' } },
    });
    expect(executive.run(overlay, () => executive.applyExtrinsic(inherent))).toEqual({
      ok: { ok: undefined },
    });
    expect(executive.run(overlay, () => Now.get())).toBe(1_700_000_000_000n);
    // Still in the inherent phase: only a transaction (or finalization) ends it.
    expect(executive.run(overlay, () => executive.system.inherentsApplied())).toBe(false);
    const final = executive.run(overlay, () => executive.finalizeBlock());
    const block = { header: final, extrinsics: [inherent] };

    // Import: fine; check_inherents against local time: close → ok, far behind → TooFarInFuture (not fatal).
    executive.run(new Overlay(backend), () => executive.executeBlock(block));
    const ok = executive.run(new Overlay(backend), () =>
      executive.checkInherents(block, InherentDataCodec.decode(inherentData(1_700_000_000_500n)).data),
    );
    expect(ok.okay).toBe(true);
    const drift = executive.run(new Overlay(backend), () =>
      executive.checkInherents(block, InherentDataCodec.decode(inherentData(1_600_000_000_000n)).data),
    );
    expect(drift.okay).toBe(false);
    expect(drift.fatal_error).toBe(false);
    expect(drift.errors.data.size).toBe(1);
  });

  it('decodes and re-encodes the timestamp inherent of Kusama block #6754362 (0x280403000b406017cb7b01)', () => {
    const { executive } = setup();
    const real = Uint8Array.from(Buffer.from('280403000b406017cb7b01', 'hex'));
    const xt = decodeExtrinsic(executive.format, real);
    expect(xt.signed).toBeUndefined();
    expect(xt.call).toEqual(Timestamp.tx.set({ now: 0x017bcb176040n }));
    expect(encodeExtrinsic(executive.format, { call: xt.call })).toEqual(real);
  });

  it('a block whose inherent follows a transaction is rejected (InherentPosition)', () => {
    const { executive, backend, genesisHash } = setup();
    const inherent = encodeExtrinsic(executive.format, {
      call: Timestamp.tx.set({ now: 1_700_000_000_000n }),
    });
    const remark = encodeExtrinsic(executive.format, {
      call: { type: 'System', value: { type: 'remark', value: { remark: new Uint8Array([1]) } } },
    });
    const header: Header = {
      parentHash: genesisHash,
      number: 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    expect(() =>
      executive.run(new Overlay(backend), () =>
        executive.executeBlock({ header, extrinsics: [remark, inherent] }),
      ),
    ).toThrow(expect.objectContaining({ name: 'BlockExecutionError', reason: 'InherentPosition' }));
  });
});

function encodeHeader(h: Header): Uint8Array {
  return registry
    .createType('Header', {
      parentHash: h.parentHash,
      number: h.number,
      stateRoot: h.stateRoot,
      extrinsicsRoot: h.extrinsicsRoot,
      digest: { logs: [] },
    })
    .toU8a();
}
