/**
 * The development runtime: System(0), Timestamp(1), Balances(2), TransactionPayment(3), Sudo(4), Assets(5),
 * Utility(6), Proxy(7), Multisig(8), Aura(9), Session(10), with Substrate-style extrinsics (MultiAddress,
 * MultiSignature) and 32-byte accounts.
 */
import { substrateScheme } from '../../extrinsic/signature-scheme.ts';
import { Assets } from '../../pallets/assets/index.ts';
import { Aura } from '../../pallets/aura/index.ts';
import { Multisig } from '../../pallets/multisig/index.ts';
import { Proxy } from '../../pallets/proxy/index.ts';
import { Session } from '../../pallets/session/index.ts';
import { Utility } from '../../pallets/utility/index.ts';
import { Balances } from '../../pallets/balances/index.ts';
import { Sudo } from '../../pallets/sudo/index.ts';
import { System } from '../../pallets/system/pallet.ts';
import { Timestamp, timestampInherent } from '../../pallets/timestamp/index.ts';
import { TransactionPayment } from '../../pallets/transaction-payment/index.ts';
import { type ChainRuntime, defineChainRuntime, type HostFunctions } from '../chain-runtime.ts';
import { devAccounts } from '../dev-accounts.ts';
import {
  devAssetsConfig,
  devAuraConfig,
  devSessionConfig,
  devWalletConfigs,
  devBalancesConfig,
  devExtensions,
  devSystemConfig,
  devTimestampConfig,
  devTransactionPaymentConfig,
  devVersion,
  PALLET_INDEX,
} from './config.ts';
import { devGenesisConfig } from './genesis.ts';

export type DevRuntime = ChainRuntime;
export type DevRuntimeOptions = HostFunctions;

export function makeDevRuntime(host: DevRuntimeOptions = {}): DevRuntime {
  return defineChainRuntime(
    {
      pallets: [
        [PALLET_INDEX.System, System, devSystemConfig],
        [PALLET_INDEX.Timestamp, Timestamp, devTimestampConfig],
        [PALLET_INDEX.Balances, Balances, devBalancesConfig],
        [PALLET_INDEX.TransactionPayment, TransactionPayment, devTransactionPaymentConfig],
        [PALLET_INDEX.Sudo, Sudo, {}],
        [PALLET_INDEX.Assets, Assets, devAssetsConfig],
        [PALLET_INDEX.Utility, Utility, {}],
        [PALLET_INDEX.Proxy, Proxy, devWalletConfigs.proxy],
        [PALLET_INDEX.Multisig, Multisig, devWalletConfigs.multisig],
        [PALLET_INDEX.Aura, Aura, devAuraConfig],
        [PALLET_INDEX.Session, Session, devSessionConfig],
      ],
      version: devVersion,
      crate: 'xstorage_dev_runtime',
      scheme: substrateScheme,
      extensions: devExtensions,
      inherents: [timestampInherent],
      genesisPresets: {
        development: () => {
          const accounts = devAccounts();
          return devGenesisConfig(Object.values(accounts), accounts.Alice) as unknown as Record<
            string,
            unknown
          >;
        },
      },
    },
    host,
  );
}
