/**
 * Flags every command that talks to chains shares: where the chains are (`--endpoints`, default a devnet on the
 * default ports), which network, the gateway, and who signs (`--account`, `--key-file`).
 */
import { readFile } from 'node:fs/promises';
import {
  BadInputError,
  type CreateClientOptions,
  createClient,
  FileNotFoundError,
  NETWORKS,
  type PayWith,
  type XstorageClient,
  type XstorageSigner,
} from '@xstorage/sdk';
import { quietPolkadotJs } from './output.ts';

export const CLIENT_FLAGS = {
  endpoints: { type: 'string' },
  gateway: { type: 'string' },
  network: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const ACCOUNT_FLAGS = {
  account: { type: 'string' },
  'key-file': { type: 'string' },
} as const;

export const CLIENT_USAGE = `  --endpoints <file>        endpoints.json of a devnet or a network (default: $XSTORAGE_ENDPOINTS, else a devnet
                            on the default ports: relay ws://127.0.0.1:9944, parachains 9945… in \`xstorage chains\` order)
  --gateway <url>           the storage gateway (default: "gateway" in the endpoints)
  --network <name>          ${Object.keys(NETWORKS).join(' | ')} (default devnet): which chains, para ids and tokens
  --json                    one JSON document per line
  -h, --help                this help`;

export const ACCOUNT_USAGE = `  --account <secret>        who signs: //Alice, a mnemonic or 0x seed; on Ethereum-style chains (moonbeam,
                            darwinia) a 0x private key or Alith…Faith (default: //Alice or Alith, devnet only)
  --key-file <file>         read the secret from a file instead (first line)`;

export async function clientFromFlags(values: {
  endpoints?: string;
  gateway?: string;
  network?: string;
}): Promise<XstorageClient> {
  quietPolkadotJs();
  const options: CreateClientOptions = {
    endpoints: values.endpoints ?? process.env.XSTORAGE_ENDPOINTS ?? undefined,
    gateway: values.gateway,
    network: (values.network ?? 'devnet') as keyof typeof NETWORKS,
  };
  if (values.network && !NETWORKS[values.network])
    throw new BadInputError(`unknown --network '${values.network}': use ${Object.keys(NETWORKS).join(', ')}`);
  return createClient(options);
}

export async function signerFromFlags(
  client: XstorageClient,
  values: { account?: string; 'key-file'?: string },
  chain: string,
): Promise<XstorageSigner> {
  const kind = client.chain(chain).accounts;
  if (values.account !== undefined && values['key-file'] !== undefined)
    throw new BadInputError('--account and --key-file are exclusive');
  let secret = values.account;
  if (values['key-file'] !== undefined) {
    try {
      secret = (await readFile(values['key-file'], 'utf8')).split('\n')[0]!.trim();
    } catch {
      throw new FileNotFoundError(`--key-file ${values['key-file']}: no such file`);
    }
  }
  return client.signer(secret ?? (kind === 'ethereum' ? 'Alith' : '//Alice'), chain);
}

/** `native`, `cru`, or a token symbol (the chain's own, or CRU). */
export function parsePay(
  text: string | undefined,
  client: XstorageClient,
  chain: string,
): PayWith | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().toLowerCase();
  const c = client.chain(chain);
  if (t === 'cru' || t === client.network.crust.token.toLowerCase()) return 'cru';
  if (t === 'native' || t === c.token.toLowerCase())
    return c.id === client.network.crust.id ? 'cru' : 'native';
  throw new BadInputError(`--pay ${text}: on ${chain} pay with native (${c.token}) or cru`);
}

const SIZE_UNITS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  kb: 1000n,
  mb: 1000n ** 2n,
  gb: 1000n ** 3n,
  kib: 1024n,
  mib: 1024n ** 2n,
  gib: 1024n ** 3n,
};

/** `1024`, `10KiB`, `1.5MB` → bytes. */
export function parseSize(text: string): bigint {
  const m = /^(\d{1,15})(?:\.(\d{1,6}))?\s*([a-zA-Z]*)$/.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[3]!.toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new BadInputError(`'${text}' is not a size: write bytes (1048576) or with a unit (1MiB, 10KB)`);
  const frac = m[2] ?? '';
  const size =
    ((BigInt(m[1]!) * 10n ** BigInt(frac.length) + BigInt(frac || '0')) * unit) / 10n ** BigInt(frac.length);
  if (size <= 0n) throw new BadInputError('the size must be above 0 bytes');
  return size;
}
