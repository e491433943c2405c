/** `system_*`: node and chain identity, health, and `system_accountNextIndex` (runtime nonce + pool). */

import { ss58Decode } from '@xstorage/runtime/crypto';
import { nonceTag } from '@xstorage/runtime/extrinsic';
import { u32 } from '@xstorage/runtime/scale';
import { type MethodRegistry, p, params, RpcError } from '../rpc/index.ts';
import type { RpcContext } from './context.ts';
import { stateRead, toHex } from './json.ts';

/** SS58 address or 0x-hex 32-byte account id → account id bytes. */
export function parseAccountId(text: string, length: 32 | 20 = 32): Uint8Array {
  // Ethereum-style chains (Moonbeam, Darwinia) name accounts by their 20 bytes in hex, as polkadot-js sends them.
  if (new RegExp(`^0x[0-9a-fA-F]{${length * 2}}$`).test(text))
    return new Uint8Array(Buffer.from(text.slice(2), 'hex'));
  try {
    const d = ss58Decode(text);
    if (d.payload.length !== length) throw new Error(`not a ${length}-byte account`);
    return d.payload;
  } catch (err) {
    throw RpcError.invalidParams(
      `not an SS58 address or ${length}-byte hex account id: ${(err as Error).message}`,
    );
  }
}

export function registerSystem(reg: MethodRegistry, ctx: RpcContext): void {
  const { chain, pool, spec, identity, network } = ctx;
  reg
    .method({ name: 'system_name', params: [], handler: () => identity.name })
    .method({ name: 'system_version', params: [], handler: () => identity.version })
    .method({ name: 'system_chain', params: [], handler: () => spec.name })
    .method({ name: 'system_chainType', params: [], handler: () => spec.chainType })
    .method({ name: 'system_properties', params: [], handler: () => spec.properties })
    .method({
      name: 'system_health',
      params: [],
      // Without networking: no peers, never syncing; `shouldHavePeers` false as Substrate for --dev.
      handler: () =>
        network?.health() ?? {
          peers: 0,
          isSyncing: false,
          shouldHavePeers: spec.chainType !== 'Development',
        },
    })
    .method({ name: 'system_peers', params: [], handler: () => network?.peers() ?? [] })
    .method({ name: 'system_localPeerId', params: [], handler: () => identity.peerId })
    .method({ name: 'system_nodeRoles', params: [], handler: () => identity.roles })
    .method({
      name: 'system_localListenAddresses',
      params: [],
      handler: () => network?.listenAddresses() ?? identity.listenAddresses,
    })
    .method({
      name: 'system_syncState',
      params: [],
      handler: () =>
        network?.syncState() ?? {
          startingBlock: 0,
          currentBlock: chain.bestNumber,
          highestBlock: chain.bestNumber,
        },
    })
    .method({
      name: 'system_accountNextIndex',
      aliases: ['account_nextIndex'],
      params: params(['accountId', p.string()]),
      handler: async ([address]) => {
        const who = parseAccountId(address, chain.runtime.runtime.accounts.length);
        const raw = await chain.call('AccountNonceApi_account_nonce', who);
        let nonce = u32.decode(raw);
        // As Substrate: skip past nonces already taken by transactions in the pool.
        const provided = new Set<string>();
        for (const tx of pool.pending()) for (const t of tx.provides) provided.add(t);
        while (provided.has(tagKey(nonceTag(who, nonce)))) nonce++;
        return nonce;
      },
    })
    .method({
      // frame-rpc-system's dry run: `BlockBuilder_apply_extrinsic` on the state of `at` (default best), nothing kept;
      // answers the SCALE `ApplyExtrinsicResult`. Errors as upstream: 2 undecodable extrinsic, 1 runtime failure.
      name: 'system_dryRun',
      aliases: ['system_dryRunAt'],
      params: params(['extrinsic', p.hex()], ['at', p.optional(p.hash())]),
      handler: async ([xt, at]) => {
        const trie = await stateRead(() => chain.trieAt(at));
        try {
          return toHex(chain.runtime.call(trie, 'BlockBuilder_apply_extrinsic', xt));
        } catch (err) {
          const undecodable = /decode/i.test((err as Error)?.name ?? '');
          throw new RpcError(
            undecodable ? 2 : 1,
            'Unable to dry run extrinsic',
            (err as Error)?.message ?? String(err),
          );
        }
      },
    });
}

// The pool keys tags by their hex.
const tagKey = (t: Uint8Array) => toHex(t).slice(2);
