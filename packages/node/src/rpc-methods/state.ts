/**
 * `state_*`: runtime version and metadata, `state_call` (runtime APIs), storage reads at any non-pruned block,
 * key paging, read proofs, and storage / runtime-version subscriptions. Errors as sc-rpc's state module.
 */
import { blake2_256 } from '@xstorage/runtime/crypto';
import type { RuntimeVersion } from '@xstorage/runtime/frame';
import { OpaqueMetadataCodec } from '@xstorage/runtime/metadata';
import { type MethodRegistry, p, params, RpcError } from '../rpc/index.ts';
import type { RpcContext } from './context.ts';
import { hexOrEmpty } from './hex-param.ts';
import { StateErrorCode, stateAtOrError, stateError, stateRead, toHex } from './json.ts';

/** sc-rpc `STORAGE_KEYS_PAGED_MAX_COUNT`. */
export const KEYS_PAGED_MAX = 1000;
/** Upper bound for the deprecated unpaged `state_getKeys`. */
const KEYS_UNPAGED_MAX = 100_000;
const MAX_KEY_BYTES = 4096;
const MAX_KEYS_PER_QUERY = 1000;
const QUERY_STORAGE_MAX_BLOCKS = 1000;

export function runtimeVersionJson(v: RuntimeVersion) {
  return {
    specName: v.spec_name,
    implName: v.impl_name,
    authoringVersion: v.authoring_version,
    specVersion: v.spec_version,
    implVersion: v.impl_version,
    apis: v.apis.map(([id, ver]) => [toHex(id), ver]),
    transactionVersion: v.transaction_version,
    systemVersion: v.system_version,
  };
}

export function registerState(reg: MethodRegistry, ctx: RpcContext): void {
  const { chain } = ctx;
  const key = () => p.hex({ maxBytes: MAX_KEY_BYTES });
  const at = () => p.optional(p.hash());

  const runtimeCall = async (method: string, data: Uint8Array, atHash?: Uint8Array) => {
    const trie = await stateRead(() => chain.trieAt(atHash));
    try {
      return chain.runtime.call(trie, method, data);
    } catch (err) {
      throw new RpcError(
        StateErrorCode.Client,
        `Client error: Execution failed: ${chain.runtime.runtime.hasApi(method) ? (err as Error).message : `Other: Exported method ${method} is not found`}`,
      );
    }
  };

  reg
    .method({
      name: 'state_getRuntimeVersion',
      aliases: ['chain_getRuntimeVersion'],
      params: params(['at', at()]),
      handler: async ([h]) => {
        await stateAtOrError(chain, h);
        return runtimeVersionJson(chain.runtime.runtime.version);
      },
    })
    .method({
      name: 'state_getMetadata',
      params: params(['at', at()]),
      handler: async ([h]) =>
        toHex(OpaqueMetadataCodec.decode(await runtimeCall('Metadata_metadata', new Uint8Array(0), h))),
    })
    .method({
      name: 'state_call',
      aliases: ['state_callAt'],
      // `""` is empty bytes, as Substrate's `Bytes` reads it (polkadot-api's legacy translation sends it).
      params: params(['name', p.string()], ['bytes', hexOrEmpty()], ['at', at()]),
      handler: async ([name, data, h]) => toHex(await runtimeCall(name, data, h)),
    })
    .method({
      name: 'state_getStorage',
      aliases: ['state_getStorageAt'],
      params: params(['key', key()], ['at', at()]),
      handler: async ([k, h]) => {
        const view = await stateAtOrError(chain, h);
        const v = await stateRead(() => view.get(k));
        return v === undefined ? null : toHex(v);
      },
    })
    .method({
      name: 'state_getStorageHash',
      aliases: ['state_getStorageHashAt'],
      params: params(['key', key()], ['at', at()]),
      handler: async ([k, h]) => {
        const view = await stateAtOrError(chain, h);
        const v = await stateRead(() => view.get(k));
        return v === undefined ? null : toHex(blake2_256(v));
      },
    })
    .method({
      name: 'state_getStorageSize',
      aliases: ['state_getStorageSizeAt'],
      params: params(['key', key()], ['at', at()]),
      handler: async ([k, h]) => {
        const view = await stateAtOrError(chain, h);
        const v = await stateRead(() => view.get(k));
        return v === undefined ? null : v.length;
      },
    })
    .method({
      name: 'state_getKeys',
      params: params(['prefix', key()], ['at', at()]),
      handler: async ([prefix, h]) => {
        const view = await stateAtOrError(chain, h);
        return (await stateRead(() => view.keys(prefix, KEYS_UNPAGED_MAX))).map(toHex);
      },
    })
    .method({
      name: 'state_getKeysPaged',
      aliases: ['state_getKeysPagedAt'],
      params: params(
        ['prefix', p.optional(key())],
        ['count', p.uint()],
        ['startKey', p.optional(key())],
        ['at', at()],
      ),
      handler: async ([prefix, count, start, h]) => {
        if (count > KEYS_PAGED_MAX) {
          throw new RpcError(
            StateErrorCode.InvalidCount,
            `count exceeds maximum value. value: ${count}, max: ${KEYS_PAGED_MAX}`,
          );
        }
        const view = await stateAtOrError(chain, h);
        return (await stateRead(() => view.keys(prefix ?? new Uint8Array(0), count, start))).map(toHex);
      },
    })
    .method({
      name: 'state_queryStorageAt',
      params: params(['keys', p.array(key(), MAX_KEYS_PER_QUERY)], ['at', at()]),
      handler: async ([keys, h]) => {
        const view = await stateAtOrError(chain, h);
        const changes = await stateRead(() =>
          Promise.all(keys.map(async (k) => [toHex(k), ((v) => (v ? toHex(v) : null))(await view.get(k))])),
        );
        return [{ block: toHex(view.blockHash), changes }];
      },
    })
    .method({
      name: 'state_queryStorage',
      params: params(
        ['keys', p.array(key(), MAX_KEYS_PER_QUERY)],
        ['fromBlock', p.hash()],
        ['toBlock', at()],
      ),
      handler: async ([keys, from, to]) => {
        const fromHeader = await chain.getHeader(from);
        const toHash = to ?? chain.bestHash;
        const toHeader = await chain.getHeader(toHash);
        const range = (details: string) =>
          new RpcError(
            StateErrorCode.InvalidBlockRange,
            `Cannot resolve a block range ['${toHex(from)}' ... '${toHex(toHash)}]. ${details}`,
          );
        if (!fromHeader || !toHeader) throw range('UnknownBlock');
        const span = toHeader.number - fromHeader.number;
        if (span < 0) throw range('from block is after to block');
        if (span >= QUERY_STORAGE_MAX_BLOCKS) throw range(`at most ${QUERY_STORAGE_MAX_BLOCKS} blocks`);
        // Walk back from `to` to `from`: the range must be one chain.
        const hashes: Uint8Array[] = [toHash];
        let h = toHeader;
        while (h.number > fromHeader.number) {
          hashes.push(h.parentHash);
          h = (await chain.getHeader(h.parentHash))!;
        }
        if (toHex(hashes.at(-1)!) !== toHex(from)) throw range('from block is not an ancestor of to block');
        hashes.reverse();
        const out: Array<{ block: string; changes: Array<[string, string | null]> }> = [];
        let prev: Array<string | null> | undefined;
        for (const bh of hashes) {
          const view = await stateAtOrError(chain, bh);
          const values = await stateRead(() =>
            Promise.all(keys.map(async (k) => ((v) => (v ? toHex(v) : null))(await view.get(k)))),
          );
          const changes: Array<[string, string | null]> = [];
          values.forEach((v, i) => {
            if (!prev || prev[i] !== v) changes.push([toHex(keys[i]), v]);
          });
          if (!prev || changes.length > 0) out.push({ block: toHex(bh), changes });
          prev = values;
        }
        return out;
      },
    })
    .method({
      name: 'state_getReadProof',
      params: params(['keys', p.array(key(), MAX_KEYS_PER_QUERY)], ['at', at()]),
      handler: async ([keys, h]) => {
        const view = await stateAtOrError(chain, h);
        const proof = await stateRead(() => view.proof(keys));
        return { at: toHex(view.blockHash), proof: proof.map(toHex) };
      },
    })
    .subscription({
      subscribe: 'state_subscribeRuntimeVersion',
      subscribeAliases: ['chain_subscribeRuntimeVersion'],
      unsubscribe: 'state_unsubscribeRuntimeVersion',
      unsubscribeAliases: ['chain_unsubscribeRuntimeVersion'],
      notification: 'state_runtimeVersion',
      params: [],
      // One runtime, no upgrades yet: the current version, once.
      handler: (_p, sink) => {
        sink.send(runtimeVersionJson(chain.runtime.runtime.version));
      },
    })
    .subscription({
      subscribe: 'state_subscribeStorage',
      unsubscribe: 'state_unsubscribeStorage',
      notification: 'state_storage',
      params: params(['keys', p.optional(p.array(key(), MAX_KEYS_PER_QUERY))]),
      handler: async ([keys], sink) => {
        const wanted = keys ? new Set(keys.map((k) => toHex(k))) : undefined;
        if (keys) {
          // The current values first, as Substrate does.
          const view = await chain.stateAt();
          const changes = await Promise.all(
            keys.map(async (k) => [toHex(k), ((v) => (v ? toHex(v) : null))(await view.get(k))]),
          );
          sink.send({ block: toHex(view.blockHash), changes });
        }
        return chain.onNewBest((b) => {
          const changes: Array<[string, string | null]> = [];
          for (const [k, v] of b.changes) {
            const kh = toHex(k);
            if (wanted && !wanted.has(kh)) continue;
            changes.push([kh, v === null ? null : toHex(v)]);
          }
          if (changes.length > 0) sink.send({ block: toHex(b.hash), changes });
        });
      },
    });
  void stateError;
}
