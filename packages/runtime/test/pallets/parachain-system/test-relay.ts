/**
 * A relay chain's state as a parachain sees it through a storage proof, built with our Trie at polkadot-sdk's
 * well-known keys (primitives `well_known_keys`): the host configuration (the full `HostConfiguration` starts with
 * the abridged one, so extra bytes follow it here), the para's DMQ head and remaining upward room, HRMP channel
 * indexes and channels (an `HrmpChannel` starts with the abridged channel; its deposits follow), and the messages
 * the relay holds for the para, whose MQC heads it keeps up to date as the relay's dmp/hrmp pallets do.
 */
import { Trie } from '../../../src/trie/index.ts';
import { wellKnownKeys } from '../../../src/parachains/index.ts';
import {
  type AbridgedHostConfiguration,
  AbridgedHostConfigurationCodec,
  type AbridgedHrmpChannel,
  AbridgedHrmpChannelCodec,
  UpgradeGoAheadCodec,
  type UpgradeGoAhead,
  UpgradeRestrictionCodec,
} from '../../../src/parachains/host-config.ts';
import { HeadDataCodec, type ParaId, ParaIdCodec } from '../../../src/parachains/ids.ts';
import {
  EMPTY_MQC_HEAD,
  extendDownwardMqc,
  extendHrmpMqc,
  type InboundDownwardMessage,
  type InboundHrmpMessage,
} from '../../../src/parachains/messages.ts';
import { H256 } from '../../../src/extrinsic/primitives.ts';
import { vec } from '../../../src/scale/composite.ts';
import { u128 } from '../../../src/scale/primitives.ts';
import {
  buildParachainInherentData,
  type ParachainInherentData,
  RelayDispatchQueueRemainingCapacityCodec,
} from '../../../src/pallets/parachain-system/index.ts';

export const HOST_CONFIG: AbridgedHostConfiguration = {
  max_code_size: 3 * 1024 * 1024,
  max_head_data_size: 32 * 1024,
  max_upward_queue_count: 174_762,
  max_upward_queue_size: 1024 * 1024,
  max_upward_message_size: 65_531,
  max_upward_message_num_per_candidate: 16,
  hrmp_max_message_num_per_candidate: 10,
  validation_upgrade_cooldown: 20,
  validation_upgrade_delay: 10,
  async_backing_params: { max_candidate_depth: 3, allowed_ancestry_len: 2 },
};

export interface ChannelLimits {
  max_capacity: number;
  max_total_size: number;
  max_message_size: number;
}
/** Polkadot's HRMP channel limits (DESIGN.md §5). */
export const POLKADOT_CHANNEL: ChannelLimits = {
  max_capacity: 1000,
  max_total_size: 102_400,
  max_message_size: 102_400,
};

interface Channel extends ChannelLimits {
  contents: InboundHrmpMessage[];
  mqc_head: Uint8Array | undefined;
}

const key = (s: ParaId, r: ParaId) => `${s}->${r}`;

export class TestRelay {
  number = 1;
  host: AbridgedHostConfiguration = { ...HOST_CONFIG };
  readonly dmq = new Map<ParaId, InboundDownwardMessage[]>();
  readonly dmqHead = new Map<ParaId, Uint8Array>();
  readonly channels = new Map<string, Channel & { sender: ParaId; recipient: ParaId }>();
  readonly remaining = new Map<ParaId, { remaining_count: number; remaining_size: number }>();
  readonly heads = new Map<ParaId, Uint8Array>();
  readonly goAhead = new Map<ParaId, UpgradeGoAhead>();
  readonly restricted = new Set<ParaId>();
  /** Raw overrides applied last (hostile states). */
  readonly raw = new Map<string, Uint8Array | undefined>();

  openChannel(sender: ParaId, recipient: ParaId, limits: ChannelLimits = POLKADOT_CHANNEL): void {
    this.channels.set(key(sender, recipient), {
      sender,
      recipient,
      ...limits,
      contents: [],
      mqc_head: undefined,
    });
  }

  /** As `Hrmp::queue_outbound_hrmp`: appended at the current relay block, MQC head extended. */
  sendHrmp(sender: ParaId, recipient: ParaId, data: Uint8Array): void {
    const c = this.channels.get(key(sender, recipient));
    if (!c) throw new Error(`no channel ${sender} -> ${recipient}`);
    const m = { sent_at: this.number, data };
    c.contents.push(m);
    c.mqc_head = extendHrmpMqc(c.mqc_head ?? EMPTY_MQC_HEAD, m);
  }

  /** As `Dmp::queue_downward_message`. */
  sendDownward(para: ParaId, msg: Uint8Array): void {
    const m = { sent_at: this.number, msg };
    this.dmq.set(para, [...(this.dmq.get(para) ?? []), m]);
    this.dmqHead.set(para, extendDownwardMqc(this.dmqHead.get(para) ?? EMPTY_MQC_HEAD, m));
  }

  /** As the relay does once a candidate is included: `processed` downward messages leave the queue. */
  pruneDownward(para: ParaId, processed: number): void {
    this.dmq.set(para, (this.dmq.get(para) ?? []).slice(processed));
  }

  /** HRMP contents up to `watermark` leave the channels to `recipient`. */
  pruneHrmp(recipient: ParaId, watermark: number): void {
    for (const c of this.channels.values()) {
      if (c.recipient !== recipient) continue;
      c.contents = c.contents.filter((m) => m.sent_at > watermark);
    }
  }

  /** What the relay's channel record holds (msg_count/total_size of the messages not yet taken). */
  abridged(sender: ParaId, recipient: ParaId): AbridgedHrmpChannel {
    const c = this.channels.get(key(sender, recipient))!;
    return {
      max_capacity: c.max_capacity,
      max_total_size: c.max_total_size,
      max_message_size: c.max_message_size,
      msg_count: c.contents.length,
      total_size: c.contents.reduce((s, m) => s + m.data.length, 0),
      mqc_head: c.mqc_head,
    };
  }

  /** The relay state trie at the current block. */
  trie(): Trie {
    const t = new Trie({ version: 1 });
    // Extra bytes after the abridged prefix, as the full HostConfiguration has.
    const cfg = AbridgedHostConfigurationCodec.encode(this.host);
    t.set(wellKnownKeys.ACTIVE_CONFIG, Uint8Array.from([...cfg, 1, 2, 3, 4, 5, 6, 7, 8]));
    const paras = new Set<ParaId>([
      ...this.dmq.keys(),
      ...this.remaining.keys(),
      ...this.heads.keys(),
      ...this.goAhead.keys(),
      ...this.restricted,
    ]);
    for (const c of this.channels.values()) paras.add(c.sender).add(c.recipient);
    for (const id of paras) {
      const head = this.dmqHead.get(id);
      if (head) t.set(wellKnownKeys.dmqMqcHead(id), H256.encode(head));
      const room = this.remaining.get(id);
      if (room)
        t.set(
          wellKnownKeys.relayDispatchQueueRemainingCapacity(id),
          RelayDispatchQueueRemainingCapacityCodec.encode(room),
        );
      const ingress = [...this.channels.values()]
        .filter((c) => c.recipient === id)
        .map((c) => c.sender)
        .sort((a, b) => a - b);
      const egress = [...this.channels.values()]
        .filter((c) => c.sender === id)
        .map((c) => c.recipient)
        .sort((a, b) => a - b);
      if (ingress.length) t.set(wellKnownKeys.hrmpIngressChannelIndex(id), vec(ParaIdCodec).encode(ingress));
      if (egress.length) t.set(wellKnownKeys.hrmpEgressChannelIndex(id), vec(ParaIdCodec).encode(egress));
      const ph = this.heads.get(id);
      if (ph) t.set(wellKnownKeys.paraHead(id), HeadDataCodec.encode(ph));
      const ga = this.goAhead.get(id);
      if (ga) t.set(wellKnownKeys.upgradeGoAheadSignal(id), UpgradeGoAheadCodec.encode(ga));
      if (this.restricted.has(id))
        t.set(wellKnownKeys.upgradeRestrictionSignal(id), UpgradeRestrictionCodec.encode('Present'));
    }
    for (const c of this.channels.values()) {
      // HrmpChannel = abridged fields then sender_deposit, recipient_deposit (u128 each).
      const full = [
        ...AbridgedHrmpChannelCodec.encode(this.abridged(c.sender, c.recipient)),
        ...u128.encode(10n ** 10n),
        ...u128.encode(10n ** 10n),
      ];
      t.set(wellKnownKeys.hrmpChannels({ sender: c.sender, recipient: c.recipient }), Uint8Array.from(full));
    }
    for (const [k, v] of this.raw) {
      const kb = Buffer.from(k, 'hex');
      if (v === undefined) t.delete(kb);
      else t.set(kb, v);
    }
    return t;
  }

  /** The inherent data a collator of `para` builds on the current relay block (parent head `parentHead`). */
  inherentFor(para: ParaId, parentHead: Uint8Array = new Uint8Array(0)): ParachainInherentData {
    const t = this.trie();
    const horizontal = new Map<ParaId, InboundHrmpMessage[]>();
    for (const c of this.channels.values())
      if (c.recipient === para && c.contents.length) horizontal.set(c.sender, [...c.contents]);
    return buildParachainInherentData({
      paraId: para,
      validationData: {
        parent_head: parentHead,
        relay_parent_number: this.number,
        relay_parent_storage_root: t.root(),
        max_pov_size: 5 * 1024 * 1024,
      },
      readRelay: (k) => t.get(k),
      proveRelay: (keys) => t.proof(keys),
      downwardMessages: [...(this.dmq.get(para) ?? [])],
      horizontalMessages: horizontal,
    });
  }
}
