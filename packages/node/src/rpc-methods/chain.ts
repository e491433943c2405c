/** `chain_*`: block hashes, headers, blocks, finalized head, and head subscriptions (with polkadot-js's aliases). */
import type { Header } from '@xstorage/runtime/block';
import type { Chain } from '../chain/chain.ts';
import { type MethodRegistry, p, params, RpcError } from '../rpc/index.ts';
import type { RpcContext } from './context.ts';
import { type HeaderJson, headerToJson, toHex } from './json.ts';

/** A block number as polkadot-js sends it: a number, a hex string or a decimal string. */
const blockNumber = {
  expected: 'a block number (integer, hex or decimal string)',
  optional: false,
  decode(v: unknown): number {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
    if (typeof v === 'string') {
      if (/^0x[0-9a-fA-F]{1,8}$/.test(v)) return Number.parseInt(v.slice(2), 16);
      if (/^[0-9]{1,10}$/.test(v) && Number(v) <= 0xffffffff) return Number(v);
    }
    throw RpcError.invalidParams(`expected a block number (u32 as integer or hex), got ${JSON.stringify(v)}`);
  },
};

async function headerJson(chain: Chain, hash: Uint8Array | undefined): Promise<HeaderJson | null> {
  const h = await chain.getHeader(hash ?? chain.bestHash);
  return h ? headerToJson(h) : null;
}

export function registerChain(reg: MethodRegistry, ctx: RpcContext): void {
  const { chain } = ctx;
  const hashOf = async (n: number | undefined) => {
    if (n === undefined) return toHex(chain.bestHash);
    const h = await chain.getHash(n);
    return h ? toHex(h) : null;
  };
  reg
    .method({
      name: 'chain_getBlockHash',
      aliases: ['chain_getHead'],
      params: params(['number', p.optional(p.any())]),
      handler: async ([raw]) => {
        if (raw === undefined) return hashOf(undefined);
        // Substrate accepts one number or a list of them.
        if (Array.isArray(raw)) {
          if (raw.length > 1024) throw RpcError.invalidParams('at most 1024 block numbers');
          return Promise.all(raw.map((x) => hashOf(blockNumber.decode(x))));
        }
        return hashOf(blockNumber.decode(raw));
      },
    })
    .method({
      name: 'chain_getHeader',
      params: params(['hash', p.optional(p.hash())]),
      handler: ([hash]) => headerJson(chain, hash),
    })
    .method({
      name: 'chain_getBlock',
      params: params(['hash', p.optional(p.hash())]),
      handler: async ([hash]) => {
        const b = await chain.getBlock(hash ?? chain.bestHash);
        if (!b) return null;
        return {
          block: { header: headerToJson(b.header), extrinsics: b.extrinsics.map(toHex) },
          justifications: null,
        };
      },
    })
    .method({
      name: 'chain_getFinalizedHead',
      aliases: ['chain_getFinalisedHead'],
      params: [],
      handler: () => toHex(chain.finalizedHash),
    });

  const headSub = (
    subscribe: string,
    subscribeAliases: string[],
    unsubscribe: string,
    unsubscribeAliases: string[],
    notification: string,
    source: 'best' | 'finalized',
  ) =>
    reg.subscription({
      subscribe,
      subscribeAliases,
      unsubscribe,
      unsubscribeAliases,
      notification,
      params: [],
      handler: async (_p, sink) => {
        // Substrate sends the current head first, then each new one.
        const first =
          source === 'best' ? chain.bestHeader : ((await chain.getHeader(chain.finalizedHash)) as Header);
        sink.send(headerToJson(first));
        const off =
          source === 'best'
            ? chain.onNewBest((b) => sink.send(headerToJson(b.header)))
            : chain.onFinalized((f) => sink.send(headerToJson(f.header)));
        return off;
      },
    });
  headSub(
    'chain_subscribeNewHeads',
    ['chain_subscribeNewHead', 'subscribe_newHead'],
    'chain_unsubscribeNewHeads',
    ['chain_unsubscribeNewHead', 'unsubscribe_newHead'],
    'chain_newHead',
    'best',
  );
  headSub('chain_subscribeAllHeads', [], 'chain_unsubscribeAllHeads', [], 'chain_allHead', 'best');
  headSub(
    'chain_subscribeFinalizedHeads',
    ['chain_subscribeFinalisedHeads'],
    'chain_unsubscribeFinalizedHeads',
    ['chain_unsubscribeFinalisedHeads'],
    'chain_finalizedHead',
    'finalized',
  );
}
