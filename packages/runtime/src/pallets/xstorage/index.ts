/** The parachain-side xstorage pallet (`Xstorage`): storage orders placed on Crust from this chain (README.md). */
export * from './message.ts';
export * from './pallet.ts';
export * from './queries.ts';
export * from './quote.ts';
export * from './runtime-api.ts';
export * from './types.ts';
