/**
 * ParachainSystem (cumulus-pallet-parachain-system) on a test parachain, with relay states built in our Trie at
 * polkadot-sdk's well-known keys: the inherent's proof is verified against the relay parent's storage root and read
 * for the host configuration, DMQ head, channels and upward room; messages must chain to the proven MQC heads, come
 * through open channels and be in order, or the inherent fails and the block cannot be built or imported. The
 * block records what the candidate commits to (processed downward count, HRMP watermark, outbound HRMP sorted by
 * recipient within each channel's room, upward messages within the relay's room) and the relay parent digest.
 * Rules and names from cumulus/pallets/parachain-system/src/lib.rs and relay_state_snapshot.rs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blake2_256, initCrypto } from '../../../src/crypto/index.ts';
import { wellKnownKeys } from '../../../src/parachains/index.ts';
import { downwardMqcHead, hrmpMqcHead } from '../../../src/parachains/messages.ts';
import { footprint } from '../../../src/pallets/message-queue/index.ts';
import {
  HostConfiguration,
  HrmpWatermark,
  LastDmqMqcHead,
  LastHrmpMqcHeads,
  LastRelayChainBlockNumber,
  ParachainSystem,
  ParachainSystemPanic,
  ProcessedDownwardMessages,
  RelevantMessagingState,
  storageProof,
  ValidationData,
} from '../../../src/pallets/parachain-system/index.ts';
import { compact, u32 } from '../../../src/scale/primitives.ts';
import { tuple } from '../../../src/scale/composite.ts';
import { H256 } from '../../../src/extrinsic/primitives.ts';
import { encodeExtrinsic } from '../../../src/extrinsic/unchecked-extrinsic.ts';
import { hex, trapXcm, xcmPage } from './helpers.ts';
import { PARA_ID, TestParachain } from './test-parachain.ts';
import { TestRelay } from './test-relay.ts';

beforeAll(() => initCrypto());

const SIBLING = 2001;
const OTHER = 2004;

/** Expects `fn` to throw a ParachainSystemPanic with `reason`. */
function panics(fn: () => unknown, reason: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ParachainSystemPanic);
    expect((err as ParachainSystemPanic).reason).toBe(reason);
    return;
  }
  throw new Error(`expected a ParachainSystemPanic(${reason})`);
}

function relayWithTraffic() {
  const relay = new TestRelay();
  relay.openChannel(SIBLING, PARA_ID);
  relay.openChannel(PARA_ID, SIBLING);
  relay.sendDownward(PARA_ID, trapXcm(1));
  relay.sendHrmp(SIBLING, PARA_ID, xcmPage(trapXcm(10), trapXcm(11)));
  relay.number = 2;
  relay.sendDownward(PARA_ID, trapXcm(2));
  relay.sendHrmp(SIBLING, PARA_ID, xcmPage(trapXcm(12)));
  relay.number = 3;
  return relay;
}

describe('set_validation_data', () => {
  it('takes proven downward and horizontal messages and records the count, watermark, MQC heads and relay state', () => {
    const relay = relayWithTraffic();
    const para = new TestParachain();
    const parent = para.snapshot();
    const block = para.buildBlock(relay.inherentFor(PARA_ID));

    para.read(() => {
      expect(ProcessedDownwardMessages.get()).toBe(2);
      // The newest sent_at among the horizontal messages taken.
      expect(HrmpWatermark.get()).toBe(2);
      expect(LastDmqMqcHead.get()).toEqual(downwardMqcHead(relay.dmq.get(PARA_ID)!));
      expect(LastHrmpMqcHeads.get()).toEqual(new Map([[SIBLING, relay.abridged(SIBLING, PARA_ID).mqc_head]]));
      expect(ValidationData.get()?.relay_parent_number).toBe(3);
      expect(LastRelayChainBlockNumber.get()).toBe(3);
      expect(HostConfiguration.get()).toEqual(relay.host);
      const snapshot = RelevantMessagingState.get()!;
      expect(snapshot.dmq_mqc_head).toEqual(relay.dmqHead.get(PARA_ID));
      expect(snapshot.ingress_channels).toEqual([[SIBLING, relay.abridged(SIBLING, PARA_ID)]]);
      expect(snapshot.egress_channels).toEqual([[SIBLING, relay.abridged(PARA_ID, SIBLING)]]);
      // Downward messages queue under Parent, the sibling's XCMs (split from their pages) under Sibling(2001).
      expect(footprint({ type: 'Parent' }).count).toBe(2n);
      expect(footprint({ type: 'Sibling', value: SIBLING }).count).toBe(3n);
    });
    expect(block.outputs).toMatchObject({ processed_downward_messages: 2, hrmp_watermark: 2 });
    expect(block.events.map(([, name]) => name)).toEqual(
      expect.arrayContaining(['DownwardMessagesReceived', 'DownwardMessagesProcessed']),
    );
    // cumulus rpsr_digest: Consensus(b"RPSR", (storage_root, Compact(number)).encode()).
    const rpsr = block.header.digest.logs.find((l) => l.type === 'Consensus')!;
    const root = relay.trie().root();
    expect(rpsr.value[0]).toEqual(new TextEncoder().encode('RPSR'));
    expect(hex(rpsr.value[1])).toBe(`${hex(root)}0c`);
    expect(tuple(H256, compact(u32)).decode(rpsr.value[1])).toEqual([root, 3]);

    // The next block executes the queued messages (MessageQueue on_initialize), in order per queue.
    relay.pruneDownward(PARA_ID, 2);
    relay.pruneHrmp(PARA_ID, 2);
    relay.number = 4;
    para.buildBlock(relay.inherentFor(PARA_ID));
    expect(para.executed.map(([o, m]) => [o.type, hex(m)])).toEqual([
      ['Parent', hex(trapXcm(1))],
      ['Parent', hex(trapXcm(2))],
      ['Sibling', hex(trapXcm(10))],
      ['Sibling', hex(trapXcm(11))],
      ['Sibling', hex(trapXcm(12))],
    ]);
    expect(para.read(() => HrmpWatermark.get())).toBe(4);

    // An importing node re-executes the block to the same state root.
    expect(() => para.importOnto(parent, block)).not.toThrow();
  });

  it('a forged relay state proof is refused: wrong root, missing node, altered validation data root', () => {
    const relay = relayWithTraffic();
    const para = new TestParachain();
    const good = relay.inherentFor(PARA_ID);

    const otherRelay = new TestRelay();
    otherRelay.host = { ...otherRelay.host, hrmp_max_message_num_per_candidate: 99 };
    const foreign = otherRelay.inherentFor(PARA_ID);
    panics(
      () => para.buildBlock({ ...good, relay_chain_state: foreign.relay_chain_state }),
      'InvalidRelayChainStateProof',
    );
    panics(
      () =>
        para.buildBlock({
          ...good,
          validation_data: { ...good.validation_data, relay_parent_storage_root: new Uint8Array(32).fill(9) },
        }),
      'InvalidRelayChainStateProof',
    );
    // Every node but the root: the entries below cannot be read.
    const nodes = [...good.relay_chain_state.trie_nodes];
    const rootOnly = nodes.filter(
      (n) => hex(blake2_256(n)) === hex(good.validation_data.relay_parent_storage_root),
    );
    panics(
      () => para.buildBlock({ ...good, relay_chain_state: storageProof(rootOnly) }),
      'InvalidRelayChainStateProof',
    );
    // A proof the collator made for the wrong para reads the wrong keys: our channels are not in it.
    panics(
      () => para.buildBlock({ ...good, relay_chain_state: relay.inherentFor(OTHER).relay_chain_state }),
      'InvalidRelayChainStateProof',
    );
    // A "root" that is no trie node: reading through it fails cleanly.
    const garbage = Uint8Array.from([0xff, 0x00, 0x13, 0x37, 0x42]);
    panics(
      () =>
        para.buildBlock({
          ...good,
          validation_data: { ...good.validation_data, relay_parent_storage_root: blake2_256(garbage) },
          relay_chain_state: storageProof([garbage]),
        }),
      'InvalidRelayChainStateProof',
    );
    // Nothing was written by the failed blocks.
    expect(para.read(() => LastRelayChainBlockNumber.get())).toBe(0);
    expect(para.buildBlock(good).outputs.processed_downward_messages).toBe(2);
  });

  it('an undecodable relay entry (host configuration, channel) fails the proof read', () => {
    const relay = relayWithTraffic();
    relay.raw.set(hex(wellKnownKeys.ACTIVE_CONFIG), Uint8Array.from([1, 2, 3]));
    panics(() => new TestParachain().buildBlock(relay.inherentFor(PARA_ID)), 'InvalidRelayChainStateProof');
    const relay2 = relayWithTraffic();
    relay2.raw.set(hex(wellKnownKeys.hrmpChannels({ sender: SIBLING, recipient: PARA_ID })), undefined);
    panics(() => new TestParachain().buildBlock(relay2.inherentFor(PARA_ID)), 'InvalidRelayChainStateProof');
  });

  it('downward messages that do not chain to the proven DMQ head are refused (altered, omitted, added)', () => {
    const relay = relayWithTraffic();
    const para = new TestParachain();
    const good = relay.inherentFor(PARA_ID);
    const [m1, m2] = good.downward_messages;
    panics(
      () => para.buildBlock({ ...good, downward_messages: [m1, { ...m2, msg: trapXcm(99) }] }),
      'DmqMqcHeadMismatch',
    );
    panics(() => para.buildBlock({ ...good, downward_messages: [m1] }), 'DmqMqcHeadMismatch');
    panics(() => para.buildBlock({ ...good, downward_messages: [m1, m2, m2] }), 'DmqMqcHeadMismatch');
    expect(() => para.buildBlock(good)).not.toThrow();
  });

  it('horizontal messages that do not chain to the channel head are refused; a channel cannot be skipped', () => {
    const relay = relayWithTraffic();
    const para = new TestParachain();
    const good = relay.inherentFor(PARA_ID);
    const [h1, h2] = good.horizontal_messages.get(SIBLING)!;
    panics(
      () =>
        para.buildBlock({
          ...good,
          horizontal_messages: new Map([[SIBLING, [h1, { ...h2, data: xcmPage(trapXcm(66)) }]]]),
        }),
      'HrmpMqcHeadMismatch',
    );
    // Censoring the whole channel leaves its head behind the relay's.
    panics(() => para.buildBlock({ ...good, horizontal_messages: new Map() }), 'HrmpMqcHeadMismatch');
    expect(hrmpMqcHead([h1, h2])).toEqual(relay.abridged(SIBLING, PARA_ID).mqc_head);
  });

  it('refuses messages from a para with no ingress channel', () => {
    const relay = relayWithTraffic();
    const para = new TestParachain();
    const good = relay.inherentFor(PARA_ID);
    const horizontal = new Map(good.horizontal_messages);
    horizontal.set(OTHER, [{ sent_at: 2, data: xcmPage(trapXcm(5)) }]);
    panics(() => para.buildBlock({ ...good, horizontal_messages: horizontal }), 'HrmpSenderWithoutChannel');
    // Even with no messages the key alone names a channel that does not exist.
    const empty = new Map(good.horizontal_messages);
    empty.set(OTHER, []);
    panics(() => para.buildBlock({ ...good, horizontal_messages: empty }), 'HrmpSenderWithoutChannel');
  });

  it('refuses sent_at going backwards or past the relay parent, downward and horizontal', () => {
    // A relay whose records run backwards (heads consistent with them): only the order check can catch it.
    const relay = new TestRelay();
    relay.openChannel(SIBLING, PARA_ID);
    relay.number = 5;
    relay.sendHrmp(SIBLING, PARA_ID, xcmPage(trapXcm(1)));
    relay.number = 3;
    relay.sendHrmp(SIBLING, PARA_ID, xcmPage(trapXcm(2)));
    relay.number = 6;
    panics(() => new TestParachain().buildBlock(relay.inherentFor(PARA_ID)), 'HorizontalMessageOrder');

    const future = new TestRelay();
    future.number = 8;
    future.sendDownward(PARA_ID, trapXcm(1));
    future.number = 7; // the inherent claims relay parent 7 with a message sent at 8
    panics(() => new TestParachain().buildBlock(future.inherentFor(PARA_ID)), 'DownwardMessageOrder');

    const backwards = new TestRelay();
    backwards.number = 4;
    backwards.sendDownward(PARA_ID, trapXcm(1));
    backwards.number = 2;
    backwards.sendDownward(PARA_ID, trapXcm(2));
    backwards.number = 5;
    panics(() => new TestParachain().buildBlock(backwards.inherentFor(PARA_ID)), 'DownwardMessageOrder');

    const hfuture = new TestRelay();
    hfuture.openChannel(SIBLING, PARA_ID);
    hfuture.number = 9;
    hfuture.sendHrmp(SIBLING, PARA_ID, xcmPage(trapXcm(1)));
    hfuture.number = 8;
    panics(() => new TestParachain().buildBlock(hfuture.inherentFor(PARA_ID)), 'HorizontalMessageOrder');
  });

  it('the relay parent may not go back (MonotonicallyIncreases) or repeat (StrictlyIncreases)', () => {
    const relay = new TestRelay();
    relay.number = 5;
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID));
    para.buildBlock(relay.inherentFor(PARA_ID)); // same relay parent: allowed
    relay.number = 4;
    panics(() => para.buildBlock(relay.inherentFor(PARA_ID)), 'RelayParentNumber');

    const strict = new TestParachain({ checkAssociatedRelayNumber: 'StrictlyIncreases' });
    relay.number = 5;
    strict.buildBlock(relay.inherentFor(PARA_ID));
    panics(() => strict.buildBlock(relay.inherentFor(PARA_ID)), 'RelayParentNumber');
  });

  it('a block without the inherent, or with it twice, is invalid', () => {
    const relay = new TestRelay();
    const para = new TestParachain();
    panics(() => para.buildBlock(undefined), 'ValidationDataMissing');
    const data = relay.inherentFor(PARA_ID);
    panics(
      () =>
        para.buildBlock(data, () => {
          para.chain.runtime.dispatch(ParachainSystem.tx.set_validation_data({ data }), { type: 'None' });
        }),
      'ValidationDataSetTwice',
    );
  });

  it('a block carrying a forged inherent fails import as it fails authoring', () => {
    const relay = relayWithTraffic();
    const para = new TestParachain();
    const parent = para.snapshot();
    const good = relay.inherentFor(PARA_ID);
    const block = para.buildBlock(good);
    const forged = {
      ...good,
      downward_messages: [good.downward_messages[0], { ...good.downward_messages[1], msg: trapXcm(77) }],
    };
    // Authoring with it fails...
    panics(
      () =>
        new TestParachain().buildBlock(
          undefined,
          undefined,
          ParachainSystem.tx.set_validation_data({ data: forged }),
        ),
      'DmqMqcHeadMismatch',
    );
    // ...and a block whose inherent was swapped for it does not import.
    const call = ParachainSystem.tx.set_validation_data({ data: forged });
    const swapped = { header: block.header, extrinsics: [encodeExtrinsic(para.chain.format, { call })] };
    panics(() => para.importOnto(parent, swapped), 'DmqMqcHeadMismatch');
    // The genuine block imports.
    expect(() => para.importOnto(parent, block)).not.toThrow();
  });
});
