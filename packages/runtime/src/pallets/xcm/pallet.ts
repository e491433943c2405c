/**
 * pallet-xcm (polkadot-sdk `polkadot/xcm/pallet-xcm`), one definition for every chain: the relay includes it as
 * `XcmPallet`, parachains as `PolkadotXcm` (`definePalletXcm({ name })`). It sends XCM for local origins (`send`),
 * executes it for them (`execute`), builds and runs asset transfers (`transfer_assets`,
 * `limited_reserve_transfer_assets`, `limited_teleport_assets`), gives trapped assets back (`claim_assets`), keeps
 * the queries whose responses the chain awaits, the asset traps, and what it knows of other chains' XCM versions
 * (with notifications both ways). Its storage, events, errors and calls keep polkadot-sdk's names and indices.
 *
 * What the executor needs from it (response handler, asset trap and claims, subscription service, version
 * wrapping, suspension, the dry-run recorder) is `instance.adapters`, built before the runtime config so the
 * executor config and this pallet's config can refer to each other.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { H256 } from '../../extrinsic/primitives.ts';
import { DispatchFailure, type DispatchError } from '../../frame/dispatch-error.ts';
import { currentEnv } from '../../frame/env.ts';
import { type Origin, rootOrigin } from '../../frame/origin.ts';
import { call, pallet } from '../../frame/pallet.ts';
import { addWeight, type Weight, weight } from '../../frame/weights.ts';
import { bool, bytes, option, tuple, u8, u32, u64, vec } from '../../scale/index.ts';
import { assetTrap } from '../../xcm/builder/asset-trap.ts';
import type { QueryHandler, QueryResponseStatus } from '../../xcm/builder/query.ts';
import { wrapInVersion, type WrapVersion } from '../../xcm/builder/version.ts';
import { XcmFailure, xcmFail } from '../../xcm/executor/errors.ts';
import { chargeFees as executorChargeFees, prepareAndExecute } from '../../xcm/executor/executor.ts';
import type { OnResponse, VersionChangeNotifier } from '../../xcm/executor/traits.ts';
import {
  AssetsCodec,
  type Assets,
  invertTarget,
  type Junctions,
  type Location,
  LocationCodec,
  locationEquals,
  OutcomeCodec,
  ResponseCodec,
  type Response,
  type SendError,
  SendErrorCodec,
  toLatestLocation,
  toLatestXcm,
  WeightLimitCodec,
  type VersionedLocation,
  VersionedAssetsCodec,
  VersionedLocationCodec,
  VersionedXcmCodec,
  type Xcm,
  XcmCodec,
  XcmErrorCodec,
  XcmWeightCodec,
  fromFrameWeight,
  responseIntoVersion,
  toFrameWeight,
} from '../../xcm/index.ts';
import { Number as SystemNumber } from '../system/index.ts';
import { registerPalletOrigin } from '../utility/origin-caller.ts';
import { executionErrorBytes, tryLatest } from './helpers.ts';
import { palletXcmTransfers } from './transfers.ts';
import {
  NotifyTargetCodec,
  type PalletXcmConfig,
  palletXcmOrigin,
  QueryStatusCodec,
  type QueryStatus,
  XCM_VERSION,
} from './types.ts';

/** polkadot-sdk's `TestWeightInfo` (what the parachain template runs with). */
export const PALLET_XCM_WEIGHT = weight(100_000_000, 0);

export interface DefinePalletXcmOptions {
  /** `XcmPallet` on the relay, `PolkadotXcm` on parachains. */
  name: string;
}

export function definePalletXcm(opts: DefinePalletXcmOptions) {
  const p = pallet<PalletXcmConfig>(opts.name, { module: 'pallet_xcm' });
  // `OriginCaller` gets this pallet's `Origin` variant (dry runs and `dispatch_as` name Xcm/Response origins).
  registerPalletOrigin(opts.name, palletXcmOrigin);
  const cfg = () => p.config();
  const executor = () => cfg().executor;
  const universal = (): Junctions => cfg().universalLocation ?? executor().universalLocation;
  const weigher = () => cfg().weigher ?? executor().weigher;
  const latest = (l: Location): VersionedLocation => ({ type: 'V5', value: l });

  // ---- storage (polkadot-sdk's order) -------------------------------------------------------------------------
  const QueryCounter = p.value('QueryCounter', u64, {
    default: 0n,
    docs: [' The latest available query index.'],
  });
  const Queries = p.map('Queries', ['Blake2_128Concat', u64], QueryStatusCodec, {
    docs: [' The ongoing queries.'],
  });
  const AssetTraps = p.map('AssetTraps', ['Identity', H256], u32, {
    default: 0,
    docs: [
      ' The existing asset traps.',
      '',
      ' Key is the blake2 256 hash of (origin, versioned `Assets`) pair. Value is the number of',
      ' times this pair has been trapped (usually just 1 if it exists at all).',
    ],
  });
  const SafeXcmVersion = p.value('SafeXcmVersion', u32, {
    docs: [
      ' Default version to encode XCM when latest version of destination is unknown. If `None`,',
      ' then the destinations whose XCM version is unknown are considered unreachable.',
    ],
  });
  const SupportedVersion = p.doubleMap(
    'SupportedVersion',
    ['Twox64Concat', u32],
    ['Blake2_128Concat', VersionedLocationCodec],
    u32,
    {
      docs: [' The Latest versions that we know various locations support.'],
    },
  );
  const VersionNotifiers = p.doubleMap(
    'VersionNotifiers',
    ['Twox64Concat', u32],
    ['Blake2_128Concat', VersionedLocationCodec],
    u64,
    {
      docs: [' All locations that we have requested version notifications from.'],
    },
  );
  const VersionNotifyTargets = p.doubleMap(
    'VersionNotifyTargets',
    ['Twox64Concat', u32],
    ['Blake2_128Concat', VersionedLocationCodec],
    NotifyTargetCodec,
    {
      docs: [
        ' The target locations that are subscribed to our version changes, as well as the most recent',
        ' of our versions we informed them of.',
      ],
    },
  );
  const VersionDiscoveryQueue = p.value('VersionDiscoveryQueue', vec(tuple(VersionedLocationCodec, u32)), {
    default: [],
    docs: [
      ' Destinations whose latest XCM version we would like to know. Duplicates not allowed, and',
      ' the `u32` counter is the number of times that a send to the destination has been attempted,',
      ' which is used as a prioritization.',
    ],
  });
  const XcmExecutionSuspended = p.value('XcmExecutionSuspended', bool, {
    default: false,
    docs: [' Global suspension state of the XCM executor.'],
  });
  const ShouldRecordXcm = p.value('ShouldRecordXcm', bool, {
    default: false,
    docs: [
      ' Whether or not incoming XCMs (both executed locally and received) should be recorded.',
      ' Only one XCM program will be recorded at a time.',
      " This is meant to be used in runtime APIs, and it's advised it stays false",
      ' for all other use cases, so as to not degrade regular performance.',
    ],
  });
  const RecordedXcm = p.value('RecordedXcm', XcmCodec, {
    docs: [
      ' If [`ShouldRecordXcm`] is set to true, then the last XCM program executed locally',
      ' will be stored here.',
      ' Runtime APIs can fetch the XCM that was executed by accessing this value.',
    ],
  });

  // ---- events and errors --------------------------------------------------------------------------------------
  const queryId = u64;
  const Event = p.events({
    Attempted: [0, { outcome: OutcomeCodec }, [' Execution of an XCM message was attempted.']],
    Sent: [
      1,
      { origin: LocationCodec, destination: LocationCodec, message: XcmCodec, message_id: H256 },
      [' An XCM message was sent.'],
    ],
    SendFailed: [
      2,
      { origin: LocationCodec, destination: LocationCodec, error: SendErrorCodec, message_id: H256 },
      [' An XCM message failed to send.'],
    ],
    ProcessXcmError: [
      3,
      { origin: LocationCodec, error: XcmErrorCodec, message_id: H256 },
      [' An XCM message failed to process.'],
    ],
    UnexpectedResponse: [
      4,
      { origin: LocationCodec, query_id: queryId },
      [' Query response received which does not match a registered query.'],
    ],
    ResponseReady: [
      5,
      { query_id: queryId, response: ResponseCodec },
      [' Query response has been received and is ready for taking with `take_response`.'],
    ],
    Notified: [
      6,
      { query_id: queryId, pallet_index: u8, call_index: u8 },
      [
        ' Query response has been received and query is removed. The registered notification has',
        ' been dispatched and executed successfully.',
      ],
    ],
    NotifyOverweight: [
      7,
      {
        query_id: queryId,
        pallet_index: u8,
        call_index: u8,
        actual_weight: XcmWeightCodec,
        max_budgeted_weight: XcmWeightCodec,
      },
      [' The registered notification could not be dispatched: it weighs more than budgeted.'],
    ],
    NotifyDispatchError: [
      8,
      { query_id: queryId, pallet_index: u8, call_index: u8 },
      [' There was a general error with dispatching the notification call.'],
    ],
    NotifyDecodeFailed: [
      9,
      { query_id: queryId, pallet_index: u8, call_index: u8 },
      [' The dispatch was unable to be decoded into a `Call`.'],
    ],
    InvalidResponder: [
      10,
      { origin: LocationCodec, query_id: queryId, expected_location: option(LocationCodec) },
      [
        ' Expected query response has been received but the origin location of the response does',
        ' not match that expected.',
      ],
    ],
    InvalidResponderVersion: [
      11,
      { origin: LocationCodec, query_id: queryId },
      [' The expected origin location placed in storage cannot be decoded.'],
    ],
    ResponseTaken: [12, { query_id: queryId }, [' Received query response has been read and removed.']],
    AssetsTrapped: [
      13,
      { hash: H256, origin: LocationCodec, assets: VersionedAssetsCodec },
      [' Some assets have been placed in an asset trap.'],
    ],
    VersionChangeNotified: [
      14,
      { destination: LocationCodec, result: u32, cost: AssetsCodec, message_id: H256 },
      [' An XCM version change notification message has been attempted to be sent.'],
    ],
    SupportedVersionChanged: [
      15,
      { location: LocationCodec, version: u32 },
      [' The supported version of a location has been changed.'],
    ],
    NotifyTargetSendFail: [
      16,
      { location: LocationCodec, query_id: queryId, error: XcmErrorCodec },
      [
        ' A given location which had a version change subscription was dropped owing to an error',
        ' sending the notification to it.',
      ],
    ],
    NotifyTargetMigrationFail: [
      17,
      { location: VersionedLocationCodec, query_id: queryId },
      [
        ' A given location which had a version change subscription was dropped owing to an error',
        ' migrating the location to our new XCM format.',
      ],
    ],
    InvalidQuerierVersion: [
      18,
      { origin: LocationCodec, query_id: queryId },
      [' The expected querier location placed in storage cannot be decoded.'],
    ],
    InvalidQuerier: [
      19,
      {
        origin: LocationCodec,
        query_id: queryId,
        expected_querier: LocationCodec,
        maybe_actual_querier: option(LocationCodec),
      },
      [
        ' Expected query response has been received but the querier location of the response does',
        ' not match the expected.',
      ],
    ],
    VersionNotifyStarted: [
      20,
      { destination: LocationCodec, cost: AssetsCodec, message_id: H256 },
      [' A remote has requested XCM version change notification from us and we have honored it.'],
    ],
    VersionNotifyRequested: [
      21,
      { destination: LocationCodec, cost: AssetsCodec, message_id: H256 },
      [' We have requested that a remote chain send us XCM version change notifications.'],
    ],
    VersionNotifyUnrequested: [
      22,
      { destination: LocationCodec, cost: AssetsCodec, message_id: H256 },
      [' We have requested that a remote chain stops sending us XCM version change', ' notifications.'],
    ],
    FeesPaid: [
      23,
      { paying: LocationCodec, fees: AssetsCodec },
      [' Fees were paid from a location for an operation (often for using `SendXcm`).'],
    ],
    AssetsClaimed: [
      24,
      { hash: H256, origin: LocationCodec, assets: VersionedAssetsCodec },
      [' Some assets have been claimed from an asset trap'],
    ],
    VersionMigrationFinished: [25, { version: u32 }, [' A XCM version migration finished.']],
    BarrierRejected: [
      200,
      { origin: LocationCodec, message_id: H256, barrier: bytes },
      [
        ' An incoming message was refused by the barrier; `barrier` names the barriers that refused it and why',
        ' (UTF-8). Not in polkadot-sdk (which only says `ProcessingFailed { error: Unsupported }`).',
      ],
    ],
  });
  const XcmPalletError = p.errors({
    Unreachable: [
      0,
      [' The desired destination was unreachable, generally because there is a no way of routing', ' to it.'],
    ],
    SendFailure: [
      1,
      [
        ' There was some other issue (i.e. not to do with routing) in sending the message.',
        ' Perhaps a lack of space for buffering the message.',
      ],
    ],
    Filtered: [2, [' The message execution fails the filter.']],
    UnweighableMessage: [3, [" The message's weight could not be determined."]],
    DestinationNotInvertible: [4, [' The destination `Location` provided cannot be inverted.']],
    Empty: [5, [' The assets to be sent are empty.']],
    CannotReanchor: [6, [' Could not re-anchor the assets to declare the fees for the destination chain.']],
    TooManyAssets: [7, [' Too many assets have been attempted for transfer.']],
    InvalidOrigin: [8, [' Origin is invalid for sending.']],
    BadVersion: [9, [' The version of the `Versioned` value used is not able to be interpreted.']],
    BadLocation: [
      10,
      [
        ' The given location could not be used (e.g. because it cannot be expressed in the',
        ' desired version of XCM).',
      ],
    ],
    NoSubscription: [11, [' The referenced subscription could not be found.']],
    AlreadySubscribed: [12, [' The location is invalid since it already has a subscription from us.']],
    CannotCheckOutTeleport: [
      13,
      [' Could not check-out the assets for teleportation to the destination chain.'],
    ],
    LowBalance: [14, [' The owner does not own (all) of the asset that they wish to do the operation on.']],
    TooManyLocks: [15, [' The asset owner has too many locks on the asset.']],
    AccountNotSovereign: [
      16,
      [' The given account is not an identifiable sovereign account for any location.'],
    ],
    FeesNotMet: [17, [' The operation required fees to be paid which the initiator could not meet.']],
    LockNotFound: [18, [' A remote lock with the corresponding data could not be found.']],
    InUse: [19, [' The unlock operation cannot succeed because there are still consumers of the lock.']],
    InvalidAssetUnknownReserve: [21, [' Invalid asset, reserve chain could not be determined for it.']],
    InvalidAssetUnsupportedReserve: [
      22,
      [' Invalid asset, do not support remote asset reserves with different fees reserves.'],
    ],
    TooManyReserves: [
      23,
      [' Too many assets with different reserve locations have been attempted for transfer.'],
    ],
    LocalExecutionIncomplete: [24, [' Local XCM execution incomplete.']],
    TooManyAuthorizedAliases: [25, [' Too many locations authorized to alias origin.']],
    ExpiresInPast: [26, [' Expiry block number is in the past.']],
    AliasNotFound: [27, [' The alias to remove authorization for was not found.']],
    LocalExecutionIncompleteWithError: [
      28,
      [
        ' Local XCM execution incomplete with the actual XCM error and the index of the',
        ' instruction that caused the error.',
      ],
    ],
  });
  type ErrorName = Parameters<typeof XcmPalletError.fail>[0];

  /** `LocalExecutionIncompleteWithError { index, error }`: its fields ride in the ModuleError's spare bytes. */
  function incompleteWithError(
    index: number,
    error: Parameters<typeof executionErrorBytes>[0],
    post: Weight,
  ): DispatchFailure {
    const palletIndex = currentEnv('a pallet error').runtime.palletIndex(opts.name);
    const e: DispatchError = {
      type: 'Module',
      value: { index: palletIndex, error: Uint8Array.of(28, index, executionErrorBytes(error), 0) },
    };
    return new DispatchFailure(e, { actualWeight: post }, `${opts.name}.LocalExecutionIncompleteWithError`);
  }

  /** `impl From<SendError> for Error`. */
  const sendErrorToError = (e: SendError): ErrorName =>
    e.type === 'Fees' ? 'FeesNotMet' : e.type === 'NotApplicable' ? 'Unreachable' : 'SendFailure';

  // ---- logic --------------------------------------------------------------------------------------------------

  /** Withdraws `fees` from `location` (the executor's `charge_fees`), FeesPaid. Throws XcmFailure. */
  function chargeFees(location: Location, fees: Assets): void {
    executorChargeFees(executor(), location, fees);
    Event.deposit({ type: 'FeesPaid', value: { paying: location, fees } });
  }

  /**
   * `send_xcm`: `message` to `dest` from `interior` (prefixed with `DescendOrigin(interior)` unless `Here`, which
   * then pays the delivery fee).
   */
  function sendXcm(
    interior: Junctions,
    dest: Location,
    message: Xcm,
  ): { ok: Uint8Array } | { err: SendError } {
    const router = cfg().router;
    const msg: Xcm = interior.length > 0 ? [{ type: 'DescendOrigin', value: interior }, ...message] : message;
    const v = router.validate(dest, msg);
    if (!v.ok) return { err: v.error };
    if (interior.length > 0) {
      try {
        chargeFees({ parents: 0, interior }, v.price);
      } catch (err) {
        if (err instanceof XcmFailure) return { err: { type: 'Fees' } };
        throw err;
      }
    }
    const d = router.deliver(v.ticket);
    return d.ok ? { ok: d.hash } : { err: d.error };
  }

  /** `send_xcm` from `Here` with the price reported (`xcm::send_xcm`): the chain pays nothing by itself here. */
  function sendFromHere(dest: Location, message: Xcm): { ok: [Uint8Array, Assets] } | { err: SendError } {
    const router = cfg().router;
    const v = router.validate(dest, message);
    if (!v.ok) return { err: v.error };
    const d = router.deliver(v.ticket);
    return d.ok ? { ok: [d.hash, v.price] } : { err: d.error };
  }

  function nextQueryId(): bigint {
    const id = QueryCounter.get();
    QueryCounter.set(id + 1n);
    return id;
  }

  /** `do_new_query`. */
  function newQueryWith(
    responder: Location,
    maybeNotify: [number, number] | undefined,
    timeout: number,
    matchQuerier: Location,
  ): bigint {
    const id = nextQueryId();
    Queries.set(id, {
      type: 'Pending',
      value: {
        responder: latest(responder),
        maybe_match_querier: latest(matchQuerier),
        maybe_notify: maybeNotify,
        timeout,
      },
    });
    return id;
  }

  /** `request_version_notify`. Throws XcmFailure (InvalidLocation: already subscribed). */
  function requestVersionNotify(dest: Location): void {
    const key = latest(dest);
    if (VersionNotifiers.contains(XCM_VERSION, key)) throw xcmFail('InvalidLocation');
    const id = nextQueryId();
    const r = sendFromHere(dest, [
      {
        type: 'SubscribeVersion',
        value: { query_id: id, max_response_weight: fromFrameWeight({ refTime: 0, proofSize: 0 }) },
      },
    ]);
    if ('err' in r) throw xcmFail('Unroutable', r.err.type);
    Event.deposit({
      type: 'VersionNotifyRequested',
      value: { destination: dest, cost: r.ok[1], message_id: r.ok[0] },
    });
    VersionNotifiers.set(XCM_VERSION, key, id);
    Queries.set(id, { type: 'VersionNotifier', value: { origin: key, is_active: false } });
  }

  /** `unrequest_version_notify`. */
  function unrequestVersionNotify(dest: Location): void {
    const key = latest(dest);
    const id = VersionNotifiers.take(XCM_VERSION, key);
    if (id === undefined) throw xcmFail('InvalidLocation');
    const r = sendFromHere(dest, [{ type: 'UnsubscribeVersion' }]);
    if ('err' in r) throw xcmFail('Unroutable', r.err.type);
    Event.deposit({
      type: 'VersionNotifyUnrequested',
      value: { destination: dest, cost: r.ok[1], message_id: r.ok[0] },
    });
    Queries.remove(id);
  }

  /** `note_unknown_version`: remember to ask `dest` its version (most-sent first). */
  function noteUnknownVersion(dest: Location): void {
    const key = latest(dest);
    const max = cfg().versionDiscoveryQueueSize ?? 100;
    VersionDiscoveryQueue.mutate((q) => {
      const i = q.findIndex(
        ([l]) =>
          VersionedLocationCodec.encode(l).toString() === VersionedLocationCodec.encode(key).toString(),
      );
      if (i >= 0) q[i] = [q[i][0], q[i][1] + 1];
      else if (q.length < max) q.push([key, 1]);
    });
  }

  const getVersionFor = (dest: Location): number | undefined =>
    SupportedVersion.get(XCM_VERSION, latest(dest));

  // ---- adapters for the executor ------------------------------------------------------------------------------

  const trap = assetTrap({
    count: (hash) => AssetTraps.get(hash),
    setCount: (hash, n) => (n === 0 ? AssetTraps.remove(hash) : AssetTraps.set(hash, n)),
    onTrapped: (hash, origin, assets) =>
      Event.deposit({ type: 'AssetsTrapped', value: { hash, origin, assets } }),
    onClaimed: (hash, origin, assets) =>
      Event.deposit({ type: 'AssetsClaimed', value: { hash, origin, assets } }),
  });

  const responseHandler: OnResponse = {
    expectingResponse(origin, queryId, querier) {
      const q = Queries.get(queryId);
      if (q?.type === 'Pending') {
        const responder = tryLatest(q.value.responder);
        if (!responder || !locationEquals(responder, origin)) return false;
        const mq = q.value.maybe_match_querier;
        if (mq === undefined) return true;
        const matchQuerier = tryLatest(mq);
        return !!matchQuerier && !!querier && locationEquals(querier, matchQuerier);
      }
      if (q?.type === 'VersionNotifier') {
        const o = tryLatest(q.value.origin);
        return !!o && locationEquals(o, origin);
      }
      return false;
    },
    onResponse(origin, queryId, querier, response, maxWeight) {
      const zero = { refTime: 0, proofSize: 0 };
      const q = Queries.get(queryId);
      if (response.type === 'Version' && q?.type === 'VersionNotifier') {
        const expected = tryLatest(q.value.origin);
        if (!expected || !locationEquals(expected, origin)) {
          Event.deposit({
            type: 'InvalidResponder',
            value: { origin, query_id: queryId, expected_location: expected },
          });
          return zero;
        }
        if (!q.value.is_active)
          Queries.set(queryId, {
            type: 'VersionNotifier',
            value: { origin: latest(origin), is_active: true },
          });
        SupportedVersion.set(XCM_VERSION, latest(origin), response.value);
        Event.deposit({
          type: 'SupportedVersionChanged',
          value: { location: origin, version: response.value },
        });
        return zero;
      }
      if (q?.type === 'Pending') {
        const { responder, maybe_notify, maybe_match_querier } = q.value;
        if (maybe_match_querier !== undefined) {
          const matchQuerier = tryLatest(maybe_match_querier);
          if (!matchQuerier) {
            Event.deposit({ type: 'InvalidQuerierVersion', value: { origin, query_id: queryId } });
            return zero;
          }
          if (!querier || !locationEquals(querier, matchQuerier)) {
            Event.deposit({
              type: 'InvalidQuerier',
              value: {
                origin,
                query_id: queryId,
                expected_querier: matchQuerier,
                maybe_actual_querier: querier,
              },
            });
            return zero;
          }
        }
        const expected = tryLatest(responder);
        if (!expected) {
          Event.deposit({ type: 'InvalidResponderVersion', value: { origin, query_id: queryId } });
          return zero;
        }
        if (!locationEquals(origin, expected)) {
          Event.deposit({
            type: 'InvalidResponder',
            value: { origin, query_id: queryId, expected_location: expected },
          });
          return zero;
        }
        if (maybe_notify) return notify(queryId, maybe_notify, origin, response, maxWeight);
        Event.deposit({ type: 'ResponseReady', value: { query_id: queryId, response } });
        Queries.set(queryId, {
          type: 'Ready',
          value: { response: { type: 'V5', value: response }, at: SystemNumber.get() },
        });
        return zero;
      }
      Event.deposit({ type: 'UnexpectedResponse', value: { origin, query_id: queryId } });
      return zero;
    },
  };

  /** A response for a notify query: `(pallet_index, call_index, query_id, response)` decoded as a call, dispatched. */
  function notify(
    queryId: bigint,
    [palletIndex, callIndex]: [number, number],
    origin: Location,
    response: Response,
    maxWeight: Weight,
  ): Weight {
    const runtime = currentEnv('a notify call').runtime;
    const bare = new Uint8Array([
      palletIndex,
      callIndex,
      ...u64.encode(queryId),
      ...ResponseCodec.encode(response),
    ]);
    let callValue: unknown;
    try {
      callValue = runtime.callCodec.decode(bare);
    } catch {
      Event.deposit({
        type: 'NotifyDecodeFailed',
        value: { query_id: queryId, pallet_index: palletIndex, call_index: callIndex },
      });
      return { refTime: 0, proofSize: 0 };
    }
    Queries.remove(queryId);
    const w = runtime.callInfo(callValue).weight;
    if (w.refTime > maxWeight.refTime || w.proofSize > maxWeight.proofSize) {
      Event.deposit({
        type: 'NotifyOverweight',
        value: {
          query_id: queryId,
          pallet_index: palletIndex,
          call_index: callIndex,
          actual_weight: fromFrameWeight(w),
          max_budgeted_weight: fromFrameWeight(maxWeight),
        },
      });
      return { refTime: 0, proofSize: 0 };
    }
    const outcome = runtime.dispatch(callValue, { type: 'Response', location: origin } as Origin) as {
      ok: boolean;
      postInfo: { actualWeight?: Weight };
    };
    const ids = { query_id: queryId, pallet_index: palletIndex, call_index: callIndex };
    Event.deposit(
      outcome.ok ? { type: 'Notified', value: ids } : { type: 'NotifyDispatchError', value: ids },
    );
    return outcome.postInfo.actualWeight ?? w;
  }

  const subscriptionService: VersionChangeNotifier = {
    start(dest, queryIdValue, maxWeight) {
      const key = latest(dest);
      if (VersionNotifyTargets.contains(XCM_VERSION, key)) throw xcmFail('InvalidLocation');
      const version = cfg().advertisedXcmVersion ?? XCM_VERSION;
      const r = sendFromHere(dest, [
        {
          type: 'QueryResponse',
          value: {
            query_id: queryIdValue,
            response: { type: 'Version', value: version },
            max_weight: fromFrameWeight(maxWeight),
            querier: undefined,
          },
        },
      ]);
      if ('err' in r) throw new XcmFailure({ type: 'Unroutable' }, r.err.type);
      Event.deposit({
        type: 'VersionNotifyStarted',
        value: { destination: dest, cost: r.ok[1], message_id: r.ok[0] },
      });
      VersionNotifyTargets.set(XCM_VERSION, key, [queryIdValue, fromFrameWeight(maxWeight), version]);
    },
    stop(dest) {
      VersionNotifyTargets.remove(XCM_VERSION, latest(dest));
    },
    isSubscribed: (dest) => VersionNotifyTargets.contains(XCM_VERSION, latest(dest)),
  };

  const wrapVersion: WrapVersion = {
    wrapVersion(dest, message) {
      let v = getVersionFor(dest);
      if (v === undefined) {
        noteUnknownVersion(dest);
        v = SafeXcmVersion.get();
      }
      return v === undefined ? undefined : wrapInVersion(message, Math.min(v, XCM_VERSION));
    },
  };

  const queryHandler: QueryHandler = {
    newQuery: (responder, timeout, matchQuerier) => newQueryWith(responder, undefined, timeout, matchQuerier),
    reportOutcome(message, responder, timeout) {
      const destination = invertTarget(universal(), responder);
      if (!destination) throw xcmFail('LocationNotInvertible');
      const id = newQueryWith(responder, undefined, timeout, { parents: 0, interior: [] });
      const info = { destination, query_id: id, max_weight: fromFrameWeight({ refTime: 0, proofSize: 0 }) };
      return {
        message: [{ type: 'SetAppendix', value: [{ type: 'ReportError', value: info }] }, ...message],
        queryId: id,
      };
    },
    takeResponse(id): QueryResponseStatus {
      const q = Queries.get(id);
      if (!q) return { type: 'NotFound' };
      if (q.type === 'Pending') return { type: 'Pending', timeout: q.value.timeout };
      if (q.type !== 'Ready') return { type: 'UnexpectedVersion' };
      let response: Response;
      try {
        response = responseIntoVersion(q.value.response, 5).value as Response;
      } catch {
        return { type: 'UnexpectedVersion' };
      }
      Queries.remove(id);
      Event.deposit({ type: 'ResponseTaken', value: { query_id: id } });
      return { type: 'Ready', response, at: q.value.at };
    },
  };

  /**
   * `report_outcome_notify`: `message` reports its outcome to this chain, where `notify` (a call taking
   * `(query_id, response)`) is then dispatched with the `Response(responder)` origin.
   */
  function reportOutcomeNotify(
    message: Xcm,
    responder: Location,
    notifyCall: { pallet: string; call: string },
    timeout: number,
  ): { message: Xcm; queryId: bigint } {
    const destination = invertTarget(universal(), responder);
    if (!destination) throw xcmFail('LocationNotInvertible');
    const [palletIndex, callIndex, maxWeight] = notifyTarget(notifyCall);
    const id = newQueryWith(responder, [palletIndex, callIndex], timeout, { parents: 0, interior: [] });
    const info = { destination, query_id: id, max_weight: fromFrameWeight(maxWeight) };
    return {
      message: [{ type: 'SetAppendix', value: [{ type: 'ReportError', value: info }] }, ...message],
      queryId: id,
    };
  }

  /** A notify call's pallet and call indices and its declared weight (with a placeholder query and response). */
  function notifyTarget({
    pallet: palletName,
    call: callName,
  }: {
    pallet: string;
    call: string;
  }): [number, number, Weight] {
    const runtime = currentEnv('a notify call').runtime;
    const value = {
      type: palletName,
      value: { type: callName, value: { query_id: 0n, response: { type: 'Null' } } },
    };
    const bytes = runtime.callCodec.encode(value);
    return [bytes[0], bytes[1], runtime.callInfo(value).weight];
  }

  const adapters = {
    responseHandler,
    assetTrap: trap,
    assetClaims: trap,
    subscriptionService,
    wrapVersion,
    getVersion: { getVersionFor },
    queryHandler,
    reportOutcomeNotify,
    /** `CheckSuspension` for `respectSuspension(...)`. */
    isSuspended: (): boolean => XcmExecutionSuspended.get(),
    /** `RecordXcm` for the executor config's `recorder`. */
    recorder: {
      shouldRecord: (): boolean => ShouldRecordXcm.get(),
      record: (message: readonly unknown[]) => RecordedXcm.set(message as Xcm),
    },
  };

  // ---- calls ----------------------------------------------------------------------------------------------------

  const ensureAdmin = (origin: Origin) => {
    const ok = cfg().adminOrigin ? cfg().adminOrigin!(origin) : origin.type === 'Root';
    if (!ok) throw new DispatchFailure({ type: 'BadOrigin' });
  };
  const originLocation = (origin: Origin, which: 'send' | 'execute'): Location => {
    const l = which === 'send' ? cfg().sendXcmOrigin(origin) : cfg().executeXcmOrigin(origin);
    if (!l) throw new DispatchFailure({ type: 'BadOrigin' });
    return l;
  };
  const toLatest = <T>(f: () => T, error: ErrorName = 'BadVersion'): T => {
    try {
      return f();
    } catch {
      throw XcmPalletError.fail(error);
    }
  };

  const transfers = palletXcmTransfers({
    cfg,
    executor,
    universal,
    weigher,
    fail: (name, post) => XcmPalletError.fail(name as ErrorName, post),
    incompleteWithError,
    chargeFees,
    deposit: (e) => Event.deposit(e as never),
  });

  const dest = VersionedLocationCodec;
  const beneficiary = VersionedLocationCodec;
  const transferArgs = { dest, beneficiary, assets: VersionedAssetsCodec, fee_asset_item: u32 };
  const transferNames = {
    dest: 'Box<VersionedLocation>',
    beneficiary: 'Box<VersionedLocation>',
    assets: 'Box<VersionedAssets>',
    fee_asset_item: 'u32',
    weight_limit: 'WeightLimit',
  } as const;
  const base = () => PALLET_XCM_WEIGHT;

  const instance = p.build({
    docs: [' Pallet to handle XCM messages.'],
    calls: {
      send: call(
        0,
        { dest, message: VersionedXcmCodec },
        {
          weight: base,
          typeNames: { dest: 'Box<VersionedLocation>', message: 'Box<VersionedXcm<()>>' },
          docs: [' Send an XCM message as parachain sovereign.'],
          dispatch(origin, args) {
            const from = originLocation(origin, 'send');
            if (from.parents !== 0) throw XcmPalletError.fail('InvalidOrigin');
            const destination = toLatest(() => toLatestLocation(args.dest));
            const message = toLatest(() => toLatestXcm(args.message));
            const r = sendXcm(from.interior, destination, message);
            if ('err' in r) throw XcmPalletError.fail(sendErrorToError(r.err));
            Event.deposit({ type: 'Sent', value: { origin: from, destination, message, message_id: r.ok } });
          },
        },
      ),
      teleport_assets: call(1, transferArgs, {
        weight: base,
        typeNames: transferNames,
        docs: [' Teleport some assets from the local chain to some destination chain (unlimited weight).'],
        dispatch: (origin, a) =>
          transfers.teleport(
            originLocation(origin, 'execute'),
            a.dest,
            a.beneficiary,
            a.assets,
            a.fee_asset_item,
            { type: 'Unlimited' },
          ),
      }),
      reserve_transfer_assets: call(2, transferArgs, {
        weight: base,
        typeNames: transferNames,
        docs: [' Transfer some assets through their reserve (unlimited weight).'],
        dispatch: (origin, a) =>
          transfers.reserveTransfer(
            originLocation(origin, 'execute'),
            a.dest,
            a.beneficiary,
            a.assets,
            a.fee_asset_item,
            { type: 'Unlimited' },
          ),
      }),
      execute: call(
        3,
        { message: VersionedXcmCodec, max_weight: XcmWeightCodec },
        {
          weight: ({ max_weight }) => addWeight(toFrameWeight(max_weight), PALLET_XCM_WEIGHT),
          typeNames: { message: 'Box<VersionedXcm<<T as Config>::RuntimeCall>>', max_weight: 'Weight' },
          docs: [' Execute an XCM message from a local, signed, origin.'],
          dispatch(origin, { message, max_weight }) {
            const from = originLocation(origin, 'execute');
            const hash = blake2_256(VersionedXcmCodec.encode(message));
            let xcm: Xcm;
            try {
              xcm = toLatestXcm(message);
            } catch {
              throw XcmPalletError.fail('BadVersion', { actualWeight: PALLET_XCM_WEIGHT });
            }
            if (!(cfg().xcmExecuteFilter?.(from, xcm) ?? true)) throw XcmPalletError.fail('Filtered');
            const limit = toFrameWeight(max_weight);
            const { outcome } = prepareAndExecute(executor(), from, xcm, hash, limit, limit);
            Event.deposit({ type: 'Attempted', value: { outcome } });
            const used =
              outcome.type === 'Error' ? { refTime: 0, proofSize: 0 } : toFrameWeight(outcome.value.used);
            const post = addWeight(used, PALLET_XCM_WEIGHT);
            if (outcome.type !== 'Complete') {
              const e = outcome.type === 'Incomplete' ? outcome.value.error : outcome.value;
              throw incompleteWithError(e.index, e.error, post);
            }
            return { actualWeight: post };
          },
        },
      ),
      force_xcm_version: call(
        4,
        { location: LocationCodec, version: u32 },
        {
          weight: base,
          typeNames: { location: 'Box<Location>', version: 'XcmVersion' },
          docs: [
            ' Extoll that a particular destination can be communicated with through a particular',
            ' version of XCM.',
          ],
          dispatch(origin, { location, version }) {
            ensureAdmin(origin);
            SupportedVersion.set(XCM_VERSION, latest(location), version);
            Event.deposit({ type: 'SupportedVersionChanged', value: { location, version } });
          },
        },
      ),
      force_default_xcm_version: call(
        5,
        { maybe_xcm_version: option(u32) },
        {
          weight: base,
          typeNames: { maybe_xcm_version: 'Option<XcmVersion>' },
          docs: [
            ' Set a safe XCM version (the version that XCM should be encoded with if the most recent',
            ' version a destination can accept is unknown).',
          ],
          dispatch(origin, { maybe_xcm_version }) {
            ensureAdmin(origin);
            if (maybe_xcm_version === undefined) SafeXcmVersion.kill();
            else SafeXcmVersion.set(maybe_xcm_version);
          },
        },
      ),
      force_subscribe_version_notify: call(
        6,
        { location: VersionedLocationCodec },
        {
          weight: base,
          typeNames: { location: 'Box<VersionedLocation>' },
          docs: [' Ask a location to notify us regarding their XCM version and any changes to it.'],
          dispatch(origin, { location }) {
            ensureAdmin(origin);
            const l = toLatest(() => toLatestLocation(location), 'BadLocation');
            try {
              requestVersionNotify(l);
            } catch (err) {
              if (!(err instanceof XcmFailure)) throw err;
              throw XcmPalletError.fail(
                err.error.type === 'InvalidLocation' ? 'AlreadySubscribed' : 'InvalidOrigin',
              );
            }
          },
        },
      ),
      force_unsubscribe_version_notify: call(
        7,
        { location: VersionedLocationCodec },
        {
          weight: base,
          typeNames: { location: 'Box<VersionedLocation>' },
          docs: [
            ' Require that a particular destination should no longer notify us regarding any XCM',
            ' version changes.',
          ],
          dispatch(origin, { location }) {
            ensureAdmin(origin);
            const l = toLatest(() => toLatestLocation(location), 'BadLocation');
            try {
              unrequestVersionNotify(l);
            } catch (err) {
              if (!(err instanceof XcmFailure)) throw err;
              throw XcmPalletError.fail(
                err.error.type === 'InvalidLocation' ? 'NoSubscription' : 'InvalidOrigin',
              );
            }
          },
        },
      ),
      limited_reserve_transfer_assets: call(
        8,
        { ...transferArgs, weight_limit: WeightLimitCodec },
        {
          weight: base,
          typeNames: transferNames,
          docs: [
            ' Transfer some assets from the local chain to the destination chain through their local,',
            ' destination or remote reserve.',
          ],
          dispatch: (origin, a) =>
            transfers.reserveTransfer(
              originLocation(origin, 'execute'),
              a.dest,
              a.beneficiary,
              a.assets,
              a.fee_asset_item,
              a.weight_limit,
            ),
        },
      ),
      limited_teleport_assets: call(
        9,
        { ...transferArgs, weight_limit: WeightLimitCodec },
        {
          weight: base,
          typeNames: transferNames,
          docs: [' Teleport some assets from the local chain to some destination chain.'],
          dispatch: (origin, a) =>
            transfers.teleport(
              originLocation(origin, 'execute'),
              a.dest,
              a.beneficiary,
              a.assets,
              a.fee_asset_item,
              a.weight_limit,
            ),
        },
      ),
      force_suspension: call(
        10,
        { suspended: bool },
        {
          weight: base,
          typeNames: { suspended: 'bool' },
          docs: [' Set or unset the global suspension state of the XCM executor.'],
          dispatch(origin, { suspended }) {
            ensureAdmin(origin);
            XcmExecutionSuspended.set(suspended);
          },
        },
      ),
      transfer_assets: call(
        11,
        { ...transferArgs, weight_limit: WeightLimitCodec },
        {
          weight: base,
          typeNames: transferNames,
          docs: [
            ' Transfer some assets from the local chain to the destination chain through their local,',
            ' destination or remote reserve, or through teleports.',
          ],
          dispatch: (origin, a) =>
            transfers.transferAssets(
              originLocation(origin, 'execute'),
              a.dest,
              a.beneficiary,
              a.assets,
              a.fee_asset_item,
              a.weight_limit,
            ),
        },
      ),
      claim_assets: call(
        12,
        { assets: VersionedAssetsCodec, beneficiary: VersionedLocationCodec },
        {
          weight: base,
          typeNames: { assets: 'Box<VersionedAssets>', beneficiary: 'Box<VersionedLocation>' },
          docs: [' Claims assets trapped on this pallet because of leftover assets during XCM execution.'],
          dispatch: (origin, a) =>
            transfers.claimAssets(originLocation(origin, 'execute'), a.assets, a.beneficiary),
        },
      ),
    },
    hooks: {
      onInitialize() {
        // One version negotiation per block, for the destination most sent to.
        const q = [...VersionDiscoveryQueue.get()].sort((a, b) => a[1] - b[1]);
        while (q.length > 0) {
          const [versioned] = q.pop()!;
          let l: Location;
          try {
            l = toLatestLocation(versioned);
          } catch {
            continue;
          }
          try {
            requestVersionNotify(l);
            break;
          } catch (err) {
            if (!(err instanceof XcmFailure)) throw err;
          }
        }
        VersionDiscoveryQueue.set(q);
        return weight(Number(25_000_000n), 0);
      },
    },
    genesis: {
      default: () => ({ safeXcmVersion: XCM_VERSION as number | undefined }),
      build(g: { safeXcmVersion: number | undefined }) {
        if (g.safeXcmVersion !== undefined) SafeXcmVersion.set(g.safeXcmVersion);
      },
    },
  });

  return {
    pallet: instance,
    storage: {
      QueryCounter,
      Queries,
      AssetTraps,
      SafeXcmVersion,
      SupportedVersion,
      VersionNotifiers,
      VersionNotifyTargets,
      VersionDiscoveryQueue,
      XcmExecutionSuspended,
      ShouldRecordXcm,
      RecordedXcm,
    },
    Event,
    Error: XcmPalletError,
    adapters,
    /** `send_xcm` for other pallets (xstorage): from `interior` of this chain. */
    sendXcm,
    requestVersionNotify,
    unrequestVersionNotify,
    chargeFees,
    /** The root location a call came from, for tests. */
    rootLocation: () => originLocation(rootOrigin(), 'execute'),
  };
}

export type PalletXcmInstance = ReturnType<typeof definePalletXcm>;

export type { QueryStatus };
