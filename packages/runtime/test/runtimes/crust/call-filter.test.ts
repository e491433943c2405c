/**
 * `crustXcmCallFilter`, the SafeCallFilter the XCM executor consults before a Transact dispatches: over every call of
 * the Crust runtime (pallet by pallet, as its metadata lists them) it admits exactly the storage-order calls and
 * keep-alive transfers, and refuses the rest — Sudo, System, inherents, swork registration and reports, benefits,
 * the market's root setters, batching and proxies. Calls decoded from the bytes a parachain sends are admitted;
 * malformed values are refused, never thrown on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { Xstorage } from '../../../src/pallets/xstorage-crust/index.ts';
import {
  CRUST_XCM_TRANSACT_CALLS,
  crustProfile,
  crustXcmCallFilter,
} from '../../../src/runtimes/crust/index.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { ready } from './crust-chain.ts';

beforeAll(() => ready);

const ADMITTED = new Set([
  'Xstorage.place_storage_order_through_parachain',
  'Xstorage.place_storage_order',
  'Xstorage.place_storage_order_paying_with',
  'Market.place_storage_order',
  'Market.add_prepaid',
  'Balances.transfer_keep_alive',
]);

const call = (pallet: string, name: string): RuntimeCallValue => ({
  type: pallet,
  value: { type: name, value: {} },
});

describe('crustXcmCallFilter', () => {
  it('admits exactly the listed calls among every call of the Crust runtime', () => {
    const { runtime } = crustProfile.make();
    const all: string[] = [];
    for (const { pallet } of runtime.pallets)
      for (const name of Object.keys(pallet.calls ?? {})) all.push(`${pallet.name}.${name}`);
    expect(all.length).toBeGreaterThan(60);
    const admitted = all.filter((id) => {
      const [p, c] = id.split('.');
      return crustXcmCallFilter(call(p, c));
    });
    expect(new Set(admitted)).toEqual(ADMITTED);
    // Every admitted call exists in the runtime (no stale names in the list).
    for (const [p, calls] of Object.entries(CRUST_XCM_TRANSACT_CALLS))
      for (const c of calls) expect(all).toContain(`${p}.${c}`);
    for (const refused of [
      'Sudo.sudo',
      'Sudo.sudo_as',
      'System.remark',
      'System.set_code',
      'ParachainSystem.set_validation_data',
      'Timestamp.set',
      'Swork.register',
      'Swork.report_works',
      'Swork.set_code',
      'Benefits.add_benefit_funds',
      'Market.set_base_fee',
      'Market.set_enable_market',
      'Market.calculate_reward',
      'Xstorage.register_storage_fee',
      'Balances.transfer_allow_death',
      'Balances.force_transfer',
      'Utility.batch',
      'Proxy.proxy',
      'Multisig.as_multi',
      'StorageChallenge.respond',
    ])
      if (all.includes(refused)) expect(admitted, refused).not.toContain(refused);
  });

  it('admits the call decoded from the bytes a parachain Transact carries', () => {
    const { runtime } = crustProfile.make();
    const bytes = Uint8Array.of(127, 0, 4 << 2, 0x51, 0x6d, 0x58, 0x59, 0x01, 0, 0, 0, 0, 0, 0, 0);
    const decoded = runtime.execute(new Overlay(new MemoryBackend()), () => runtime.decodeCall(bytes));
    expect(decoded).toEqual(
      Xstorage.tx.place_storage_order_through_parachain({ cid: new TextEncoder().encode('QmXY'), size: 1n }),
    );
    expect(crustXcmCallFilter(decoded)).toBe(true);
  });

  it('refuses malformed or look-alike values without throwing', () => {
    for (const v of [
      undefined,
      null,
      {},
      { type: 'Xstorage' },
      { type: 'Xstorage', value: null },
      { type: 'Xstorage', value: { type: 0 } },
      call('xstorage', 'place_storage_order_through_parachain'),
      call('Xstorage', 'placeStorageOrderThroughParachain'),
      call('__proto__', 'place_storage_order'),
      call('constructor', 'place_storage_order'),
      call('Market', 'toString'),
      call('Market', 'length'),
    ])
      expect(crustXcmCallFilter(v as never), JSON.stringify(v)).toBe(false);
    expect(Object.isFrozen(CRUST_XCM_TRANSACT_CALLS)).toBe(true);
    expect(Object.isFrozen(CRUST_XCM_TRANSACT_CALLS.Market)).toBe(true);
  });
});
