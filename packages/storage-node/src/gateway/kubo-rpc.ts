/**
 * The Kubo RPC subset a storage gateway needs besides `add` and `repo/*` (`kubo-repo.ts`): `cat`, `block/get`, `pin/add|ls|rm`, `id`,
 * `version`. Shapes follow Kubo (core/commands) so kubo-rpc-client works unchanged.
 */
import { arch, platform } from 'node:os';
import { exporter } from 'ipfs-unixfs-exporter';
import { CID } from 'multiformats/cid';
import { parseKuboPathArg } from './content-path.ts';
import { walkDag } from './dag-walk.ts';
import { BadArgumentError, GatewayError } from './errors.ts';
import { type RequestContext, sendJson, streamBody } from './http-util.ts';
import { args, boolOption, intOption } from './kubo-args.ts';
import { PIN_CID_METADATA, pinRoots } from './pin-roots.ts';
import { resolvePath } from './resolve.ts';
import { type GatewayNode, IDENTITY_HASH, toGatewayError } from './storage.ts';

export const GATEWAY_VERSION = '0.1.0';
export const AGENT_VERSION = `xstorage-gateway/${GATEWAY_VERSION}`;

/** Kubo's error for a command that fails after its arguments were accepted. */
export class CommandFailedError extends GatewayError {
  override name = 'CommandFailedError';
  override readonly status = 500;
}

async function resolveArg(ctx: RequestContext, arg: string | undefined): Promise<CID> {
  const path = parseKuboPathArg(arg);
  return (await resolvePath(path, ctx.blocks, ctx.signal)).cid;
}

export async function handleCat(ctx: RequestContext): Promise<void> {
  const [arg] = args(ctx.url.searchParams, 'ipfs-path', true);
  const offset = intOption(ctx.url.searchParams, 'offset') ?? 0;
  const length = intOption(ctx.url.searchParams, 'length');
  const cid = await resolveArg(ctx, arg);
  let entry: Awaited<ReturnType<typeof exporter>>;
  try {
    entry = await exporter(cid, ctx.blocks.exporterStore, { signal: ctx.signal, offline: true });
  } catch (err) {
    throw toGatewayError(err, cid);
  }
  if (entry.type === 'directory') throw new CommandFailedError('this dag node is a directory');
  if (entry.type !== 'file' && entry.type !== 'raw' && entry.type !== 'identity') {
    throw new CommandFailedError(`cannot cat a non-UnixFS node (${entry.type})`);
  }
  const size = Number(entry.size);
  const start = Math.min(offset, size);
  const count = Math.min(length ?? size - start, size - start);
  ctx.res.writeHead(200, {
    'Content-Type': 'text/plain',
    'X-Stream-Output': '1',
    'X-Content-Length': String(count),
    'Content-Length': String(count),
  });
  if (count === 0) {
    ctx.res.end();
    return;
  }
  await streamBody(
    ctx.res,
    entry.content({ offset: start, length: count, signal: ctx.signal, offline: true }),
  );
}

export async function handleBlockGet(ctx: RequestContext): Promise<void> {
  const [arg] = args(ctx.url.searchParams, 'cid', true);
  const cid = await resolveArg(ctx, arg);
  const bytes = await ctx.blocks.get(cid, ctx.signal);
  ctx.res.writeHead(200, {
    'Content-Type': 'text/plain',
    'X-Stream-Output': '1',
    'Content-Length': bytes.length,
  });
  ctx.res.end(bytes);
}

export async function handlePinAdd(ctx: RequestContext, node: GatewayNode): Promise<void> {
  const list = args(ctx.url.searchParams, 'ipfs-path', true);
  if (!boolOption(ctx.url.searchParams, 'recursive', true)) {
    throw new BadArgumentError('direct pins are not supported (recursive=false)');
  }
  const cids: CID[] = [];
  for (const arg of list) cids.push(await resolveArg(ctx, arg));
  // Pinning needs the whole DAG here (no network fetch). Check first: Helia's pin walker leaks an
  // unhandled rejection when a block is missing.
  for (const cid of cids) {
    try {
      for await (const _ of walkDag(cid, ctx.blocks, { scope: 'all', dups: false, signal: ctx.signal })) {
        // every block must be present
      }
    } catch (err) {
      throw new CommandFailedError(`pin: ${toGatewayError(err).message}`);
    }
  }
  try {
    await pinRoots(node, cids, ctx.signal);
  } catch (err) {
    const e = toGatewayError(err);
    throw new CommandFailedError(`pin: ${e.message}`);
  }
  sendJson(ctx.res, 200, { Pins: cids.map(String) });
}

export async function handlePinRm(ctx: RequestContext, node: GatewayNode): Promise<void> {
  const list = args(ctx.url.searchParams, 'ipfs-path', true);
  const cids: CID[] = [];
  for (const arg of list) cids.push(parseKuboPathArg(arg).cid);
  for (const cid of cids) {
    if (!(await isRootPinned(node, cid))) throw new CommandFailedError(`${cid} is not pinned`);
  }
  for (const cid of cids) {
    for await (const _ of node.pins.rm(cid, { signal: ctx.signal, offline: true } as never)) {
      // drain
    }
  }
  sendJson(ctx.res, 200, { Pins: cids.map(String) });
}

async function isRootPinned(node: GatewayNode, cid: CID): Promise<boolean> {
  for await (const pin of node.pins.ls({ cid: cid.toV1() } as never))
    if (sameHash(asCid(pin.cid), cid)) return true;
  return false;
}

/** Helia's interfaces carry their own copy of multiformats; re-decode to ours. */
function asCid(cid: { bytes: Uint8Array }): CID {
  return CID.decode(cid.bytes);
}

/**
 * Helia keys pins by CIDv1; Kubo lists a pin as it was made. We keep the original spelling in the pin's
 * metadata (see `pinRoots`) and fall back to CIDv0 for dag-pb/sha2-256, Kubo's default.
 */
function displayCid(pin: { cid: { bytes: Uint8Array }; metadata?: Record<string, unknown> }): CID {
  const original = pin.metadata?.[PIN_CID_METADATA];
  if (typeof original === 'string') {
    try {
      return CID.parse(original);
    } catch {
      // fall through
    }
  }
  const cid = asCid(pin.cid);
  const mh = cid.multihash;
  return cid.code === 0x70 && mh.code === 0x12 && mh.size === 32 ? cid.toV0() : cid;
}

/** Kubo pins by multihash: a CIDv0 and its CIDv1 are the same pin. */
function sameHash(a: CID, b: CID): boolean {
  const x = a.multihash.bytes;
  const y = b.multihash.bytes;
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Helia records a depth; Kubo only knows recursive (whole DAG) and direct (the block alone). */
function pinType(depth: number): string {
  return depth === 0 ? 'direct' : 'recursive';
}

export async function handlePinLs(ctx: RequestContext, node: GatewayNode): Promise<void> {
  const query = ctx.url.searchParams;
  const stream = boolOption(query, 'stream', false);
  const type = query.get('type') ?? 'all';
  if (!['all', 'recursive', 'direct', 'indirect'].includes(type)) {
    throw new BadArgumentError(
      `invalid type '${type.slice(0, 20)}', must be one of {direct, indirect, recursive, all}`,
    );
  }
  const wanted = args(query, 'ipfs-path', false).map((a) => parseKuboPathArg(a).cid);
  const found: Array<{ cid: CID; type: string }> = [];
  if (wanted.length > 0) {
    for (const cid of wanted) {
      let hit: { cid: CID; type: string } | undefined;
      for await (const pin of node.pins.ls({ cid: cid.toV1() } as never)) {
        if (sameHash(asCid(pin.cid), cid)) hit = { cid, type: pinType(pin.depth) };
      }
      if (hit === undefined) throw new CommandFailedError(`path '${cid}' is not pinned`);
      found.push(hit);
    }
  } else if (type === 'all' || type === 'recursive' || type === 'direct') {
    for await (const pin of node.pins.ls()) {
      const t = pinType(pin.depth);
      if (type === 'all' || type === t) found.push({ cid: displayCid(pin), type: t });
    }
  }
  if (stream) {
    ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'X-Chunked-Output': '1' });
    ctx.res.end(
      found.map((p) => `${JSON.stringify({ Cid: p.cid.toString(), Name: '', Type: p.type })}\n`).join(''),
    );
    return;
  }
  const keys: Record<string, { Name: string; Type: string }> = {};
  for (const p of found) keys[p.cid.toString()] = { Name: '', Type: p.type };
  sendJson(ctx.res, 200, { Keys: keys });
}

export function handleId(ctx: RequestContext, node: GatewayNode): void {
  const libp2p = node.libp2p;
  if (libp2p === undefined) throw new CommandFailedError('this gateway has no libp2p identity');
  const peerId = libp2p.peerId;
  const mh = peerId.toMultihash();
  // For identity-hashed peer ids (Ed25519, secp256k1) the digest is the protobuf public key Kubo reports.
  const publicKey = mh.code === IDENTITY_HASH ? Buffer.from(mh.digest).toString('base64') : '';
  sendJson(ctx.res, 200, {
    ID: peerId.toString(),
    PublicKey: publicKey,
    Addresses: libp2p.getMultiaddrs().map((a) => a.toString()),
    AgentVersion: AGENT_VERSION,
    Protocols: [],
  });
}

export function handleVersion(ctx: RequestContext): void {
  sendJson(ctx.res, 200, {
    Version: GATEWAY_VERSION,
    Commit: '',
    Repo: '',
    System: `${arch()}/${platform()}`,
    Golang: '',
  });
}
