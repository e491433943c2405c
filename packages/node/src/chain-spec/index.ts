export * from './chain-spec.ts';
