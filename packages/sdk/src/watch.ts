/**
 * Following an order across chains: in a block of the user's chain → included by the relay chain (the relay's head
 * of the para reaches that block) → executed on Crust (`messageQueue.Processed` for the message's topic, the
 * market's order and fee) → confirmed back home (the pallet's `OrderConfirmed`/`OrderFailed`) → replicas in
 * `market.filesV2(cid)` as storage nodes report the file.
 */
import type { ApiPromise } from '@polkadot/api';
import { encodeAddress } from '@polkadot/util-crypto';
import type { ChainConnections } from './connections.ts';
import { OrderFailedError, TimeoutError } from './errors.ts';
import { eventsAt, followBlocks } from './follow.ts';
import { marketOrderFee, type OrderReceipt } from './orders.ts';
import { dispatchErrorName } from './submit.ts';

export interface ReplicaInfo {
  /** The storage node's account on Crust (SS58 prefix of Crust). */
  who: string;
  /** Crust block the replica counts from. */
  validAt: number;
  isReported: boolean;
}

export interface FileStatus {
  cid: string;
  /** Bytes the order is for. */
  size: bigint;
  replicas: ReplicaInfo[];
  /** 0 while pending (no replica yet), else the Crust block the file expires at. */
  expiredAt: number;
  /** CRU units set aside for renewal, and the storage pot's amount for the file. */
  prepaid: bigint;
  amount: bigint;
  remainingPaidCount: number;
}

export type OrderEvent =
  | { kind: 'sent'; chain: string; blockNumber: number; blockHash: string; messageId?: string }
  | { kind: 'relayed'; relayBlock: number; paraBlock: number }
  | { kind: 'executed'; crustBlock: number; account: string; fee: bigint }
  | { kind: 'confirmed'; chain: string; blockNumber: number }
  /** `refund`: what the pallet sends back (in the order's currency), when it reports one. */
  | { kind: 'failed'; reason: string; where: 'crust' | 'home'; blockNumber: number; refund?: bigint }
  | { kind: 'replicas'; count: number; target: number; replicas: ReplicaInfo[] };

export interface WatchOptions {
  /** Stop once the file has this many replicas (default 4; 0 = stop after the order is confirmed). */
  replicas?: number;
  /** Give up (TimeoutError) after this long (default: never). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** `market.filesV2(cid)` as plain data, or undefined when Crust has no order for the CID. */
export async function fileStatus(
  crust: ApiPromise,
  cid: string,
  ss58: number,
  at?: string,
): Promise<FileStatus | undefined> {
  const q = at
    ? await (crust.query as any).market.filesV2.at(at, cid)
    : await (crust.query as any).market.filesV2(cid);
  return decodeFile(q, cid, ss58);
}

function decodeFile(q: any, cid: string, ss58: number): FileStatus | undefined {
  if (!q || q.isNone) return undefined;
  const f = q.unwrap();
  const replicas: ReplicaInfo[] = [...f.replicas.entries()].map(([, r]: [any, any]) => ({
    who: encodeAddress(r.who.toU8a(), ss58),
    validAt: r.validAt.toNumber(),
    isReported: r.isReported.isTrue,
  }));
  return {
    cid,
    size: f.fileSize.toBigInt(),
    replicas,
    expiredAt: f.expiredAt.toNumber(),
    prepaid: f.prepaid.toBigInt(),
    amount: f.amount.toBigInt(),
    remainingPaidCount: f.remainingPaidCount.toNumber(),
  };
}

const ev = (records: any[]) => records.map((r) => r.event);

/** Why Crust refused a Transact: the call dry-run as the account at the block before (DryRunApi.dry_run_call). */
async function transactFailure(
  crust: ApiPromise,
  parentHash: string,
  account: string,
  cid: string,
  size: bigint,
): Promise<string | undefined> {
  try {
    const at = await crust.at(parentHash);
    const call = (crust.tx as any).xstorage.placeStorageOrderThroughParachain(cid, size);
    const r = (await (at.call as any).dryRunApi.dryRunCall({ system: { Signed: account } }, call, 4)) as any;
    if (r.isErr) return undefined;
    const exec = r.asOk.executionResult;
    return exec.isErr ? dispatchErrorName(crust, exec.asErr.error) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pallet's `OrderFailure` as a name: `Refused` carries Crust's encoded `DispatchError` (decoded with Crust's
 * metadata: `market.InsufficientCurrency`), `Execution` the XCM error and the instruction it stopped at.
 */
export function orderFailureReason(crust: ApiPromise, error: any): string {
  if (error?.isRefused) {
    const code = error.asRefused;
    const bytes: Uint8Array | undefined = code.isError ? code.asError.toU8a(true) : undefined;
    if (!bytes) return code.type;
    try {
      return dispatchErrorName(crust, crust.createType('DispatchError', bytes));
    } catch {
      return `Refused(${code.asError.toHex()})`;
    }
  }
  if (error?.isExecution)
    return `${error.asExecution.error.type} (instruction ${error.asExecution.index.toNumber()})`;
  return error?.type ?? String(error);
}

/** A deadline as an AbortSignal chained to the caller's. */
function deadline(o: WatchOptions): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const ac = new AbortController();
  let timedOut = false;
  const timer =
    o.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          ac.abort();
        }, o.timeoutMs);
  const onAbort = () => ac.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) ac.abort();
  return {
    signal: ac.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * The hops of an order placed with `placeOrder`/`store`, each as it happens, then replicas until `options.replicas`.
 * Ends after a `failed` event (also thrown as {@link OrderFailedError} by `store`'s consumers if they wish).
 *
 * @example
 * for await (const e of watchReceipt(connections, receipt, { replicas: 4 })) console.log(e.kind, e);
 */
export async function* watchReceipt(
  c: ChainConnections,
  receipt: OrderReceipt,
  options: WatchOptions = {},
): AsyncGenerator<OrderEvent> {
  const d = deadline(options);
  const progress = { stage: 'sent' };
  try {
    yield* hops(c, receipt, options.replicas ?? 4, d.signal, progress);
  } finally {
    d.dispose();
  }
  if (d.timedOut())
    throw new TimeoutError(`${receipt.cid}: not ${progress.stage} within ${options.timeoutMs} ms`);
}

async function* hops(
  c: ChainConnections,
  receipt: OrderReceipt,
  target: number,
  signal: AbortSignal,
  progress: { stage: string },
): AsyncGenerator<OrderEvent> {
  const crustDesc = c.network.crust;
  yield {
    kind: 'sent',
    chain: receipt.from,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    messageId: receipt.messageId,
  };
  const crust = await c.api(crustDesc.id);
  if (receipt.route === 'crust') {
    const records = ev(await eventsAt(crust, receipt.blockHash));
    const ok = records.find((e) => e.section === 'market' && e.method === 'FileSuccess');
    const header = await crust.rpc.chain.getHeader(receipt.blockHash);
    yield {
      kind: 'executed',
      crustBlock: receipt.blockNumber,
      account: ok ? encodeAddress(ok.data[0].toU8a(), crustDesc.ss58) : receipt.crustAccount,
      fee: await marketOrderFee(crust, receipt.size, header.parentHash.toHex()),
    };
  } else {
    progress.stage = 'relayed';
    const relay = await c.api('relay');
    const paraId = c.chain(receipt.from).paraId;
    for await (const b of followBlocks(relay, receipt.relayFrom, signal)) {
      const head = (await (relay.query as any).paras.heads.at(b.hash, paraId)) as any;
      if (head.isNone) continue;
      const header = relay.createType('Header', head.unwrap().toU8a(true)) as any;
      if (header.number.toNumber() >= receipt.blockNumber) {
        yield { kind: 'relayed', relayBlock: b.number, paraBlock: header.number.toNumber() };
        break;
      }
    }
    progress.stage = 'executed on Crust';
    // The pallet route hears Crust's verdict back home (OrderConfirmed / OrderFailed with the reason Crust sent):
    // a failure seen on Crust is only noted there, the reason comes with the answer.
    let crustFailed = false;
    for await (const b of followBlocks(crust, receipt.crustFrom, signal)) {
      const records = ev(await eventsAt(crust, b.hash));
      const mine = (id: any) => receipt.messageId !== undefined && id?.toHex?.() === receipt.messageId;
      const processed = records.find(
        (e) => e.section === 'messageQueue' && e.method === 'Processed' && mine(e.data.id ?? e.data[0]),
      );
      const xcmError = records.find(
        (e) =>
          e.section === 'polkadotXcm' &&
          e.method === 'ProcessXcmError' &&
          mine(e.data.messageId ?? e.data[2]),
      );
      // xstorage.FileSuccess(account, cid, size) for call 0; market.FileSuccess(who, cid) for every market order.
      const placed = records.find(
        (e) =>
          (e.section === 'xstorage' || e.section === 'market') &&
          e.method === 'FileSuccess' &&
          (e.data.cid ?? e.data[1]).toUtf8() === receipt.cid,
      );
      const header = await crust.rpc.chain.getHeader(b.hash);
      if (xcmError || (processed && (!processed.data.success.isTrue || !placed))) {
        if (receipt.route === 'pallet') {
          crustFailed = true;
          break;
        }
        let reason = xcmError ? xcmError.data.error.type : 'NoOrderPlaced';
        if (reason === 'ExpectationFalse' || reason === 'NoOrderPlaced')
          reason =
            (await transactFailure(
              crust,
              header.parentHash.toHex(),
              receipt.crustAccount,
              receipt.cid,
              receipt.size,
            )) ?? reason;
        yield { kind: 'failed', reason, where: 'crust', blockNumber: b.number };
        return;
      }
      if (placed && (processed || receipt.messageId === undefined)) {
        yield {
          kind: 'executed',
          crustBlock: b.number,
          account: encodeAddress((placed.data.account ?? placed.data[0]).toU8a(), crustDesc.ss58),
          fee: await marketOrderFee(crust, receipt.size, header.parentHash.toHex()),
        };
        break;
      }
    }
    if (signal.aborted) return;
    if (receipt.route === 'pallet') {
      progress.stage = crustFailed ? "Crust's answer back home" : 'confirmed back home';
      const home = await c.api(receipt.from);
      for await (const b of followBlocks(home, receipt.blockNumber, signal)) {
        const records = ev(await eventsAt(home, b.hash));
        const match = (e: any) =>
          receipt.orderId === undefined || e.data.orderId?.toHex?.() === receipt.orderId;
        const failed = records.find(
          (e) => e.section === 'xstorage' && e.method === 'OrderFailed' && match(e),
        );
        if (failed) {
          yield {
            kind: 'failed',
            reason: orderFailureReason(crust, failed.data.error),
            where: 'crust',
            blockNumber: b.number,
            refund: failed.data.refund.toBigInt(),
          };
          return;
        }
        if (records.some((e) => e.section === 'xstorage' && e.method === 'OrderTimedOut' && match(e))) {
          yield { kind: 'failed', reason: 'OrderTimedOut', where: 'home', blockNumber: b.number };
          return;
        }
        if (records.some((e) => e.section === 'xstorage' && e.method === 'OrderConfirmed' && match(e))) {
          yield { kind: 'confirmed', chain: receipt.from, blockNumber: b.number };
          break;
        }
      }
    }
  }
  if (target <= 0) return;
  progress.stage = `${target} replicas`;
  yield* watchReplicas(crust, receipt.cid, crustDesc.ss58, target, signal);
}

/** Replica counts of `cid` as they change, until `target`. */
export async function* watchReplicas(
  crust: ApiPromise,
  cid: string,
  ss58: number,
  target: number,
  signal?: AbortSignal,
): AsyncGenerator<OrderEvent> {
  const queue: FileStatus[] = [];
  let wake: (() => void) | undefined;
  const unsub = await (crust.query as any).market.filesV2(cid, (q: any) => {
    const f = decodeFile(q, cid, ss58);
    if (f) queue.push(f);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  let last = -1;
  try {
    while (!signal?.aborted) {
      while (queue.length > 0) {
        const f = queue.shift()!;
        if (f.replicas.length === last) continue;
        last = f.replicas.length;
        yield { kind: 'replicas', count: last, target, replicas: f.replicas };
        if (last >= target) return;
      }
      await new Promise<void>((r) => {
        wake = r;
        if (queue.length > 0 || signal?.aborted) r();
      });
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    unsub();
  }
}

/** Throws {@link OrderFailedError} for a `failed` event; a helper for consumers that want exceptions. */
export function throwIfFailed(e: OrderEvent): void {
  if (e.kind === 'failed')
    throw new OrderFailedError(
      e.reason,
      `the order failed on ${e.where === 'crust' ? 'Crust' : 'its chain'}: ${e.reason}`,
    );
}
