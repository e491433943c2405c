/**
 * The host configuration: genesis (checked), `ActiveConfig` as a parachain decodes it (AbridgedHostConfiguration
 * prefix), Root setters queued for the session after next (polkadot-sdk `SESSION_DELAY` = 2), refused values.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { state } from '../../../src/frame/env.ts';
import { rootOrigin } from '../../../src/frame/origin.ts';
import {
  ActiveConfig,
  Configuration,
  ConfigurationError,
  devnetHostConfiguration,
  HostConfigurationError,
  PendingConfigs,
  parachainOrigin,
} from '../../../src/pallets/relay/index.ts';
import { decodeAbridgedHostConfiguration, wellKnownKeys } from '../../../src/parachains/index.ts';
import { RelayChain, ready } from './relay-runtime.ts';

beforeAll(async () => {
  await ready;
});

describe('Configuration', () => {
  it('the devnet configuration: Polkadot HRMP limits, no deposits; a parachain reads its abridged prefix', () => {
    const chain = new RelayChain();
    const c = chain.read(() => ActiveConfig.get());
    expect(c).toMatchObject({
      hrmp_channel_max_capacity: 1000,
      hrmp_channel_max_total_size: 102_400,
      hrmp_channel_max_message_size: 102_400,
      hrmp_max_parachain_inbound_channels: 30,
      hrmp_max_parachain_outbound_channels: 30,
      hrmp_sender_deposit: 0n,
      hrmp_recipient_deposit: 0n,
    });
    const raw = chain.read(() => state().get(wellKnownKeys.ACTIVE_CONFIG))!;
    expect(decodeAbridgedHostConfiguration(raw)).toEqual({
      max_code_size: c.max_code_size,
      max_head_data_size: c.max_head_data_size,
      max_upward_queue_count: c.max_upward_queue_count,
      max_upward_queue_size: c.max_upward_queue_size,
      max_upward_message_size: c.max_upward_message_size,
      max_upward_message_num_per_candidate: c.max_upward_message_num_per_candidate,
      hrmp_max_message_num_per_candidate: c.hrmp_max_message_num_per_candidate,
      validation_upgrade_cooldown: c.validation_upgrade_cooldown,
      validation_upgrade_delay: c.validation_upgrade_delay,
      async_backing_params: c.async_backing_params,
    });
  });

  it('a Root change applies from the session after next', () => {
    const chain = new RelayChain({ sessionLength: 2 });
    let ok: boolean | undefined;
    chain.block({
      during: () => {
        ok = chain.dispatch(Configuration.tx.set_hrmp_channel_max_capacity({ new: 77 }), rootOrigin()).ok;
      },
    }); // 1, session 0
    expect(ok).toBe(true);
    expect(chain.read(() => PendingConfigs.get()).map(([s, c]) => [s, c.hrmp_channel_max_capacity])).toEqual([
      [2, 77],
    ]);
    chain.runTo(4); // session 1 started at 3
    expect(chain.read(() => ActiveConfig.get().hrmp_channel_max_capacity)).toBe(1000);
    chain.block(); // 5: session 2
    expect(chain.read(() => ActiveConfig.get().hrmp_channel_max_capacity)).toBe(77);
    expect(chain.read(() => PendingConfigs.get())).toEqual([]);
  });

  it('refuses non-Root origins and inconsistent values', () => {
    const chain = new RelayChain();
    const outcomes: Array<ReturnType<RelayChain['dispatch']>> = [];
    chain.block({
      during: () => {
        outcomes.push(chain.dispatch(Configuration.tx.set_max_code_size({ new: 1 }), parachainOrigin(2000)));
        outcomes.push(
          chain.dispatch(Configuration.tx.set_max_code_size({ new: 4 * 1024 * 1024 }), rootOrigin()),
        );
        outcomes.push(chain.dispatch(Configuration.tx.set_minimum_backing_votes({ new: 0 }), rootOrigin()));
      },
    });
    expect(outcomes[0]).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
    chain.read(() => {
      for (const o of outcomes.slice(1))
        expect(!o.ok && ConfigurationError.is(o.error, 'InvalidNewValue')).toBe(true);
      expect(PendingConfigs.get()).toEqual([]);
    });
  });

  it('an inconsistent genesis configuration is refused', () => {
    expect(() => new RelayChain({ config: { max_pov_size: 64 * 1024 * 1024 } })).toThrow(
      HostConfigurationError,
    );
    expect(devnetHostConfiguration({ max_head_data_size: 5 }).max_head_data_size).toBe(5);
  });
});
