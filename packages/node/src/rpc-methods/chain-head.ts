/**
 * `chainHead_v1_*` (paritytech/json-rpc-interface-spec; polkadot-api and smoldot use it): follow the chain with
 * pinned blocks, then read headers, bodies, storage and runtime calls of pinned blocks as operations reported on
 * the follow subscription. Error codes and limit answers as the spec and polkadot-sdk's rpc-spec-v2: an unknown or
 * stale follow subscription gets `null` (header) or `{ "result": "limitReached" }` (operations) and is ignored by
 * unpin / continue / stopOperation; a block the subscription has not pinned is -32801.
 */
import {
  type CallContext,
  type MethodRegistry,
  ParamDecodeError,
  type ParamDecoder,
  p,
  params,
} from '../rpc/index.ts';
import {
  bodyOperation,
  callOperation,
  type OperationContext,
  runOperation,
  storageOperation,
} from './chain-head-operations.ts';
import { type ChainHeadLimits, ChainHeadService } from './chain-head-service.ts';
import type { RpcContext } from './context.ts';
import { hexOrEmpty } from './hex-param.ts';
import { toHex } from './json.ts';
import { specV2Errors } from './spec-v2-errors.ts';
import { MAX_STORAGE_KEY_BYTES, storageQueries } from './storage-queries.ts';

/** Longest runtime entry point name accepted (real ones are under 64 characters). */
const MAX_FUNCTION_NAME = 256;
/** Largest `callParameters` (an extrinsic for `TaggedTransactionQueue_validate_transaction` is at most 5 MiB). */
const MAX_CALL_PARAMETERS = 5 * 1024 * 1024;
/** Most hashes in one `chainHead_v1_unpin`. */
const MAX_UNPIN_HASHES = 4096;

const LIMIT_REACHED = { result: 'limitReached' } as const;

/** A subscription or operation id: a string of reasonable length (longer ones cannot exist here). */
function opaqueId(what: string): ParamDecoder<string> {
  const expected = `a ${what} (string)`;
  return {
    expected,
    optional: false,
    decode(v) {
      if (typeof v !== 'string') throw new ParamDecodeError(`expected ${expected}`);
      return v.length > 256 ? '' : v;
    },
  };
}

/** `hashOrHashes`: one 32-byte hash or an array of them. */
function hashOrHashes(): ParamDecoder<Uint8Array[]> {
  const one = p.hash();
  const many = p.array(p.hash(), MAX_UNPIN_HASHES);
  return {
    expected: `a block hash or an array (at most ${MAX_UNPIN_HASHES}) of block hashes`,
    optional: false,
    decode: (v) => (Array.isArray(v) ? many.decode(v) : [one.decode(v)]),
  };
}

function functionName(): ParamDecoder<string> {
  const expected = `a runtime function name (at most ${MAX_FUNCTION_NAME} characters)`;
  return {
    expected,
    optional: false,
    decode(v) {
      if (typeof v !== 'string' || v.length === 0 || v.length > MAX_FUNCTION_NAME)
        throw new ParamDecodeError(`expected ${expected}`);
      return v;
    },
  };
}

export function registerChainHead(
  reg: MethodRegistry,
  ctx: RpcContext,
  limits: Partial<ChainHeadLimits> = {},
): ChainHeadService {
  const { chain } = ctx;
  const service = new ChainHeadService(chain, limits);
  const sub = () => opaqueId('follow subscription id');

  /** The pinned block `hash` of `s`, or -32801. */
  const pinnedBlock = (s: NonNullable<ReturnType<ChainHeadService['get']>>, hash: Uint8Array) => {
    const hex = toHex(hash);
    const block = s.pinned.has(hex) ? service.pins.get(hex) : undefined;
    if (!block) throw specV2Errors.invalidBlock(hex);
    return block;
  };

  /** Opens an operation of `slots` items on a pinned block, or answers limitReached. */
  const start = (
    call: CallContext,
    subId: string,
    hash: Uint8Array,
    wanted: number,
    run: (o: OperationContext, granted: number) => Promise<void>,
    opts: { needsRuntime?: boolean } = {},
  ) => {
    const s = service.get(call.connectionId, subId);
    if (!s) return LIMIT_REACHED;
    const block = pinnedBlock(s, hash);
    if (opts.needsRuntime && !s.withRuntime) throw specV2Errors.invalidRuntimeCall();
    const granted = s.reserve(wanted);
    if (granted === 0) return LIMIT_REACHED;
    const op = s.openOperation(block.hex, granted);
    const o: OperationContext = { chain, pins: service.pins, sub: s, op, block };
    runOperation(o, call.afterAnswer, () => run(o, granted));
    return { result: 'started' as const, operationId: op.id, granted };
  };
  const started = (r: ReturnType<typeof start>) =>
    r.result === 'started' ? { result: r.result, operationId: r.operationId } : r;

  reg
    .subscription({
      subscribe: 'chainHead_v1_follow',
      unsubscribe: 'chainHead_v1_unfollow',
      notification: 'chainHead_v1_followEvent',
      params: params(['withRuntime', p.bool()]),
      handler: ([withRuntime], sink, call) => {
        if (service.followsOf(call.connectionId) >= service.limits.maxFollowPerConnection) {
          throw specV2Errors.reachedLimits(service.limits.maxFollowPerConnection);
        }
        const s = service.follow(call.connectionId, withRuntime, sink);
        // A client too slow to read its events loses the subscription the way the spec says: `stop`.
        sink.onDropped(() => s.dropped());
        return () => s.end();
      },
    })
    .method({
      name: 'chainHead_v1_header',
      params: params(['followSubscription', sub()], ['hash', p.hash()]),
      handler: ([subId, hash], call) => {
        const s = service.get(call.connectionId, subId);
        if (!s) return null;
        return toHex(pinnedBlock(s, hash).header);
      },
    })
    .method({
      name: 'chainHead_v1_body',
      params: params(['followSubscription', sub()], ['hash', p.hash()]),
      handler: ([subId, hash], call) => started(start(call, subId, hash, 1, (o) => bodyOperation(o))),
    })
    .method({
      name: 'chainHead_v1_call',
      params: params(
        ['followSubscription', sub()],
        ['hash', p.hash()],
        ['function', functionName()],
        ['callParameters', hexOrEmpty({ maxBytes: MAX_CALL_PARAMETERS })],
      ),
      handler: ([subId, hash, fn, input], call) =>
        started(
          start(call, subId, hash, 1, (o) => callOperation(o, fn, input), {
            needsRuntime: true,
          }),
        ),
    })
    .method({
      name: 'chainHead_v1_storage',
      params: params(
        ['followSubscription', sub()],
        ['hash', p.hash()],
        ['items', storageQueries({ maxItems: service.limits.maxStorageQueryItems, pagination: false })],
        ['childTrie', p.optional(hexOrEmpty({ maxBytes: MAX_STORAGE_KEY_BYTES }))],
      ),
      handler: ([subId, hash, items, childTrie], call) => {
        // An empty list still takes one slot for the instant that its operation exists.
        const r = start(call, subId, hash, Math.max(1, items.length), (o, granted) =>
          storageOperation(o, items.slice(0, granted), service.limits.storagePageItems, childTrie),
        );
        if (r.result !== 'started') return r;
        return {
          result: r.result,
          operationId: r.operationId,
          discardedItems: Math.max(0, items.length - r.granted),
        };
      },
    })
    .method({
      name: 'chainHead_v1_unpin',
      params: params(['followSubscription', sub()], ['hashOrHashes', hashOrHashes()]),
      handler: ([subId, hashes], call) => {
        const s = service.get(call.connectionId, subId);
        if (!s) return null;
        const hexes = hashes.map((h) => toHex(h));
        const seen = new Set<string>();
        for (const h of hexes) {
          if (seen.has(h)) throw specV2Errors.duplicateHashes(h);
          seen.add(h);
        }
        // All or nothing: check every hash before unpinning any.
        for (const h of hexes) if (!s.pinned.has(h)) throw specV2Errors.invalidBlock(h);
        for (const h of hexes) {
          s.pinned.delete(h);
          service.pins.release(h);
        }
        return null;
      },
    })
    .method({
      name: 'chainHead_v1_continue',
      params: params(['followSubscription', sub()], ['operationId', opaqueId('operation id')]),
      handler: ([subId, opId], call) => {
        const op = service.get(call.connectionId, subId)?.operations.get(opId);
        if (!op) return null;
        if (!op.resume) throw specV2Errors.invalidContinue();
        op.resume();
        return null;
      },
    })
    .method({
      name: 'chainHead_v1_stopOperation',
      params: params(['followSubscription', sub()], ['operationId', opaqueId('operation id')]),
      handler: ([subId, opId], call) => {
        const s = service.get(call.connectionId, subId);
        const op = s?.operations.get(opId);
        if (s && op) s.closeOperation(op);
        return null;
      },
    });
  return service;
}
