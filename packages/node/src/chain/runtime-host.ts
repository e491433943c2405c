/**
 * The runtime as the node uses it: the dev runtime whose `sp_io::storage::root` is computed over the node's trie,
 * and runtime API calls (`state_call`) against a block's state.
 */
import { type DevRuntime, makeDevRuntime } from '../../../runtime/src/runtimes/dev.ts';
import { Overlay } from '../../../runtime/src/state/overlay.ts';
import type { Trie } from '../../../runtime/src/trie/trie.ts';
import { TrieBackend, trieStorageRoot } from './trie-backend.ts';

export interface RuntimeHost extends DevRuntime {
  /** Calls runtime API `method` with SCALE `input` on `trie`'s state; writes are discarded. */
  call(trie: Trie, method: string, input: Uint8Array): Uint8Array;
}

export function makeRuntimeHost(kind: 'dev'): RuntimeHost {
  if (kind !== 'dev') throw new Error(`unknown runtime ${kind}`);
  const dev = makeDevRuntime({ storageRoot: trieStorageRoot });
  return {
    ...dev,
    call(trie, method, input) {
      return dev.runtime.callApi(new Overlay(new TrieBackend(trie)), method, input);
    },
  };
}
