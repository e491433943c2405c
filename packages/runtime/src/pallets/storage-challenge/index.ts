/**
 * Storage challenges (`StorageChallenge`): random proofs of storage answered with a path of blocks through the
 * file's IPFS DAG, checked on chain (sha2-256, dag-pb), so replica holders need no trusted hardware.
 */
export * from './cid.ts';
export * from './dag-pb.ts';
export * from './pallet.ts';
export * from './proof.ts';
