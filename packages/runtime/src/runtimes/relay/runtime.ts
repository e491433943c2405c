/**
 * The relay chain runtime, with Polkadot's pallet indices: System(0), Timestamp(3), Balances(5),
 * TransactionPayment(32), the parachain pallets (Configuration 51, ParasShared 52, ParaInclusion 53, ParaInherent 54,
 * Paras 56, Initializer 57, Dmp 58, Hrmp 60), MessageQueue(100) for upward messages, Sudo(255).
 */
import { substrateScheme } from '../../extrinsic/signature-scheme.ts';
import { state } from '../../frame/env.ts';
import { weight } from '../../frame/weights.ts';
import { Aura } from '../../pallets/aura/index.ts';
import { Balances, BalancesCurrency } from '../../pallets/balances/index.ts';
import { Multisig } from '../../pallets/multisig/index.ts';
import { Proxy } from '../../pallets/proxy/index.ts';
import { Session } from '../../pallets/session/index.ts';
import { Utility } from '../../pallets/utility/index.ts';
import { MessageQueue } from '../../pallets/message-queue/index.ts';
import {
  Configuration,
  Dmp,
  Hrmp,
  POLKADOT_PARACHAIN_PALLET_INDICES as P,
  Initializer,
  ParaInclusion,
  ParaInherent,
  Paras,
  ParasShared,
  parachainHostApi,
  paraInherentProvider,
} from '../../pallets/relay/index.ts';
import { Sudo } from '../../pallets/sudo/index.ts';
import { System } from '../../pallets/system/pallet.ts';
import { Timestamp, timestampInherent } from '../../pallets/timestamp/index.ts';
import { TransactionPayment, weightToFee } from '../../pallets/transaction-payment/index.ts';
import { type ChainRuntime, defineChainRuntime, type HostFunctions } from '../chain-runtime.ts';
import { memoryStorageRoot } from '../state-root.ts';
import { relayGenesisConfig } from './genesis.ts';
import { relayUpward, RelayMessageOriginCodec } from './messaging.ts';
import { XcmPallet, xcmRuntimeApis } from '../xcm-shared.ts';
import { hrmpNotificationXcm, relayXcm } from './xcm-config.ts';
import {
  RELAY_PALLET_INDEX as I,
  relayBalancesConfig,
  relayExtensions,
  RELAY_MESSAGE_QUEUE_INDEX,
  RELAY_SESSION_LENGTH,
  relaySystemConfig,
  relayTimestampConfig,
  relayTransactionPaymentConfig,
  relayVersion,
  relayAuraConfig,
  relaySessionConfig,
  relayWalletConfigs,
} from './config.ts';

export function makeRelayRuntime(host: HostFunctions = {}): ChainRuntime {
  const storageRoot = host.storageRoot ?? memoryStorageRoot;
  const xcm = relayXcm((w) => weightToFee(relayTransactionPaymentConfig, w));
  const xcmApis = xcmRuntimeApis(XcmPallet);
  return defineChainRuntime(
    {
      pallets: [
        [I.System, System, relaySystemConfig],
        [I.Timestamp, Timestamp, relayTimestampConfig],
        [I.Balances, Balances, relayBalancesConfig],
        [I.TransactionPayment, TransactionPayment, relayTransactionPaymentConfig],
        [I.Session, Session, relaySessionConfig],
        [I.Aura, Aura, relayAuraConfig],
        [I.Utility, Utility, {}],
        [I.Proxy, Proxy, relayWalletConfigs.proxy],
        [I.Multisig, Multisig, relayWalletConfigs.multisig],
        [P.Configuration, Configuration, {}],
        [P.ParasShared, ParasShared, {}],
        [P.ParaInclusion, ParaInclusion, relayUpward],
        [P.ParaInherent, ParaInherent, {}],
        [P.Paras, Paras, {}],
        [P.Initializer, Initializer, { sessionLength: RELAY_SESSION_LENGTH }],
        [P.Dmp, Dmp, {}],
        [
          P.Hrmp,
          Hrmp,
          {
            currency: {
              reserve: (who: Uint8Array, amount: bigint) => BalancesCurrency.reserve(who, amount),
              unreserve: (who: Uint8Array, amount: bigint) => BalancesCurrency.unreserve(who, amount),
            },
            notification: hrmpNotificationXcm,
          },
        ],
        [
          RELAY_MESSAGE_QUEUE_INDEX,
          MessageQueue,
          {
            origin: RelayMessageOriginCodec,
            processMessage: xcm.processMessage,
            heapSize: 64 * 1024,
            maxStale: 8,
            // Polkadot: 20% of the block for upward messages.
            serviceWeight: weight(
              Math.floor(relaySystemConfig.blockWeights.max_block.refTime / 5),
              Math.floor(relaySystemConfig.blockWeights.max_block.proofSize / 5),
            ),
          },
        ],
        [I.XcmPallet, XcmPallet.pallet, xcm.palletXcm],
        [I.Sudo, Sudo, {}],
      ],
      version: relayVersion,
      crate: 'xstorage_relay_runtime',
      scheme: substrateScheme,
      extensions: relayExtensions,
      inherents: [timestampInherent, paraInherentProvider],
      apis: [parachainHostApi({ storageRoot: () => storageRoot(state(), 1) }), ...xcmApis.apis],
      dryRunApi: xcmApis.dryRunApi,
      genesisPresets: { development: () => relayGenesisConfig() },
    },
    host,
  );
}
