/**
 * Chain specs: what a chain is called, which runtime profile executes it, its properties, and its genesis state.
 * `--chain <profile>` (`dev`, and every other registered profile) gives the profile's own spec: for `dev`, the dev
 * runtime with //Alice..//Ferdie endowed and //Alice as sudo key. A JSON spec file has Substrate's shape:
 * `{ name, id, chainType, runtime?, properties, genesis: { raw: { top: { "0x<key>": "0x<value>" } } } }` or
 * `genesis: { runtimeGenesis: { preset: "development" } }` (the profile's own genesis); `runtime` names the
 * profile (default `dev`).
 */
import { readFile } from 'node:fs/promises';
import {
  genesisStorage,
  type RuntimeProfile,
  runtimeProfile,
  UnknownRuntimeError,
} from '@xstorage/runtime/runtimes';

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
  /** The runtime profile that executes the chain (`dev`, `relay`, `crust`, …). */
  runtime: string;
  /** Genesis storage entries (the `raw.top` of a Substrate spec). */
  genesis: () => Array<[Uint8Array, Uint8Array]>;
}

export class ChainSpecError extends Error {
  override readonly name = 'ChainSpecError';
}

/** Genesis storage of the dev runtime built from its pallets' genesis configs. */
export function devGenesisStorage(): Array<[Uint8Array, Uint8Array]> {
  return profileGenesis(runtimeProfile('dev'));
}

/** A profile's genesis storage, its runtime's identity under `:code` included (runtimes/profile.ts). */
function profileGenesis(profile: RuntimeProfile): Array<[Uint8Array, Uint8Array]> {
  return genesisStorage(profile);
}

/** The spec a profile gives itself: its name, id and properties, its genesis built from its pallets. */
export function profileChainSpec(profile: RuntimeProfile): ChainSpec {
  return {
    name: profile.name,
    id: profile.id,
    chainType: profile.id === 'dev' ? 'Development' : 'Local',
    properties: { ...profile.properties },
    runtime: profile.id,
    genesis: () => profileGenesis(profile),
  };
}

export function devChainSpec(): ChainSpec {
  return profileChainSpec(runtimeProfile('dev'));
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
  const runtime = j.runtime ?? 'dev';
  let profile: RuntimeProfile;
  try {
    if (typeof runtime !== 'string') throw new UnknownRuntimeError('"runtime" must be a string');
    profile = runtimeProfile(runtime);
  } catch (err) {
    throw new ChainSpecError(`${source}: ${(err as Error).message}`);
  }
  const props = { ...profile.properties, ...(j.properties ?? {}) } as ChainProperties;
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
    genesis = () => profileGenesis(profile);
  } else {
    throw new ChainSpecError(
      `${source}: genesis must be { raw: { top: {...} } } or { runtimeGenesis: { preset: "development" } }`,
    );
  }
  return { name: j.name, id: j.id, chainType, properties: props, runtime: profile.id, genesis };
}

/** A profile's id (`dev`, `relay`, `crust`, …) or a path to a JSON spec. */
export async function loadChainSpec(chain: string): Promise<ChainSpec> {
  if (!chain.includes('/') && !chain.endsWith('.json')) {
    try {
      return profileChainSpec(runtimeProfile(chain));
    } catch (err) {
      if (!(err instanceof UnknownRuntimeError)) throw err;
      throw new ChainSpecError(`${(err as Error).message}, or pass a chain spec file`);
    }
  }
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
    runtime: spec.runtime,
    properties: spec.properties,
    genesis: { raw: { top, childrenDefault: {} } },
  };
}
