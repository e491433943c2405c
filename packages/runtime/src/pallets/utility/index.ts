export * from './nested-call.ts';
export * from './origin-caller.ts';
export * from './origin-filter.ts';
export * from './pallet.ts';
