/**
 * A small test parachain (as cumulus's parachain template composes it, without XCM execution): System(0),
 * ParachainSystem(1), Balances(10), TransactionPayment(11), XcmpQueue(30), MessageQueue(33), wired by
 * `parachainMessagingConfigs`; MessageQueue's processor records what it would execute. Blocks go through the
 * executive with the `sysi1337` inherent, as a collator builds them, and can be re-imported.
 */
import { type Header, headerHash } from '../../../src/block/header.ts';
import { encodeExtrinsic } from '../../../src/extrinsic/unchecked-extrinsic.ts';
import { substrateScheme } from '../../../src/extrinsic/signature-scheme.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { type Weight, weight } from '../../../src/frame/weights.ts';
import { Balances } from '../../../src/pallets/balances/index.ts';
import {
  MessageQueue,
  type ProcessMessageArgs,
  type ProcessMessageOutcome,
} from '../../../src/pallets/message-queue/index.ts';
import {
  type AggregateMessageOrigin,
  type CandidateOutputs,
  candidateOutputs,
  collectCollationInfoApi,
  ParachainSystem,
  type ParachainInherentData,
  parachainInherentDataEntry,
  type ParachainMessagingOptions,
  parachainMessagingConfigs,
  parachainSystemInherent,
} from '../../../src/pallets/parachain-system/index.ts';
import { Events, System } from '../../../src/pallets/system/pallet.ts';
import { TransactionPayment } from '../../../src/pallets/transaction-payment/index.ts';
import { XcmpQueue } from '../../../src/pallets/xcmp-queue/index.ts';
import { defineChainRuntime } from '../../../src/runtimes/chain-runtime.ts';
import {
  devBalancesConfig,
  devExtensions,
  devSystemConfig,
  devTransactionPaymentConfig,
} from '../../../src/runtimes/dev/config.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { memoryGenesis } from '../../support/memory-genesis.ts';

export const PARA_ID = 2000;
export const PALLETS = {
  System: 0,
  ParachainSystem: 1,
  Balances: 10,
  TransactionPayment: 11,
  XcmpQueue: 30,
  MessageQueue: 33,
};

/** What the processor saw: [origin, message bytes]. */
export type Executed = Array<[AggregateMessageOrigin, Uint8Array]>;

export function makeTestParachain(opts: Partial<ParachainMessagingOptions> & { executed?: Executed } = {}) {
  const executed = opts.executed ?? [];
  const process = ({
    message,
    origin,
    meter,
  }: ProcessMessageArgs<AggregateMessageOrigin>): ProcessMessageOutcome => {
    const required = weight(1_000_000, 100);
    if (!meter.canConsume(required)) return { ok: false, error: { type: 'Overweight', value: required } };
    executed.push([origin, message]);
    return { ok: true, success: true, weightUsed: required };
  };
  const configs = parachainMessagingConfigs({
    selfParaId: PARA_ID,
    processMessage: process,
    heapSize: 64 * 1024,
    serviceWeight: weight(100_000_000_000, 1_000_000),
    reservedXcmpWeight: weight(500_000_000_000, 1_000_000),
    reservedDmpWeight: weight(500_000_000_000, 1_000_000),
    ...opts,
  });
  const chain = defineChainRuntime({
    pallets: [
      [PALLETS.System, System, devSystemConfig],
      [PALLETS.ParachainSystem, ParachainSystem, configs.parachainSystem],
      [PALLETS.Balances, Balances, devBalancesConfig],
      [PALLETS.TransactionPayment, TransactionPayment, devTransactionPaymentConfig],
      [PALLETS.XcmpQueue, XcmpQueue, configs.xcmpQueue],
      [PALLETS.MessageQueue, MessageQueue, configs.messageQueue],
    ],
    version: {
      spec_name: 'test-parachain',
      impl_name: 'test-parachain',
      authoring_version: 1,
      spec_version: 1,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
    scheme: substrateScheme,
    extensions: devExtensions,
    inherents: [parachainSystemInherent],
    apis: [collectCollationInfoApi],
  });
  return { chain, executed, configs };
}

export interface BuiltBlock {
  header: Header;
  extrinsics: Uint8Array[];
  outputs: CandidateOutputs;
  events: Array<[string, string, any]>;
}

/** A test parachain with its state and head; blocks are built on the head and applied to the backend. */
export class TestParachain {
  readonly chain: ReturnType<typeof makeTestParachain>['chain'];
  readonly executed: Executed;
  readonly backend: MemoryBackend;
  head: Header;
  headHash: Uint8Array;

  constructor(opts: Parameters<typeof makeTestParachain>[0] = {}) {
    const made = makeTestParachain(opts);
    this.chain = made.chain;
    this.executed = made.executed;
    const g = memoryGenesis(this.chain.runtime.buildGenesis());
    this.backend = g.backend;
    this.head = g.genesis;
    this.headHash = g.genesisHash;
  }

  /** Reads (or writes, without keeping) state at the head. */
  read<T>(fn: () => T): T {
    return this.chain.runtime.execute(new Overlay(this.backend), fn);
  }

  /** Runs `fn` on the head state and keeps its writes (set-up outside a block). */
  write<T>(fn: () => T): T {
    const overlay = new Overlay(this.backend);
    const out = this.chain.runtime.execute(overlay, fn);
    this.backend.apply(overlay.drainChanges());
    return out;
  }

  /**
   * Builds the next block with `data` as its validation data (plus `calls` dispatched as bare/root calls inside the
   * block, for tests) and makes it the head. Throws what the runtime throws (an invalid block is not built).
   */
  buildBlock(
    data: ParachainInherentData | undefined,
    during?: () => void,
    rawInherent?: RuntimeCallValue,
  ): BuiltBlock {
    const { executive, runtime, format } = this.chain;
    const overlay = new Overlay(this.backend);
    const header: Header = {
      parentHash: this.headHash,
      number: this.head.number + 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    const out = runtime.execute(overlay, () => {
      executive.initializeBlock(header);
      const extrinsics = rawInherent
        ? [encodeExtrinsic(format, { call: rawInherent })]
        : data
          ? executive.inherentExtrinsics(new Map([parachainInherentDataEntry(data)]))
          : [];
      for (const xt of extrinsics) {
        const r = executive.applyExtrinsic(xt);
        if (!('ok' in r) || !('ok' in r.ok)) throw new Error(`inherent failed: ${JSON.stringify(r)}`);
      }
      during?.();
      const events = Events.get().map(
        (rec: any) => [rec.event.type, rec.event.value.type, rec.event.value.value] as [string, string, any],
      );
      const finalHeader = executive.finalizeBlock();
      return { header: finalHeader, extrinsics, outputs: candidateOutputs(), events };
    });
    this.backend.apply(overlay.drainChanges());
    this.head = out.header;
    this.headHash = headerHash(out.header);
    return out;
  }

  /** A copy of the head state (to import a block onto later). */
  snapshot(): MemoryBackend {
    return new MemoryBackend(this.backend.entries());
  }

  /** Re-executes `block` on `backend` (its parent's state) as an importing node would; throws if invalid. */
  importOnto(backend: MemoryBackend, block: { header: Header; extrinsics: Uint8Array[] }): void {
    const { executive, runtime } = this.chain;
    runtime.execute(new Overlay(backend), () => executive.executeBlock(block));
  }
}

export type { Weight };
