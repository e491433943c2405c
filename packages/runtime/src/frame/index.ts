/**
 * FRAME-style framework. How pallet code reaches state: an ambient "externalities" env (env.ts), as sp_io does in
 * Substrate. `runtime.execute(overlay, fn)` (the executive, per block or runtime-API call; tests likewise) makes
 * `overlay` and the runtime current; storage items, `Event.deposit`, `Error.fail` and `p.config()` use them. Runtime
 * code is synchronous, so this is exactly one well-defined env at a time, and pallet helpers need no context
 * parameter. See pallet.ts for a complete example pallet.
 */
export * from './account.ts';
export * from './dispatch-error.ts';
export * from './env.ts';
export * from './nested-dispatch.ts';
export * from './origin.ts';
export * from './outer-enums.ts';
export * from './pallet.ts';
export * from './runtime.ts';
export * from './runtime-code.ts';
export * from './runtime-version.ts';
export * from './storage.ts';
export * from './weights.ts';
export * from './well-known-keys.ts';
