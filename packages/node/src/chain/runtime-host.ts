/**
 * The runtime as the node uses it: a profile's runtime whose host functions are the node's — `sp_io::storage::root`
 * computed over the node's trie, and signature checks through a cache of signatures already verified (see
 * signature-cache.ts), optionally filled ahead of validation by a verifier thread (signature-prefetch.ts) — and
 * runtime API calls (`state_call`) against a block's state.
 */
import type { ChainRuntime, RuntimeProfile } from '@xstorage/runtime/runtimes';
import { runtimeProfile } from '@xstorage/runtime/runtimes';
import { Overlay } from '@xstorage/runtime/state';
import type { Trie } from '@xstorage/runtime/trie';
import { DEFAULT_READY_LIMIT } from '../txpool/pool.ts';
import { SignatureCache } from './signature-cache.ts';
import { SignaturePrefetcher } from './signature-prefetch.ts';
import { TrieBackend, trieStorageRoot } from './trie-backend.ts';

export interface RuntimeHost extends ChainRuntime {
  readonly profile: RuntimeProfile;
  /** Calls runtime API `method` with SCALE `input` on `trie`'s state; writes are discarded. */
  call(trie: Trie, method: string, input: Uint8Array): Uint8Array;
  /** The signature checks' memory of verified signatures. */
  readonly signatureCache: SignatureCache;
  /**
   * Verifies, on the verifier thread, the signature check that validating `tx` at block `at` (state `trie`) will
   * make, and remembers it when valid; settles when done. Undefined when there is nothing to do ahead (no
   * verifier thread, bare or undecodable extrinsic, not sr25519, already remembered).
   */
  prefetchSignature(trie: Trie, tx: Uint8Array, at: Uint8Array): Promise<void> | undefined;
  /** Starts the verifier thread, if enabled (in the background: prefetching begins once it is ready). */
  startSignatureThread(): void;
  /** Where the verifier thread is ('off' when disabled, failed or stopped). */
  signatureThreadState(): 'idle' | 'starting' | 'ready' | 'off';
  /** Stops the verifier thread. */
  close(): Promise<void>;
}

/** Checks queued for the verifier thread (60-70 ms of sr25519 work) beyond which validation verifies itself. */
const MAX_SIGNATURE_THREAD_BACKLOG = 128;

export interface RuntimeHostOptions {
  /**
   * Verified signatures remembered. Default: twice the pool's ready limit, so every transaction the pool can
   * hold keeps its entry from admission to authoring even while as many again pass through.
   */
  signatureCacheEntries?: number;
  /** Verify pool transactions' sr25519 signatures on a verifier thread ahead of validation (default false). */
  signatureThread?: boolean;
}

export function makeRuntimeHost(
  runtime: RuntimeProfile | string,
  opts: RuntimeHostOptions = {},
): RuntimeHost {
  const profile = typeof runtime === 'string' ? runtimeProfile(runtime) : runtime;
  const signatureCache = new SignatureCache(opts.signatureCacheEntries ?? 2 * DEFAULT_READY_LIMIT.count);
  const dev = profile.make({ storageRoot: trieStorageRoot, verifySignature: signatureCache.verify });
  const prefetcher = opts.signatureThread ? new SignaturePrefetcher() : undefined;
  return {
    ...dev,
    profile,
    signatureCache,
    call(trie, method, input) {
      return dev.runtime.callApi(new Overlay(new TrieBackend(trie)), method, input);
    },
    prefetchSignature(trie, tx, at) {
      // When the thread is behind by more than ~65 ms of work, this transaction's check is left to
      // validation on the event loop: both threads then verify, each as fast as it can keep up.
      if (prefetcher?.state !== 'ready' || prefetcher.backlog >= MAX_SIGNATURE_THREAD_BACKLOG)
        return undefined;
      const check = dev.runtime.execute(new Overlay(new TrieBackend(trie)), () =>
        dev.executive.signatureCheckFor(tx, at),
      );
      if (check?.kind !== 'sr25519') return undefined;
      const { signature, message, signer } = check;
      if (signatureCache.has('sr25519', signature, message, signer)) return undefined;
      return prefetcher.verify({ signature, message, publicKey: signer })?.then((valid) => {
        if (valid) signatureCache.recordVerified('sr25519', signature, message, signer);
      });
    },
    startSignatureThread: () => prefetcher?.start(),
    signatureThreadState: () => prefetcher?.state ?? 'off',
    close: async () => {
      await prefetcher?.stop();
    },
  };
}
