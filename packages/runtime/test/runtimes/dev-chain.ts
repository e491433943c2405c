/**
 * A dev chain for tests: the dev runtime with //Alice..//Ferdie endowed, extrinsics signed by @polkadot/types
 * against OUR metadata (what `api.tx.<pallet>.<call>(...).signAsync` does), blocks built through the executive.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { type Header, headerHash } from '../../src/block/header.ts';
import { initCrypto } from '../../src/crypto/index.ts';
import type { RuntimeCallValue } from '../../src/frame/pallet.ts';
import { generateMetadata } from '../../src/metadata/generate.ts';
import { Events } from '../../src/pallets/system/pallet.ts';
import { timestampInherentData } from '../../src/pallets/timestamp/index.ts';
import { devAccounts, devGenesisConfig, type DevRuntime, makeDevRuntime } from '../../src/runtimes/index.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { memoryGenesis } from '../support/memory-genesis.ts';

export const ready = (async () => {
  await initCrypto();
})();

export interface DevChain {
  dev: DevRuntime;
  backend: MemoryBackend;
  head: Header;
  headHash: Uint8Array;
  registry: TypeRegistry;
  keyring: Keyring;
  pairs: Record<'alice' | 'bob' | 'charlie' | 'dave' | 'eve' | 'ferdie', KeyringPair>;
  /** Block timestamp of the next block (ms). */
  nextTime: bigint;
  genesisHash?: Uint8Array;
}

let cachedRegistry: { registry: TypeRegistry; ids: string[] } | undefined;

/** polkadot-js registry from our V14 metadata (a fresh runtime generates identical metadata). */
export function pjsRegistry(dev: DevRuntime): TypeRegistry {
  if (cachedRegistry) return cachedRegistry.registry;
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, generateMetadata(dev.runtime, 14));
  registry.setMetadata(metadata);
  cachedRegistry = { registry, ids: [] };
  return registry;
}

export function newDevChain(
  extra?: (accounts: ReturnType<typeof devAccounts>) => Partial<ReturnType<typeof devGenesisConfig>>,
): DevChain {
  const dev = makeDevRuntime();
  const accounts = devAccounts();
  const base = devGenesisConfig(Object.values(accounts), accounts.Alice);
  const overlay = dev.runtime.buildGenesis({ ...base, ...(extra?.(accounts) ?? {}) });
  const { backend, genesis: head, genesisHash } = memoryGenesis(overlay);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const names = ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie'] as const;
  const pairs = Object.fromEntries(
    names.map((n) => [n, keyring.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`)]),
  ) as DevChain['pairs'];
  return {
    dev,
    backend,
    head,
    headHash: genesisHash,
    genesisHash,
    registry: pjsRegistry(dev),
    keyring,
    pairs,
    nextTime: 1_700_000_000_000n,
  };
}

/** Reads state at the chain head. */
export function read<T>(chain: DevChain, fn: () => T): T {
  return chain.dev.runtime.execute(new Overlay(chain.backend), fn);
}

/** Signs `section.method(args)` with polkadot-js against our metadata (genesis-era immortal). */
export function signTx(
  chain: DevChain,
  signer: KeyringPair,
  section: string,
  method: string,
  args: unknown[],
  opts: { nonce: number; tip?: bigint },
): Uint8Array {
  const { registry } = chain;
  const fn = registry.findMetaCall(callIndexOf(chain, section, method));
  const call = fn(...args);
  const ext = registry.createType('Extrinsic', call);
  const genesis = u8aToHex(chain.genesisHash ?? chain.headHash);
  ext.sign(signer, {
    blockHash: genesis,
    genesisHash: genesis,
    nonce: opts.nonce,
    tip: opts.tip ?? 0n,
    runtimeVersion: {
      specVersion: chain.dev.runtime.version.spec_version,
      transactionVersion: chain.dev.runtime.version.transaction_version,
    },
  } as never);
  return ext.toU8a();
}

function callIndexOf(chain: DevChain, section: string, method: string): Uint8Array {
  const md = chain.registry.metadata;
  for (const p of md.pallets) {
    if (p.name.toString() !== section || p.calls.isNone) continue;
    const callType = chain.registry.lookup.getSiType(p.calls.unwrap().type);
    for (const v of callType.def.asVariant.variants) {
      if (v.name.toString() === method) return new Uint8Array([p.index.toNumber(), v.index.toNumber()]);
    }
  }
  throw new Error(`no call ${section}.${method} in metadata`);
}

export interface BlockResult {
  header: Header;
  results: ReturnType<DevRuntime['executive']['applyExtrinsic']>[];
  /** System.Events decoded by our runtime's codec: [pallet, event name, fields]. */
  events: Array<{ phase: unknown; pallet: string; name: string; fields: any }>;
  extrinsics: Uint8Array[];
}

/**
 * Builds and imports the next block: timestamp inherent, then `xts`. The new state becomes the head. Extrinsics
 * that are invalid are left out (their results are still reported).
 */
export function buildBlock(
  chain: DevChain,
  xts: Uint8Array[],
  opts: { withTimestamp?: boolean } = {},
): BlockResult {
  const { executive, runtime } = chain.dev;
  const overlay = new Overlay(chain.backend);
  const header: Header = {
    parentHash: chain.headHash,
    number: chain.head.number + 1,
    stateRoot: new Uint8Array(32),
    extrinsicsRoot: new Uint8Array(32),
    digest: { logs: [] },
  };
  const included: Uint8Array[] = [];
  const results: BlockResult['results'] = [];
  const out = runtime.execute(overlay, () => {
    executive.initializeBlock(header);
    if (opts.withTimestamp !== false) {
      const [k, v] = timestampInherentData(chain.nextTime);
      for (const inh of executive.inherentExtrinsics(new Map([[k, v]]))) {
        const r = executive.applyExtrinsic(inh);
        results.push(r);
        included.push(inh);
      }
    }
    for (const xt of xts) {
      const r = executive.applyExtrinsic(xt);
      results.push(r);
      if ('ok' in r) included.push(xt);
    }
    const events = Events.get().map((rec: any) => ({
      phase: rec.phase,
      pallet: rec.event.type as string,
      name: rec.event.value.type as string,
      fields: rec.event.value.value,
    }));
    const finalHeader = executive.finalizeBlock();
    return { header: finalHeader, events };
  });
  chain.backend.apply(overlay.drainChanges());
  chain.head = out.header;
  chain.headHash = headerHash(out.header);
  chain.nextTime += 6_000n;
  return { header: out.header, results, events: out.events, extrinsics: included };
}

/** Every storage entry of the head state (hex key → hex value). */
export function snapshot(chain: DevChain): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of chain.backend.entries())
    out.set(Buffer.from(k).toString('hex'), Buffer.from(v).toString('hex'));
  return out;
}

/** Keys whose value differs between two snapshots. */
export function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k));
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** JSON-ish view with bigint and bytes made comparable. */
export function plain(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (_k, x) =>
      typeof x === 'bigint'
        ? x.toString()
        : x instanceof Uint8Array
          ? `0x${Buffer.from(x).toString('hex')}`
          : x,
    ),
  );
}
