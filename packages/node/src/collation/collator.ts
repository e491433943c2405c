/**
 * A parachain's collator (cumulus' collator service): on every new best relay block R it builds the next parachain
 * block on R — on the para head the relay chain holds at R (not its own best block: a block the relay rejected is
 * abandoned, the chain goes on from its last included block), with `set_validation_data` carrying R's validation
 * data, the downward and horizontal messages addressed to it and a proof of R's state at the well-known keys — then
 * proves the block (its PoV: the block and the parent state its execution touches), signs a candidate receipt with
 * the commitments the block's execution produced, and hands the collation to the relay chain's validators. The block
 * the relay chain included at R becomes final here.
 *
 * One build at a time; when the relay moves on during a build, the next build takes the newest relay block.
 */
import { HeaderCodec, headerHash } from '@xstorage/runtime/block';
import {
  buildParachainInherentData,
  parachainInherentDataEntry,
} from '@xstorage/runtime/pallets/parachain-system';
import { OccupiedCoreAssumptionCodec } from '@xstorage/runtime/pallets/relay';
import {
  type CandidateCommitments,
  type CandidateDescriptor,
  type CommittedCandidateReceipt,
  collatorSignaturePayload,
  headDataHash,
  InboundDownwardMessageCodec,
  InboundHrmpMessageCodec,
  type ParaId,
  ParaIdCodec,
  PersistedValidationDataCodec,
  persistedValidationDataHash,
  ValidationCodeHashCodec,
} from '@xstorage/runtime/parachains';
import { btreeMap, option, tuple, vec } from '@xstorage/runtime/scale';
import { Overlay } from '@xstorage/runtime/state';
import { type AuthorityKey, signWith } from '../chain/aura.ts';
import type { AuthoredBlock, Chain } from '../chain/chain.ts';
import { proveChainBlock } from '../chain/pov-recorder.ts';
import { TrieBackend } from '../chain/trie-backend.ts';
import { type Collation, encodePov, povHash } from './collation.ts';
import { readValidationOutputs } from './outputs.ts';
import type { RelayChainInterface, RelayHead } from './relay-interface.ts';

export interface CollatorOptions {
  chain: Chain;
  paraId: ParaId;
  /** Seals the parachain blocks and signs the candidates (the collator id). */
  key: AuthorityKey;
  relay: RelayChainInterface;
  /** Where collations go (the relay chain's validators). */
  submit: (collation: Collation) => Promise<unknown>;
  /** Where errors of background builds go. */
  onError?: (err: unknown) => void;
  /** Called with each collation built (tests, progress). */
  onCollation?: (c: { block: AuthoredBlock; relayParent: RelayHead; collation: Collation }) => void;
}

export class CollatorError extends Error {
  override name = 'CollatorError';
}

const assumption = tuple(ParaIdCodec, OccupiedCoreAssumptionCodec);
const optPvd = option(PersistedValidationDataCodec);
const optCodeHash = option(ValidationCodeHashCodec);
const dmq = vec(InboundDownwardMessageCodec);
const hrmp = btreeMap(ParaIdCodec, vec(InboundHrmpMessageCodec));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export class Collator {
  readonly paraId: ParaId;
  readonly #o: CollatorOptions;
  #unsubscribe: (() => void) | undefined;
  #building: Promise<void> | undefined;
  #next: RelayHead | undefined;
  #running = false;

  constructor(options: CollatorOptions) {
    this.#o = options;
    this.paraId = options.paraId;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#o.relay.onNewBest((head) => this.#relayAdvanced(head));
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#next = undefined;
    while (this.#building) await this.#building;
  }

  #relayAdvanced(head: RelayHead): void {
    if (!this.#running) return;
    this.#next = head;
    if (!this.#building) this.#building = this.#loop();
  }

  async #loop(): Promise<void> {
    try {
      while (this.#running && this.#next) {
        const relayParent = this.#next;
        this.#next = undefined;
        try {
          await this.collateOn(relayParent);
        } catch (err) {
          this.#o.onError?.(err);
        }
      }
    } finally {
      this.#building = undefined;
    }
  }

  /** Builds, proves and submits the parachain block on `relayParent`. */
  async collateOn(relayParent: RelayHead): Promise<Collation> {
    const { chain, relay, paraId, key } = this.#o;
    const at = relayParent.hash;
    const pvd = optPvd.decode(
      await relay.call(
        at,
        'ParachainHost_persisted_validation_data',
        assumption.encode([paraId, 'Included']),
      ),
    );
    const codeHash = optCodeHash.decode(
      await relay.call(at, 'ParachainHost_validation_code_hash', assumption.encode([paraId, 'Included'])),
    );
    if (!pvd || !codeHash) throw new CollatorError(`para ${paraId} is not registered on the relay chain`);
    const parentHash = headerHash(HeaderCodec.decode(pvd.parent_head));
    if (!(await chain.db.hasBlock(parentHash)))
      throw new CollatorError(
        `the relay chain holds para ${paraId}'s head 0x${hex(parentHash)}, which this node does not have (sync it first)`,
      );
    // What the relay chain included is final for the parachain.
    if (chain.db.finalized.number < HeaderCodec.decode(pvd.parent_head).number)
      await chain.finalize(parentHash);

    const state = await relay.stateView(at);
    const inherent = buildParachainInherentData({
      paraId,
      validationData: pvd,
      readRelay: state.read,
      proveRelay: state.prove,
      downwardMessages: dmq.decode(
        await relay.call(at, 'ParachainHost_dmq_contents', ParaIdCodec.encode(paraId)),
      ),
      horizontalMessages: hrmp.decode(
        await relay.call(at, 'ParachainHost_inbound_hrmp_channels_contents', ParaIdCodec.encode(paraId)),
      ),
    });
    const block = await chain.author(key, {
      parent: hex(parentHash) === hex(chain.bestHash) ? undefined : parentHash,
      inherentData: [parachainInherentDataEntry(inherent)],
    });

    const proven = await proveChainBlock(chain, block.hash, { readOutputs: readValidationOutputs });
    const post = await chain.trieAt(block.hash);
    const { outputs } = chain.runtime.runtime.execute(
      new Overlay(new TrieBackend(post)),
      readValidationOutputs,
    );
    const commitments: CandidateCommitments = {
      upward_messages: outputs.upward_messages,
      horizontal_messages: outputs.horizontal_messages,
      new_validation_code: outputs.new_validation_code,
      head_data: outputs.custom_head_data ?? HeaderCodec.encode(block.header),
      processed_downward_messages: outputs.processed_downward_messages,
      hrmp_watermark: outputs.hrmp_watermark,
    };
    const pov = encodePov({
      block: { header: block.header, extrinsics: block.extrinsics },
      proof: proven.proof,
    });
    const descriptor: CandidateDescriptor = {
      para_id: paraId,
      relay_parent: at,
      collator: key.publicKey,
      persisted_validation_data_hash: persistedValidationDataHash(pvd),
      pov_hash: povHash(pov),
      erasure_root: new Uint8Array(32),
      signature: new Uint8Array(64),
      para_head: headDataHash(commitments.head_data),
      validation_code_hash: codeHash,
    };
    descriptor.signature = signWith(key, collatorSignaturePayload(descriptor));
    const receipt: CommittedCandidateReceipt = { descriptor, commitments };
    const collation: Collation = { receipt, pov };
    this.#o.onCollation?.({ block, relayParent, collation });
    await this.#o.submit(collation);
    return collation;
  }
}
