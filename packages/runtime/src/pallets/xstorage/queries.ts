/**
 * pallet-xcm's `new_notify_query(responder, notify, timeout, match_querier)` for this pallet: a query whose response
 * pallet-xcm dispatches as the notify call `(pallet_index, call_index, query_id, response)` with the
 * `Response(responder)` origin, accepted only from `responder` and, when the response names a querier, only for
 * `match_querier` (Rust's `Pallet::new_notify_query` → `do_new_query`). Built on the instance's `QueryCounter` and
 * `Queries` until pallet-xcm exports the function itself.
 */

import type { Location } from '../../xcm/index.ts';
import type { PalletXcmInstance } from '../xcm/index.ts';
import type { XstorageConfig } from './pallet.ts';

export function palletXcmNotifyQueries(xcm: PalletXcmInstance): XstorageConfig['newNotifyQuery'] {
  const { QueryCounter, Queries } = xcm.storage;
  const v5 = (l: Location) => ({ type: 'V5', value: l }) as const;
  return (responder, notify, timeout, matchQuerier) => {
    const id = QueryCounter.get();
    QueryCounter.set(id + 1n);
    Queries.set(id, {
      type: 'Pending',
      value: {
        responder: v5(responder),
        maybe_match_querier: v5(matchQuerier),
        maybe_notify: notify,
        timeout,
      },
    });
    return id;
  };
}
