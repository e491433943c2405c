/**
 * pallet_aura (polkadot-sdk substrate/frame/aura): the authority set (sr25519 keys) and the slot of the current
 * block, read in `on_initialize` from the header's `PreRuntime(*b"aura", Slot)` digest (what the node's
 * chain/aura.ts writes) and required to move forward. As Aura's `OnTimestampSet`, the block's timestamp must fall in
 * that slot. Session changes replace the authorities and log `Consensus(aura, AuthoritiesChange)`. No calls, events
 * or errors, as upstream.
 */
import { engineId } from '../../block/digest.ts';
import type { DigestItem } from '../../block/digest.ts';
import { currentEnv } from '../../frame/env.ts';
import { pallet } from '../../frame/pallet.ts';
import type { Runtime } from '../../frame/runtime.ts';
import { type Weight, weight } from '../../frame/weights.ts';
import type { Codec } from '../../scale/codec.ts';
import { bytesFixed, u32, u64 } from '../../scale/primitives.ts';
import { enumeration, vec } from '../../scale/composite.ts';
import { newtype } from '../../extrinsic/newtype.ts';
import { Digest } from '../system/pallet.ts';
import { config as systemConfig } from '../system/pallet.ts';

export const AURA_ENGINE_ID = engineId('aura');
/** `sp_consensus_aura::AURA` key type id (session keys, keystore). */
export const AURA_KEY_TYPE = engineId('aura');

export interface AuraConfig {
  /** `MaxAuthorities`. */
  maxAuthorities: number;
  /** `AllowMultipleBlocksPerSlot` (false: every block needs a later slot than its parent). */
  allowMultipleBlocksPerSlot: boolean;
  /** `SlotDuration` in ms (upstream's default is twice Timestamp's MinimumPeriod). */
  slotDurationMs: bigint;
  /** `DisabledValidators::is_disabled` (default: none). */
  isDisabled?: (index: number) => boolean;
}

/** A broken invariant upstream `assert!`s or `panic!`s on: the block is invalid. */
export class AuraPanic extends Error {
  override name = 'AuraPanic';
}

const p = pallet<AuraConfig>('Aura', { module: 'pallet_aura' });

/** `sp_core::sr25519::Public` */
export const Sr25519PublicCodec: Codec<Uint8Array> = newtype(
  bytesFixed(32),
  ['sp_core', 'sr25519', 'Public'],
  '[u8; 32]',
);

/** `sp_consensus_aura::sr25519::app_sr25519::Public` (the AuthorityId of sr25519 Aura). */
export const AuraAuthorityIdCodec: Codec<Uint8Array> = newtype(
  Sr25519PublicCodec,
  ['sp_consensus_aura', 'sr25519', 'app_sr25519', 'Public'],
  'sr25519::Public',
);

/** `sp_consensus_slots::Slot` */
export const SlotCodec: Codec<bigint> = newtype(u64, ['sp_consensus_slots', 'Slot'], 'u64');

/** `sp_consensus_slots::SlotDuration` */
export const SlotDurationCodec: Codec<bigint> = newtype(u64, ['sp_consensus_slots', 'SlotDuration'], 'u64');

const AuthoritiesCodec = vec(AuraAuthorityIdCodec).named(
  ['bounded_collections', 'bounded_vec', 'BoundedVec'],
  {
    params: [{ name: 'T', type: AuraAuthorityIdCodec }, { name: 'S' }],
  },
);

export const Authorities = p.value('Authorities', AuthoritiesCodec, {
  default: [],
  docs: [' The current authority set.'],
});

export const CurrentSlot = p.value('CurrentSlot', SlotCodec, {
  default: 0n,
  docs: [' The current slot of this block.', '', ' This will be set in `on_initialize`.'],
});

/** `sp_consensus_aura::ConsensusLog<AuthorityId>` */
export const AuraConsensusLogCodec = enumeration({
  AuthoritiesChange: [1, vec(AuraAuthorityIdCodec)],
  OnDisabled: [2, u32],
}).named(['sp_consensus_aura', 'ConsensusLog'], {
  params: [{ name: 'AuthorityId', type: AuraAuthorityIdCodec }],
});

const cfg = () => p.config();

function dbReadsWrites(reads: number, writes: number): Weight {
  const db = systemConfig().dbWeight;
  return weight(Number(db.read) * reads + Number(db.write) * writes, 0);
}

/** The slot a digest claims in its first aura pre-runtime item (`current_slot_from_digests`). */
export function slotFromDigest(logs: readonly DigestItem[]): bigint | undefined {
  for (const l of logs) {
    if (l.type !== 'PreRuntime') continue;
    const [id, data] = l.value as [Uint8Array, Uint8Array];
    if (id.length === 4 && id.every((b, i) => b === AURA_ENGINE_ID[i])) {
      // `Slot::decode(&mut data).ok()`: the first 8 bytes; shorter data is no slot.
      return data.length >= 8 ? u64.decodeAt(data, 0)[0] : undefined;
    }
  }
  return undefined;
}

/** `Pallet::slot_duration()` */
export function slotDuration(): bigint {
  return cfg().slotDurationMs;
}

/** `initialize_authorities`: the first authority set (none yet, at most MaxAuthorities). */
export function initializeAuthorities(authorities: readonly Uint8Array[]): void {
  if (authorities.length === 0) return;
  if (Authorities.get().length > 0) throw new AuraPanic('Authorities are already initialized!');
  if (authorities.length > cfg().maxAuthorities)
    throw new AuraPanic('Initial authority set must be less than T::MaxAuthorities');
  Authorities.set([...authorities]);
}

/** `change_authorities`: a new set (ignored when empty), logged as `Consensus(aura, AuthoritiesChange)`. */
export function changeAuthorities(next: readonly Uint8Array[]): void {
  if (next.length === 0) return;
  const bounded = next.slice(0, cfg().maxAuthorities);
  Authorities.set(bounded);
  const log: DigestItem = {
    type: 'Consensus',
    value: [AURA_ENGINE_ID, AuraConsensusLogCodec.encode({ type: 'AuthoritiesChange', value: bounded })],
  } as DigestItem;
  Digest.mutate((d) => {
    d.logs.push(log);
  });
}

const sameKeys = (a: readonly Uint8Array[], b: readonly Uint8Array[]) =>
  a.length === b.length && a.every((k, i) => k.length === b[i].length && k.every((x, j) => x === b[i][j]));

/** Aura as a session handler (`OneSessionHandler`): key type `aura`. */
export const auraSessionHandler = {
  keyTypeId: AURA_KEY_TYPE,
  onGenesisSession(validators: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): void {
    initializeAuthorities(validators.map(([, k]) => k));
  },
  onNewSession(changed: boolean, validators: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): void {
    if (!changed) return;
    const next = validators.map(([, k]) => k);
    if (!sameKeys(next, Authorities.get())) changeAuthorities(next);
  },
  onDisabled(index: number): void {
    const log: DigestItem = {
      type: 'Consensus',
      value: [AURA_ENGINE_ID, AuraConsensusLogCodec.encode({ type: 'OnDisabled', value: index })],
    } as DigestItem;
    Digest.mutate((d) => {
      d.logs.push(log);
    });
  },
};

/**
 * Aura's `OnTimestampSet`: the timestamp must lie in the block's slot. Checked when the block claims an aura slot;
 * blocks without an aura pre-runtime digest (built by tools and tests, which Aura would reject anyway) skip it, and
 * so do runtimes that share a Timestamp config but have no Aura pallet.
 */
export function auraOnTimestampSet(now: bigint): void {
  if (slotFromDigest(Digest.get().logs) === undefined) return;
  if (!(currentEnv('aura').runtime as unknown as Runtime).pallet('Aura')) return;
  const duration = slotDuration();
  if (duration === 0n) throw new AuraPanic('Aura slot duration cannot be zero.');
  if (CurrentSlot.get() !== now / duration) throw new AuraPanic('Timestamp slot must match `CurrentSlot`');
}

/** `FindAuthor`: the index of the authority whose turn the digest's slot is. */
export function findAuthorIndex(logs: readonly DigestItem[]): number | undefined {
  const slot = slotFromDigest(logs);
  const n = Authorities.get().length;
  if (slot === undefined || n === 0) return undefined;
  return Number(slot % BigInt(n));
}

export const Aura = p.build({
  docs: [],
  hooks: {
    onInitialize(): Weight {
      const newSlot = slotFromDigest(Digest.get().logs);
      if (newSlot === undefined) return dbReadsWrites(1, 0);
      const current = CurrentSlot.get();
      if (cfg().allowMultipleBlocksPerSlot) {
        if (current > newSlot) throw new AuraPanic('Slot must not decrease');
      } else if (current >= newSlot) throw new AuraPanic('Slot must increase');
      CurrentSlot.set(newSlot);
      const n = Authorities.get().length;
      if (n > 0) {
        const index = Number(newSlot % BigInt(n));
        if (cfg().isDisabled?.(index))
          throw new AuraPanic(
            `Validator with index ${index} is disabled and should not be attempting to author blocks.`,
          );
      }
      return dbReadsWrites(2, 1);
    },
  },
  genesis: {
    default: (): AuraGenesis => ({ authorities: [] }),
    build({ authorities }: AuraGenesis) {
      initializeAuthorities(authorities);
    },
  },
});

export interface AuraGenesis {
  /** sr25519 public keys. */
  authorities: Uint8Array[];
}
