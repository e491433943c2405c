/** OAK's scheduled renewals of Crust files (`XstorageAutomation`, README.md). */
export * from './pallet.ts';
export * from './quote.ts';
export * from './runtime-api.ts';
export * from './types.ts';
