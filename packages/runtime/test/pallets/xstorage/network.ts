/**
 * A small in-memory network of the devnet's real runtimes (Crust, Acala, Moonbeam profiles with their devnet
 * genesis) for xstorage's tests: each chain opens blocks with the executive (every on_initialize runs), sees HRMP
 * channels to every sibling (its `RelevantMessagingState`, as the relay's inherent would give it), dispatches calls
 * with a chosen origin, and hands its XCMP outbound pages to the network, which feeds each XCM of a page to the
 * recipient's message processor (the MessageQueue's `processMessage`: barrier, executor, events) with origin
 * `Sibling(sender)`. No relay chain: the road itself is tested in packages/node's devnet tests.
 */
import type { Header } from '../../../src/block/header.ts';
import { blake2_256 } from '../../../src/crypto/hashing.ts';
import { initCrypto } from '../../../src/crypto/index.ts';
import type { Origin } from '../../../src/frame/origin.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import type { ProcessMessageArgs, ProcessMessageOutcome } from '../../../src/pallets/message-queue/index.ts';
import { WeightMeter } from '../../../src/pallets/message-queue/weight-meter.ts';
import {
  type AggregateMessageOrigin,
  RelevantMessagingState,
} from '../../../src/pallets/parachain-system/index.ts';
import { Events } from '../../../src/pallets/system/pallet.ts';
import { takeFirstConcatenatedXcm } from '../../../src/pallets/xcmp-queue/index.ts';
import { takeOutboundMessages } from '../../../src/pallets/xcmp-queue/outbound.ts';
import type { ChainRuntime } from '../../../src/runtimes/chain-runtime.ts';
import { PARACHAINS } from '../../../src/runtimes/parachain/chains.ts';
import { genesisStorage, type RuntimeProfile } from '../../../src/runtimes/profile.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { type VersionedXcm, VersionedXcmCodec } from '../../../src/xcm/index.ts';

export const ready = initCrypto();

/** An event as a test reads it: pallet, variant and fields. */
export interface SeenEvent {
  pallet: string;
  name: string;
  data: any;
}

const CHANNEL = {
  max_capacity: 1000,
  max_total_size: 102_400,
  max_message_size: 102_400,
  msg_count: 0,
  total_size: 0,
  mqc_head: undefined,
};

export class TestChain {
  readonly chain: ChainRuntime;
  readonly backend: MemoryBackend;
  readonly paraId: number;
  number = 0;
  #seen = 0;
  /** Every event since the chain started, in order. */
  readonly log: SeenEvent[] = [];

  constructor(readonly profile: RuntimeProfile) {
    if (profile.role.kind !== 'parachain') throw new Error(`${profile.id} is not a parachain`);
    this.paraId = profile.role.paraId;
    this.chain = profile.make();
    this.backend = new MemoryBackend(genesisStorage(profile));
  }

  get runtime() {
    return this.chain.runtime;
  }

  read<T>(fn: () => T): T {
    return this.runtime.execute(new Overlay(this.backend), fn);
  }

  write<T>(fn: () => T): T {
    const overlay = new Overlay(this.backend);
    const out = this.runtime.execute(overlay, fn);
    this.backend.apply(overlay.drainChanges());
    this.#collect();
    return out;
  }

  /** Opens the next block (on_initialize hooks) with channels to every sibling open. */
  nextBlock(): void {
    const header: Header = {
      parentHash: blake2_256(Uint8Array.of(this.number & 0xff, this.paraId & 0xff)),
      number: this.number + 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    const siblings = PARACHAINS.filter((p) => p.paraId !== this.paraId)
      .map((p) => p.paraId)
      .sort((a, b) => a - b);
    this.#seen = 0;
    this.write(() => {
      this.chain.executive.initializeBlock(header);
      const channel = { ...CHANNEL, mqc_head: undefined as never };
      RelevantMessagingState.set({
        dmq_mqc_head: new Uint8Array(32),
        relay_dispatch_queue_remaining_capacity: { remaining_count: 1000, remaining_size: 1 << 20 },
        ingress_channels: siblings.map((id) => [id, channel]),
        egress_channels: siblings.map((id) => [id, channel]),
      } as never);
    });
    this.number += 1;
  }

  dispatch(call: RuntimeCallValue, origin: Origin): DispatchOutcome {
    return this.write(() => this.runtime.dispatch(call, origin));
  }

  /** The events deposited since they were last taken. */
  takeEvents(): SeenEvent[] {
    const out = this.log.slice(this.#taken);
    this.#taken = this.log.length;
    return out;
  }
  #taken = 0;

  #collect(): void {
    const records = this.read(() => Events.get()) as Array<{ event: { type: string; value: any } }>;
    for (const r of records.slice(this.#seen)) {
      this.log.push({ pallet: r.event.type, name: r.event.value?.type, data: r.event.value?.value });
    }
    this.#seen = records.length;
  }

  /** XCMP pages queued for siblings (as the collator takes them for its candidate). */
  takeOutbound(): Array<[number, Uint8Array]> {
    return this.write(() => takeOutboundMessages(128));
  }

  /** Processes one HRMP page from `sender` (each XCM of it, as the MessageQueue would). */
  receive(sender: number, page: Uint8Array): ProcessMessageOutcome[] {
    if (page[0] !== 0) throw new Error(`page format ${page[0]} is not ConcatenatedVersionedXcm`);
    let rest = page.subarray(1);
    const outcomes: ProcessMessageOutcome[] = [];
    while (rest.length > 0) {
      const next = takeFirstConcatenatedXcm(rest);
      if (!next) throw new Error('undecodable XCM in a page');
      const [message, used] = next;
      rest = rest.subarray(used);
      this.received.push([sender, VersionedXcmCodec.decode(message)]);
      this.senders.push(sender);
      outcomes.push(
        this.write(() => {
          const process = (
            this.runtime.palletConfig('MessageQueue') as {
              processMessage: (a: ProcessMessageArgs<AggregateMessageOrigin>) => ProcessMessageOutcome;
            }
          ).processMessage;
          const outcome = process({
            message,
            origin: { type: 'Sibling', value: sender },
            meter: WeightMeter.unlimited(),
            id: blake2_256(message),
          });
          if (!outcome.ok) outcome.afterRollback?.();
          return outcome;
        }),
      );
    }
    this.outcomes.push(...outcomes);
    return outcomes;
  }

  /** What processing each received XCM gave (in `received` order). */
  readonly outcomes: ProcessMessageOutcome[] = [];
  readonly senders: number[] = [];

  /** Every XCM this chain received: [sender, message]. */
  readonly received: Array<[number, VersionedXcm]> = [];
}

/** Chains by para id; `deliver()` moves every queued page to its recipient until nothing is left. */
export class TestNetwork {
  readonly chains = new Map<number, TestChain>();

  constructor(profiles: RuntimeProfile[]) {
    for (const p of profiles) {
      const c = new TestChain(p);
      this.chains.set(c.paraId, c);
    }
    for (const c of this.chains.values()) c.nextBlock();
  }

  chain(paraId: number): TestChain {
    const c = this.chains.get(paraId);
    if (!c) throw new Error(`no chain ${paraId}`);
    return c;
  }

  /** One hop: every queued page to its recipient, in a new block on every chain; the number of pages moved. */
  step(): number {
    const pages: Array<[number, number, Uint8Array]> = [];
    for (const c of this.chains.values())
      for (const [to, page] of c.takeOutbound()) pages.push([c.paraId, to, page]);
    if (pages.length === 0) return 0;
    for (const c of this.chains.values()) c.nextBlock();
    for (const [from, to, page] of pages) this.chains.get(to)?.receive(from, page);
    return pages.length;
  }

  /** Steps until no chain has anything to send (`rounds` caps it); the pages moved. */
  deliver(rounds = 6): number {
    let moved = 0;
    for (let r = 0; r < rounds; r++) {
      const n = this.step();
      if (n === 0) break;
      moved += n;
    }
    return moved;
  }
}
