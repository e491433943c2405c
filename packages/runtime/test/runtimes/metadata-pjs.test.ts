/**
 * Our metadata read by @polkadot/types (what polkadot.js Apps and `@polkadot/api` do with `state_getMetadata`): the
 * pallets, calls, arguments, events, errors, storage and constants look as they do on a polkadot-sdk chain, and
 * calls/events/extrinsics encoded on one side decode to the same thing on the other.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeExtrinsic } from '../../src/extrinsic/unchecked-extrinsic.ts';
import { generateMetadata } from '../../src/metadata/generate.ts';
import { Balances } from '../../src/pallets/balances/index.ts';
import { Sudo } from '../../src/pallets/sudo/index.ts';
import { Events } from '../../src/pallets/system/pallet.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { Timestamp } from '../../src/pallets/timestamp/index.ts';
import { EXISTENTIAL_DEPOSIT, makeDevRuntime, UNIT } from '../../src/runtimes/index.ts';
import { buildBlock, newDevChain, read, ready, signTx } from './dev-chain.ts';

beforeAll(() => ready);

const dev = makeDevRuntime();
const registries = [14, 15].map((v) => {
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, generateMetadata(dev.runtime, v as 14 | 15)));
  return [v, registry] as const;
});

/** (pallet index, call index, section.method, [arg name, pjs type]) from polkadot-sdk (polkadot-js camelCases names). */
const CALLS: Array<[number, number, string, Array<[string, string]>]> = [
  [1, 0, 'timestamp.set', [['now', 'Compact<u64>']]],
  [
    2,
    0,
    'balances.transferAllowDeath',
    [
      ['dest', 'MultiAddress'],
      ['value', 'Compact<u128>'],
    ],
  ],
  [
    2,
    2,
    'balances.forceTransfer',
    [
      ['source', 'MultiAddress'],
      ['dest', 'MultiAddress'],
      ['value', 'Compact<u128>'],
    ],
  ],
  [
    2,
    3,
    'balances.transferKeepAlive',
    [
      ['dest', 'MultiAddress'],
      ['value', 'Compact<u128>'],
    ],
  ],
  [
    2,
    4,
    'balances.transferAll',
    [
      ['dest', 'MultiAddress'],
      ['keepAlive', 'bool'],
    ],
  ],
  [
    2,
    5,
    'balances.forceUnreserve',
    [
      ['who', 'MultiAddress'],
      ['amount', 'u128'],
    ],
  ],
  [
    2,
    8,
    'balances.forceSetBalance',
    [
      ['who', 'MultiAddress'],
      ['newFree', 'Compact<u128>'],
    ],
  ],
  [
    2,
    10,
    'balances.burn',
    [
      ['value', 'Compact<u128>'],
      ['keepAlive', 'bool'],
    ],
  ],
  [4, 0, 'sudo.sudo', [['call', 'Call']]],
  [
    4,
    1,
    'sudo.sudoUncheckedWeight',
    [
      ['call', 'Call'],
      ['weight', 'SpWeightsWeightV2Weight'],
    ],
  ],
  [4, 2, 'sudo.setKey', [['new', 'MultiAddress']]],
  [
    4,
    3,
    'sudo.sudoAs',
    [
      ['who', 'MultiAddress'],
      ['call', 'Call'],
    ],
  ],
  [4, 4, 'sudo.removeKey', []],
  [
    5,
    0,
    'assets.create',
    [
      ['id', 'Compact<u32>'],
      ['admin', 'MultiAddress'],
      ['minBalance', 'u128'],
    ],
  ],
  [
    5,
    1,
    'assets.forceCreate',
    [
      ['id', 'Compact<u32>'],
      ['owner', 'MultiAddress'],
      ['isSufficient', 'bool'],
      ['minBalance', 'Compact<u128>'],
    ],
  ],
  [
    5,
    6,
    'assets.mint',
    [
      ['id', 'Compact<u32>'],
      ['beneficiary', 'MultiAddress'],
      ['amount', 'Compact<u128>'],
    ],
  ],
  [
    5,
    8,
    'assets.transfer',
    [
      ['id', 'Compact<u32>'],
      ['target', 'MultiAddress'],
      ['amount', 'Compact<u128>'],
    ],
  ],
  [
    5,
    9,
    'assets.transferKeepAlive',
    [
      ['id', 'Compact<u32>'],
      ['target', 'MultiAddress'],
      ['amount', 'Compact<u128>'],
    ],
  ],
  [
    5,
    17,
    'assets.setMetadata',
    [
      ['id', 'Compact<u32>'],
      ['name', 'Bytes'],
      ['symbol', 'Bytes'],
      ['decimals', 'u8'],
    ],
  ],
];

describe.each(registries)('metadata V%i through @polkadot/types', (_v, registry) => {
  it('shows every call at its polkadot-sdk index with its argument names and types', () => {
    for (const [pallet, index, name, args] of CALLS) {
      const fn = registry.findMetaCall(new Uint8Array([pallet, index]));
      expect(`${fn.section}.${fn.method}`).toBe(name);
      expect(fn.meta.args.map((a) => [a.name.toString(), a.type.toString()])).toEqual(args);
    }
  });

  it('lists storage, constants, events and errors under polkadot-sdk names', () => {
    const pallets = Object.fromEntries(registry.metadata.pallets.map((p) => [p.name.toString(), p]));
    expect(Object.entries(pallets).map(([n, p]) => [n, p.index.toNumber()])).toEqual([
      ['System', 0],
      ['Timestamp', 1],
      ['Balances', 2],
      ['TransactionPayment', 3],
      ['Sudo', 4],
      ['Assets', 5],
      ['Utility', 6],
      ['Proxy', 7],
      ['Multisig', 8],
      ['Aura', 9],
      ['Session', 10],
    ]);
    const items = (p: string) => pallets[p].storage.unwrap().items.map((i) => i.name.toString());
    expect(items('Balances')).toEqual([
      'TotalIssuance',
      'InactiveIssuance',
      'Account',
      'Locks',
      'Reserves',
      'Holds',
      'Freezes',
    ]);
    expect(items('Timestamp')).toEqual(['Now', 'DidUpdate']);
    expect(items('TransactionPayment')).toEqual(['NextFeeMultiplier', 'StorageVersion']);
    expect(items('Sudo')).toEqual(['Key']);
    expect(items('Assets')).toEqual(['Asset', 'Account', 'Approvals', 'Metadata', 'NextAssetId']);
    const ed = pallets.Balances.constants.find((c) => c.name.toString() === 'ExistentialDeposit')!;
    expect(registry.createType('u128', ed.value).toBigInt()).toBe(EXISTENTIAL_DEPOSIT);
    const minPeriod = pallets.Timestamp.constants.find((c) => c.name.toString() === 'MinimumPeriod')!;
    expect(registry.createType('u64', minPeriod.value).toNumber()).toBe(3000);

    const events = (p: string) => {
      const t = registry.lookup.getSiType(pallets[p].events.unwrap().type);
      return t.def.asVariant.variants.map((v) => [
        v.index.toNumber(),
        v.name.toString(),
        v.fields.map((f) => f.name.unwrap().toString()),
      ]);
    };
    expect(events('Balances').slice(0, 9)).toEqual([
      [0, 'Endowed', ['account', 'free_balance']],
      [1, 'DustLost', ['account', 'amount']],
      [2, 'Transfer', ['from', 'to', 'amount']],
      [3, 'BalanceSet', ['who', 'free']],
      [4, 'Reserved', ['who', 'amount']],
      [5, 'Unreserved', ['who', 'amount']],
      [6, 'ReserveRepatriated', ['from', 'to', 'amount', 'destination_status']],
      [7, 'Deposit', ['who', 'amount']],
      [8, 'Withdraw', ['who', 'amount']],
    ]);
    expect(events('TransactionPayment')).toEqual([[0, 'TransactionFeePaid', ['who', 'actual_fee', 'tip']]]);
    expect(events('Sudo').map((e) => e[1])).toEqual(['Sudid', 'KeyChanged', 'KeyRemoved', 'SudoAsDone']);

    const err = (pallet: number, e: number) => {
      const m = registry.findMetaError(new Uint8Array([pallet, e]));
      return `${m.section}.${m.name}`;
    };
    expect([
      err(2, 0),
      err(2, 1),
      err(2, 2),
      err(2, 3),
      err(2, 4),
      err(2, 6),
      err(4, 0),
      err(5, 0),
      err(5, 16),
    ]).toEqual([
      'balances.VestingBalance',
      'balances.LiquidityRestrictions',
      'balances.InsufficientBalance',
      'balances.ExistentialDeposit',
      'balances.Expendability',
      'balances.DeadAccount',
      'sudo.RequireSudo',
      'assets.BalanceLow',
      'assets.AssetNotLive',
    ]);
  });

  it('calls built by polkadot-js decode in our runtime to the same call, and back', () => {
    const bob = new Uint8Array(32).fill(7);
    const pjs = registry.createType('Call', {
      callIndex: [2, 3],
      args: { dest: { Id: bob }, value: 12_345n * UNIT },
    });
    expect(dev.runtime.decodeCall(pjs.toU8a())).toEqual(
      Balances.tx.transfer_keep_alive({ dest: { type: 'Id', value: bob }, value: 12_345n * UNIT }),
    );
    // Nested: sudo(sudo_as(bob, timestamp.set(5))).
    const ours = Sudo.tx.sudo({
      call: Sudo.tx.sudo_as({ who: { type: 'Id', value: bob }, call: Timestamp.tx.set({ now: 5n }) }),
    });
    const bytes = dev.runtime.execute(new Overlay(new MemoryBackend()), () => dev.runtime.encodeCall(ours));
    const back = registry.createType('Call', bytes);
    expect(back.toHuman()).toMatchObject({
      method: 'sudo',
      section: 'sudo',
      args: {
        call: {
          method: 'sudoAs',
          section: 'sudo',
          args: { call: { method: 'set', section: 'timestamp', args: { now: '5' } } },
        },
      },
    });
    expect(registry.createType('Call', bytes).toHex()).toBe(`0x${Buffer.from(bytes).toString('hex')}`);
  });
});

it('events of a real block decode with polkadot-js to the same pallets, names and values', () => {
  const chain = newDevChain();
  const { alice, bob } = chain.pairs;
  const xt = signTx(chain, alice, 'Balances', 'transfer_allow_death', [{ Id: bob.publicKey }, 3n * UNIT], {
    nonce: 0,
  });
  // The signed extrinsic polkadot-js made decodes in our runtime to the call it was built from.
  const decoded = decodeExtrinsic(chain.dev.format, xt);
  expect(decoded.call).toEqual(
    Balances.tx.transfer_allow_death({ dest: { type: 'Id', value: bob.publicKey }, value: 3n * UNIT }),
  );
  expect(decoded.signed?.address).toEqual({ type: 'Id', value: alice.publicKey });
  const r = buildBlock(chain, [xt]);
  const raw = read(chain, () => Events.key()) && chain.backend.get(read(chain, () => Events.key()));
  // Events are per block and stay until the next block starts: read the raw bytes polkadot-js would fetch.
  expect(raw).toBeDefined();
  const records = chain.registry.createType('Vec<FrameSystemEventRecord>', raw) as unknown as Array<{
    event: { section: string; method: string; data: { toJSON(): unknown } };
  }>;
  expect(records.map((rec) => `${rec.event.section}.${rec.event.method}`)).toEqual(
    r.events.map((e) => `${e.pallet[0].toLowerCase()}${e.pallet.slice(1)}.${e.name}`),
  );
  const transfer = records.find((rec) => rec.event.method === 'Transfer')!;
  expect(transfer.event.data.toJSON()).toEqual([
    chain.registry.createType('AccountId32', alice.publicKey).toJSON(),
    chain.registry.createType('AccountId32', bob.publicKey).toJSON(),
    Number(3n * UNIT),
  ]);
});
