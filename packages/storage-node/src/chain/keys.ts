/**
 * The two keys of a storage node. The account key (`--key`: a secret URI such as `//Alice//storage-1`, a mnemonic,
 * or a file holding one) signs extrinsics and owns the node's replicas. The worker key stands in for sworker's SGX
 * enclave key: sr25519, made once per base path and kept in `<base>/worker-key` (0600), it signs the registration
 * and every work report. A new base path is a new worker identity, as a reinstalled sworker is.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, sr25519PairFromSeed, sr25519Sign } from '@polkadot/util-crypto';

export class KeyLoadError extends Error {
  override name = 'KeyLoadError';
}

/** A secret URI as given, or read from the file it names (first line). */
export async function readSecretUri(keyArg: string): Promise<string> {
  if (keyArg.startsWith('//') || keyArg.startsWith('0x') || keyArg.trim().split(/\s+/).length >= 12)
    return keyArg;
  if (!existsSync(keyArg)) throw new KeyLoadError(`--key: '${keyArg}' is neither a secret URI nor a file`);
  const text = (await readFile(keyArg, 'utf8')).split('\n')[0]?.trim() ?? '';
  if (text === '') throw new KeyLoadError(`--key: ${keyArg} is empty`);
  return text;
}

export async function accountKey(keyArg: string, ss58Format: number): Promise<KeyringPair> {
  await cryptoWaitReady();
  const uri = await readSecretUri(keyArg);
  try {
    return new Keyring({ type: 'sr25519', ss58Format }).addFromUri(uri);
  } catch (err) {
    throw new KeyLoadError(`--key: not a valid secret: ${(err as Error).message}`);
  }
}

export interface WorkerKey {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** The worker key of `basePath`, created on first use. */
export async function workerKey(basePath: string): Promise<WorkerKey> {
  await cryptoWaitReady();
  const file = join(basePath, 'worker-key');
  let seed: Uint8Array;
  if (existsSync(file)) {
    const hex = (await readFile(file, 'utf8')).trim();
    if (!/^0x[0-9a-f]{64}$/i.test(hex)) throw new KeyLoadError(`${file} is not a 32-byte hex seed`);
    seed = Buffer.from(hex.slice(2), 'hex');
  } else {
    seed = randomBytes(32);
    const temp = `${file}.tmp`;
    await writeFile(temp, `${u8aToHex(seed)}\n`, { mode: 0o600 });
    await rename(temp, file);
  }
  const pair = sr25519PairFromSeed(seed);
  return { publicKey: pair.publicKey, sign: (m) => sr25519Sign(m, pair) };
}
