/**
 * A small test relay runtime (FRAME's `mock.rs`): System, Timestamp, Balances, TransactionPayment and the parachain
 * pallets at Polkadot's indices, with //Alice as the one validator, three parachains (2000, 2004, 2008) and a chain
 * harness that builds relay blocks with the timestamp and paras inherents, and builds backed candidates the way a
 * collator and a validator would (PVD read from the relay parent, collator and backing signatures).
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { type Header, headerHash } from '../../../src/block/header.ts';
import { blake2_256, initCrypto } from '../../../src/crypto/index.ts';
import { substrateScheme } from '../../../src/extrinsic/signature-scheme.ts';
import { state } from '../../../src/frame/env.ts';
import type { Origin } from '../../../src/frame/origin.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { Balances, BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import {
  Configuration,
  Dmp,
  devnetHostConfiguration,
  type HostConfiguration,
  Hrmp,
  POLKADOT_PARACHAIN_PALLET_INDICES as I,
  Initializer,
  ParaInclusion,
  ParaInherent,
  Paras,
  ParasShared,
  parachainHostApi,
  parachainsInherentData,
  paraInherentProvider,
  persistedValidationData,
  sessionIndexForChild,
  type UpwardQueueFootprint,
} from '../../../src/pallets/relay/index.ts';
import { Events, System } from '../../../src/pallets/system/pallet.ts';
import { Timestamp, timestampInherent, timestampInherentData } from '../../../src/pallets/timestamp/index.ts';
import { TransactionPayment } from '../../../src/pallets/transaction-payment/index.ts';
import {
  type BackedCandidate,
  type CandidateCommitments,
  type CommittedCandidateReceipt,
  candidateHash,
  collatorSignaturePayload,
  compactStatementPayload,
  headDataHash,
  type ParaId,
  paraSovereignAccount,
  persistedValidationDataHash,
  validationCodeHash,
} from '../../../src/parachains/index.ts';
import { defineChainRuntime } from '../../../src/runtimes/chain-runtime.ts';
import { devAccounts } from '../../../src/runtimes/dev-accounts.ts';
import {
  relayBalancesConfig,
  relayExtensions,
  relaySystemConfig,
  relayTimestampConfig,
  relayTransactionPaymentConfig,
} from '../../../src/runtimes/relay/config.ts';
import { memoryStorageRoot } from '../../../src/runtimes/state-root.ts';
import type { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { memoryGenesis } from '../../support/memory-genesis.ts';

export const ready = initCrypto();

export const PARAS: readonly ParaId[] = [2000, 2004, 2008];
export const codeOf = (id: ParaId) => new TextEncoder().encode(`xstorage-test-para-runtime:${id}`);
export const genesisHeadOf = (id: ParaId) => new TextEncoder().encode(`genesis-head:${id}`);
export const DOT = 10n ** 10n;

export interface RelayOptions {
  config?: Partial<HostConfiguration>;
  sessionLength?: number;
  preopen?: Array<[ParaId, ParaId, number, number]>;
  /** Extra validators (sr25519 public keys) after //Alice. */
  validators?: Uint8Array[];
  /** HRMP notifications as downward messages (their text stands in for the XCM). */
  notifications?: boolean;
  /** What the relay's upward queue holds per para (default: empty). */
  upwardQueue?: (para: ParaId) => UpwardQueueFootprint;
}

export function makeRelayRuntime(opts: RelayOptions = {}) {
  const received: Array<{ para: ParaId; messages: Uint8Array[] }> = [];
  const chain = defineChainRuntime({
    pallets: [
      [0, System, relaySystemConfig],
      [3, Timestamp, relayTimestampConfig],
      [5, Balances, relayBalancesConfig],
      [32, TransactionPayment, relayTransactionPaymentConfig],
      [I.Configuration, Configuration, {}],
      [I.ParasShared, ParasShared, {}],
      [
        I.ParaInclusion,
        ParaInclusion,
        {
          receiveUpward: (para: ParaId, messages: Uint8Array[]) => received.push({ para, messages }),
          upwardQueueFootprint: opts.upwardQueue,
        },
      ],
      [I.ParaInherent, ParaInherent, {}],
      [I.Paras, Paras, {}],
      [I.Initializer, Initializer, { sessionLength: opts.sessionLength ?? 5 }],
      [I.Dmp, Dmp, {}],
      [
        I.Hrmp,
        Hrmp,
        {
          currency: {
            reserve: (who: Uint8Array, amount: bigint) => BalancesCurrency.reserve(who, amount),
            unreserve: (who: Uint8Array, amount: bigint) => BalancesCurrency.unreserve(who, amount),
          },
          notification: opts.notifications
            ? (dest: ParaId, n: { type: string }) => new TextEncoder().encode(`${n.type}→${dest}`)
            : undefined,
        },
      ],
    ],
    version: {
      spec_name: 'xstorage-relay-test',
      impl_name: 'xstorage',
      authoring_version: 0,
      spec_version: 1,
      impl_version: 0,
      transaction_version: 1,
      system_version: 1,
    },
    scheme: substrateScheme,
    extensions: relayExtensions,
    inherents: [timestampInherent, paraInherentProvider],
    apis: [parachainHostApi({ storageRoot: () => memoryStorageRoot(state(), 1) })],
  });
  return { ...chain, received };
}

export type RelayRuntime = ReturnType<typeof makeRelayRuntime>;

export interface BlockOutcome {
  header: Header;
  events: Array<{ pallet: string; name: string; fields: any }>;
}

export class RelayChain {
  readonly keyring = new Keyring({ type: 'sr25519' });
  readonly alice: KeyringPair = this.keyring.addFromUri('//Alice');
  readonly collator: KeyringPair = this.keyring.addFromUri('//Collator');
  readonly rt: RelayRuntime;
  readonly backend: MemoryBackend;
  head: Header;
  headHash: Uint8Array;
  time = 1_700_000_000_000n;
  /** Header of every block by number (the relay parents candidates may use). */
  readonly headers = new Map<number, Header>();

  constructor(opts: RelayOptions = {}, genesisExtra: Record<string, unknown> = {}) {
    this.rt = makeRelayRuntime(opts);
    const accounts = Object.values(devAccounts());
    const endowed: Array<[Uint8Array, bigint]> = accounts.map((a) => [a, 1_000_000n * DOT]);
    for (const id of PARAS) endowed.push([paraSovereignAccount(id), 1_000n * DOT]);
    const overlay = this.rt.runtime.buildGenesis({
      Balances: { balances: endowed },
      Configuration: { config: devnetHostConfiguration(opts.config) },
      ParasShared: { validators: [this.alice.publicKey, ...(opts.validators ?? [])] },
      Paras: { paras: PARAS.map((id) => ({ id, head: genesisHeadOf(id), validationCode: codeOf(id) })) },
      Hrmp: { preopenHrmpChannels: opts.preopen ?? [] },
      ...genesisExtra,
    });
    const g = memoryGenesis(overlay);
    this.backend = g.backend;
    this.head = g.genesis;
    this.headHash = g.genesisHash;
    this.headers.set(0, g.genesis);
  }

  /** Runs `fn` against the head state (reads; writes are discarded). */
  read<T>(fn: () => T): T {
    return this.rt.runtime.execute(new Overlay(this.backend), fn);
  }

  /**
   * Builds the next relay block: timestamp and paras inherents (with `candidates`), then `during()` inside the block
   * (dispatching calls with any origin, queueing downward messages...). The new state becomes the head.
   */
  block(
    opts: { candidates?: BackedCandidate[]; during?: () => void; parentHeader?: Header } = {},
  ): BlockOutcome {
    const { executive, runtime } = this.rt;
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
      const data = new Map([
        timestampInherentData(this.time),
        parachainsInherentData({
          bitfields: [],
          backed_candidates: opts.candidates ?? [],
          disputes: [],
          parent_header: opts.parentHeader ?? this.head,
        }),
      ]);
      for (const xt of executive.inherentExtrinsics(data)) {
        const r = executive.applyExtrinsic(xt);
        if (!('ok' in r) || !('ok' in r.ok))
          throw new Error(`inherent failed: ${JSON.stringify(r, bigintJson)}`);
      }
      opts.during?.();
      const events = Events.get().map((rec: any) => ({
        pallet: rec.event.type as string,
        name: rec.event.value.type as string,
        fields: rec.event.value.value,
      }));
      return { header: executive.finalizeBlock(), events };
    });
    this.backend.apply(overlay.drainChanges());
    this.head = out.header;
    this.headHash = headerHash(out.header);
    this.headers.set(out.header.number, out.header);
    this.time += 6_000n;
    return out;
  }

  /** Runs blocks until the head is block `n`. */
  runTo(n: number): void {
    while (this.head.number < n) this.block();
  }

  /** Dispatches `call` as `origin` (inside `block({ during })`); returns the outcome. */
  dispatch(call: RuntimeCallValue, origin: Origin) {
    return this.rt.runtime.dispatch(call, origin);
  }

  /** Builds a backed candidate for `para` on relay parent `relayParent` (default: the head), signed by //Alice. */
  candidate(
    para: ParaId,
    commitments: Partial<CandidateCommitments> = {},
    opts: {
      relayParent?: Header;
      parentHead?: Uint8Array;
      /** Changes the receipt before the collator signs it. */
      tamper?: (c: CommittedCandidateReceipt) => void;
      /** Changes the receipt after the collator signed it (before backing). */
      tamperSigned?: (c: CommittedCandidateReceipt) => void;
      attestations?: 'none' | 'wrong-validator' | 'explicit';
    } = {},
  ): BackedCandidate {
    const rp = opts.relayParent ?? this.head;
    const rpHash = headerHash(rp);
    const pvd = this.read(() =>
      persistedValidationData(para, { number: rp.number, storageRoot: rp.stateRoot }),
    );
    if (!pvd) throw new Error(`para ${para} unknown`);
    if (opts.parentHead) pvd.parent_head = opts.parentHead;
    const c: CandidateCommitments = {
      upward_messages: [],
      horizontal_messages: [],
      new_validation_code: undefined,
      head_data: this.#nextHead(para),
      processed_downward_messages: 0,
      hrmp_watermark: rp.number,
      ...commitments,
    };
    const descriptor = {
      para_id: para,
      relay_parent: rpHash,
      collator: this.collator.publicKey,
      persisted_validation_data_hash: persistedValidationDataHash(pvd),
      pov_hash: blake2_256(c.head_data),
      erasure_root: new Uint8Array(32),
      signature: new Uint8Array(64),
      para_head: headDataHash(c.head_data),
      validation_code_hash: validationCodeHash(codeOf(para)),
    };
    const receipt: CommittedCandidateReceipt = { descriptor, commitments: c };
    opts.tamper?.(receipt);
    receipt.descriptor.signature = this.collator.sign(collatorSignaturePayload(receipt.descriptor));
    opts.tamperSigned?.(receipt);
    const hash = candidateHash(receipt);
    const ctx = { session_index: this.sessionIndex(), parent_hash: rpHash };
    const signer = opts.attestations === 'wrong-validator' ? this.keyring.addFromUri('//Bob') : this.alice;
    const kind = opts.attestations === 'explicit' ? 'Valid' : 'Seconded';
    const sig = signer.sign(compactStatementPayload(kind, hash, ctx));
    return {
      candidate: receipt,
      validity_votes:
        opts.attestations === 'none'
          ? []
          : [{ type: opts.attestations === 'explicit' ? 'Explicit' : 'Implicit', value: sig }],
      validator_indices: [opts.attestations !== 'none'],
    };
  }

  /** The session the next block is in: what backing statements are signed in (`session_index_for_child`). */
  sessionIndex(): number {
    return this.read(() => sessionIndexForChild());
  }

  #heads = 0;
  /** A fresh 12-byte head: para id, counter, a tag (parachain heads are opaque to the relay). */
  #nextHead(para: ParaId): Uint8Array {
    const out = new Uint8Array(12);
    const v = new DataView(out.buffer);
    v.setUint32(0, para, true);
    v.setUint32(4, ++this.#heads, true);
    out.set([0x68, 0x65, 0x61, 0x64], 8);
    return out;
  }
}

export function bigintJson(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
  return v;
}

export const eventsOf = (out: BlockOutcome, pallet: string, name?: string) =>
  out.events.filter((e) => e.pallet === pallet && (name === undefined || e.name === name));
