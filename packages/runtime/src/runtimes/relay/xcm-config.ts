/**
 * The relay chain's XCM configuration, in the shape of Polkadot's `xcm_config.rs`:
 * - UniversalLocation `(GlobalConsensus(Polkadot))`; LocationToAccountId: ChildParachainConvertsVia ("para"
 *   accounts), AccountId32Aliases, HashedDescription<DescribeFamily<DescribeAllTerminal>>;
 * - DOT (`Here`) in Balances; the relay is DOT's reserve and trusts no other reserve; no teleports (no system
 *   parachains on the devnet);
 * - execution paid in DOT (UsingComponents, fees to the treasury);
 * - barrier: TakeWeightCredit, then (with computed origin) AllowTopLevelPaidExecutionFrom(Everything),
 *   AllowKnownQueryResponses, AllowSubscriptionsFrom(parachains), the trailing SetTopic as message id;
 * - origins: SovereignSignedViaLocation, ChildParachainAsNative, SignedAccountId32AsNative, XcmPassthrough;
 * - router: DMP to each child parachain, wrapped in its XCM version, every message ending in a SetTopic;
 * - upward messages are executed from `(0, [Parachain(id)])`; HRMP notifications reach paras as XCM.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { blockNumber } from '../../pallets/system/block.ts';
import { currentRuntime } from '../../frame/env.ts';
import type { Runtime } from '../../frame/runtime.ts';
import type { Weight } from '../../frame/weights.ts';
import { BalancesCurrency } from '../../pallets/balances/index.ts';
import {
  canQueueDownwardMessage,
  type HrmpNotification,
  queueDownwardMessage,
} from '../../pallets/relay/index.ts';
import type { PalletXcmConfig } from '../../pallets/xcm/index.ts';
import type { ParaId } from '../../parachains/ids.ts';
import {
  allowKnownQueryResponses,
  allowSubscriptionsFrom,
  allowTopLevelPaidExecutionFrom,
  childParachainAsNative,
  type EncodedTransport,
  ensureXcmOrigin,
  everything,
  fungibleAdapter,
  isConcrete,
  nativeFungible,
  palletInstancesInfo,
  signedAccountId32AsNative,
  signedToAccountId32,
  sovereignSignedViaLocation,
  takeWeightCredit,
  trailingSetTopicAsId,
  usingComponents,
  versionedRouter,
  withComputedOrigin,
  withUniqueTopic,
  xcmPassthrough,
} from '../../xcm/builder/index.ts';
import { barriers, originConverters, type XcmExecutorConfig } from '../../xcm/executor/index.ts';
import {
  accountId32Aliases,
  childParachainConvertsVia,
  firstMatch,
  globalConsensus,
  hashedFamilyDescription,
  here,
  type Junctions,
  type Location,
  VersionedXcmCodec,
} from '../../xcm/index.ts';
import { treasuryAccount } from '../parachain/config.ts';
import {
  MAX_ASSETS_INTO_HOLDING,
  nativeFeesTo,
  XcmPallet,
  xcmMessageProcessor,
  xcmWeigher,
} from '../xcm-shared.ts';
import type { RelayMessageOrigin } from './messaging.ts';

export const RELAY_UNIVERSAL_LOCATION: Junctions = [globalConsensus({ type: 'Polkadot' })];

export const relayLocationToAccountId = firstMatch(
  (l) => childParachainConvertsVia(l),
  (l) => accountId32Aliases(l),
  hashedFamilyDescription,
);

/** DMP to `(0, [Parachain(id)])`. */
const childTransport: EncodedTransport<ParaId, { para: ParaId; message: Uint8Array }> = {
  route: (dest) =>
    dest.parents === 0 && dest.interior.length === 1 && dest.interior[0].type === 'Parachain'
      ? dest.interior[0].value
      : undefined,
  validate(para, encoded) {
    const refused = canQueueDownwardMessage(para, encoded);
    if (refused === 'Unroutable') return { type: 'Unroutable' };
    if (refused) return { type: 'ExceedsMaxMessageSize' };
    return { ticket: { para, message: encoded }, price: [] };
  },
  deliver({ para, message }) {
    const refused = queueDownwardMessage(para, message);
    if (refused) return refused === 'Unroutable' ? { type: 'Unroutable' } : { type: 'ExceedsMaxMessageSize' };
    return blake2_256(message);
  },
};

/**
 * An HRMP notification as the downward XCM Polkadot sends (`send_to_para`, V5 here). Channels opened by genesis
 * notify nobody: a downward message at block 0 would be one no parachain block can take (cumulus drops messages
 * sent at or before the relay block it last saw, which is 0 then).
 */
export function hrmpNotificationXcm(_dest: ParaId, n: HrmpNotification): Uint8Array | undefined {
  if (blockNumber() === 0) return undefined;
  const instruction =
    n.type === 'HrmpNewChannelOpenRequest'
      ? {
          type: n.type,
          value: { sender: n.sender, max_message_size: n.max_message_size, max_capacity: n.max_capacity },
        }
      : n.type === 'HrmpChannelAccepted'
        ? { type: n.type, value: { recipient: n.recipient } }
        : { type: n.type, value: { initiator: n.initiator, sender: n.sender, recipient: n.recipient } };
  return VersionedXcmCodec.encode({ type: 'V5', value: [instruction as never] });
}

export interface RelayXcm {
  executor: XcmExecutorConfig;
  palletXcm: PalletXcmConfig;
  processMessage: ReturnType<typeof xcmMessageProcessor<RelayMessageOrigin>>;
}

export function relayXcm(weightToFee: (w: Weight) => bigint): RelayXcm {
  const a = XcmPallet.adapters;
  const treasury = treasuryAccount(32);
  const isChild = (l: Location) =>
    l.parents === 0 && l.interior.length === 1 && l.interior[0].type === 'Parachain';
  const router = withUniqueTopic(versionedRouter(a.wrapVersion, childTransport));
  const accountOf = relayLocationToAccountId;
  const executor: XcmExecutorConfig = {
    xcmSender: router,
    assetTransactor: fungibleAdapter({
      currency: nativeFungible(BalancesCurrency),
      matcher: isConcrete(here()),
      accountOf,
    }),
    originConverter: originConverters(
      sovereignSignedViaLocation(accountOf),
      childParachainAsNative,
      signedAccountId32AsNative(),
      xcmPassthrough,
    ),
    isReserve: () => false,
    isTeleporter: () => false,
    universalLocation: RELAY_UNIVERSAL_LOCATION,
    barrier: trailingSetTopicAsId(
      barriers(
        takeWeightCredit,
        withComputedOrigin(
          barriers(
            allowTopLevelPaidExecutionFrom(everything),
            allowKnownQueryResponses(a.responseHandler),
            allowSubscriptionsFrom(isChild),
          ),
          RELAY_UNIVERSAL_LOCATION,
          8,
        ),
      ),
    ),
    weigher: xcmWeigher,
    trader: usingComponents({
      weightToFee,
      assetId: here(),
      onUnbalanced: nativeFeesTo(treasury),
    }),
    responseHandler: a.responseHandler,
    assetTrap: a.assetTrap,
    assetClaims: a.assetClaims,
    subscriptionService: a.subscriptionService,
    palletInstancesInfo: palletInstancesInfo(() => currentRuntime() as unknown as Runtime),
    maxAssetsIntoHolding: MAX_ASSETS_INTO_HOLDING,
    safeCallFilter: () => true,
    recorder: a.recorder,
  };
  const toLocation = ensureXcmOrigin(signedToAccountId32());
  const palletXcm: PalletXcmConfig = {
    executor,
    router,
    sendXcmOrigin: toLocation,
    executeXcmOrigin: toLocation,
  };
  const processMessage = xcmMessageProcessor<RelayMessageOrigin>(
    () => executor,
    (origin) => ({ parents: 0, interior: [{ type: 'Parachain', value: origin.value.value }] }),
    XcmPallet,
  );
  return { executor, palletXcm, processMessage };
}
