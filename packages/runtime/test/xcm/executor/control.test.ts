/**
 * The executor's control flow, after polkadot-sdk's xcm-executor / xcm-builder tests (`tests/barriers.rs`,
 * `tests/basic.rs`, `tests/expecting.rs`, `tests/origins.rs`, `tests/weight.rs`, `tests/querying.rs`):
 * barriers (and which one refused), outcomes and their instruction indices, weight limits and MaxInstructions,
 * the holding limit, error handler / appendix / ClearError, the asset trap and ClaimAsset, origins, topics, fees
 * mode, reports and queries, recursion.
 */
import { describe, expect, it } from 'vitest';
import {
  barrierRejections,
  describeBarrierRejection,
  RECURSION_LIMIT,
} from '../../../src/xcm/executor/index.ts';
import { assetTrapHash } from '../../../src/xcm/builder/index.ts';
import {
  type Asset,
  type Instruction,
  type Location,
  parachain,
  parent,
  siblingParachain,
  type Xcm,
  xcmWeight,
} from '../../../src/xcm/index.ts';
import {
  all,
  buy,
  clearOrigin,
  complete,
  deposit,
  incomplete,
  reserveDeposited,
  run,
  runPaid,
  trap,
  used,
  withdraw,
} from './helpers.ts';
import {
  ALICE,
  accountLocation,
  BOB,
  BalancesCurrency,
  config,
  expectedQueries,
  feeOf,
  inBlock,
  native,
  responses,
  runtime,
  sent,
  setDeliveryPrice,
  siblingSovereign,
  siblingToken,
  subscriptions,
  trapContexts,
  trapCounts,
  trapEvents,
  UNIT,
  UNIT_WEIGHT,
  xcmConfig,
} from './mock.ts';

const free = (who: Uint8Array) => BalancesCurrency.free(who);
const sibling2000 = siblingParachain(2000);
/** Prefix of a paid message from a sibling: 10 UNIT from its sovereign account, 1 UNIT offered for weight. */
const paid = (...rest: Instruction[]): Xcm => [withdraw(native(10n * UNIT)), buy(native(UNIT)), ...rest];

describe('barriers', () => {
  it('a message without BuyExecution is stopped by AllowTopLevelPaidExecutionFrom, which the rejection names', () => {
    inBlock(() => {
      const r = run(sibling2000, [withdraw(native(UNIT)), deposit(accountLocation(BOB))]);
      expect(r.outcome).toEqual({ type: 'Error', value: { index: 0, error: { type: 'Barrier' } } });
      const leaves = barrierRejections(r.barrierRejection!);
      const maxWeight = { refTime: 2 * UNIT_WEIGHT.refTime, proofSize: 2 * UNIT_WEIGHT.proofSize };
      expect(leaves).toContainEqual({
        barrier: 'AllowTopLevelPaidExecutionFrom',
        error: { type: 'Overweight', value: maxWeight },
      });
      expect(leaves.map((l) => l.barrier)).toEqual([
        'TakeWeightCredit',
        'AllowTopLevelPaidExecutionFrom',
        'AllowExplicitUnpaidExecutionFrom',
        'AllowKnownQueryResponses',
        'AllowSubscriptionsFrom',
      ]);
      expect(describeBarrierRejection(r.barrierRejection!)).toContain(
        'AllowTopLevelPaidExecutionFrom: Overweight(2000000000, 131072)',
      );
      expect(free(siblingSovereign(2000))).toBe(50n * UNIT);
    });
  });

  it('BuyExecution with a limit below the message weight is refused (Overweight); three assets is BadFormat', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        withdraw(native(UNIT)),
        buy(native(UNIT), { refTime: 1, proofSize: 1 }),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome.type).toBe('Error');
      expect(barrierRejections(r.barrierRejection!)).toContainEqual({
        barrier: 'AllowTopLevelPaidExecutionFrom',
        error: {
          type: 'Overweight',
          value: { refTime: 3 * UNIT_WEIGHT.refTime, proofSize: 3 * UNIT_WEIGHT.proofSize },
        },
      });
      const three = run(sibling2000, [
        withdraw(native(UNIT), siblingToken(5n), {
          id: siblingParachain(3000),
          fun: { type: 'Fungible', value: 1n },
        }),
        buy(native(UNIT)),
      ]);
      expect(barrierRejections(three.barrierRejection!)).toContainEqual({
        barrier: 'AllowTopLevelPaidExecutionFrom',
        error: { type: 'BadFormat' },
      });
    });
  });

  it('the barrier sets BuyExecution`s limit to the message weight; a trailing SetTopic becomes the message id', () => {
    inBlock(() => {
      const topic = new Uint8Array(32).fill(9);
      const r = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        clearOrigin,
        buy(native(UNIT)),
        deposit(accountLocation(BOB)),
        { type: 'SetTopic', value: topic },
      ]);
      expect(r.outcome).toEqual(complete(5));
      expect(r.messageId).toEqual(topic);
      // Paid for the 5 instructions, not the whole 1 UNIT offered.
      expect(free(BOB)).toBe(10n * UNIT - feeOf(5));
    });
  });

  it('the parent gets unpaid execution only with an explicit UnpaidExecution', () => {
    inBlock(() => {
      const ok = run(parent(), [
        { type: 'UnpaidExecution', value: { weight_limit: { type: 'Unlimited' }, check_origin: undefined } },
        clearOrigin,
      ]);
      expect(ok.outcome).toEqual(complete(2));
      const no = run(parent(), [clearOrigin]);
      expect(barrierRejections(no.barrierRejection!)).toContainEqual({
        barrier: 'AllowExplicitUnpaidExecutionFrom',
        error: { type: 'Overweight', value: UNIT_WEIGHT },
      });
      // The check_origin must match the origin when it runs.
      const wrong = run(parent(), [
        {
          type: 'UnpaidExecution',
          value: { weight_limit: { type: 'Unlimited' }, check_origin: sibling2000 },
        },
      ]);
      expect(wrong.outcome).toEqual(incomplete(1, 0, { type: 'BadOrigin' }));
    });
  });

  it('WithComputedOrigin judges the origin the leading DescendOrigins compute', () => {
    inBlock(() => {
      // From the relay: DescendOrigin(Parachain(5)) makes (1, [Parachain(5)]), which is not the parent: no free pass.
      const r = run(parent(), [
        { type: 'DescendOrigin', value: [parachain(5)] },
        { type: 'UnpaidExecution', value: { weight_limit: { type: 'Unlimited' }, check_origin: undefined } },
      ]);
      expect(barrierRejections(r.barrierRejection!)).toContainEqual({
        barrier: 'AllowExplicitUnpaidExecutionFrom',
        error: { type: 'Unsupported' },
      });
    });
  });

  it('local execution is let in by the weight credit (TakeWeightCredit), and only up to it', () => {
    inBlock(() => {
      const message = [withdraw(native(UNIT)), deposit(accountLocation(BOB))];
      const enough = run(accountLocation(ALICE), message, { credit: { refTime: 2e9, proofSize: 131072 } });
      expect(enough.outcome).toEqual(complete(2));
      const short = run(accountLocation(ALICE), message, { credit: { refTime: 2e9 - 1, proofSize: 131072 } });
      expect(barrierRejections(short.barrierRejection!)[0]).toEqual({
        barrier: 'TakeWeightCredit',
        error: { type: 'Overweight', value: { refTime: 2e9, proofSize: 131072 } },
      });
    });
  });
});

describe('weights and limits', () => {
  it('a weight limit below the message: Error at the instruction that crosses it, with the weight so far', () => {
    inBlock(() => {
      const message = paid(clearOrigin, clearOrigin, deposit(accountLocation(BOB)));
      const r = run(sibling2000, message, { limit: { refTime: 2.5e9, proofSize: 10_000_000 } });
      expect(r.outcome).toEqual({
        type: 'Error',
        value: { index: 2, error: { type: 'WeightLimitReached', value: used(3) } },
      });
      expect(free(siblingSovereign(2000))).toBe(50n * UNIT);
    });
  });

  it('MaxInstructions (100) counts nested messages: the 101st is ExceedsStackLimit', () => {
    inBlock(() => {
      const ninetyNine = Array.from({ length: 99 }, () => clearOrigin);
      const ok = runPaid(accountLocation(ALICE), [{ type: 'SetAppendix', value: ninetyNine }]);
      expect(ok.outcome).toEqual(complete(100));
      const over = runPaid(accountLocation(ALICE), [clearOrigin, { type: 'SetAppendix', value: ninetyNine }]);
      expect(over.outcome).toEqual({
        type: 'Error',
        value: { index: 1, error: { type: 'ExceedsStackLimit' } },
      });
    });
  });

  it('holding holds at most 2 × MaxAssetsIntoHolding distinct assets (HoldingWouldOverflow)', () => {
    const cfg = xcmConfig(() => runtime, { isReserve: () => true });
    const assetsOf = (from: number): Asset[] =>
      Array.from({ length: 20 }, (_, i) => ({
        id: { parents: 1, interior: [parachain(3000 + from + i)] },
        fun: { type: 'Fungible', value: 1n },
      }));
    inBlock(() => {
      const message: Xcm = [];
      for (let k = 0; k < 7; k++) message.push(reserveDeposited(...assetsOf(k * 20)));
      const r = runPaid(sibling2000, message, cfg);
      // 6 × 20 = 120 fit in 128; the seventh would make 140.
      expect(r.outcome).toEqual(incomplete(7, 6, { type: 'HoldingWouldOverflow' }));
      expect(trapEvents).toHaveLength(1);
      expect((trapEvents[0].assets as { value: Asset[] }).value).toHaveLength(120);
    });
    const small = xcmConfig(() => runtime, { isReserve: () => true, maxAssetsIntoHolding: 1 });
    inBlock(() => {
      const r = runPaid(
        sibling2000,
        [reserveDeposited(...assetsOf(0).slice(0, 2)), reserveDeposited(...assetsOf(2).slice(0, 1))],
        small,
      );
      expect(r.outcome).toEqual(incomplete(2, 1, { type: 'HoldingWouldOverflow' }));
    });
  });

  it('the recursion limit (10 nested ExecuteWithOrigin): ExceedsStackLimit at the outermost instruction', () => {
    const nest = (depth: number): Instruction =>
      depth === 0
        ? clearOrigin
        : { type: 'ExecuteWithOrigin', value: { descendant_origin: undefined, xcm: [nest(depth - 1)] } };
    inBlock(() => {
      expect(runPaid(accountLocation(ALICE), [nest(RECURSION_LIMIT - 1)]).outcome).toEqual(
        complete(RECURSION_LIMIT),
      );
      expect(runPaid(accountLocation(ALICE), [nest(RECURSION_LIMIT)]).outcome).toEqual(
        incomplete(RECURSION_LIMIT + 1, 0, { type: 'ExceedsStackLimit' }),
      );
    });
  });
});

describe('errors, error handler, appendix', () => {
  it('Trap fails at its index; the skipped instructions are refunded, and what is left is trapped', () => {
    inBlock(() => {
      const r = run(sibling2000, paid(trap(7n), deposit(accountLocation(BOB))));
      expect(r.outcome).toEqual(incomplete(3, 2, { type: 'Trap', value: 7n }));
      // Bought 4 instructions, one skipped: its fee came back before the trap took the holding.
      const left = 10n * UNIT - feeOf(4) + feeOf(1);
      expect(trapEvents).toEqual([
        {
          kind: 'trapped',
          hash: expect.any(String),
          origin: sibling2000,
          assets: { type: 'V5', value: [native(left)] },
        },
      ]);
      expect(trapEvents[0].hash).toBe(
        Buffer.from(assetTrapHash(sibling2000, { type: 'V5', value: [native(left)] })).toString('hex'),
      );
    });
  });

  it('ClaimAsset gives trapped assets back to the origin that left them, once', () => {
    inBlock(() => {
      run(sibling2000, paid(trap(1n)));
      const left = 10n * UNIT - feeOf(3);
      const claim = (): Xcm => [
        { type: 'ClaimAsset', value: { assets: [native(left)], ticket: { parents: 0, interior: [] } } },
        buy(native(UNIT)),
        deposit(accountLocation(BOB)),
      ];
      expect(run(sibling2000, claim()).outcome).toEqual(complete(3));
      expect(free(BOB)).toBe(left - feeOf(3));
      expect(trapCounts.size).toBe(0);
      expect(run(sibling2000, claim()).outcome).toEqual(incomplete(1, 0, { type: 'UnknownClaim' }));
      // Another origin cannot claim them either.
      run(sibling2000, paid(trap(1n)));
      expect(run(siblingParachain(3000), claim()).outcome).toEqual(
        incomplete(1, 0, { type: 'UnknownClaim' }),
      );
    });
  });

  it('SetHints(AssetClaimer): the assets are trapped for the claimer', () => {
    inBlock(() => {
      const claimer = accountLocation(ALICE);
      run(sibling2000, [
        withdraw(native(10n * UNIT)),
        { type: 'SetHints', value: { hints: [{ type: 'AssetClaimer', value: { location: claimer } }] } },
        buy(native(UNIT)),
        trap(0n),
      ]);
      expect(trapEvents[0].origin).toEqual(claimer);
    });
  });

  it('the error handler runs after an error (which stays unless ClearError); unused, its weight is refunded', () => {
    inBlock(() => {
      const handler = [deposit(accountLocation(BOB))];
      const r = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        buy(native(UNIT)),
        { type: 'SetErrorHandler', value: handler },
        trap(3n),
        clearOrigin,
      ]);
      // 6 weighed (the handler's DepositAsset inside SetErrorHandler), ClearOrigin skipped.
      expect(r.outcome).toEqual(incomplete(5, 3, { type: 'Trap', value: 3n }));
      expect(free(BOB)).toBe(10n * UNIT - feeOf(6));
      // The skipped ClearOrigin's fee was refunded after the handler deposited: it is trapped.
      expect(trapEvents.map((e) => e.assets)).toEqual([{ type: 'V5', value: [native(feeOf(1))] }]);

      const cleared = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        buy(native(UNIT)),
        { type: 'SetErrorHandler', value: [{ type: 'ClearError' }, deposit(accountLocation(BOB))] },
        trap(3n),
      ]);
      expect(cleared.outcome).toEqual(complete(6));

      const unused = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        buy(native(UNIT)),
        { type: 'SetErrorHandler', value: [clearOrigin, clearOrigin] },
        deposit(accountLocation(BOB)),
      ]);
      expect(unused.outcome).toEqual(complete(4));
    });
  });

  it('the appendix runs after the message, error or not; ExpectError sees the error', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        buy(native(UNIT)),
        {
          type: 'SetAppendix',
          value: [
            { type: 'ExpectError', value: [3, { type: 'Trap', value: 9n }] },
            deposit(accountLocation(BOB)),
          ],
        },
        trap(9n),
      ]);
      expect(r.outcome).toEqual(incomplete(6, 3, { type: 'Trap', value: 9n }));
      expect(free(BOB)).toBe(10n * UNIT - feeOf(6));
      const wrong = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        buy(native(UNIT)),
        { type: 'SetAppendix', value: [{ type: 'ExpectError', value: undefined }] },
        trap(9n),
      ]);
      // The appendix failed at its index 0; its error replaces the message's.
      expect(wrong.outcome).toEqual(incomplete(5, 0, { type: 'ExpectationFalse' }));
    });
  });

  it('ReportError sends the error to the response destination, with us as querier', () => {
    inBlock(() => {
      run(sibling2000, [
        withdraw(native(10n * UNIT)),
        buy(native(UNIT)),
        {
          type: 'SetAppendix',
          value: [
            {
              type: 'ReportError',
              value: { destination: sibling2000, query_id: 9n, max_weight: xcmWeight(1000, 0) },
            },
            deposit(accountLocation(BOB)),
          ],
        },
        trap(5n),
      ]);
      expect(sent).toHaveLength(1);
      expect(sent[0].dest).toEqual(sibling2000);
      expect(sent[0].message).toEqual([
        {
          type: 'QueryResponse',
          value: {
            query_id: 9n,
            response: { type: 'ExecutionResult', value: [3, { type: 'Trap', value: 5n }] },
            max_weight: xcmWeight(1000, 0),
            // The origin (sibling 2000) as sibling 2000 sees itself.
            querier: { parents: 0, interior: [] },
          },
        },
      ]);
    });
  });
});

describe('origin, topic, expectations', () => {
  it('DescendOrigin / ClearOrigin / ExpectOrigin', () => {
    inBlock(() => {
      const me = accountLocation(ALICE);
      const r = runPaid({ parents: 0, interior: [] }, [
        { type: 'DescendOrigin', value: me.interior },
        { type: 'ExpectOrigin', value: me },
        clearOrigin,
        { type: 'ExpectOrigin', value: undefined },
        withdraw(native(1n)),
      ]);
      expect(r.outcome).toEqual(incomplete(5, 4, { type: 'BadOrigin' }));
    });
  });

  it('ExecuteWithOrigin runs its message as a descendant (or without origin) and restores the origin after', () => {
    inBlock(() => {
      const me = accountLocation(ALICE);
      const r = runPaid({ parents: 0, interior: [] }, [
        {
          type: 'ExecuteWithOrigin',
          value: {
            descendant_origin: me.interior,
            xcm: [{ type: 'ExpectOrigin', value: me }, withdraw(native(UNIT))],
          },
        },
        { type: 'ExpectOrigin', value: { parents: 0, interior: [] } },
        {
          type: 'ExecuteWithOrigin',
          value: { descendant_origin: undefined, xcm: [{ type: 'ExpectOrigin', value: undefined }] },
        },
        { type: 'ExpectOrigin', value: { parents: 0, interior: [] } },
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(complete(8));
      expect(free(ALICE)).toBe(99n * UNIT);
      expect(free(BOB)).toBe(UNIT);
    });
  });

  it('AliasOrigin only where the Aliasers allow it (NoPermission otherwise); UniversalOrigin has no aliases', () => {
    inBlock(() => {
      const alias: Location = { parents: 1, interior: [parachain(2000), accountLocation(ALICE).interior[0]] };
      expect(
        runPaid(sibling2000, [
          { type: 'AliasOrigin', value: alias },
          { type: 'ExpectOrigin', value: alias },
        ]).outcome,
      ).toEqual(complete(2));
      expect(runPaid(sibling2000, [{ type: 'AliasOrigin', value: siblingParachain(3000) }]).outcome).toEqual(
        incomplete(1, 0, { type: 'NoPermission' }),
      );
      expect(
        runPaid(sibling2000, [
          { type: 'UniversalOrigin', value: { type: 'GlobalConsensus', value: { type: 'Kusama' } } },
        ]).outcome,
      ).toEqual(incomplete(1, 0, { type: 'InvalidLocation' }));
    });
  });

  it('SetTopic / ClearTopic set what the adapters see as the topic', () => {
    inBlock(() => {
      const topic = new Uint8Array(32).fill(4);
      runPaid(accountLocation(ALICE), [withdraw(native(UNIT)), { type: 'SetTopic', value: topic }, trap(0n)]);
      runPaid(accountLocation(ALICE), [
        withdraw(native(UNIT)),
        { type: 'SetTopic', value: topic },
        { type: 'ClearTopic' },
        trap(0n),
      ]);
      expect(trapContexts.map((c) => c.topic)).toEqual([topic, undefined]);
    });
  });

  it('ExpectAsset checks the holding', () => {
    inBlock(() => {
      expect(
        runPaid(accountLocation(ALICE), [
          withdraw(native(UNIT)),
          { type: 'ExpectAsset', value: [native(UNIT)] },
          { type: 'ExpectAsset', value: [native(UNIT + 1n)] },
          deposit(accountLocation(BOB)),
        ]).outcome,
      ).toEqual(incomplete(3, 2, { type: 'ExpectationFalse' }));
    });
  });
});

describe('fees for what the executor sends', () => {
  it('SetFeesMode { jit_withdraw }: the delivery fee is withdrawn from the origin`s account', () => {
    inBlock(() => {
      setDeliveryPrice(sibling2000, [native(1_000n)]);
      const transfer: Instruction = {
        type: 'TransferReserveAsset',
        value: { assets: [native(4n * UNIT)], dest: sibling2000, xcm: [] },
      };
      // Without a fee source the delivery cannot be paid: NotHoldingFees, and the transfer is rolled back.
      expect(runPaid(accountLocation(ALICE), [transfer]).outcome).toEqual(
        incomplete(1, 0, { type: 'NotHoldingFees' }),
      );
      expect(free(ALICE)).toBe(100n * UNIT);
      expect(sent).toEqual([]);
      const r = runPaid(accountLocation(ALICE), [
        { type: 'SetFeesMode', value: { jit_withdraw: true } },
        transfer,
      ]);
      expect(r.outcome).toEqual(complete(2));
      expect(free(ALICE)).toBe(96n * UNIT - 1_000n);
      expect(free(siblingSovereign(2000))).toBe(54n * UNIT);
      expect(sent).toHaveLength(1);
    });
  });

  it('a router error fails the instruction (Transport) and rolls its effects back', () => {
    inBlock(() => {
      const r = runPaid(accountLocation(ALICE), [
        withdraw(native(2n * UNIT)),
        { type: 'DepositReserveAsset', value: { assets: all(), dest: siblingParachain(666), xcm: [] } },
      ]);
      expect(r.outcome).toEqual(incomplete(2, 1, { type: 'Transport' }));
      expect(free(siblingSovereign(666))).toBe(0n);
      expect(trapEvents.map((e) => e.assets)).toEqual([{ type: 'V5', value: [native(2n * UNIT)] }]);
    });
  });
});

describe('queries, subscriptions, pallets', () => {
  it('QueryResponse reaches the response handler; unexpected ones are stopped by the barrier', () => {
    inBlock(() => {
      const response: Instruction = {
        type: 'QueryResponse',
        value: {
          query_id: 7n,
          response: { type: 'Version', value: 5 },
          max_weight: xcmWeight(0, 0),
          querier: undefined,
        },
      };
      expect(run(sibling2000, [response]).outcome.type).toBe('Error');
      expectedQueries.add(7n);
      expect(run(sibling2000, [response]).outcome).toEqual(complete(1));
      expect(responses).toEqual([
        { origin: sibling2000, queryId: 7n, response: { type: 'Version', value: 5 } },
      ]);
    });
  });

  it('SubscribeVersion / UnsubscribeVersion from the origin itself; a derived origin may not subscribe', () => {
    inBlock(() => {
      const sub: Instruction = {
        type: 'SubscribeVersion',
        value: { query_id: 1n, max_response_weight: xcmWeight(0, 0) },
      };
      expect(run(sibling2000, [sub]).outcome).toEqual(complete(1));
      expect(run(sibling2000, [{ type: 'UnsubscribeVersion' }]).outcome).toEqual(complete(1));
      expect(subscriptions).toEqual([
        { origin: sibling2000, queryId: 1n },
        { origin: sibling2000, stop: true },
      ]);
      const derived = run(sibling2000, [
        { type: 'DescendOrigin', value: accountLocation(ALICE).interior },
        sub,
      ]);
      expect(derived.outcome).toEqual(incomplete(2, 1, { type: 'BadOrigin' }));
    });
  });

  it('QueryPallet reports the pallets of a module; ExpectPallet checks index, names and version', () => {
    inBlock(() => {
      const enc = (s: string) => new TextEncoder().encode(s);
      const info = { destination: sibling2000, query_id: 3n, max_weight: xcmWeight(0, 0) };
      expect(
        runPaid(accountLocation(ALICE), [
          { type: 'QueryPallet', value: { module_name: enc('pallet_balances'), response_info: info } },
        ]).outcome,
      ).toEqual(complete(1));
      expect(sent[0].message).toEqual([
        {
          type: 'QueryResponse',
          value: {
            query_id: 3n,
            response: {
              type: 'PalletsInfo',
              value: [
                {
                  index: 10,
                  name: enc('Balances'),
                  module_name: enc('pallet_balances'),
                  major: 28,
                  minor: 0,
                  patch: 1,
                },
              ],
            },
            max_weight: xcmWeight(0, 0),
            querier: { parents: 1, interior: [parachain(2008), accountLocation(ALICE).interior[0]] },
          },
        },
      ]);
      const expectPallet = (index: number, name: string, crate_major: number, min_crate_minor = 0): Xcm => [
        {
          type: 'ExpectPallet',
          value: {
            index,
            name: enc(name),
            module_name: enc('pallet_balances'),
            crate_major,
            min_crate_minor,
          },
        },
      ];
      expect(runPaid(accountLocation(ALICE), expectPallet(10, 'Balances', 28)).outcome).toEqual(complete(1));
      expect(runPaid(accountLocation(ALICE), expectPallet(10, 'Balances', 27)).outcome).toEqual(
        incomplete(1, 0, { type: 'VersionIncompatible' }),
      );
      expect(runPaid(accountLocation(ALICE), expectPallet(10, 'Balances', 28, 1)).outcome).toEqual(
        incomplete(1, 0, { type: 'VersionIncompatible' }),
      );
      expect(runPaid(accountLocation(ALICE), expectPallet(10, 'Assets', 28)).outcome).toEqual(
        incomplete(1, 0, { type: 'NameMismatch' }),
      );
      expect(runPaid(accountLocation(ALICE), expectPallet(77, 'Balances', 28)).outcome).toEqual(
        incomplete(1, 0, { type: 'PalletNotFound' }),
      );
    });
  });

  it('ReportHolding reports (reanchored) what the holding has of the filter, and changes nothing', () => {
    inBlock(() => {
      const info = { destination: sibling2000, query_id: 4n, max_weight: xcmWeight(0, 0) };
      const r = runPaid(accountLocation(ALICE), [
        withdraw(native(2n * UNIT)),
        { type: 'ReportHolding', value: { response_info: info, assets: all() } },
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(complete(3));
      expect((sent[0].message[0] as any).value.response).toEqual({
        type: 'Assets',
        value: [{ id: siblingParachain(2008), fun: { type: 'Fungible', value: 2n * UNIT } }],
      });
      expect(free(BOB)).toBe(2n * UNIT);
    });
  });
});

describe('instructions without a handler here', () => {
  it('ExportMessage (no bridge) is Unroutable; the lock instructions fail as with no locker (AssetNotFound)', () => {
    inBlock(() => {
      expect(
        runPaid(accountLocation(ALICE), [
          {
            type: 'ExportMessage',
            value: { network: { type: 'Kusama' }, destination: [], xcm: [] },
          },
        ]).outcome,
      ).toEqual(incomplete(1, 0, { type: 'Unroutable' }));
      expect(
        runPaid(accountLocation(ALICE), [
          { type: 'LockAsset', value: { asset: native(1n), unlocker: sibling2000 } },
        ]).outcome,
      ).toEqual(incomplete(1, 0, { type: 'AssetNotFound' }));
      expect(
        runPaid(sibling2000, [
          { type: 'NoteUnlockable', value: { asset: native(1n), owner: accountLocation(ALICE) } },
        ]).outcome,
      ).toEqual(incomplete(1, 0, { type: 'AssetNotFound' }));
    });
  });

  it('HRMP notifications are accepted and ignored without handlers', () => {
    inBlock(() => {
      expect(
        runPaid(parent(), [{ type: 'HrmpChannelAccepted', value: { recipient: 2000 } }]).outcome,
      ).toEqual(complete(1));
      expect(config.hrmp).toBeUndefined();
    });
  });
});
