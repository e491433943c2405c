/** The node key file: created once, the same peer id after a restart, Substrate's raw and hex forms, bad files refused. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateNodeKey, NodeKeyError } from '../../src/network/peer-key.ts';
import { removeDir, tempDir } from './chain-process.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeDir(d);
});

describe('node key', () => {
  it('is created on first start (32 raw bytes) and gives the same peer id after', async () => {
    const dir = await tempDir('key');
    dirs.push(dir);
    const file = join(dir, 'chains', 'relay', 'network', 'secret_ed25519');
    const a = peerIdFromPrivateKey(await loadOrCreateNodeKey(file)).toString();
    expect((await readFile(file)).length).toBe(32);
    expect(peerIdFromPrivateKey(await loadOrCreateNodeKey(file)).toString()).toBe(a);
    expect(a).toMatch(/^12D3KooW/);
  });

  it('reads the hex form and refuses files of the wrong size', async () => {
    const dir = await tempDir('key');
    dirs.push(dir);
    const raw = join(dir, 'raw');
    const hexFile = join(dir, 'hex');
    await writeFile(raw, new Uint8Array(32).fill(7));
    await writeFile(hexFile, `${'07'.repeat(32)}\n`);
    const id = (f: string) => loadOrCreateNodeKey(f).then((k) => peerIdFromPrivateKey(k).toString());
    expect(await id(hexFile)).toBe(await id(raw));
    await writeFile(raw, new Uint8Array(31));
    await expect(id(raw)).rejects.toThrow(NodeKeyError);
  });
});
