/**
 * What the cross-chain road tests share: a devnet (`xstorage devnet` as a child process) with an @polkadot/api client
 * per chain, a recorder of every block's events on every chain (walked by number, so no block is missed; parachain
 * blocks carry the relay parent they were built on, read from `parachainSystem.validationData`), transactions signed
 * until in a block with their fee, balance readers, the accounts XCM derives (sovereign, treasury) and XCM locations
 * as polkadot-js spells them.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { bnToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { connectApi } from '../chain/helpers.ts';
import { type SpawnedDevnet, spawnDevnet } from '../devnet/spawn-devnet.ts';

export const DOT = 10n ** 10n;
export const UNIT12 = 10n ** 12n;
export const GLMR = 10n ** 18n;

// ---- accounts and locations ------------------------------------------------------------------------------------

const u32le = (n: number) => bnToU8a(n, { bitLength: 32, isLe: true });
const padded = (prefix: Uint8Array, length: number) => {
  const a = new Uint8Array(length);
  a.set(prefix.subarray(0, length));
  return a;
};

/** A child parachain's account on the relay: "para" ++ u32_le(id) ++ zeros (xcm-builder ChildParachainConvertsVia). */
export const paraSovereign = (id: number) => padded(u8aConcat(stringToU8a('para'), u32le(id)), 32);
/** A sibling's account on a parachain: "sibl" ++ u32_le(id) ++ zeros (SiblingParachainConvertsVia; 20-byte chains cut it). */
export const siblSovereign = (id: number, length: 32 | 20 = 32) =>
  padded(u8aConcat(stringToU8a('sibl'), u32le(id)), length);
/** `PalletId(*b"py/trsry")`'s account: b"modl" ++ id ++ zeros. */
export const treasury = (length: 32 | 20 = 32) => padded(stringToU8a('modlpy/trsry'), length);

export const here = () => ({ parents: 0, interior: 'Here' });
export const parentLoc = () => ({ parents: 1, interior: 'Here' });
export const siblingLoc = (paraId: number) => ({ parents: 1, interior: { X1: [{ Parachain: paraId }] } });
export const childLoc = (paraId: number) => ({ parents: 0, interior: { X1: [{ Parachain: paraId }] } });
export const account32Loc = (id: Uint8Array) => ({
  parents: 0,
  interior: { X1: [{ AccountId32: { network: null, id: u8aToHex(id) } }] },
});
export const account20Loc = (key: string) => ({
  parents: 0,
  interior: { X1: [{ AccountKey20: { network: null, key } }] },
});
export const fungible = (id: object, amount: bigint) => ({ id, fun: { Fungible: amount } });

// ---- the devnet and its recorders ------------------------------------------------------------------------------

export interface RecordedEvent {
  section: string;
  method: string;
  /** The decoded event (fields by name through `.data`). */
  event: any;
  /** Index of the extrinsic it belongs to, if any. */
  extrinsic: number | undefined;
}

export interface RecordedBlock {
  number: number;
  hash: string;
  /** Parachains: the relay parent the block was built on. */
  relayParent: number | undefined;
  events: RecordedEvent[];
}

export interface Found {
  block: RecordedBlock;
  event: RecordedEvent;
}

/** Every block of one chain with its events, from the block it was started at. */
export class ChainRecorder {
  readonly blocks: RecordedBlock[] = [];
  #next: number;
  #walking: Promise<void> = Promise.resolve();
  #waiters = new Set<() => void>();
  #unsubscribe: (() => void) | undefined;

  private constructor(
    readonly name: string,
    readonly api: ApiPromise,
    readonly isPara: boolean,
    from: number,
  ) {
    this.#next = from;
  }

  static async start(name: string, api: ApiPromise): Promise<ChainRecorder> {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const r = new ChainRecorder(name, api, api.query.parachainSystem !== undefined, best + 1);
    r.#unsubscribe = (await api.rpc.chain.subscribeNewHeads((h) => {
      const upTo = h.number.toNumber();
      r.#walking = r.#walking.then(() => r.#walk(upTo)).catch(() => {});
    })) as unknown as () => void;
    return r;
  }

  async #walk(upTo: number): Promise<void> {
    while (this.#next <= upTo) {
      const n = this.#next;
      const hash = await this.api.rpc.chain.getBlockHash(n);
      const at = await this.api.at(hash);
      const records = (await at.query.system.events()) as any;
      let relayParent: number | undefined;
      if (this.isPara) {
        const vd = (await at.query.parachainSystem.validationData()) as any;
        relayParent = vd.isSome ? vd.unwrap().relayParentNumber.toNumber() : undefined;
      }
      const events: RecordedEvent[] = records.map((r: any) => ({
        section: r.event.section,
        method: r.event.method,
        event: r.event,
        extrinsic: r.phase.isApplyExtrinsic ? r.phase.asApplyExtrinsic.toNumber() : undefined,
      }));
      this.blocks.push({ number: n, hash: hash.toHex(), relayParent, events });
      this.#next = n + 1;
      for (const w of this.#waiters) w();
    }
  }

  find(pred: (e: RecordedEvent, b: RecordedBlock) => boolean): Found | undefined {
    for (const block of this.blocks)
      for (const event of block.events) if (pred(event, block)) return { block, event };
    return undefined;
  }

  findAll(pred: (e: RecordedEvent, b: RecordedBlock) => boolean): Found[] {
    const out: Found[] = [];
    for (const block of this.blocks)
      for (const event of block.events) if (pred(event, block)) out.push({ block, event });
    return out;
  }

  /** The first recorded event matching `pred`, waiting up to `ms` for it. */
  async waitFor(
    what: string,
    pred: (e: RecordedEvent, b: RecordedBlock) => boolean,
    ms = 20_000,
  ): Promise<Found> {
    const found = this.find(pred);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const check = () => {
        const f = this.find(pred);
        if (!f) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(f);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `${this.name}: no ${what} within ${ms} ms (recorded #${this.blocks[0]?.number}..#${this.blocks.at(-1)?.number})`,
          ),
        );
      }, ms);
      this.#waiters.add(check);
    });
  }

  /** Resolves once the chain has recorded a block numbered at least `n`. */
  async waitForBlock(n: number, ms = 20_000): Promise<RecordedBlock> {
    const f = await this.waitFor(`block #${n}`, (_e, b) => b.number >= n, ms).catch(async (err) => {
      // A block without events does not exist for `find`: look at the blocks directly.
      const b = this.blocks.find((x) => x.number >= n);
      if (b) return { block: b } as Found;
      throw err;
    });
    return f.block;
  }

  get best(): RecordedBlock | undefined {
    return this.blocks.at(-1);
  }

  stop(): void {
    this.#unsubscribe?.();
  }
}

export const is =
  (section: string, method: string, fields?: (data: any) => boolean) =>
  (e: RecordedEvent): boolean =>
    e.section === section && e.method === method && (!fields || fields(e.event.data));

export interface Road {
  net: SpawnedDevnet;
  relay: ApiPromise;
  para: Record<string, ApiPromise>;
  rec: Record<string, ChainRecorder>;
  paraId: Record<string, number>;
  stop(): Promise<void>;
}

/** A devnet of `parachains` with 1 s relay blocks, a client and a recorder per chain. */
export async function startRoad(parachains: string[], blockTimeMs = 1000): Promise<Road> {
  // No storage nodes: their work reports would pay fees into Crust's treasury while a test counts it.
  const net = await spawnDevnet({
    parachains,
    blockTimeMs,
    extraArgs: ['--storage-nodes', '0'],
    readyTimeoutMs: 75_000,
  });
  const apis: ApiPromise[] = [];
  const recs: ChainRecorder[] = [];
  try {
    const relay = await connectApi(net.endpoints.relay.ws);
    apis.push(relay);
    const para: Record<string, ApiPromise> = {};
    const paraId: Record<string, number> = {};
    for (const [name, p] of Object.entries(net.endpoints.parachains)) {
      para[name] = await connectApi(p.ws);
      apis.push(para[name]);
      paraId[name] = p.paraId;
    }
    const rec: Record<string, ChainRecorder> = {};
    for (const [name, api] of [['relay', relay] as const, ...Object.entries(para)]) {
      rec[name] = await ChainRecorder.start(name, api);
      recs.push(rec[name]);
    }
    return {
      net,
      relay,
      para,
      rec,
      paraId,
      async stop() {
        for (const r of recs) r.stop();
        for (const a of apis) await a.disconnect().catch(() => {});
        await net.dispose();
      },
    };
  } catch (err) {
    for (const r of recs) r.stop();
    for (const a of apis) await a.disconnect().catch(() => {});
    await net.dispose();
    throw err;
  }
}

// ---- transactions ----------------------------------------------------------------------------------------------

export class DispatchFailed extends Error {
  override name = 'DispatchFailed';
  constructor(
    /** `section.name` of the module error, or the error's kind. */
    readonly error: string,
  ) {
    super(`dispatch failed: ${error}`);
  }
}

export interface Included {
  blockHash: string;
  blockNumber: number;
  events: RecordedEvent[];
  /** The transaction fee (`transactionPayment.TransactionFeePaid.actualFee`). */
  fee: bigint;
}

/** Signs and sends `tx`; resolves in its block with its events and fee, rejects with DispatchFailed. */
export function submit(api: ApiPromise, tx: any, signer: KeyringPair): Promise<Included> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    tx.signAndSend(signer, (r: any) => {
      if (r.isError) {
        unsub?.();
        reject(new Error(`transaction ${r.status.type}`));
        return;
      }
      // `finalized` can come without `inBlock` on a loaded machine (polkadot-js skips it while fetching events).
      if (!r.status.isInBlock && !r.status.isFinalized) return;
      unsub?.();
      if (r.dispatchError) {
        const d = r.dispatchError;
        if (d.isModule) {
          const m = api.registry.findMetaError(d.asModule);
          reject(new DispatchFailed(`${m.section}.${m.name}`));
        } else reject(new DispatchFailed(d.type));
        return;
      }
      const events: RecordedEvent[] = r.events.map((x: any) => ({
        section: x.event.section,
        method: x.event.method,
        event: x.event,
        extrinsic: r.txIndex,
      }));
      const paid = events.find(is('transactionPayment', 'TransactionFeePaid'));
      getNumber(api, (r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex()).then(
        (blockNumber) =>
          resolve({
            blockHash: (r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex(),
            blockNumber,
            events,
            fee: paid ? paid.event.data.actualFee.toBigInt() : 0n,
          }),
        reject,
      );
    })
      .then((u: () => void) => {
        unsub = u;
      })
      .catch(reject);
  });
}

async function getNumber(api: ApiPromise, hash: string): Promise<number> {
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
}

/** `polkadotXcm.Sent` / `xcmPallet.Sent` of an included transaction: its message id (the topic the receiver sees). */
export function sentMessageId(tx: Included): string {
  const sent = tx.events.find(
    (e) => e.method === 'Sent' && (e.section === 'polkadotXcm' || e.section === 'xcmPallet'),
  );
  if (!sent) throw new Error('no Sent event');
  return sent.event.data.messageId.toHex();
}

/** The delivery fees the sender paid (`FeesPaid.fees`, summed; the devnet's routers charge none). */
export function deliveryFees(tx: Included): bigint {
  let total = 0n;
  for (const e of tx.events.filter((x) => x.method === 'FeesPaid'))
    for (const a of e.event.data.fees) total += a.fun.asFungible.toBigInt();
  return total;
}

// ---- balances ----------------------------------------------------------------------------------------------------

/** Free balance of `who`, at block `at` (default: the best block). */
export async function free(api: ApiPromise, who: Uint8Array | string, at?: string): Promise<bigint> {
  const q = at ? await api.at(at) : api;
  return ((await q.query.system.account(who)) as any).data.free.toBigInt();
}

export async function foreign(api: ApiPromise, location: object, who: Uint8Array | string): Promise<bigint> {
  const a = (await api.query.foreignAssets.account(location, who)) as any;
  return a.isSome ? a.unwrap().balance.toBigInt() : 0n;
}

export async function supply(api: ApiPromise, location: object): Promise<bigint> {
  const a = (await api.query.foreignAssets.asset(location)) as any;
  return a.isSome ? a.unwrap().supply.toBigInt() : 0n;
}

export async function issuance(api: ApiPromise): Promise<bigint> {
  return ((await api.query.balances.totalIssuance()) as any).toBigInt();
}

/** What executing `weight` costs in `asset` here (XcmPaymentApi::query_weight_to_asset_fee). */
export async function weightFee(api: ApiPromise, weight: any, asset: object): Promise<bigint> {
  const r = (await (api.call as any).xcmPaymentApi.queryWeightToAssetFee(weight, { V4: asset })) as any;
  if (r.isErr) throw new Error(`queryWeightToAssetFee: ${r.asErr.toString()}`);
  return r.asOk.toBigInt();
}

/** The receiver's `messageQueue.Processed` of message `id`. */
export async function processed(rec: ChainRecorder, id: string, ms = 20_000): Promise<Found> {
  return rec.waitFor(
    `messageQueue.Processed of ${id}`,
    is('messageQueue', 'Processed', (d) => d.id.toHex() === id),
    ms,
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
