/**
 * `Transact` (after polkadot-sdk's `tests/transacting.rs` and the parachain template's origin converters): the
 * OriginConverter per OriginKind (SovereignAccount, Native, Superuser refused for siblings, Xcm), the
 * SafeCallFilter, undecodable calls, the call's weight in the message weight and its unused part refunded, and the
 * transact status register (`MaybeErrorCode` from the dispatch error, ReportTransactStatus, Expect/ClearTransactStatus).
 */
import { describe, expect, it } from 'vitest';
import { DispatchErrorCodec } from '../../../src/frame/dispatch-error.ts';
import {
  hashedFamilyDescription,
  type Instruction,
  parachain,
  parent,
  siblingParachain,
  xcmWeight,
} from '../../../src/xcm/index.ts';
import { buy, complete, incomplete, run, runPaid, transact, withdraw } from './helpers.ts';
import {
  ALICE,
  accountLocation,
  Counter,
  describeOrigin,
  inBlock,
  LastOrigin,
  native,
  sent,
  siblingSovereign,
  UNIT,
  XcmTest,
} from './mock.ts';

const sibling2000 = siblingParachain(2000);
const last = () => new TextDecoder().decode(LastOrigin.get());
const paid = (...rest: Instruction[]) => [withdraw(native(10n * UNIT)), buy(native(UNIT)), ...rest];
const recordWeight = { refTime: 4_000_000, proofSize: 1_000 }; // what `record` reports it used
const unpaid: Instruction = {
  type: 'UnpaidExecution',
  value: { weight_limit: { type: 'Unlimited' }, check_origin: undefined },
};

describe('Transact origins', () => {
  it('SovereignAccount: the sibling`s sovereign account signs', () => {
    inBlock(() => {
      const r = run(sibling2000, paid(transact(XcmTest.tx.record({ value: 1 }), 'SovereignAccount')));
      expect(r.outcome).toEqual(complete(3, recordWeight));
      expect(last()).toBe(`Signed(${Buffer.from(siblingSovereign(2000)).toString('hex')})`);
    });
  });

  it('SovereignAccount after DescendOrigin: the remote user`s derived account (HashedDescription) signs', () => {
    inBlock(() => {
      const user = accountLocation(ALICE).interior;
      const r = run(sibling2000, [
        ...paid(),
        { type: 'DescendOrigin', value: user },
        transact(XcmTest.tx.record({ value: 2 }), 'SovereignAccount'),
      ]);
      expect(r.outcome).toEqual(complete(4, recordWeight));
      const derived = hashedFamilyDescription({ parents: 1, interior: [parachain(2000), ...user] })!;
      expect(last()).toBe(`Signed(${Buffer.from(derived).toString('hex')})`);
    });
  });

  it('Native: a sibling is SiblingParachain(id); a local account is Signed(itself)', () => {
    inBlock(() => {
      run(sibling2000, paid(transact(XcmTest.tx.record({ value: 3 }), 'Native')));
      expect(last()).toBe('SiblingParachain(2000)');
      runPaid(accountLocation(ALICE), [transact(XcmTest.tx.record({ value: 3 }), 'Native')]);
      expect(last()).toBe(describeOrigin({ type: 'Signed', who: ALICE }));
    });
  });

  it('Superuser: refused for a sibling (BadOrigin, nothing dispatched); the relay (parent) is Root', () => {
    inBlock(() => {
      const r = run(sibling2000, paid(transact(XcmTest.tx.root_only({}), 'Superuser')));
      // The failing Transact is charged its call's declared weight: nothing of it ran, nothing is refunded.
      expect(r.outcome).toEqual(
        incomplete(3, 2, { type: 'BadOrigin' }, { refTime: 5_000_000, proofSize: 0 }),
      );
      expect(Counter.get()).toBe(0);
      const relay = run(parent(), [unpaid, transact(XcmTest.tx.root_only({}), 'Superuser')]);
      expect(relay.outcome).toEqual(complete(2, { refTime: 5_000_000, proofSize: 0 }));
      expect(Counter.get()).toBe(42);
    });
  });

  it('Xcm: the call sees pallet-xcm`s Xcm(location) origin', () => {
    inBlock(() => {
      const r = run(sibling2000, paid(transact(XcmTest.tx.xcm_only({}), 'Xcm')));
      expect(r.outcome).toEqual(complete(3, { refTime: 1_000, proofSize: 0 }));
      expect(last()).toBe(describeOrigin({ type: 'Xcm', location: sibling2000 }));
      // The same call with a signed origin fails inside the dispatch (reported in the transact status, not as an error).
      const signed = run(sibling2000, paid(transact(XcmTest.tx.xcm_only({}), 'SovereignAccount')));
      expect(signed.outcome).toEqual(complete(3, { refTime: 1_000, proofSize: 0 }));
    });
  });
});

describe('Transact checks', () => {
  it('the SafeCallFilter refuses a disallowed call: NoPermission, nothing dispatched', () => {
    inBlock(() => {
      const r = run(sibling2000, paid(transact(XcmTest.tx.forbidden({}), 'SovereignAccount')));
      expect(r.outcome).toEqual(incomplete(3, 2, { type: 'NoPermission' }, { refTime: 1_000, proofSize: 0 }));
      expect(Counter.get()).toBe(0);
    });
  });

  it('a call that does not decode cannot be weighed: the message fails before it runs (FailedToDecode)', () => {
    inBlock(() => {
      const bad: Instruction = {
        type: 'Transact',
        value: {
          origin_kind: { type: 'SovereignAccount' },
          fallback_max_weight: xcmWeight(1e9, 0),
          call: { encoded: new Uint8Array([99, 200]) },
        },
      };
      const r = run(sibling2000, paid(bad));
      expect(r.outcome).toEqual({ type: 'Error', value: { index: 2, error: { type: 'FailedToDecode' } } });
    });
  });

  it('without an origin (after ClearOrigin): BadOrigin', () => {
    inBlock(() => {
      const r = run(
        sibling2000,
        paid({ type: 'ClearOrigin' }, transact(XcmTest.tx.record({ value: 1 }), 'SovereignAccount')),
      );
      expect(r.outcome).toEqual(
        incomplete(4, 3, { type: 'BadOrigin' }, { refTime: 10_000_000, proofSize: 1_000 }),
      );
    });
  });
});

describe('the transact status register', () => {
  it('a failed dispatch is recorded as MaybeErrorCode::Error(encoded DispatchError) and reported', () => {
    inBlock(() => {
      const info = { destination: sibling2000, query_id: 11n, max_weight: xcmWeight(0, 0) };
      // DispatchError::Module { index: 99 (XcmTest), error: [0, 0, 0, 0] } = 0x03 63 00000000 (sp-runtime's encoding).
      const encoded = new Uint8Array([3, 99, 0, 0, 0, 0]);
      expect(
        DispatchErrorCodec.encode({ type: 'Module', value: { index: 99, error: new Uint8Array(4) } }),
      ).toEqual(encoded);
      const r = run(sibling2000, [
        ...paid(transact(XcmTest.tx.fail({}), 'SovereignAccount')),
        { type: 'ExpectTransactStatus', value: { type: 'Error', value: encoded } },
        { type: 'ReportTransactStatus', value: info },
        { type: 'ClearTransactStatus' },
        { type: 'ExpectTransactStatus', value: { type: 'Success' } },
      ]);
      expect(r.outcome).toEqual(complete(7, { refTime: 5_000_000, proofSize: 0 }));
      expect(sent[0].message).toEqual([
        {
          type: 'QueryResponse',
          value: {
            query_id: 11n,
            response: { type: 'DispatchResult', value: { type: 'Error', value: encoded } },
            max_weight: xcmWeight(0, 0),
            querier: { parents: 0, interior: [] },
          },
        },
      ]);
    });
  });

  it('a successful dispatch is Success; ExpectTransactStatus of an error then fails', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        ...paid(transact(XcmTest.tx.record({ value: 5 }), 'SovereignAccount')),
        { type: 'ExpectTransactStatus', value: { type: 'Error', value: new Uint8Array([1]) } },
      ]);
      expect(r.outcome).toEqual(incomplete(4, 3, { type: 'ExpectationFalse' }, recordWeight));
      expect(Counter.get()).toBe(5);
    });
  });
});
