/** Shared test helpers: deterministic bytes, temp dirs, content hash of a stored DAG. */
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exporter, type ReadableStorage } from 'ipfs-unixfs-exporter';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { StorageNode } from '../../src/ipfs/storage-node.ts';

/** `n` pseudo-random bytes, the same for the same seed (AES-128-CTR keystream: fast and reproducible). */
export function deterministicBytes(n: number, seed = 1): Buffer {
  const key = Buffer.alloc(16, seed);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(n)), cipher.final()]);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of a UnixFS file's content, read from a blockstore (fails if any block is missing). */
export async function contentSha256(store: ReadableStorage, cid: CID): Promise<string> {
  const entry = await exporter(cid, store, { offline: true } as never);
  const hash = createHash('sha256');
  for await (const chunk of (entry as { content(): AsyncIterable<Uint8Array> }).content())
    hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `xstorage-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

const GATEWAY_ENTRY = join(import.meta.dirname, '../../src/gateway/index.ts');

/** The node's real HTTP gateway exists (it is built alongside; the CAR stand-in is used until then). */
export function realGatewayAvailable(): boolean {
  return existsSync(GATEWAY_ENTRY);
}

/**
 * A trustless gateway serving `helia`'s blocks: the real `Gateway` when it exists, else the in-test stand-in.
 */
export async function startTrustlessGateway(helia: any): Promise<{ url: string; close(): Promise<void> }> {
  if (realGatewayAvailable()) {
    const { Gateway } = await import(GATEWAY_ENTRY);
    const gateway = new Gateway({ helia });
    const { url } = await gateway.start();
    return { url, close: () => gateway.stop() };
  }
  const { startCarServer } = await import('./car-server.ts');
  return startCarServer(helia.blockstore);
}

/** A started StorageNode in a fresh temp dir; `cleanups` gets its stop + removal (run them in afterAll). */
export async function startTempStorageNode(
  name: string,
  cleanups: Array<() => Promise<void>>,
): Promise<StorageNode> {
  const dir = await tempDir(name);
  const node = new StorageNode({ basePath: dir.path });
  await node.start();
  cleanups.push(async () => {
    await node.stop();
    await dir.remove();
  });
  return node;
}

/** Stores one raw block of `size` deterministic bytes that nothing pins (through Helia, as any write would). */
export async function putUnpinnedBlock(node: StorageNode, seed: number, size = 2000): Promise<CID> {
  const bytes = deterministicBytes(size, seed);
  const cid = CID.createV1(raw.code, await sha256.digest(bytes));
  await node.helia.blockstore.put(cid, bytes);
  return cid;
}
