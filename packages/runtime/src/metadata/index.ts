export * from './api.ts';
export * from './generate.ts';
export * from './types.ts';
