/** Test fixtures for the gateway: an in-process Helia node with no network, and W3Auth headers. */
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, ethereumEncode, secp256k1PairFromSeed, secp256k1Sign } from '@polkadot/util-crypto';
import { createHelia } from 'helia';
import { importer } from 'ipfs-unixfs-importer';
import { Gateway, type GatewayOptions } from '../../src/gateway/index.ts';
import { kuboImporterOptions } from '../../src/ipfs/import-options.ts';

export async function startHelia(init: { blockstore?: unknown } = {}) {
  // Helia's default stores are in memory.
  const helia = createHelia({
    ...init,
    // No transports, listeners or discovery: nothing leaves the process.
    libp2p: { addresses: { listen: [] }, transports: [], peerDiscovery: [], services: {} },
  } as never);
  await helia.start();
  return helia;
}

export type TestHelia = Awaited<ReturnType<typeof startHelia>>;

export async function startGateway(helia: TestHelia, options: Partial<GatewayOptions> = {}) {
  const gateway = new Gateway({ helia: helia as never, ...options });
  const { url } = await gateway.start();
  return { gateway, url };
}

export function basic(credentials: string): string {
  return `Basic ${Buffer.from(credentials, 'latin1').toString('base64')}`;
}

/** `sub-<ss58>:<sig>` signed by a polkadot-js keyring pair (sr25519 unless told otherwise). */
export async function substrateAuth(uri = '//Alice', type: 'sr25519' | 'ed25519' | 'ecdsa' = 'sr25519') {
  await cryptoWaitReady();
  const pair = new Keyring({ type, ss58Format: 42 }).addFromUri(uri);
  const signature = u8aToHex(pair.sign(pair.address));
  return { address: pair.address, signature, header: basic(`sub-${pair.address}:${signature}`) };
}

/** `eth-<0x address>:<sig>`: an EIP-191 personal_sign of the address string. */
export async function ethereumAuth(seedByte = 7) {
  await cryptoWaitReady();
  const pair = secp256k1PairFromSeed(new Uint8Array(32).fill(seedByte));
  const address = ethereumEncode(pair.publicKey);
  // secp256k1Sign keccak-hashes its input, so hand it the EIP-191-prefixed message.
  const prefixed = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${address.length}${address}`);
  const sig = secp256k1Sign(prefixed, pair, 'keccak');
  // personal_sign puts v = 27 + recovery id in the last byte.
  sig[64] = sig[64]! + 27;
  return { address, signature: u8aToHex(sig), header: basic(`eth-${address}:${u8aToHex(sig)}`) };
}

/** A multipart/form-data body as Kubo clients send it (`file` parts, percent-encoded filenames). */
export function multipart(
  files: Array<{ path: string; content?: Uint8Array | string; dir?: boolean }>,
  boundary = '----xstorage-test-boundary',
): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const f of files) {
    const type = f.dir ? 'application/x-directory' : 'application/octet-stream';
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(f.path)}"\r\n` +
          `Content-Type: ${type}\r\n\r\n`,
      ),
    );
    if (!f.dir && f.content !== undefined) chunks.push(Buffer.from(f.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function add(
  url: string,
  auth: string | undefined,
  files: Parameters<typeof multipart>[0],
  query = '',
): Promise<Response> {
  const { body, contentType } = multipart(files);
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (auth) headers.Authorization = auth;
  return fetch(`${url}/api/v0/add${query}`, { method: 'POST', headers, body });
}

export async function ndjson(res: Response): Promise<any[]> {
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** Imports files straight into the node with Kubo's `ipfs add` defaults (no gateway involved). */
export async function importFiles(
  helia: TestHelia,
  files: Array<{ path: string; content?: Uint8Array | string }>,
  opts: { wrapWithDirectory?: boolean; cidVersion?: 0 | 1 } = {},
) {
  const results = [];
  for await (const entry of importer(
    files.map((f) => ({
      path: f.path,
      content:
        f.content === undefined
          ? undefined
          : typeof f.content === 'string'
            ? Buffer.from(f.content)
            : f.content,
    })),
    helia.blockstore as never,
    {
      ...kuboImporterOptions({ cidVersion: opts.cidVersion }),
      wrapWithDirectory: opts.wrapWithDirectory ?? false,
    },
  )) {
    results.push(entry);
  }
  return results;
}

export async function blockCount(helia: TestHelia): Promise<number> {
  let n = 0;
  for await (const _ of helia.blockstore.getAll()) n++;
  return n;
}

export async function pinCount(helia: TestHelia): Promise<number> {
  let n = 0;
  for await (const _ of helia.pins.ls()) n++;
  return n;
}

/** Deterministic pseudo-random bytes (xorshift), so tests need no fixtures. */
export function pseudoRandom(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
