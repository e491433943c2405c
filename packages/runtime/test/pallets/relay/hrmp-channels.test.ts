/**
 * HRMP channel lifecycle on the test relay (polkadot-sdk hrmp.rs semantics): init by the sender's Parachain origin and
 * accept by the recipient's, effective at the next session change (sessions of 5 blocks here); close by either side,
 * effective at the next session change; deposits reserved on the paras' sovereign accounts and returned; genesis
 * channels open from block 1; Root's force_open; the limits and origin checks with polkadot-sdk's errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import {
  DownwardMessageQueues,
  Hrmp,
  HrmpAcceptedChannelRequestCount,
  HrmpChannels,
  HrmpCloseChannelRequests,
  HrmpEgressChannelsIndex,
  HrmpError,
  HrmpIngressChannelsIndex,
  HrmpOpenChannelRequestCount,
  HrmpOpenChannelRequests,
  HrmpOpenChannelRequestsList,
  parachainOrigin,
} from '../../../src/pallets/relay/index.ts';
import { paraSovereignAccount } from '../../../src/parachains/index.ts';
import { DOT, eventsOf, RelayChain, ready } from './relay-runtime.ts';

beforeAll(async () => {
  await ready;
});

const DEPOSIT = 10n * DOT;
const withDeposits = { hrmp_sender_deposit: DEPOSIT, hrmp_recipient_deposit: 2n * DEPOSIT };
const reserved = (chain: RelayChain, para: number) =>
  chain.read(() => BalancesCurrency.reserved(paraSovereignAccount(para)));
const channel = (chain: RelayChain, sender: number, recipient: number) =>
  chain.read(() => HrmpChannels.get({ sender, recipient }));

/** Dispatches `call` as `origin` in the next block; returns the outcome and the block. */
function dispatchInBlock(
  chain: RelayChain,
  call: ReturnType<(typeof Hrmp.tx)[keyof typeof Hrmp.tx]>,
  origin = rootOrigin(),
) {
  let outcome: ReturnType<RelayChain['dispatch']> | undefined;
  const block = chain.block({
    during: () => {
      outcome = chain.dispatch(call, origin);
    },
  });
  return { outcome: outcome!, block };
}

function errorName(chain: RelayChain, outcome: ReturnType<RelayChain['dispatch']>): string | undefined {
  if (outcome.ok) return undefined;
  const e = outcome.error;
  if (e.type !== 'Module') return e.type;
  return chain.read(() => Object.keys(HrmpError.spec).find((n) => HrmpError.is(e, n as never)));
}

describe('opening a channel', () => {
  it('init + accept take effect at the next session; deposits are reserved and the events name both paras', () => {
    const chain = new RelayChain({ config: withDeposits, sessionLength: 5 });
    chain.block(); // 1
    const init = dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_init_open_channel({
        recipient: 2004,
        proposed_max_capacity: 100,
        proposed_max_message_size: 512,
      }),
      parachainOrigin(2000),
    ); // 2
    expect(init.outcome.ok).toBe(true);
    expect(eventsOf(init.block, 'Hrmp', 'OpenChannelRequested')[0].fields).toEqual({
      sender: 2000,
      recipient: 2004,
      proposed_max_capacity: 100,
      proposed_max_message_size: 512,
    });
    expect(reserved(chain, 2000)).toBe(DEPOSIT);
    chain.read(() => {
      expect(HrmpOpenChannelRequests.get({ sender: 2000, recipient: 2004 })).toMatchObject({
        confirmed: false,
        sender_deposit: DEPOSIT,
        max_capacity: 100,
        max_message_size: 512,
        max_total_size: 102_400,
      });
      expect(HrmpOpenChannelRequestCount.get(2000)).toBe(1);
    });
    const accept = dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_accept_open_channel({ sender: 2000 }),
      parachainOrigin(2004),
    ); // 3
    expect(accept.outcome.ok).toBe(true);
    expect(eventsOf(accept.block, 'Hrmp', 'OpenChannelAccepted')[0].fields).toEqual({
      sender: 2000,
      recipient: 2004,
    });
    expect(reserved(chain, 2004)).toBe(2n * DEPOSIT);
    chain.block(); // 4
    chain.block(); // 5: last block of session 0
    expect(channel(chain, 2000, 2004)).toBeUndefined();
    chain.block(); // 6: session 1 starts, the channel opens
    expect(channel(chain, 2000, 2004)).toEqual({
      max_capacity: 100,
      max_total_size: 102_400,
      max_message_size: 512,
      msg_count: 0,
      total_size: 0,
      mqc_head: undefined,
      sender_deposit: DEPOSIT,
      recipient_deposit: 2n * DEPOSIT,
    });
    chain.read(() => {
      expect(HrmpEgressChannelsIndex.get(2000)).toEqual([2004]);
      expect(HrmpIngressChannelsIndex.get(2004)).toEqual([2000]);
      expect(HrmpOpenChannelRequests.contains({ sender: 2000, recipient: 2004 })).toBe(false);
      expect(HrmpOpenChannelRequestsList.get()).toEqual([]);
      expect(HrmpOpenChannelRequestCount.contains(2000)).toBe(false);
      expect(HrmpAcceptedChannelRequestCount.contains(2004)).toBe(false);
    });
    // The new channel carries a message in the session's first candidate.
    const out = chain.block({
      candidates: [
        chain.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: Uint8Array.of(1) }] }),
      ],
    });
    expect(eventsOf(out, 'ParaInclusion', 'CandidateIncluded')).toHaveLength(1);
  });

  it('an unaccepted request never opens; cancelling returns the sender deposit', () => {
    const chain = new RelayChain({ config: withDeposits, sessionLength: 3 });
    dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_init_open_channel({
        recipient: 2008,
        proposed_max_capacity: 10,
        proposed_max_message_size: 10,
      }),
      parachainOrigin(2004),
    );
    chain.runTo(8);
    expect(channel(chain, 2004, 2008)).toBeUndefined();
    expect(reserved(chain, 2004)).toBe(DEPOSIT);
    const cancel = dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_cancel_open_request({ channel_id: { sender: 2004, recipient: 2008 }, open_requests: 1 }),
      parachainOrigin(2008),
    );
    expect(cancel.outcome.ok).toBe(true);
    expect(eventsOf(cancel.block, 'Hrmp', 'OpenChannelCanceled')[0].fields).toEqual({
      by_parachain: 2008,
      channel_id: { sender: 2004, recipient: 2008 },
    });
    expect(reserved(chain, 2004)).toBe(0n);
    chain.read(() => expect(HrmpOpenChannelRequestsList.get()).toEqual([]));
  });

  it('refuses what polkadot-sdk refuses, with its errors, and writes nothing', () => {
    const chain = new RelayChain({
      config: {
        ...withDeposits,
        hrmp_channel_max_capacity: 50,
        hrmp_channel_max_message_size: 100,
        hrmp_max_parachain_outbound_channels: 1,
      },
      preopen: [[2000, 2008, 5, 5]],
    });
    const init = (sender: number, recipient: number, cap: number, size: number) =>
      errorName(
        chain,
        dispatchInBlock(
          chain,
          Hrmp.tx.hrmp_init_open_channel({
            recipient,
            proposed_max_capacity: cap,
            proposed_max_message_size: size,
          }),
          parachainOrigin(sender),
        ).outcome,
      );
    expect(init(2004, 2004, 1, 1)).toBe('OpenHrmpChannelToSelf');
    expect(init(2004, 4242, 1, 1)).toBe('OpenHrmpChannelInvalidRecipient');
    expect(init(2004, 2000, 0, 1)).toBe('OpenHrmpChannelZeroCapacity');
    expect(init(2004, 2000, 51, 1)).toBe('OpenHrmpChannelCapacityExceedsLimit');
    expect(init(2004, 2000, 1, 0)).toBe('OpenHrmpChannelZeroMessageSize');
    expect(init(2004, 2000, 1, 101)).toBe('OpenHrmpChannelMessageSizeExceedsLimit');
    expect(init(2000, 2008, 1, 1)).toBe('OpenHrmpChannelAlreadyExists');
    expect(init(2000, 2004, 1, 1)).toBe('OpenHrmpChannelLimitExceeded'); // one outbound channel allowed, 2000 has one
    expect(init(2004, 2000, 1, 1)).toBeUndefined();
    expect(init(2004, 2000, 1, 1)).toBe('OpenHrmpChannelAlreadyRequested');
    expect(reserved(chain, 2004)).toBe(DEPOSIT);
    const accept = (recipient: number, sender: number) =>
      errorName(
        chain,
        dispatchInBlock(chain, Hrmp.tx.hrmp_accept_open_channel({ sender }), parachainOrigin(recipient))
          .outcome,
      );
    expect(accept(2000, 2008)).toBe('AcceptHrmpChannelDoesntExist');
    expect(accept(2000, 2004)).toBeUndefined();
    expect(accept(2000, 2004)).toBe('AcceptHrmpChannelAlreadyConfirmed');
    // Not a parachain origin: a signed account or Root cannot act for a para.
    for (const origin of [signedOrigin(new Uint8Array(32)), rootOrigin()]) {
      const out = dispatchInBlock(
        chain,
        Hrmp.tx.hrmp_init_open_channel({
          recipient: 2000,
          proposed_max_capacity: 1,
          proposed_max_message_size: 1,
        }),
        origin,
      ).outcome;
      expect(errorName(chain, out)).toBe('BadOrigin');
    }
  });

  it('a para without the deposit on its sovereign account cannot ask', () => {
    const chain = new RelayChain({
      config: { hrmp_sender_deposit: 10_000n * DOT, hrmp_recipient_deposit: 0n },
    });
    const out = dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_init_open_channel({
        recipient: 2004,
        proposed_max_capacity: 1,
        proposed_max_message_size: 1,
      }),
      parachainOrigin(2000),
    ).outcome;
    expect(out.ok).toBe(false);
    chain.read(() => expect(HrmpOpenChannelRequests.contains({ sender: 2000, recipient: 2004 })).toBe(false));
  });

  it('force_open_hrmp_channel needs Root and opens at the next session', () => {
    const chain = new RelayChain({ sessionLength: 4 });
    const call = Hrmp.tx.force_open_hrmp_channel({
      sender: 2008,
      recipient: 2000,
      max_capacity: 10,
      max_message_size: 64,
    });
    expect(errorName(chain, dispatchInBlock(chain, call, parachainOrigin(2008)).outcome)).toBe('BadOrigin');
    const { outcome, block } = dispatchInBlock(chain, call);
    expect(outcome.ok).toBe(true);
    expect(eventsOf(block, 'Hrmp', 'HrmpChannelForceOpened')).toHaveLength(1);
    chain.runTo(4);
    expect(channel(chain, 2008, 2000)).toBeUndefined();
    chain.block(); // 5: session 1
    expect(channel(chain, 2008, 2000)).toMatchObject({ max_capacity: 10, max_message_size: 64 });
  });

  it('notifies both sides over DMP when the runtime encodes notifications', () => {
    const chain = new RelayChain({ notifications: true });
    dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_init_open_channel({
        recipient: 2004,
        proposed_max_capacity: 1,
        proposed_max_message_size: 1,
      }),
      parachainOrigin(2000),
    );
    dispatchInBlock(chain, Hrmp.tx.hrmp_accept_open_channel({ sender: 2000 }), parachainOrigin(2004));
    const text = (para: number) =>
      chain.read(() => DownwardMessageQueues.get(para).map((m) => new TextDecoder().decode(m.msg)));
    expect(text(2004)).toEqual(['HrmpNewChannelOpenRequest→2004']);
    expect(text(2000)).toEqual(['HrmpChannelAccepted→2000']);
  });
});

describe('genesis channels', () => {
  it('are open from block 1, with deposits reserved at genesis', () => {
    const chain = new RelayChain({ config: withDeposits, preopen: [[2004, 2008, 10, 100]] });
    expect(channel(chain, 2004, 2008)).toMatchObject({
      max_capacity: 10,
      max_message_size: 100,
      sender_deposit: DEPOSIT,
    });
    expect(reserved(chain, 2004)).toBe(DEPOSIT);
    expect(reserved(chain, 2008)).toBe(2n * DEPOSIT);
    chain.block();
    const out = chain.block({
      candidates: [
        chain.candidate(2004, { horizontal_messages: [{ recipient: 2008, data: Uint8Array.of(7) }] }),
      ],
    });
    expect(eventsOf(out, 'ParaInclusion', 'CandidateIncluded')).toHaveLength(1);
  });

  it('a genesis channel the configuration forbids fails genesis with a clear error', () => {
    expect(
      () => new RelayChain({ config: { hrmp_channel_max_capacity: 5 }, preopen: [[2004, 2008, 10, 100]] }),
    ).toThrow(/cannot preopen HRMP channel 2004 → 2008: Hrmp.OpenHrmpChannelCapacityExceedsLimit/);
  });
});

describe('closing a channel', () => {
  it('either side asks; it closes at the next session with its messages, and both deposits come back', () => {
    const chain = new RelayChain({
      config: withDeposits,
      sessionLength: 3,
      preopen: [[2000, 2004, 10, 100]],
    });
    chain.block(); // 1
    chain.block({
      candidates: [
        chain.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: Uint8Array.of(1) }] }),
      ],
    }); // 2
    expect(reserved(chain, 2000)).toBe(DEPOSIT);
    expect(reserved(chain, 2004)).toBe(2n * DEPOSIT);
    const unauthorized = dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_close_channel({ channel_id: { sender: 2000, recipient: 2004 } }),
      parachainOrigin(2008),
    ); // 3
    expect(errorName(chain, unauthorized.outcome)).toBe('CloseHrmpChannelUnauthorized');
    const close = dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_close_channel({ channel_id: { sender: 2000, recipient: 2004 } }),
      parachainOrigin(2004),
    ); // 4: session 1 already started at 4, the close takes effect at 7
    expect(close.outcome.ok).toBe(true);
    expect(eventsOf(close.block, 'Hrmp', 'ChannelClosed')[0].fields).toEqual({
      by_parachain: 2004,
      channel_id: { sender: 2000, recipient: 2004 },
    });
    const again = dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_close_channel({ channel_id: { sender: 2000, recipient: 2004 } }),
      parachainOrigin(2000),
    ); // 5
    expect(errorName(chain, again.outcome)).toBe('CloseHrmpChannelAlreadyUnderway');
    chain.block(); // 6
    expect(channel(chain, 2000, 2004)).toBeDefined();
    chain.block(); // 7: session 2
    expect(channel(chain, 2000, 2004)).toBeUndefined();
    chain.read(() => {
      expect(HrmpEgressChannelsIndex.get(2000)).toEqual([]);
      expect(HrmpIngressChannelsIndex.get(2004)).toEqual([]);
      expect(HrmpCloseChannelRequests.contains({ sender: 2000, recipient: 2004 })).toBe(false);
    });
    expect(reserved(chain, 2000)).toBe(0n);
    expect(reserved(chain, 2004)).toBe(0n);
    // Messages into a closed channel are refused.
    const out = chain.block({
      candidates: [
        chain.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: Uint8Array.of(2) }] }),
      ],
    });
    expect(eventsOf(out, 'ParaInclusion', 'CandidateRejected')[0].fields.reason.type).toBe(
      'HrmpNoSuchChannel',
    );
  });

  it('closing a channel that does not exist', () => {
    const chain = new RelayChain();
    const out = dispatchInBlock(
      chain,
      Hrmp.tx.hrmp_close_channel({ channel_id: { sender: 2000, recipient: 2004 } }),
      parachainOrigin(2000),
    ).outcome;
    expect(errorName(chain, out)).toBe('CloseHrmpChannelDoesntExist');
  });
});
