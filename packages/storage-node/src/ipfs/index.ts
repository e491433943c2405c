/**
 * The storage node's IPFS side: Kubo-compatible import (`addBytes`, `kuboImporterOptions`), the pack
 * blockstore, the fetcher that pulls a DAG from providers over HTTP(S) or bitswap, and the Helia node.
 */
export * from './fetch-http.ts';
export * from './fetcher.ts';
export * from './import-options.ts';
export * from './pack/pack-blockstore.ts';
export * from './storage-node.ts';
