/**
 * Downward queues on the test relay, and polkadot-sdk's MQC fixtures replayed through the pallets (the heads depend
 * only on the messages and the relay blocks they were queued in): polkadot/runtime/parachains/src/dmp/tests.rs
 * `dmp_mqc_head_fixture` ([1,2,3] queued in block 2, [4,5,6] in block 3 → 0x88dc…) and src/hrmp/tests.rs
 * `hrmp_mqc_head_fixture` ([1,2,3] sent in block 3, [4,5,6] in block 4 → 0xa964…).
 */
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  canQueueDownwardMessage,
  DeliveryFeeFactor,
  DownwardMessageQueues,
  dmqMqcHead,
  HrmpChannels,
  MAX_POSSIBLE_ALLOCATION,
  pruneDmq,
  queueDownwardMessage,
} from '../../../src/pallets/relay/index.ts';
import { eventsOf, RelayChain, ready } from './relay-runtime.ts';

beforeAll(async () => {
  await ready;
});

const ONE = 10n ** 18n;

describe('polkadot-sdk MQC fixtures through the pallets', () => {
  it('dmp_mqc_head_fixture', () => {
    const chain = new RelayChain();
    chain.block(); // 1
    chain.block({ during: () => expect(queueDownwardMessage(2000, Uint8Array.of(1, 2, 3))).toBeUndefined() }); // 2
    chain.block({ during: () => expect(queueDownwardMessage(2000, Uint8Array.of(4, 5, 6))).toBeUndefined() }); // 3
    expect(u8aToHex(chain.read(() => dmqMqcHead(2000)))).toBe(
      '0x88dc00db8cc9d22aa62b87807705831f164387dfa49f80a8600ed1cbe1704b6b',
    );
  });

  it('hrmp_mqc_head_fixture', () => {
    const chain = new RelayChain({
      config: { hrmp_channel_max_total_size: 20 },
      preopen: [[2000, 2004, 2, 20]],
    });
    chain.block(); // 1
    chain.block(); // 2
    const send = (data: number[]) =>
      chain.block({
        candidates: [
          chain.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: Uint8Array.from(data) }] }),
        ],
      });
    expect(eventsOf(send([1, 2, 3]), 'ParaInclusion', 'CandidateIncluded')).toHaveLength(1); // 3
    expect(eventsOf(send([4, 5, 6]), 'ParaInclusion', 'CandidateIncluded')).toHaveLength(1); // 4
    expect(u8aToHex(chain.read(() => HrmpChannels.get({ sender: 2000, recipient: 2004 })!.mqc_head))).toBe(
      '0xa964fd3b4f3d3ce92a0e25e576b87590d92bb5cb7031909c7f29050e1f04a375',
    );
  });
});

describe('queueDownwardMessage', () => {
  it('refuses messages over max_downward_message_size and unknown paras, writing nothing', () => {
    const chain = new RelayChain({ config: { max_downward_message_size: 8 } });
    chain.block({
      during: () => {
        expect(queueDownwardMessage(2000, new Uint8Array(8))).toBeUndefined();
        expect(queueDownwardMessage(2000, new Uint8Array(9))).toBe('ExceedsMaxMessageSize');
        expect(canQueueDownwardMessage(2000, new Uint8Array(9))).toBe('ExceedsMaxMessageSize');
        expect(queueDownwardMessage(4242, Uint8Array.of(1))).toBe('Unroutable');
      },
    });
    expect(chain.read(() => DownwardMessageQueues.get(2000))).toEqual([
      { sent_at: 1, msg: new Uint8Array(8) },
    ]);
    expect(chain.read(() => DownwardMessageQueues.contains(4242))).toBe(false);
  });

  it('a queue holds at most MAX_POSSIBLE_ALLOCATION / max size (+1) messages; the fee factor grows past half', () => {
    const max = MAX_POSSIBLE_ALLOCATION / 2; // → at most 2 queued before the hard limit bites
    const chain = new RelayChain({ config: { max_downward_message_size: max } });
    const results: Array<string | undefined> = [];
    chain.block({
      during: () => {
        for (let i = 0; i < 4; i++) results.push(queueDownwardMessage(2004, Uint8Array.of(i)));
      },
    });
    expect(results).toEqual([undefined, undefined, undefined, 'ExceedsMaxMessageSize']);
    // Threshold = 2 / 2 = 1: the 2nd and 3rd messages each multiply the factor by 1.05.
    expect(chain.read(() => DeliveryFeeFactor.get(2004))).toBe((ONE * 105n * 105n) / 10_000n);
    chain.block({ during: () => pruneDmq(2004, 3) });
    expect(chain.read(() => DeliveryFeeFactor.get(2004))).toBe(1_050_000_000_000_000_000n);
    chain.block({ during: () => pruneDmq(2004, 0) });
    expect(chain.read(() => DeliveryFeeFactor.get(2004))).toBe(ONE);
  });

  it('a candidate processing k messages prunes exactly k, oldest first', () => {
    const chain = new RelayChain();
    chain.block({
      during: () => {
        for (const m of ['a', 'b', 'c']) queueDownwardMessage(2008, new TextEncoder().encode(m));
      },
    });
    const head = chain.read(() => dmqMqcHead(2008));
    chain.block({ candidates: [chain.candidate(2008, { processed_downward_messages: 2 })] });
    expect(chain.read(() => DownwardMessageQueues.get(2008))).toEqual([
      { sent_at: 1, msg: new TextEncoder().encode('c') },
    ]);
    expect(chain.read(() => dmqMqcHead(2008))).toEqual(head);
  });
});
