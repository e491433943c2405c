/**
 * Where the chains' RPCs, the gateway and the storage nodes are: the devnet's `endpoints.json` contract
 * (`{ relay: { ws }, parachains: { <name>: { paraId, ws } }, gateway?, storageNodes? }`), or the same shape written
 * by hand for real networks.
 */
import type { DevnetEndpoints } from '@xstorage/node/devnet';
import { BadInputError } from './errors.ts';
import { DEVNET, type NetworkDescription } from './networks.ts';

export type Endpoints = DevnetEndpoints;

/** The devnet's default ports: the relay on 9944, the parachains on 9945, 9946, … in the devnet's order. */
export const DEFAULT_RPC_PORT = 9944;

/**
 * The endpoints of a devnet started with its default ports (`xstorage devnet`), on `host`.
 *
 * @example
 * defaultDevnetEndpoints().parachains.acala.ws; // 'ws://127.0.0.1:9946'
 */
export function defaultDevnetEndpoints(
  host = '127.0.0.1',
  port = DEFAULT_RPC_PORT,
  network: NetworkDescription = DEVNET,
): Endpoints {
  return {
    relay: { ws: `ws://${host}:${port}` },
    parachains: Object.fromEntries(
      network.chains.map((c, i) => [c.id, { paraId: c.paraId, ws: `ws://${host}:${port + 1 + i}` }]),
    ),
  };
}

/**
 * Checks that `value` has the shape of `endpoints.json`; throws {@link BadInputError} naming what is wrong.
 *
 * @example
 * const endpoints = parseEndpoints(JSON.parse(text));
 */
export function parseEndpoints(value: unknown, source = 'endpoints'): Endpoints {
  const bad = (what: string) => new BadInputError(`${source}: ${what}`);
  if (typeof value !== 'object' || value === null) throw bad('not a JSON object');
  const v = value as Record<string, any>;
  if (typeof v.relay?.ws !== 'string') throw bad('"relay": { "ws": "ws://…" } is missing');
  if (typeof v.parachains !== 'object' || v.parachains === null) throw bad('"parachains" is missing');
  for (const [name, p] of Object.entries<any>(v.parachains)) {
    if (typeof p?.ws !== 'string' || !Number.isInteger(p?.paraId))
      throw bad(`parachain '${name}' needs { "paraId": <number>, "ws": "ws://…" }`);
  }
  if (v.gateway !== undefined && typeof v.gateway !== 'string') throw bad('"gateway" must be a URL');
  if (v.storageNodes !== undefined && !Array.isArray(v.storageNodes))
    throw bad('"storageNodes" must be a list');
  return v as Endpoints;
}

/**
 * Reads an `endpoints.json` file (Node.js only).
 *
 * @example
 * const endpoints = await readEndpointsFile('/tmp/devnet/endpoints.json');
 */
export async function readEndpointsFile(path: string): Promise<Endpoints> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BadInputError(
      code === 'ENOENT'
        ? `endpoints file ${path} does not exist: start a devnet (xstorage devnet --base-path DIR writes DIR/endpoints.json) or pass --endpoints`
        : `cannot read endpoints file ${path}: ${(err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadInputError(`endpoints file ${path} is not JSON`);
  }
  return parseEndpoints(json, path);
}
