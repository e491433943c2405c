/**
 * pallet-xcm's test runtime: the XCM tests' runtime (../../xcm/executor/mock.ts: Balances, Assets, the test pallet,
 * para 2008) plus `PolkadotXcm` at index 31, whose adapters the executor config uses (response handler, asset
 * trap and claims, subscriptions, recorder) and whose config sends through a recording router that dry runs can
 * inspect, with a delivery price per destination.
 */
import { blake2_256 } from '../../../src/crypto/hashing.ts';
import { defineRuntime, type Runtime } from '../../../src/frame/runtime.ts';
import { Balances, BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import { initialize } from '../../../src/pallets/system/block.ts';
import { defaultSystemConfig, Events, System } from '../../../src/pallets/system/index.ts';
import { definePalletXcm, xcmDryRunApi, xcmPaymentApi } from '../../../src/pallets/xcm/index.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import {
  allowKnownQueryResponses,
  allowSubscriptionsFrom,
  allowTopLevelPaidExecutionFrom,
  ensureXcmOrigin,
  everything,
  signedToAccountId32,
  takeWeightCredit,
  trailingSetTopicAsId,
  withComputedOrigin,
} from '../../../src/xcm/builder/index.ts';
import {
  barriers,
  type DeliverResult,
  type SendResult,
  type SendXcm,
} from '../../../src/xcm/executor/index.ts';
import {
  type Assets,
  type Location,
  type VersionedLocation,
  type VersionedXcm,
  VersionedXcmCodec,
  type Xcm,
} from '../../../src/xcm/index.ts';
import {
  ALICE,
  Assets_,
  CHECKING,
  ED,
  siblingSovereign,
  UNIT,
  UNIVERSAL,
  XcmTest,
  xcmConfig,
} from '../../xcm/executor/mock.ts';

export const PolkadotXcm = definePalletXcm({ name: 'PolkadotXcm' });

export interface Sent {
  dest: Location;
  message: Xcm;
}
export const sent: Sent[] = [];
const prices = new Map<string, Assets>();
const key = (l: Location) => JSON.stringify(l);
export function setDeliveryPrice(dest: Location, price: Assets): void {
  prices.set(key(dest), price);
}

/** Routes `(1, [Parachain(id)])` and the parent; para 666 has a broken channel (Transport). */
export const router: SendXcm<Sent> = {
  validate(dest, message): SendResult<Sent> {
    if (dest.parents !== 1 || dest.interior.length > 1)
      return { ok: false, error: { type: 'NotApplicable' } };
    const j = dest.interior[0];
    if (j && j.type !== 'Parachain') return { ok: false, error: { type: 'NotApplicable' } };
    if (j?.type === 'Parachain' && j.value === 666) return { ok: false, error: { type: 'Transport' } };
    return { ok: true, ticket: { dest, message }, price: prices.get(key(dest)) ?? [] };
  },
  deliver(ticket): DeliverResult {
    sent.push(ticket);
    return { ok: true, hash: blake2_256(VersionedXcmCodec.encode({ type: 'V5', value: ticket.message })) };
  },
};

const a = PolkadotXcm.adapters;
export const executorConfig = xcmConfig(() => runtime, {
  xcmSender: router,
  responseHandler: a.responseHandler,
  assetTrap: a.assetTrap,
  assetClaims: a.assetClaims,
  subscriptionService: a.subscriptionService,
  recorder: a.recorder,
  barrier: trailingSetTopicAsId(
    barriers(
      takeWeightCredit,
      withComputedOrigin(
        barriers(
          allowTopLevelPaidExecutionFrom(everything),
          allowKnownQueryResponses(a.responseHandler),
          allowSubscriptionsFrom(everything),
        ),
        UNIVERSAL,
        8,
      ),
    ),
  ),
});

const toLocation = ensureXcmOrigin(signedToAccountId32());

export const runtime: Runtime = defineRuntime({
  pallets: [
    [0, System, defaultSystemConfig()],
    [10, Balances, { existentialDeposit: ED, maxLocks: 50, maxReserves: 50, maxFreezes: 50 }],
    [
      50,
      Assets_.pallet,
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
    [
      31,
      PolkadotXcm.pallet,
      {
        executor: executorConfig,
        router,
        sendXcmOrigin: toLocation,
        executeXcmOrigin: toLocation,
        inspectMessageQueues: {
          clearMessages: () => {
            sent.length = 0;
          },
          getMessages: (): Array<[VersionedLocation, VersionedXcm[]]> =>
            sent.map((s) => [{ type: 'V5', value: s.dest }, [{ type: 'V5', value: s.message }]]),
        },
      },
    ],
  ],
  apis: [xcmPaymentApi(PolkadotXcm), (rt) => xcmDryRunApi(rt, PolkadotXcm)],
  version: {
    spec_name: 'xcm-pallet-test',
    impl_name: 'xcm-pallet-test',
    authoring_version: 1,
    spec_version: 1,
    impl_version: 1,
    transaction_version: 1,
    system_version: 1,
  },
});

function genesis(): MemoryBackend {
  const overlay = runtime.buildGenesis({
    Balances: {
      balances: [
        [ALICE, 100n * UNIT],
        [siblingSovereign(2000), 50n * UNIT],
        [CHECKING, 10n * UNIT],
      ],
    },
    Assets: { assets: [[1, ALICE, true, 1_000n]], metadata: [], accounts: [[1, ALICE, 1_000_000_000n]] },
  });
  const backend = new MemoryBackend();
  backend.apply(overlay.drainChanges());
  return backend;
}

let base: MemoryBackend | undefined;

/** Runs `fn` in block 1 (at `number`) on fresh genesis state. */
export function inBlock<T>(fn: () => T, number = 1): T {
  base ??= genesis();
  sent.length = 0;
  prices.clear();
  return runtime.execute(new Overlay(base), () => {
    initialize(number, new Uint8Array(32), { logs: [] });
    return fn();
  });
}

/** This pallet's events so far as [variant, value]. */
export function xcmEvents(): Array<[string, any]> {
  return Events.get()
    .filter((r: any) => r.event.type === 'PolkadotXcm')
    .map((r: any) => [r.event.value.type, r.event.value.value]);
}
export function allEvents(): Array<[string, string]> {
  return Events.get().map((r: any) => [r.event.type, r.event.value.type]);
}
