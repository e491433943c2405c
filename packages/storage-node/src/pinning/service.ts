/** The IPFS Pinning Service API on a public gateway (filled in by pinning-api.ts). */
import type { CrustStorageNode } from '../crust-storage-node.ts';
import type { Route } from '../http/mount.ts';

export interface PinningOptions {
  /** Replicas on chain for a pin to be `pinned`. */
  replicas: number;
}

export function pinningRoutes(_node: CrustStorageNode, _options: PinningOptions): Route[] {
  return [];
}
