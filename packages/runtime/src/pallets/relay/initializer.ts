/**
 * `polkadot_runtime_parachains::initializer` (pallet `Initializer`): drives the parachain pallets' session changes.
 *
 * Sessions: our relay has no pallet_session. A session is `sessionLength` blocks (config; the devnet uses 10 and
 * Polkadot's are 2400 blocks = 4 h): blocks 1..N are session 0, N+1..2N session 1, and so on. At the first block of a
 * session, before any extrinsic: the configuration scheduled for it becomes active, ParasShared moves to the new
 * session index (relay parents of the old session are no longer allowed), and HRMP channel requests accepted and
 * close requests made in the ended session take effect.
 */
import { pallet } from '../../frame/pallet.ts';
import { weight } from '../../frame/weights.ts';
import { unit } from '../../scale/index.ts';
import { blockNumber } from '../system/block.ts';
import { configurationOnNewSession } from './configuration.ts';
import { hrmpOnNewSession } from './hrmp/channels.ts';
import { initUpwardQueueKeys } from './inclusion.ts';
import { Parachains } from './paras.ts';
import { sharedOnNewSession } from './shared.ts';

export interface InitializerConfig {
  /** Blocks per session (≥ 1). */
  sessionLength: number;
}

export class InitializerConfigError extends Error {
  override name = 'InitializerConfigError';
}

const p = pallet<InitializerConfig>('Initializer', { module: 'polkadot_runtime_parachains::initializer' });

export const HasInitialized = p.value('HasInitialized', unit, {
  docs: [' Whether the parachains modules have been initialized within this block.'],
});

/** The session block `n` belongs to (block 0, genesis, is in session 0). */
export function sessionOfBlock(n: number, sessionLength: number): number {
  return n <= 1 ? 0 : Math.floor((n - 1) / sessionLength);
}

/** Whether block `n` starts a session (other than the first). */
export function startsSession(n: number, sessionLength: number): boolean {
  return n > 1 && (n - 1) % sessionLength === 0;
}

/** The session of the next block (what validators sign statements in: `session_index_for_child`). */
export function sessionIndexForChild(): number {
  return sessionOfBlock(blockNumber() + 1, p.config().sessionLength);
}

/** `apply_new_session`. */
export function applyNewSession(session: number): void {
  const { prev } = configurationOnNewSession(session);
  sharedOnNewSession(session);
  hrmpOnNewSession(prev, []);
  for (const para of Parachains.get()) initUpwardQueueKeys(para);
}

export const Initializer = p.build({
  docs: [' Session changes of the parachain pallets.'],
  hooks: {
    onInitialize(n) {
      const length = p.config().sessionLength;
      if (!Number.isInteger(length) || length < 1)
        throw new InitializerConfigError(`sessionLength must be a positive integer, got ${length}`);
      HasInitialized.set(undefined);
      if (!startsSession(n, length)) return weight(5_000_000, 500);
      applyNewSession(sessionOfBlock(n, length));
      return weight(500_000_000, 50_000);
    },
    onFinalize() {
      HasInitialized.kill();
    },
  },
  genesis: {
    default: () => ({}),
    build() {
      for (const para of Parachains.get()) initUpwardQueueKeys(para);
    },
  },
});
