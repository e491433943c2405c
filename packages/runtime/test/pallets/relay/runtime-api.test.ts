/**
 * The ParachainHost runtime API (the subset a collator and the node use), called through `callApi` with SCALE
 * input and output as `state_call` would: the persisted validation data it gives at relay block P is the one a
 * candidate built on P must commit to (its storage root is P's header state root), and the message queues it reports
 * are the relay's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { H256 } from '../../../src/extrinsic/primitives.ts';
import { OccupiedCoreAssumptionCodec, queueDownwardMessage } from '../../../src/pallets/relay/index.ts';
import {
  CandidateCommitmentsCodec,
  CommittedCandidateReceiptCodec,
  InboundDownwardMessageCodec,
  InboundHrmpMessageCodec,
  ParaIdCodec,
  PersistedValidationDataCodec,
  persistedValidationDataHash,
  ValidationCodeHashCodec,
  ValidatorIdCodec,
  validationCodeHash,
} from '../../../src/parachains/index.ts';
import { bool, btreeMap, option, tuple, u32, vec } from '../../../src/scale/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { codeOf, eventsOf, genesisHeadOf, RelayChain, ready } from './relay-runtime.ts';

beforeAll(async () => {
  await ready;
});

function call(chain: RelayChain, method: string, input: Uint8Array): Uint8Array {
  return chain.rt.runtime.callApi(new Overlay(chain.backend), `ParachainHost_${method}`, input);
}
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const included = OccupiedCoreAssumptionCodec.encode('Included');

describe('ParachainHost', () => {
  it('persisted_validation_data at P is what a candidate on relay parent P must commit to', () => {
    const chain = new RelayChain({ preopen: [[2000, 2004, 4, 64]] });
    chain.block();
    chain.block();
    const raw = call(chain, 'persisted_validation_data', cat(ParaIdCodec.encode(2004), included));
    const pvd = option(PersistedValidationDataCodec).decode(raw)!;
    expect(pvd).toEqual({
      parent_head: genesisHeadOf(2004),
      relay_parent_number: 2,
      relay_parent_storage_root: chain.head.stateRoot,
      max_pov_size: 10_485_760,
    });
    // A candidate committing to exactly this goes in.
    const b = chain.candidate(2004);
    expect(b.candidate.descriptor.persisted_validation_data_hash).toEqual(persistedValidationDataHash(pvd));
    const out = chain.block({ candidates: [b] });
    expect(eventsOf(out, 'ParaInclusion', 'CandidateIncluded')).toHaveLength(1);
    // assumed_validation_data agrees, and refuses another hash.
    const assumed = option(tuple(PersistedValidationDataCodec, ValidationCodeHashCodec)).decode(
      call(chain, 'assumed_validation_data', cat(ParaIdCodec.encode(2004), H256.encode(new Uint8Array(32)))),
    );
    expect(assumed).toBeUndefined();
    expect(
      option(PersistedValidationDataCodec).decode(
        call(chain, 'persisted_validation_data', cat(ParaIdCodec.encode(4242), included)),
      ),
    ).toBeUndefined();
  });

  it('validation code, hashes, validators, session and nothing pending', () => {
    const chain = new RelayChain();
    expect(
      option(ValidationCodeHashCodec).decode(
        call(chain, 'validation_code_hash', cat(ParaIdCodec.encode(2008), included)),
      ),
    ).toEqual(validationCodeHash(codeOf(2008)));
    expect(call(chain, 'validation_code', cat(ParaIdCodec.encode(2008), included)).subarray(1)).toEqual(
      call(chain, 'validation_code_by_hash', validationCodeHash(codeOf(2008))).subarray(1),
    );
    expect(vec(ValidatorIdCodec).decode(call(chain, 'validators', new Uint8Array()))).toEqual([
      chain.alice.publicKey,
    ]);
    expect(u32.decode(call(chain, 'session_index_for_child', new Uint8Array()))).toBe(0);
    expect(
      option(CommittedCandidateReceiptCodec).decode(
        call(chain, 'candidate_pending_availability', ParaIdCodec.encode(2000)),
      ),
    ).toBeUndefined();
    expect(
      bool.decode(
        call(
          chain,
          'check_validation_outputs',
          cat(
            ParaIdCodec.encode(2000),
            CandidateCommitmentsCodec.encode({
              upward_messages: [],
              horizontal_messages: [{ recipient: 2004, data: Uint8Array.of(1) }],
              new_validation_code: undefined,
              head_data: Uint8Array.of(1),
              processed_downward_messages: 0,
              hrmp_watermark: 0,
            }),
          ),
        ),
      ),
    ).toBe(false); // no channel 2000 → 2004
  });

  it('session_index_for_child is the next block’s session (what backers sign in)', () => {
    const chain = new RelayChain({ sessionLength: 3 });
    chain.runTo(3);
    expect(u32.decode(call(chain, 'session_index_for_child', new Uint8Array()))).toBe(1);
    // A candidate on the last block of session 0, backed in session 1's first block, goes in.
    const out = chain.block({ candidates: [chain.candidate(2000)] });
    expect(eventsOf(out, 'ParaInclusion', 'CandidateIncluded')).toHaveLength(1);
  });

  it('dmq_contents and inbound_hrmp_channels_contents', () => {
    const chain = new RelayChain({
      preopen: [
        [2000, 2004, 4, 64],
        [2008, 2004, 4, 64],
      ],
    });
    chain.block({ during: () => void queueDownwardMessage(2004, Uint8Array.of(9, 9)) });
    chain.block({
      candidates: [
        chain.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: Uint8Array.of(5) }] }),
      ],
    });
    expect(
      vec(InboundDownwardMessageCodec).decode(call(chain, 'dmq_contents', ParaIdCodec.encode(2004))),
    ).toEqual([{ sent_at: 1, msg: Uint8Array.of(9, 9) }]);
    const inbound = btreeMap(ParaIdCodec, vec(InboundHrmpMessageCodec)).decode(
      call(chain, 'inbound_hrmp_channels_contents', ParaIdCodec.encode(2004)),
    );
    expect([...inbound.entries()]).toEqual([
      [2000, [{ sent_at: 2, data: Uint8Array.of(5) }]],
      [2008, []],
    ]);
  });

  it('refuses malformed input with a decode error', () => {
    const chain = new RelayChain();
    expect(() => call(chain, 'persisted_validation_data', Uint8Array.of(1, 2))).toThrow(
      /decode|bytes|input/i,
    );
    expect(() =>
      call(chain, 'persisted_validation_data', cat(ParaIdCodec.encode(2000), Uint8Array.of(7))),
    ).toThrow();
  });
});
