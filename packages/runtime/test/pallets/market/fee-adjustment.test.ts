/**
 * Fee adjustment every report slot, as Crust's market does it (cstrml/market/src/lib.rs `on_initialize`,
 * `update_file_byte_fee`, `update_file_keys_count_fee`, `update_base_fee`, `base_fee_ratio`): the vectors of Crust's
 * tests (cstrml/market/src/tests.rs `update_base_fee_should_work`, `update_file_byte_fee_should_work`,
 * `update_file_keys_count_fee_per_blocks_should_work`), then several slots of a running chain with Crust's default
 * ratios (−0.3% / +0.33%) driven by real orders and work reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FileBaseFee,
  FileByteFee,
  FileKeysCount,
  FileKeysCountFee,
  LastFileFeeAdjustBlock,
  Market,
  MinFileBaseFee,
  MinFileByteFee,
  MinFileKeysCountFee,
  OrdersCount,
  updateBaseFee,
  updateFileByteFee,
  updateFileKeysCountFee,
} from '../../../src/pallets/market/index.ts';
import { perbillFromPercent } from '../../../src/pallets/market/primitives.ts';
import { AddedFilesCount, Free, ReportedFilesSize, Swork } from '../../../src/pallets/swork/index.ts';
import { acc, CrustChain, makeWorker, ready, registerArgs, UNIT, workReport } from './crust-runtime.ts';

beforeAll(() => ready);

const te = new TextEncoder();
const pct = perbillFromPercent;

describe("Crust's fee update vectors", () => {
  it('update_base_fee_should_work', () => {
    const chain = new CrustChain({ fileBaseFee: 1000n });
    const seen = chain.block((b) => {
      b.root(Market.tx.set_file_base_fee_increase_threshold({ file_base_fee_increase_threshold: 10 }));
      b.root(Market.tx.set_file_base_fee_decrease_threshold({ file_base_fee_decrease_threshold: 30 }));
      b.root(Market.tx.set_file_base_fee_increase_ratio({ file_base_fee_increase_ratio: pct(5) }));
      b.root(Market.tx.set_file_base_fee_decrease_ratio({ file_base_fee_decrease_ratio: pct(5) }));
      const step = (added: number, orders: number) => {
        AddedFilesCount.set(added);
        OrdersCount.set(orders);
        updateBaseFee();
        expect([AddedFilesCount.get(), OrdersCount.get()]).toEqual([0, 0]);
        return FileBaseFee.get();
      };
      const out = [
        step(500, 0), // no order → −5%
        step(200, 10), // α = 20 → same
        step(0, 100), // α = 0 → +5% (47.5 rounds down)
        step(60, 10), // α = 6 → +5%
        step(1500, 10), // α = 150 → −5%
      ];
      MinFileBaseFee.set(1300n);
      out.push(step(1500, 10));
      out.push(step(60, 10));
      return out;
    }).result;
    expect(seen).toEqual([950n, 950n, 997n, 1047n, 995n, 1300n, 1365n]);
  });

  it('update_file_byte_fee_should_work', () => {
    const chain = new CrustChain();
    const seen = chain.block((b) => {
      b.root(Market.tx.set_byte_fee({ byte_fee: 1000n }));
      b.root(Market.tx.set_file_byte_fee_increase_ratio({ file_byte_fee_increase_ratio: pct(1) }));
      b.root(Market.tx.set_file_byte_fee_decrease_ratio({ file_byte_fee_decrease_ratio: pct(1) }));
      const step = (files?: bigint, free?: bigint) => {
        if (files !== undefined) ReportedFilesSize.set(files);
        if (free !== undefined) Free.set(free);
        updateFileByteFee();
        return FileByteFee.get();
      };
      const out = [step(), step(10_000n, 40_000n), step(60_000n)];
      FileByteFee.set(40n);
      out.push(step(1000n), step(60_000n));
      MinFileByteFee.set(80n);
      out.push(step(1000n), step(1000n));
      return out;
    }).result;
    expect(seen).toEqual([990n, 980n, 990n, 40n, 41n, 80n, 80n]);
  });

  it('update_file_keys_count_fee: down at or below the threshold, up (at least 1) above it, within min', () => {
    const chain = new CrustChain();
    const seen = chain.block((b) => {
      b.root(
        Market.tx.set_file_keys_count_fee_increase_ratio({ file_keys_count_fee_increase_ratio: pct(1) }),
      );
      b.root(
        Market.tx.set_file_keys_count_fee_decrease_ratio({ file_keys_count_fee_decrease_ratio: pct(1) }),
      );
      FileKeysCountFee.set(1000n);
      const step = (count: number) => {
        FileKeysCount.set(count);
        updateFileKeysCountFee();
        return FileKeysCountFee.get();
      };
      const out = [step(1), step(1)];
      FileKeysCountFee.set(40n);
      out.push(step(2_000_000), step(5_000_001));
      MinFileKeysCountFee.set(80n);
      out.push(step(5_000_000), step(5_000_001));
      return out;
    }).result;
    // Crust: 1000 → 990 → 980; 40 stays (1% of 40 rounds to 0); +1 above 5,000,000 files; min 80; then 81.
    expect(seen).toEqual([990n, 980n, 40n, 41n, 80n, 81n]);
  });

  it('root setters refuse a min above the max, a zero interval, crossed thresholds', () => {
    const chain = new CrustChain();
    const { result } = chain.block((b) => [
      b.root(Market.tx.set_min_byte_fee({ min_byte_fee: 10n ** 7n })),
      b.root(Market.tx.set_max_base_fee({ max_base_fee: 0n })),
      b.root(Market.tx.set_file_fee_adjust_interval({ file_fee_adjust_interval: 0 })),
      b.root(Market.tx.set_file_base_fee_increase_threshold({ file_base_fee_increase_threshold: 30 })),
      b.root(Market.tx.set_file_base_fee_decrease_threshold({ file_base_fee_decrease_threshold: 10 })),
      b.dispatch(Market.tx.set_base_fee({ base_fee: 1n }), acc(1)),
    ]);
    const moduleErr = (e: number) => ({
      ok: false,
      error: { type: 'Module', value: { error: new Uint8Array([e, 0, 0, 0]) } },
    });
    expect(result).toMatchObject([
      moduleErr(11),
      { ok: true }, // max 0 ≥ min 0
      moduleErr(10),
      moduleErr(12),
      moduleErr(12),
      { ok: false, error: { type: 'BadOrigin' } },
    ]);
  });
});

describe('fees move every report slot on a running chain', () => {
  it("byte fee −0.3% / +0.33% around 50% used capacity, only after a slot with orders; keys fee and base fee follow Crust's rules", () => {
    const w = makeWorker(10);
    const ALICE = acc(1);
    const chain = new CrustChain({
      balances: [
        [ALICE, 1000n * UNIT],
        [w.account, UNIT],
      ],
      fileBaseFee: 10_000n,
    });
    const order = (n: number) =>
      Market.tx.place_storage_order({
        cid: te.encode(`QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3o${n}`),
        reported_file_size: 300n,
        tips: 0n,
        memo: new Uint8Array(0),
      });
    const fees = () => chain.read(() => [FileByteFee.get(), FileKeysCountFee.get(), FileBaseFee.get()]);
    chain.block((b) => {
      b.root(Market.tx.set_byte_fee({ byte_fee: 1000n }));
      b.dispatch(Swork.tx.register(registerArgs(w)), w.account);
    });
    // Slot 0: an order and a worker with 100 bytes free, no files: 0% used.
    chain.block((b) => {
      b.dispatch(order(1), ALICE);
      b.dispatch(Swork.tx.report_works(workReport(chain, w, { srdSize: 100n })), w.account);
    });
    chain.runTo(6);
    expect(fees()).toEqual([1000n, 1_000_000n, 10_000n]);
    chain.runTo(7); // (7 + 3) % 10 == 0: byte and keys fees move
    expect(fees()).toEqual([997n, 997_000n, 10_000n]);
    chain.runTo(8); // (8 + 2) % 10 == 0: base fee: 1 order, 0 added files (α = 0 < 10) → +0.33%
    expect(fees()).toEqual([997n, 997_000n, 10_033n]);
    expect(chain.read(() => LastFileFeeAdjustBlock.get())).toBe(8);
    // Slot 10: no order (the worker keeps reporting, or its capacity would stop counting at the end of the slot).
    // Byte and keys fees stay; the base fee falls (no order: −0.3%, 30.099 → 30).
    chain.runTo(11);
    chain.block((b) => b.dispatch(Swork.tx.report_works(workReport(chain, w, { srdSize: 100n })), w.account));
    chain.runTo(18);
    expect(fees()).toEqual([997n, 997_000n, 10_003n]);
    // Slot 20: an order, and the worker now holds 300 bytes of files with 100 free: 75% used.
    chain.runTo(21);
    chain.block((b) => {
      b.dispatch(order(2), ALICE);
      const r = b.dispatch(
        Swork.tx.report_works(
          workReport(chain, w, {
            srdSize: 100n,
            added: [{ cid: 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3o2', size: 300n, validAt: 21 }],
          }),
        ),
        w.account,
      );
      expect(r).toMatchObject({ ok: true });
    });
    chain.runTo(28);
    // Byte fee +0.33% (3.29 → 3); 2 files ≤ 5,000,000: keys fee −0.3%; base fee: α = 1 added / 1 order → +0.33%.
    expect(fees()).toEqual([1000n, 994_009n, 10_036n]);
  });
});
