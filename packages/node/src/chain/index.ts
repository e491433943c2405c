/**
 * Chain service: `Chain.open({ db, spec, runtime: makeRuntimeHost('dev'), authorities })`, `chain.author(key)`,
 * `chain.importBlock(block)`, `chain.stateAt(hash)`, `chain.call(method, input, at)`, `onNewBest` / `onFinalized`;
 * block production timing with `Sealing`.
 */
export * from './aura.ts';
export * from './chain.ts';
export * from './errors.ts';
export * from './finality.ts';
export * from './runtime-host.ts';
export * from './sealing.ts';
export * from './signature-cache.ts';
export * from './signature-prefetch.ts';
export * from './state-view.ts';
export * from './trie-backend.ts';
