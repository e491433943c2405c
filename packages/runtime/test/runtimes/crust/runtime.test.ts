/**
 * The Crust parachain runtime as clients and the relay chain see it: the `crust` profile (para id 2008, CRU, SS58 66,
 * spec_name `crust`) in the registry and in the relay's genesis, its genesis (dev accounts, sudo, open market and
 * funded pots, our storage node code allowlisted, market collateral), and its metadata V14/V15 read by
 * @polkadot/types: Crust's pallets at Crust's parachain indices, `xstorage` call 0 encoded as the bytes a parachain
 * sends in its XCM Transact, `(127u8, 0u8, cid, size).encode()` (SCALE-encoded here by @polkadot/types alone), and the
 * `MarketApi` runtime API.
 */
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import { compactStripLength, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeCode } from '../../../src/frame/runtime-code.ts';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import { freeBalance, reservedBalance } from '../../../src/pallets/balances/index.ts';
import { MarketBenefits } from '../../../src/pallets/benefits/index.ts';
import { EnableMarket, pot } from '../../../src/pallets/market/index.ts';
import { Key as SudoKey } from '../../../src/pallets/sudo/pallet.ts';
import { Codes } from '../../../src/pallets/swork/index.ts';
import { Xstorage } from '../../../src/pallets/xstorage-crust/index.ts';
import {
  CRU,
  CRUST_DEV_MARKET_COLLATERAL,
  CRUST_DEVNET_DURATIONS,
  CRUST_EXISTENTIAL_DEPOSIT,
  CRUST_GENESIS_POOL_TOKENS,
  CRUST_PRODUCTION_DURATIONS,
  type CrustDurations,
  CrustDurationsError,
  checkCrustDurations,
  crustProductionProfile,
  crustProfile,
  makeCrustRuntime,
  XSTORAGE_STORAGE_NODE_CODE,
} from '../../../src/runtimes/crust/index.ts';
import { devAccounts } from '../../../src/runtimes/dev-accounts.ts';
import { PARACHAIN_PROFILES } from '../../../src/runtimes/parachain/index.ts';
import { genesisHeader } from '../../../src/runtimes/profile.ts';
import { runtimeProfile, runtimeProfiles } from '../../../src/runtimes/profiles.ts';
import { relayGenesisConfig } from '../../../src/runtimes/relay/genesis.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { CrustTestChain, ready } from './crust-chain.ts';

beforeAll(() => ready);

const te = new TextEncoder();
const CID = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';

function pjs(chain: CrustTestChain, version: 14 | 15) {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, generateMetadata(chain.runtime, version));
  registry.setMetadata(metadata);
  return { registry, metadata, decorated: expandMetadata(registry, metadata) };
}

describe('the crust profile', () => {
  it('is the runtime profiles.ts and the devnet run for `crust`; production durations are `crust-production`', () => {
    expect(runtimeProfile('crust')).toBe(crustProfile);
    expect(runtimeProfile('crust-production')).toBe(crustProductionProfile);
    expect(PARACHAIN_PROFILES.filter((p) => p.id === 'crust')).toEqual([crustProfile]);
    expect(runtimeProfiles().filter((p) => p.id === 'crust')).toHaveLength(1);
    for (const p of [crustProfile, crustProductionProfile]) {
      expect(p.role).toEqual({ kind: 'parachain', paraId: 2008 });
      expect(p.properties).toEqual({ ss58Format: 66, tokenDecimals: 12, tokenSymbol: 'CRU' });
      expect(p.make().runtime.version.spec_name).toBe('crust');
    }
    // The two differ in durations, so in metadata, so in `:code`.
    const dev = runtimeCode(crustProfile.make().runtime);
    expect(u8aToHex(dev)).not.toBe(u8aToHex(runtimeCode(crustProductionProfile.make().runtime)));
  });

  it("is what the relay chain's genesis registers for para 2008 (validation code and head)", () => {
    const relay = relayGenesisConfig() as any;
    const para = relay.Paras.paras.find((p: any) => p.id === 2008);
    expect(u8aToHex(para.validationCode)).toBe(u8aToHex(runtimeCode(crustProfile.make().runtime)));
    expect(u8aToHex(para.head)).toBe(u8aToHex(genesisHeader(crustProfile).headData));
  });
});

describe('Crust genesis', () => {
  it('endows the dev accounts, makes //Alice sudo, opens the market, funds its pots, allowlists the storage node code', () => {
    const chain = new CrustTestChain(crustProfile);
    const dev = devAccounts();
    // //Alice put 1,000 CRU into the AssetConversion pool of each of the 7 other parachains' tokens.
    const pooled = 7n * CRUST_GENESIS_POOL_TOKENS * CRU;
    chain.read(() => {
      for (const who of Object.values(dev)) {
        expect(freeBalance(who) + reservedBalance(who)).toBe(
          1_000_000n * CRU - (who === dev.Alice ? pooled : 0n),
        );
        expect(reservedBalance(who)).toBe(CRUST_DEV_MARKET_COLLATERAL);
        expect(MarketBenefits.get(who).active_funds).toBe(CRUST_DEV_MARKET_COLLATERAL);
      }
      expect(u8aToHex(SudoKey.get()!)).toBe(u8aToHex(dev.Alice));
      expect(EnableMarket.get()).toBe(true);
      for (const name of ['collateral', 'storage', 'staking', 'reserved'] as const)
        expect(freeBalance(pot(name))).toBe(CRUST_EXISTENTIAL_DEPOSIT);
      expect(Codes.get(XSTORAGE_STORAGE_NODE_CODE)).toBe(0xffff_ffff);
    });
    // The code constant is blake2_256("xstorage-storage-node/1"), computed by @polkadot/util-crypto.
    expect(u8aToHex(XSTORAGE_STORAGE_NODE_CODE)).toBe(u8aToHex(blake2AsU8a('xstorage-storage-node/1', 256)));
    // Pots as Substrate derives them: b"modl" ++ b"crmarket" ++ compact-len ++ b"stor" ++ zeros.
    chain.read(() =>
      expect(u8aToHex(pot('storage'))).toBe(
        u8aToHex(
          Uint8Array.from([...te.encode('modlcrmarket'), 16, ...te.encode('stor'), ...new Array(15).fill(0)]),
        ),
      ),
    );
  });
});

const PALLETS: Array<[string, number]> = [
  ['System', 0],
  ['ParachainSystem', 1],
  ['Timestamp', 2],
  ['Balances', 10],
  ['TransactionPayment', 11],
  ['Sudo', 15],
  ['XcmpQueue', 30],
  ['MessageQueue', 33],
  ['Assets', 50],
  ['Market', 100],
  ['Swork', 111],
  ['Benefits', 113],
  ['Xstorage', 127],
  ['StorageChallenge', 130],
];

describe.each([14, 15] as const)('Crust metadata V%i through @polkadot/types', (version) => {
  const chain = new CrustTestChain(crustProfile);
  const { registry, metadata, decorated } = pjs(chain, version);

  it("has the template's pallets and Crust's at Crust's parachain indices", () => {
    const pallets = new Map(
      metadata.asLatest.pallets.map((p) => [p.name.toString(), p.index.toNumber()] as [string, number]),
    );
    for (const [name, index] of PALLETS) expect(pallets.get(name), name).toBe(index);
    expect(Object.keys(decorated.tx)).toEqual(
      expect.arrayContaining(['market', 'swork', 'benefits', 'xstorage', 'storageChallenge']),
    );
    expect(Object.keys(decorated.query)).toEqual(
      expect.arrayContaining(['market', 'swork', 'benefits', 'xstorage', 'storageChallenge']),
    );
  });

  it("shows xstorage's and benefits' calls with Crust's names, arguments, events and errors", () => {
    const call = (p: number, c: number) => {
      const fn = registry.findMetaCall(new Uint8Array([p, c]));
      return [`${fn.section}.${fn.method}`, fn.meta.args.map((a) => `${a.name}: ${a.type}`)];
    };
    expect(call(127, 0)).toEqual(['xstorage.placeStorageOrderThroughParachain', ['cid: Bytes', 'size: u64']]);
    expect(call(127, 1)).toEqual([
      'xstorage.placeStorageOrder',
      ['cid: Bytes', 'size: u64', 'currencyId: CrustParachainRuntimeCurrencyId'],
    ]);
    expect(call(127, 2)).toEqual([
      'xstorage.registerStorageFee',
      ['currencyId: CrustParachainRuntimeCurrencyId', 'amount: u128'],
    ]);
    expect(call(113, 0)).toEqual([
      'benefits.addBenefitFunds',
      ['value: Compact<u128>', 'fundsType: CstrmlBenefitsFundsType'],
    ]);
    expect(call(113, 1)[0]).toBe('benefits.cutBenefitFunds');
    expect(call(113, 2)).toEqual(['benefits.withdrawBenefitFunds', []]);
    expect(call(113, 3)[0]).toBe('benefits.rebondBenefitFunds');
    expect(call(100, 0)[0]).toBe('market.placeStorageOrder');
    expect(call(111, 2)[0]).toBe('swork.register');
    const fileSuccess = decorated.events.xstorage.FileSuccess.meta;
    expect(
      fileSuccess.fields.map((f) => `${f.name.unwrap()}: ${registry.lookup.getTypeDef(f.type).type}`),
    ).toEqual(['account: AccountId32', 'cid: Bytes', 'size: u64']);
    const err = (p: number, e: number) => {
      const m = registry.findMetaError(new Uint8Array([p, e]));
      return `${m.section}.${m.name}`;
    };
    expect([err(100, 0), err(100, 4), err(113, 0), err(113, 2), err(127, 1)]).toEqual([
      'market.InsufficientCurrency',
      'market.FileTooLarge',
      'benefits.InsuffientBalance',
      'benefits.NoMoreChunks',
      'xstorage.NotSupportedCurrency',
    ]);
  });

  it('encodes xstorage call 0 as (127u8, 0u8, cid, size).encode(), the bytes an XCM Transact carries', () => {
    for (const [cid, size] of [
      [CID, 1_048_577n],
      ['', 0n],
      ['x'.repeat(300), 0xffff_ffff_ffff_ffffn],
    ] as const) {
      // Bytes from a string are its UTF-8 bytes (a Uint8Array would be read as already length-prefixed).
      const expected = new TypeRegistry().createType('(u8, u8, Bytes, u64)', [127, 0, cid, size]).toU8a();
      const ours = chain.read(() =>
        chain.runtime.encodeCall(
          Xstorage.tx.place_storage_order_through_parachain({ cid: te.encode(cid), size }),
        ),
      );
      expect(u8aToHex(ours)).toBe(u8aToHex(expected));
      // polkadot-js builds the same call from our metadata (api.tx.xstorage.placeStorageOrderThroughParachain).
      const pjsCall = decorated.tx.xstorage.placeStorageOrderThroughParachain(cid, size);
      expect(u8aToHex(pjsCall.toU8a())).toBe(u8aToHex(expected));
      // And decodes the Transact bytes back to the call.
      const decoded = registry.createType('Call', expected);
      expect(`${decoded.section}.${decoded.method}`).toBe('xstorage.placeStorageOrderThroughParachain');
      expect(decoded.args[1].toString()).toBe(size.toString());
    }
  });

  it('derives Crust storage keys and shows the durations as constants', () => {
    const [, key] = compactStripLength(decorated.query.swork.codes(u8aToHex(XSTORAGE_STORAGE_NODE_CODE)));
    expect(chain.backend.get(key)).toBeDefined();
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const [, mbKey] = compactStripLength(decorated.query.benefits.marketBenefits(alice.address));
    const raw = chain.backend.get(mbKey)!;
    const type = registry.createLookupType(decorated.query.benefits.marketBenefits.meta.type.asMap.value);
    expect(registry.createTypeUnsafe(type, [raw]).toJSON()).toMatchObject({
      totalFunds: Number(CRUST_DEV_MARKET_COLLATERAL),
      activeFunds: Number(CRUST_DEV_MARKET_COLLATERAL),
      unlockingFunds: [],
    });
    expect(decorated.consts.market.fileDuration.toString()).toBe('300');
    expect(decorated.consts.benefits.bondingDuration.toString()).toBe('2');
    expect(decorated.consts.storageChallenge).toBeDefined();
  });
});

describe('production durations', () => {
  it("are Crust mainnet's in the crust-production runtime's constants", () => {
    const chain = new CrustTestChain(crustProductionProfile);
    const { decorated } = pjs(chain, 15);
    expect(decorated.consts.market.fileDuration.toString()).toBe(String(180 * 14_400));
    expect(decorated.consts.benefits.bondingDuration.toString()).toBe('112');
    expect(decorated.consts.benefits.eraLength.toString()).toBe('3600');
    expect(decorated.consts.benefits.benefitReportWorkCost.toString()).toBe(String(3n * CRU));
  });
});

describe('durations', () => {
  it('refuses durations the pallets cannot run with, naming the field', () => {
    const bad: Array<[Partial<CrustDurations>, RegExp]> = [
      [{ reportSlot: 0 }, /reportSlot must be positive/],
      [{ fileDuration: -1 }, /fileDuration must be an integer/],
      [{ challengePeriod: 1.5 }, /challengePeriod must be an integer/],
      [{ priceUpdateOffset: 10 }, /priceUpdateOffset \(10\) must be below reportSlot \(10\)/],
      [{ sworkEndOffset: 6 }, /sworkEndOffset/],
      [{ eraLength: 2 ** 32 }, /eraLength must be an integer/],
    ];
    for (const [change, message] of bad) {
      const d = { ...CRUST_DEVNET_DURATIONS, ...change };
      expect(() => checkCrustDurations(d)).toThrow(CrustDurationsError);
      expect(() => makeCrustRuntime({ durations: d })).toThrow(message);
    }
    expect(() => checkCrustDurations(CRUST_PRODUCTION_DURATIONS)).not.toThrow();
    expect(() => checkCrustDurations(CRUST_DEVNET_DURATIONS)).not.toThrow();
  });

  it('let a devnet file reach replicas within a minute of 6 s blocks and live minutes', () => {
    const d = CRUST_DEVNET_DURATIONS;
    expect(d.reportSlot * 6).toBeLessThanOrEqual(60);
    expect(d.fileDuration * 6).toBeGreaterThanOrEqual(5 * 60);
    expect(d.fileDuration * 6).toBeLessThanOrEqual(60 * 60);
    expect(CRUST_PRODUCTION_DURATIONS.fileDuration).toBe(180 * 14_400);
    expect(CRUST_PRODUCTION_DURATIONS.reportSlot).toBe(600);
  });
});

describe('MarketApi', () => {
  it('is declared in metadata V15 and quotes an order without placing it', () => {
    const chain = new CrustTestChain(crustProfile);
    const { registry, metadata } = pjs(chain, 15);
    const api = metadata.asV15.apis.find((a) => a.name.toString() === 'MarketApi')!;
    expect(api.methods.map((m) => m.name.toString())).toEqual(['order_fee']);
    const method = api.methods[0];
    expect(method.inputs.map((i) => `${i.name}: ${registry.lookup.getTypeDef(i.type).type}`)).toEqual([
      'file_size: u64',
    ]);
    const size = 5n * 1_048_576n + 1n; // 6 MiB charged
    const before = chain.snapshot();
    const out = chain.runtime.callApi(
      new Overlay(chain.backend),
      'MarketApi_order_fee',
      registry.createType('u64', size).toU8a(),
    );
    expect(chain.snapshot()).toEqual(before);
    const quote = registry.createTypeUnsafe(registry.createLookupType(method.output), [out]).toJSON() as any;
    // Genesis fees: byte fee 10^4 per MiB, keys-count fee 10^6, base fee 0 (Crust's initial values).
    const v = 6n * 10_000n + 1_000_000n;
    expect(BigInt(quote.total)).toBe(v);
    expect(BigInt(quote.byteFee)).toBe(60_000n);
    expect(BigInt(quote.keysCountFee)).toBe(1_000_000n);
    expect(BigInt(quote.baseFee)).toBe(0n);
    expect(BigInt(quote.staking)).toBe((v * 72n) / 100n);
    expect(BigInt(quote.storage)).toBe((v * 18n) / 100n);
    expect(BigInt(quote.reserved)).toBe(v - (v * 72n) / 100n - (v * 18n) / 100n);
  });
});
