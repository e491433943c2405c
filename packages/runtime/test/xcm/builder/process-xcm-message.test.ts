/**
 * `processXcmMessage` (xcm-builder `ProcessXcmMessage`, after its tests in `process_xcm_message.rs`): V3, V4 and V5
 * messages, their bytes made by @polkadot/types (the Polkadot relay's XCM lookup types) rather than by our codecs,
 * are converted and executed alike; corrupt bytes are `Corrupt`; a message that does not fit the meter is
 * `Overweight(required)` and runs nothing; a barrier refusal is `Unsupported` and costs the message's weight; a
 * trailing `SetTopic` becomes the message id.
 */
import { describe, expect, it } from 'vitest';
import { WeightMeter } from '../../../src/pallets/message-queue/weight-meter.ts';
import { processXcmMessage, type ProcessXcmDetails } from '../../../src/xcm/builder/index.ts';
import { siblingParachain } from '../../../src/xcm/index.ts';
import { pjsRegistry } from '../pjs-xcm.ts';
import {
  ALICE,
  BOB,
  BalancesCurrency,
  config,
  feeOf,
  inBlock,
  Counter,
  runtime,
  siblingSovereign,
  UNIT,
  UNIT_WEIGHT,
  XcmTest,
} from '../executor/mock.ts';

const pjs = pjsRegistry();
const process = processXcmMessage(config);
const sibling2000 = siblingParachain(2000);
const hexOf = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const bobJunction = { AccountId32: { network: null, id: hexOf(BOB) } };
const encode = (json: unknown) => pjs.createType('XcmVersionedXcm', json).toU8a();
const units = (n: number) => ({ refTime: n * UNIT_WEIGHT.refTime, proofSize: n * UNIT_WEIGHT.proofSize });

/** WithdrawAsset(10 UNIT native) + BuyExecution + DepositAsset(AllCounted(1), Bob), in each version's JSON. */
function transferJson(version: 3 | 4 | 5) {
  const here = { parents: 0, interior: 'Here' };
  const id = version === 3 ? { Concrete: here } : here;
  const asset = (amount: bigint) => ({ id, fun: { Fungible: amount } });
  return {
    [`V${version}`]: [
      { WithdrawAsset: [asset(10n * UNIT)] },
      { BuyExecution: { fees: asset(UNIT), weightLimit: 'Unlimited' } },
      {
        DepositAsset: {
          assets: { Wild: { AllCounted: 1 } },
          beneficiary: { parents: 0, interior: { X1: version === 3 ? bobJunction : [bobJunction] } },
        },
      },
    ],
  };
}

function processed(bytes: Uint8Array, meter = WeightMeter.unlimited(), details?: ProcessXcmDetails) {
  const id = new Uint8Array(32).fill(1);
  const outcome = process(sibling2000, bytes, meter, id, details);
  return { outcome, id, meter };
}

describe('processXcmMessage', () => {
  for (const v of [3, 4, 5] as const) {
    it(`V${v}: the same transfer, decoded and converted to V5, moves the same units`, () => {
      inBlock(() => {
        const bytes = encode(transferJson(v));
        expect(bytes[0]).toBe(v);
        const { outcome } = processed(bytes);
        expect(outcome).toEqual({ ok: true, success: true, weightUsed: units(3) });
        expect(BalancesCurrency.free(siblingSovereign(2000))).toBe(40n * UNIT);
        expect(BalancesCurrency.free(BOB)).toBe(10n * UNIT - feeOf(3));
      });
    });
  }

  it('V3 and V4 ClearOrigin complete, Trap(1) does not (process_message_trivial_works / _fails)', () => {
    inBlock(() => {
      for (const v of [3, 4, 5]) {
        // Unpaid messages need a barrier that lets them in: run them as the parent, with UnpaidExecution first.
        const unpaid = { UnpaidExecution: { weightLimit: 'Unlimited', checkOrigin: null } };
        const ok = encode({ [`V${v}`]: [unpaid, { ClearOrigin: null }] });
        const trap = encode({ [`V${v}`]: [unpaid, { Trap: 1 }] });
        const parentOrigin = { parents: 1, interior: [] };
        const id = new Uint8Array(32);
        expect(process(parentOrigin, ok, WeightMeter.unlimited(), id)).toMatchObject({
          ok: true,
          success: true,
        });
        expect(process(parentOrigin, trap, WeightMeter.unlimited(), id)).toMatchObject({
          ok: true,
          success: false,
        });
      }
    });
  });

  it('V3 Transact (require_weight_at_most) becomes V5 Transact: the call`s own weight counts', () => {
    inBlock(() => {
      const call = hexOf(runtime.encodeCall(XcmTest.tx.record({ value: 77 })));
      const here = { parents: 0, interior: 'Here' };
      const bytes = encode({
        V3: [
          { WithdrawAsset: [{ id: { Concrete: here }, fun: { Fungible: 10n * UNIT } }] },
          {
            BuyExecution: {
              fees: { id: { Concrete: here }, fun: { Fungible: UNIT } },
              weightLimit: 'Unlimited',
            },
          },
          {
            Transact: {
              originKind: 'SovereignAccount',
              requireWeightAtMost: { refTime: 1, proofSize: 1 },
              call: { encoded: call },
            },
          },
        ],
      });
      const details: ProcessXcmDetails = {};
      const { outcome } = processed(bytes, WeightMeter.unlimited(), details);
      expect(details.message?.[2]).toMatchObject({
        type: 'Transact',
        value: {
          origin_kind: { type: 'SovereignAccount' },
          fallback_max_weight: { refTime: 1n, proofSize: 1n },
        },
      });
      expect(details.required).toEqual({ refTime: 3e9 + 10_000_000, proofSize: 3 * 65536 + 1_000 });
      expect(outcome).toEqual({
        ok: true,
        success: true,
        weightUsed: { refTime: 3e9 + 4_000_000, proofSize: 3 * 65536 + 1_000 },
      });
      expect(Counter.get()).toBe(77);
    });
  });

  it('bytes that are not a VersionedXcm: Corrupt (process_message_corrupted_fails)', () => {
    inBlock(() => {
      for (const bytes of [[], [55, 66], [123, 222, 233], [5, 1], [2, 0]]) {
        expect(processed(new Uint8Array(bytes)).outcome).toEqual({ ok: false, error: { type: 'Corrupt' } });
      }
      // Trailing garbage after a valid message is corrupt too (decode_all).
      const bytes = encode(transferJson(5));
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      expect(processed(longer).outcome).toEqual({ ok: false, error: { type: 'Corrupt' } });
    });
  });

  it('a message that needs more than the meter has left: Overweight(required), nothing runs or is charged', () => {
    inBlock(() => {
      const bytes = encode(transferJson(4));
      for (const limit of [0, 1e9, 2.99e9]) {
        const meter = new WeightMeter({ refTime: limit, proofSize: 10_000_000 });
        expect(processed(bytes, meter).outcome).toEqual({
          ok: false,
          error: { type: 'Overweight', value: units(3) },
        });
        expect(meter.consumed()).toEqual({ refTime: 0, proofSize: 0 });
      }
      expect(BalancesCurrency.free(siblingSovereign(2000))).toBe(50n * UNIT);
      const meter = new WeightMeter(units(3));
      expect(processed(bytes, meter).outcome).toMatchObject({ ok: true, success: true });
    });
  });

  it('a message the barrier refuses: Unsupported, charged its weight', () => {
    inBlock(() => {
      const bytes = encode({ V5: [{ ClearOrigin: null }, { ClearOrigin: null }] });
      const meter = WeightMeter.unlimited();
      expect(processed(bytes, meter).outcome).toEqual({ ok: false, error: { type: 'Unsupported' } });
      expect(meter.consumed()).toEqual(units(2));
    });
  });

  it('a trailing SetTopic becomes the message id', () => {
    inBlock(() => {
      const topic = new Uint8Array(32).fill(0xab);
      const json = transferJson(5);
      (json.V5 as unknown[]).push({ SetTopic: hexOf(topic) });
      const { outcome, id } = processed(encode(json));
      expect(outcome).toMatchObject({ ok: true, success: true });
      expect(id).toEqual(topic);
      expect(ALICE.length).toBe(32);
    });
  });
});
