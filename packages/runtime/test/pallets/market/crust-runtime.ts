/**
 * A small Crust-like runtime for the market, swork and storage challenge tests (FRAME's mock.rs): System, Timestamp,
 * Balances, TransactionPayment, Swork (25) and Market (26) at Crust mainnet's indices, a test Benefits pallet (28)
 * holding market collateral and unclaimed rewards (what Crust's `benefits` pallet gives the market), and
 * StorageChallenge (40). Durations are short so a file lives its whole life in a few dozen blocks. Blocks go through
 * the executive; calls are dispatched in a block as signed/root origins (or submitted as real extrinsics).
 */
import { sr25519PairFromSeed, sr25519Sign } from '@polkadot/util-crypto';
import { type Header, headerHash } from '../../../src/block/header.ts';
import { initCrypto } from '../../../src/crypto/index.ts';
import { Executive } from '../../../src/executive/executive.ts';
import { frameSystem } from '../../../src/executive/frame-system.ts';
import { executiveApis } from '../../../src/executive/runtime-apis.ts';
import { ExtensionPipeline } from '../../../src/extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../../src/extrinsic/extensions/standard.ts';
import { substrateScheme } from '../../../src/extrinsic/signature-scheme.ts';
import { extrinsicMetadataInfo } from '../../../src/extrinsic/unchecked-extrinsic.ts';
import { AccountId } from '../../../src/frame/account.ts';
import { noneOrigin, rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { pallet, type RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { defineRuntime, type DispatchOutcome, type Runtime } from '../../../src/frame/runtime.ts';
import {
  EXTRINSIC_BASE_WEIGHT,
  ROCKS_DB_WEIGHT,
  blockLengthWithNormalRatio,
  blockWeightsFor,
  weight,
} from '../../../src/frame/weights.ts';
import { state } from '../../../src/frame/env.ts';
import { metadataApi } from '../../../src/metadata/api.ts';
import { Balances, BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import {
  type BenefitInterface,
  CRUST_MARKET_DEFAULTS,
  Market,
  type MarketConfig,
  marketInterface,
  marketReplicaAccess,
} from '../../../src/pallets/market/index.ts';
import {
  challengeReplicaObserver,
  StorageChallenge,
  type StorageChallengeConfig,
} from '../../../src/pallets/storage-challenge/index.ts';
import {
  buildWorkReport,
  CRUST_SWORK_DEFAULTS,
  type ReportedFile,
  registerPayload,
  signWorkReport,
  Swork,
  type SworkConfig,
  sworkChallengeAccess,
  sworkerInterface,
} from '../../../src/pallets/swork/index.ts';
import { BlockHash, Events, System, type SystemConfig } from '../../../src/pallets/system/index.ts';
import { Timestamp, timestampInherent, timestampInherentData } from '../../../src/pallets/timestamp/index.ts';
import {
  burnFees,
  fungibleFeeAdapter,
  linearWeightToFee,
  TransactionPayment,
  transactionPaymentFees,
  type TransactionPaymentConfig,
} from '../../../src/pallets/transaction-payment/index.ts';
import { memoryStorageRoot } from '../../../src/runtimes/state-root.ts';
import { struct } from '../../../src/scale/composite.ts';
import { u128 } from '../../../src/scale/primitives.ts';
import { keyToString } from '../../../src/state/keys.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { memoryGenesis } from '../../support/memory-genesis.ts';
import { twox128 } from '../../../src/crypto/hashing.ts';

export const ready = initCrypto();

export const UNIT = 10n ** 12n;
export const ED = 10n ** 7n; // Crust: 10 MILLICENTS
export const INDEX = {
  System: 0,
  Timestamp: 1,
  Balances: 2,
  TransactionPayment: 3,
  Swork: 25,
  Market: 26,
  Benefits: 28,
  StorageChallenge: 40,
} as const;

// ---- a test Benefits pallet: collateral and unclaimed file rewards per group owner ---------------------------------

const b = pallet('Benefits', { module: 'test_benefits' });
export const MarketBenefits = b.map(
  'MarketBenefits',
  ['Blake2_128Concat', AccountId],
  struct({ active_funds: u128, file_reward: u128 }),
  { default: { active_funds: 0n, file_reward: 0n } },
);
export const Benefits = b.build({
  genesis: {
    default: () => ({ collateral: [] as Array<[Uint8Array, bigint]> }),
    build(g: { collateral: Array<[Uint8Array, bigint]> }) {
      for (const [who, amount] of g.collateral)
        MarketBenefits.set(who, { active_funds: amount, file_reward: 0n });
    },
  },
});
export const testBenefits: BenefitInterface = {
  collateralAndReward(who) {
    const m = MarketBenefits.get(who);
    return [m.active_funds, m.file_reward];
  },
  updateReward(who, value) {
    MarketBenefits.mutate(who, (m) => {
      m.file_reward = value;
    });
  },
};

// ---- the runtime --------------------------------------------------------------------------------------------------

/** Short durations: 10-block report slots, files live 40 blocks, spower ready after 20. */
export const TEST_MARKET: Omit<MarketConfig, 'currency' | 'sworker' | 'benefits'> = {
  ...CRUST_MARKET_DEFAULTS,
  reportSlot: 10,
  fileDuration: 40,
  liquidityDuration: 10,
  spowerReadyPeriod: 20,
  priceUpdateOffset: 3,
  baseFeeUpdateOffset: 2,
  enableMarket: true,
};
export const TEST_SWORK: Omit<SworkConfig, 'market'> = {
  ...CRUST_SWORK_DEFAULTS,
  reportSlot: 10,
  updateOffset: 5,
  endOffset: 1,
  punishmentSlots: 2,
};
export const TEST_CHALLENGE = { challengePeriod: 0, responseDeadline: 5 };

const systemConfig: SystemConfig = {
  blockWeights: blockWeightsFor({
    maxBlock: weight(2_000_000_000_000, 5 * 1024 * 1024),
    normalRatio: 0.75,
    avgOnInitializeRatio: 0.05,
  }),
  blockLength: blockLengthWithNormalRatio(5 * 1024 * 1024, 0.75),
  blockHashCount: 2400,
  dbWeight: ROCKS_DB_WEIGHT,
  ss58Prefix: 66,
};
const tpConfig: TransactionPaymentConfig = {
  weightToFee: linearWeightToFee(10n ** 9n, EXTRINSIC_BASE_WEIGHT),
  transactionByteFee: 10n ** 6n,
  operationalFeeMultiplier: 5,
  onChargeTransaction: fungibleFeeAdapter(BalancesCurrency, burnFees(BalancesCurrency)),
};
export const extensions = new ExtensionPipeline(STANDARD_EXTENSIONS);

export interface CrustRuntimeOptions {
  market?: Partial<MarketConfig>;
  swork?: Partial<SworkConfig>;
  challenge?: Partial<StorageChallengeConfig>;
}

export function makeCrustRuntime(opts: CrustRuntimeOptions = {}) {
  let executive: Executive | undefined;
  const marketConfig: MarketConfig = {
    ...TEST_MARKET,
    currency: BalancesCurrency,
    sworker: sworkerInterface,
    benefits: testBenefits,
    replicaObserver: challengeReplicaObserver,
    ...opts.market,
  };
  const runtime = defineRuntime({
    pallets: [
      [INDEX.System, System, systemConfig],
      [INDEX.Timestamp, Timestamp, { minimumPeriod: 3_000n }],
      [INDEX.Balances, Balances, { existentialDeposit: ED, maxLocks: 50, maxReserves: 50, maxFreezes: 8 }],
      [INDEX.TransactionPayment, TransactionPayment, tpConfig],
      [INDEX.Swork, Swork, { ...TEST_SWORK, market: marketInterface, benefits: testBenefits, ...opts.swork }],
      [INDEX.Market, Market, marketConfig],
      [INDEX.Benefits, Benefits, {}],
      [
        INDEX.StorageChallenge,
        StorageChallenge,
        { ...TEST_CHALLENGE, market: marketReplicaAccess, swork: sworkChallengeAccess, ...opts.challenge },
      ],
    ] as const,
    version: {
      spec_name: 'crust-test',
      impl_name: 'xstorage',
      authoring_version: 1,
      spec_version: 1,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
    apis: [
      metadataApi,
      ...executiveApis({ scheme: substrateScheme, extensions, executive: () => executive! }),
    ],
    extrinsic: extrinsicMetadataInfo({ scheme: substrateScheme, extensions }),
  });
  const format = { scheme: substrateScheme, call: runtime.callCodec, extensions };
  executive = new Executive({
    runtime,
    format,
    system: frameSystem(runtime, systemConfig),
    fees: transactionPaymentFees(tpConfig),
    storageRoot: memoryStorageRoot,
    inherents: [timestampInherent],
  });
  return { runtime, executive, format };
}

// ---- accounts and workers -----------------------------------------------------------------------------------------

/** A plain account `[n; 32]`. */
export const acc = (n: number): Uint8Array => new Uint8Array(32).fill(n);

export const CODE = new Uint8Array(32).fill(0xc0);

export interface Worker {
  account: Uint8Array;
  pair: { publicKey: Uint8Array; secretKey: Uint8Array };
  pk: Uint8Array;
  /** Files the worker reported as held. */
  files: Map<string, { cid: string; size: bigint }>;
}

/** A worker: account `[n; 32]` and an sr25519 worker key from seed `[n; 32]` xor 0x55. */
export function makeWorker(n: number): Worker {
  const pair = sr25519PairFromSeed(new Uint8Array(32).fill(n ^ 0x55));
  return { account: acc(n), pair, pk: pair.publicKey, files: new Map() };
}

export function registerArgs(w: Worker, code = CODE) {
  const sig = sr25519Sign(registerPayload(code, w.account, w.pk), w.pair);
  return { applier: w.account, code, pubkey: w.pk, sig };
}

// ---- the chain ----------------------------------------------------------------------------------------------------

export interface BlockCtx {
  number: number;
  dispatch(call: RuntimeCallValue, who?: Uint8Array): DispatchOutcome;
  root(call: RuntimeCallValue): DispatchOutcome;
  none(call: RuntimeCallValue): DispatchOutcome;
}

export interface EventRecord {
  pallet: string;
  name: string;
  fields: any;
}

export class CrustChain {
  readonly rt: ReturnType<typeof makeCrustRuntime>;
  readonly runtime: Runtime;
  backend: ReturnType<typeof memoryGenesis>['backend'];
  head: Header;
  headHash: Uint8Array;
  genesisHash: Uint8Array;
  nextTime = 1_700_000_000_000n;
  /** Events of the last block. */
  events: EventRecord[] = [];

  constructor(
    genesis: {
      balances?: Array<[Uint8Array, bigint]>;
      collateral?: Array<[Uint8Array, bigint]>;
      codes?: Array<[Uint8Array, number]>;
      fileBaseFee?: bigint;
    } = {},
    opts: CrustRuntimeOptions = {},
  ) {
    this.rt = makeCrustRuntime(opts);
    this.runtime = this.rt.runtime;
    const overlay = this.runtime.buildGenesis({
      Balances: { balances: genesis.balances ?? [] },
      Benefits: { collateral: genesis.collateral ?? [] },
      Swork: { init_codes: genesis.codes ?? [[CODE, 1_000_000]] },
      Market: { fileBaseFee: genesis.fileBaseFee },
    });
    const g = memoryGenesis(overlay);
    this.backend = g.backend;
    this.head = g.genesis;
    this.headHash = g.genesisHash;
    this.genesisHash = g.genesisHash;
  }

  get number(): number {
    return this.head.number;
  }

  /** Builds the next block: timestamp inherent, then `fn`'s dispatches (and `xts`), then finalize. */
  block<T>(
    fn?: (ctx: BlockCtx) => T,
    xts: Uint8Array[] = [],
  ): { result: T | undefined; events: EventRecord[]; xtResults: unknown[] } {
    const { executive } = this.rt;
    const overlay = new Overlay(this.backend);
    const number = this.head.number + 1;
    const header: Header = {
      parentHash: this.headHash,
      number,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    const out = this.runtime.execute(overlay, () => {
      executive.initializeBlock(header);
      const [k, v] = timestampInherentData(this.nextTime);
      for (const inh of executive.inherentExtrinsics(new Map([[k, v]]))) executive.applyExtrinsic(inh);
      const ctx: BlockCtx = {
        number,
        dispatch: (call, who) => this.runtime.dispatch(call, who ? signedOrigin(who) : rootOrigin()),
        root: (call) => this.runtime.dispatch(call, rootOrigin()),
        none: (call) => this.runtime.dispatch(call, noneOrigin()),
      };
      const result = fn?.(ctx);
      const xtResults = xts.map((xt) => executive.applyExtrinsic(xt));
      const events = Events.get().map((r: any) => ({
        pallet: r.event.type as string,
        name: r.event.value.type as string,
        fields: r.event.value.value,
      }));
      return { result, events, xtResults, header: executive.finalizeBlock() };
    });
    this.backend.apply(overlay.drainChanges());
    this.head = out.header;
    this.headHash = headerHash(out.header);
    this.nextTime += 6_000n;
    this.events = out.events;
    return out;
  }

  /** Builds empty blocks until the head is `n`; returns every event on the way. */
  runTo(n: number): EventRecord[] {
    const all: EventRecord[] = [];
    while (this.head.number < n) all.push(...this.block().events);
    return all;
  }

  read<T>(fn: () => T): T {
    return this.runtime.execute(new Overlay(this.backend), fn);
  }

  /** Every storage entry under a pallet's prefix (hex key → hex value), to show a call changed nothing. */
  palletState(...pallets: string[]): Map<string, string> {
    return this.read(() => {
      const out = new Map<string, string>();
      for (const name of pallets) {
        const prefix = keyToString(twox128(new TextEncoder().encode(name)));
        for (const k of state().keysWithPrefixK(prefix))
          out.set(Buffer.from(k, 'latin1').toString('hex'), Buffer.from(state().getK(k)!).toString('hex'));
      }
      return out;
    });
  }

  slotHash(slot: number): Uint8Array {
    return this.read(() => BlockHash.get(slot))!;
  }

  /** The current report slot of the next block. */
  currentSlot(slotLength = TEST_SWORK.reportSlot): number {
    return Math.floor((this.head.number + 1) / slotLength) * slotLength;
  }
}

/** A signed work report of `w` for the current slot: its held files change by `added`/`deleted`. */
export function workReport(
  chain: CrustChain,
  w: Worker,
  change: {
    added?: ReportedFile[];
    deleted?: ReportedFile[];
    slot?: number;
    srdSize?: bigint;
    abUpgradePk?: Uint8Array;
  } = {},
) {
  const slot = change.slot ?? chain.currentSlot();
  for (const f of change.added ?? [])
    w.files.set(String(f.cid), { cid: String(f.cid), size: BigInt(f.size) });
  for (const f of change.deleted ?? []) w.files.delete(String(f.cid));
  const built = buildWorkReport({
    currPk: w.pk,
    abUpgradePk: change.abUpgradePk,
    slot,
    slotHash: chain.slotHash(slot),
    files: [...w.files.values()],
    added: change.added,
    deleted: change.deleted,
    srd: { size: change.srdSize ?? 1n << 30n, root: new Uint8Array(32).fill(7) },
  });
  return signWorkReport(built, (m) => sr25519Sign(m, w.pair));
}

export const ids = INDEX;
