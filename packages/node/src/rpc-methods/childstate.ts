/**
 * `childstate_*`: our runtimes create no child tries (no `:child_storage:default:` entries in any state), so after
 * checking the block these answer as Substrate does for a child trie that does not exist: no values, no keys.
 */
import { type MethodRegistry, p, params } from '../rpc/index.ts';
import type { RpcContext } from './context.ts';
import { stateAtOrError } from './json.ts';

export function registerChildState(reg: MethodRegistry, ctx: RpcContext): void {
  const { chain } = ctx;
  const key = () => p.hex({ maxBytes: 4096 });
  const at = () => p.optional(p.hash());
  const none = async (h: Uint8Array | undefined) => {
    await stateAtOrError(chain, h);
    return null;
  };
  const empty = async (h: Uint8Array | undefined) => {
    await stateAtOrError(chain, h);
    return [];
  };
  reg
    .method({
      name: 'childstate_getStorage',
      params: params(['childKey', key()], ['key', key()], ['at', at()]),
      handler: ([, , h]) => none(h),
    })
    .method({
      name: 'childstate_getStorageHash',
      params: params(['childKey', key()], ['key', key()], ['at', at()]),
      handler: ([, , h]) => none(h),
    })
    .method({
      name: 'childstate_getStorageSize',
      params: params(['childKey', key()], ['key', key()], ['at', at()]),
      handler: ([, , h]) => none(h),
    })
    .method({
      name: 'childstate_getStorageEntries',
      params: params(['childKey', key()], ['keys', p.array(key(), 1000)], ['at', at()]),
      handler: async ([, keys, h]) => {
        await stateAtOrError(chain, h);
        return keys.map(() => null);
      },
    })
    .method({
      name: 'childstate_getKeys',
      params: params(['childKey', key()], ['prefix', key()], ['at', at()]),
      handler: ([, , h]) => empty(h),
    })
    .method({
      name: 'childstate_getKeysPaged',
      aliases: ['childstate_getKeysPagedAt'],
      params: params(
        ['childKey', key()],
        ['prefix', p.optional(key())],
        ['count', p.uint()],
        ['startKey', p.optional(key())],
        ['at', at()],
      ),
      handler: ([, , , , h]) => empty(h),
    });
}
