/**
 * Candidate backing on the relay chain's validator (polkadot's candidate-backing subsystem, for a validator set this
 * node holds the keys of): collations arrive from collators, are validated one at a time (candidate-validation.ts),
 * and a valid one is backed with this validator's signed `Seconded` statement. The block author then puts the
 * backed candidates into its block through the `parachn0` inherent (provisioner): for each para the newest
 * candidate built on a recent relay parent. The runtime (ParaInclusion) checks them again and includes them.
 */
import type { Header } from '@xstorage/runtime/block';
import { parachainsInherentData } from '@xstorage/runtime/pallets/relay';
import {
  type BackedCandidate,
  candidateHash,
  compactStatementPayload,
  type ParaId,
  ValidatorIdCodec,
} from '@xstorage/runtime/parachains';
import { u32, vec } from '@xstorage/runtime/scale';
import { type AuthorityKey, signWith } from '../chain/aura.ts';
import type { InherentDataProvider } from '../chain/chain.ts';
import type { Collation } from '../collation/collation.ts';
import type { RelayChainInterface } from '../collation/relay-interface.ts';
import { InvalidCandidateError, validateCollation } from './candidate-validation.ts';
import type { ParaCodeRegistry } from './para-code.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export interface BackingOptions {
  relay: RelayChainInterface;
  codes: ParaCodeRegistry;
  /** This node's validator key (sr25519). */
  validator: AuthorityKey;
  /** Relay blocks a backed candidate stays offered for after its relay parent (default 2). */
  maxRelayParentAge?: number;
  /** Each collation's fate (tests, logs). */
  onCollation?: (event: BackingEvent) => void;
}

export type BackingEvent =
  | { kind: 'backed'; para: ParaId; candidateHash: Uint8Array; relayParentNumber: number }
  | { kind: 'invalid'; para: ParaId; reason: string; message: string };

interface Backed {
  candidate: BackedCandidate;
  relayParentNumber: number;
}

export class CandidateBacking {
  readonly #o: BackingOptions;
  /** The newest backed candidate per para. */
  readonly #backed = new Map<ParaId, Backed>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: BackingOptions) {
    this.#o = options;
  }

  /**
   * A collator's collation: validated in turn, backed if valid. Resolves to the backing event (an invalid collation
   * is not an error of the caller's call: it resolves with `kind: 'invalid'`).
   */
  submit(collation: Collation): Promise<BackingEvent> {
    const run = this.#queue.then(() => this.#validateAndBack(collation));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #validateAndBack(collation: Collation): Promise<BackingEvent> {
    const para = collation.receipt.descriptor.para_id;
    let event: BackingEvent;
    try {
      const v = await validateCollation(this.#o.relay, this.#o.codes, collation);
      const candidate = await this.#sign(v.receipt, v.pvd.relay_parent_number);
      const prev = this.#backed.get(para);
      if (!prev || prev.relayParentNumber <= v.pvd.relay_parent_number)
        this.#backed.set(para, { candidate, relayParentNumber: v.pvd.relay_parent_number });
      event = {
        kind: 'backed',
        para,
        candidateHash: candidateHash(v.receipt),
        relayParentNumber: v.pvd.relay_parent_number,
      };
    } catch (err) {
      if (!(err instanceof InvalidCandidateError)) throw err;
      event = { kind: 'invalid', para, reason: err.reason, message: err.message };
    }
    this.#o.onCollation?.(event);
    return event;
  }

  async #sign(receipt: BackedCandidate['candidate'], _relayParentNumber: number): Promise<BackedCandidate> {
    const { relay, validator } = this.#o;
    const at = receipt.descriptor.relay_parent;
    const validators = vec(ValidatorIdCodec).decode(
      await relay.call(at, 'ParachainHost_validators', new Uint8Array()),
    );
    const index = validators.findIndex((v) => hex(v) === hex(validator.publicKey));
    if (index < 0)
      throw new InvalidCandidateError('UnknownRelayParent', 'this node is not a validator there');
    const session = u32.decode(
      await relay.call(at, 'ParachainHost_session_index_for_child', new Uint8Array()),
    );
    const payload = compactStatementPayload('Seconded', candidateHash(receipt), {
      session_index: session,
      parent_hash: at,
    });
    const signature = signWith(validator, payload);
    return {
      candidate: receipt,
      validity_votes: [{ type: 'Implicit', value: signature }],
      validator_indices: validators.map((_, i) => i === index),
    };
  }

  /** The `parachn0` inherent data for a relay block on `parent`: what is backed on a recent relay parent. */
  readonly inherentDataProvider: InherentDataProvider = ({ parent }) => {
    const maxAge = this.#o.maxRelayParentAge ?? 2;
    const candidates: BackedCandidate[] = [];
    for (const [para, b] of this.#backed) {
      if (b.relayParentNumber + maxAge <= parent.number) {
        this.#backed.delete(para);
        continue;
      }
      candidates.push(b.candidate);
    }
    return [parachainsInherentData(inherentDataFor(candidates, parent))];
  };

  /** Forget candidates that went into a block (their para's head moved on). */
  noteIncluded(paras: Iterable<ParaId>): void {
    for (const p of paras) this.#backed.delete(p);
  }
}

function inherentDataFor(candidates: BackedCandidate[], parent: Header) {
  return { bitfields: [], backed_candidates: candidates, disputes: [], parent_header: parent };
}
