/**
 * Market, Swork and StorageChallenge as polkadot-js sees them through our metadata (V14 and V15): the calls at
 * Crust's indices with Crust's argument names (`api.tx.market.placeStorageOrder(cid, size, tips, memo)`), the
 * storage keys polkadot-js derives (`api.query.market.filesV2(cid)`) and the values and events it decodes from a
 * running chain, and an extrinsic polkadot-js signs applied by our executive.
 */
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import { compactStripLength, u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import { FilesV2, Market } from '../../../src/pallets/market/index.ts';
import { Swork } from '../../../src/pallets/swork/index.ts';
import { Events } from '../../../src/pallets/system/index.ts';
import { ScaleDecodeError } from '../../../src/scale/errors.ts';
import { CrustChain, makeWorker, ready, registerArgs, UNIT, workReport } from './crust-runtime.ts';

beforeAll(() => ready);

const te = new TextEncoder();

function registryOf(chain: CrustChain, version: 14 | 15) {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, generateMetadata(chain.runtime, version));
  registry.setMetadata(metadata);
  return { registry, metadata };
}

const CALLS: Array<[number, number, string, Array<[string, string]>]> = [
  [
    26,
    0,
    'market.placeStorageOrder',
    [
      ['cid', 'Bytes'],
      ['reportedFileSize', 'u64'],
      ['tips', 'Compact<u128>'],
      ['memo', 'Bytes'],
    ],
  ],
  [
    26,
    1,
    'market.addPrepaid',
    [
      ['cid', 'Bytes'],
      ['amount', 'Compact<u128>'],
    ],
  ],
  [26, 6, 'market.calculateReward', [['cid', 'Bytes']]],
  [26, 7, 'market.rewardMerchant', []],
  [26, 8, 'market.setEnableMarket', [['isEnabled', 'bool']]],
  [
    25,
    0,
    'swork.setCode',
    [
      ['newCode', 'Bytes'],
      ['expireBlock', 'u32'],
    ],
  ],
  [
    25,
    5,
    'swork.reportWorks',
    [
      ['currPk', 'Bytes'],
      ['abUpgradePk', 'Bytes'],
      ['slot', 'u64'],
      ['slotHash', 'Bytes'],
      ['reportedSrdSize', 'u64'],
      ['reportedFilesSize', 'u64'],
      ['addedFiles', 'Vec<(Bytes,u64,u64)>'],
      ['deletedFiles', 'Vec<(Bytes,u64,u64)>'],
      ['reportedSrdRoot', 'Bytes'],
      ['reportedFilesRoot', 'Bytes'],
      ['sig', 'Bytes'],
    ],
  ],
  [25, 11, 'swork.joinGroup', [['target', 'MultiAddress']]],
  [
    40,
    0,
    'storageChallenge.respond',
    [
      ['id', 'u64'],
      ['blocks', 'Vec<Bytes>'],
    ],
  ],
];

describe.each([14, 15] as const)('metadata V%i through @polkadot/types', (version) => {
  it('shows the calls at Crust indices with Crust argument names', () => {
    const { registry } = registryOf(new CrustChain(), version);
    for (const [pallet, index, name, args] of CALLS) {
      const fn = registry.findMetaCall(new Uint8Array([pallet, index]));
      expect(`${fn.section}.${fn.method}`).toBe(name);
      expect(fn.meta.args.map((a) => [a.name.toString(), a.type.toString()])).toEqual(args);
    }
    const err = (p: number, e: number) => {
      const m = registry.findMetaError(new Uint8Array([p, e]));
      return `${m.section}.${m.name}`;
    };
    expect([err(26, 0), err(26, 4), err(25, 5), err(25, 24), err(40, 1)]).toEqual([
      'market.InsufficientCurrency',
      'market.FileTooLarge',
      'swork.IllegalWorkReportSig',
      'swork.AlreadyReported',
      'storageChallenge.NotChallenged',
    ]);
  });
});

describe('hostile call bytes', () => {
  it('truncated or oversized market/swork/challenge calls fail to decode with ScaleDecodeError, quickly', () => {
    const chain = new CrustChain();
    const good = chain.read(() =>
      chain.runtime.encodeCall(
        Market.tx.place_storage_order({
          cid: te.encode('QmX'),
          reported_file_size: 1n,
          tips: 0n,
          memo: new Uint8Array(),
        }),
      ),
    );
    for (let n = 0; n < good.length; n++)
      expect(() => chain.runtime.decodeCall(good.subarray(0, n)), `${n} bytes`).toThrow(ScaleDecodeError);
    // report_works whose added_files claims 2^30 entries; respond whose blocks claim 2^30 blocks.
    const huge = [0x02, 0x00, 0x00, 0x40];
    const report = new Uint8Array([
      25,
      5,
      0,
      0,
      ...new Array(8).fill(0),
      0,
      ...new Array(16).fill(0),
      ...huge,
    ]);
    const respond = new Uint8Array([40, 0, ...new Array(8).fill(0), ...huge]);
    const t = performance.now();
    expect(() => chain.runtime.decodeCall(report)).toThrow(ScaleDecodeError);
    expect(() => chain.runtime.decodeCall(respond)).toThrow(ScaleDecodeError);
    expect(performance.now() - t).toBeLessThan(100);
    expect(() => chain.runtime.decodeCall(new Uint8Array([26, 99]))).toThrow(ScaleDecodeError);
  });
});

describe('a running chain read by polkadot-js', () => {
  it('derives the FilesV2 key, decodes the file and the events, and signs an order our executive applies', () => {
    const w = makeWorker(10);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 66 });
    const alice = keyring.addFromUri('//Alice');
    const chain = new CrustChain({
      balances: [
        [alice.publicKey, 1000n * UNIT],
        [w.account, UNIT],
      ],
      collateral: [[w.account, UNIT]],
    });
    const { registry, metadata } = registryOf(chain, 14);
    const cid = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';
    // api.tx.market.placeStorageOrder(cid, 1000, 5, 'memo'), signed by //Alice.
    const call = registry.findMetaCall(new Uint8Array([26, 0]))(cid, 1000, 5, 'memo');
    const ext = registry.createType('Extrinsic', call);
    const genesis = u8aToHex(chain.genesisHash);
    ext.sign(alice, {
      blockHash: genesis,
      genesisHash: genesis,
      nonce: 0,
      runtimeVersion: { specVersion: 1, transactionVersion: 1 },
    } as never);
    const { xtResults, events } = chain.block(
      (b) => b.dispatch(Swork.tx.register(registerArgs(w)), w.account),
      [ext.toU8a()],
    );
    expect(xtResults).toEqual([{ ok: { ok: undefined } }]);
    expect(events.filter((e) => e.pallet === 'Market')).toEqual([
      { pallet: 'Market', name: 'FileSuccess', fields: [alice.publicKey, te.encode(cid)] },
    ]);
    chain.runTo(11);
    chain.block((b) =>
      b.dispatch(
        Swork.tx.report_works(workReport(chain, w, { added: [{ cid, size: 1000, validAt: 5 }] })),
        w.account,
      ),
    );

    // api.query.market.filesV2(cid): the key polkadot-js derives is ours, and the value decodes to the same file.
    const decorated = expandMetadata(registry, metadata);
    // The decorated key carries a compact length prefix (what polkadot-js passes to state_getStorage as StorageKey).
    const [, key] = compactStripLength(decorated.query.market.filesV2(cid));
    expect(u8aToHex(key)).toBe(u8aToHex(chain.read(() => FilesV2.key(te.encode(cid)))));
    const raw = chain.backend.get(key)!;
    const valueType = registry.createLookupType(decorated.query.market.filesV2.meta.type.asMap.value);
    const file = registry.createTypeUnsafe(valueType, [raw]).toJSON() as any;
    expect(file).toMatchObject({
      fileSize: 1000,
      expiredAt: 12 + 40,
      calculatedAt: 12,
      // tips + 18% of v (1 MiB × 10^4 + 10^6) = 181,805, less the first reporter's 2.5/18 (25,251).
      amount: 156_554,
      reportedReplicaCount: 1,
      remainingPaidCount: 3,
    });
    expect(Object.keys(file.replicas)).toHaveLength(1);

    // System.Events of the report's block: swork.WorksReportSuccess decoded by polkadot-js.
    const records = registry.createType(
      'Vec<FrameSystemEventRecord>',
      chain.backend.get(chain.read(() => Events.key())),
    ) as any;
    const names = records.map((r: any) => `${r.event.section}.${r.event.method}`);
    expect(names).toContain('swork.WorksReportSuccess');
    const wr = records.find((r: any) => r.event.method === 'WorksReportSuccess');
    expect(wr.event.data[1].toHex()).toBe(u8aToHex(w.pk));
    // Constants: Crust's market ones.
    expect(decorated.consts.market.maximumFileSize.toString()).toBe('8589934592');
    expect(decorated.consts.market.stakingRatio.toString()).toBe('720000000');
    expect(u8aToHex(decorated.consts.market.moduleId.toU8a())).toBe(u8aToHex(te.encode('crmarket')));
    expect(Market.name).toBe('Market');
  });
});
