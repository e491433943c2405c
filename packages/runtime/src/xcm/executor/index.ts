/**
 * The XCM executor (polkadot-sdk `xcm-executor`): the VM, its `Config` of adapters, the holding register and the
 * tuple combinators. Reusable adapters (barriers, transactors, converters, traders, weigher, message processing)
 * are in ../builder.
 */
export * from './call.ts';
export * from './config.ts';
export * from './errors.ts';
export * from './executor.ts';
export * from './holding.ts';
export * from './instruction-slice.ts';
export * from './traits.ts';
export * from './transactional.ts';
export * from './tuples.ts';
