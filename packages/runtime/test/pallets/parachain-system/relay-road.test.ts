/**
 * The road through the real relay pallets (pallets/relay: Paras, ParaInclusion's acceptance checks, Dmp, Hrmp): two
 * test parachains build blocks on relay parents read and proven from the relay's actual state (full
 * `HostConfiguration` and `HrmpChannel` values at the well-known keys, `Trie.proof` of the relay state), and their
 * candidates carry exactly what ParachainSystem recorded. The relay accepts them: para 2000's XCMs reach 2004's
 * channel, 2004 proves and takes them, reports its watermark, the relay prunes the channel, 2004 executes them; a
 * downward message is taken and counted the same way.
 */
import { beforeAll, expect, it } from 'vitest';
import { type Header, HeaderCodec } from '../../../src/block/header.ts';
import type { ParaId } from '../../../src/parachains/ids.ts';
import {
  DownwardMessageQueues,
  HrmpChannelContents,
  HrmpIngressChannelsIndex,
  persistedValidationData,
  queueDownwardMessage,
} from '../../../src/pallets/relay/index.ts';
import {
  buildParachainInherentData,
  type CandidateOutputs,
  type ParachainInherentData,
} from '../../../src/pallets/parachain-system/index.ts';
import { deliver, validateSend } from '../../../src/pallets/xcmp-queue/index.ts';
import { Trie } from '../../../src/trie/index.ts';
import { RelayChain, ready } from '../relay/relay-runtime.ts';
import { hex, topicXcm, trapXcm } from './helpers.ts';
import { TestParachain } from './test-parachain.ts';

beforeAll(() => ready);

const P = 2000;
const Q = 2004;

/** What a collator of `para` reads from the relay head and proves. */
function inherentOn(relay: RelayChain, para: ParaId): ParachainInherentData {
  const trie = Trie.fromEntries(relay.backend.entries(), 1);
  expect(trie.root()).toEqual(relay.head.stateRoot);
  const head = relay.head;
  return relay.read(() => {
    const pvd = persistedValidationData(para, { number: head.number, storageRoot: head.stateRoot })!;
    const horizontal = new Map<ParaId, ReturnType<typeof HrmpChannelContents.get>>();
    for (const sender of HrmpIngressChannelsIndex.get(para)) {
      const contents = HrmpChannelContents.get({ sender, recipient: para });
      if (contents.length) horizontal.set(sender, contents);
    }
    return buildParachainInherentData({
      paraId: para,
      validationData: pvd,
      readRelay: (k) => trie.get(k),
      proveRelay: (keys) => trie.proof(keys),
      downwardMessages: DownwardMessageQueues.get(para),
      horizontalMessages: horizontal,
    });
  });
}

/** The backed candidate for a para block built on the relay head. */
function candidateOf(relay: RelayChain, para: ParaId, header: Header, o: CandidateOutputs) {
  return relay.candidate(para, {
    upward_messages: o.upward_messages,
    horizontal_messages: o.horizontal_messages,
    new_validation_code: o.new_validation_code,
    head_data: o.custom_head_data ?? HeaderCodec.encode(header),
    processed_downward_messages: o.processed_downward_messages,
    hrmp_watermark: o.hrmp_watermark,
  });
}

function includes(events: Array<{ pallet: string; name: string; fields: any }>, para: ParaId): boolean {
  const rejected = events.filter((e) => e.name === 'CandidateRejected');
  if (rejected.length) throw new Error(`rejected: ${JSON.stringify(rejected.map((e) => e.fields.reason))}`);
  return events.some((e) => e.name === 'CandidateIncluded' && e.fields[0].descriptor.para_id === para);
}

it('XCMs from 2000 to 2004 and a downward message pass the relay acceptance checks and get executed', () => {
  const relay = new RelayChain({
    preopen: [
      [P, Q, 8, 1024],
      [Q, P, 8, 1024],
    ],
  });
  relay.block();
  const p = new TestParachain({ selfParaId: P });
  const q = new TestParachain({ selfParaId: Q });

  // A para's first block learns the host configuration; HRMP pages can leave from its second block on (cumulus
  // announces the page count in on_initialize from the configuration it already has).
  p.buildBlock(inherentOn(relay, P));
  // 2000 sends three XCMs to 2004 in a block on relay parent #1.
  const sent = [trapXcm(1), topicXcm(2), trapXcm(3)];
  const pb = p.buildBlock(inherentOn(relay, P), () => {
    for (const m of sent) {
      const v = validateSend(Q, m);
      if (!('ok' in v)) throw new Error(JSON.stringify(v));
      deliver(v.ok.ticket);
    }
  });
  expect(pb.outputs.horizontal_messages.map((m) => m.recipient)).toEqual([Q]);
  // The relay backs and includes it in #2; a downward message for 2004 is queued in the same block.
  const r2 = relay.block({
    candidates: [candidateOf(relay, P, pb.header, pb.outputs)],
    during: () => queueDownwardMessage(Q, trapXcm(9)),
  });
  expect(includes(r2.events, P)).toBe(true);
  expect(relay.read(() => HrmpChannelContents.get({ sender: P, recipient: Q })).length).toBe(1);

  // 2004 builds on #2: it proves the channel and the DMQ, takes both, reports watermark 2 and one downward message.
  const qb = q.buildBlock(inherentOn(relay, Q));
  expect(qb.outputs).toMatchObject({ hrmp_watermark: 2, processed_downward_messages: 1 });
  const r3 = relay.block({ candidates: [candidateOf(relay, Q, qb.header, qb.outputs)] });
  expect(includes(r3.events, Q)).toBe(true);
  // The relay pruned what 2004 took.
  relay.read(() => {
    expect(HrmpChannelContents.get({ sender: P, recipient: Q })).toEqual([]);
    expect(DownwardMessageQueues.get(Q)).toEqual([]);
  });

  // 2004's next block executes them: the downward message (Parent) and the three XCMs (Sibling 2000), in order.
  q.buildBlock(inherentOn(relay, Q));
  expect(q.executed.map(([o, m]) => [o.type, hex(m)])).toEqual([
    ['Parent', hex(trapXcm(9))],
    ...sent.map((m) => ['Sibling', hex(m)]),
  ]);
});
