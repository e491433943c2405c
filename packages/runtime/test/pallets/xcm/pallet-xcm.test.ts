/**
 * pallet-xcm's calls and executor adapters, after polkadot-sdk's `pallet-xcm/src/tests/mod.rs`: send (DescendOrigin,
 * delivery fee, Sent / FeesPaid, router errors), execute (Attempted, LocalExecutionIncompleteWithError with the
 * instruction index and ExecutionError in the ModuleError bytes, everything rolled back), the asset trap and
 * claim_assets, XCM versions (force_xcm_version, force_default_xcm_version, version wrapping, discovery queue,
 * subscriptions both ways) and queries (new_query, responses, notify calls, take_response).
 */
import { describe, expect, it } from 'vitest';
import { signedOrigin, rootOrigin } from '../../../src/frame/origin.ts';
import { WeightMeter } from '../../../src/pallets/message-queue/weight-meter.ts';
import { assetTrapHash, processXcmMessage } from '../../../src/xcm/builder/index.ts';
import { prepareAndExecute } from '../../../src/xcm/executor/index.ts';
import {
  type Instruction,
  parachain,
  siblingParachain,
  VersionedXcmCodec,
  type Xcm,
  xcmWeight,
} from '../../../src/xcm/index.ts';
import {
  ALICE,
  accountLocation,
  BOB,
  BalancesCurrency,
  LastOrigin,
  native,
  UNIT,
  XcmTest,
} from '../../xcm/executor/mock.ts';
import {
  allEvents,
  executorConfig,
  inBlock,
  PolkadotXcm,
  runtime,
  sent,
  setDeliveryPrice,
  xcmEvents,
} from './mock.ts';

const { storage } = PolkadotXcm;
const tx = PolkadotXcm.pallet.tx;
const sibling2000 = siblingParachain(2000);
const free = (who: Uint8Array) => BalancesCurrency.free(who);
const v5 = <T>(value: T) => ({ type: 'V5' as const, value });
const alice = accountLocation(ALICE);
const dispatch = (call: ReturnType<typeof tx.send>, who?: Uint8Array) =>
  runtime.dispatch(call, who ? signedOrigin(who) : rootOrigin());
/** `DispatchError::Module` of PolkadotXcm (index 31) with these error bytes. */
const moduleError = (...bytes: number[]) => ({
  type: 'Module',
  value: { index: 31, error: Uint8Array.from([...bytes, 0, 0, 0, 0].slice(0, 4)) },
});
const UNIT_W = { refTime: 1e9, proofSize: 65536 };

describe('send', () => {
  it('a signed origin sends with DescendOrigin(itself) first and pays the delivery fee', () => {
    inBlock(() => {
      setDeliveryPrice(sibling2000, [native(1_000n)]);
      const message: Xcm = [{ type: 'ClearOrigin' }];
      expect(dispatch(tx.send({ dest: v5(sibling2000), message: v5(message) }), ALICE)).toMatchObject({
        ok: true,
      });
      expect(sent).toEqual([
        { dest: sibling2000, message: [{ type: 'DescendOrigin', value: alice.interior }, ...message] },
      ]);
      expect(free(ALICE)).toBe(100n * UNIT - 1_000n);
      const events = xcmEvents();
      expect(events[0]).toEqual(['FeesPaid', { paying: alice, fees: [native(1_000n)] }]);
      expect(events[1][0]).toBe('Sent');
      expect(events[1][1]).toMatchObject({ origin: alice, destination: sibling2000, message });
      // The id is what the router returned: the hash of what it delivered.
      expect(events[1][1].message_id).toEqual(
        require_hash([{ type: 'DescendOrigin', value: alice.interior }, ...message]),
      );
    });
  });

  it('Root sends as the chain itself (no DescendOrigin, no fee); older versions are accepted', () => {
    inBlock(() => {
      const v3 = { type: 'V3' as const, value: [{ type: 'ClearOrigin' }] };
      expect(
        dispatch(tx.send({ dest: { type: 'V4', value: sibling2000 }, message: v3 as never })),
      ).toMatchObject({ ok: true });
      expect(sent[0].message).toEqual([{ type: 'ClearOrigin' }]);
    });
  });

  it('router errors: NotApplicable is Unreachable, others SendFailure; paying nothing', () => {
    inBlock(() => {
      const msg = v5<Xcm>([{ type: 'ClearOrigin' }]);
      expect(
        dispatch(tx.send({ dest: v5({ parents: 2, interior: [] }), message: msg }), ALICE),
      ).toMatchObject({
        ok: false,
        error: moduleError(0),
      });
      expect(dispatch(tx.send({ dest: v5(siblingParachain(666)), message: msg }), ALICE)).toMatchObject({
        ok: false,
        error: moduleError(1),
      });
      setDeliveryPrice(sibling2000, [native(1000n * UNIT)]);
      expect(dispatch(tx.send({ dest: v5(sibling2000), message: msg }), ALICE)).toMatchObject({
        ok: false,
        error: moduleError(17), // FeesNotMet
      });
      expect(free(ALICE)).toBe(100n * UNIT);
      // Root sends as the chain itself: no fee to pay.
      expect(dispatch(tx.send({ dest: v5(sibling2000), message: msg }), undefined)).toMatchObject({
        ok: true,
      });
    });
  });
});

import { blake2_256 } from '../../../src/crypto/hashing.ts';
function require_hash(message: Xcm): Uint8Array {
  return blake2_256(VersionedXcmCodec.encode({ type: 'V5', value: message }));
}

describe('execute', () => {
  it('runs the message with its weight as credit, deposits Attempted, reports the weight used', () => {
    inBlock(() => {
      const message: Xcm = [
        { type: 'WithdrawAsset', value: [native(2n * UNIT)] },
        {
          type: 'DepositAsset',
          value: {
            assets: { type: 'Wild', value: { type: 'AllCounted', value: 1 } },
            beneficiary: accountLocation(BOB),
          },
        },
      ];
      const r = dispatch(tx.execute({ message: v5(message), max_weight: xcmWeight(1e10, 1e6) }), ALICE);
      expect(r).toEqual({
        ok: true,
        postInfo: { actualWeight: { refTime: 2e9 + 100_000_000, proofSize: 2 * 65536 } },
      });
      expect(free(ALICE)).toBe(98n * UNIT);
      expect(free(BOB)).toBe(2n * UNIT);
      expect(xcmEvents()).toEqual([
        ['Attempted', { outcome: { type: 'Complete', value: { used: xcmWeight(2e9, 2 * 65536) } } }],
      ]);
    });
  });

  it('an incomplete execution fails with LocalExecutionIncompleteWithError { index, error } and rolls everything back', () => {
    inBlock(() => {
      const message: Xcm = [
        { type: 'WithdrawAsset', value: [native(2n * UNIT)] },
        { type: 'Trap', value: 4n },
      ];
      const r = dispatch(tx.execute({ message: v5(message), max_weight: xcmWeight(1e10, 1e6) }), ALICE);
      // 28 = LocalExecutionIncompleteWithError, instruction 1, ExecutionError::Trap = 21.
      expect(r).toEqual({
        ok: false,
        error: moduleError(28, 1, 21),
        postInfo: { actualWeight: { refTime: 2e9 + 100_000_000, proofSize: 2 * 65536 } },
      });
      expect(free(ALICE)).toBe(100n * UNIT);
      expect([...storage.AssetTraps.iter()]).toEqual([]);
      // A max_weight below the message's: the weigher stops at the instruction that crosses it.
      const low = dispatch(tx.execute({ message: v5(message), max_weight: xcmWeight(1.5e9, 1e6) }), ALICE);
      expect(low).toMatchObject({ ok: false, error: moduleError(28, 1, 37) }); // WeightLimitReached = 37
    });
  });

  it('only origins the config converts may execute; the weight of the call includes max_weight', () => {
    inBlock(() => {
      expect(runtime.callInfo(tx.execute({ message: v5([]), max_weight: xcmWeight(5, 7) })).weight).toEqual({
        refTime: 100_000_005,
        proofSize: 7,
      });
      expect(
        runtime.dispatch(tx.execute({ message: v5([]), max_weight: xcmWeight(5, 7) }), { type: 'None' }),
      ).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
    });
  });
});

describe('asset trap and claim_assets', () => {
  it('what a failed execution leaves is trapped (AssetsTrapped) and claim_assets gives it to a beneficiary', () => {
    inBlock(() => {
      const message: Xcm = [
        { type: 'WithdrawAsset', value: [native(3n * UNIT)] },
        { type: 'Trap', value: 0n },
      ];
      const { outcome } = prepareAndExecute(
        executorConfig,
        alice,
        message,
        new Uint8Array(32),
        UNIT_W_TIMES(2),
        UNIT_W_TIMES(2),
      );
      expect(outcome.type).toBe('Incomplete');
      const hash = assetTrapHash(alice, v5([native(3n * UNIT)]));
      expect(storage.AssetTraps.get(hash)).toBe(1);
      expect(xcmEvents()).toEqual([
        ['AssetsTrapped', { hash, origin: alice, assets: v5([native(3n * UNIT)]) }],
      ]);
      // Bob cannot claim Alice's trap; Alice can.
      expect(
        dispatch(
          tx.claim_assets({ assets: v5([native(3n * UNIT)]), beneficiary: v5(accountLocation(BOB)) }),
          BOB,
        ),
      ).toMatchObject({
        ok: false,
        error: moduleError(28, 0, 16), // UnknownClaim at ClaimAsset
      });
      expect(
        dispatch(
          tx.claim_assets({ assets: v5([native(3n * UNIT)]), beneficiary: v5(accountLocation(BOB)) }),
          ALICE,
        ),
      ).toMatchObject({
        ok: true,
      });
      expect(free(BOB)).toBe(3n * UNIT);
      expect(storage.AssetTraps.get(hash)).toBe(0);
      expect(xcmEvents().at(-1)).toEqual([
        'AssetsClaimed',
        { hash, origin: alice, assets: v5([native(3n * UNIT)]) },
      ]);
      // Claimed once only.
      expect(
        dispatch(tx.claim_assets({ assets: v5([native(3n * UNIT)]), beneficiary: v5(alice) }), ALICE),
      ).toMatchObject({ ok: false });
    });
  });

  it('assets trapped by an incoming message are the sender`s to claim (ClaimAsset from the same origin)', () => {
    inBlock(() => {
      const process = processXcmMessage(executorConfig);
      const msg = (xcm: Xcm) => VersionedXcmCodec.encode(v5(xcm));
      const paid: Instruction[] = [
        { type: 'WithdrawAsset', value: [native(10n * UNIT)] },
        { type: 'BuyExecution', value: { fees: native(UNIT), weight_limit: { type: 'Unlimited' } } },
      ];
      expect(
        process(
          sibling2000,
          msg([...paid, { type: 'Trap', value: 1n }]),
          WeightMeter.unlimited(),
          new Uint8Array(32),
        ),
      ).toMatchObject({
        ok: true,
        success: false,
      });
      const left = 10n * UNIT - 3_000_000n;
      expect(storage.AssetTraps.get(assetTrapHash(sibling2000, v5([native(left)])))).toBe(1);
      const claim: Xcm = [
        { type: 'ClaimAsset', value: { assets: [native(left)], ticket: { parents: 0, interior: [] } } },
        { type: 'BuyExecution', value: { fees: native(UNIT), weight_limit: { type: 'Unlimited' } } },
        {
          type: 'DepositAsset',
          value: { assets: { type: 'Wild', value: { type: 'All' } }, beneficiary: accountLocation(BOB) },
        },
      ];
      expect(process(sibling2000, msg(claim), WeightMeter.unlimited(), new Uint8Array(32))).toMatchObject({
        ok: true,
        success: true,
      });
      expect(free(BOB)).toBe(left - 3_000_000n);
    });
  });
});

function UNIT_W_TIMES(n: number) {
  return { refTime: n * UNIT_W.refTime, proofSize: n * UNIT_W.proofSize };
}

describe('XCM versions', () => {
  const wrap = PolkadotXcm.adapters.wrapVersion;
  const msg: Xcm = [{ type: 'ClearOrigin' }];

  it('unknown destinations get SafeXcmVersion (genesis: 5) and are queued for discovery', () => {
    inBlock(() => {
      expect(wrap.wrapVersion(sibling2000, msg)?.type).toBe('V5');
      wrap.wrapVersion(sibling2000, msg);
      expect(storage.VersionDiscoveryQueue.get()).toEqual([[v5(sibling2000), 2]]);
      expect(dispatch(tx.force_default_xcm_version({ maybe_xcm_version: 3 }))).toMatchObject({ ok: true });
      expect(wrap.wrapVersion(siblingParachain(2001), msg)?.type).toBe('V3');
      expect(dispatch(tx.force_default_xcm_version({ maybe_xcm_version: undefined }))).toMatchObject({
        ok: true,
      });
      expect(wrap.wrapVersion(siblingParachain(2002), msg)).toBeUndefined();
    });
  });

  it('force_xcm_version (Root only) fixes a destination`s version', () => {
    inBlock(() => {
      expect(dispatch(tx.force_xcm_version({ location: sibling2000, version: 4 }), ALICE)).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
      expect(dispatch(tx.force_xcm_version({ location: sibling2000, version: 4 }))).toMatchObject({
        ok: true,
      });
      expect(xcmEvents()).toEqual([['SupportedVersionChanged', { location: sibling2000, version: 4 }]]);
      expect(wrap.wrapVersion(sibling2000, msg)).toEqual({ type: 'V4', value: [{ type: 'ClearOrigin' }] });
    });
  });

  it('we subscribe (force_subscribe_version_notify); their QueryResponse(Version) sets what we know', () => {
    inBlock(() => {
      expect(dispatch(tx.force_subscribe_version_notify({ location: v5(sibling2000) }))).toMatchObject({
        ok: true,
      });
      expect(sent[0].message).toEqual([
        { type: 'SubscribeVersion', value: { query_id: 0n, max_response_weight: xcmWeight(0, 0) } },
      ]);
      expect(storage.VersionNotifiers.get(5, v5(sibling2000))).toBe(0n);
      expect(dispatch(tx.force_subscribe_version_notify({ location: v5(sibling2000) }))).toMatchObject({
        ok: false,
        error: moduleError(12), // AlreadySubscribed
      });
      const response: Xcm = [
        {
          type: 'QueryResponse',
          value: {
            query_id: 0n,
            response: { type: 'Version', value: 4 },
            max_weight: xcmWeight(0, 0),
            querier: undefined,
          },
        },
      ];
      const r = processXcmMessage(executorConfig)(
        sibling2000,
        VersionedXcmCodec.encode(v5(response)),
        WeightMeter.unlimited(),
        new Uint8Array(32),
      );
      expect(r).toMatchObject({ ok: true, success: true });
      expect(storage.SupportedVersion.get(5, v5(sibling2000))).toBe(4);
      expect(storage.Queries.get(0n)).toEqual({
        type: 'VersionNotifier',
        value: { origin: v5(sibling2000), is_active: true },
      });
      expect(dispatch(tx.force_unsubscribe_version_notify({ location: v5(sibling2000) }))).toMatchObject({
        ok: true,
      });
      expect(sent.at(-1)?.message).toEqual([{ type: 'UnsubscribeVersion' }]);
      expect(storage.Queries.get(0n)).toBeUndefined();
    });
  });

  it('they subscribe to us: SubscribeVersion gets our version back (VersionNotifyStarted); twice is refused', () => {
    inBlock(() => {
      const process = processXcmMessage(executorConfig);
      const subscribe = VersionedXcmCodec.encode(
        v5<Xcm>([
          { type: 'SubscribeVersion', value: { query_id: 9n, max_response_weight: xcmWeight(5, 0) } },
        ]),
      );
      expect(process(sibling2000, subscribe, WeightMeter.unlimited(), new Uint8Array(32))).toMatchObject({
        ok: true,
        success: true,
      });
      expect(sent[0]).toEqual({
        dest: sibling2000,
        message: [
          {
            type: 'QueryResponse',
            value: {
              query_id: 9n,
              response: { type: 'Version', value: 5 },
              max_weight: xcmWeight(5, 0),
              querier: undefined,
            },
          },
        ],
      });
      expect(storage.VersionNotifyTargets.get(5, v5(sibling2000))).toEqual([9n, xcmWeight(5, 0), 5]);
      expect(xcmEvents().map(([e]) => e)).toEqual(['VersionNotifyStarted']);
      expect(process(sibling2000, subscribe, WeightMeter.unlimited(), new Uint8Array(32))).toMatchObject({
        ok: true,
        success: false,
      });
      const unsubscribe = VersionedXcmCodec.encode(v5<Xcm>([{ type: 'UnsubscribeVersion' }]));
      expect(process(sibling2000, unsubscribe, WeightMeter.unlimited(), new Uint8Array(32))).toMatchObject({
        ok: true,
        success: true,
      });
      expect(storage.VersionNotifyTargets.get(5, v5(sibling2000))).toBeUndefined();
    });
  });

  it('on_initialize asks the most-sent-to unknown destination for its version', () => {
    inBlock(() => {
      wrap.wrapVersion(siblingParachain(2001), msg);
      wrap.wrapVersion(sibling2000, msg);
      wrap.wrapVersion(sibling2000, msg);
      PolkadotXcm.pallet.hooks.onInitialize!(2);
      expect(sent.map((s) => s.dest)).toEqual([sibling2000]);
      expect(storage.VersionDiscoveryQueue.get()).toEqual([[v5(siblingParachain(2001)), 1]]);
    });
  });
});

describe('queries', () => {
  const q = PolkadotXcm.adapters.queryHandler;

  it('a registered query takes the matching response (ResponseReady); take_response hands it over once', () => {
    inBlock(() => {
      const id = q.newQuery(sibling2000, 100, { parents: 0, interior: [] });
      expect(id).toBe(0n);
      expect(storage.QueryCounter.get()).toBe(1n);
      const response: Xcm = [
        {
          type: 'QueryResponse',
          value: {
            query_id: id,
            response: { type: 'Assets', value: [native(5n)] },
            max_weight: xcmWeight(0, 0),
            querier: { parents: 1, interior: [parachain(2008)] },
          },
        },
      ];
      const process = processXcmMessage(executorConfig);
      // The querier must be us as the responder sees us, (1, [Parachain(2008)]) ... seen from here: Here.
      expect(
        process(
          sibling2000,
          VersionedXcmCodec.encode(v5(response)),
          WeightMeter.unlimited(),
          new Uint8Array(32),
        ),
      ).toMatchObject({
        ok: false,
        error: { type: 'Unsupported' },
      });
      const right = [
        { ...response[0], value: { ...(response[0] as any).value, querier: { parents: 0, interior: [] } } },
      ] as Xcm;
      expect(
        process(
          siblingParachain(3000),
          VersionedXcmCodec.encode(v5(right)),
          WeightMeter.unlimited(),
          new Uint8Array(32),
        ),
      ).toMatchObject({
        ok: false,
      });
      expect(
        process(
          sibling2000,
          VersionedXcmCodec.encode(v5(right)),
          WeightMeter.unlimited(),
          new Uint8Array(32),
        ),
      ).toMatchObject({
        ok: true,
        success: true,
      });
      expect(xcmEvents()).toEqual([
        ['ResponseReady', { query_id: 0n, response: { type: 'Assets', value: [native(5n)] } }],
      ]);
      expect(q.takeResponse(0n)).toEqual({
        type: 'Ready',
        response: { type: 'Assets', value: [native(5n)] },
        at: 1,
      });
      expect(q.takeResponse(0n)).toEqual({ type: 'NotFound' });
      expect(xcmEvents().at(-1)).toEqual(['ResponseTaken', { query_id: 0n }]);
    });
  });

  it('report_outcome prepends SetAppendix(ReportError) to us; a pending query reports its timeout', () => {
    inBlock(() => {
      const { message, queryId } = q.reportOutcome([{ type: 'ClearOrigin' }], sibling2000, 50);
      expect(message[0]).toEqual({
        type: 'SetAppendix',
        value: [
          {
            type: 'ReportError',
            value: {
              destination: { parents: 1, interior: [parachain(2008)] },
              query_id: queryId,
              max_weight: xcmWeight(0, 0),
            },
          },
        ],
      });
      expect(q.takeResponse(queryId)).toEqual({ type: 'Pending', timeout: 50 });
    });
  });

  it('a notify query dispatches its call with the Response(responder) origin (Notified); a wrong responder is refused', () => {
    inBlock(() => {
      const { queryId } = PolkadotXcm.adapters.reportOutcomeNotify(
        [],
        sibling2000,
        { pallet: 'XcmTest', call: 'notified' },
        50,
      );
      const handler = PolkadotXcm.adapters.responseHandler;
      const ctx = { origin: undefined, messageId: new Uint8Array(32), topic: undefined };
      const here = { parents: 0, interior: [] };
      handler.onResponse(
        siblingParachain(3000),
        queryId,
        here,
        { type: 'Null' },
        { refTime: 1e12, proofSize: 1e9 },
        ctx,
      );
      expect(xcmEvents()[0]).toEqual([
        'InvalidResponder',
        { origin: siblingParachain(3000), query_id: queryId, expected_location: sibling2000 },
      ]);
      handler.onResponse(
        sibling2000,
        queryId,
        here,
        { type: 'ExecutionResult', value: undefined },
        { refTime: 1e12, proofSize: 1e9 },
        ctx,
      );
      expect(xcmEvents()[1]).toEqual(['Notified', { query_id: queryId, pallet_index: 99, call_index: 5 }]);
      expect(new TextDecoder().decode(LastOrigin.get())).toBe(
        `Response(${JSON.stringify(sibling2000)}):${queryId}`,
      );
      expect(storage.Queries.get(queryId)).toBeUndefined();
      // Unknown query ids are unexpected.
      handler.onResponse(sibling2000, 77n, undefined, { type: 'Null' }, { refTime: 0, proofSize: 0 }, ctx);
      expect(xcmEvents()[2]).toEqual(['UnexpectedResponse', { origin: sibling2000, query_id: 77n }]);
      expect(XcmTest.tx.notified).toBeDefined();
      expect(allEvents().length).toBeGreaterThan(0);
    });
  });
});
