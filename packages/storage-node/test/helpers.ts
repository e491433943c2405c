/**
 * Test helpers for storage nodes on a devnet: @polkadot/api against Crust, orders by //Alice, replicas from
 * `market.filesV2`, a node's `/status`, uploads to a gateway with W3Auth, and storage-node processes.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export { connectApi } from '../../node/test/chain/helpers.ts';
export { type SpawnedDevnet, spawnDevnet } from '../../node/test/devnet/spawn-devnet.ts';
export { add, multipart, ndjson } from './gateway/helpers.ts';
export {
  killStorageNodeProcesses,
  type Running,
  xstorage,
} from './ipfs/storage-node-process.ts';

/** Deterministic pseudo-random bytes (xorshift), fast for 100 MiB. */
export function fileBytes(n: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = (seed * 2654435761) >>> 0 || 1;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  for (; i < n; i++) out[i] = i & 0xff;
  return out;
}

/** `Authorization: Basic base64("sub-<addr>:<sig>")` (W3Auth) for a dev key. */
export async function w3auth(uri = '//Alice'): Promise<{ token: string; address: string }> {
  await cryptoWaitReady();
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(uri);
  const token = Buffer.from(`sub-${pair.address}:${u8aToHex(pair.sign(pair.address))}`).toString('base64');
  return { token, address: pair.address };
}

export async function alice() {
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519', ss58Format: 66 }).addFromUri('//Alice');
}

/** Signs and sends; resolves with the inclusion block number and events. */
export function sendInBlock(
  api: ApiPromise,
  tx: any,
  signer: any,
): Promise<{ blockNumber: number; events: any[] }> {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, { nonce: -1 }, (r: any) => {
      if (r.dispatchError) reject(new Error(`dispatch error: ${r.dispatchError.toString()}`));
      else if (r.isError) reject(new Error(`transaction ${r.status.type}`));
      // A parachain block is final once the relay chain includes it; until then a sibling may replace it.
      else if (r.status.isFinalized)
        void api.rpc.chain
          .getHeader(r.status.asFinalized)
          .then((h) => resolve({ blockNumber: h.number.toNumber(), events: r.events }), reject);
    }).catch(reject);
  });
}

export async function placeOrder(api: ApiPromise, cid: string, size: number) {
  return sendInBlock(api, api.tx.market.placeStorageOrder(cid, size, 0, ''), await alice());
}

/** Group owners holding a replica of `cid`, and who reported each. */
export async function replicasOf(
  api: ApiPromise,
  cid: string,
): Promise<Array<{ owner: string; who: string }>> {
  const v = (await api.query.market.filesV2(cid)) as any;
  if (v.isNone) return [];
  return [...v.unwrap().replicas.entries()].map(([o, r]: any) => ({
    owner: o.toString(),
    who: r.who.toString(),
  }));
}

export async function status(http: string): Promise<any> {
  const res = await fetch(`${http}/status`);
  if (res.status !== 200) throw new Error(`/status answered ${res.status}`);
  return res.json();
}

export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  ms: number,
  everyMs = 250,
): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() - t0 > ms)
      throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Adds bytes through a gateway's Kubo RPC (W3Auth); returns the CID and the DAG size an order declares. */
export async function upload(
  gateway: string,
  bytes: Uint8Array,
  name = 'file.bin',
): Promise<{ cid: string; size: number }> {
  const { token } = await w3auth('//Bob');
  const { add, ndjson } = await import('./gateway/helpers.ts');
  const res = await add(gateway, `Basic ${token}`, [{ path: name, content: bytes }]);
  if (res.status !== 200) throw new Error(`add answered ${res.status}: ${await res.text()}`);
  const lines = await ndjson(res);
  const last = lines.at(-1);
  return { cid: last.Hash, size: Number(last.Size) };
}
