/**
 * The cross-chain road between two test parachains through a relay state: para 2000's router queues XCMs for 2001,
 * its block's candidate carries one HRMP page (sorted outputs), the relay enacts it into the 2000 → 2001 channel
 * (MQC head extended), and 2001's next block proves the channel, takes the page, splits it and executes the XCMs
 * in order with origin Sibling(2000). The watermark and MQC heads then let the relay prune what 2001 took.
 */
import { beforeAll, expect, it } from 'vitest';
import { initCrypto } from '../../../src/crypto/index.ts';
import { HrmpWatermark, LastHrmpMqcHeads } from '../../../src/pallets/parachain-system/index.ts';
import { deliver, validateSend } from '../../../src/pallets/xcmp-queue/index.ts';
import { hex, topicXcm, trapXcm } from '../parachain-system/helpers.ts';
import { TestParachain } from '../parachain-system/test-parachain.ts';
import { TestRelay } from '../parachain-system/test-relay.ts';

beforeAll(() => initCrypto());

const P = 2000;
const Q = 2001;

it('XCMs sent by one parachain are executed by its sibling, in order, with none lost', () => {
  const relay = new TestRelay();
  relay.openChannel(P, Q);
  relay.openChannel(Q, P);
  const p = new TestParachain({ selfParaId: P });
  const q = new TestParachain({ selfParaId: Q });
  p.buildBlock(relay.inherentFor(P));
  q.buildBlock(relay.inherentFor(Q));

  const sent = [trapXcm(1), topicXcm(2), trapXcm(3)];
  relay.number = 2;
  const pb = p.buildBlock(relay.inherentFor(P), () => {
    for (const m of sent) {
      const v = validateSend(Q, m);
      if (!('ok' in v)) throw new Error(JSON.stringify(v));
      expect(deliver(v.ok.ticket)).toMatchObject({ ok: expect.any(Uint8Array) });
    }
  });
  expect(pb.outputs.horizontal_messages.map((m) => m.recipient)).toEqual([Q]);

  // The relay includes P's candidate: the page enters the channel at relay block 3.
  relay.number = 3;
  for (const m of pb.outputs.horizontal_messages) relay.sendHrmp(P, m.recipient, m.data);
  const qb = q.buildBlock(relay.inherentFor(Q));
  expect(qb.outputs.hrmp_watermark).toBe(3);
  q.read(() => {
    expect(HrmpWatermark.get()).toBe(3);
    expect(LastHrmpMqcHeads.get().get(P)).toEqual(relay.abridged(P, Q).mqc_head);
  });

  // Q's next block executes them (MessageQueue on_initialize), origin Sibling(P).
  relay.pruneHrmp(Q, qb.outputs.hrmp_watermark);
  relay.number = 4;
  q.buildBlock(relay.inherentFor(Q));
  expect(q.executed.map(([o, m]) => [o, hex(m)])).toEqual(
    sent.map((m) => [{ type: 'Sibling', value: P }, hex(m)]),
  );
});
