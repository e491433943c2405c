/**
 * The IPFS Pinning Service API (ipfs/pinning-services-api-spec, v0.1.x) on a public gateway, the way Crust's pinning
 * service runs it (crustio/ipfs-w3auth-pinning-service): the access token is a W3Auth credential,
 * `Authorization: Bearer base64("<chain>-<address>:<signature of the address>")`; a pin request places a Crust
 * storage order for the CID, paid by the gateway operator's account (the node's `--key`), with the requester's
 * address in the order's memo and in the pin record; the pin is `queued` until the DAG is on the gateway and the
 * order is in a block, `pinning` until `market.filesV2(cid)` counts `replicas` reported replicas, then `pinned`;
 * `failed` with `info.status_details` saying why.
 *
 *   GET /pins?cid=&name=&match=&status=&before=&after=&limit=&meta=   list (default status: pinned, newest first)
 *   POST /pins                                                         add      → 202 PinStatus
 *   GET /pins/{requestid}                                              one
 *   POST /pins/{requestid}                                             replace  → 202 PinStatus (new requestid)
 *   DELETE /pins/{requestid}                                           remove   → 202
 * Errors: `{ "error": { "reason", "details" } }` with 400 BAD_REQUEST, 401 UNAUTHORIZED, 404 NOT_FOUND, 409
 * INSUFFICIENT_FUNDS, 500 INTERNAL_SERVER_ERROR.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { CID } from 'multiformats/cid';
import { ChainDispatchError } from '../chain/crust-client.ts';
import type { CrustStorageNode } from '../crust-storage-node.ts';
import { verifyW3Auth } from '../gateway/auth.ts';
import { type Route, sendJson } from '../http/route.ts';
import { dagSize, type Provider } from '../ipfs-access.ts';

export interface PinningOptions {
  /** Replicas on chain for a pin to be `pinned` (Crust's pinner: 3). */
  replicas: number;
  /** How long a DAG not on the gateway may take to arrive from `origins` (ms). */
  fetchTimeoutMs?: number;
}

export type PinStatusValue = 'queued' | 'pinning' | 'pinned' | 'failed';
const STATUSES: PinStatusValue[] = ['queued', 'pinning', 'pinned', 'failed'];

export interface Pin {
  cid: string;
  name?: string;
  origins?: string[];
  meta?: Record<string, string>;
}

interface PinRecord {
  requestid: string;
  status: PinStatusValue;
  created: string;
  pin: Pin;
  /** `<chain>:<address>` of the requester. */
  owner: string;
  info: Record<string, string>;
}

class PinningError extends Error {
  override name = 'PinningError';
  constructor(
    readonly status: number,
    readonly reason: string,
    details: string,
  ) {
    super(details);
  }
}

const MAX_BODY = 64 * 1024;

/** Pin records, kept in `<base>/pins.json` (rewritten whole, atomically). */
class PinRecords {
  readonly records = new Map<string, PinRecord>();
  private saving: Promise<void> = Promise.resolve();
  constructor(private readonly file: string) {}
  async load(): Promise<void> {
    if (!existsSync(this.file)) return;
    for (const r of JSON.parse(await readFile(this.file, 'utf8')) as PinRecord[])
      this.records.set(r.requestid, r);
  }
  save(): Promise<void> {
    const text = JSON.stringify([...this.records.values()]);
    this.saving = this.saving.then(async () => {
      await writeFile(`${this.file}.tmp`, text);
      await rename(`${this.file}.tmp`, this.file);
    });
    return this.saving;
  }
}

/** Tries at placing a pin's Crust order before the pin fails (only pool or connection failures are tried again). */
const MAX_ORDER_ATTEMPTS = 3;

export function pinningRoutes(node: CrustStorageNode, options: PinningOptions): Route[] {
  const store = new PinRecords(join(node.options.basePath, 'pins.json'));
  const loaded = store.load();
  let lastCreated = 0;
  const work = new Set<string>();

  const delegates = (): string[] => {
    const addrs = node.ipfs.started ? node.ipfs.multiaddrs.map(String) : [];
    return addrs.length > 0
      ? addrs.slice(0, 20)
      : [`/p2p/${node.ipfs.started ? node.ipfs.peerId : 'unknown'}`];
  };
  const view = (r: PinRecord) => ({
    requestid: r.requestid,
    status: r.status,
    created: r.created,
    pin: r.pin,
    delegates: delegates(),
    info: r.info,
  });
  const set = async (
    r: PinRecord,
    status: PinStatusValue,
    details: string,
    extra: Record<string, string> = {},
  ) => {
    if (!store.records.has(r.requestid)) return;
    r.status = status;
    r.info = { ...r.info, ...extra, status_details: details };
    await store.save();
  };

  /** queued → (DAG on the gateway, order in a block) → pinning → (replicas) → pinned, or failed. */
  const process = async (r: PinRecord) => {
    if (work.has(r.requestid)) return;
    work.add(r.requestid);
    try {
      const cid = CID.parse(r.pin.cid);
      if (r.status === 'queued') {
        const crust = node.crust;
        let size: number;
        if (!(await node.ipfs.isPinned(cid))) {
          const providers: Provider[] = (r.pin.origins ?? []).map((m) => ({ kind: 'libp2p', multiaddr: m }));
          if (providers.length === 0 && !(await node.ipfs.helia.blockstore.has(cid)))
            return await set(r, 'failed', 'the DAG is not on this gateway and the pin names no origins');
          const outcome = await node.ipfs.fetchAndPin(cid, {
            providers,
            deadline: Date.now() + (options.fetchTimeoutMs ?? 10 * 60_000),
          });
          if (outcome.status !== 'complete')
            return await set(r, 'failed', `could not fetch the DAG from its origins: ${outcome.status}`);
        }
        size = await dagSize(node.ipfs.helia, cid);
        // An earlier attempt may have landed after its answer was lost: never pay for the same pin twice.
        const existing = (r.info.order_attempts ?? '0') !== '0' ? await crust.file(r.pin.cid) : undefined;
        if (existing) {
          await set(r, 'pinning', 'order on Crust', { dag_size: String(size) });
        } else {
          const attempts = Number(r.info.order_attempts ?? '0') + 1;
          try {
            const memo = r.owner.slice(r.owner.indexOf(':') + 1);
            // Final, not only in a block: a parachain block can lose its place to a sibling, and with it the order.
            const inBlock = await crust.submit(
              crust.api.tx.market.placeStorageOrder(r.pin.cid, size, 0, memo),
              node.accountPair,
              { finalized: true },
            );
            await set(r, 'pinning', `order placed in block ${inBlock.blockNumber}`, {
              dag_size: String(size),
              order_block: String(inBlock.blockNumber),
            });
          } catch (err) {
            const why = `the Crust order failed: ${(err as Error).message}`;
            // The market refused it (balance, size, …): final. The pool or the connection: try again, a few times.
            if (err instanceof ChainDispatchError || attempts >= MAX_ORDER_ATTEMPTS)
              return await set(r, 'failed', why);
            return await set(r, 'queued', `${why}; trying again (${attempts} of ${MAX_ORDER_ATTEMPTS})`, {
              order_attempts: String(attempts),
            });
          }
        }
      }
      if (r.status === 'pinning') {
        const file = await node.crust.file(r.pin.cid);
        if (!file) return await set(r, 'failed', 'the order is gone from market.filesV2 (closed)');
        const replicas = String(file.reportedReplicaCount);
        if (file.reportedReplicaCount >= options.replicas)
          await set(r, 'pinned', `${replicas} replicas on Crust`, { replicas });
        else if (r.info.replicas !== replicas) {
          r.info = {
            ...r.info,
            replicas,
            status_details: `${replicas} of ${options.replicas} replicas on Crust`,
          };
          await store.save();
        }
      }
    } catch (err) {
      await set(r, 'failed', `${(err as Error).name}: ${(err as Error).message}`);
    } finally {
      work.delete(r.requestid);
    }
  };
  const timer = setInterval(() => {
    for (const r of store.records.values())
      if (r.status === 'queued' || r.status === 'pinning') void process(r);
  }, 1000);
  timer.unref();

  const create = async (owner: string, pin: Pin): Promise<PinRecord> => {
    // `created` is the pagination key: unique and increasing (ms resolution, bumped on a tie).
    const now = Math.max(Date.now(), lastCreated + 1);
    lastCreated = now;
    const r: PinRecord = {
      requestid: randomUUID(),
      status: 'queued',
      created: new Date(now).toISOString(),
      pin,
      owner,
      info: { status_details: 'waiting for the DAG and the Crust order' },
    };
    store.records.set(r.requestid, r);
    await store.save();
    void process(r);
    return r;
  };

  const route: Route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const m = /^\/pins(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!m) return false;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-allow-headers': 'Authorization, Content-Type',
        'access-control-max-age': '86400',
      });
      res.end();
      return true;
    }
    try {
      await loaded;
      const owner = await authorize(req);
      const id = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
      if (id === undefined) {
        if (req.method === 'GET') sendJson(res, 200, list(owner, url.searchParams));
        else if (req.method === 'POST')
          sendJson(res, 202, view(await create(owner, parsePin(await readJson(req)))));
        else throw new PinningError(405, 'METHOD_NOT_ALLOWED', 'use GET or POST on /pins');
        return true;
      }
      const r = store.records.get(id);
      if (!r || r.owner !== owner) {
        drain(req);
        throw new PinningError(404, 'NOT_FOUND', `no pin request ${id.slice(0, 100)}`);
      }
      if (req.method === 'GET') sendJson(res, 200, view(r));
      else if (req.method === 'DELETE') {
        store.records.delete(id);
        await store.save();
        res.writeHead(202, { 'access-control-allow-origin': '*', 'content-length': '0' });
        res.end();
      } else if (req.method === 'POST') {
        const pin = parsePin(await readJson(req));
        store.records.delete(id);
        sendJson(res, 202, view(await create(owner, pin)));
      } else
        throw new PinningError(405, 'METHOD_NOT_ALLOWED', 'use GET, POST or DELETE on /pins/{requestid}');
    } catch (err) {
      const e =
        err instanceof PinningError
          ? err
          : new PinningError(500, 'INTERNAL_SERVER_ERROR', (err as Error).message);
      drain(req);
      sendJson(res, e.status, { error: { reason: e.reason, details: e.message } });
    }
    return true;
  };

  const list = (owner: string, q: URLSearchParams) => {
    const cids = q
      .getAll('cid')
      .flatMap((c) => c.split(','))
      .filter((c) => c !== '');
    if (cids.length > 10) throw new PinningError(400, 'BAD_REQUEST', 'at most 10 cid values');
    const statuses = q
      .getAll('status')
      .flatMap((s) => s.split(','))
      .filter((s) => s !== '') as PinStatusValue[];
    for (const s of statuses)
      if (!STATUSES.includes(s))
        throw new PinningError(400, 'BAD_REQUEST', `unknown status '${String(s).slice(0, 40)}'`);
    const wanted = statuses.length > 0 ? statuses : ['pinned'];
    const name = q.get('name');
    if (name !== null && name.length > 255)
      throw new PinningError(400, 'BAD_REQUEST', 'name is longer than 255');
    const match = q.get('match') ?? 'exact';
    if (!['exact', 'iexact', 'partial', 'ipartial'].includes(match))
      throw new PinningError(400, 'BAD_REQUEST', `match must be exact, iexact, partial or ipartial`);
    const date = (key: string) => {
      const v = q.get(key);
      if (v === null) return undefined;
      const t = Date.parse(v);
      if (Number.isNaN(t)) throw new PinningError(400, 'BAD_REQUEST', `${key} is not an RFC 3339 date-time`);
      return t;
    };
    const before = date('before');
    const after = date('after');
    const limitText = q.get('limit');
    const limit = limitText === null ? 10 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new PinningError(400, 'BAD_REQUEST', 'limit must be an integer of 1..1000');
    let meta: Record<string, unknown> | undefined;
    const metaText = q.get('meta');
    if (metaText !== null) {
      try {
        meta = JSON.parse(metaText);
      } catch {
        throw new PinningError(400, 'BAD_REQUEST', 'meta must be a JSON object');
      }
      if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
        throw new PinningError(400, 'BAD_REQUEST', 'meta must be a JSON object');
    }
    const matches = (n: string | undefined) => {
      if (name === null) return true;
      if (n === undefined) return false;
      if (match === 'exact') return n === name;
      if (match === 'iexact') return n.toLowerCase() === name.toLowerCase();
      if (match === 'partial') return n.includes(name);
      return n.toLowerCase().includes(name.toLowerCase());
    };
    const found = [...store.records.values()]
      .filter((r) => r.owner === owner)
      .filter((r) => wanted.includes(r.status))
      .filter((r) => cids.length === 0 || cids.includes(r.pin.cid))
      .filter((r) => matches(r.pin.name))
      .filter((r) => before === undefined || Date.parse(r.created) < before)
      .filter((r) => after === undefined || Date.parse(r.created) > after)
      .filter((r) => !meta || Object.entries(meta).every(([k, v]) => r.pin.meta?.[k] === v))
      .sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
    return { count: found.length, results: found.slice(0, limit).map(view) };
  };

  return [route];
}

/** The requester from a W3Auth bearer token, as `<chain>:<address>`. */
async function authorize(req: IncomingMessage): Promise<string> {
  const header = req.headers.authorization;
  if (header === undefined || !/^Bearer\s+\S+$/i.test(header.trim()))
    throw new PinningError(
      401,
      'UNAUTHORIZED',
      'Access token is missing: Authorization: Bearer <W3Auth token>',
    );
  await cryptoWaitReady();
  try {
    const who = verifyW3Auth(`Basic ${header.trim().split(/\s+/)[1]}`);
    return `${who.chain}:${who.chain === 'ethereum' ? who.address.toLowerCase() : who.address}`;
  } catch (err) {
    throw new PinningError(401, 'UNAUTHORIZED', `Access token is invalid: ${(err as Error).message}`);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type !== '' && !type.toLowerCase().includes('json')) {
    drain(req);
    throw new PinningError(400, 'BAD_REQUEST', 'the body must be application/json');
  }
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    n += chunk.length;
    // Past the cap the rest is read and dropped (so the client gets the answer), up to a point.
    if (n > 16 * MAX_BODY) req.destroy();
    if (n <= MAX_BODY) chunks.push(chunk);
  }
  if (n > MAX_BODY) throw new PinningError(400, 'BAD_REQUEST', `the body is larger than ${MAX_BODY} bytes`);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new PinningError(400, 'BAD_REQUEST', 'the body is not JSON');
  }
}

function parsePin(body: unknown): Pin {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new PinningError(400, 'BAD_REQUEST', 'the body must be a Pin object');
  const b = body as Record<string, unknown>;
  if (typeof b.cid !== 'string' || b.cid === '')
    throw new PinningError(400, 'BAD_REQUEST', 'cid is required');
  let cid: CID;
  try {
    cid = CID.parse(b.cid.trim());
  } catch {
    throw new PinningError(400, 'BAD_REQUEST', `invalid cid '${b.cid.slice(0, 100)}'`);
  }
  if (cid.code !== 0x70 && cid.code !== 0x55)
    throw new PinningError(400, 'BAD_REQUEST', 'only dag-pb and raw (UnixFS) CIDs can be stored on Crust');
  if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length > 255))
    throw new PinningError(400, 'BAD_REQUEST', 'name must be a string of at most 255 characters');
  if (
    b.origins !== undefined &&
    (!Array.isArray(b.origins) ||
      b.origins.length > 20 ||
      b.origins.some((o) => typeof o !== 'string' || !o.startsWith('/')))
  )
    throw new PinningError(400, 'BAD_REQUEST', 'origins must be at most 20 multiaddrs');
  if (
    b.meta !== undefined &&
    (typeof b.meta !== 'object' ||
      b.meta === null ||
      Array.isArray(b.meta) ||
      Object.values(b.meta).some((v) => typeof v !== 'string') ||
      Object.keys(b.meta).length > 1000)
  )
    throw new PinningError(400, 'BAD_REQUEST', 'meta must be an object of strings');
  return {
    cid: b.cid.trim(),
    name: b.name as string | undefined,
    origins: b.origins as string[] | undefined,
    meta: b.meta as Record<string, string> | undefined,
  };
}

function drain(req: IncomingMessage): void {
  if (!req.complete) req.resume();
}
