/**
 * The node's libp2p identity: an ed25519 key kept in `<chain dir>/network/secret_ed25519` as its 32-byte secret
 * (Substrate's file and format: raw bytes, or 64 hex characters as `subkey generate-node-key` writes), created on
 * first start, so the peer id — and the multiaddrs other nodes are given as `--bootnodes` — survives restarts.
 */

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';

export class NodeKeyError extends Error {
  override readonly name = 'NodeKeyError';
}

export async function loadOrCreateNodeKey(file: string): Promise<PrivateKey> {
  let secret: Uint8Array;
  try {
    secret = new Uint8Array(await readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    secret = new Uint8Array(randomBytes(32));
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    await writeFile(tmp, secret, { mode: 0o600 });
    await rename(tmp, file);
  }
  const text = Buffer.from(secret).toString('latin1').trim();
  if (secret.length !== 32 && /^(0x)?[0-9a-fA-F]{64}$/.test(text))
    secret = new Uint8Array(Buffer.from(text.replace(/^0x/, ''), 'hex'));
  if (secret.length !== 32)
    throw new NodeKeyError(
      `${file} holds ${secret.length} bytes, not a 32-byte ed25519 secret; delete it for a new identity`,
    );
  return generateKeyPairFromSeed('Ed25519', secret);
}
