/**
 * polkadot-sdk's tuple impls ("try each in turn") for the Config's adapters, with the same rules:
 * - transactors: the first that does not answer `AssetNotFound`/`Unimplemented` decides; check-in/out bookkeeping
 *   runs on all; none deciding is `AssetNotFound`;
 * - barriers: the first to let the message through wins; if none does, the rejection lists what each said;
 * - origin / location converters: the first that converts;
 * - traders: the first that sells the weight; otherwise `TooExpensive` if any said so, else the last error;
 * - routers: the first that does not answer `NotApplicable` decides.
 */
import type { Weight } from '../../frame/weights.ts';
import type { Asset, Location, OriginKind, Xcm, XcmContext } from '../index.ts';
import { XcmFailure, isXcmFailure, xcmFail } from './errors.ts';
import type { AssetsInHolding } from './holding.ts';
import type { InstructionSlice } from './instruction-slice.ts';
import type {
  BarrierRejection,
  ConvertLocation,
  ConvertOrigin,
  DeliverResult,
  Properties,
  SendResult,
  SendXcm,
  ShouldExecute,
  TransactAsset,
  WeightTrader,
  WeightTraderFactory,
} from './traits.ts';

const notMine = (err: unknown) => isXcmFailure(err, 'AssetNotFound', 'Unimplemented');

/** Runs `f` on each transactor that has `method` until one does not say "not mine". */
function firstDeciding<M extends keyof TransactAsset>(
  list: readonly TransactAsset[],
  method: M,
  run: (t: TransactAsset) => void,
): void {
  for (const t of list) {
    if (!t[method]) continue;
    try {
      run(t);
      return;
    } catch (err) {
      if (!notMine(err)) throw err;
    }
  }
  throw xcmFail('AssetNotFound');
}

export function transactors(...list: TransactAsset[]): TransactAsset {
  return {
    canCheckIn: (origin, what, ctx) =>
      firstDeciding(list, 'canCheckIn', (t) => t.canCheckIn!(origin, what, ctx)),
    checkIn: (origin, what, ctx) => {
      for (const t of list) t.checkIn?.(origin, what, ctx);
    },
    canCheckOut: (dest, what, ctx) =>
      firstDeciding(list, 'canCheckOut', (t) => t.canCheckOut!(dest, what, ctx)),
    checkOut: (dest, what, ctx) => {
      for (const t of list) t.checkOut?.(dest, what, ctx);
    },
    depositAsset: (what, who, ctx) =>
      firstDeciding(list, 'depositAsset', (t) => t.depositAsset!(what, who, ctx)),
    withdrawAsset: (what, who, ctx) =>
      firstDeciding(list, 'withdrawAsset', (t) => t.withdrawAsset!(what, who, ctx)),
    internalTransferAsset: (what, from, to, ctx) =>
      firstDeciding(list, 'internalTransferAsset', (t) => t.internalTransferAsset!(what, from, to, ctx)),
  };
}

/** `TransactAsset::transfer_asset`: `internal_transfer_asset`, falling back to withdraw + deposit. */
export function transferAsset(
  t: TransactAsset,
  what: Asset,
  from: Location,
  to: Location,
  ctx: XcmContext,
): void {
  if (t.internalTransferAsset) {
    try {
      t.internalTransferAsset(what, from, to, ctx);
      return;
    } catch (err) {
      if (!notMine(err)) throw err;
    }
  }
  withdrawAsset(t, what, from, ctx);
  depositAsset(t, what, to, ctx);
}

export function withdrawAsset(
  t: TransactAsset,
  what: Asset,
  who: Location,
  ctx: XcmContext | undefined,
): void {
  if (!t.withdrawAsset) throw xcmFail('Unimplemented');
  t.withdrawAsset(what, who, ctx);
}

export function depositAsset(
  t: TransactAsset,
  what: Asset,
  who: Location,
  ctx: XcmContext | undefined,
): void {
  if (!t.depositAsset) throw xcmFail('Unimplemented');
  t.depositAsset(what, who, ctx);
}

export function canCheckIn(t: TransactAsset, origin: Location, what: Asset, ctx: XcmContext): void {
  if (!t.canCheckIn) throw xcmFail('Unimplemented');
  t.canCheckIn(origin, what, ctx);
}

export function canCheckOut(t: TransactAsset, dest: Location, what: Asset, ctx: XcmContext): void {
  if (!t.canCheckOut) throw xcmFail('Unimplemented');
  t.canCheckOut(dest, what, ctx);
}

/** A barrier tuple: the first barrier that lets the message through wins. */
export function barriers(...list: ShouldExecute[]): ShouldExecute {
  const name = `(${list.map((b) => b.name).join(', ')})`;
  return {
    name,
    shouldExecute(
      origin: Location,
      instructions: InstructionSlice,
      maxWeight: Weight,
      properties: Properties,
    ) {
      const inner: BarrierRejection[] = [];
      for (const b of list) {
        const r = b.shouldExecute(origin, instructions, maxWeight, properties);
        if (!r) return undefined;
        inner.push(r);
      }
      return { barrier: name, error: { type: 'Unsupported' }, inner };
    },
  };
}

/** Every barrier that took part in a rejection, innermost first, with what it said. */
export function barrierRejections(r: BarrierRejection): BarrierRejection[] {
  if (!r.inner || r.inner.length === 0) return [r];
  return r.inner.flatMap(barrierRejections);
}

/** "AllowTopLevelPaidExecutionFrom: Overweight(…); TakeWeightCredit: Overweight(…)". */
export function describeBarrierRejection(r: BarrierRejection): string {
  return barrierRejections(r)
    .map(
      (x) =>
        `${x.barrier}: ${x.error.type === 'Overweight' ? `Overweight(${x.error.value.refTime}, ${x.error.value.proofSize})` : x.error.type}`,
    )
    .join('; ');
}

export function originConverters(...list: ConvertOrigin[]): ConvertOrigin {
  return {
    name: `(${list.map((c) => c.name ?? 'ConvertOrigin').join(', ')})`,
    convertOrigin(origin: Location, kind: OriginKind) {
      for (const c of list) {
        const o = c.convertOrigin(origin, kind);
        if (o) return o;
      }
      return undefined;
    },
  };
}

export function locationConverters(...list: ConvertLocation[]): ConvertLocation {
  return (location) => {
    for (const c of list) {
      const account = c(location);
      if (account) return account;
    }
    return undefined;
  };
}

/** `(A, B, …)` of `WeightTrader`s: one of each per message. */
export function traders(...factories: WeightTraderFactory[]): WeightTraderFactory {
  return () => {
    const list: WeightTrader[] = factories.map((f) => f());
    return {
      buyWeight(weight: Weight, payment: AssetsInHolding, ctx: XcmContext) {
        let tooExpensive = false;
        let last: XcmFailure | undefined;
        for (const t of list) {
          try {
            return t.buyWeight(weight, payment.clone(), ctx);
          } catch (err) {
            if (!(err instanceof XcmFailure)) throw err;
            if (err.error.type === 'TooExpensive') tooExpensive = true;
            last = err;
          }
        }
        throw tooExpensive || !last ? xcmFail('TooExpensive') : last;
      },
      refundWeight(weight: Weight, ctx: XcmContext) {
        for (const t of list) {
          const a = t.refundWeight(weight, ctx);
          if (a) return a;
        }
        return undefined;
      },
      quoteWeight(weight, given, ctx) {
        let last: unknown;
        for (const t of list) {
          if (!t.quoteWeight) continue;
          try {
            return t.quoteWeight(weight, given, ctx);
          } catch (err) {
            if (!(err instanceof XcmFailure)) throw err;
            last = err;
          }
        }
        throw last ?? xcmFail('TooExpensive');
      },
      finish() {
        for (const t of list) t.finish?.();
      },
    };
  };
}

/** A router tuple: the first router that does not answer `NotApplicable` validates; its ticket is delivered. */
export function routers(...list: SendXcm<any>[]): SendXcm<{ index: number; inner: unknown }> {
  return {
    validate(dest: Location, message: Xcm): SendResult<{ index: number; inner: unknown }> {
      for (let index = 0; index < list.length; index++) {
        const r = list[index].validate(dest, message);
        if (r.ok) return { ok: true, ticket: { index, inner: r.ticket }, price: r.price };
        if (r.error.type !== 'NotApplicable') return r;
      }
      return { ok: false, error: { type: 'NotApplicable' } };
    },
    deliver(ticket): DeliverResult {
      const router = list[ticket.index];
      if (!router) return { ok: false, error: { type: 'Unroutable' } };
      return router.deliver(ticket.inner);
    },
  };
}

/** `Contains` of any of several. */
export function anyOf<T>(...list: Array<(t: T) => boolean>): (t: T) => boolean {
  return (t) => list.some((c) => c(t));
}

/** `ContainsPair` of any of several. */
export function anyPairOf<A, B>(...list: Array<(a: A, b: B) => boolean>): (a: A, b: B) => boolean {
  return (a, b) => list.some((c) => c(a, b));
}
