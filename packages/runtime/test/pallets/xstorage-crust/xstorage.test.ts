/**
 * Crust's `xstorage` in the Crust runtime: call 0, what a parachain's XCM Transact dispatches with the origin the XCM
 * origin converter produced, places a real market order paid by that account — the fee to the unit from the market's
 * `FileBaseFee`, `FileByteFee` and `FileKeysCountFee` (Crust's formula: base + byte fee × size in whole MiB +
 * keys-count fee, split 72% / 18% / rest with Perbill rounding to nearest, an exact half down) — and records
 * `market.filesV2(cid)`; the events decode in @polkadot/types. Refusals (insufficient balance, a file over
 * `MaximumFileSize`, the market closed, an unsigned or root origin) fail with the market's / frame's error and change
 * nothing. Calls 1 and 2 (flat fee per currency), and the benefits pallet's collateral deciding the first reporters'
 * rewards of such an order.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { noneOrigin, rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import { Balances, freeBalance } from '../../../src/pallets/balances/index.ts';
import { MarketBenefits } from '../../../src/pallets/benefits/index.ts';
import {
  calculateRewardAmount,
  FileBaseFee,
  FileByteFee,
  FileKeysCountFee,
  FilesV2,
  Market,
  marketInterface,
  pot,
} from '../../../src/pallets/market/index.ts';
import { Events } from '../../../src/pallets/system/pallet.ts';
import {
  StorageFeePerCurrency,
  Xstorage,
  xstorageAccount,
} from '../../../src/pallets/xstorage-crust/index.ts';
import { CRU, crustProfile } from '../../../src/runtimes/crust/index.ts';
import { devAccounts } from '../../../src/runtimes/dev-accounts.ts';
import { CrustTestChain, ready } from '../../runtimes/crust/crust-chain.ts';

beforeAll(() => ready);

const te = new TextEncoder();
const MIB = 1_048_576n;
const CID = te.encode('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF');
const { Alice, Bob, Charlie } = devAccounts();
/** A sibling's sovereign account on Crust: b"sibl" ++ u32_le(2000) ++ zeros (DESIGN §5). */
const SIBLING_2000 = Uint8Array.from([...te.encode('sibl'), 0xd0, 0x07, 0, 0, ...new Array(24).fill(0)]);

/** `Perbill::from_percent(p) * n`: nearest, an exact half rounded down (sp-arithmetic 3.0 `Mul`). */
function percentOf(p: bigint, n: bigint): bigint {
  const q = (n * p) / 100n;
  const r = (n * p) % 100n;
  return r * 2n > 100n ? q + 1n : q;
}

function orderCall(cid: Uint8Array, size: bigint) {
  return Xstorage.tx.place_storage_order_through_parachain({ cid, size });
}

function moduleError(outcome: any, pallet: number, error: number): void {
  expect(outcome.ok).toBe(false);
  expect(outcome.error).toEqual({
    type: 'Module',
    value: { index: pallet, error: Uint8Array.of(error, 0, 0, 0) },
  });
}

/** A Crust chain in block 1 with fees set by root: base 0.01 CRU, byte 7,777 per MiB, keys-count 1,234,567. */
function chainWithFees(): CrustTestChain {
  const chain = new CrustTestChain(crustProfile);
  chain.nextBlock();
  for (const call of [
    Market.tx.set_base_fee({ base_fee: CRU / 100n }),
    Market.tx.set_byte_fee({ byte_fee: 7_777n }),
    Market.tx.set_key_count_fee({ key_count_fee: 1_234_567n }),
  ])
    expect(chain.dispatch(call, rootOrigin()).outcome.ok).toBe(true);
  return chain;
}

describe('xstorage.place_storage_order_through_parachain', () => {
  it('charges the market fee to the unit, splits it into the pots and records filesV2(cid)', () => {
    const chain = chainWithFees();
    const size = 3n * MIB + 1n; // 4 MiB charged
    const [base, byte, keys] = chain.read(() => [
      FileBaseFee.get(),
      FileByteFee.get(),
      FileKeysCountFee.get(),
    ]);
    expect([base, byte, keys]).toEqual([CRU / 100n, 7_777n, 1_234_567n]);
    const v = byte * 4n + keys;
    const staking = percentOf(72n, v);
    const storage = percentOf(18n, v);
    const reserved = v + base - staking - storage;
    const before = chain.read(() => ({
      who: freeBalance(SIBLING_2000),
      alice: freeBalance(Alice),
      staking: freeBalance(pot('staking')),
      storage: freeBalance(pot('storage')),
      reserved: freeBalance(pot('reserved')),
    }));
    // Fund the sibling's sovereign account, as its reserve transfers would.
    expect(
      chain.dispatch(
        Balances.tx.transfer_keep_alive({ dest: { type: 'Id', value: SIBLING_2000 }, value: 10n * CRU }),
        signedOrigin(Alice),
      ).outcome.ok,
    ).toBe(true);
    const { outcome } = chain.dispatch(orderCall(CID, size), signedOrigin(SIBLING_2000));
    expect(outcome.ok).toBe(true);
    chain.read(() => {
      expect(freeBalance(SIBLING_2000)).toBe(before.who + 10n * CRU - (base + v));
      expect(freeBalance(pot('staking')) - before.staking).toBe(staking);
      expect(freeBalance(pot('storage')) - before.storage).toBe(storage);
      expect(freeBalance(pot('reserved')) - before.reserved).toBe(reserved);
      expect(FilesV2.get(CID)).toEqual({
        file_size: size,
        spower: 0n,
        expired_at: 0,
        calculated_at: 1,
        amount: storage,
        prepaid: 0n,
        reported_replica_count: 0,
        remaining_paid_count: 4,
        replicas: new Map(),
      });
    });
    // The block's events as polkadot-js decodes them: market.FileSuccess then xstorage.FileSuccess.
    const registry = new TypeRegistry();
    registry.setMetadata(new Metadata(registry, generateMetadata(chain.runtime, 15)));
    const raw = chain.backend.get(chain.read(() => Events.key()));
    const records = registry.createType('Vec<FrameSystemEventRecord>', raw) as any;
    const events = records.map((r: any) => r.event);
    const names = events.map((e: any) => `${e.section}.${e.method}`);
    expect(names.slice(-2)).toEqual(['market.FileSuccess', 'xstorage.FileSuccess']);
    const ev = events.at(-1).toJSON().data;
    expect(ev).toEqual([
      registry.createType('AccountId32', SIBLING_2000).toString(),
      u8aToHex(CID),
      Number(size),
    ]);
    const named = events.at(-1).data;
    expect(named.account.toHex()).toBe(u8aToHex(SIBLING_2000));
    expect(named[2].toBigInt()).toBe(size);
  });

  it('a re-order of a known CID is charged at its recorded size; a smaller size is FileSizeNotCorrect', () => {
    const chain = chainWithFees();
    expect(chain.dispatch(orderCall(CID, 2n * MIB), signedOrigin(Alice)).outcome.ok).toBe(true);
    const before = chain.read(() => freeBalance(Bob));
    expect(chain.dispatch(orderCall(CID, 100n * MIB), signedOrigin(Bob)).outcome.ok).toBe(true);
    const [base, byte, keys] = chain.read(() => [
      FileBaseFee.get(),
      FileByteFee.get(),
      FileKeysCountFee.get(),
    ]);
    chain.read(() => expect(before - freeBalance(Bob)).toBe(base + byte * 2n + keys));
    const { outcome, changed } = chain.dispatch(orderCall(CID, MIB), signedOrigin(Bob));
    moduleError(outcome, 100, 1);
    expect(changed).toEqual([]);
  });

  it('refuses without changing anything: insufficient balance, over MaximumFileSize, market closed, unsigned, root', () => {
    const chain = chainWithFees();
    const poor = new Uint8Array(32).fill(0x42);
    expect(
      chain.dispatch(
        Balances.tx.transfer_keep_alive({ dest: { type: 'Id', value: poor }, value: CRU / 100n }),
        signedOrigin(Alice),
      ).outcome.ok,
    ).toBe(true);
    const snapshot = chain.snapshot();
    const expectNothingChanged = (r: { changed: string[] }) => {
      expect(r.changed).toEqual([]);
      expect(chain.snapshot()).toEqual(snapshot);
    };
    // 0.01 CRU does not cover base fee 0.01 CRU + v.
    let r = chain.dispatch(orderCall(CID, MIB), signedOrigin(poor));
    moduleError(r.outcome, 100, 0); // market.InsufficientCurrency
    expectNothingChanged(r);
    // MaximumFileSize is 8 GiB; the size must be below it.
    r = chain.dispatch(orderCall(CID, 8n * 1024n * MIB), signedOrigin(Alice));
    moduleError(r.outcome, 100, 4); // market.FileTooLarge
    expectNothingChanged(r);
    r = chain.dispatch(orderCall(CID, MIB), noneOrigin());
    expect(r.outcome).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
    expectNothingChanged(r);
    r = chain.dispatch(orderCall(CID, MIB), rootOrigin());
    expect(r.outcome).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
    expectNothingChanged(r);
    expect(chain.dispatch(Market.tx.set_enable_market({ is_enabled: false }), rootOrigin()).outcome.ok).toBe(
      true,
    );
    const closed = chain.snapshot();
    r = chain.dispatch(orderCall(CID, MIB), signedOrigin(Alice));
    moduleError(r.outcome, 100, 5); // market.PlaceOrderNotAvailable
    expect(r.changed).toEqual([]);
    expect(chain.snapshot()).toEqual(closed);
    chain.read(() => expect(FilesV2.get(CID)).toBeUndefined());
  });

  it("pays the first reporters from the order only if their owner's benefits collateral covers it", () => {
    const chain = chainWithFees();
    expect(chain.dispatch(orderCall(CID, MIB), signedOrigin(Alice)).outcome.ok).toBe(true);
    const amount = chain.read(() => FilesV2.get(CID)!.amount);
    const nobody = new Uint8Array(32).fill(0x77); // no collateral
    const anchor = (n: number) => new Uint8Array(32).fill(n);
    chain.write(() => {
      // What swork does for a work report adding the file: Bob's own replica (Bob holds 1,000 CRU collateral).
      expect(marketInterface.upsertReplica(Bob, Bob, CID, MIB, anchor(1), 1)).toEqual({
        spower: MIB,
        isValidCid: true,
      });
      expect(marketInterface.upsertReplica(nobody, nobody, CID, MIB, anchor(2), 1).isValidCid).toBe(true);
    });
    const first = calculateRewardAmount(4, amount);
    chain.read(() => {
      expect(MarketBenefits.get(Bob).file_reward).toBe(first);
      expect(MarketBenefits.contains(nobody)).toBe(false);
      const file = FilesV2.get(CID)!;
      expect(file.reported_replica_count).toBe(2);
      expect(file.remaining_paid_count).toBe(3);
      expect(file.amount).toBe(amount - first);
    });
    const bobBefore = chain.read(() => freeBalance(Bob));
    expect(chain.dispatch(Market.tx.reward_merchant({}), signedOrigin(Bob)).outcome.ok).toBe(true);
    chain.read(() => {
      expect(freeBalance(Bob) - bobBefore).toBe(first);
      expect(MarketBenefits.get(Bob).file_reward).toBe(0n);
    });
  });
});

describe('xstorage.place_storage_order and register_storage_fee (flat fee per currency)', () => {
  it('charges the registered fee to the pallet account, which pays the market order', () => {
    const chain = chainWithFees();
    const self = { type: 'SelfReserve' } as const;
    // Only StorageFeeOwner (root) registers a fee.
    let r = chain.dispatch(
      Xstorage.tx.register_storage_fee({ currency_id: self, amount: CRU }),
      signedOrigin(Alice),
    );
    expect(r.outcome).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
    // An asset Crust has no location for: NotCrossChainTransferableCurrency (0).
    r = chain.dispatch(
      Xstorage.tx.register_storage_fee({ currency_id: { type: 'OtherReserve', value: 7n }, amount: CRU }),
      rootOrigin(),
    );
    moduleError(r.outcome, 127, 0);
    // No fee registered yet: NotSupportedCurrency (1).
    r = chain.dispatch(
      Xstorage.tx.place_storage_order({ cid: CID, size: MIB, currency_id: self }),
      signedOrigin(Bob),
    );
    moduleError(r.outcome, 127, 1);
    expect(r.changed).toEqual([]);
    expect(
      chain.dispatch(Xstorage.tx.register_storage_fee({ currency_id: self, amount: CRU }), rootOrigin())
        .outcome.ok,
    ).toBe(true);
    chain.read(() => expect(StorageFeePerCurrency.get(self)).toBe(CRU));
    const [base, byte, keys] = chain.read(() => [
      FileBaseFee.get(),
      FileByteFee.get(),
      FileKeysCountFee.get(),
    ]);
    const before = chain.read(() => [freeBalance(Charlie), freeBalance(xstorageAccount())]);
    r = chain.dispatch(
      Xstorage.tx.place_storage_order({ cid: CID, size: MIB, currency_id: self }),
      signedOrigin(Charlie),
    );
    expect(r.outcome.ok).toBe(true);
    chain.read(() => {
      expect(before[0] - freeBalance(Charlie)).toBe(CRU);
      expect(freeBalance(xstorageAccount()) - before[1]).toBe(CRU - (base + byte + keys));
      expect(FilesV2.get(CID)!.file_size).toBe(MIB);
    });
    // A caller who cannot pay the flat fee: UnableToTransferStorageFee (2), nothing changed.
    const poor = new Uint8Array(32).fill(0x43);
    r = chain.dispatch(
      Xstorage.tx.place_storage_order({ cid: CID, size: MIB, currency_id: self }),
      signedOrigin(poor),
    );
    moduleError(r.outcome, 127, 2);
    expect(r.changed).toEqual([]);
  });

  it('the pallet account is PalletId(*b"xstorage").into_account_truncating()', () => {
    expect(u8aToHex(xstorageAccount(32))).toBe(
      u8aToHex(Uint8Array.from([...te.encode('modlxstorage'), ...new Array(20).fill(0)])),
    );
  });
});

describe('hostile call bytes', () => {
  it('truncated, oversized-length and trailing-byte xstorage calls are decode errors', () => {
    const chain = new CrustTestChain(crustProfile);
    const good = chain.read(() => chain.runtime.encodeCall(orderCall(CID, 5n)));
    for (let n = 0; n < good.length; n++)
      expect(() => chain.runtime.decodeCall(good.subarray(0, n)), `${n}`).toThrow();
    expect(() => chain.runtime.decodeCall(Uint8Array.from([...good, 0]))).toThrow();
    // cid claims 2^30 bytes.
    expect(() => chain.runtime.decodeCall(Uint8Array.of(127, 0, 0x02, 0, 0, 0x40))).toThrow();
    // An unknown CurrencyId variant and an unknown call index.
    expect(() => chain.runtime.decodeCall(Uint8Array.of(127, 2, 5, ...new Array(16).fill(0)))).toThrow();
    expect(() => chain.runtime.decodeCall(Uint8Array.of(127, 3))).toThrow();
  });
});
