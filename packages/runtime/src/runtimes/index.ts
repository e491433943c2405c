export * from './dev.ts';
export * from './dev-accounts.ts';
export * from './state-root.ts';
