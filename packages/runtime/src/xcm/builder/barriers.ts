/**
 * xcm-builder `barriers.rs`: the `ShouldExecute` barriers a runtime composes into its `Barrier`, with polkadot-sdk's
 * rules and `ProcessMessageError`s. A refusal names the barrier (and, for combinators, the barriers inside), so a
 * test or an event can say which one stopped a message: `describeBarrierRejection` / `barrierRejections`.
 *
 * Instruction matching follows xcm-builder's `Matcher`: asking for an instruction past the end is `BadFormat`.
 */
import type { Weight } from '../../frame/weights.ts';
import {
  type Instruction,
  type Junctions,
  type Location,
  appendJunctions,
  fromFrameWeight,
  locationEquals,
  toFrameWeight,
} from '../index.ts';
import { RECURSION_LIMIT, relativeTo } from '../executor/executor.ts';
import { InstructionSlice } from '../executor/instruction-slice.ts';
import { barriers } from '../executor/tuples.ts';
import type { ProcessMessageError } from '../../pallets/message-queue/types.ts';
import type {
  BarrierRejection,
  Contains,
  DenyExecution,
  OnResponse,
  Properties,
  ShouldExecute,
} from '../executor/traits.ts';

/** `MAX_ASSETS_FOR_BUY_EXECUTION`. */
export const MAX_ASSETS_FOR_BUY_EXECUTION = 2;

const reject = (barrier: string, error: ProcessMessageError, inner?: BarrierRejection[]): BarrierRejection =>
  inner ? { barrier, error, inner } : { barrier, error };
const badFormat: ProcessMessageError = { type: 'BadFormat' };
const unsupported: ProcessMessageError = { type: 'Unsupported' };
const overweight = (w: Weight): ProcessMessageError => ({ type: 'Overweight', value: w });
const allGte = (a: Weight, b: Weight) => a.refTime >= b.refTime && a.proofSize >= b.proofSize;

/** `Everything`. */
export const everything: Contains<Location> = () => true;
/** `Nothing`. */
export const nothing: Contains<Location> = () => false;
/** `Equals<T>` for locations. */
export function equalsLocation(l: Location): Contains<Location> {
  return (o) => locationEquals(o, l);
}
/** `IsParentsOnly<Count>`. */
export const isParentsOnly =
  (count: number): Contains<Location> =>
  (l) =>
    l.parents === count && l.interior.length === 0;
/** `IsChildSystemParachain`: `(0, [Parachain(id < 2000)])`. */
export const isChildSystemParachain: Contains<Location> = (l) =>
  l.parents === 0 &&
  l.interior.length === 1 &&
  l.interior[0].type === 'Parachain' &&
  l.interior[0].value < 2000;
/** `IsSiblingSystemParachain<_, SelfParaId>`. */
export const isSiblingSystemParachain =
  (selfParaId: number): Contains<Location> =>
  (l) =>
    l.parents === 1 &&
    l.interior.length === 1 &&
    l.interior[0].type === 'Parachain' &&
    l.interior[0].value !== selfParaId &&
    l.interior[0].value < 2000;

/** `TakeWeightCredit`: lets in what the caller already paid for (pallet-xcm's local execution). */
export const takeWeightCredit: ShouldExecute = {
  name: 'TakeWeightCredit',
  shouldExecute(_origin, _instructions, maxWeight, properties) {
    const c = properties.weightCredit;
    if (c.refTime < maxWeight.refTime || c.proofSize < maxWeight.proofSize) {
      return reject('TakeWeightCredit', overweight(maxWeight));
    }
    properties.weightCredit = {
      refTime: c.refTime - maxWeight.refTime,
      proofSize: c.proofSize - maxWeight.proofSize,
    };
    return undefined;
  },
};

/**
 * `AllowTopLevelPaidExecutionFrom<T>`: origins in `T` whose message starts by putting at most two assets in holding
 * (`WithdrawAsset`, `ReceiveTeleportedAsset`, `ReserveAssetDeposited`, `ClaimAsset`), may clear / descend / alias the
 * origin or set hints, then buys the whole message's weight (`BuyExecution`, whose limit it sets to exactly that
 * weight, or `PayFees`). Reads at most the first five instructions.
 */
export function allowTopLevelPaidExecutionFrom(allowed: Contains<Location>): ShouldExecute {
  const name = 'AllowTopLevelPaidExecutionFrom';
  return {
    name,
    shouldExecute(origin, instructions, maxWeight) {
      if (!allowed(origin)) return reject(name, unsupported);
      const end = Math.min(instructions.length, 5);
      let i = 0;
      const first = i < end ? instructions.at(i) : undefined;
      if (!first) return reject(name, badFormat);
      switch (first.type) {
        case 'WithdrawAsset':
        case 'ReceiveTeleportedAsset':
        case 'ReserveAssetDeposited':
          if (first.value.length > MAX_ASSETS_FOR_BUY_EXECUTION) return reject(name, badFormat);
          break;
        case 'ClaimAsset':
          if (first.value.assets.length > MAX_ASSETS_FOR_BUY_EXECUTION) return reject(name, badFormat);
          break;
        default:
          return reject(name, badFormat);
      }
      i++;
      if (i >= end) return reject(name, badFormat);
      while (i < end && isOriginPrelude(instructions.at(i)!)) i++;
      const buy = i < end ? instructions.at(i) : undefined;
      if (!buy) return reject(name, badFormat);
      if (buy.type === 'BuyExecution') {
        const limit = buy.value.weight_limit;
        if (limit.type === 'Limited' && !allGte(toFrameWeight(limit.value), maxWeight))
          return reject(name, overweight(maxWeight));
        instructions.set(i, {
          type: 'BuyExecution',
          value: {
            fees: buy.value.fees,
            weight_limit: { type: 'Limited', value: fromFrameWeight(maxWeight) },
          },
        });
        return undefined;
      }
      if (buy.type === 'PayFees') return undefined;
      return reject(name, overweight(maxWeight));
    },
  };
}

function isOriginPrelude(i: Instruction): boolean {
  return (
    i.type === 'ClearOrigin' ||
    i.type === 'AliasOrigin' ||
    i.type === 'SetHints' ||
    (i.type === 'DescendOrigin' && i.value.length > 0)
  );
}

/** `AllowUnpaidExecutionFrom<T>`: anything from origins in `T` (only for fully trusted origins). */
export function allowUnpaidExecutionFrom(allowed: Contains<Location>): ShouldExecute {
  const name = 'AllowUnpaidExecutionFrom';
  return {
    name,
    shouldExecute: (origin) => (allowed(origin) ? undefined : reject(name, unsupported)),
  };
}

/** `AllowExplicitUnpaidExecutionFrom<T>`: origins in `T` whose message starts with an `UnpaidExecution` big enough. */
export function allowExplicitUnpaidExecutionFrom(allowed: Contains<Location>): ShouldExecute {
  const name = 'AllowExplicitUnpaidExecutionFrom';
  return {
    name,
    shouldExecute(origin, instructions, maxWeight) {
      if (!allowed(origin)) return reject(name, unsupported);
      const first = instructions.at(0);
      if (!first) return reject(name, badFormat);
      if (first.type === 'UnpaidExecution') {
        const limit = first.value.weight_limit;
        if (limit.type === 'Unlimited' || allGte(toFrameWeight(limit.value), maxWeight)) return undefined;
      }
      return reject(name, overweight(maxWeight));
    },
  };
}

/** `AllowKnownQueryResponses<ResponseHandler>`: a lone `QueryResponse` the handler is waiting for. */
export function allowKnownQueryResponses(handler: OnResponse): ShouldExecute {
  const name = 'AllowKnownQueryResponses';
  return {
    name,
    shouldExecute(origin, instructions) {
      if (instructions.length !== 1) return reject(name, badFormat);
      const i = instructions.at(0)!;
      if (i.type === 'QueryResponse' && handler.expectingResponse(origin, i.value.query_id, i.value.querier))
        return undefined;
      return reject(name, badFormat);
    },
  };
}

/** `AllowSubscriptionsFrom<T>`: a lone `SubscribeVersion` / `UnsubscribeVersion` from origins in `T`. */
export function allowSubscriptionsFrom(allowed: Contains<Location>): ShouldExecute {
  const name = 'AllowSubscriptionsFrom';
  return {
    name,
    shouldExecute(origin, instructions) {
      if (!allowed(origin)) return reject(name, unsupported);
      if (instructions.length !== 1) return reject(name, badFormat);
      const t = instructions.at(0)!.type;
      return t === 'SubscribeVersion' || t === 'UnsubscribeVersion' ? undefined : reject(name, badFormat);
    },
  };
}

/** `AllowHrmpNotificationsFromRelayChain`: a lone HRMP notification from the relay chain. */
export const allowHrmpNotificationsFromRelayChain: ShouldExecute = {
  name: 'AllowHrmpNotificationsFromRelayChain',
  shouldExecute(origin, instructions) {
    const name = 'AllowHrmpNotificationsFromRelayChain';
    if (origin.parents !== 1 || origin.interior.length !== 0) return reject(name, unsupported);
    if (instructions.length !== 1) return reject(name, badFormat);
    const t = instructions.at(0)!.type;
    return t === 'HrmpNewChannelOpenRequest' || t === 'HrmpChannelAccepted' || t === 'HrmpChannelClosing'
      ? undefined
      : reject(name, badFormat);
  },
};

/**
 * `WithComputedOrigin<Inner, LocalUniversal, MaxPrefixes>`: reads up to `maxPrefixes` leading `UniversalOrigin` /
 * `DescendOrigin`s to compute the origin they lead to, then asks `inner` about the rest of the message with it.
 */
export function withComputedOrigin(
  inner: ShouldExecute,
  universalLocation: Junctions,
  maxPrefixes = 8,
): ShouldExecute {
  const name = `WithComputedOrigin<${inner.name}>`;
  return {
    name,
    shouldExecute(origin, instructions, maxWeight, properties) {
      if (instructions.length === 0) return reject(name, badFormat);
      let actual = origin;
      let skipped = 0;
      while (skipped < maxPrefixes && skipped < instructions.length) {
        const i = instructions.at(skipped)!;
        if (i.type === 'UniversalOrigin') {
          actual = relativeTo([i.value], universalLocation);
        } else if (i.type === 'DescendOrigin') {
          const interior = appendJunctions(actual.interior, i.value);
          if (!interior) return reject(name, unsupported);
          actual = { parents: actual.parents, interior };
        } else break;
        skipped++;
      }
      const r = inner.shouldExecute(actual, instructions.slice(skipped), maxWeight, properties);
      return r ? reject(name, r.error, [r]) : undefined;
    },
  };
}

/** `TrailingSetTopicAsId<Inner>`: a final `SetTopic(id)` becomes the message id; `inner` judges the rest. */
export function trailingSetTopicAsId(inner: ShouldExecute): ShouldExecute {
  const name = `TrailingSetTopicAsId<${inner.name}>`;
  return {
    name,
    shouldExecute(origin, instructions, maxWeight, properties) {
      const last = instructions.last();
      let until = instructions.length;
      if (last?.type === 'SetTopic') {
        properties.messageId = last.value;
        until--;
      }
      const r = inner.shouldExecute(origin, instructions.slice(0, until), maxWeight, properties);
      return r ? reject(name, r.error, [r]) : undefined;
    },
  };
}

/** `RespectSuspension<Inner, SuspensionChecker>`: `Yield` while the executor is suspended (pallet-xcm). */
export function respectSuspension(inner: ShouldExecute, isSuspended: () => boolean): ShouldExecute {
  const name = `RespectSuspension<${inner.name}>`;
  return {
    name,
    shouldExecute(origin, instructions, maxWeight, properties) {
      if (isSuspended()) return reject(name, { type: 'Yield' });
      const r = inner.shouldExecute(origin, instructions, maxWeight, properties);
      return r ? reject(name, r.error, [r]) : undefined;
    },
  };
}

/** `DenyThenTry<Deny, Allow>`: a denial stops the message; otherwise `allow` decides. */
export function denyThenTry(deny: DenyExecution, allow: ShouldExecute): ShouldExecute {
  const name = `DenyThenTry<${deny.name}, ${allow.name}>`;
  return {
    name,
    shouldExecute(origin, instructions, maxWeight, properties) {
      const d = deny.denyExecution(origin, instructions, maxWeight, properties);
      if (d) return reject(name, d.error, [d]);
      const r = allow.shouldExecute(origin, instructions, maxWeight, properties);
      return r ? reject(name, r.error, [r]) : undefined;
    },
  };
}

/**
 * `DenyReserveTransferToRelayChain`: refuses messages that would move reserve assets to the relay chain
 * (`InitiateReserveWithdraw` / `DepositReserveAsset` / `TransferReserveAsset` with the relay as reserve/dest).
 */
export const denyReserveTransferToRelayChain: DenyExecution = {
  name: 'DenyReserveTransferToRelayChain',
  denyExecution(_origin, instructions) {
    if (instructions.length === 0) return reject('DenyReserveTransferToRelayChain', badFormat);
    const toRelay = (l: Location) => l.parents === 1 && l.interior.length === 0;
    for (let i = 0; i < instructions.length; i++) {
      const x = instructions.at(i)!;
      if (
        (x.type === 'InitiateReserveWithdraw' && toRelay(x.value.reserve)) ||
        (x.type === 'DepositReserveAsset' && toRelay(x.value.dest)) ||
        (x.type === 'TransferReserveAsset' && toRelay(x.value.dest))
      )
        return reject('DenyReserveTransferToRelayChain', unsupported);
    }
    return undefined;
  },
};

/**
 * `DenyRecursively<Inner>`: applies `inner` to the message and, recursively, to the messages nested in
 * `SetAppendix`, `SetErrorHandler` and `ExecuteWithOrigin` (so a denied instruction cannot hide in them).
 */
export function denyRecursively(inner: DenyExecution): DenyExecution {
  const name = `DenyRecursively<${inner.name}>`;
  const check = (
    origin: Location,
    instructions: InstructionSlice,
    maxWeight: Weight,
    properties: Properties,
    depth: number,
  ): BarrierRejection | undefined => {
    const d = inner.denyExecution(origin, instructions, maxWeight, properties);
    if (d) return reject(name, d.error, [d]);
    for (let i = 0; i < instructions.length; i++) {
      const x = instructions.at(i)!;
      const nested =
        x.type === 'SetAppendix' || x.type === 'SetErrorHandler'
          ? x.value
          : x.type === 'ExecuteWithOrigin'
            ? x.value.xcm
            : undefined;
      if (!nested || nested.length === 0) continue;
      if (depth >= RECURSION_LIMIT) return reject(name, { type: 'StackLimitReached' });
      const r = check(origin, new InstructionSlice(nested), maxWeight, properties, depth + 1);
      if (r) return r;
    }
    return undefined;
  };
  return { name, denyExecution: (o, ins, w, p) => check(o, ins, w, p, 1) };
}

/** The parachain template's barrier, for reference and tests. */
export function parachainTemplateBarrier(
  universalLocation: Junctions,
  unpaidFrom: Contains<Location>,
): ShouldExecute {
  return trailingSetTopicAsId(
    denyThenTry(
      denyRecursively(denyReserveTransferToRelayChain),
      barriers(
        takeWeightCredit,
        withComputedOrigin(
          barriers(allowTopLevelPaidExecutionFrom(everything), allowExplicitUnpaidExecutionFrom(unpaidFrom)),
          universalLocation,
          8,
        ),
      ),
    ),
  );
}
