/**
 * The relay chain runtime, with Polkadot's pallet indices: System(0), Timestamp(3), Balances(5),
 * TransactionPayment(32), Sudo(255).
 */
import { substrateScheme } from '../../extrinsic/signature-scheme.ts';
import { Balances } from '../../pallets/balances/index.ts';
import { Sudo } from '../../pallets/sudo/index.ts';
import { System } from '../../pallets/system/pallet.ts';
import { Timestamp, timestampInherent } from '../../pallets/timestamp/index.ts';
import { TransactionPayment } from '../../pallets/transaction-payment/index.ts';
import { type ChainRuntime, defineChainRuntime, type HostFunctions } from '../chain-runtime.ts';
import {
  RELAY_PALLET_INDEX as I,
  relayBalancesConfig,
  relayExtensions,
  relaySystemConfig,
  relayTimestampConfig,
  relayTransactionPaymentConfig,
  relayVersion,
} from './config.ts';

export function makeRelayRuntime(host: HostFunctions = {}): ChainRuntime {
  return defineChainRuntime(
    {
      pallets: [
        [I.System, System, relaySystemConfig],
        [I.Timestamp, Timestamp, relayTimestampConfig],
        [I.Balances, Balances, relayBalancesConfig],
        [I.TransactionPayment, TransactionPayment, relayTransactionPaymentConfig],
        [I.Sudo, Sudo, {}],
      ],
      version: relayVersion,
      crate: 'xstorage_relay_runtime',
      scheme: substrateScheme,
      extensions: relayExtensions,
      inherents: [timestampInherent],
    },
    host,
  );
}
