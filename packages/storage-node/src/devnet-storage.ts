/**
 * The devnet's storage nodes: N {@link CrustStorageNode}s in the devnet's process (each its own Helia, libp2p,
 * database and HTTP port), reaching Crust only through its JSON-RPC like any operator's node. Node i runs under
 * the account `//<Owner>//storage-node-<i>` in the group of a dev account (//Alice, //Bob, //Charlie, //Dave, …, so
 * four nodes make four groups: Crust keeps one replica per group), funded and allowlisted by that owner at start.
 * Node 1 is the public gateway: uploads (W3Auth), and the Pinning Service API paid by its account. Every node
 * pulls from the gateway and from the others.
 */
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { CRU } from '@xstorage/runtime/runtimes/crust';
import { CrustClient } from './chain/crust-client.ts';
import { CrustStorageNode, type CrustStorageNodeOptions } from './crust-storage-node.ts';
import type { Log } from './manager/manager.ts';
import { pinningRoutes } from './pinning/service.ts';

/** Group owners, in order: node i joins the group of OWNERS[i % OWNERS.length]. */
export const DEVNET_GROUP_OWNERS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;
/** What each node's account gets from its owner at start (fees of registration, reports, challenges). */
export const DEVNET_NODE_FUNDS = 1_000n * CRU;

export interface DevnetStorageOptions {
  crustWs: string;
  /** Each node under `<basePath>/storage-<i>`. */
  basePath: string;
  count: number;
  host?: string;
  /** Per-node options (tests shorten timeouts). */
  nodeOptions?: Partial<CrustStorageNodeOptions>;
  log?: (node: string, event: string, data: Record<string, unknown>) => void;
}

export interface DevnetStorage {
  gateway: string;
  storageNodes: Array<{ name: string; http: string; account: string }>;
  nodes: CrustStorageNode[];
  stop(): Promise<void>;
}

export function devnetNodeUri(i: number): string {
  return `//${DEVNET_GROUP_OWNERS[i % DEVNET_GROUP_OWNERS.length]}//storage-node-${i + 1}`;
}

/** Funds, groups and allowlists for the nodes (skipping what a restarted devnet already has). */
async function prepareGroups(crustWs: string, count: number): Promise<void> {
  await cryptoWaitReady();
  const client = await CrustClient.connect(crustWs);
  try {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: client.ss58Prefix });
    const api = client.api;
    const byOwner = new Map<string, string[]>();
    for (let i = 0; i < count; i++) {
      const owner = DEVNET_GROUP_OWNERS[i % DEVNET_GROUP_OWNERS.length];
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), keyring.addFromUri(devnetNodeUri(i)).address]);
    }
    await Promise.all(
      [...byOwner].map(async ([owner, members]) => {
        const pair = keyring.addFromUri(`//${owner}`);
        const group = await client.group(pair.address);
        const calls = [];
        if (!group) calls.push(api.tx.swork.createGroup());
        for (const m of members) {
          if ((await client.freeBalance(m)) < DEVNET_NODE_FUNDS / 2n)
            calls.push(api.tx.balances.transferKeepAlive(m, DEVNET_NODE_FUNDS));
          const identity = await client.identity(m);
          if (identity?.group !== pair.address && !group?.allowlist.includes(m))
            calls.push(api.tx.swork.addMemberIntoAllowlist(m));
        }
        if (calls.length > 0) await client.submit(api.tx.utility.batchAll(calls), pair, { finalized: true });
      }),
    );
    // In a block is not yet the best block every RPC reads: wait until the funds show before anyone spends them.
    const members = [...byOwner.values()].flat();
    for (let i = 0; i < 100; i++) {
      const balances = await Promise.all(members.map((m) => client.freeBalance(m)));
      if (balances.every((b) => b >= DEVNET_NODE_FUNDS / 2n)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.disconnect();
  }
}

export async function startDevnetStorage(o: DevnetStorageOptions): Promise<DevnetStorage> {
  await prepareGroups(o.crustWs, o.count);
  const keyring = new Keyring({ type: 'sr25519' });
  const nodes: CrustStorageNode[] = [];
  try {
    for (let i = 0; i < o.count; i++) {
      const name = `storage-${i + 1}`;
      const owner = keyring.addFromUri(`//${DEVNET_GROUP_OWNERS[i % DEVNET_GROUP_OWNERS.length]}`).address;
      const log: Log = (event, data) => o.log?.(name, event, data ?? {});
      nodes.push(
        new CrustStorageNode({
          name,
          crust: o.crustWs,
          key: devnetNodeUri(i),
          basePath: join(o.basePath, name),
          httpHost: o.host,
          group: owner,
          log,
          routes: i === 0 ? (n) => pinningRoutes(n, { replicas: 3 }) : undefined,
          ...o.nodeOptions,
        }),
      );
    }
    const started = await Promise.all(nodes.map((n) => n.start()));
    // Everyone pulls from the gateway (node 1) first, then from the others.
    for (const [i, n] of nodes.entries())
      n.setProviders(started.filter((_, j) => j !== i).map((s) => ({ kind: 'http' as const, url: s.http })));
    return {
      gateway: started[0]?.http ?? '',
      storageNodes: started.map((s, i) => ({ name: `storage-${i + 1}`, http: s.http, account: s.account })),
      nodes,
      async stop() {
        await Promise.all(nodes.map((n) => n.stop()));
      },
    };
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop().catch(() => {})));
    throw err;
  }
}
