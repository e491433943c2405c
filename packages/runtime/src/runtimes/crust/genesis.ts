/**
 * Devnet genesis of Crust: the template's (//Alice … //Ferdie with 1,000,000 CRU each, //Alice as sudo), the market
 * open for orders with its four pots funded with the existential deposit, our storage nodes' code identity
 * allowlisted in swork, 1,000 CRU of each dev account reserved as market collateral (so a dev account running storage
 * nodes is paid as one of a file's first four reporters), the xstorage pallet account endowed so it can receive
 * flat fees and pay `place_storage_order`'s market orders, and an AssetConversion pool of CRU and each sibling's
 * token (1,000 of each, from //Alice's genesis holdings), so orders paid in a sibling's token find CRU.
 */
import type { AssetConversionGenesis } from '../../pallets/asset-conversion/index.ts';
import type { BenefitsGenesis } from '../../pallets/benefits/index.ts';
import type { MarketGenesis } from '../../pallets/market/index.ts';
import type { SworkGenesis } from '../../pallets/swork/index.ts';
import { xstorageAccount } from '../../pallets/xstorage-crust/index.ts';
import { here } from '../../xcm/index.ts';
import { parachainDevAccounts, parachainGenesisConfig } from '../parachain/genesis.ts';
import { NETWORK_TOKENS } from '../xcm-shared.ts';
import { CRU, CRUST, XSTORAGE_STORAGE_NODE_CODE } from './config.ts';

/** Market collateral (`benefits` MARKET funds) reserved for each dev account at genesis. */
export const CRUST_DEV_MARKET_COLLATERAL = 1_000n * CRU;
/** What the xstorage pallet account starts with. */
export const CRUST_XSTORAGE_ACCOUNT_ENDOWMENT = 1_000n * CRU;
/** `swork.Codes` expiry of the storage node code at genesis: never (u32::MAX). */
export const CODE_NEVER_EXPIRES = 0xffff_ffff;
/** Whole tokens of each side in each genesis AssetConversion pool (CRU and a sibling's token: 1 for 1). */
export const CRUST_GENESIS_POOL_TOKENS = 1_000n;

export function crustGenesisConfig(): Record<string, unknown> {
  // The template's genesis without the parachain-side Xstorage, which Crust does not run.
  const { Xstorage: _parachainSide, ...base } = parachainGenesisConfig(CRUST) as {
    Balances: { balances: Array<[Uint8Array, bigint]> };
    Sudo: unknown;
    Assets: unknown;
    Xstorage?: unknown;
  };
  const accounts = parachainDevAccounts(CRUST);
  const market: MarketGenesis = { enableMarket: true };
  const swork: SworkGenesis = { init_codes: [[XSTORAGE_STORAGE_NODE_CODE, CODE_NEVER_EXPIRES]] };
  const benefits: BenefitsGenesis = {
    funds: accounts.map((a) => [a, CRUST_DEV_MARKET_COLLATERAL, 'MARKET'] as [Uint8Array, bigint, 'MARKET']),
  };
  const pools: AssetConversionGenesis = {
    pools: NETWORK_TOKENS.filter((t) => t.paraId !== undefined && t.paraId !== CRUST.paraId).map((t) => [
      here(),
      t.location,
      accounts[0],
      CRUST_GENESIS_POOL_TOKENS * CRU,
      CRUST_GENESIS_POOL_TOKENS * 10n ** BigInt(t.decimals),
    ]),
  };
  return {
    ...base,
    AssetConversion: pools,
    Balances: {
      balances: [...base.Balances.balances, [xstorageAccount(32), CRUST_XSTORAGE_ACCOUNT_ENDOWMENT]],
    },
    Market: market,
    Swork: swork,
    Benefits: benefits,
  };
}
