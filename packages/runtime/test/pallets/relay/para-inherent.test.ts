/**
 * The paras inherent as block authors and attackers use it: missing or undecodable inherent data, a wrong parent
 * header, a second `enter`, a block without it, a non-None origin, and oversized or hostile candidates: each gives a
 * clear typed error (or a rejected candidate) and nothing moves.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { noneOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import {
  Heads,
  ParaInherent,
  ParaInherentError,
  ParaInherentPanic,
  ParasInherentDataError,
  paraInherentProvider,
} from '../../../src/pallets/relay/index.ts';
import { Timestamp } from '../../../src/pallets/timestamp/index.ts';
import { PARACHAINS_INHERENT_IDENTIFIER } from '../../../src/parachains/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { eventsOf, genesisHeadOf, RelayChain, ready } from './relay-runtime.ts';

beforeAll(async () => {
  await ready;
});

const id = new TextEncoder().encode(PARACHAINS_INHERENT_IDENTIFIER);

describe('inherent data', () => {
  it('missing or undecodable data is a ParasInherentDataError', () => {
    const chain = new RelayChain();
    chain.read(() => {
      expect(() => paraInherentProvider.create(new Map())).toThrow(ParasInherentDataError);
      expect(() =>
        paraInherentProvider.create(new Map([[id, Uint8Array.of(0xff, 0xff, 0xff, 0xff)]])),
      ).toThrow(/not a ParachainsInherentData/);
    });
  });

  it('a parent header that is not the parent makes the block invalid (InvalidParentHeader, Mandatory)', () => {
    const chain = new RelayChain();
    chain.block();
    const wrong = { ...chain.head, number: 99 };
    expect(() => chain.block({ parentHeader: wrong })).toThrow(/BadMandatory/);
    let outcome: ReturnType<RelayChain['dispatch']> | undefined;
    chain.block({
      during: () => {
        outcome = chain.dispatch(
          ParaInherent.tx.enter({
            data: { bitfields: [], backed_candidates: [], disputes: [], parent_header: chain.head },
          }),
          noneOrigin(),
        );
      },
    });
    expect(outcome!.ok).toBe(false);
    chain.read(() =>
      expect(outcome!.ok === false && ParaInherentError.is(outcome!.error, 'TooManyInclusionInherents')).toBe(
        true,
      ),
    );
  });

  it('only the None origin may enter', () => {
    const chain = new RelayChain();
    let outcome: ReturnType<RelayChain['dispatch']> | undefined;
    chain.block({
      during: () => {
        outcome = chain.dispatch(
          ParaInherent.tx.enter({
            data: { bitfields: [], backed_candidates: [], disputes: [], parent_header: chain.head },
          }),
          signedOrigin(chain.alice.publicKey),
        );
      },
    });
    expect(outcome).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
  });

  it('a block without the inherent cannot be finalized (ParaInherentPanic)', () => {
    const chain = new RelayChain();
    const { executive, runtime } = chain.rt;
    const overlay = new Overlay(chain.backend);
    expect(() =>
      runtime.execute(overlay, () => {
        executive.initializeBlock({
          parentHash: chain.headHash,
          number: 1,
          stateRoot: new Uint8Array(32),
          extrinsicsRoot: new Uint8Array(32),
          digest: { logs: [] },
        });
        expect(runtime.dispatch(Timestamp.tx.set({ now: chain.time }), noneOrigin()).ok).toBe(true);
        executive.finalizeBlock();
      }),
    ).toThrow(ParaInherentPanic);
  });
});

describe('hostile candidates', () => {
  it('an oversized head, hundreds of copies, junk signatures: all refused, the para stays', () => {
    const chain = new RelayChain();
    chain.block();
    const huge = chain.candidate(2000, { head_data: new Uint8Array(2 * 1024 * 1024) });
    const copy = chain.candidate(2004);
    const junk = chain.candidate(2008, {}, { tamperSigned: (r) => r.descriptor.signature.fill(0) });
    const out = chain.block({ candidates: [huge, junk, ...Array.from({ length: 200 }, () => copy)] });
    const reasons = eventsOf(out, 'ParaInclusion', 'CandidateRejected').map((e) => e.fields.reason.type);
    expect(reasons.slice(0, 2)).toEqual(['HeadDataTooLarge', 'NotCollatorSigned']);
    expect(reasons.slice(2)).toEqual(Array(199).fill('DuplicateCandidate'));
    expect(eventsOf(out, 'ParaInclusion', 'CandidateIncluded')).toHaveLength(1);
    chain.read(() => {
      expect(Heads.get(2000)).toEqual(genesisHeadOf(2000));
      expect(Heads.get(2008)).toEqual(genesisHeadOf(2008));
    });
  });

  it('a candidate with a malformed validator bitfield or too many votes is InvalidBacking', () => {
    const chain = new RelayChain();
    chain.block();
    const a = chain.candidate(2000);
    a.validator_indices = [true, true];
    const b = chain.candidate(2004);
    b.validity_votes = [...b.validity_votes, ...b.validity_votes];
    const out = chain.block({ candidates: [a, b] });
    expect(eventsOf(out, 'ParaInclusion', 'CandidateRejected').map((e) => e.fields.reason.type)).toEqual([
      'InvalidBacking',
      'InvalidBacking',
    ]);
  });
});
