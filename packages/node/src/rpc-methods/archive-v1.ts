/**
 * `archive_v1_*`: any block the database holds, by hash or height. Finalized blocks keep their headers and bodies
 * for good; their state stays readable for the node's state-pruning window (256 finalized blocks by default, as
 * Substrate's `--state-pruning`), after which storage queries answer `storageError` and calls `success: false`.
 * `archive_v1_storage` is a subscription (`archive_v1_storageEvent`, ended by `storageDone`/`storageError` or
 * `archive_v1_stopStorage`), one `storage` event per item as the spec lays out.
 */
import { StatePrunedError } from '../chain/errors.ts';
import type { StateView } from '../chain/state-view.ts';
import { type MethodRegistry, p, params } from '../rpc/index.ts';
import type { ChainHeadLimits } from './chain-head-service.ts';
import type { RpcContext } from './context.ts';
import { hexOrEmpty } from './hex-param.ts';
import { toHex } from './json.ts';
import { MAX_STORAGE_KEY_BYTES, storagePages, storageQueries } from './storage-queries.ts';

const MAX_CALL_PARAMETERS = 5 * 1024 * 1024;

export function registerArchiveV1(
  reg: MethodRegistry,
  ctx: RpcContext,
  limits: Pick<ChainHeadLimits, 'storagePageItems' | 'maxStorageQueryItems'>,
): void {
  const { chain } = ctx;
  const known = async (hash: Uint8Array) => (await chain.db.getBlockMeta(hash)) !== undefined;
  reg
    .method({ name: 'archive_v1_genesisHash', params: [], handler: () => toHex(chain.genesisHash) })
    .method({ name: 'archive_v1_finalizedHeight', params: [], handler: () => chain.db.finalized.number })
    .method({
      name: 'archive_v1_hashByHeight',
      params: params(['height', p.uint(32)]),
      handler: async ([height]) => {
        const canonical = await chain.getHash(height);
        if (height <= chain.db.finalized.number) return canonical ? [toHex(canonical)] : [];
        // Above finality: every block of that height the node knows, forks included.
        const out = new Set<string>(canonical ? [toHex(canonical)] : []);
        for (const h of await chain.db.unfinalizedBlocks()) {
          if ((await chain.db.getBlockMeta(h))?.number === height) out.add(toHex(h));
        }
        return [...out];
      },
    })
    .method({
      name: 'archive_v1_header',
      params: params(['hash', p.hash()]),
      handler: async ([hash]) => {
        const h = await chain.db.getHeader(hash);
        return h ? toHex(h) : null;
      },
    })
    .method({
      name: 'archive_v1_body',
      params: params(['hash', p.hash()]),
      handler: async ([hash]) => {
        if (!(await known(hash))) return null;
        const body = await chain.db.getBody(hash);
        return body ? body.map((x) => toHex(x)) : null;
      },
    })
    .method({
      name: 'archive_v1_call',
      params: params(
        ['hash', p.hash()],
        ['function', p.string()],
        ['callParameters', hexOrEmpty({ maxBytes: MAX_CALL_PARAMETERS })],
      ),
      handler: async ([hash, fn, input]) => {
        if (!(await known(hash))) return null;
        try {
          const trie = await chain.trieAt(hash);
          return { success: true, value: toHex(chain.runtime.call(trie, fn, input)) };
        } catch (err) {
          if (err instanceof StatePrunedError) return { success: false, error: err.message };
          const msg = chain.runtime.runtime.hasApi(fn)
            ? `Execution failed: ${(err as Error).message}`
            : `Execution failed: Other: Exported method ${fn} is not found`;
          return { success: false, error: msg };
        }
      },
    })
    .subscription({
      subscribe: 'archive_v1_storage',
      unsubscribe: 'archive_v1_stopStorage',
      notification: 'archive_v1_storageEvent',
      params: params(
        ['hash', p.hash()],
        ['items', storageQueries({ maxItems: limits.maxStorageQueryItems, pagination: true })],
        ['childTrie', p.optional(hexOrEmpty({ maxBytes: MAX_STORAGE_KEY_BYTES }))],
      ),
      handler: async ([hash, items, childTrie], sink) => {
        sink.onDropped(() =>
          sink.send({
            event: 'storageError',
            error: 'The client does not read its notifications fast enough',
          }),
        );
        let view: StateView | undefined;
        if (await known(hash)) view = await chain.stateAt(hash);
        const run = async () => {
          if (!view) {
            sink.send({ event: 'storageError', error: `Block ${toHex(hash)} not found` });
            return;
          }
          try {
            for await (const page of storagePages(view, items, limits.storagePageItems, childTrie)) {
              if (sink.closed) return;
              for (const item of page.items) sink.send({ event: 'storage', ...item });
              // Let other requests in between pages of a large query.
              await new Promise((r) => setImmediate(r));
            }
            sink.send({ event: 'storageDone' });
          } catch (err) {
            sink.send({ event: 'storageError', error: (err as Error).message });
          }
        };
        void run().finally(() => sink.close());
      },
    });
}
