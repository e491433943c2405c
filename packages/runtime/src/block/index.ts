export * from './block.ts';
export * from './digest.ts';
export * from './header.ts';
