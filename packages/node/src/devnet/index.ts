/** Devnet orchestration: a relay chain, its parachains and storage nodes in one process, and `endpoints.json`. */
export * from './devnet.ts';
export * from './endpoints.ts';
