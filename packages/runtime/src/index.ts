/**
 * @xstorage/runtime: the deterministic core (no I/O). Each area is a namespace; import a submodule path
 * (`@xstorage/runtime/scale`, `/frame`, `/pallets/<name>`, `/runtimes/<chain>`: see package.json `exports`) when only one area is needed.
 */
export * as block from './block/index.ts';
export * as crypto from './crypto/index.ts';
export * as executive from './executive/index.ts';
export * as extrinsic from './extrinsic/index.ts';
export * as frame from './frame/index.ts';
export * as metadata from './metadata/index.ts';
export * as runtimes from './runtimes/index.ts';
export * as scale from './scale/index.ts';
export * as state from './state/index.ts';
export * as trie from './trie/index.ts';
export * as assets from './pallets/assets/index.ts';
export * as balances from './pallets/balances/index.ts';
export * as sudo from './pallets/sudo/index.ts';
export * as system from './pallets/system/index.ts';
export * as timestamp from './pallets/timestamp/index.ts';
export * as transactionPayment from './pallets/transaction-payment/index.ts';
