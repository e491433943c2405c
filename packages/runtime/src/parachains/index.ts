/**
 * Parachain primitives shared by the relay pallets, the parachain side (parachainSystem) and the node: polkadot-sdk's
 * encodings and scale-info paths for para ids, heads, candidates, messages and the abridged relay state a parachain
 * reads, the MQC head functions, and the well-known relay storage keys.
 */
export * from './candidate.ts';
export * from './host-config.ts';
export * from './ids.ts';
export * from './inherent-data.ts';
export * from './messages.ts';
export * as wellKnownKeys from './well-known-keys.ts';
