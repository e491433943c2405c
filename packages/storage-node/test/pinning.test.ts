/**
 * The IPFS Pinning Service API on the devnet's public gateway (storage node 1), exercised with plain `fetch` as the
 * spec describes it (ipfs/pinning-services-api-spec ipfs-pinning-service.yaml): a W3Auth bearer token as Crust's
 * pinning service takes it, a pin that places a Crust order paid by the gateway's account and goes queued → pinning →
 * pinned when three replicas are reported, a pin of a DAG the gateway cannot get ends failed with its reason,
 * filters, pagination by `created`, replace and delete, and the spec's error bodies for bad tokens, bad CIDs, bad
 * parameters and unknown request ids.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectApi, fileBytes, type SpawnedDevnet, spawnDevnet, upload, waitUntil } from './helpers.ts';

let net: SpawnedDevnet;
let api: ApiPromise;
let base: string;
let bob: string;
let charlie: string;

async function token(uri: string): Promise<string> {
  await cryptoWaitReady();
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(uri);
  return Buffer.from(`sub-${pair.address}:${u8aToHex(pair.sign(pair.address))}`).toString('base64');
}

function call(method: string, path: string, auth: string | undefined, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (auth !== undefined) headers.Authorization = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function failure(res: Response, status: number, reason: string): Promise<string> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { reason: string; details: string } };
  expect(body.error.reason).toBe(reason);
  expect(typeof body.error.details).toBe('string');
  return body.error.details;
}

beforeAll(async () => {
  net = await spawnDevnet({
    parachains: ['crust'],
    blockTimeMs: 500,
    storageNodes: 4,
    readyTimeoutMs: 100_000,
  });
  api = await connectApi(net.endpoints.parachains.crust.ws);
  base = net.endpoints.gateway!;
  bob = `Bearer ${await token('//Bob')}`;
  charlie = `Bearer ${await token('//Charlie')}`;
}, 120_000);

// A failure on a loaded machine is read from what the storage nodes did last.
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail')
    console.error(
      `last storage node events:\n${net?.events
        .filter((e) => e.event === 'storage')
        .slice(-80)
        .map((e) => JSON.stringify(e))
        .join('\n')}`,
    );
});

afterAll(async () => {
  await api?.disconnect().catch(() => {});
  await net?.dispose();
});

describe('IPFS Pinning Service API', () => {
  it('refuses missing, malformed and forged tokens with 401 UNAUTHORIZED', async () => {
    await failure(await call('GET', '/pins', undefined), 401, 'UNAUTHORIZED');
    await failure(await call('GET', '/pins', 'Bearer'), 401, 'UNAUTHORIZED');
    await failure(await call('GET', '/pins', 'Bearer not*base64'), 401, 'UNAUTHORIZED');
    // A real token of //Bob, but Basic instead of Bearer.
    await failure(await call('GET', '/pins', bob.replace('Bearer', 'Basic')), 401, 'UNAUTHORIZED');
    // //Bob's address with //Charlie's signature of it.
    const [bobCred] = Buffer.from(bob.slice(7), 'base64').toString().split(':');
    const [, charlieSig] = Buffer.from(charlie.slice(7), 'base64').toString().split(':');
    const forged = `Bearer ${Buffer.from(`${bobCred}:${charlieSig}`).toString('base64')}`;
    const details = await failure(await call('GET', '/pins', forged), 401, 'UNAUTHORIZED');
    expect(details).toMatch(/Invalid Signature/);
    await failure(
      await call('POST', '/pins', forged, { cid: 'QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n' }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('refuses bad pins and bad list parameters with 400 BAD_REQUEST, unknown ids with 404 NOT_FOUND', async () => {
    await failure(await call('POST', '/pins', bob, { cid: 'not-a-cid' }), 400, 'BAD_REQUEST');
    await failure(await call('POST', '/pins', bob, {}), 400, 'BAD_REQUEST');
    await failure(await call('POST', '/pins', bob, '{"cid":'), 400, 'BAD_REQUEST');
    await failure(await call('POST', '/pins', bob, [1, 2]), 400, 'BAD_REQUEST');
    const cid = 'QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n';
    await failure(await call('POST', '/pins', bob, { cid, name: 'x'.repeat(256) }), 400, 'BAD_REQUEST');
    await failure(
      await call('POST', '/pins', bob, { cid, origins: ['not a multiaddr'] }),
      400,
      'BAD_REQUEST',
    );
    await failure(await call('POST', '/pins', bob, { cid, meta: { n: 1 } }), 400, 'BAD_REQUEST');
    await failure(await call('POST', '/pins', bob, { cid: 'x'.repeat(70_000) }), 400, 'BAD_REQUEST');
    // A dag-cbor CID cannot be a Crust file.
    await failure(
      await call('POST', '/pins', bob, {
        cid: 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      }),
      400,
      'BAD_REQUEST',
    );
    for (const q of [
      'limit=0',
      'limit=1001',
      'limit=x',
      'status=done',
      'before=yesterday',
      'meta=notjson',
      'match=fuzzy',
    ])
      await failure(await call('GET', `/pins?${q}`, bob), 400, 'BAD_REQUEST');
    await failure(await call('GET', '/pins/00000000-0000-0000-0000-000000000000', bob), 404, 'NOT_FOUND');
    await failure(await call('DELETE', '/pins/unknown', bob), 404, 'NOT_FOUND');
    await failure(await call('POST', '/pins/unknown', bob, { cid }), 404, 'NOT_FOUND');
  });

  it('pins a file through a Crust order: queued → pinning → pinned at three replicas; filters, replace, delete', async () => {
    const { cid } = await upload(base, fileBytes(1024 * 1024, 21), 'photo.jpg');
    const res = await call('POST', '/pins', bob, { cid, name: 'photo.jpg', meta: { app_id: 'x' } });
    expect(res.status).toBe(202);
    const created = (await res.json()) as any;
    expect(created).toMatchObject({
      status: 'queued',
      pin: { cid, name: 'photo.jpg', meta: { app_id: 'x' } },
    });
    expect(created.requestid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(created.created)).toBeGreaterThan(0);
    expect(created.delegates.length).toBeGreaterThanOrEqual(1);
    expect(created.delegates[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//);
    const seen = new Set<string>();
    let last: any;
    const pinned = await waitUntil(
      'pinned',
      async () => {
        const r = (await (await call('GET', `/pins/${created.requestid}`, bob)).json()) as any;
        seen.add(r.status);
        last = r;
        return r.status === 'pinned' ? r : undefined;
      },
      100_000,
      200,
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}; statuses seen: ${[...seen].join(', ')}; last: ${JSON.stringify(last)}`,
      );
    });
    expect(seen.has('pinning')).toBe(true);
    expect(pinned.info.status_details).toMatch(/replicas on Crust/);
    expect(Number(pinned.info.dag_size)).toBeGreaterThan(1024 * 1024);
    const file = ((await api.query.market.filesV2(cid)) as any).unwrap();
    expect(file.reportedReplicaCount.toNumber()).toBeGreaterThanOrEqual(3);

    // Charlie sees none of Bob's pins, and cannot read or delete them.
    expect(await (await call('GET', '/pins', charlie)).json()).toEqual({ count: 0, results: [] });
    await failure(await call('GET', `/pins/${created.requestid}`, charlie), 404, 'NOT_FOUND');
    await failure(await call('DELETE', `/pins/${created.requestid}`, charlie), 404, 'NOT_FOUND');

    // A DAG the gateway does not have and no origins to get it from: failed, with the reason.
    const missing = 'bafkreie7ohywtosou76tasm7j63yigtzxe7d5zqus4zu3j6oltvgtibeom';
    const failedPin = (await (
      await call('POST', '/pins', bob, { cid: missing, name: 'gone' })
    ).json()) as any;
    const failed = await waitUntil(
      'failed',
      async () => {
        const r = (await (await call('GET', `/pins/${failedPin.requestid}`, bob)).json()) as any;
        return r.status === 'failed' ? r : undefined;
      },
      20_000,
    );
    expect(failed.info.status_details).toMatch(/not on this gateway and the pin names no origins/);

    const list = async (q: string) => (await (await call('GET', `/pins${q}`, bob)).json()) as any;
    // No filter: only pinned ones.
    expect((await list('')).results.map((r: any) => r.requestid)).toEqual([created.requestid]);
    expect((await list('?status=failed')).results.map((r: any) => r.requestid)).toEqual([
      failedPin.requestid,
    ]);
    expect((await list('?status=pinned,failed')).count).toBe(2);
    expect((await list('?status=pinned&status=failed')).count).toBe(2);
    expect((await list('?name=PHOTO.JPG&match=iexact')).count).toBe(1);
    expect((await list('?name=PHOTO.JPG')).count).toBe(0);
    expect((await list('?name=oto&match=partial')).count).toBe(1);
    expect((await list(`?meta=${encodeURIComponent('{"app_id":"x"}')}`)).count).toBe(1);
    expect((await list(`?meta=${encodeURIComponent('{"app_id":"y"}')}`)).count).toBe(0);
    expect((await list(`?cid=${cid}`)).count).toBe(1);
    // Pagination: newest first, then `before` the oldest one seen.
    const page1 = await list('?status=pinned,failed&limit=1');
    expect(page1.count).toBe(2);
    expect(page1.results.map((r: any) => r.requestid)).toEqual([failedPin.requestid]);
    const page2 = await list(
      `?status=pinned,failed&limit=1&before=${encodeURIComponent(page1.results[0].created)}`,
    );
    expect(page2.results.map((r: any) => r.requestid)).toEqual([created.requestid]);
    expect((await list(`?status=pinned,failed&after=${encodeURIComponent(created.created)}`)).count).toBe(1);

    // Replace: a new request id, the old one gone; the file is already on Crust, so it is pinned again.
    const replaced = await call('POST', `/pins/${created.requestid}`, bob, { cid, name: 'photo-v2.jpg' });
    expect(replaced.status).toBe(202);
    const next = (await replaced.json()) as any;
    expect(next.requestid).not.toBe(created.requestid);
    expect(next.pin.name).toBe('photo-v2.jpg');
    await failure(await call('GET', `/pins/${created.requestid}`, bob), 404, 'NOT_FOUND');

    const deleted = await call('DELETE', `/pins/${next.requestid}`, bob);
    expect(deleted.status).toBe(202);
    expect(await deleted.text()).toBe('');
    await failure(await call('GET', `/pins/${next.requestid}`, bob), 404, 'NOT_FOUND');
  }, 90_000);
});
