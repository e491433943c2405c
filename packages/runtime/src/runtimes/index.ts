export * from './chain-runtime.ts';
export * from './dev/index.ts';
export * from './dev-accounts.ts';
export * from './dev-accounts-eth.ts';
export * from './profile.ts';
export * from './profiles.ts';
export * from './state-root.ts';
export * from './stateless-validation.ts';
