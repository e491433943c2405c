/**
 * Chain specs: what a chain is called, its properties, and its genesis state. The development spec (`--dev`,
 * `--chain dev`) uses the dev runtime with //Alice..//Ferdie endowed and //Alice as sudo key. A JSON spec file has
 * Substrate's shape: `{ name, id, chainType, properties, genesis: { raw: { top: { "0x<key>": "0x<value>" } } } }`
 * or `genesis: { runtimeGenesis: { preset: "development" } }`.
 */
import { readFile } from 'node:fs/promises';
import {
  devAccounts,
  devGenesisConfig,
  devProperties,
  makeDevRuntime,
} from '../../../runtime/src/runtimes/index.ts';

export type ChainType = 'Development' | 'Local' | 'Live';

export interface ChainProperties {
  ss58Format: number;
  tokenDecimals: number;
  tokenSymbol: string;
  [k: string]: unknown;
}

export interface ChainSpec {
  name: string;
  id: string;
  chainType: ChainType;
  properties: ChainProperties;
  /** Which runtime executes the chain (only the dev runtime exists so far). */
  runtime: 'dev';
  /** Genesis storage entries (the `raw.top` of a Substrate spec). */
  genesis: () => Array<[Uint8Array, Uint8Array]>;
}

export class ChainSpecError extends Error {
  override readonly name = 'ChainSpecError';
}

/** Genesis storage of the dev runtime built from its pallets' genesis configs. */
export function devGenesisStorage(): Array<[Uint8Array, Uint8Array]> {
  const { runtime } = makeDevRuntime();
  const accounts = devAccounts();
  const overlay = runtime.buildGenesis(
    devGenesisConfig(Object.values(accounts), accounts.Alice) as unknown as Record<string, unknown>,
  );
  return overlay.drainChanges().filter((c): c is [Uint8Array, Uint8Array] => c[1] !== null);
}

export function devChainSpec(): ChainSpec {
  return {
    name: 'xstorage Development',
    id: 'dev',
    chainType: 'Development',
    properties: { ...devProperties },
    runtime: 'dev',
    genesis: devGenesisStorage,
  };
}

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/** Parses a JSON chain spec (see the file comment). */
export function parseChainSpec(text: string, source = 'chain spec'): ChainSpec {
  let j: any;
  try {
    j = JSON.parse(text);
  } catch (err) {
    throw new ChainSpecError(`${source} is not JSON: ${(err as Error).message}`);
  }
  if (!j || typeof j !== 'object') throw new ChainSpecError(`${source} must be a JSON object`);
  for (const f of ['name', 'id'] as const) {
    if (typeof j[f] !== 'string' || j[f].length === 0)
      throw new ChainSpecError(`${source}: "${f}" must be a non-empty string`);
  }
  const chainType: ChainType = j.chainType ?? 'Live';
  if (!['Development', 'Local', 'Live'].includes(chainType))
    throw new ChainSpecError(`${source}: chainType must be Development, Local or Live`);
  const props = { ...devProperties, ...(j.properties ?? {}) } as ChainProperties;
  const g = j.genesis;
  let genesis: ChainSpec['genesis'];
  if (g?.raw?.top && typeof g.raw.top === 'object') {
    const entries: Array<[Uint8Array, Uint8Array]> = [];
    for (const [k, v] of Object.entries(g.raw.top)) {
      if (!HEX.test(k) || typeof v !== 'string' || !HEX.test(v))
        throw new ChainSpecError(
          `${source}: genesis.raw.top entries must be 0x hex → 0x hex (bad key ${k.slice(0, 20)})`,
        );
      entries.push([Buffer.from(k.slice(2), 'hex'), Buffer.from(v.slice(2), 'hex')]);
    }
    genesis = () => entries.map(([k, v]) => [new Uint8Array(k), new Uint8Array(v)]);
  } else if (g?.runtimeGenesis?.preset === 'development') {
    genesis = devGenesisStorage;
  } else {
    throw new ChainSpecError(
      `${source}: genesis must be { raw: { top: {...} } } or { runtimeGenesis: { preset: "development" } }`,
    );
  }
  return { name: j.name, id: j.id, chainType, properties: props, runtime: 'dev', genesis };
}

/** `dev` or a path to a JSON spec. */
export async function loadChainSpec(chain: string): Promise<ChainSpec> {
  if (chain === 'dev') return devChainSpec();
  let text: string;
  try {
    text = await readFile(chain, 'utf8');
  } catch (err) {
    throw new ChainSpecError(`cannot read chain spec ${chain}: ${(err as Error).message}`);
  }
  return parseChainSpec(text, chain);
}

/** The raw JSON form (`build-spec --raw`). */
export function chainSpecToJson(spec: ChainSpec): Record<string, unknown> {
  const top: Record<string, string> = {};
  for (const [k, v] of spec.genesis())
    top[`0x${Buffer.from(k).toString('hex')}`] = `0x${Buffer.from(v).toString('hex')}`;
  return {
    name: spec.name,
    id: spec.id,
    chainType: spec.chainType,
    properties: spec.properties,
    genesis: { raw: { top, childrenDefault: {} } },
  };
}
