/**
 * A mock runtime for the MessageQueue tests (as polkadot-sdk's message-queue `mock.rs`): System + MessageQueue with
 * a cumulus-like origin enum and a processor that reads what to do from the message text, like upstream's
 * `RecordingMessageProcessor`: `weight=N` needs (N, N), a text ending in `badformat`/`corrupt`/`unsupported`/`yield`
 * answers that error, `write=K` writes storage key K (then fails if the text also says `fail`), anything else costs 1.
 */
import { defineRuntime } from '../../../src/frame/runtime.ts';
import { noneOrigin, rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { state } from '../../../src/frame/env.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { type Weight, weight } from '../../../src/frame/weights.ts';
import {
  MessageQueue,
  type MessageQueueConfig,
  type MessageQueueWeightInfo,
  type ProcessMessageArgs,
  type ProcessMessageOutcome,
  type QueueFootprint,
} from '../../../src/pallets/message-queue/index.ts';
import { defaultSystemConfig, System } from '../../../src/pallets/system/index.ts';
import { Events, Number_ } from '../../../src/pallets/system/pallet.ts';
import type { Codec } from '../../../src/scale/codec.ts';
import { enumeration } from '../../../src/scale/composite.ts';
import { u32 } from '../../../src/scale/primitives.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';

export type Origin = { type: 'Here' } | { type: 'Parent' } | { type: 'Sibling'; value: number };
/** Shaped as cumulus_primitives_core::AggregateMessageOrigin (Here 0, Parent 1, Sibling(ParaId) 2). */
export const OriginCodec = enumeration({ Here: [0], Parent: [1], Sibling: [2, u32] }).named([
  'cumulus_primitives_core',
  'AggregateMessageOrigin',
]) as Codec<Origin>;

export const Here: Origin = { type: 'Here' };
export const Parent: Origin = { type: 'Parent' };
export const Sibling = (id: number): Origin => ({ type: 'Sibling', value: id });

const ZERO: MessageQueueWeightInfo = {
  readyRingKnit: weight(0),
  readyRingUnknit: weight(0),
  serviceQueueBase: weight(0),
  servicePageBaseCompletion: weight(0),
  servicePageBaseNoCompletion: weight(0),
  servicePageItem: weight(0),
  bumpServiceHead: weight(0),
  reapPage: weight(0),
  executeOverweightPageRemoved: weight(0),
  executeOverweightPageUpdated: weight(0),
};

/** What the processor saw, in order: [origin, text]. */
export const processed: Array<[Origin, string]> = [];
export const changes: Array<[Origin, QueueFootprint]> = [];
export const paused = new Set<string>();
/** Queues whose messages answer `Yield` (upstream's `YieldingQueues`). */
export const yielding = new Set<string>();
export const hooks: { inside?: () => void } = {};

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

export function process({ message, origin, meter }: ProcessMessageArgs<Origin>): ProcessMessageOutcome {
  const m = text(message);
  if (yielding.has(JSON.stringify(origin))) return { ok: false, error: { type: 'Yield' } };
  for (const e of ['badformat', 'corrupt', 'unsupported', 'yield'] as const) {
    if (m.endsWith(e)) {
      const type = (
        { badformat: 'BadFormat', corrupt: 'Corrupt', unsupported: 'Unsupported', yield: 'Yield' } as const
      )[e];
      return { ok: false, error: { type } };
    }
  }
  const w = /^weight=(\d+)$/.exec(m);
  const n = w ? Number(w[1]) : 1;
  const required: Weight = weight(n, n);
  if (!meter.canConsume(required)) return { ok: false, error: { type: 'Overweight', value: required } };
  const write = /^write=(\w+)( fail)?$/.exec(m);
  if (write) {
    state().set(new TextEncoder().encode(write[1]), new Uint8Array([1]));
    if (write[2]) return { ok: false, error: { type: 'Unsupported' } };
  }
  if (m === 'reenter') hooks.inside?.();
  processed.push([origin, m]);
  return { ok: true, success: true, weightUsed: required };
}

export function mqConfig(overrides: Partial<MessageQueueConfig<Origin>> = {}): MessageQueueConfig<Origin> {
  return {
    origin: OriginCodec,
    processMessage: process,
    heapSize: 64,
    maxStale: 2,
    serviceWeight: weight(10, 10),
    onQueueChanged: (o, fp) => changes.push([o, fp]),
    isPaused: (o) => paused.has(JSON.stringify(o)),
    weights: ZERO,
    ...overrides,
  };
}

export function mockRuntime(overrides: Partial<MessageQueueConfig<Origin>> = {}) {
  return defineRuntime({
    pallets: [
      [0, System, defaultSystemConfig()],
      [14, MessageQueue, mqConfig(overrides)],
    ] as const,
    version: {
      spec_name: 'mq-mock',
      impl_name: 'mq-mock',
      authoring_version: 1,
      spec_version: 1,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
  });
}

export const msg = (s: string) => new TextEncoder().encode(s);

/** Runs `fn` in a fresh state of a mock runtime; resets the recorders. */
export function withMock<T>(
  fn: (t: {
    runtime: ReturnType<typeof mockRuntime>;
    events: () => Array<[string, string, any]>;
    clearEvents: () => void;
    dispatch: (
      call: RuntimeCallValue,
      who?: Uint8Array | 'none',
    ) => ReturnType<ReturnType<typeof mockRuntime>['dispatch']>;
  }) => T,
  overrides: Partial<MessageQueueConfig<Origin>> = {},
): T {
  processed.length = 0;
  changes.length = 0;
  paused.clear();
  yielding.clear();
  hooks.inside = undefined;
  const runtime = mockRuntime(overrides);
  return runtime.execute(new Overlay(new MemoryBackend()), () => {
    // Events are not kept at block 0 (frame_system), so run as in block 1.
    Number_.set(1);
    return fn({
      runtime,
      events: () =>
        Events.get()
          .filter((r: any) => r.event.type === 'MessageQueue')
          .map((r: any) => [r.event.type, r.event.value.type, r.event.value.value]),
      clearEvents: () => Events.kill(),
      dispatch: (call, who) =>
        runtime.dispatch(call, who === 'none' ? noneOrigin() : who ? signedOrigin(who) : rootOrigin()),
    });
  });
}
