export * from './backend.ts';
export * from './keys.ts';
export * from './memory-backend.ts';
export * from './overlay.ts';
export * from './proof-backend.ts';
