/**
 * The SDK's journey against a devnet with storage nodes: `client.store` from acala (its xstorage pallet) followed hop
 * by hop to replicas and read back byte-identical; an order from moonbeam sent with `polkadotXcm.send` (the route of a
 * chain without the pallet: the user's own derived account on Crust, CRU moved there in the same batch) placed and
 * charged on Crust; an order Crust refuses (its market closed by sudo) failing with the reason that came back by XCM,
 * and its refund arriving back home.
 */
import { randomBytes } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedDevnet, spawnDevnet } from '../../node/test/devnet/spawn-devnet.ts';
import {
  createClient,
  type OrderEvent,
  siblingLocation,
  siblingUserAccount,
  type XstorageClient,
} from '../src/index.ts';

let net: SpawnedDevnet;
let client: XstorageClient;

beforeAll(async () => {
  await cryptoWaitReady();
  net = await spawnDevnet({
    parachains: ['crust', 'acala', 'moonbeam'],
    blockTimeMs: 500,
    storageNodes: 4,
    readyTimeoutMs: 55_000,
  });
  client = await createClient({ endpoints: net.endpoints });
}, 60_000);

afterAll(async () => {
  await client?.disconnect();
  await net?.dispose();
});

async function collect(events: AsyncIterable<OrderEvent>): Promise<OrderEvent[]> {
  const out: OrderEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('@xstorage/sdk against a devnet', () => {
  it('stores bytes from acala through its pallet, follows every hop to 2 replicas, reads them back', async () => {
    const signer = await client.signer('//Alice', 'acala');
    const bytes = randomBytes(100_000);
    const quote = await client.estimateFee({ from: 'acala', size: bytes.length, signer });
    expect(quote.route).toBe('pallet');
    const { cid, size, receipt, events } = await client.store(bytes, {
      from: 'acala',
      signer,
      replicas: 2,
      timeoutMs: 45_000,
    });
    expect(receipt.route).toBe('pallet');
    expect(receipt.messageId).toMatch(/^0x[0-9a-f]{64}$/);
    const seen = await collect(events);
    expect(seen.slice(0, 5).map((e) => e.kind)).toEqual([
      'sent',
      'relayed',
      'executed',
      'confirmed',
      'replicas',
    ]);
    const executed = seen.find((e) => e.kind === 'executed') as Extract<OrderEvent, { kind: 'executed' }>;
    // The order belongs to Alice's own account on Crust (the message descends to her), charged the market fee.
    expect(executed.account).toBe(encodeAddress(siblingUserAccount(2000, signer.accountId, 'sr25519'), 66));
    expect(executed.fee).toBeGreaterThan(0n);
    const last = seen.at(-1) as Extract<OrderEvent, { kind: 'replicas' }>;
    expect(last.count).toBeGreaterThanOrEqual(2);
    const status = await client.status(cid);
    expect(status!.size).toBe(size);
    expect(Buffer.compare(Buffer.from(await client.getFile(cid)), bytes)).toBe(0);
  }, 50_000);

  it('sends an order from moonbeam through polkadotXcm.send: the user pays CRU from their own account on Crust', async () => {
    const alith = await client.signer('Alith', 'moonbeam');
    const { cid, size } = await client.gateway.add([{ path: 'n.txt', content: randomBytes(3000) }], {
      signer: alith,
    });
    const moonbeam = await client.api('moonbeam');
    const cruBefore = (
      (await (moonbeam.query as any).foreignAssets.account(siblingLocation(2008), alith.address)) as any
    )
      .unwrap()
      .balance.toBigInt();
    const receipt = await client.placeOrder({
      from: 'moonbeam',
      cid,
      size,
      pay: 'cru',
      signer: alith,
      route: 'polkadotXcm',
    });
    expect(receipt.route).toBe('polkadotXcm');
    const seen = await collect(client.watchOrder(receipt, { replicas: 0, timeoutMs: 30_000 }));
    expect(seen.map((e) => e.kind)).toEqual(['sent', 'relayed', 'executed']);
    const derived = encodeAddress(siblingUserAccount(2004, alith.accountId, 'ethereum'), 66);
    expect((seen[2] as Extract<OrderEvent, { kind: 'executed' }>).account).toBe(derived);
    expect(receipt.crustAccount).toBe(derived);
    expect((await client.status(cid))!.size).toBe(size);
    // CRU left Alith's balance on moonbeam for her account on Crust (the top-up in the same batch).
    const cruAfter = (
      (await (moonbeam.query as any).foreignAssets.account(siblingLocation(2008), alith.address)) as any
    )
      .unwrap()
      .balance.toBigInt();
    expect(cruAfter).toBeLessThan(cruBefore);
  }, 45_000);

  it('an order Crust refuses fails with the reason sent back by XCM, and the refund comes home', async () => {
    const crust = await client.api('crust');
    const sudoAlice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const setMarket = (enable: boolean) =>
      new Promise<void>((resolve, reject) =>
        crust.tx.sudo
          .sudo(crust.tx.market.setEnableMarket(enable))
          .signAndSend(sudoAlice, (r: any) => {
            if (r.dispatchError) reject(new Error(r.dispatchError.toString()));
            if (r.status.isInBlock) resolve();
          })
          .catch(reject),
      );
    const signer = await client.signer('//Alice', 'acala');
    const acala = await client.api('acala');
    const cru = async () =>
      ((await (acala.query as any).foreignAssets.account(siblingLocation(2008), signer.address)) as any)
        .unwrap()
        .balance.toBigInt() as bigint;
    await setMarket(false);
    try {
      const { cid, size } = await client.gateway.add([{ path: 'r.bin', content: randomBytes(2000) }], {
        signer,
      });
      const before = await cru();
      const receipt = await client.placeOrder({ from: 'acala', cid, size, pay: 'cru', signer });
      const paid = before - (await cru());
      expect(paid).toBe(receipt.fee.total);
      const seen = await collect(client.watchOrder(receipt, { replicas: 0, timeoutMs: 30_000 }));
      const failed = seen.at(-1) as Extract<OrderEvent, { kind: 'failed' }>;
      expect(failed).toMatchObject({
        kind: 'failed',
        where: 'crust',
        reason: 'market.PlaceOrderNotAvailable',
      });
      expect(failed.refund).toBeGreaterThan(0n);
      expect(failed.refund).toBeLessThanOrEqual(paid);
      // The refund travels back as a reserve transfer of CRU: Alice's balance rises by it (less its trip's fee).
      const afterOrder = before - paid;
      let now = await cru();
      for (let i = 0; i < 60 && now <= afterOrder; i++) {
        await new Promise((r) => setTimeout(r, 250));
        now = await cru();
      }
      expect(now).toBeGreaterThan(afterOrder);
      expect(now - afterOrder).toBeLessThanOrEqual(failed.refund!);
    } finally {
      await setMarket(true);
    }
  }, 45_000);
});
