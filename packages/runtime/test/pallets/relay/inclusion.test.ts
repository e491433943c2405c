/**
 * Candidate inclusion on the test relay: a candidate carrying downward, upward and horizontal messages is included and
 * every piece of relay state a parachain reads moves exactly as polkadot-sdk's `enact_candidate` moves it (Paras.Heads,
 * DMQ, HRMP channels / contents / digests / MQC heads / watermarks, the UMP sink); the parachain's view through a relay
 * state proof at the well-known keys; and each acceptance rule (polkadot-sdk inclusion/mod.rs, hrmp.rs, dmp.rs)
 * dropping its bad candidate while the para does not advance and the others still go in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { headerHash } from '../../../src/block/header.ts';
import { state } from '../../../src/frame/env.ts';
import {
  DownwardMessageQueueHeads,
  DownwardMessageQueues,
  dmqMqcHead,
  Heads,
  HrmpChannelContents,
  HrmpChannelDigests,
  HrmpChannels,
  HrmpWatermarks,
  MostRecentContext,
  queueDownwardMessage,
} from '../../../src/pallets/relay/index.ts';
import {
  decodeAbridgedHrmpChannel,
  EMPTY_MQC_HEAD,
  extendMqc,
  HeadDataCodec,
  InboundHrmpMessageCodec,
  wellKnownKeys,
} from '../../../src/parachains/index.ts';
import { Trie, verifyProof } from '../../../src/trie/index.ts';
import { bigintJson, eventsOf, genesisHeadOf, RelayChain, ready } from './relay-runtime.ts';

beforeAll(async () => {
  await ready;
});

const bytes = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

/** 2000 ⇄ 2004 and 2000 → 2008, 8 messages / 64 bytes total / 32 bytes each (the total size is the config's). */
function chainWithChannels(config = {}) {
  return new RelayChain({
    config: { hrmp_channel_max_total_size: 64, ...config },
    preopen: [
      [2000, 2004, 8, 32],
      [2004, 2000, 8, 32],
      [2000, 2008, 2, 32],
    ],
  });
}

function rejections(out: ReturnType<RelayChain['block']>) {
  return eventsOf(out, 'ParaInclusion', 'CandidateRejected').map((e) => e.fields.reason);
}

describe('a candidate with messages', () => {
  it('is included and moves heads, DMQ, HRMP and UMP exactly', () => {
    const chain = chainWithChannels();
    const dmpMsg = bytes('downward-1');
    chain.block({ during: () => expect(queueDownwardMessage(2000, dmpMsg)).toBeUndefined() }); // block 1
    expect(chain.read(() => DownwardMessageQueues.get(2000))).toEqual([{ sent_at: 1, msg: dmpMsg }]);
    const dmqHead = chain.read(() => dmqMqcHead(2000));
    expect(hex(dmqHead)).toBe(hex(extendMqc(EMPTY_MQC_HEAD, 1, dmpMsg)));

    const d1 = bytes('to 2004');
    const d2 = bytes('to 2008');
    const a = chain.candidate(2000, {
      processed_downward_messages: 1,
      horizontal_messages: [
        { recipient: 2004, data: d1 },
        { recipient: 2008, data: d2 },
      ],
      upward_messages: [bytes('up-1'), bytes('up-2')],
      hrmp_watermark: 1,
    });
    const out = chain.block({ candidates: [a] }); // block 2
    expect(rejections(out)).toEqual([]);
    const names = eventsOf(out, 'ParaInclusion').map((e) => e.name);
    expect(names).toEqual(['CandidateBacked', 'UpwardMessagesReceived', 'CandidateIncluded']);
    const [receipt, head, core, group] = eventsOf(out, 'ParaInclusion', 'CandidateIncluded')[0].fields;
    expect(receipt.descriptor.para_id).toBe(2000);
    expect(head).toEqual(a.candidate.commitments.head_data);
    expect([core, group]).toEqual([0, 0]);
    expect(eventsOf(out, 'Paras', 'NewHeadNoted')[0].fields).toBe(2000);
    expect(chain.rt.received).toEqual([{ para: 2000, messages: [bytes('up-1'), bytes('up-2')] }]);

    chain.read(() => {
      expect(Heads.get(2000)).toEqual(a.candidate.commitments.head_data);
      expect(MostRecentContext.get(2000)).toBe(1);
      expect(DownwardMessageQueues.get(2000)).toEqual([]);
      // Pruning keeps the MQC head: the para proves its processed messages against it.
      expect(hex(DownwardMessageQueueHeads.get(2000))).toBe(hex(dmqHead));
      expect(HrmpWatermarks.get(2000)).toBe(1);
      const to2004 = HrmpChannels.get({ sender: 2000, recipient: 2004 })!;
      expect(to2004.msg_count).toBe(1);
      expect(to2004.total_size).toBe(d1.length);
      expect(hex(to2004.mqc_head)).toBe(hex(extendMqc(EMPTY_MQC_HEAD, 2, d1)));
      expect(HrmpChannelContents.get({ sender: 2000, recipient: 2004 })).toEqual([{ sent_at: 2, data: d1 }]);
      expect(HrmpChannelDigests.get(2004)).toEqual([[2, [2000]]]);
      expect(HrmpChannelDigests.get(2008)).toEqual([[2, [2000]]]);
      expect(hex(HrmpChannels.get({ sender: 2000, recipient: 2008 })!.mqc_head)).toBe(
        hex(extendMqc(EMPTY_MQC_HEAD, 2, d2)),
      );
    });

    // 2004 processes up to relay block 2 (its relay parent): the channel from 2000 empties, its head stays.
    const b = chain.candidate(2004, { hrmp_watermark: 2 });
    const out3 = chain.block({ candidates: [b] }); // block 3
    expect(rejections(out3)).toEqual([]);
    chain.read(() => {
      const to2004 = HrmpChannels.get({ sender: 2000, recipient: 2004 })!;
      expect([to2004.msg_count, to2004.total_size]).toEqual([0, 0]);
      expect(hex(to2004.mqc_head)).toBe(hex(extendMqc(EMPTY_MQC_HEAD, 2, d1)));
      expect(HrmpChannelContents.contains({ sender: 2000, recipient: 2004 })).toBe(false);
      expect(HrmpChannelDigests.get(2004)).toEqual([]);
      expect(HrmpWatermarks.get(2004)).toBe(2);
      // 2008 has not processed its message.
      expect(HrmpChannels.get({ sender: 2000, recipient: 2008 })!.msg_count).toBe(1);
    });
  });

  it('the parachain reads the same through a relay state proof at the well-known keys', () => {
    const chain = chainWithChannels();
    chain.block();
    const d1 = bytes('hello sibling');
    chain.block({
      candidates: [chain.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: d1 }] })],
    });
    const root = chain.head.stateRoot;
    const trie = Trie.fromEntries(chain.backend.entries(), 1);
    expect(hex(trie.root())).toBe(hex(root));
    const keys = [
      wellKnownKeys.hrmpChannels({ sender: 2000, recipient: 2004 }),
      wellKnownKeys.hrmpIngressChannelIndex(2004),
      wellKnownKeys.paraHead(2004),
      wellKnownKeys.dmqMqcHead(2004),
      wellKnownKeys.ACTIVE_CONFIG,
      wellKnownKeys.relayDispatchQueueRemainingCapacity(2000),
    ];
    const read = verifyProof(root, trie.proof(keys), keys, 1);
    const channel = decodeAbridgedHrmpChannel(read.get(keys[0])!);
    expect(channel).toMatchObject({
      max_capacity: 8,
      max_message_size: 32,
      msg_count: 1,
      total_size: d1.length,
    });
    expect(hex(channel.mqc_head)).toBe(hex(extendMqc(EMPTY_MQC_HEAD, 2, d1)));
    expect(hex(read.get(keys[1]))).toBe('04d0070000'); // Vec<ParaId> [2000]
    expect(HeadDataCodec.decode(read.get(keys[2])!)).toEqual(genesisHeadOf(2004));
    expect(read.get(keys[3])).toBeUndefined(); // no downward message yet: the para uses the zero head
    expect(read.get(keys[4])).toBeDefined();
    expect(read.get(keys[5])).toHaveLength(8);
    // What the recipient gets from its collator, checked against that head.
    const contents = chain.read(() => HrmpChannelContents.get({ sender: 2000, recipient: 2004 }));
    expect(contents.map((m) => InboundHrmpMessageCodec.encode(m))).toHaveLength(1);
  });

  it('two candidates of one para in one block chain on each other; others still go in beside a bad one', () => {
    const chain = chainWithChannels();
    chain.block();
    const first = chain.candidate(2000);
    const second = chain.candidate(2000, {}, { parentHead: first.candidate.commitments.head_data });
    const bad = chain.candidate(2004, { hrmp_watermark: 7 });
    const ok = chain.candidate(2008);
    const out = chain.block({ candidates: [first, bad, second, ok] });
    expect(
      eventsOf(out, 'ParaInclusion', 'CandidateIncluded').map((e) => e.fields[0].descriptor.para_id),
    ).toEqual([2000, 2000, 2008]);
    expect(rejections(out).map((r) => r.type)).toEqual(['HrmpWatermarkAheadRelayParent']);
    chain.read(() => {
      expect(Heads.get(2000)).toEqual(second.candidate.commitments.head_data);
      expect(Heads.get(2004)).toEqual(genesisHeadOf(2004));
    });
  });
});

describe('acceptance rules: each bad candidate is dropped, its para does not advance', () => {
  const cases: Array<{
    name: string;
    reason: string;
    setup?: (chain: RelayChain) => void;
    make: (chain: RelayChain) => ReturnType<RelayChain['candidate']>;
    config?: object;
  }> = [
    {
      name: 'unsorted recipients',
      reason: 'HrmpNotSorted',
      make: (c) =>
        c.candidate(2000, {
          horizontal_messages: [
            { recipient: 2008, data: bytes('a') },
            { recipient: 2004, data: bytes('b') },
          ],
        }),
    },
    {
      name: 'two messages to one recipient',
      reason: 'HrmpNotSorted',
      make: (c) =>
        c.candidate(2000, {
          horizontal_messages: [
            { recipient: 2004, data: bytes('a') },
            { recipient: 2004, data: bytes('b') },
          ],
        }),
    },
    {
      name: 'no channel',
      reason: 'HrmpNoSuchChannel',
      make: (c) => c.candidate(2008, { horizontal_messages: [{ recipient: 2000, data: bytes('x') }] }),
    },
    {
      name: 'message over the channel max size',
      reason: 'HrmpMaxMessageSizeExceeded',
      make: (c) =>
        c.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: new Uint8Array(33) }] }),
    },
    {
      name: 'over the channel capacity (2000→2008 holds 2 messages, both queued)',
      reason: 'HrmpCapacityExceeded',
      setup: (c) => {
        for (let i = 0; i < 2; i++)
          c.block({
            candidates: [
              c.candidate(2000, { horizontal_messages: [{ recipient: 2008, data: bytes(`m${i}`) }] }),
            ],
          });
      },
      make: (c) => c.candidate(2000, { horizontal_messages: [{ recipient: 2008, data: bytes('m2') }] }),
    },
    {
      name: 'over total size',
      reason: 'HrmpTotalSizeExceeded',
      setup: (c) => {
        for (let i = 0; i < 2; i++)
          c.block({
            candidates: [
              c.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: new Uint8Array(30) }] }),
            ],
          });
      },
      make: (c) => c.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: new Uint8Array(5) }] }),
    },
    {
      name: 'more HRMP messages than hrmp_max_message_num_per_candidate',
      reason: 'HrmpMoreMessagesThanPermitted',
      config: { hrmp_max_message_num_per_candidate: 1 },
      make: (c) =>
        c.candidate(2000, {
          horizontal_messages: [
            { recipient: 2004, data: bytes('a') },
            { recipient: 2008, data: bytes('b') },
          ],
        }),
    },
    {
      name: 'watermark ahead of the relay parent',
      reason: 'HrmpWatermarkAheadRelayParent',
      make: (c) => c.candidate(2004, { hrmp_watermark: c.head.number + 1 }),
    },
    {
      name: 'watermark on a block without messages',
      reason: 'HrmpWatermarkLandsOnBlockWithNoMessages',
      setup: (c) => {
        c.block();
        c.block();
      },
      make: (c) => c.candidate(2004, { hrmp_watermark: 1 }),
    },
    {
      name: 'watermark going back',
      reason: 'HrmpWatermarkAdvancementRule',
      setup: (c) => {
        c.block({ candidates: [c.candidate(2004, { hrmp_watermark: c.head.number })] });
        c.block();
        expect(c.read(() => HrmpWatermarks.get(2004))).toBe(1);
      },
      make: (c) => c.candidate(2004, { hrmp_watermark: 0 }),
    },
    {
      name: 'wrong parent head',
      reason: 'ValidationDataHashMismatch',
      make: (c) => c.candidate(2000, {}, { parentHead: bytes('not the head') }),
    },
    {
      name: 'wrong PVD hash',
      reason: 'ValidationDataHashMismatch',
      make: (c) =>
        c.candidate(2000, {}, { tamper: (r) => void r.descriptor.persisted_validation_data_hash.fill(1) }),
    },
    {
      name: 'wrong validation code hash',
      reason: 'InvalidValidationCodeHash',
      make: (c) => c.candidate(2000, {}, { tamper: (r) => void r.descriptor.validation_code_hash.fill(1) }),
    },
    {
      name: 'para head hash not the committed head',
      reason: 'ParaHeadMismatch',
      make: (c) => c.candidate(2000, {}, { tamper: (r) => void r.descriptor.para_head.fill(1) }),
    },
    {
      name: 'bad collator signature',
      reason: 'NotCollatorSigned',
      make: (c) =>
        c.candidate(
          2000,
          {},
          {
            tamperSigned: (r) => {
              r.descriptor.signature[0] ^= 1;
            },
          },
        ),
    },
    {
      name: 'backed by a key that is not a validator',
      reason: 'InvalidBacking',
      make: (c) => c.candidate(2000, {}, { attestations: 'wrong-validator' }),
    },
    {
      name: 'no backing vote',
      reason: 'InsufficientBacking',
      make: (c) => c.candidate(2000, {}, { attestations: 'none' }),
    },
    {
      name: 'commitments changed after backing (the statement no longer matches the candidate hash)',
      reason: 'InvalidBacking',
      make: (c) => {
        const b = c.candidate(2000, { upward_messages: [bytes('u')] });
        b.candidate.commitments.upward_messages = [bytes('v')];
        return b;
      },
    },
    {
      name: 'unknown para',
      reason: 'UnknownPara',
      make: (c) => {
        const b = c.candidate(
          2000,
          {},
          {
            tamper: (r) => {
              r.descriptor.para_id = 4242;
            },
          },
        );
        return b;
      },
    },
    {
      name: 'relay parent not recent (older than allowed_ancestry_len)',
      reason: 'DisallowedRelayParent',
      setup: (c) => {
        for (let i = 0; i < 4; i++) c.block();
      },
      make: (c) => c.candidate(2000, {}, { relayParent: c.headers.get(1) }),
    },
    {
      name: 'relay parent older than the one of the para’s last candidate',
      reason: 'RelayParentMovedBackwards',
      setup: (c) => {
        c.block();
        c.block({ candidates: [c.candidate(2000)] }); // built on block 2
      },
      make: (c) => c.candidate(2000, {}, { relayParent: c.headers.get(1) }),
    },
    {
      name: 'too many upward messages',
      reason: 'UmpMoreMessagesThanPermitted',
      config: { max_upward_message_num_per_candidate: 2 },
      make: (c) => c.candidate(2000, { upward_messages: [bytes('1'), bytes('2'), bytes('3')] }),
    },
    {
      name: 'upward message too large',
      reason: 'UmpMessageSize',
      config: { max_upward_message_size: 4 },
      make: (c) => c.candidate(2000, { upward_messages: [bytes('12345')] }),
    },
    {
      name: 'head data too large',
      reason: 'HeadDataTooLarge',
      config: { max_head_data_size: 16 },
      make: (c) => c.candidate(2000, { head_data: new Uint8Array(17) }),
    },
    {
      name: 'a code upgrade',
      reason: 'PrematureCodeUpgrade',
      make: (c) => c.candidate(2000, { new_validation_code: bytes('new code') }),
    },
    {
      name: 'a pending downward message not processed',
      reason: 'DmpAdvancementRule',
      setup: (c) => {
        c.block({ during: () => void queueDownwardMessage(2000, bytes('down')) });
      },
      make: (c) => c.candidate(2000, { processed_downward_messages: 0 }),
    },
    {
      name: 'more downward messages processed than queued',
      reason: 'DmpUnderflow',
      make: (c) => c.candidate(2000, { processed_downward_messages: 1 }),
    },
  ];

  for (const t of cases) {
    it(`${t.name} → ${t.reason}`, () => {
      const chain = chainWithChannels(t.config);
      chain.block();
      t.setup?.(chain);
      const before = chain.read(() => [
        Heads.get(2000),
        Heads.get(2004),
        Heads.get(2008),
        HrmpWatermarks.get(2004),
      ]);
      const bad = t.make(chain);
      const good = chain.candidate(bad.candidate.descriptor.para_id === 2008 ? 2000 : 2008);
      const out = chain.block({ candidates: [bad, good] });
      const rejected = eventsOf(out, 'ParaInclusion', 'CandidateRejected');
      expect(rejected, JSON.stringify(out.events, bigintJson)).toHaveLength(1);
      expect(rejected[0].fields.reason.type).toBe(t.reason);
      expect(rejected[0].fields.para_id).toBe(bad.candidate.descriptor.para_id);
      const after = chain.read(() => [
        Heads.get(2000),
        Heads.get(2004),
        Heads.get(2008),
        HrmpWatermarks.get(2004),
      ]);
      const badIdx = [2000, 2004, 2008].indexOf(bad.candidate.descriptor.para_id);
      if (badIdx >= 0) expect(after[badIdx]).toEqual(before[badIdx]);
      expect(after[3]).toEqual(before[3]);
      // The good candidate beside it went in.
      expect(eventsOf(out, 'ParaInclusion', 'CandidateIncluded')).toHaveLength(1);
    });
  }

  it('the UMP queue limits use the relay queue footprint', () => {
    const chain = new RelayChain({
      config: { max_upward_queue_count: 10, max_upward_queue_size: 100 },
      upwardQueue: (para) => (para === 2000 ? { count: 9, size: 95 } : { count: 0, size: 0 }),
    });
    chain.block();
    let out = chain.block({
      candidates: [chain.candidate(2000, { upward_messages: [bytes('a'), bytes('b')] })],
    });
    expect(rejections(out).map((r) => r.type)).toEqual(['UmpCapacityExceeded']);
    out = chain.block({ candidates: [chain.candidate(2000, { upward_messages: [bytes('123456')] })] });
    expect(rejections(out)).toEqual([
      { type: 'UmpTotalSizeExceeded', value: { total_size: 101, limit: 100 } },
    ]);
    out = chain.block({
      candidates: [
        chain.candidate(2000, { upward_messages: [bytes('12345'), new Uint8Array(0), bytes('signal')] }),
      ],
    });
    expect(rejections(out)).toEqual([]);
    // Only what precedes the UMP separator is a message.
    expect(chain.rt.received.at(-1)).toEqual({ para: 2000, messages: [bytes('12345')] });
    // The remaining capacity a para reads: (10 − 9, 100 − 95) as the footprint reports it.
    const raw = chain.read(() => state().get(wellKnownKeys.relayDispatchQueueRemainingCapacity(2000)));
    expect(hex(raw)).toBe('0100000005000000');
    const used = chain.read(() => state().get(wellKnownKeys.relayDispatchQueueSize(2000)));
    expect(hex(used)).toBe('090000005f000000');
  });

  it('a candidate included twice in one block is refused the second time', () => {
    const chain = chainWithChannels();
    chain.block();
    const c = chain.candidate(2000);
    const out = chain.block({ candidates: [c, c] });
    expect(rejections(out).map((r) => r.type)).toEqual(['DuplicateCandidate']);
  });

  it('a candidate already included cannot be replayed later (parent head moved on)', () => {
    const chain = chainWithChannels();
    chain.block();
    const c = chain.candidate(2000);
    chain.block({ candidates: [c] });
    const out = chain.block({ candidates: [c] });
    expect(rejections(out).map((r) => r.type)).toEqual(['ValidationDataHashMismatch']);
    expect(headerHash(chain.head)).toBeDefined();
  });
});
