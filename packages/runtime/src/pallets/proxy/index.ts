export * from './pallet.ts';
export * from './proxy-type.ts';
