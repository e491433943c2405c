export * from './pallet.ts';
