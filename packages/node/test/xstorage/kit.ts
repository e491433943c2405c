/**
 * What xstorage's devnet tests share: one `xstorage devnet --block-time 1000 --parachains crust,acala,moonbeam`
 * per file (the bundled command, a child process), @polkadot/api clients for its chains, every event of every chain
 * recorded with the block it happened in (so a test can read state at that block and its parent), transactions
 * signed and watched until included, and the accounts and locations of the order path.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { hashedDescription } from '@xstorage/runtime/xcm';
import { connectApi } from '../chain/helpers.ts';
import { type SpawnedDevnet, spawnDevnet } from '../devnet/spawn-devnet.ts';

export const ACALA = 2000;
export const MOONBEAM = 2004;
export const CRUST = 2008;
export const MIB = 1_048_576n;
export const CRU = 10n ** 12n;
/** Moonbeam's development account Alith (its well-known private key). */
export const ALITH_KEY = '0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133';

export const siblingLoc = (paraId: number) => ({ parents: 1, interior: { X1: [{ Parachain: paraId }] } });
export const CRU_LOC = siblingLoc(CRUST);

export interface SeenEvent {
  chain: string;
  blockHash: string;
  blockNumber: number;
  section: string;
  method: string;
  data: any;
  /** `Initialization`, `ApplyExtrinsic` or `Finalization` (on_idle / on_finalize). */
  phase: string;
}

export interface Devnet {
  net: SpawnedDevnet;
  crust: ApiPromise;
  acala: ApiPromise;
  moonbeam: ApiPromise;
  events: SeenEvent[];
  stop(): Promise<void>;
}

/** Starts the devnet, connects to the three parachains and records their events. */
export async function startDevnet(): Promise<Devnet> {
  await cryptoWaitReady();
  const net = await spawnDevnet({
    parachains: ['crust', 'acala', 'moonbeam'],
    blockTimeMs: 1000,
    readyTimeoutMs: 60_000,
  });
  const apis: Record<string, ApiPromise> = {};
  const events: SeenEvent[] = [];
  const unsubs: Array<() => void> = [];
  try {
    for (const name of ['crust', 'acala', 'moonbeam']) {
      const api = await connectApi(net.endpoints.parachains[name].ws);
      apis[name] = api;
      const unsub = await api.rpc.chain.subscribeNewHeads(async (header) => {
        const hash = header.hash.toHex();
        const records = (await (await api.at(hash)).query.system.events()) as any;
        for (const { event, phase } of records)
          events.push({
            phase: phase.type,
            chain: name,
            blockHash: hash,
            blockNumber: header.number.toNumber(),
            section: event.section,
            method: event.method,
            data: event.data,
          });
      });
      unsubs.push(unsub);
    }
  } catch (err) {
    await net.dispose();
    throw err;
  }
  return {
    net,
    crust: apis.crust,
    acala: apis.acala,
    moonbeam: apis.moonbeam,
    events,
    async stop() {
      for (const u of unsubs) u();
      await Promise.all(Object.values(apis).map((a) => a.disconnect().catch(() => {})));
      await net.dispose();
    },
  };
}

export const sr25519 = (uri: string) => new Keyring({ type: 'sr25519' }).addFromUri(uri);
export const alith = () => new Keyring({ type: 'ethereum' }).addFromUri(ALITH_KEY);

export interface Included {
  blockHash: string;
  events: any[];
  /** `Pallet.Error` of a failed dispatch, else undefined. */
  error?: string;
}

/** Signs and sends `tx`; resolves once it is in a block, with its events and dispatch error if it failed. */
export function submit(api: ApiPromise, tx: any, signer: KeyringPair): Promise<Included> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    tx.signAndSend(signer, (r: any) => {
      if (r.isError) reject(new Error(`transaction ${r.status.type}`));
      if (!r.status.isInBlock) return;
      unsub?.();
      let error: string | undefined;
      if (r.dispatchError) {
        if (r.dispatchError.isModule) {
          const m = api.registry.findMetaError(r.dispatchError.asModule);
          error = `${m.section}.${m.name}`;
        } else error = r.dispatchError.type;
      }
      resolve({ blockHash: r.status.asInBlock.toHex(), events: r.events, error });
    })
      .then((u: () => void) => {
        unsub = u;
      })
      .catch(reject);
  });
}

/** Waits until `pick` finds an event among those recorded (polling); its result. */
export async function waitForEvent<T>(
  events: SeenEvent[],
  pick: (e: SeenEvent) => T | undefined,
  ms = 40_000,
  what = 'event',
): Promise<T> {
  const start = Date.now();
  for (;;) {
    for (const e of events) {
      const v = pick(e);
      if (v !== undefined) return v;
    }
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The event of `section.method` in `events` (a transaction's), or throws. */
export function eventIn(events: any[], section: string, method: string): any {
  const found = events.find(({ event }: any) => event.section === section && event.method === method);
  if (!found)
    throw new Error(
      `no ${section}.${method} in ${events.map(({ event }: any) => `${event.section}.${event.method}`).join(', ')}`,
    );
  return found.event.data;
}

/** The parent block of `hash`. */
export async function parentOf(api: ApiPromise, hash: string): Promise<string> {
  return (await api.rpc.chain.getHeader(hash)).parentHash.toHex();
}

export async function freeAt(api: ApiPromise, hash: string, who: string | Uint8Array): Promise<bigint> {
  return ((await (await api.at(hash)).query.system.account(who)) as any).data.free.toBigInt();
}

export async function foreignAt(
  api: ApiPromise,
  hash: string,
  token: object,
  who: string | Uint8Array,
): Promise<bigint> {
  const a = (await (await api.at(hash)).query.foreignAssets.account(token, who)) as any;
  return a.isSome ? a.unwrap().balance.toBigInt() : 0n;
}

export async function foreignSupplyAt(api: ApiPromise, hash: string, token: object): Promise<bigint> {
  const d = (await (await api.at(hash)).query.foreignAssets.asset(token)) as any;
  return d.unwrap().supply.toBigInt();
}

/**
 * The user's account on Crust: xcm-builder's `HashedDescription<DescribeFamily<DescribeAllTerminal>>` of
 * `(1, [Parachain(paraId), AccountId32 | AccountKey20])`.
 */
export function derivedOnCrust(paraId: number, address: string): Uint8Array {
  const raw = address.startsWith('0x') && address.length === 42 ? hexBytes(address) : decodeAddress(address);
  const user =
    raw.length === 20
      ? ({ type: 'AccountKey20', value: { key: raw } } as const)
      : ({ type: 'AccountId32', value: { id: raw } } as const);
  return hashedDescription({ parents: 1, interior: [{ type: 'Parachain', value: paraId }, user] })!;
}

/** `"sibl" ++ u32_le(id)` zero-padded: a sibling's sovereign account on any 32-byte parachain. */
export function siblingSovereign(paraId: number): Uint8Array {
  const a = new Uint8Array(32);
  a.set(new TextEncoder().encode('sibl'));
  new DataView(a.buffer).setUint32(4, paraId, true);
  return a;
}

const hexBytes = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
export const hex = (b: Uint8Array) => u8aToHex(b);

/**
 * The state whose market fees an order on Crust paid: Crust's MessageQueue services in on_initialize (index 33,
 * before Market's on_initialize at 100 may move the fees: the parent block's fees) and in on_idle (after it: the
 * block's own fees).
 */
export async function feesStateFor(crust: ApiPromise, e: SeenEvent): Promise<string> {
  return e.phase === 'Initialization' ? parentOf(crust, e.blockHash) : e.blockHash;
}

/** Crust's market fee of `size` bytes read from its storage items at `hash` (Crust's get_file_fee). */
export async function marketFeeAt(crust: ApiPromise, hash: string, size: bigint): Promise<bigint> {
  const at = await crust.at(hash);
  const base = ((await at.query.market.fileBaseFee()) as any).toBigInt();
  const byte = ((await at.query.market.fileByteFee()) as any).toBigInt();
  const keys = ((await at.query.market.fileKeysCountFee()) as any).toBigInt();
  return base + byte * ((size + MIB - 1n) / MIB) + keys;
}

/** `Perbill::from_percent(p) * v`, rounded to the nearest (ties down): Crust's pot shares. */
export const percentOf = (p: bigint, v: bigint): bigint => {
  const q = (v * p) / 100n;
  return ((v * p) % 100n) * 2n > 100n ? q + 1n : q;
};
