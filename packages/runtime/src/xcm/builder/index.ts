/**
 * xcm-builder: the reusable adapters a runtime's `xcm-config.ts` composes into an `XcmExecutorConfig` — barriers,
 * origin converters, the fungible / fungibles asset transactors and their matchers, the weigher and traders,
 * reserve/teleport filters, the asset trap, fee managers, routers and version wrapping, and `processXcmMessage`
 * for the message queues. Location → account converters are ../location-to-account.ts.
 */
export * from './asset-trap.ts';
export * from './barriers.ts';
export * from './fee-manager.ts';
export * from './filter-asset-location.ts';
export * from './fungible-adapter.ts';
export * from './fungibles-adapter.ts';
export * from './matchers.ts';
export * from './origin-conversion.ts';
export * from './origins.ts';
export * from './pallets-info.ts';
export * from './process-xcm-message.ts';
export * from './query.ts';
export * from './routing.ts';
export * from './version.ts';
export * from './weight.ts';
