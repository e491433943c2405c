export * from './pallet.ts';
export * from './runtime-api.ts';
