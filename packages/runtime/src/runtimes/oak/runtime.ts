/**
 * OAK's runtime (para 2090): the parachain template (`parachainRuntimeSpec`) plus what OAK really does for Crust —
 * scheduled renewals of Crust files (`XstorageAutomation` at 61, pallets/xstorage-automation): at a block the user
 * chose, `market.add_prepaid(cid, amount)` on Crust, paid by the user's derived account there with CRU taken here as
 * an order paid in CRU is. OAK's own `AutomationTime` (60 on OAK) is not modelled; the template's Xstorage holds 60.
 */

import { MarketWeights } from '../../pallets/market/index.ts';
import { CrustParaId, Fees, Xstorage, type XstorageConfig } from '../../pallets/xstorage/index.ts';
import {
  XstorageAutomation,
  type XstorageAutomationConfig,
  xstorageAutomationApi,
} from '../../pallets/xstorage-automation/index.ts';
import {
  type ChainRuntime,
  type ChainRuntimeSpec,
  defineChainRuntime,
  type HostFunctions,
} from '../chain-runtime.ts';
import { type ParachainData, parachainData } from '../parachain/chains.ts';
import { PARACHAIN_PALLET_INDEX, parachainRuntimeSpec } from '../parachain/runtime.ts';

export const OAK: ParachainData = parachainData('oak')!;

export const OAK_PALLET_INDEX = { ...PARACHAIN_PALLET_INDEX, XstorageAutomation: 61 } as const;

/** The automation's config, from the template's Xstorage wiring (its XCM transactor, router and queries). */
export function oakAutomationConfig(xstorage: XstorageConfig): XstorageAutomationConfig {
  return {
    assetTransactor: xstorage.assetTransactor,
    selfParaId: xstorage.selfParaId,
    crust: () => ({ parents: 1, interior: [{ type: 'Parachain', value: CrustParaId.get() }] }),
    fees: () => Fees.get(),
    // Crust declares market.add_prepaid with place_storage_order's weight.
    addPrepaidWeight: MarketWeights.placeStorageOrder,
    sendXcm: xstorage.sendXcm,
    newNotifyQuery: xstorage.newNotifyQuery,
    homeExecutionFee: xstorage.homeExecutionFee,
  };
}

export function oakRuntimeSpec(): ChainRuntimeSpec {
  const template = parachainRuntimeSpec(OAK);
  const xstorage = template.pallets.find(([, pallet]) => pallet === Xstorage)?.[2] as XstorageConfig;
  return {
    ...template,
    pallets: [
      ...template.pallets,
      [OAK_PALLET_INDEX.XstorageAutomation, XstorageAutomation, oakAutomationConfig(xstorage)],
    ],
    apis: [...(template.apis ?? []), xstorageAutomationApi],
  };
}

export function makeOakRuntime(host: HostFunctions = {}): ChainRuntime {
  return defineChainRuntime(oakRuntimeSpec(), host);
}
