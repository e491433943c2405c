/**
 * xcm-builder's `FrameTransactionalProcessor`: an effectful instruction runs in its own storage layer, rolled back
 * when it fails, so a half-done `WithdrawAsset` leaves no trace. Past FRAME's layer limit it fails with
 * `ExceedsStackLimit`, as `with_transaction`'s `LimitReached` maps there.
 */
import { state } from '../../frame/env.ts';
import { TRANSACTIONAL_LIMIT } from '../../frame/runtime.ts';
import { xcmFail } from './errors.ts';
import type { ProcessTransaction } from './traits.ts';

export const frameTransactionalProcessor: ProcessTransaction = {
  isTransactional: true,
  process<T>(f: () => T): T {
    const overlay = state();
    if (overlay.transactionDepth >= TRANSACTIONAL_LIMIT) throw xcmFail('ExceedsStackLimit');
    return overlay.transactional(f);
  },
};

/** `()`: no storage layer; a failing instruction keeps what it wrote (and the executor keeps its holding). */
export const noTransactionalProcessor: ProcessTransaction = {
  isTransactional: false,
  process: (f) => f(),
};
