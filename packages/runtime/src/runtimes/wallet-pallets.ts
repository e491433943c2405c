/**
 * Configs of the pallets wallets and multisig apps expect (Utility, Proxy, Multisig) and of block authorship (Aura
 * with Session, so clients can name a block's author), shared by every runtime folder. Deposits follow Polkadot's
 * `deposit(items, bytes) = items × 20 UNIT + bytes × 100 mCENT` (1 mCENT = UNIT / 100,000), divided by
 * `depositDivisor` on chains that charge less (system parachains use / 100).
 */
import { BalancesCurrency } from '../pallets/balances/index.ts';
import {
  AURA_KEY_TYPE,
  type AuraConfig,
  AuraAuthorityIdCodec,
  auraSessionHandler,
} from '../pallets/aura/pallet.ts';
import type { MultisigConfig } from '../pallets/multisig/pallet.ts';
import type { ProxyConfig } from '../pallets/proxy/pallet.ts';
import type { ProxyTypeDef } from '../pallets/proxy/proxy-type.ts';
import { type SessionConfig, type SessionGenesis, sessionKeys } from '../pallets/session/pallet.ts';

/** Polkadot's `deposit(items, bytes)` in units where 1 token = `unit`. */
export function polkadotDeposit(unit: bigint, divisor = 1n): (items: number, bytes: number) => bigint {
  return (items, bytes) => (BigInt(items) * 20n * unit + (BigInt(bytes) * unit) / 1000n) / divisor;
}

export interface WalletPalletConfigs {
  proxy: ProxyConfig;
  multisig: MultisigConfig;
}

/** Polkadot's Proxy and Multisig parameters (MaxProxies 32, MaxPending 32, MaxSignatories 100). */
export function walletPalletConfigs(opts: {
  unit: bigint;
  depositDivisor?: bigint;
  proxyTypes: ProxyTypeDef;
}): WalletPalletConfigs {
  const deposit = polkadotDeposit(opts.unit, opts.depositDivisor);
  return {
    proxy: {
      currency: BalancesCurrency,
      proxyType: opts.proxyTypes,
      // One storage item: 8 bytes; each proxy adds 33 (AccountId + ProxyType), each announcement 68.
      proxyDepositBase: deposit(1, 8),
      proxyDepositFactor: deposit(0, 33),
      maxProxies: 32,
      maxPending: 32,
      announcementDepositBase: deposit(1, 8),
      announcementDepositFactor: deposit(0, 66),
    },
    multisig: {
      currency: BalancesCurrency,
      // One storage item: 88 bytes; each unit of threshold 32 more.
      depositBase: deposit(1, 88),
      depositFactor: deposit(0, 32),
      maxSignatories: 100,
    },
  };
}

/** Aura with `slotMs` slots, one block per slot, up to 100,000 authorities (the parachain template's). */
export function auraConfig(slotMs: bigint): AuraConfig {
  return { maxAuthorities: 100_000, allowMultipleBlocksPerSlot: false, slotDurationMs: slotMs };
}

/** Session with `SessionKeys { aura }` (`<crate>::SessionKeys`), rotating every `period` blocks. */
export function auraSessionConfig(crate: string, period: number): SessionConfig {
  return {
    keys: sessionKeys(
      [crate, 'SessionKeys'],
      [
        {
          field: 'aura',
          keyTypeId: AURA_KEY_TYPE,
          codec: AuraAuthorityIdCodec,
          typeName: '<Aura as $crate::BoundToRuntimeAppPublic>::Public',
        },
      ],
    ),
    handlers: [auraSessionHandler],
    period,
    offset: 0,
  };
}

/**
 * Genesis of Aura + Session: each validator account with its sr25519 aura key; Session hands the keys to Aura
 * (whose own genesis list stays empty, as in the parachain template).
 */
export function auraSessionGenesis(
  validators: ReadonlyArray<readonly [account: Uint8Array, auraKey: Uint8Array]>,
): { Aura: { authorities: Uint8Array[] }; Session: SessionGenesis } {
  return {
    Aura: { authorities: [] },
    Session: { keys: validators.map(([account, key]) => [account, account, { aura: key }]) },
  };
}
