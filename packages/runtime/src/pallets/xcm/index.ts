/**
 * pallet-xcm: `definePalletXcm({ name: 'XcmPallet' })` on the relay, `{ name: 'PolkadotXcm' }` on parachains; its
 * `adapters` go into the runtime's executor config, its runtime APIs (XcmPaymentApi, dry runs) into `apis`.
 */
export * from './pallet.ts';
export * from './runtime-apis.ts';
export * from './transfers.ts';
export * from './types.ts';
