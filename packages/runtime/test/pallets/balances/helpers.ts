/** Pallet-level tests run inside block #1 of a fresh dev chain, with the runtime's dispatch and events. */
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import { noneOrigin, rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import { Events } from '../../../src/pallets/system/pallet.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { newDevChain } from '../../runtimes/dev-chain.ts';

export { ready } from '../../runtimes/dev-chain.ts';

/** A fresh account id `[n; 32]` (not a dev account). */
export const acc = (n: number) => new Uint8Array(32).fill(n);

export interface Block {
  dispatch(call: RuntimeCallValue, who?: Uint8Array): DispatchOutcome;
  /** Dispatch with the None origin, as the executive does for bare extrinsics (inherents). */
  dispatchNone(call: RuntimeCallValue): DispatchOutcome;
  /** Events so far as [pallet, name, fields]. */
  events(): Array<[string, string, any]>;
  /** Clears the event list (System.Events) so a test sees only what follows. */
  clearEvents(): void;
  overlay: Overlay;
}

/** Runs `fn` inside block #1 of a new dev chain. */
export function inBlock<T>(fn: (b: Block) => T): T {
  const chain = newDevChain();
  const overlay = new Overlay(chain.backend);
  const { runtime, executive } = chain.dev;
  return runtime.execute(overlay, () => {
    executive.initializeBlock({
      parentHash: chain.headHash,
      number: 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    });
    const b: Block = {
      overlay,
      dispatch: (call, who) => runtime.dispatch(call, who ? signedOrigin(who) : rootOrigin()),
      dispatchNone: (call) => runtime.dispatch(call, noneOrigin()),
      events: () => Events.get().map((r: any) => [r.event.type, r.event.value.type, r.event.value.value]),
      clearEvents: () => Events.kill(),
    };
    return fn(b);
  });
}

export const id = (a: Uint8Array) => ({ type: 'Id' as const, value: a });
export const token = (t: string) => ({
  ok: false,
  error: { type: 'Token', value: { type: t } },
  postInfo: {},
});
export const moduleError = (index: number, error: number) => ({
  ok: false,
  error: { type: 'Module', value: { index, error: new Uint8Array([error, 0, 0, 0]) } },
  postInfo: {},
});
