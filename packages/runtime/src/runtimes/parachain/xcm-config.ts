/**
 * A parachain's XCM configuration, in the shape of polkadot-sdk's parachain template `xcm_config.rs`:
 * - UniversalLocation `(GlobalConsensus(Polkadot), Parachain(id))`;
 * - LocationToAccountId: ParentIsPreset, SiblingParachainConvertsVia, AccountId32Aliases (AccountKey20Aliases on
 *   20-byte-account chains), HashedDescription<DescribeFamily<DescribeAllTerminal>> — 20-byte chains take the first
 *   20 bytes, as Moonbeam's `AccountId20: From<[u8; 32]>` does;
 * - assets: the chain's token (`Here`) in Balances, every other token in `ForeignAssets` keyed by its Location, each
 *   trusted only from its own chain as reserve (`NativeAsset`), no teleports;
 * - execution paid in the chain's token (UsingComponents over its weight-to-fee, fees to its treasury) or in DOT or
 *   any sibling's token at a fixed rate (burned);
 * - barrier: TakeWeightCredit, then (with computed origin) AllowTopLevelPaidExecutionFrom(Everything),
 *   AllowExplicitUnpaidExecutionFrom(parent), AllowKnownQueryResponses, AllowHrmpNotificationsFromRelayChain,
 *   AllowSubscriptionsFrom(Everything), and the trailing SetTopic as message id;
 * - origins: SovereignSignedViaLocation, RelayChainAsNative, SiblingParachainAsNative, ParentAsSuperuser (the relay
 *   chain only; never a sibling), SignedAccountId32/Key20AsNative, XcmPassthrough;
 * - router: XCMP to siblings (XcmpQueue), UMP to the relay (ParachainSystem), wrapped in the destination's XCM
 *   version, every message ending in a SetTopic.
 */
import { currentRuntime } from '../../frame/env.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import type { Runtime } from '../../frame/runtime.ts';
import { BalancesCurrency } from '../../pallets/balances/index.ts';
import { type AggregateMessageOrigin, sendUpwardMessage } from '../../pallets/parachain-system/index.ts';
import { deliver as xcmpDeliver, validateSend as xcmpValidateSend } from '../../pallets/xcmp-queue/router.ts';
import type { PalletXcmConfig } from '../../pallets/xcm/index.ts';
import {
  allowExplicitUnpaidExecutionFrom,
  allowHrmpNotificationsFromRelayChain,
  allowKnownQueryResponses,
  allowSubscriptionsFrom,
  allowTopLevelPaidExecutionFrom,
  ensureXcmOrigin,
  everything,
  type EncodedTransport,
  fixedRateOfFungible,
  fungibleAdapter,
  fungiblesAdapter,
  isConcrete,
  isParentsOnly,
  matchedConvertedConcreteId,
  nativeAsset,
  nativeFungible,
  palletInstancesInfo,
  parentAsSuperuser,
  relayChainAsNative,
  siblingParachainAsNative,
  signedAccountId32AsNative,
  signedAccountKey20AsNative,
  signedToAccountId32,
  signedToAccountKey20,
  sovereignSignedViaLocation,
  takeWeightCredit,
  trailingSetTopicAsId,
  usingComponents,
  versionedRouter,
  withComputedOrigin,
  withUniqueTopic,
  xcmPassthrough,
} from '../../xcm/builder/index.ts';
import {
  barriers,
  originConverters,
  routers,
  traders,
  transactors,
  type XcmExecutorConfig,
} from '../../xcm/executor/index.ts';
import {
  accountKey20Aliases,
  firstMatch,
  globalConsensus,
  hashedFamilyDescription,
  here,
  isHere,
  type Junctions,
  type Location,
  type LocationToAccount,
  parachain,
  parachainLocationToAccount,
  parentIsPreset,
  siblingParachainConvertsVia,
} from '../../xcm/index.ts';
import {
  ForeignAssets,
  MAX_ASSETS_INTO_HOLDING,
  NETWORK_TOKENS,
  nativeFeesTo,
  PolkadotXcm,
  unitsPerSecond,
  xcmMessageProcessor,
  xcmWeigher,
} from '../xcm-shared.ts';
import type { ParachainData } from './chains.ts';
import { treasuryAccount } from './config.ts';

export interface ParachainXcmOptions {
  /** `SafeCallFilter`: what `Transact` may dispatch here (default: everything, as the parachain template). */
  safeCallFilter?: (call: RuntimeCallValue) => boolean;
}

export function parachainUniversalLocation(data: ParachainData): Junctions {
  return [globalConsensus({ type: 'Polkadot' }), parachain(data.paraId)];
}

const first20 =
  (convert: LocationToAccount): LocationToAccount =>
  (l) =>
    convert(l)?.slice(0, 20);

/** `LocationToAccountId` of the chain (32- or 20-byte accounts). */
export function parachainLocationToAccountId(data: ParachainData): LocationToAccount {
  if (data.accounts === 'sr25519') return parachainLocationToAccount();
  return firstMatch(
    first20(parentIsPreset),
    first20((l) => siblingParachainConvertsVia(l)),
    (l) => accountKey20Aliases(l),
    first20(hashedFamilyDescription),
  );
}

/** XCMP to `(1, [Parachain(id)])` through XcmpQueue's channels. */
const siblingTransport: EncodedTransport<number, unknown> = {
  route: (dest) =>
    dest.parents === 1 && dest.interior.length === 1 && dest.interior[0].type === 'Parachain'
      ? dest.interior[0].value
      : undefined,
  validate(paraId, encoded) {
    const r = xcmpValidateSend(paraId, encoded);
    if ('err' in r) {
      if (r.err.type === 'ExceedsMaxMessageSize') return { type: 'ExceedsMaxMessageSize' };
      // No channel to the sibling: it is known to be unroutable (`Transport`'s reason does not survive encoding,
      // so a sender such as xstorage could not tell "no channel" from a full queue). pallet-xcm still says SendFailure.
      if (r.err.type === 'Transport' && r.err.value === 'NoChannel') return { type: 'Unroutable' };
      return { type: 'Transport' };
    }
    return { ticket: r.ok.ticket, price: [] };
  },
  deliver(ticket) {
    const r = xcmpDeliver(ticket as never);
    return 'ok' in r ? r.ok : { type: 'Transport' };
  },
};

/** UMP to the relay chain `(1, Here)` through ParachainSystem. */
const relayTransport: EncodedTransport<true, Uint8Array> = {
  route: (dest) => (dest.parents === 1 && dest.interior.length === 0 ? true : undefined),
  validate: (_route, encoded) => ({ ticket: encoded, price: [] }),
  deliver(encoded) {
    const r = sendUpwardMessage(encoded);
    return 'ok' in r
      ? r.ok[1]
      : r.err === 'TooBig'
        ? { type: 'ExceedsMaxMessageSize' }
        : { type: 'Transport' };
  },
};

export interface ParachainXcm {
  executor: XcmExecutorConfig;
  palletXcm: PalletXcmConfig;
  processMessage: ReturnType<typeof xcmMessageProcessor<AggregateMessageOrigin>>;
  /** The chain's foreign tokens: DOT and every other parachain's token. */
  foreignTokens: typeof NETWORK_TOKENS;
}

export function parachainXcm(
  data: ParachainData,
  weightToFee: (w: { refTime: number; proofSize: number }) => bigint,
  options: ParachainXcmOptions = {},
): ParachainXcm {
  const universal = parachainUniversalLocation(data);
  const accountOf = parachainLocationToAccountId(data);
  const treasury = treasuryAccount(data.accounts === 'ethereum' ? 20 : 32);
  const self = (l: Location) =>
    l.parents === 1 &&
    l.interior.length === 1 &&
    l.interior[0].type === 'Parachain' &&
    l.interior[0].value === data.paraId;
  const foreignTokens = NETWORK_TOKENS.filter((t) => t.paraId !== data.paraId);
  const isForeign = (l: Location) => !isHere(l) && !self(l) && ForeignAssets.fungibles.assetExists(l);
  const a = PolkadotXcm.adapters;
  const router = withUniqueTopic(
    routers(versionedRouter(a.wrapVersion, siblingTransport), versionedRouter(a.wrapVersion, relayTransport)),
  );
  const executor: XcmExecutorConfig = {
    xcmSender: router,
    assetTransactor: transactors(
      fungibleAdapter({ currency: nativeFungible(BalancesCurrency), matcher: isConcrete(here()), accountOf }),
      fungiblesAdapter({
        assets: ForeignAssets.fungibles,
        matcher: matchedConvertedConcreteId(isForeign, (l) => l),
        accountOf,
      }),
    ),
    originConverter: originConverters(
      sovereignSignedViaLocation(accountOf),
      relayChainAsNative(),
      siblingParachainAsNative,
      parentAsSuperuser,
      data.accounts === 'ethereum' ? signedAccountKey20AsNative() : signedAccountId32AsNative(),
      xcmPassthrough,
    ),
    isReserve: nativeAsset,
    isTeleporter: () => false,
    universalLocation: universal,
    barrier: trailingSetTopicAsId(
      barriers(
        takeWeightCredit,
        withComputedOrigin(
          barriers(
            allowTopLevelPaidExecutionFrom(everything),
            allowExplicitUnpaidExecutionFrom(isParentsOnly(1)),
            allowKnownQueryResponses(a.responseHandler),
            allowHrmpNotificationsFromRelayChain,
            allowSubscriptionsFrom(everything),
          ),
          universal,
          8,
        ),
      ),
    ),
    weigher: xcmWeigher,
    trader: traders(
      usingComponents({
        weightToFee,
        assetId: here(),
        onUnbalanced: nativeFeesTo(treasury),
      }),
      ...foreignTokens.map((t) =>
        fixedRateOfFungible({
          assetId: t.location,
          unitsPerSecond: unitsPerSecond(t.decimals),
          unitsPerMb: 0n,
        }),
      ),
    ),
    responseHandler: a.responseHandler,
    assetTrap: a.assetTrap,
    assetClaims: a.assetClaims,
    subscriptionService: a.subscriptionService,
    palletInstancesInfo: palletInstancesInfo(() => currentRuntime() as unknown as Runtime),
    maxAssetsIntoHolding: MAX_ASSETS_INTO_HOLDING,
    safeCallFilter: options.safeCallFilter ?? (() => true),
    recorder: a.recorder,
  };
  const toLocation = ensureXcmOrigin(
    data.accounts === 'ethereum' ? signedToAccountKey20() : signedToAccountId32(),
  );
  const palletXcm: PalletXcmConfig = {
    executor,
    router,
    sendXcmOrigin: toLocation,
    executeXcmOrigin: toLocation,
    acceptablePaymentAssets: () => [here(), ...foreignTokens.map((t) => t.location)],
  };
  const processMessage = xcmMessageProcessor<AggregateMessageOrigin>(
    () => executor,
    (origin) =>
      origin.type === 'Sibling'
        ? { parents: 1, interior: [parachain(origin.value)] }
        : origin.type === 'Parent'
          ? { parents: 1, interior: [] }
          : here(),
    PolkadotXcm,
  );
  return { executor, palletXcm, processMessage, foreignTokens };
}
