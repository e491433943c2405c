/**
 * What the seven-chain xstorage tests share: one `xstorage devnet` with Crust and all seven profiles (1 s relay
 * blocks, no storage nodes) driven through road-kit's clients and recorders, each chain's data and dev signers
 * (//Alice, //Bob or Alith, Baltathar signed with their Ethereum keys), the user's derived account on Crust, Crust's
 * market fee and pot split read from its storage, and the events of a block with their phases.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { stringToU8a } from '@polkadot/util';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { ETH_DEV_PRIVATE_KEYS } from '@xstorage/runtime/runtimes';
import { PARACHAINS, type ParachainData } from '@xstorage/runtime/runtimes/parachain';
import { hashedDescription } from '@xstorage/runtime/xcm';
import { type Found, type Road, startRoad } from '../road/road-kit.ts';

export const CRUST = 2008;
export const MIB = 1_048_576n;
/** CRU's existential deposit on Crust. */
export const CRU_ED = 10_000_000n;

/** The seven profiles, in the devnet's order (Crust excluded). */
export const SEVEN: readonly ParachainData[] = PARACHAINS.filter((p) => p.id !== 'crust');
export const chainData = (id: string): ParachainData => PARACHAINS.find((p) => p.id === id)!;

/** Starts a devnet of Crust and the seven (or `parachains`). */
export async function startSeven(parachains: string[] = PARACHAINS.map((p) => p.id)): Promise<Road> {
  await cryptoWaitReady();
  return startRoad(parachains);
}

/** The chain's first (`0`) or second (`1`) dev account: //Alice, //Bob or Alith, Baltathar. */
export function devSigner(data: ParachainData, which: 0 | 1 = 0): KeyringPair {
  if (data.accounts === 'ethereum')
    return new Keyring({ type: 'ethereum' }).addFromUri(
      which === 0 ? ETH_DEV_PRIVATE_KEYS.Alith : ETH_DEV_PRIVATE_KEYS.Baltathar,
    );
  return new Keyring({ type: 'sr25519' }).addFromUri(which === 0 ? '//Alice' : '//Bob');
}

/**
 * The user's account on Crust: xcm-builder's `HashedDescription<DescribeFamily<DescribeAllTerminal>>` of
 * `(1, [Parachain(paraId), AccountId32 { id } | AccountKey20 { key }])` (no network).
 */
export function derivedOnCrust(paraId: number, raw: Uint8Array): Uint8Array {
  const user =
    raw.length === 20
      ? ({ type: 'AccountKey20', value: { key: raw } } as const)
      : ({ type: 'AccountId32', value: { id: raw } } as const);
  return hashedDescription({ parents: 1, interior: [{ type: 'Parachain', value: paraId }, user] })!;
}

export const crustAddress = (raw: Uint8Array): string => encodeAddress(raw, 66);

/** `"sibl" ++ u32_le(id)`, zero-padded to `length`: a sibling's sovereign account. */
export function sibl(paraId: number, length: 32 | 20 = 32): Uint8Array {
  const a = new Uint8Array(length);
  a.set(stringToU8a('sibl'));
  new DataView(a.buffer).setUint32(4, paraId, true);
  return a;
}

/** A market pot's account: b"modl" ++ b"crmarket" ++ Compact(4) ++ name ++ zeros (Substrate's sub-account). */
export function potAccount(name: 'stak' | 'stor' | 'rese'): string {
  const a = new Uint8Array(32);
  a.set([...stringToU8a('modlcrmarket'), 16, ...stringToU8a(name)]);
  return crustAddress(a);
}

export const siblingLoc = (paraId: number) => ({ parents: 1, interior: { X1: [{ Parachain: paraId }] } });
export const CRU_LOC = siblingLoc(CRUST);

/** `Perbill::from_percent(p) * v`, rounded to the nearest (ties down): Crust's pot shares. */
export const percentOf = (p: bigint, v: bigint): bigint => {
  const q = (v * p) / 100n;
  return ((v * p) % 100n) * 2n > 100n ? q + 1n : q;
};

/** Crust's market fees at `hash`: `fileBaseFee`, `fileByteFee` (per MiB), `fileKeysCountFee`. */
export async function marketFeesAt(
  crust: ApiPromise,
  hash: string,
): Promise<{ base: bigint; byte: bigint; keys: bigint }> {
  const at = await crust.at(hash);
  const [base, byte, keys] = await Promise.all([
    at.query.market.fileBaseFee(),
    at.query.market.fileByteFee(),
    at.query.market.fileKeysCountFee(),
  ]);
  return {
    base: (base as any).toBigInt(),
    byte: (byte as any).toBigInt(),
    keys: (keys as any).toBigInt(),
  };
}

/** Crust's `get_file_fee`: base + byte × whole MiB (rounded up) + keys-count. */
export const fileFee = (f: { base: bigint; byte: bigint; keys: bigint }, size: bigint): bigint =>
  f.base + f.byte * ((size + MIB - 1n) / MIB) + f.keys;

/** The phase of the first event of `section.method` matching `pick` in block `hash` ("Initialization", …). */
export async function phaseOf(
  api: ApiPromise,
  hash: string,
  section: string,
  method: string,
  pick: (data: any) => boolean,
): Promise<string> {
  const records = (await (await api.at(hash)).query.system.events()) as any;
  for (const { event, phase } of records)
    if (event.section === section && event.method === method && pick(event.data)) return phase.type;
  throw new Error(`no ${section}.${method} in ${hash}`);
}

/**
 * The state whose market fees a message on Crust paid: MessageQueue (33) services in on_initialize, before
 * Market's on_initialize (100) may move the fees (the parent's fees), and in on_idle, after it (the block's own).
 */
export async function feesStateOf(crust: ApiPromise, found: Found, pick: (data: any) => boolean) {
  const phase = await phaseOf(crust, found.block.hash, found.event.section, found.event.method, pick);
  if (phase !== 'Initialization') return found.block.hash;
  return (await crust.rpc.chain.getHeader(found.block.hash)).parentHash.toHex();
}

export const parentHash = async (api: ApiPromise, hash: string): Promise<string> =>
  (await api.rpc.chain.getHeader(hash)).parentHash.toHex();

/** What `weight` costs in `asset` at `hash` (XcmPaymentApi::query_weight_to_asset_fee). */
export async function weightFeeAt(
  api: ApiPromise,
  hash: string,
  weight: any,
  asset: object,
): Promise<bigint> {
  const r = (await (
    await api.at(hash)
  ).call.xcmPaymentApi.queryWeightToAssetFee(weight, { V5: asset })) as any;
  if (r.isErr) throw new Error(`queryWeightToAssetFee: ${r.asErr.toString()}`);
  return r.asOk.toBigInt();
}

export async function freeAt(api: ApiPromise, hash: string, who: Uint8Array | string): Promise<bigint> {
  return ((await (await api.at(hash)).query.system.account(who)) as any).data.free.toBigInt();
}

export async function foreignAt(
  api: ApiPromise,
  hash: string,
  location: object,
  who: Uint8Array | string,
): Promise<bigint> {
  const a = (await (await api.at(hash)).query.foreignAssets.account(location, who)) as any;
  return a.isSome ? a.unwrap().balance.toBigInt() : 0n;
}

export async function supplyAt(api: ApiPromise, hash: string, location: object): Promise<bigint> {
  const a = (await (await api.at(hash)).query.foreignAssets.asset(location)) as any;
  return a.isSome ? a.unwrap().supply.toBigInt() : 0n;
}

export async function issuanceAt(api: ApiPromise, hash: string): Promise<bigint> {
  return ((await (await api.at(hash)).query.balances.totalIssuance()) as any).toBigInt();
}

export const bestHash = async (api: ApiPromise): Promise<string> =>
  (await api.rpc.chain.getBlockHash()).toHex();

export interface Outcome {
  blockHash: string;
  events: any[];
  /** `section.name` of a failed dispatch's module error (or the error's kind), else undefined. */
  error: string | undefined;
  /** `transactionPayment.TransactionFeePaid.actualFee`. */
  fee: bigint;
}

/** Signs and sends `tx`; resolves in its block with its events, fee and dispatch error (a failed call resolves too). */
export function submitOutcome(api: ApiPromise, tx: any, signer: KeyringPair): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    tx.signAndSend(signer, (r: any) => {
      if (r.isError) {
        unsub?.();
        reject(new Error(`transaction ${r.status.type}`));
        return;
      }
      if (!r.status.isInBlock && !r.status.isFinalized) return;
      unsub?.();
      let error: string | undefined;
      if (r.dispatchError) {
        const d = r.dispatchError;
        if (d.isModule) {
          const m = api.registry.findMetaError(d.asModule);
          error = `${m.section}.${m.name}`;
        } else error = d.type;
      }
      const paid = r.events.find(
        ({ event }: any) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid',
      );
      resolve({
        blockHash: (r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex(),
        events: r.events.map(({ event }: any) => event),
        error,
        fee: paid ? paid.event.data.actualFee.toBigInt() : 0n,
      });
    })
      .then((u: () => void) => {
        unsub = u;
      })
      .catch(reject);
  });
}
