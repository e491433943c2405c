/**
 * Devnet genesis of a parachain: the chain's dev accounts (//Alice … //Ferdie, or Alith … Faith on Ethereum-style
 * chains) endowed with 1,000,000 tokens each, the first one as sudo and as the collator (session validator) whose
 * Aura key is //Alice's sr25519 key, what the node seals with, on every chain. DOT and every other parachain's token
 * are registered in `ForeignAssets` (sufficient, so an account may hold only them); the first dev account holds
 * `GENESIS_RESERVE_TOKENS` of each, backed by this chain's sovereign account at the token's reserve; likewise each
 * sibling's sovereign account here holds as much of this chain's token. The treasury (execution fees) is endowed.
 * Xstorage quotes orders with Crust's devnet fees and XCM execution costs (`xstorageGenesisConfig`).
 */
import { addWeight, weight } from '../../frame/weights.ts';
import { AssetConversionWeights } from '../../pallets/asset-conversion/index.ts';
import { CRUST_MARKET_DEFAULTS, MarketWeights } from '../../pallets/market/index.ts';
import { weightToFee } from '../../pallets/transaction-payment/index.ts';
import type { XstorageGenesis } from '../../pallets/xstorage/index.ts';
import { defaultXstorageWeight } from '../../pallets/xstorage-crust/index.ts';
import { CRUST_EXISTENTIAL_DEPOSIT } from '../crust/config.ts';
import { devAccounts } from '../dev-accounts.ts';
import { ethDevAccounts } from '../dev-accounts-eth.ts';
import { auraSessionGenesis } from '../wallet-pallets.ts';
import { siblingSovereignAccount } from '../../parachains/ids.ts';
import type { Location } from '../../xcm/index.ts';
import { GENESIS_RESERVE_TOKENS, NETWORK_TOKENS, unitsPerSecond, XCM_UNIT_WEIGHT } from '../xcm-shared.ts';
import { type ParachainData, PARACHAINS, parachainData } from './chains.ts';
import { parachainConfigs, tokenUnits, treasuryAccount } from './config.ts';

export const PARACHAIN_DEV_ENDOWMENT_TOKENS = 1_000_000n;

/** A foreign token's `min_balance` here: one millionth of a token (at least one unit). */
export function minForeignBalance(decimals: number): bigint {
  return decimals >= 6 ? 10n ** BigInt(decimals - 6) : 1n;
}

/** The chain's dev accounts in order (Alice … or Alith …). */
export function parachainDevAccounts(data: ParachainData): Uint8Array[] {
  return data.accounts === 'ethereum' ? Object.values(ethDevAccounts()) : Object.values(devAccounts());
}

export function parachainGenesisConfig(data: ParachainData): Record<string, unknown> {
  const accounts = parachainDevAccounts(data);
  const { unit } = tokenUnits(data.decimals);
  const endowment = PARACHAIN_DEV_ENDOWMENT_TOKENS * unit;
  const length = data.accounts === 'ethereum' ? 20 : 32;
  const siblings = PARACHAINS.filter((p) => p.paraId !== data.paraId);
  const foreign = NETWORK_TOKENS.filter((t) => t.paraId !== data.paraId);
  const enc = (s: string) => new TextEncoder().encode(s);
  return {
    Balances: {
      balances: [
        ...accounts.map((a) => [a, endowment]),
        [treasuryAccount(length), 1_000n * unit],
        ...siblings.map((p) => [siblingSovereignAccount(p.paraId, length), GENESIS_RESERVE_TOKENS * unit]),
      ],
    },
    Sudo: { key: accounts[0] },
    Assets: { assets: [], metadata: [], accounts: [] },
    ForeignAssets: {
      assets: foreign.map((t) => [t.location, accounts[0], true, minForeignBalance(t.decimals)]),
      metadata: foreign.map((t) => [t.location, enc(t.name), enc(t.symbol), t.decimals]),
      accounts: foreign.map((t) => [
        t.location,
        accounts[0],
        GENESIS_RESERVE_TOKENS * 10n ** BigInt(t.decimals),
      ]),
    } satisfies { assets: Array<[Location, Uint8Array, boolean, bigint]>; [k: string]: unknown },
    ...auraSessionGenesis([[accounts[0], devAccounts().Alice]]),
    Xstorage: xstorageGenesisConfig(data),
  };
}

/**
 * Xstorage's quote of Crust: its market's initial fees (base 0, 10^4 per MiB, 10^6 per key) and `MaximumFileSize`,
 * its XCM `UnitWeightCost`, the weights of the calls orders Transact (xstorage's call 0: Crust's weight plus the
 * market order; call 3: and a swap), its weight-to-fee for CRU (the template's: 1 mCRU per 125 µs of ref time), its
 * fixed rate for this chain's token, CRU's existential deposit and the token's minimum balance in Crust's
 * `ForeignAssets`; and a price of the chain's token in CRU near Crust's genesis pool (1 token for 1 CRU).
 */
export function xstorageGenesisConfig(data: ParachainData): XstorageGenesis {
  const crust = parachainData('crust')!;
  const oneSecond = weight(1_000_000_000_000, 0);
  const orderCall = addWeight(defaultXstorageWeight(), MarketWeights.placeStorageOrder());
  const unit = 10n ** BigInt(data.decimals);
  return {
    crust_para_id: crust.paraId,
    fee_parameters: {
      file_base_fee: 0n,
      file_byte_fee: CRUST_MARKET_DEFAULTS.initFileByteFee,
      file_keys_count_fee: CRUST_MARKET_DEFAULTS.initFileKeysCountFee,
      maximum_file_size: CRUST_MARKET_DEFAULTS.maximumFileSize,
      instruction_weight: XCM_UNIT_WEIGHT,
      order_call_weight: orderCall,
      native_order_call_weight: addWeight(orderCall, AssetConversionWeights.swapTokensForExactTokens(2)),
      cru_per_second: weightToFee(parachainConfigs(crust).transactionPayment, oneSecond),
      native_per_second: unitsPerSecond(data.decimals),
      cru_existential_deposit: CRUST_EXISTENTIAL_DEPOSIT,
      native_min_balance: minForeignBalance(data.decimals),
    },
    // Crust's genesis pool holds as many whole tokens as CRU: a token buys a CRU, 5% is left for the pool's fee and
    // its price moving.
    native_price: { native: 105n * unit, cru: 100n * CRU_UNIT },
  };
}

const CRU_UNIT = 10n ** 12n;
