/**
 * A small runtime for the wallet pallets' rules (as polkadot-sdk's utility/proxy/multisig `mock.rs`): System,
 * Timestamp, Balances, TransactionPayment, Sudo, Utility, Proxy, Multisig, Aura and Session with the dev chain's
 * configs, an optional BaseCallFilter, //Alice … //Ferdie endowed. `inBlock` runs code inside a block whose
 * number and digest the test chooses.
 */
import type { DigestItem } from '../../../src/block/digest.ts';
import { substrateScheme } from '../../../src/extrinsic/signature-scheme.ts';
import type { Origin } from '../../../src/frame/origin.ts';
import { rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import { Aura } from '../../../src/pallets/aura/index.ts';
import { Balances } from '../../../src/pallets/balances/index.ts';
import { Multisig } from '../../../src/pallets/multisig/index.ts';
import { Proxy } from '../../../src/pallets/proxy/index.ts';
import type { SessionConfig } from '../../../src/pallets/session/index.ts';
import { Session } from '../../../src/pallets/session/index.ts';
import { Sudo } from '../../../src/pallets/sudo/index.ts';
import { Events, System } from '../../../src/pallets/system/pallet.ts';
import { Timestamp, timestampInherent } from '../../../src/pallets/timestamp/index.ts';
import { TransactionPayment } from '../../../src/pallets/transaction-payment/index.ts';
import { Utility } from '../../../src/pallets/utility/index.ts';
import { type ChainRuntime, defineChainRuntime } from '../../../src/runtimes/chain-runtime.ts';
import {
  devAccounts,
  devAuraConfig,
  devBalancesConfig,
  devExtensions,
  devGenesisConfig,
  devSessionConfig,
  devSystemConfig,
  devTimestampConfig,
  devTransactionPaymentConfig,
  devVersion,
  devWalletConfigs,
} from '../../../src/runtimes/index.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { memoryGenesis } from '../../support/memory-genesis.ts';

export { ready } from '../../runtimes/dev-chain.ts';

export interface MockOptions {
  callFilter?: (call: RuntimeCallValue, origin: Origin) => boolean;
  session?: Partial<SessionConfig>;
}

export function mockRuntime(opts: MockOptions = {}): ChainRuntime {
  return defineChainRuntime({
    pallets: [
      [0, System, devSystemConfig],
      [1, Timestamp, devTimestampConfig],
      [2, Balances, devBalancesConfig],
      [3, TransactionPayment, devTransactionPaymentConfig],
      [4, Sudo, {}],
      [6, Utility, {}],
      [7, Proxy, devWalletConfigs.proxy],
      [8, Multisig, devWalletConfigs.multisig],
      [9, Aura, devAuraConfig],
      [10, Session, { ...devSessionConfig, ...opts.session }],
    ],
    version: { ...devVersion, spec_name: 'wallet-mock' },
    crate: 'wallet_mock_runtime',
    scheme: substrateScheme,
    extensions: devExtensions,
    inherents: [timestampInherent],
    callFilter: opts.callFilter,
  });
}

export interface MockBlock {
  chain: ChainRuntime;
  overlay: Overlay;
  dispatch(call: RuntimeCallValue, who?: Uint8Array): DispatchOutcome;
  dispatchAs(call: RuntimeCallValue, origin: Origin): DispatchOutcome;
  events(): Array<[string, string, any]>;
  clearEvents(): void;
}

export interface MockChain {
  chain: ChainRuntime;
  backend: MemoryBackend;
  parentHash: Uint8Array;
  /** Runs `fn` in block `number` (default: the next one) with `digest`; its writes are kept. */
  inBlock<T>(fn: (b: MockBlock) => T, opts?: { number?: number; logs?: DigestItem[] }): T;
  number: number;
}

/** A fresh mock chain at genesis (dev accounts endowed, //Alice sudo and the Aura authority). */
export function mockChain(opts: MockOptions = {}): MockChain {
  const chain = mockRuntime(opts);
  const accounts = devAccounts();
  const { Assets: _assets, ...genesis } = devGenesisConfig(Object.values(accounts), accounts.Alice);
  const { backend, genesisHash } = memoryGenesis(chain.runtime.buildGenesis(genesis));
  const m: MockChain = {
    chain,
    backend,
    parentHash: genesisHash,
    number: 0,
    inBlock(fn, o = {}) {
      const overlay = new Overlay(backend);
      const number = o.number ?? m.number + 1;
      const out = chain.runtime.execute(overlay, () => {
        chain.executive.initializeBlock({
          parentHash: m.parentHash,
          number,
          stateRoot: new Uint8Array(32),
          extrinsicsRoot: new Uint8Array(32),
          digest: { logs: o.logs ?? [] },
        });
        const b: MockBlock = {
          chain,
          overlay,
          dispatch: (call, who) => chain.runtime.dispatch(call, who ? signedOrigin(who) : rootOrigin()),
          dispatchAs: (call, origin) => chain.runtime.dispatch(call, origin),
          events: () => Events.get().map((r: any) => [r.event.type, r.event.value.type, r.event.value.value]),
          clearEvents: () => Events.kill(),
        };
        return fn(b);
      });
      backend.apply(overlay.drainChanges());
      m.number = number;
      return out;
    },
  };
  return m;
}

export const id = (a: Uint8Array) => ({ type: 'Id' as const, value: a });
/** An account id `[n; 32]` outside the dev accounts. */
export const acc = (n: number) => new Uint8Array(32).fill(n);
export const moduleError = (index: number, error: number) => ({
  type: 'Module',
  value: { index, error: new Uint8Array([error, 0, 0, 0]) },
});
/** System's CallFiltered (System at index 0, error 5). */
export const CALL_FILTERED = moduleError(0, 5);
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
