/**
 * The development runtime: System(0), Timestamp(1), Balances(2), TransactionPayment(3), Sudo(4), Assets(5), with
 * Substrate-style extrinsics (MultiAddress, MultiSignature) and 32-byte accounts.
 */
import { substrateScheme } from '../../extrinsic/signature-scheme.ts';
import { Assets } from '../../pallets/assets/index.ts';
import { Balances } from '../../pallets/balances/index.ts';
import { Sudo } from '../../pallets/sudo/index.ts';
import { System } from '../../pallets/system/pallet.ts';
import { Timestamp, timestampInherent } from '../../pallets/timestamp/index.ts';
import { TransactionPayment } from '../../pallets/transaction-payment/index.ts';
import { type ChainRuntime, defineChainRuntime, type HostFunctions } from '../chain-runtime.ts';
import {
  devAssetsConfig,
  devBalancesConfig,
  devExtensions,
  devSystemConfig,
  devTimestampConfig,
  devTransactionPaymentConfig,
  devVersion,
  PALLET_INDEX,
} from './config.ts';

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
      ],
      version: devVersion,
      crate: 'xstorage_dev_runtime',
      scheme: substrateScheme,
      extensions: devExtensions,
      inherents: [timestampInherent],
    },
    host,
  );
}
