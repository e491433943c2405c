/**
 * Crust's DSM prices: the order fee from FileBaseFee, FileByteFee (per started MiB) and FileKeysCountFee, its split
 * into the pots (72% staking, 18% + tips storage = the file's amount, the rest reserved), the size limit, re-orders at
 * the real size, and failures that charge nothing. Expected numbers come from Crust's own tests
 * (crustio/crust cstrml/market/src/tests.rs) or are worked by hand from its code (lib.rs `get_file_fee`,
 * `split_into_reserved_and_storage_and_staking_pot`, Perbill rounding to nearest).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DispatchFailure } from '../../../src/frame/dispatch-error.ts';
import { BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import {
  CRUST_MARKET_DEFAULTS,
  calculateSpower,
  FileKeysCount,
  FilesV2,
  Market,
  moduleSubAccount,
  orderFee,
  OrdersCount,
  placeStorageOrderFor,
  reservedPot,
  stakingPot,
  storagePot,
  collateralPot,
} from '../../../src/pallets/market/index.ts';
import { acc, CrustChain, ED, INDEX, ready, UNIT } from './crust-runtime.ts';

beforeAll(() => ready);

const te = new TextEncoder();
const CID = te.encode('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF');
const ALICE = acc(1);

function chainWith(fees: { byte?: bigint; keys?: bigint; base?: bigint } = {}) {
  const chain = new CrustChain({ balances: [[ALICE, 1_000n * UNIT]] });
  chain.block((b) => {
    if (fees.byte !== undefined) b.root(Market.tx.set_byte_fee({ byte_fee: fees.byte }));
    if (fees.keys !== undefined) b.root(Market.tx.set_key_count_fee({ key_count_fee: fees.keys }));
    if (fees.base !== undefined) b.root(Market.tx.set_base_fee({ base_fee: fees.base }));
  });
  return chain;
}

const balances = (chain: CrustChain) =>
  chain.read(() => ({
    alice: BalancesCurrency.free(ALICE),
    reserved: BalancesCurrency.free(reservedPot()),
    staking: BalancesCurrency.free(stakingPot()),
    storage: BalancesCurrency.free(storagePot()),
  }));

const order = (size: bigint, tips = 0n, cid = CID) =>
  Market.tx.place_storage_order({ cid, reported_file_size: size, tips, memo: te.encode('memo') });

describe('market pots', () => {
  it('are ModuleId(*b"crmarket").into_sub_account("stor"|...): modl ++ crmarket ++ compact(4) ++ sub ++ zeros', () => {
    // sp_runtime AccountIdConversion::into_sub_account encodes (b"modl", id, &str); a &str carries a compact length.
    const expected = (sub: string) => {
      const a = new Uint8Array(32);
      a.set([...te.encode('modlcrmarket'), 0x10, ...te.encode(sub)]);
      return a;
    };
    const chain = chainWith();
    chain.read(() => {
      expect(storagePot()).toEqual(expected('stor'));
      expect(stakingPot()).toEqual(expected('stak'));
      expect(reservedPot()).toEqual(expected('rese'));
      expect(collateralPot()).toEqual(expected('coll'));
      // Genesis gives each pot the existential deposit, as Crust's init_pot does with the minimum balance.
      expect(BalancesCurrency.free(storagePot())).toBe(ED);
    });
    expect(moduleSubAccount(te.encode('crmarket'), 'stor', 20)).toEqual(expected('stor').slice(0, 20));
  });
});

describe('place_storage_order fee', () => {
  it("Crust's place_storage_order_should_work: byte fee 1000, keys fee 1000, base fee 1000, 100 bytes", () => {
    // cstrml/market/src/tests.rs: reserved pot 1200, staking pot 1440, storage pot 360 = the file's amount.
    const chain = chainWith({ byte: 1000n, keys: 1000n, base: 1000n });
    const before = balances(chain);
    const { result } = chain.block((b) => b.dispatch(order(100n), ALICE));
    expect(result).toMatchObject({ ok: true });
    const after = balances(chain);
    expect(after.reserved - before.reserved).toBe(1200n);
    expect(after.staking - before.staking).toBe(1440n);
    expect(after.storage - before.storage).toBe(360n);
    expect(before.alice - after.alice).toBe(3000n);
    const file = chain.read(() => FilesV2.get(CID))!;
    expect(file).toMatchObject({
      file_size: 100n,
      spower: 0n,
      expired_at: 0,
      calculated_at: 2,
      amount: 360n,
      prepaid: 0n,
      reported_replica_count: 0,
      remaining_paid_count: 4,
    });
    expect(file.replicas.size).toBe(0);
    expect(chain.read(() => [OrdersCount.get(), FileKeysCount.get()])).toEqual([1, 1]);
    expect(chain.events.filter((e) => e.pallet === 'Market')).toEqual([
      { pallet: 'Market', name: 'FileSuccess', fields: [ALICE, CID] },
    ]);
  });

  it('counts whole MiB (rounded up), adds the keys fee, rounds each Perbill share to nearest', () => {
    const chain = chainWith({ byte: 13n, keys: 0n, base: 7n });
    chain.read(() => {
      // 1 MiB + 1 byte is 2 MiB: v = 26; 72% = 18.72 → 19, 18% = 4.68 → 5, reserved = 26 + 7 − 19 − 5 = 9.
      expect(orderFee(1_048_577n)).toEqual({
        baseFee: 7n,
        byteFee: 26n,
        keysCountFee: 0n,
        value: 26n,
        staking: 19n,
        storage: 5n,
        reserved: 9n,
        total: 33n,
      });
      // Exactly 1 MiB is 1 MiB; 0 bytes is 0 MiB.
      expect(orderFee(1_048_576n).byteFee).toBe(13n);
      expect(orderFee(0n).byteFee).toBe(0n);
    });
  });

  it("at Crust mainnet's initial fees a 1 GiB order costs 0.00001124 CRU", () => {
    // InitFileByteFee = MILLICENTS / 1000 = 10^4 per MiB, InitFileKeysCountFee = MILLICENTS / 10 = 10^6, base 0.
    const chain = chainWith();
    chain.read(() => {
      expect(orderFee(1n << 30n)).toEqual({
        baseFee: 0n,
        byteFee: 10_240_000n,
        keysCountFee: 1_000_000n,
        value: 11_240_000n,
        staking: 8_092_800n,
        storage: 2_023_200n,
        reserved: 1_124_000n,
        total: 11_240_000n,
      });
    });
    expect(CRUST_MARKET_DEFAULTS.maximumFileSize).toBe(8n * 1024n ** 3n);
  });

  it('tips go to the storage pot and into the amount', () => {
    const chain = chainWith({ byte: 1000n, keys: 1000n, base: 1000n });
    const before = balances(chain);
    chain.block((b) => b.dispatch(order(100n, 500n), ALICE));
    const after = balances(chain);
    expect(after.storage - before.storage).toBe(860n);
    expect(chain.read(() => FilesV2.get(CID))!.amount).toBe(860n);
  });

  it('insufficient balance fails with InsufficientCurrency and charges nothing', () => {
    const BOB = acc(2);
    // Bob holds ED + 2999, the order costs ED + 3000 (base fee ED, v = 2000).
    const chain = new CrustChain({ balances: [[BOB, ED + 2_999n]] });
    chain.block((b) => {
      b.root(Market.tx.set_byte_fee({ byte_fee: 1000n }));
      b.root(Market.tx.set_key_count_fee({ key_count_fee: 1000n }));
      b.root(Market.tx.set_base_fee({ base_fee: ED + 1000n }));
    });
    const before = chain.palletState('Market');
    const { result } = chain.block((b) => {
      const snapshot = b.dispatch(order(100n), BOB);
      return snapshot;
    });
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'Module', value: { index: INDEX.Market, error: new Uint8Array([0, 0, 0, 0]) } },
    });
    expect(chain.read(() => BalancesCurrency.free(BOB))).toBe(ED + 2_999n);
    expect(chain.read(() => FilesV2.get(CID))).toBeUndefined();
    expect(chain.palletState('Market')).toEqual(before);
    expect(chain.events.filter((e) => e.pallet === 'Market' || e.pallet === 'Balances')).toEqual([]);
  });

  it('a size at or over MaximumFileSize fails with FileTooLarge; just below is accepted', () => {
    const chain = chainWith();
    const max = CRUST_MARKET_DEFAULTS.maximumFileSize;
    const { result } = chain.block((b) => [
      b.dispatch(order(max), ALICE),
      b.dispatch(order(max - 1n), ALICE),
    ]);
    expect(result![0]).toMatchObject({
      ok: false,
      error: { value: { error: new Uint8Array([4, 0, 0, 0]) } },
    });
    expect(result![1]).toMatchObject({ ok: true });
    expect(chain.read(() => FilesV2.get(CID))!.file_size).toBe(max - 1n);
  });

  it('a re-order of a known CID is charged at its real size; a smaller size is FileSizeNotCorrect', () => {
    const chain = chainWith({ byte: 1000n, keys: 0n, base: 0n });
    chain.block((b) => b.dispatch(order(3n * 1_048_576n), ALICE));
    const before = balances(chain);
    const { result } = chain.block((b) => [
      b.dispatch(order(100n * 1_048_576n), ALICE),
      b.dispatch(order(1_048_576n), ALICE),
    ]);
    expect(result![0]).toMatchObject({ ok: true });
    expect(result![1]).toMatchObject({
      ok: false,
      error: { value: { error: new Uint8Array([1, 0, 0, 0]) } },
    });
    // Charged for 3 MiB (3000), not 100 MiB.
    expect(before.alice - balances(chain).alice).toBe(3000n);
    const file = chain.read(() => FilesV2.get(CID))!;
    expect(file.file_size).toBe(3n * 1_048_576n);
    expect(file.amount).toBe(540n + 540n);
    expect(chain.read(() => [OrdersCount.get(), FileKeysCount.get()])).toEqual([2, 1]);
  });

  it("placeStorageOrderFor (xstorage's entry point) charges and records exactly as the extrinsic", () => {
    const viaCall = chainWith({ byte: 1000n, keys: 1000n, base: 1000n });
    viaCall.block((b) => b.dispatch(order(100n, 7n), ALICE));
    const direct = chainWith({ byte: 1000n, keys: 1000n, base: 1000n });
    const { result, events } = direct.block(() => {
      const charged = placeStorageOrderFor(ALICE, CID, 100n, 7n, te.encode('memo'));
      // A failing order changes nothing and throws the pallet's error.
      let failure: unknown;
      try {
        placeStorageOrderFor(ALICE, CID, 10n, 0n);
      } catch (e) {
        failure = e;
      }
      return { charged, failure };
    });
    expect(result!.charged).toBe(3007n);
    expect(result!.failure).toBeInstanceOf(DispatchFailure);
    expect((result!.failure as DispatchFailure).message).toContain('FileSizeNotCorrect');
    expect(direct.read(() => FilesV2.get(CID))).toEqual(viaCall.read(() => FilesV2.get(CID)));
    expect(balances(direct)).toEqual(balances(viaCall));
    expect(events.filter((e) => e.pallet === 'Market')).toEqual([
      { pallet: 'Market', name: 'FileSuccess', fields: [ALICE, CID] },
    ]);
  });

  it('a disabled market refuses orders (PlaceOrderNotAvailable)', () => {
    const chain = chainWith();
    const { result } = chain.block((b) => {
      b.root(Market.tx.set_enable_market({ is_enabled: false }));
      return b.dispatch(order(100n), ALICE);
    });
    expect(result).toMatchObject({ ok: false, error: { value: { error: new Uint8Array([5, 0, 0, 0]) } } });
  });
});

describe('calculate_spower', () => {
  it("follows Crust's calculate_spower_should_work and the α table", () => {
    // cstrml/market/src/tests.rs (mainnet): 1000 bytes at 0, 200, 250, 146, 16, 128 replicas.
    expect(calculateSpower(1000n, 0)).toBe(1000n);
    expect(calculateSpower(1000n, 200)).toBe(200_000n);
    expect(calculateSpower(1000n, 250)).toBe(200_000n);
    expect(calculateSpower(1000n, 146)).toBe(190_000n);
    expect(calculateSpower(1000n, 16)).toBe(2000n);
    expect(calculateSpower(1000n, 128)).toBe(180_000n);
    // 1..=8 replicas: α = 0.1 (size + size × 1 / 10, integer division).
    expect(calculateSpower(1000n, 1)).toBe(1100n);
    expect(calculateSpower(1005n, 8)).toBe(1105n);
    expect(calculateSpower(1000n, 9)).toBe(2000n);
    expect(calculateSpower(1000n, 157)).toBe(190_000n);
    expect(calculateSpower(1000n, 158)).toBe(200_000n);
  });
});
