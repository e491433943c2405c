/**
 * The parachain template runtime every profile starts from, with cumulus' parachain-template indices: System(0),
 * ParachainSystem(1), Timestamp(2), Balances(10), TransactionPayment(11), Sudo(15), Session(22), Aura(23),
 * XcmpQueue(30), PolkadotXcm(31), MessageQueue(33), Utility(40), Multisig(41), Proxy(42), Assets(50),
 * ForeignAssets(51, keyed by Location), Xstorage(60: storage orders placed on Crust, pallets/xstorage; not on Crust
 * itself, which has its own at 127). XCM as configured in xcm-config.ts. The account kind follows the chain:
 * sr25519 chains take `MultiAddress` + `MultiSignature` and 32-byte accounts; Ethereum-style chains (Moonbeam,
 * Darwinia) take `AccountId20` + `EthereumSignature`, as their runtimes declare.
 */
import { ethereumScheme, substrateScheme } from '../../extrinsic/signature-scheme.ts';
import type { RuntimeVersion } from '../../frame/runtime-version.ts';
import { weight } from '../../frame/weights.ts';
import { Assets } from '../../pallets/assets/index.ts';
import { Aura } from '../../pallets/aura/index.ts';
import { Multisig } from '../../pallets/multisig/index.ts';
import { Proxy } from '../../pallets/proxy/index.ts';
import { Session } from '../../pallets/session/index.ts';
import { Utility } from '../../pallets/utility/index.ts';
import { Balances } from '../../pallets/balances/index.ts';
import { MessageQueue } from '../../pallets/message-queue/index.ts';
import {
  collectCollationInfoApi,
  ParachainSystem,
  parachainMessagingConfigs,
  parachainSystemInherent,
} from '../../pallets/parachain-system/index.ts';
import { XcmpQueue } from '../../pallets/xcmp-queue/index.ts';
import { quoteWith } from '../../xcm/builder/index.ts';
import { MAX_WEIGHT as MAX_XCM_WEIGHT } from '../../xcm/executor/index.ts';
import {
  palletXcmNotifyQueries,
  Xstorage,
  type XstorageConfig,
  xstorageApi,
} from '../../pallets/xstorage/index.ts';
import { Sudo } from '../../pallets/sudo/index.ts';
import { System } from '../../pallets/system/pallet.ts';
import { Timestamp, timestampInherent } from '../../pallets/timestamp/index.ts';
import { TransactionPayment, weightToFee } from '../../pallets/transaction-payment/index.ts';
import {
  type ChainRuntime,
  type ChainRuntimeSpec,
  defineChainRuntime,
  type HostFunctions,
} from '../chain-runtime.ts';
import type { ParachainData } from './chains.ts';
import { type ParachainConfigs, parachainConfigs, parachainExtensions } from './config.ts';
import { parachainGenesisConfig } from './genesis.ts';
import { ForeignAssets, PolkadotXcm, xcmRuntimeApis } from '../xcm-shared.ts';
import { type ParachainXcmOptions, parachainXcm } from './xcm-config.ts';

export const PARACHAIN_PALLET_INDEX = {
  System: 0,
  ParachainSystem: 1,
  Timestamp: 2,
  Balances: 10,
  TransactionPayment: 11,
  Sudo: 15,
  Session: 22,
  Aura: 23,
  XcmpQueue: 30,
  PolkadotXcm: 31,
  MessageQueue: 33,
  Utility: 40,
  Multisig: 41,
  Proxy: 42,
  Assets: 50,
  ForeignAssets: 51,
  Xstorage: 60,
} as const;

export interface ParachainSpecOptions {
  /** Whether the chain gets the parachain-side `Xstorage` pallet at 60 (default yes; Crust has its own). */
  xstorage?: boolean;
}

export function parachainVersion(data: ParachainData): Omit<RuntimeVersion, 'apis'> {
  return {
    spec_name: data.id,
    impl_name: `xstorage-${data.id}`,
    authoring_version: 1,
    spec_version: 100,
    impl_version: 0,
    transaction_version: 1,
    system_version: 1,
  };
}

/**
 * The template's runtime spec for `data`: its pallets at the template's indices with `configs`, version, extrinsic
 * format, inherents and APIs. A chain with pallets of its own (Crust) extends this spec instead of copying it.
 */
export function parachainRuntimeSpec(
  data: ParachainData,
  c: ParachainConfigs = parachainConfigs(data),
  xcmOptions: ParachainXcmOptions = {},
  options: ParachainSpecOptions = {},
): ChainRuntimeSpec {
  const I = PARACHAIN_PALLET_INDEX;
  const xcm = parachainXcm(data, (w) => weightToFee(c.transactionPayment, w), xcmOptions);
  const xcmApis = xcmRuntimeApis(PolkadotXcm);
  const max = c.system.blockWeights.max_block;
  const share = (n: number, d: number) =>
    weight(Math.floor((max.refTime * n) / d), Math.floor((max.proofSize * n) / d));
  // The parachain template's shares of a block: 25% reserved for XCMP and for DMP, 35% for servicing MessageQueue.
  const messaging = parachainMessagingConfigs({
    selfParaId: data.paraId,
    processMessage: xcm.processMessage,
    reservedXcmpWeight: share(1, 4),
    reservedDmpWeight: share(1, 4),
    serviceWeight: share(35, 100),
    // As Asset Hub and Moonbeam: what is left of a block also services the queues, so a message that arrives in
    // a block runs in that block (not the next one), one relay block sooner.
    idleMaxServiceWeight: share(35, 100),
  });
  const withXstorage = options.xstorage ?? true;
  const xstorage: XstorageConfig = {
    assetTransactor: xcm.executor.assetTransactor,
    selfParaId: data.paraId,
    sendXcm: (dest, message) => PolkadotXcm.sendXcm([], dest, message),
    newNotifyQuery: palletXcmNotifyQueries(PolkadotXcm),
    homeExecutionFee: (asset, message) =>
      quoteWith(xcm.executor.trader, xcm.executor.weigher.weight(message, MAX_XCM_WEIGHT), asset).fun
        .value as bigint,
  };
  return {
    pallets: [
      [I.System, System, c.system],
      [I.ParachainSystem, ParachainSystem, messaging.parachainSystem],
      [I.Timestamp, Timestamp, c.timestamp],
      [I.Balances, Balances, c.balances],
      [I.TransactionPayment, TransactionPayment, c.transactionPayment],
      [I.Sudo, Sudo, {}],
      [I.Session, Session, c.session],
      [I.Aura, Aura, c.aura],
      [I.XcmpQueue, XcmpQueue, messaging.xcmpQueue],
      [I.PolkadotXcm, PolkadotXcm.pallet, xcm.palletXcm],
      [I.MessageQueue, MessageQueue, messaging.messageQueue],
      [I.Utility, Utility, {}],
      [I.Multisig, Multisig, c.wallet.multisig],
      [I.Proxy, Proxy, c.wallet.proxy],
      [I.Assets, Assets, c.assets],
      [I.ForeignAssets, ForeignAssets.pallet, c.assets],
      ...(withXstorage ? ([[I.Xstorage, Xstorage, xstorage]] as const) : []),
    ],
    version: parachainVersion(data),
    crate: `${data.id}_runtime`,
    scheme: data.accounts === 'ethereum' ? ethereumScheme : substrateScheme,
    extensions: parachainExtensions,
    inherents: [parachainSystemInherent, timestampInherent],
    apis: [collectCollationInfoApi, ...xcmApis.apis, ...(withXstorage ? [xstorageApi] : [])],
    dryRunApi: xcmApis.dryRunApi,
    genesisPresets: { development: () => parachainGenesisConfig(data) },
  };
}

export function makeParachainRuntime(data: ParachainData, host: HostFunctions = {}): ChainRuntime {
  return defineChainRuntime(parachainRuntimeSpec(data), host);
}
