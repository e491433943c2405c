/**
 * The XCM tests' runtime (FRAME's mock.rs): System, Balances, an Assets instance for sibling tokens and a test
 * pallet whose calls `Transact` dispatches, under an executor config in the parachain template's shape: our para is
 * 2008, the native token is `Here` (Balances, teleportable with para 1000, checked in a checking account), the
 * token of sibling 2000 is Assets id 1 (reserve: 2000), UnitWeightCost (1e9, 65536) per instruction, fees at one
 * unit per nanosecond of ref time (UsingComponents) or a fixed rate for the sibling token, a recording router.
 */
import { blake2_256 } from '../../../src/crypto/hashing.ts';
import { badOrigin } from '../../../src/frame/dispatch-error.ts';
import { ensureRoot, ensureSigned, type Origin, rootOrigin } from '../../../src/frame/origin.ts';
import { call, pallet, type RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { defineRuntime, type Runtime } from '../../../src/frame/runtime.ts';
import { weight } from '../../../src/frame/weights.ts';
import { defineAssets } from '../../../src/pallets/assets/index.ts';
import { Balances, BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import { initialize } from '../../../src/pallets/system/block.ts';
import { defaultSystemConfig, Events, System } from '../../../src/pallets/system/index.ts';
import { bytes, u32, u64 } from '../../../src/scale/index.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import {
  allowExplicitUnpaidExecutionFrom,
  allowKnownQueryResponses,
  allowSubscriptionsFrom,
  allowTopLevelPaidExecutionFrom,
  assetTrap,
  caseOf,
  everything,
  fixedRateOfFungible,
  fixedWeightBounds,
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
  sovereignSignedViaLocation,
  takeWeightCredit,
  trailingSetTopicAsId,
  usingComponents,
  withComputedOrigin,
  xcmPassthrough,
} from '../../../src/xcm/builder/index.ts';
import {
  anyPairOf,
  barriers,
  type DeliverResult,
  type OnResponse,
  originConverters,
  type SendResult,
  type SendXcm,
  traders,
  transactors,
  type VersionChangeNotifier,
  type XcmExecutorConfig,
  xcmFail,
} from '../../../src/xcm/executor/index.ts';
import {
  type Asset,
  type Assets,
  type Location,
  locationEquals,
  parachain,
  parachainLocationToAccount,
  paraSovereignAccount,
  type Response,
  ResponseCodec,
  siblingParachain,
  VersionedXcmCodec,
  type Xcm,
  type XcmContext,
} from '../../../src/xcm/index.ts';

export const PARA_ID = 2008;
export const UNIVERSAL = [parachain(PARA_ID)];
export const ED = 1_000_000n;
export const UNIT = 1_000_000_000_000n;
export const UNIT_WEIGHT = { refTime: 1_000_000_000, proofSize: 65_536 };
/** One unit per nanosecond of ref time. */
export const weightToFee = (w: { refTime: number }) => BigInt(w.refTime) / 1000n;
/** Fee of `n` instructions at the unit cost. */
export const feeOf = (n: number) => weightToFee({ refTime: n * UNIT_WEIGHT.refTime });

export const here = (): Location => ({ parents: 0, interior: [] });
export const native = (amount: bigint): Asset => ({ id: here(), fun: { type: 'Fungible', value: amount } });
/** Sibling 2000's token as we see it; held in Assets id 1. */
export const SIBLING_TOKEN: Location = siblingParachain(2000);
export const siblingToken = (amount: bigint): Asset => ({
  id: SIBLING_TOKEN,
  fun: { type: 'Fungible', value: amount },
});
/** The sibling token's fixed rate: units per second of ref time, per MB of proof. */
export const SIBLING_RATE = { unitsPerSecond: 2_000_000n, unitsPerMb: 0n };

export const account = (n: number) => new Uint8Array(32).fill(n);
export const ALICE = account(1);
export const BOB = account(2);
export const CHECKING = account(0xcc);
export const accountLocation = (who: Uint8Array): Location => ({
  parents: 0,
  interior: [{ type: 'AccountId32', value: { network: undefined, id: who } }],
});
export const locationToAccount = parachainLocationToAccount();
export const siblingSovereign = (id: number) => paraSovereignAccount(id, 'sibling');

// ---- the test pallet ----------------------------------------------------------------------------------------

const t = pallet('XcmTest', { module: 'pallet_xcm_test' });
/** What the last `record` call saw: the origin's kind and its details. */
export const LastOrigin = t.value('LastOrigin', bytes);
export const Counter = t.value('Counter', u32, { default: 0 });
export const XcmTestError = t.errors({ Nope: [0, [' Always fails.']] });
export const describeOrigin = (o: Origin): string => {
  switch (o.type) {
    case 'Signed':
      return `Signed(${Buffer.from(o.who).toString('hex')})`;
    case 'SiblingParachain':
      return `SiblingParachain(${o.paraId})`;
    case 'Response':
      return `Response(${JSON.stringify(o.location)})`;
    case 'Xcm':
      return `Xcm(${JSON.stringify(o.location, (_k, v) => (typeof v === 'bigint' ? `${v}` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))})`;
    default:
      return o.type;
  }
};
export const XcmTest = t.build({
  calls: {
    /** Declares 10e6 ref time, reports 4e6 used: Transact refunds the difference. */
    record: call(
      0,
      { value: u32 },
      {
        weight: () => weight(10_000_000, 1_000),
        dispatch(origin, { value }) {
          LastOrigin.set(new TextEncoder().encode(describeOrigin(origin)));
          Counter.set(value);
          return { actualWeight: weight(4_000_000, 1_000) };
        },
      },
    ),
    fail: call(1, {}, { weight: () => weight(5_000_000, 0), dispatch: () => XcmTestError.fail('Nope') }),
    root_only: call(
      2,
      {},
      {
        weight: () => weight(5_000_000, 0),
        dispatch(origin) {
          ensureRoot(origin);
          Counter.set(42);
        },
      },
    ),
    /** Forbidden by the SafeCallFilter. */
    forbidden: call(
      3,
      {},
      {
        weight: () => weight(1_000, 0),
        dispatch(origin) {
          ensureSigned(origin);
          Counter.set(666);
        },
      },
    ),
    /** A query's notify target: `(query_id, response)`, from the `Response(responder)` origin only. */
    notified: call(
      5,
      { query_id: u64, response: ResponseCodec },
      {
        weight: () => weight(2_000_000, 0),
        dispatch(origin, { query_id }) {
          if (origin.type !== 'Response') throw badOrigin();
          LastOrigin.set(new TextEncoder().encode(`${describeOrigin(origin)}:${query_id}`));
        },
      },
    ),
    xcm_only: call(
      4,
      {},
      {
        weight: () => weight(1_000, 0),
        dispatch(origin) {
          if (origin.type !== 'Xcm') throw badOrigin();
          LastOrigin.set(new TextEncoder().encode(describeOrigin(origin)));
        },
      },
    ),
  },
});

const assetsInstance = defineAssets<number>({ name: 'Assets' });
export const Assets_ = assetsInstance;

// ---- stubs of what pallet-xcm provides (its own tests use the real pallet) ----------------------------------

export const trapCounts = new Map<string, number>();
export const trapEvents: Array<{
  kind: 'trapped' | 'claimed';
  hash: string;
  origin: Location;
  assets: unknown;
}> = [];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const trap = assetTrap({
  count: (h) => trapCounts.get(hex(h)) ?? 0,
  setCount: (h, n) => void (n === 0 ? trapCounts.delete(hex(h)) : trapCounts.set(hex(h), n)),
  onTrapped: (h, origin, assets) => trapEvents.push({ kind: 'trapped', hash: hex(h), origin, assets }),
  onClaimed: (h, origin, assets) => trapEvents.push({ kind: 'claimed', hash: hex(h), origin, assets }),
});

/** The context each trap saw (topic, message id). */
export const trapContexts: XcmContext[] = [];

export const responses: Array<{ origin: Location; queryId: bigint; response: Response }> = [];
export const expectedQueries = new Set<bigint>();
export const responseHandler: OnResponse = {
  expectingResponse: (_origin, queryId) => expectedQueries.has(queryId),
  onResponse(origin, queryId, _querier, response) {
    responses.push({ origin, queryId, response });
    return { refTime: 0, proofSize: 0 };
  },
};

export const subscriptions: Array<{ origin: Location; queryId?: bigint; stop?: true }> = [];
export const subscriptionService: VersionChangeNotifier = {
  start(origin, queryId) {
    if (subscriptions.some((s) => locationEquals(s.origin, origin) && !s.stop))
      throw xcmFail('InvalidLocation');
    subscriptions.push({ origin, queryId });
  },
  stop(origin) {
    subscriptions.push({ origin, stop: true });
  },
  isSubscribed: (origin) => subscriptions.some((s) => locationEquals(s.origin, origin)),
};

// ---- a router that records, with a delivery price per destination ------------------------------------------

export interface Sent {
  dest: Location;
  message: Xcm;
  hash: Uint8Array;
}
export const sent: Sent[] = [];
/** Delivery prices by destination (by JSON); none: free. */
export const deliveryPrices = new Map<string, Assets>();
const key = (l: Location) => JSON.stringify(l);
export const router: SendXcm<Sent> = {
  validate(dest, message): SendResult<Sent> {
    if (dest.parents > 1) return { ok: false, error: { type: 'NotApplicable' } };
    if (
      dest.parents === 1 &&
      dest.interior.length === 1 &&
      dest.interior[0].type === 'Parachain' &&
      dest.interior[0].value === 666
    )
      return { ok: false, error: { type: 'Transport' } };
    const hash = blake2_256(VersionedXcmCodec.encode({ type: 'V5', value: message }));
    return { ok: true, ticket: { dest, message, hash }, price: deliveryPrices.get(key(dest)) ?? [] };
  },
  deliver(ticket): DeliverResult {
    sent.push(ticket);
    return { ok: true, hash: ticket.hash };
  },
};
export function setDeliveryPrice(dest: Location, price: Assets): void {
  deliveryPrices.set(key(dest), price);
}

// ---- the executor config ------------------------------------------------------------------------------------

export const feesCollected: bigint[] = [];
export const siblingFeesCollected: Asset[] = [];

/** The sibling token's Assets id (1) from its location. */
const siblingAssetId = (l: Location) => (locationEquals(l, SIBLING_TOKEN) ? 1 : undefined);

export function xcmConfig(
  runtime: () => Runtime,
  overrides: Partial<XcmExecutorConfig> = {},
): XcmExecutorConfig {
  const weigher = fixedWeightBounds(UNIT_WEIGHT, 100);
  return {
    xcmSender: router,
    assetTransactor: transactors(
      fungibleAdapter({
        currency: nativeFungible(BalancesCurrency),
        matcher: isConcrete(here()),
        accountOf: locationToAccount,
        checking: { account: CHECKING, mintLocation: 'Local' },
      }),
      fungiblesAdapter({
        assets: assetsInstance.fungibles,
        matcher: matchedConvertedConcreteId((l) => siblingAssetId(l) !== undefined, siblingAssetId),
        accountOf: locationToAccount,
      }),
    ),
    originConverter: originConverters(
      sovereignSignedViaLocation(locationToAccount),
      relayChainAsNative(),
      siblingParachainAsNative,
      parentAsSuperuser,
      signedAccountId32AsNative(),
      xcmPassthrough,
    ),
    isReserve: nativeAsset,
    isTeleporter: anyPairOf(
      caseOf(
        { type: 'Wild', value: { type: 'AllOf', value: { id: here(), fun: { type: 'Fungible' } } } },
        siblingParachain(1000),
      ),
    ),
    aliasers: (origin, target) =>
      // A sibling may alias its own accounts (as polkadot-sdk's AliasChildLocation).
      origin.parents === 1 &&
      origin.interior.length === 1 &&
      target.parents === 1 &&
      target.interior.length === 2 &&
      locationEquals({ parents: 1, interior: [target.interior[0]] }, origin),
    universalLocation: UNIVERSAL,
    barrier: trailingSetTopicAsId(
      barriers(
        takeWeightCredit,
        withComputedOrigin(
          barriers(
            allowTopLevelPaidExecutionFrom(everything),
            allowExplicitUnpaidExecutionFrom(isParentsOnly(1)),
            allowKnownQueryResponses(responseHandler),
            allowSubscriptionsFrom(everything),
          ),
          UNIVERSAL,
          8,
        ),
      ),
    ),
    weigher,
    trader: traders(
      usingComponents({ weightToFee, assetId: here(), onUnbalanced: (a) => feesCollected.push(a) }),
      fixedRateOfFungible({
        assetId: SIBLING_TOKEN,
        ...SIBLING_RATE,
        takeRevenue: (a) => siblingFeesCollected.push(a),
      }),
    ),
    responseHandler,
    assetTrap: {
      dropAssets(origin, holding, context) {
        trapContexts.push({ ...context });
        return trap.dropAssets(origin, holding, context);
      },
    },
    assetClaims: trap,
    subscriptionService,
    palletInstancesInfo: palletInstancesInfo(runtime, { Balances: { major: 28, minor: 0, patch: 1 } }),
    maxAssetsIntoHolding: 64,
    safeCallFilter: (c: RuntimeCallValue) => !(c.type === 'XcmTest' && c.value.type === 'forbidden'),
    ...overrides,
  };
}

export const runtime: Runtime = defineRuntime({
  pallets: [
    [0, System, defaultSystemConfig()],
    [10, Balances, { existentialDeposit: ED, maxLocks: 50, maxReserves: 50, maxFreezes: 50 }],
    [
      50,
      assetsInstance.pallet,
      {
        currency: BalancesCurrency,
        assetDeposit: 0n,
        assetAccountDeposit: 0n,
        metadataDepositBase: 0n,
        metadataDepositPerByte: 0n,
        approvalDeposit: 0n,
        stringLimit: 50,
      },
    ],
    [99, XcmTest, {}],
  ],
  version: {
    spec_name: 'xcm-test',
    impl_name: 'xcm-test',
    authoring_version: 1,
    spec_version: 1,
    impl_version: 1,
    transaction_version: 1,
    system_version: 1,
  },
});

export const config = xcmConfig(() => runtime);

/** Starting balances: Alice 100 UNIT; sibling 2000's sovereign account 50 UNIT; the checking account 10 UNIT. */
export function genesis(): MemoryBackend {
  const overlay = runtime.buildGenesis({
    Balances: {
      balances: [
        [ALICE, 100n * UNIT],
        [siblingSovereign(2000), 50n * UNIT],
        [CHECKING, 10n * UNIT],
      ],
    },
    Assets: {
      assets: [[1, ALICE, true, 1_000n]],
      metadata: [],
      accounts: [[1, ALICE, 1_000_000_000n]],
    },
  });
  const backend = new MemoryBackend();
  backend.apply(overlay.drainChanges());
  return backend;
}

let base: MemoryBackend | undefined;

/** Runs `fn` in block 1 on a fresh copy of genesis, with every recorder emptied. */
export function inBlock<T>(fn: () => T): T {
  base ??= genesis();
  const overlay = new Overlay(base);
  sent.length = 0;
  trapCounts.clear();
  trapEvents.length = 0;
  trapContexts.length = 0;
  responses.length = 0;
  expectedQueries.clear();
  subscriptions.length = 0;
  deliveryPrices.clear();
  feesCollected.length = 0;
  siblingFeesCollected.length = 0;
  return runtime.execute(overlay, () => {
    initialize(1, new Uint8Array(32), { logs: [] });
    return fn();
  });
}

/** Events so far as [pallet, variant, value]. */
export function events(): Array<[string, string, unknown]> {
  return Events.get().map((r: any) => [r.event.type, r.event.value.type, r.event.value.value]);
}

export const root = rootOrigin;
export { Balances, BalancesCurrency };
