/**
 * The executor's configuration (xcm-executor `Config`): one object per runtime (its `xcm-config.ts`), made of the
 * adapters in traits.ts, most of them from ../builder. Optional members default to polkadot-sdk's `()`:
 * no exchanger (`NoDeal`), no locker, no exporter, no fee waivers (fees burned), nothing aliased, the runtime's own
 * dispatch, FRAME's transactional processor.
 */
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import type { Asset, Junction, Junctions, Location } from '../index.ts';
import type {
  AssetExchange,
  AssetLock,
  CallDispatcher,
  ClaimAssets,
  Contains,
  ContainsPair,
  DropAssets,
  FeeManager,
  HrmpHandlers,
  OnResponse,
  PalletInfoEntry,
  ProcessTransaction,
  SendXcm,
  ShouldExecute,
  TransactAsset,
  VersionChangeNotifier,
  WeightBounds,
  WeightTraderFactory,
} from './traits.ts';
import type { ConvertOrigin } from './traits.ts';

export interface XcmExecutorConfig {
  /** `XcmSender`: how onward messages leave (a router, usually a tuple of UMP/DMP/XCMP routers). */
  xcmSender: SendXcm<any>;
  /** `AssetTransactor`: withdraw/deposit/teleport bookkeeping (a tuple of fungible(s) adapters). */
  assetTransactor: TransactAsset;
  /** `OriginConverter`: `Transact`'s dispatch origin from the XCM origin and `OriginKind`. */
  originConverter: ConvertOrigin;
  /** `IsReserve`: (asset, origin) pairs trusted as reserve (`ReserveAssetDeposited`). */
  isReserve: ContainsPair<Asset, Location>;
  /** `IsTeleporter`: (asset, origin) pairs trusted to teleport (`ReceiveTeleportedAsset`). */
  isTeleporter: ContainsPair<Asset, Location>;
  /** `Aliasers`: (origin, target) pairs `AliasOrigin` may switch between. */
  aliasers?: ContainsPair<Location, Location>;
  /** `UniversalLocation`: this chain's interior location in the universe (e.g. `[Parachain(2008)]`). */
  universalLocation: Junctions;
  /** `Barrier`. */
  barrier: ShouldExecute;
  /** `Weigher`. */
  weigher: WeightBounds;
  /** `Trader`: a fresh trader per message. */
  trader: WeightTraderFactory;
  /** `ResponseHandler` (pallet-xcm). */
  responseHandler: OnResponse;
  /** `AssetTrap` (pallet-xcm). */
  assetTrap: DropAssets;
  /** `AssetClaims` (pallet-xcm). */
  assetClaims: ClaimAssets;
  /** `SubscriptionService` (pallet-xcm). */
  subscriptionService: VersionChangeNotifier;
  /** `PalletInstancesInfo`: every pallet of the runtime (QueryPallet, ExpectPallet). */
  palletInstancesInfo: () => readonly PalletInfoEntry[];
  /** `MaxAssetsIntoHolding` (64 on the parachain template). */
  maxAssetsIntoHolding: number;
  /** `AssetLocker`; absent: every lock instruction fails as with `()` (`AssetNotFound`). */
  assetLocker?: AssetLock;
  /** `AssetExchanger`; absent: `ExchangeAsset` is `NoDeal`, delivery fees cannot be swapped. */
  assetExchanger?: AssetExchange;
  /** `FeeManager`; absent: nothing waived, fees dropped (burned). */
  feeManager?: FeeManager;
  /** `UniversalAliases`: (origin, global junction) pairs `UniversalOrigin` accepts; absent: none. */
  universalAliases?: Contains<[Location, Junction]>;
  /** `CallDispatcher`; absent: the runtime's dispatch (call filter, storage layer). */
  callDispatcher?: CallDispatcher;
  /** `SafeCallFilter`: calls `Transact` may dispatch (`NoPermission` otherwise). */
  safeCallFilter: Contains<RuntimeCallValue>;
  /** `TransactionalProcessor`; absent: FRAME's (a storage layer per effectful instruction). */
  transactionalProcessor?: ProcessTransaction;
  /** `Hrmp*Handler`s; absent: the notifications are accepted and ignored. */
  hrmp?: HrmpHandlers;
  /**
   * `XcmRecorder`: told of every message the executor is asked to run (pallet-xcm's dry-run records the local
   * one). Absent: nothing recorded.
   */
  recorder?: { shouldRecord(): boolean; record(message: readonly unknown[]): void };
}
