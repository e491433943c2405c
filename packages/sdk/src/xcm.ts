/**
 * The XCM of a storage order sent with `polkadotXcm.send` (on a chain without the `xstorage` pallet), and the
 * account it acts for on Crust.
 *
 * `pallet_xcm::send` from a signed origin prefixes the message with `DescendOrigin(<the sender>)`, so on Crust the
 * message's origin is `(1, [Parachain(P), AccountId32|AccountKey20])`, converted by Crust's `HashedDescription`
 * into the user's own derived account: the order belongs to the user and is paid from that account. The rest is the
 * message the parachain pallet builds: `WithdrawAsset(CRU)`, `BuyExecution`, `Transact { SovereignAccount,
 * xstorage.place_storage_order_through_parachain(cid, size) }`, then `ExpectTransactStatus(Success)` (a signed sender
 * cannot register a query for `ReportTransactStatus`, so a refused order fails the message instead, visible in
 * Crust's `ProcessXcmError`), `RefundSurplus`, `DepositAsset` of the rest back to the account. The router adds
 * `SetTopic(id)`: the `messageId` of `polkadotXcm.Sent`, which Crust's `messageQueue.Processed` repeats.
 */
import { compactToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { AccountKind } from './networks.ts';

/**
 * xcm-builder's `HashedDescription<AccountId32, DescribeFamily<DescribeAllTerminal>>` of
 * `(1, [Parachain(paraId), AccountId32 { id } | AccountKey20 { key }])`: the account a user of a sibling chain acts
 * as on Crust. `blake2_256(b"SiblingChain" ‖ Compact(paraId) ‖ Vec(b"AccountId32" ‖ id))` (or `b"AccountKey20" ‖ key`).
 *
 * @example
 * u8aToHex(siblingUserAccount(2000, aliceId, 'sr25519'));
 */
export function siblingUserAccount(paraId: number, accountId: Uint8Array, kind: AccountKind): Uint8Array {
  const terminal = u8aConcat(stringToU8a(kind === 'ethereum' ? 'AccountKey20' : 'AccountId32'), accountId);
  return blake2AsU8a(
    u8aConcat(stringToU8a('SiblingChain'), compactToU8a(paraId), compactToU8a(terminal.length), terminal),
  );
}

/** `(1, [Parachain(paraId)])` in polkadot-js' V4 JSON. */
export function siblingLocation(paraId: number) {
  return { parents: 1, interior: { X1: [{ Parachain: paraId }] } };
}

export interface TransactMessageArgs {
  /** CRU (Crust's native token, `(0, Here)` there) to withdraw from the account for execution and the order. */
  fee: bigint;
  /** The SCALE-encoded call (pallet index, call index, args). */
  call: Uint8Array | string;
  /** The call's declared weight bound (`require_weight_at_most`). */
  weight: { refTime: bigint | number; proofSize: bigint | number };
  /** The account on Crust that gets what is left (the derived account itself). */
  refundTo: Uint8Array;
}

/**
 * The V4 message for `polkadotXcm.send(crust, message)`.
 *
 * @example
 * api.tx.polkadotXcm.send({ V4: siblingLocation(2008) }, transactMessage({ fee, call, weight, refundTo }));
 */
export function transactMessage(a: TransactMessageArgs) {
  const cru = { parents: 0, interior: 'Here' };
  return {
    V4: [
      { WithdrawAsset: [{ id: cru, fun: { Fungible: a.fee } }] },
      { BuyExecution: { fees: { id: cru, fun: { Fungible: a.fee } }, weightLimit: 'Unlimited' } },
      {
        Transact: {
          originKind: 'SovereignAccount',
          requireWeightAtMost: a.weight,
          call: { encoded: typeof a.call === 'string' ? a.call : u8aToHex(a.call) },
        },
      },
      { ExpectTransactStatus: 'Success' },
      'RefundSurplus',
      {
        DepositAsset: {
          assets: { Wild: { AllCounted: 1 } },
          beneficiary: { parents: 0, interior: { X1: [{ AccountId32: { id: u8aToHex(a.refundTo) } }] } },
        },
      },
    ],
  };
}
