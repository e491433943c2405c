/**
 * What a parachain reads of the relay's configuration and channels through a storage proof (polkadot-sdk
 * `polkadot/primitives/src/v8/mod.rs`): `AbridgedHostConfiguration` (a prefix of the relay's `HostConfiguration`
 * stored at `ACTIVE_CONFIG`), `AbridgedHrmpChannel` (a prefix of `HrmpChannel` stored at `hrmp_channels(id)`), and the
 * code-upgrade signals `UpgradeGoAhead` / `UpgradeRestriction`.
 *
 * Both abridged types are decoded from the start of the full value and ignore what follows (Rust's `Decode::decode`,
 * not `decode_all`): use `decodeAbridgedHostConfiguration` / `decodeAbridgedHrmpChannel`.
 */
import { H256 } from '../extrinsic/primitives.ts';
import { type Codec, enumeration, option, struct, u32 } from '../scale/index.ts';

const V8 = ['polkadot_primitives', 'v8'];

/** `AsyncBackingParams` (v8::async_backing). */
export interface AsyncBackingParams {
  max_candidate_depth: number;
  allowed_ancestry_len: number;
}
export const AsyncBackingParamsCodec: Codec<AsyncBackingParams> = struct(
  { max_candidate_depth: u32, allowed_ancestry_len: u32 },
  { max_candidate_depth: 'u32', allowed_ancestry_len: 'u32' },
).named([...V8, 'async_backing', 'AsyncBackingParams']);

export interface AbridgedHostConfiguration {
  max_code_size: number;
  max_head_data_size: number;
  max_upward_queue_count: number;
  max_upward_queue_size: number;
  max_upward_message_size: number;
  max_upward_message_num_per_candidate: number;
  hrmp_max_message_num_per_candidate: number;
  validation_upgrade_cooldown: number;
  validation_upgrade_delay: number;
  async_backing_params: AsyncBackingParams;
}
export const AbridgedHostConfigurationCodec: Codec<AbridgedHostConfiguration> = struct(
  {
    max_code_size: u32,
    max_head_data_size: u32,
    max_upward_queue_count: u32,
    max_upward_queue_size: u32,
    max_upward_message_size: u32,
    max_upward_message_num_per_candidate: u32,
    hrmp_max_message_num_per_candidate: u32,
    validation_upgrade_cooldown: u32,
    validation_upgrade_delay: u32,
    async_backing_params: AsyncBackingParamsCodec,
  },
  {
    validation_upgrade_cooldown: 'BlockNumber',
    validation_upgrade_delay: 'BlockNumber',
    async_backing_params: 'AsyncBackingParams',
  },
).named([...V8, 'AbridgedHostConfiguration']);

/** The abridged configuration from the start of the relay's full `HostConfiguration` encoding. */
export function decodeAbridgedHostConfiguration(activeConfig: Uint8Array): AbridgedHostConfiguration {
  return AbridgedHostConfigurationCodec.decodeAt(activeConfig, 0)[0];
}

export interface AbridgedHrmpChannel {
  max_capacity: number;
  max_total_size: number;
  max_message_size: number;
  msg_count: number;
  total_size: number;
  /** None until the first message. */
  mqc_head: Uint8Array | undefined;
}
export const AbridgedHrmpChannelCodec: Codec<AbridgedHrmpChannel> = struct(
  {
    max_capacity: u32,
    max_total_size: u32,
    max_message_size: u32,
    msg_count: u32,
    total_size: u32,
    mqc_head: option(H256),
  },
  { mqc_head: 'Option<Hash>' },
).named([...V8, 'AbridgedHrmpChannel']);

/** The abridged channel from the start of the relay's full `HrmpChannel` encoding (which adds deposits). */
export function decodeAbridgedHrmpChannel(channel: Uint8Array): AbridgedHrmpChannel {
  return AbridgedHrmpChannelCodec.decodeAt(channel, 0)[0];
}

export type UpgradeRestriction = 'Present';
export const UpgradeRestrictionCodec: Codec<UpgradeRestriction> = enumeration({ Present: [0] })
  .named([...V8, 'UpgradeRestriction'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

export type UpgradeGoAhead = 'Abort' | 'GoAhead';
export const UpgradeGoAheadCodec: Codec<UpgradeGoAhead> = enumeration({ Abort: [0], GoAhead: [1] })
  .named([...V8, 'UpgradeGoAhead'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );
