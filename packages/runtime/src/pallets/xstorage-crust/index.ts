/** Crust's `xstorage` (`Xstorage`, pallet index 127): cross-chain storage orders placed as real market orders. */
export * from './pallet.ts';
