/**
 * The relay chain's parachain pallets, as polkadot-sdk's `polkadot_runtime_parachains` (pallet names and storage as
 * Polkadot's metadata has them): Configuration, ParasShared, Paras, ParaInclusion, ParaInherent, Initializer, Dmp,
 * Hrmp. Like polkadot-sdk's (whose `Config` traits inherit each other), these pallets call each other's functions
 * directly; what lies outside them (currency, upward message sink, state root) comes through their Config.
 *
 * Polkadot's pallet indices: see `POLKADOT_PARACHAIN_PALLET_INDICES`.
 */
export * from './configuration.ts';
export * from './dmp.ts';
export * from './hrmp/index.ts';
export * from './inclusion.ts';
export * from './inherent.ts';
export * from './initializer.ts';
export * from './origin.ts';
export * from './paras.ts';
export * from './runtime-api.ts';
export * from './shared.ts';

/** The indices these pallets have in Polkadot's runtime (so polkadot-js's bundled Polkadot metadata encodes calls). */
export const POLKADOT_PARACHAIN_PALLET_INDICES = {
  Configuration: 51,
  ParasShared: 52,
  ParaInclusion: 53,
  ParaInherent: 54,
  Paras: 56,
  Initializer: 57,
  Dmp: 58,
  Hrmp: 60,
} as const;
