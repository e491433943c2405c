export * from './errors.ts';
export * from './executive.ts';
export * from './frame-system.ts';
export * from './inherents.ts';
export * from './runtime-apis.ts';
export * from './system-interface.ts';
export * from './validity-types.ts';
