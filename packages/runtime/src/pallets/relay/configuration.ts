/**
 * `polkadot_runtime_parachains::configuration` (pallet `Configuration`): the `HostConfiguration` every parachain
 * pallet reads, stored in `ActiveConfig` at the well-known key `ACTIVE_CONFIG`. The layout is the one in polkadot-js's
 * bundled Polkadot metadata (configuration v11: `async_backing_params` 10th, `coretime_cores`, ...); its first ten
 * fields are the `AbridgedHostConfiguration` a parachain decodes from the relay state proof.
 *
 * Changes by Root (`set_*`) are queued in `PendingConfigs` for the session after next (`SESSION_DELAY` = 2), as
 * polkadot-sdk does, and become active on that session change (see Initializer).
 */

import { newtype } from '../../extrinsic/newtype.ts';
import { ensureRoot } from '../../frame/origin.ts';
import { type CallDef, call, pallet } from '../../frame/pallet.ts';
import { weight } from '../../frame/weights.ts';
import { type AsyncBackingParams, AsyncBackingParamsCodec } from '../../parachains/host-config.ts';
import {
  bitvec,
  bool,
  type Codec,
  enumeration,
  type Infer,
  option,
  struct,
  tuple,
  u32,
  u64,
  u128,
  vec,
} from '../../scale/index.ts';
import { CurrentSessionIndex } from './shared.ts';

const CONFIG = ['polkadot_runtime_parachains', 'configuration'];
const V6 = ['polkadot_primitives', 'v6'];

const PvfPrepKindCodec = enumeration({ Precheck: [0], Prepare: [1] }).named([...V6, 'PvfPrepKind']);
const PvfExecKindCodec = enumeration({ Backing: [0], Approval: [1] }).named([...V6, 'PvfExecKind']);
/** `ExecutorParam`: what the PVF executor may be told (unused by our TypeScript paras; kept for the layout). */
export const ExecutorParamCodec = enumeration({
  MaxMemoryPages: [1, u32],
  StackLogicalMax: [2, u32],
  StackNativeMax: [3, u32],
  PrecheckingMaxMemory: [4, u64],
  PvfPrepTimeout: [5, tuple(PvfPrepKindCodec, u64)],
  PvfExecTimeout: [6, tuple(PvfExecKindCodec, u64)],
  WasmExtBulkMemory: [7],
}).named([...V6, 'executor_params', 'ExecutorParam']);
export const ExecutorParamsCodec = newtype(
  vec(ExecutorParamCodec),
  [...V6, 'executor_params', 'ExecutorParams'],
  'Vec<ExecutorParam>',
);
export type ExecutorParam = Infer<typeof ExecutorParamCodec>;
export const PerbillCodec: Codec<number> = newtype(u32, ['sp_arithmetic', 'per_things', 'Perbill'], 'u32');
const ApprovalVotingParamsCodec = struct({ max_approval_coalesce_count: u32 }).named([
  'polkadot_primitives',
  'vstaging',
  'ApprovalVotingParams',
]);

export interface HostConfiguration {
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
  max_pov_size: number;
  max_downward_message_size: number;
  hrmp_max_parachain_outbound_channels: number;
  hrmp_sender_deposit: bigint;
  hrmp_recipient_deposit: bigint;
  hrmp_channel_max_capacity: number;
  hrmp_channel_max_total_size: number;
  hrmp_max_parachain_inbound_channels: number;
  hrmp_channel_max_message_size: number;
  executor_params: ExecutorParam[];
  code_retention_period: number;
  coretime_cores: number;
  on_demand_retries: number;
  on_demand_queue_max_size: number;
  on_demand_target_queue_utilization: number;
  on_demand_fee_variability: number;
  on_demand_base_fee: bigint;
  on_demand_ttl: number;
  group_rotation_frequency: number;
  paras_availability_period: number;
  scheduling_lookahead: number;
  max_validators_per_core: number | undefined;
  max_validators: number | undefined;
  dispute_period: number;
  dispute_post_conclusion_acceptance_period: number;
  no_show_slots: number;
  n_delay_tranches: number;
  zeroth_delay_tranche_width: number;
  needed_approvals: number;
  relay_vrf_modulo_samples: number;
  pvf_voting_ttl: number;
  minimum_validation_upgrade_delay: number;
  /** Backing votes a candidate needs (capped by the backing group's size). */
  minimum_backing_votes: number;
  node_features: boolean[];
  approval_voting_params: { max_approval_coalesce_count: number };
}

export const HostConfigurationCodec: Codec<HostConfiguration> = struct(
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
    max_pov_size: u32,
    max_downward_message_size: u32,
    hrmp_max_parachain_outbound_channels: u32,
    hrmp_sender_deposit: u128,
    hrmp_recipient_deposit: u128,
    hrmp_channel_max_capacity: u32,
    hrmp_channel_max_total_size: u32,
    hrmp_max_parachain_inbound_channels: u32,
    hrmp_channel_max_message_size: u32,
    executor_params: ExecutorParamsCodec,
    code_retention_period: u32,
    coretime_cores: u32,
    on_demand_retries: u32,
    on_demand_queue_max_size: u32,
    on_demand_target_queue_utilization: PerbillCodec,
    on_demand_fee_variability: PerbillCodec,
    on_demand_base_fee: u128,
    on_demand_ttl: u32,
    group_rotation_frequency: u32,
    paras_availability_period: u32,
    scheduling_lookahead: u32,
    max_validators_per_core: option(u32),
    max_validators: option(u32),
    dispute_period: u32,
    dispute_post_conclusion_acceptance_period: u32,
    no_show_slots: u32,
    n_delay_tranches: u32,
    zeroth_delay_tranche_width: u32,
    needed_approvals: u32,
    relay_vrf_modulo_samples: u32,
    pvf_voting_ttl: u32,
    minimum_validation_upgrade_delay: u32,
    minimum_backing_votes: u32,
    node_features: bitvec('u8', 'Lsb0'),
    approval_voting_params: ApprovalVotingParamsCodec,
  },
  {
    validation_upgrade_cooldown: 'BlockNumber',
    validation_upgrade_delay: 'BlockNumber',
    async_backing_params: 'AsyncBackingParams',
    hrmp_sender_deposit: 'Balance',
    hrmp_recipient_deposit: 'Balance',
    executor_params: 'ExecutorParams',
    code_retention_period: 'BlockNumber',
    on_demand_target_queue_utilization: 'Perbill',
    on_demand_fee_variability: 'Perbill',
    on_demand_base_fee: 'Balance',
    on_demand_ttl: 'BlockNumber',
    group_rotation_frequency: 'BlockNumber',
    paras_availability_period: 'BlockNumber',
    max_validators_per_core: 'Option<u32>',
    max_validators: 'Option<u32>',
    dispute_period: 'SessionIndex',
    dispute_post_conclusion_acceptance_period: 'BlockNumber',
    pvf_voting_ttl: 'SessionIndex',
    minimum_validation_upgrade_delay: 'BlockNumber',
    node_features: 'NodeFeatures',
    approval_voting_params: 'ApprovalVotingParams',
  },
).named([...CONFIG, 'HostConfiguration'], { params: [{ name: 'BlockNumber', type: u32 }] });

/** 10^10 plancks: one DOT. */
const DOT = 10_000_000_000n;

/**
 * Polkadot's active configuration (relay chain, 2024-2025), the figures that matter here: HRMP channels of at most
 * 1000 messages / 102400 bytes total / 102400 bytes per message, 30 inbound and 30 outbound channels per para (DESIGN
 * §5), 100 DOT deposits per side, 10 HRMP and 16 UMP messages per candidate, 64 KiB UMP messages, 1 MiB / 174762
 * messages of UMP queue, 50 KiB DMP messages, 10 MiB PoV, 3 MiB code, 20 KiB head data, 2 backing votes.
 */
export function polkadotHostConfiguration(): HostConfiguration {
  return {
    max_code_size: 3_145_728,
    max_head_data_size: 20_480,
    max_upward_queue_count: 174_762,
    max_upward_queue_size: 1_048_576,
    max_upward_message_size: 65_531,
    max_upward_message_num_per_candidate: 16,
    hrmp_max_message_num_per_candidate: 10,
    validation_upgrade_cooldown: 14_400,
    validation_upgrade_delay: 600,
    async_backing_params: { max_candidate_depth: 3, allowed_ancestry_len: 2 },
    max_pov_size: 10_485_760,
    max_downward_message_size: 51_200,
    hrmp_max_parachain_outbound_channels: 30,
    hrmp_sender_deposit: 100n * DOT,
    hrmp_recipient_deposit: 100n * DOT,
    hrmp_channel_max_capacity: 1000,
    hrmp_channel_max_total_size: 102_400,
    hrmp_max_parachain_inbound_channels: 30,
    hrmp_channel_max_message_size: 102_400,
    executor_params: [],
    code_retention_period: 14_400,
    coretime_cores: 0,
    on_demand_retries: 0,
    on_demand_queue_max_size: 10_000,
    on_demand_target_queue_utilization: 250_000_000,
    on_demand_fee_variability: 30_000_000,
    on_demand_base_fee: 10_000_000n,
    on_demand_ttl: 5,
    group_rotation_frequency: 10,
    paras_availability_period: 10,
    scheduling_lookahead: 3,
    max_validators_per_core: 5,
    max_validators: undefined,
    dispute_period: 6,
    dispute_post_conclusion_acceptance_period: 100,
    no_show_slots: 2,
    n_delay_tranches: 89,
    zeroth_delay_tranche_width: 0,
    needed_approvals: 30,
    relay_vrf_modulo_samples: 6,
    pvf_voting_ttl: 2,
    minimum_validation_upgrade_delay: 20,
    minimum_backing_votes: 2,
    node_features: [],
    approval_voting_params: { max_approval_coalesce_count: 1 },
  };
}

/** Polkadot's configuration without HRMP deposits: the devnet's default (`overrides` for the rest). */
export function devnetHostConfiguration(overrides: Partial<HostConfiguration> = {}): HostConfiguration {
  return {
    ...polkadotHostConfiguration(),
    hrmp_sender_deposit: 0n,
    hrmp_recipient_deposit: 0n,
    ...overrides,
  };
}

export class HostConfigurationError extends Error {
  override name = 'HostConfigurationError';
}

/** The bounds polkadot-sdk's `check_consistency` enforces that matter to the pallets here. */
export function checkHostConfiguration(c: HostConfiguration): void {
  const fail = (why: string) => {
    throw new HostConfigurationError(`inconsistent host configuration: ${why}`);
  };
  if (c.max_code_size > 3 * 1024 * 1024) fail('max_code_size above MAX_CODE_SIZE (3 MiB)');
  if (c.max_head_data_size > 1024 * 1024) fail('max_head_data_size above MAX_HEAD_DATA_SIZE (1 MiB)');
  if (c.max_pov_size > 10 * 1024 * 1024) fail('max_pov_size above MAX_POV_SIZE (10 MiB)');
  if (c.max_upward_message_size > 128 * 1024) fail('max_upward_message_size above 128 KiB');
  if (c.hrmp_max_parachain_outbound_channels > 128) fail('hrmp_max_parachain_outbound_channels above 128');
  if (c.hrmp_max_parachain_inbound_channels > 128) fail('hrmp_max_parachain_inbound_channels above 128');
  if (c.max_upward_message_num_per_candidate > 16 * 1024)
    fail('max_upward_message_num_per_candidate above 16384');
  if (c.hrmp_max_message_num_per_candidate > 16 * 1024)
    fail('hrmp_max_message_num_per_candidate above 16384');
  if (c.minimum_backing_votes === 0) fail('minimum_backing_votes is 0');
  if (c.max_downward_message_size === 0) fail('max_downward_message_size is 0');
  if (c.async_backing_params.allowed_ancestry_len > 64) fail('allowed_ancestry_len above 64');
}

/** Sessions between a `set_*` call and the session its change takes effect in (polkadot-sdk `SESSION_DELAY`). */
export const SESSION_DELAY = 2;

const p = pallet<{}>('Configuration', { module: 'polkadot_runtime_parachains::configuration' });

export const ActiveConfig = p.value('ActiveConfig', HostConfigurationCodec, {
  default: polkadotHostConfiguration(),
  docs: [' The active configuration for the current session.'],
});
export const PendingConfigs = p.value('PendingConfigs', vec(tuple(u32, HostConfigurationCodec)), {
  default: [],
  docs: [' Pending configuration changes, sorted by the session index they take effect in.'],
});
export const BypassConsistencyCheck = p.value('BypassConsistencyCheck', bool, {
  default: false,
  docs: [' If this is set, then the configuration setters will bypass the consistency checks.'],
});

export const ConfigurationError = p.errors({
  InvalidNewValue: [0, [' The new value for a configuration parameter is invalid.']],
});

/** The configuration in force (`ActiveConfig::<T>::get()`). */
export function activeConfig(): HostConfiguration {
  return ActiveConfig.get();
}

/** `schedule_config_update`: the change applies to the pending config of `current + SESSION_DELAY`. */
function scheduleUpdate(update: (c: HostConfiguration) => void): void {
  const target = CurrentSessionIndex.get() + SESSION_DELAY;
  const pending = PendingConfigs.get();
  let at = pending.findIndex(([s]) => s === target);
  if (at < 0) {
    const base = pending.length > 0 ? pending[pending.length - 1][1] : ActiveConfig.get();
    pending.push([target, base]);
    at = pending.length - 1;
  }
  const next = structuredClone(pending[at][1]);
  update(next);
  if (!BypassConsistencyCheck.get()) {
    try {
      checkHostConfiguration(next);
    } catch (err) {
      if (err instanceof HostConfigurationError) throw ConfigurationError.fail('InvalidNewValue');
      throw err;
    }
  }
  pending[at] = [target, next];
  PendingConfigs.set(pending);
}

/**
 * Session change: the pending configuration for `session` (if any) becomes active; returns the previous and the new
 * active configuration (polkadot-sdk `initializer_on_new_session`).
 */
export function configurationOnNewSession(session: number): {
  prev: HostConfiguration;
  next: HostConfiguration;
} {
  const prev = ActiveConfig.get();
  const pending = PendingConfigs.get();
  let next = prev;
  const keep: typeof pending = [];
  for (const [s, c] of pending) {
    if (s <= session) next = c;
    else keep.push([s, c]);
  }
  if (next !== prev) ActiveConfig.set(next);
  if (keep.length !== pending.length) PendingConfigs.set(keep);
  return { prev, next };
}

const setWeight = () => weight(7_000_000, 1_600);

/** A Root setter of one `u32` field (`set_<field>(new)`), at polkadot-sdk's call index. */
function setter<K extends keyof HostConfiguration>(
  index: number,
  field: K,
  codec: Codec<HostConfiguration[K]>,
): CallDef<{ new: HostConfiguration[K] }> {
  return call(
    index,
    { new: codec },
    {
      weight: setWeight,
      class: 'Operational',
      dispatch(origin, args) {
        ensureRoot(origin);
        scheduleUpdate((c) => {
          c[field] = args.new;
        });
      },
      docs: [` Set the \`${String(field)}\` of the host configuration (from the session after next).`],
    },
  );
}

export const Configuration = p.build({
  docs: [' The parachains host configuration.'],
  calls: {
    set_validation_upgrade_cooldown: setter(0, 'validation_upgrade_cooldown', u32),
    set_validation_upgrade_delay: setter(1, 'validation_upgrade_delay', u32),
    set_code_retention_period: setter(2, 'code_retention_period', u32),
    set_max_code_size: setter(3, 'max_code_size', u32),
    set_max_pov_size: setter(4, 'max_pov_size', u32),
    set_max_head_data_size: setter(5, 'max_head_data_size', u32),
    set_max_upward_queue_count: setter(23, 'max_upward_queue_count', u32),
    set_max_upward_queue_size: setter(24, 'max_upward_queue_size', u32),
    set_max_downward_message_size: setter(25, 'max_downward_message_size', u32),
    set_max_upward_message_size: setter(27, 'max_upward_message_size', u32),
    set_max_upward_message_num_per_candidate: setter(28, 'max_upward_message_num_per_candidate', u32),
    set_hrmp_sender_deposit: setter(30, 'hrmp_sender_deposit', u128),
    set_hrmp_recipient_deposit: setter(31, 'hrmp_recipient_deposit', u128),
    set_hrmp_channel_max_capacity: setter(32, 'hrmp_channel_max_capacity', u32),
    set_hrmp_channel_max_total_size: setter(33, 'hrmp_channel_max_total_size', u32),
    set_hrmp_max_parachain_inbound_channels: setter(34, 'hrmp_max_parachain_inbound_channels', u32),
    set_hrmp_channel_max_message_size: setter(36, 'hrmp_channel_max_message_size', u32),
    set_hrmp_max_parachain_outbound_channels: setter(37, 'hrmp_max_parachain_outbound_channels', u32),
    set_hrmp_max_message_num_per_candidate: setter(39, 'hrmp_max_message_num_per_candidate', u32),
    set_async_backing_params: setter(45, 'async_backing_params', AsyncBackingParamsCodec),
    set_minimum_backing_votes: setter(52, 'minimum_backing_votes', u32),
    set_bypass_consistency_check: call(
      44,
      { new: bool },
      {
        weight: setWeight,
        class: 'Operational',
        dispatch(origin, args) {
          ensureRoot(origin);
          BypassConsistencyCheck.set(args.new);
        },
        docs: [' Setting this to true will disable consistency checks for the configuration setters.'],
      },
    ),
  },
  genesis: {
    default: () => ({ config: polkadotHostConfiguration() }),
    build(g: { config: HostConfiguration }) {
      checkHostConfiguration(g.config);
      ActiveConfig.set(g.config);
    },
  },
});
