/**
 * Crust's `SafeCallFilter`: the calls an XCM `Transact` may dispatch on Crust. Crust itself admits `Everything`; a
 * sibling is never trusted that far here (DESIGN §2), so only what a remote user needs to store files is admitted:
 *
 * - `Xstorage.place_storage_order_through_parachain` (call 0): the order parachains send;
 * - `Xstorage.place_storage_order` (call 1): an order paid with a registered flat fee;
 * - `Xstorage.place_storage_order_paying_with` (call 3): an order paid in the sender's token, swapped for CRU;
 * - `Market.place_storage_order`, `Market.add_prepaid`: the market's own order and renewal funding;
 * - `Balances.transfer_keep_alive`: a remote account moving its CRU (keep-alive, so an XCM never reaps the account it
 *   acts for mid-message).
 *
 * Everything else is refused: Sudo, System, Timestamp/ParachainSystem inherents, the XCMP/message queues, swork
 * registration and work reports (a worker's key signs those, never a remote chain), benefits' reserves, storage
 * challenge answers, the market's root setters and `calculate_reward`/`reward_merchant`, xstorage's
 * `register_storage_fee`, assets, other balance calls.
 */
import type { RuntimeCallValue } from '../../frame/pallet.ts';

/** Pallet name → call names a Transact may reach (the metadata's names). */
export const CRUST_XCM_TRANSACT_CALLS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  Xstorage: Object.freeze([
    'place_storage_order_through_parachain',
    'place_storage_order',
    'place_storage_order_paying_with',
  ]),
  Market: Object.freeze(['place_storage_order', 'add_prepaid']),
  Balances: Object.freeze(['transfer_keep_alive']),
});

/** `SafeCallFilter::contains(call)` for the Crust runtime's XCM executor. */
export function crustXcmCallFilter(call: RuntimeCallValue): boolean {
  const calls = Object.hasOwn(CRUST_XCM_TRANSACT_CALLS, call?.type)
    ? CRUST_XCM_TRANSACT_CALLS[call.type]
    : undefined;
  return calls !== undefined && typeof call.value?.type === 'string' && calls.includes(call.value.type);
}
