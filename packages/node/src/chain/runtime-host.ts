/**
 * The runtime as the node uses it: the dev runtime whose host functions are the node's — `sp_io::storage::root`
 * computed over the node's trie, and signature checks through a cache of signatures already verified (see
 * signature-cache.ts) — and runtime API calls (`state_call`) against a block's state.
 */
import { type DevRuntime, makeDevRuntime } from '../../../runtime/src/runtimes/dev.ts';
import { Overlay } from '../../../runtime/src/state/overlay.ts';
import type { Trie } from '../../../runtime/src/trie/trie.ts';
import { DEFAULT_READY_LIMIT } from '../txpool/pool.ts';
import { SignatureCache } from './signature-cache.ts';
import { TrieBackend, trieStorageRoot } from './trie-backend.ts';

export interface RuntimeHost extends DevRuntime {
  /** Calls runtime API `method` with SCALE `input` on `trie`'s state; writes are discarded. */
  call(trie: Trie, method: string, input: Uint8Array): Uint8Array;
  /** The signature checks' memory of verified signatures. */
  readonly signatureCache: SignatureCache;
}

export interface RuntimeHostOptions {
  /**
   * Verified signatures remembered. Default: twice the pool's ready limit, so every transaction the pool can
   * hold keeps its entry from admission to authoring even while as many again pass through.
   */
  signatureCacheEntries?: number;
}

export function makeRuntimeHost(kind: 'dev', opts: RuntimeHostOptions = {}): RuntimeHost {
  if (kind !== 'dev') throw new Error(`unknown runtime ${kind}`);
  const signatureCache = new SignatureCache(opts.signatureCacheEntries ?? 2 * DEFAULT_READY_LIMIT.count);
  const dev = makeDevRuntime({ storageRoot: trieStorageRoot, verifySignature: signatureCache.verify });
  return {
    ...dev,
    signatureCache,
    call(trie, method, input) {
      return dev.runtime.callApi(new Overlay(new TrieBackend(trie)), method, input);
    },
  };
}
