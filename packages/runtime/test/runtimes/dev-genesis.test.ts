/**
 * The dev runtime's identity and genesis: //Alice..//Ferdie are the well-known Substrate dev accounts (SS58 addresses
 * published in the Substrate docs / `subkey inspect //Alice`), each endowed with 1,000,000 UNIT, Alice holds the sudo
 * key, RuntimeVersion and constants decode with @polkadot/types, and bad genesis configs are typed errors.
 */
import { encodeAddress } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { BalancesGenesisError, TotalIssuance } from '../../src/pallets/balances/index.ts';
import { Key } from '../../src/pallets/sudo/index.ts';
import { Account as SystemAccount } from '../../src/pallets/system/pallet.ts';
import { NEW_LOGIC_FLAG } from '../../src/pallets/system/types.ts';
import {
  DEV_ENDOWMENT,
  devAccounts,
  devGenesisConfig,
  devProperties,
  makeDevRuntime,
  PALLET_INDEX,
  UNIT,
} from '../../src/runtimes/index.ts';
import { newDevChain, read, ready } from './dev-chain.ts';
import { Overlay } from '../../src/state/overlay.ts';

beforeAll(() => ready);

describe('dev genesis', () => {
  it('derives the well-known dev accounts', () => {
    const a = devAccounts();
    expect(Object.fromEntries(Object.entries(a).map(([n, k]) => [n, encodeAddress(k, 42)]))).toEqual({
      Alice: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
      Bob: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
      Charlie: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
      Dave: '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy',
      Eve: '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw',
      Ferdie: '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL',
    });
  });

  it('endows each with 1,000,000 UNIT (one provider, new-logic flags) and makes Alice sudo', () => {
    const chain = newDevChain();
    const a = devAccounts();
    read(chain, () => {
      for (const [name, who] of Object.entries(a)) {
        expect(SystemAccount.get(who)).toEqual({
          nonce: 0,
          // Alice's session keys (she authors the dev chain) hold a consumer, as pallet_session's genesis does.
          consumers: name === 'Alice' ? 1 : 0,
          providers: 1,
          sufficients: 0,
          data: { free: DEV_ENDOWMENT, reserved: 0n, frozen: 0n, flags: NEW_LOGIC_FLAG },
        });
      }
      expect(TotalIssuance.get()).toBe(6n * 1_000_000n * UNIT);
      expect(Key.get()).toEqual(a.Alice);
    });
    expect(DEV_ENDOWMENT).toBe(10n ** 18n);
    expect(devProperties).toEqual({ ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'UNIT' });
    expect(PALLET_INDEX).toEqual({
      System: 0,
      Timestamp: 1,
      Balances: 2,
      TransactionPayment: 3,
      Sudo: 4,
      Assets: 5,
      Utility: 6,
      Proxy: 7,
      Multisig: 8,
      Aura: 9,
      Session: 10,
    });
  });

  it('Core_version answers xstorage-dev, decoded by polkadot-js', () => {
    const chain = newDevChain();
    const bytes = chain.dev.runtime.callApi(new Overlay(chain.backend), 'Core_version', new Uint8Array());
    const v = chain.registry.createType('RuntimeVersion', bytes) as unknown as {
      specName: { toString(): string };
      implName: { toString(): string };
      specVersion: { toNumber(): number };
      apis: unknown[];
    };
    expect([v.specName.toString(), v.implName.toString(), v.specVersion.toNumber()]).toEqual([
      'xstorage-dev',
      'xstorage-dev',
      100,
    ]);
    expect(v.apis.length).toBeGreaterThanOrEqual(6);
  });

  it('refuses genesis balances below ED or listed twice', () => {
    const dev = makeDevRuntime();
    const a = devAccounts();
    const below = devGenesisConfig([a.Alice], a.Alice, 1n);
    expect(() => dev.runtime.buildGenesis({ ...below })).toThrow(BalancesGenesisError);
    const twice = devGenesisConfig([a.Alice, a.Alice], a.Alice);
    expect(() => dev.runtime.buildGenesis({ ...twice })).toThrow(/duplicate balances/);
  });
});
