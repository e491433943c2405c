/**
 * A small runtime for executive tests and the execution bench: System (index 0) and a minimal transfer pallet named
 * `Balances` at index 5 with `transfer_keep_alive` = call 3 (so polkadot-js's bundled Polkadot metadata signs
 * calls this runtime decodes), balances kept in System.Account's `free`, fees withdrawn from it.
 * (The real pallet-balances is built elsewhere; this stands in for it.)
 */
import { ExtensionPipeline } from '../../src/extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../src/extrinsic/extensions/standard.ts';
import type { FeeConfig, OnChargeTransaction } from '../../src/extrinsic/extensions/extension.ts';
import { FIXED_U128_ONE } from '../../src/extrinsic/extensions/fees.ts';
import { MultiAddressCodec } from '../../src/extrinsic/multi-address.ts';
import { AccountId32 } from '../../src/extrinsic/primitives.ts';
import { substrateScheme } from '../../src/extrinsic/signature-scheme.ts';
import { invalid } from '../../src/extrinsic/transaction-validity.ts';
import { extrinsicMetadataInfo, uncheckedExtrinsicType } from '../../src/extrinsic/unchecked-extrinsic.ts';
import { Executive } from '../../src/executive/executive.ts';
import { frameSystem } from '../../src/executive/frame-system.ts';
import { executiveApis } from '../../src/executive/runtime-apis.ts';
import { ensureSigned } from '../../src/frame/origin.ts';
import { call, pallet } from '../../src/frame/pallet.ts';
import { defineRuntime } from '../../src/frame/runtime.ts';
import { blockLengthWithNormalRatio, blockWeightsFor, weight } from '../../src/frame/weights.ts';
import { Account, System, type SystemConfig } from '../../src/pallets/system/pallet.ts';
import { compact, u128 } from '../../src/scale/index.ts';
import { memoryStorageRoot } from '../../src/runtimes/state-root.ts';
import { DispatchFailure } from '../../src/frame/dispatch-error.ts';
import { Balances as RealBalances, BalancesCurrency } from '../../src/pallets/balances/index.ts';
import { memoryGenesis } from '../support/memory-genesis.ts';

export const EXISTENTIAL_DEPOSIT = 1_000_000_000n;

const p = pallet<Record<string, never>>('Balances', { module: 'pallet_balances' });
export const BalancesEvent = p.events({
  Transfer: [2, { from: AccountId32, to: AccountId32, amount: u128 }, [' Transfer succeeded.']],
});
export const BalancesError = p.errors({
  InsufficientBalance: [2, [' Balance too low to send value.']],
  Expendability: [8, [' Transfer/payment would kill account.']],
});

function free(who: Uint8Array): bigint {
  return Account.get(who).data.free;
}
function setFree(who: Uint8Array, value: bigint): void {
  Account.mutate(who, (a) => {
    if (a.providers === 0 && value > 0n) a.providers = 1;
    a.data = { ...a.data, free: value };
    return a;
  });
}

export const Balances = p.build({
  calls: {
    transfer_keep_alive: call(
      3,
      { dest: MultiAddressCodec, value: compact(u128) },
      {
        weight: () => weight(49_000_000, 3_593),
        dispatch(origin, { dest, value }) {
          const from = ensureSigned(origin);
          const to = substrateScheme.lookup(dest);
          const balance = free(from);
          if (balance < value) throw BalancesError.fail('InsufficientBalance');
          if (balance - value < EXISTENTIAL_DEPOSIT) throw BalancesError.fail('Expendability');
          setFree(from, balance - value);
          setFree(to, free(to) + value);
          BalancesEvent.deposit({ type: 'Transfer', value: { from, to, amount: value } });
        },
        typeNames: { dest: 'AccountIdLookupOf<T>', value: 'T::Balance' },
      },
    ),
  },
  genesis: {
    default: () => ({ balances: [] as Array<[Uint8Array, bigint]> }),
    build(g: { balances: Array<[Uint8Array, bigint]> }) {
      for (const [who, amount] of g.balances) setFree(who, amount);
    },
  },
});

/** The fee adapter a currency pallet provides: withdraw from `free`, refund the unused part afterwards. */
export const chargeFromFree: OnChargeTransaction = {
  canWithdrawFee(who, fee) {
    if (fee === 0n) return;
    if (free(who) < fee + EXISTENTIAL_DEPOSIT) throw invalid('Payment');
  },
  withdrawFee(who, fee) {
    if (fee === 0n) return 0n;
    const balance = free(who);
    if (balance < fee + EXISTENTIAL_DEPOSIT) throw invalid('Payment');
    setFree(who, balance - fee);
    return fee;
  },
  correctAndDepositFee(who, actualFee, _tip, withdrawn) {
    if (withdrawn > actualFee) setFree(who, free(who) + (withdrawn - actualFee));
  },
};

export function systemConfigWith(maxBlock = weight(2_000_000_000_000, 5 * 1024 * 1024)): SystemConfig {
  return {
    ...systemConfig,
    blockWeights: blockWeightsFor({ maxBlock, normalRatio: 0.75, avgOnInitializeRatio: 0.1 }),
  };
}

export const systemConfig: SystemConfig = {
  blockWeights: blockWeightsFor({
    maxBlock: weight(2_000_000_000_000, 5 * 1024 * 1024),
    normalRatio: 0.75,
    avgOnInitializeRatio: 0.1,
  }),
  blockLength: blockLengthWithNormalRatio(5 * 1024 * 1024, 0.75),
  blockHashCount: 4096,
  dbWeight: { read: 25_000_000n, write: 100_000_000n },
  ss58Prefix: 42,
};

/** Polkadot-like fees: 1 unit per 10^4 ref-time (so a transfer costs ~10^4..10^5 units), 10 per byte. */
export const fees: FeeConfig = {
  weightToFee: (w) => BigInt(Math.floor(w.refTime / 10_000)),
  lengthToFee: (len) => BigInt(len) * 10n,
  nextFeeMultiplier: () => FIXED_U128_ONE,
  operationalFeeMultiplier: 5,
  onCharge: chargeFromFree,
};

export const extensions = new ExtensionPipeline(STANDARD_EXTENSIONS);

export { memoryStorageRoot };

export function makeTestRuntime(
  opts: { specVersion?: number; storageRoot?: typeof memoryStorageRoot; system?: SystemConfig } = {},
) {
  let executive: Executive | undefined;
  const sysConfig = opts.system ?? systemConfig;
  const runtime = defineRuntime({
    pallets: [
      [0, System, sysConfig],
      [5, Balances, {}],
    ] as const,
    version: {
      spec_name: 'xstorage-test',
      impl_name: 'xstorage-test',
      authoring_version: 1,
      spec_version: opts.specVersion ?? 1_000,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
    apis: executiveApis({ scheme: substrateScheme, extensions, executive: () => executive! }),
    extrinsic: extrinsicMetadataInfo({ scheme: substrateScheme, extensions }),
  });
  const format = { scheme: substrateScheme, call: runtime.callCodec, extensions };
  executive = new Executive({
    runtime,
    format,
    system: frameSystem(runtime, sysConfig),
    fees,
    storageRoot: opts.storageRoot ?? memoryStorageRoot,
  });
  return { runtime, executive, format, extrinsicType: uncheckedExtrinsicType(format) };
}

// ---- the real pallet-balances ---------------------------------------------------------------------------------

/** Fees through the Balances currency: withdraw keeping the account alive, refund the unused part (no sink). */
export const balancesFeeAdapter: OnChargeTransaction = {
  canWithdrawFee(who, fee) {
    const c = BalancesCurrency.canWithdraw(who, fee);
    if (c.type !== 'Success') throw invalid('Payment');
  },
  withdrawFee(who, fee) {
    if (fee === 0n) return 0n;
    try {
      return BalancesCurrency.withdraw(who, fee, {
        precision: 'Exact',
        preservation: 'Preserve',
        force: 'Polite',
      });
    } catch (err) {
      if (err instanceof DispatchFailure) throw invalid('Payment');
      throw err;
    }
  },
  correctAndDepositFee(who, actual, _tip, withdrawn) {
    if (withdrawn > actual) BalancesCurrency.deposit(who, withdrawn - actual, 'BestEffort');
  },
};

/**
 * System + the real Balances pallet at Polkadot's index 5 (spec_version 7, transaction_version 2), genesis with
 * `balances`; returns the executive, the genesis state backend and the genesis hash.
 */
export function makeBalancesRuntime(
  balances: Array<[Uint8Array, bigint]>,
  system: SystemConfig = systemConfig,
) {
  let executive: Executive | undefined;
  const runtime = defineRuntime({
    pallets: [
      [0, System, system],
      [5, RealBalances, { existentialDeposit: 10n ** 10n, maxLocks: 50, maxReserves: 50, maxFreezes: 8 }],
    ] as const,
    version: {
      spec_name: 'xstorage-balances-test',
      impl_name: 'xstorage',
      authoring_version: 1,
      spec_version: 7,
      impl_version: 1,
      transaction_version: 2,
      system_version: 1,
    },
    apis: executiveApis({ scheme: substrateScheme, extensions, executive: () => executive! }),
    extrinsic: extrinsicMetadataInfo({ scheme: substrateScheme, extensions }),
  });
  executive = new Executive({
    runtime,
    format: { scheme: substrateScheme, call: runtime.callCodec, extensions },
    system: frameSystem(runtime, system),
    fees: { ...fees, onCharge: balancesFeeAdapter },
    storageRoot: memoryStorageRoot,
  });
  const g = runtime.buildGenesis({ Balances: { balances } });
  const { backend, genesis, genesisHash } = memoryGenesis(g);
  return { runtime, executive, backend, genesis, genesisHash };
}
