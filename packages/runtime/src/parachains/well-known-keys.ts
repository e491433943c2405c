/**
 * `polkadot_primitives::v8::well_known_keys`: the relay-chain storage keys a parachain reads through the relay
 * state proof. They are ordinary FRAME storage keys of the relay's parachain pallets (`twox128(pallet) ++
 * twox128(item) ++ twox64(encode(key)) ++ encode(key)` for the maps), plus one raw key
 * (`relay_dispatch_queue_remaining_capacity`). Computed here from the pallet and item names; the tests compare them
 * with polkadot-sdk's literal constants, and the relay pallets' own items with these.
 */
import { StorageHasher, storageMapKey, storagePrefix } from '../crypto/storage-hashers.ts';
import { type HrmpChannelId, HrmpChannelIdCodec, type ParaId, ParaIdCodec } from './ids.ts';

const paraKey = (pallet: string, item: string, id: ParaId) =>
  storageMapKey(pallet, item, [StorageHasher.Twox64Concat, ParaIdCodec.encode(id)]);

/** `Babe::EpochIndex` (u64). */
export const EPOCH_INDEX: Uint8Array = storagePrefix('Babe', 'EpochIndex');
/** `Babe::AuthorVrfRandomness` (`Option<[u8; 32]>`): the current relay block's randomness. */
export const CURRENT_BLOCK_RANDOMNESS: Uint8Array = storagePrefix('Babe', 'AuthorVrfRandomness');
/** `Babe::NextRandomness`: what polkadot-sdk calls the randomness of one epoch ago. */
export const ONE_EPOCH_AGO_RANDOMNESS: Uint8Array = storagePrefix('Babe', 'NextRandomness');
/** `Babe::Randomness`: what polkadot-sdk calls the randomness of two epochs ago. */
export const TWO_EPOCHS_AGO_RANDOMNESS: Uint8Array = storagePrefix('Babe', 'Randomness');
/** `Babe::CurrentSlot` (`Slot` = u64). */
export const CURRENT_SLOT: Uint8Array = storagePrefix('Babe', 'CurrentSlot');
/** `Configuration::ActiveConfig`: the `HostConfiguration`, whose prefix is an `AbridgedHostConfiguration`. */
export const ACTIVE_CONFIG: Uint8Array = storagePrefix('Configuration', 'ActiveConfig');

/** `Paras::Heads(id)`: the para's `HeadData`. */
export function paraHead(id: ParaId): Uint8Array {
  return paraKey('Paras', 'Heads', id);
}

/** `Paras::UpgradeGoAheadSignal(id)`: an `UpgradeGoAhead`. */
export function upgradeGoAheadSignal(id: ParaId): Uint8Array {
  return paraKey('Paras', 'UpgradeGoAheadSignal', id);
}

/** `Paras::UpgradeRestrictionSignal(id)`: an `UpgradeRestriction`. */
export function upgradeRestrictionSignal(id: ParaId): Uint8Array {
  return paraKey('Paras', 'UpgradeRestrictionSignal', id);
}

/** `Hrmp::HrmpChannels(channel)`: an `HrmpChannel` whose prefix is an `AbridgedHrmpChannel`. */
export function hrmpChannels(channel: HrmpChannelId): Uint8Array {
  return storageMapKey('Hrmp', 'HrmpChannels', [
    StorageHasher.Twox64Concat,
    HrmpChannelIdCodec.encode(channel),
  ]);
}

/** `Hrmp::HrmpIngressChannelsIndex(id)`: the senders of the para's inbound channels (`Vec<ParaId>`, sorted). */
export function hrmpIngressChannelIndex(id: ParaId): Uint8Array {
  return paraKey('Hrmp', 'HrmpIngressChannelsIndex', id);
}

/** `Hrmp::HrmpEgressChannelsIndex(id)`: the recipients of the para's outbound channels (`Vec<ParaId>`, sorted). */
export function hrmpEgressChannelIndex(id: ParaId): Uint8Array {
  return paraKey('Hrmp', 'HrmpEgressChannelsIndex', id);
}

/** `Dmp::DownwardMessageQueueHeads(id)`: the para's downward MQC head (`Hash`). */
export function dmqMqcHead(id: ParaId): Uint8Array {
  return paraKey('Dmp', 'DownwardMessageQueueHeads', id);
}

/**
 * Deprecated in polkadot-sdk (`relay_dispatch_queue_size`, the old `Ump::RelayDispatchQueueSize(id)`), still written
 * beside the remaining capacity: `(count: u32, size: u32)` of the para's upward queue.
 */
export function relayDispatchQueueSize(id: ParaId): Uint8Array {
  return paraKey('Ump', 'RelayDispatchQueueSize', id);
}

const REMAINING_CAPACITY_PREFIX = new TextEncoder().encode(':relay_dispatch_queue_remaining_capacity');

/**
 * `(b":relay_dispatch_queue_remaining_capacity", para_id).encode()`: a byte array encodes without a length, so this
 * is the ASCII text then u32_le(id). The value is `(count: u32, size: u32)` still free in the para's upward queue.
 */
export function relayDispatchQueueRemainingCapacity(id: ParaId): Uint8Array {
  const out = new Uint8Array(REMAINING_CAPACITY_PREFIX.length + 4);
  out.set(REMAINING_CAPACITY_PREFIX);
  out.set(ParaIdCodec.encode(id), REMAINING_CAPACITY_PREFIX.length);
  return out;
}
