/**
 * A runtime profile: everything the node needs to run a chain of one kind — how to assemble its runtime with the
 * node's host functions, its genesis, the properties clients show, and its role (a standalone chain, the relay
 * chain, or a parachain with its para id), from which the node picks its inherent data providers and block
 * production (slot sealing, relay para inherent, collation).
 */
import { extrinsicsRoot } from '../block/block.ts';
import { type Header, HeaderCodec, headerHash } from '../block/header.ts';
import { runtimeCode } from '../frame/runtime-code.ts';
import { CODE_KEY } from '../frame/well-known-keys.ts';
import { Trie } from '../trie/trie.ts';
import type { ChainRuntime, HostFunctions } from './chain-runtime.ts';

export interface ChainProperties {
  ss58Format: number;
  tokenDecimals: number;
  tokenSymbol: string;
}

export type ChainRole = { kind: 'standalone' } | { kind: 'relay' } | { kind: 'parachain'; paraId: number };

export interface RuntimeProfile {
  /** What chain specs name in their `runtime` field (`dev`, `relay`, `crust`, `acala`, …). */
  readonly id: string;
  /** The chain's display name (`system_chain`). */
  readonly name: string;
  readonly role: ChainRole;
  readonly properties: ChainProperties;
  /** Assembles the runtime with the host's functions (a fresh instance each call). */
  make(host?: HostFunctions): ChainRuntime;
  /** The pallets' genesis configs, by pallet name. */
  genesisConfig(): Record<string, unknown>;
}

/**
 * Genesis storage of a profile: its runtime's pallets built from its genesis configs, and the runtime's identity
 * under `:code` (frame/runtime-code.ts).
 */
export function genesisStorage(profile: RuntimeProfile): Array<[Uint8Array, Uint8Array]> {
  const { runtime } = profile.make();
  const overlay = runtime.buildGenesis(profile.genesisConfig());
  const entries = overlay.drainChanges().filter((c): c is [Uint8Array, Uint8Array] => c[1] !== null);
  const hasCode = entries.some(([k]) => k.length === CODE_KEY.length && k.every((b, i) => b === CODE_KEY[i]));
  if (!hasCode) entries.push([CODE_KEY.slice(), runtimeCode(runtime)]);
  return entries;
}

/** The genesis block header a node of `profile` starts from (what a relay chain registers as the para's head). */
export function genesisHeader(profile: RuntimeProfile): {
  header: Header;
  hash: Uint8Array;
  headData: Uint8Array;
} {
  const { runtime, executive } = profile.make();
  const trie = Trie.fromEntries(genesisStorage(profile), executive.stateVersion);
  const header: Header = {
    parentHash: new Uint8Array(32),
    number: 0,
    stateRoot: trie.root(),
    extrinsicsRoot: extrinsicsRoot([], runtime.version.system_version),
    digest: { logs: [] },
  };
  return { header, hash: headerHash(header), headData: HeaderCodec.encode(header) };
}
