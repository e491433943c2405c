/**
 * What a collator needs from the relay chain (cumulus' `RelayChainInterface`): the best relay block as it changes,
 * reads and storage proofs of relay state at a block, and runtime API calls. The devnet implements it over the relay
 * node in the same process; a collator in its own process implements it over the relay's JSON-RPC
 * (`chain_subscribeNewHeads`, `state_getReadProof`, `state_call`), as cumulus' RPC relay-chain interface does.
 */
import type { Header } from '@xstorage/runtime/block';
import type { Chain } from '../chain/chain.ts';

export interface RelayHead {
  hash: Uint8Array;
  header: Header;
}

export interface RelayChainInterface {
  best(): Promise<RelayHead>;
  /** Calls `listener` with every new best relay block, in order; returns the unsubscribe function. */
  onNewBest(listener: (head: RelayHead) => void): () => void;
  /** The value at `key` in the relay state at block `at`. */
  storage(at: Uint8Array, key: Uint8Array): Promise<Uint8Array | undefined>;
  /** A storage proof of `keys` in the relay state at block `at` (`state_getReadProof`). */
  readProof(at: Uint8Array, keys: Uint8Array[]): Promise<Uint8Array[]>;
  /** A runtime API call at block `at` (`state_call`). */
  call(at: Uint8Array, method: string, input: Uint8Array): Promise<Uint8Array>;
  /**
   * Synchronous reads and proofs of the relay state at `at` (what the parachain inherent's relay-state proof is built
   * from; an RPC implementation fetches the keys it will be asked for first).
   */
  stateView(at: Uint8Array): Promise<RelayStateView>;
}

export interface RelayStateView {
  read(key: Uint8Array): Uint8Array | undefined;
  prove(keys: Uint8Array[]): Uint8Array[];
}

/** The relay chain node in this process. */
export function inProcessRelay(chain: Chain): RelayChainInterface {
  return {
    async best() {
      return { hash: chain.bestHash, header: chain.bestHeader };
    },
    onNewBest(listener) {
      return chain.onNewBest((b) => listener({ hash: b.hash, header: b.header }));
    },
    async storage(at, key) {
      return (await chain.trieAt(at)).get(key);
    },
    async readProof(at, keys) {
      return (await chain.trieAt(at)).proof(keys);
    },
    call: (at, method, input) => chain.call(method, input, at),
    async stateView(at) {
      const trie = await chain.trieAt(at);
      return { read: (key) => trie.get(key), prove: (keys) => trie.proof(keys) };
    },
  };
}
