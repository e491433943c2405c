/**
 * XCM pieces every runtime of the devnet shares: the pallet-xcm instances (`XcmPallet` on the relay, `PolkadotXcm`
 * on parachains, as Polkadot names them), the `ForeignAssets` instance (pallet-assets keyed by the token's XCM
 * Location, as Asset Hub holds foreign tokens), the tokens of the network as XCM Locations, the weigher, and the
 * message processor the message queues call (the executor through xcm-builder's `ProcessXcmMessage`, which also
 * says in an event why a message failed: `ProcessXcmError`, and `BarrierRejected` naming the barrier).
 */
import { DispatchFailure } from '../frame/dispatch-error.ts';
import type { RuntimeApiImpl } from '../frame/runtime-version.ts';
import type { Runtime } from '../frame/runtime.ts';
import { defineAssets } from '../pallets/assets/index.ts';
import { BalancesCurrency } from '../pallets/balances/index.ts';
import type { ProcessMessageArgs, ProcessMessageOutcome } from '../pallets/message-queue/index.ts';
import { definePalletXcm, xcmDryRunApi, xcmPaymentApi } from '../pallets/xcm/index.ts';
import { fixedWeightBounds, type ProcessXcmDetails, processXcmMessage } from '../xcm/builder/index.ts';
import { describeBarrierRejection, type XcmExecutorConfig } from '../xcm/executor/index.ts';
import { type Location, LocationCodec, parent, siblingParachain } from '../xcm/index.ts';
import { PARACHAINS } from './parachain/chains.ts';

export const XcmPallet = definePalletXcm({ name: 'XcmPallet' });
export const PolkadotXcm = definePalletXcm({ name: 'PolkadotXcm' });
export type PalletXcmInstance = typeof PolkadotXcm;

/** Foreign tokens on a parachain: one pallet-assets instance keyed by the token's Location (Asset Hub's). */
export const ForeignAssets = defineAssets<Location>({
  name: 'ForeignAssets',
  assetId: LocationCodec,
  compactId: false,
});

/** polkadot-sdk's parachain template: UnitWeightCost (1_000_000_000, 64 KiB), MaxInstructions 100. */
export const XCM_UNIT_WEIGHT = { refTime: 1_000_000_000, proofSize: 65_536 };
export const xcmWeigher = fixedWeightBounds(XCM_UNIT_WEIGHT, 100);
/** `MaxAssetsIntoHolding`. */
export const MAX_ASSETS_INTO_HOLDING = 64;

/** A token of the network as a parachain sees it, with what a chain needs to register it. */
export interface NetworkToken {
  /** Its Location from any parachain: the relay's DOT is `(1, Here)`, a parachain's token `(1, [Parachain(id)])`. */
  location: Location;
  /** The chain that is its reserve (`undefined` = the relay chain). */
  paraId: number | undefined;
  symbol: string;
  name: string;
  decimals: number;
}

export const DOT_TOKEN: NetworkToken = {
  location: parent(),
  paraId: undefined,
  symbol: 'DOT',
  name: 'Polkadot',
  decimals: 10,
};

/** DOT and every parachain's native token, as siblings name them. */
export const NETWORK_TOKENS: readonly NetworkToken[] = [
  DOT_TOKEN,
  ...PARACHAINS.map((p) => ({
    location: siblingParachain(p.paraId),
    paraId: p.paraId,
    symbol: p.token,
    name: p.name,
    decimals: p.decimals,
  })),
];

/**
 * What each chain's reserve holds in genesis for each other chain (its sovereign account there), in whole tokens,
 * and so what the first dev account of that other chain holds of the token as a foreign asset: DOT on the relay
 * in each parachain's "para" account, a parachain's token in each sibling's "sibl" account. Derivatives are
 * exactly backed from block 0.
 */
export const GENESIS_RESERVE_TOKENS = 10_000n;

/** What buying one second of ref time costs in a foreign token at the devnet's fixed rate: 0.1 token. */
export function unitsPerSecond(decimals: number): bigint {
  return 10n ** BigInt(decimals) / 10n;
}

/**
 * `UsingComponents`' `OnUnbalanced` as `ResolveTo<Treasury>`: the native fee a message paid goes to `account`, or
 * stays burned when it cannot (below the existential deposit into an account that does not exist). Never an error:
 * the trader settles after the message ran, and a throw there would fail the block that executes it — every block,
 * as the message stays queued.
 */
export function nativeFeesTo(account: Uint8Array): (amount: bigint) => void {
  return (amount) => {
    try {
      BalancesCurrency.mint(account, amount);
    } catch (err) {
      if (!(err instanceof DispatchFailure)) throw err;
    }
  };
}

/**
 * The message queues' processor: decodes (with polkadot-sdk's limits), weighs and executes the message from
 * `toLocation(origin)`. A refused or failed message is said in an event that survives the processor's rollback:
 * `BarrierRejected { origin, message_id, barrier }` naming the barriers that refused it, or `ProcessXcmError
 * { origin, error, message_id }`.
 */
export function xcmMessageProcessor<O>(
  config: () => XcmExecutorConfig,
  toLocation: (origin: O) => Location,
  pallet: PalletXcmInstance,
): (args: ProcessMessageArgs<O>) => ProcessMessageOutcome {
  let process: ReturnType<typeof processXcmMessage> | undefined;
  return ({ message, origin, meter, id }) => {
    process ??= processXcmMessage(config());
    const location = toLocation(origin);
    const details: ProcessXcmDetails = {};
    const outcome = process(location, message, meter, id, details);
    const messageId = id.slice();
    const rejection = details.execution?.barrierRejection;
    const o = details.execution?.outcome;
    const explain = (): void => {
      if (rejection)
        pallet.Event.deposit({
          type: 'BarrierRejected',
          value: {
            origin: location,
            message_id: messageId,
            barrier: new TextEncoder().encode(describeBarrierRejection(rejection)),
          },
        });
      else if (o && o.type !== 'Complete')
        pallet.Event.deposit({
          type: 'ProcessXcmError',
          value: {
            origin: location,
            error: o.type === 'Error' ? o.value.error : o.value.error.error,
            message_id: messageId,
          },
        });
    };
    if (!outcome.ok) return { ...outcome, afterRollback: explain };
    if (!outcome.success) explain();
    return outcome;
  };
}

/** XcmPaymentApi and the XCM-aware DryRunApi of a runtime with pallet-xcm. */
export function xcmRuntimeApis(pallet: PalletXcmInstance): {
  apis: RuntimeApiImpl[];
  dryRunApi: (runtime: Runtime) => RuntimeApiImpl;
} {
  return { apis: [xcmPaymentApi(pallet)], dryRunApi: (runtime) => xcmDryRunApi(runtime, pallet) };
}
