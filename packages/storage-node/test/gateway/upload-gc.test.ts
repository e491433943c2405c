/**
 * `POST /api/v0/add?pin=true` stores blocks as they arrive and pins once the upload is complete. A
 * `helia.gc()` started mid-upload must wait for the pin instead of deleting the new blocks (nothing pins
 * them yet); a failed upload must let go of the lock so GC runs. A real storage node on disk, a real HTTP
 * upload whose body arrives slowly so the GC lands mid-upload.
 */
import { request } from 'node:http';
import { CID } from 'multiformats/cid';
import { afterAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway/index.ts';
import type { StorageNode } from '../../src/ipfs/storage-node.ts';
import {
  contentSha256,
  deterministicBytes,
  putUnpinnedBlock,
  sha256Hex,
  startTempStorageNode,
} from '../ipfs/helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function nodeWithGateway(name: string): Promise<{ node: StorageNode; url: string }> {
  const node = await startTempStorageNode(name, cleanups);
  const gateway = new Gateway({ helia: node.helia as never, auth: { required: false } });
  const { url } = await gateway.start();
  cleanups.push(() => gateway.stop());
  return { node, url };
}

/**
 * Uploads `bytes` as one multipart file, 256 KiB every `pause` ms; `onPiece(i)` runs before piece i is sent.
 * Resolves with the status and body, or rejects if the request is destroyed (`abortAt` pieces in).
 */
function slowUpload(
  url: string,
  bytes: Uint8Array,
  pause: number,
  onPiece: (i: number) => void,
  abortAt?: number,
): Promise<{ status: number; body: string }> {
  const boundary = 'xstorage-upload-gc';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v0/add?pin=true`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write(head);
    let i = 0;
    const step = () => {
      if (abortAt !== undefined && i === abortAt) return req.destroy(new Error('client gave up'));
      const at = i * 262_144;
      if (at >= bytes.length) {
        req.end(tail);
        return;
      }
      onPiece(i);
      req.write(bytes.subarray(at, at + 262_144));
      i++;
      setTimeout(step, pause);
    };
    step();
  });
}

describe('a GC during a pinned gateway upload', () => {
  it('waits for the pin; the uploaded DAG is whole and pinned; unpinned junk is still collected', async () => {
    const { node, url } = await nodeWithGateway('upload-gc');
    const junk = await putUnpinnedBlock(node, 7, 3000);
    const bytes = deterministicBytes(10 * 262_144 + 99, 41);
    let gc: Promise<void> | undefined;
    const answer = await slowUpload(url, bytes, 25, (i) => {
      if (i === 5) gc = node.helia.gc();
    });
    expect(answer.status, answer.body).toBe(200);
    expect(gc).toBeDefined();
    await gc;
    const cid = CID.parse(JSON.parse(answer.body.trim().split('\n').pop()!).Hash);
    expect(await node.isPinned(cid)).toBe(true);
    expect(await contentSha256(node.helia.blockstore, cid)).toBe(sha256Hex(bytes));
    expect(await node.helia.blockstore.has(junk)).toBe(false);
  }, 20_000);

  it('a client that gives up mid-upload lets go of the lock: the waiting GC runs and nothing is left', async () => {
    const { node, url } = await nodeWithGateway('upload-gc-abort');
    const bytes = deterministicBytes(10 * 262_144, 42);
    let gc: Promise<void> | undefined;
    await expect(
      slowUpload(
        url,
        bytes,
        25,
        (i) => {
          if (i === 3) gc = node.helia.gc();
        },
        6,
      ),
    ).rejects.toThrow();
    await gc;
    let left = 0;
    for await (const _ of node.helia.blockstore.getAll()) left++;
    expect(left).toBe(0);
  }, 20_000);
});
