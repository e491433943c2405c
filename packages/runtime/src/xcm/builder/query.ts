/**
 * xcm-executor `QueryHandler` (implemented by pallet-xcm): registering queries whose `QueryResponse` the chain
 * expects, wrapping a message so it reports its outcome, and taking responses.
 */
import type { Location, Response, Xcm } from '../index.ts';

/** `QueryResponseStatus<BlockNumber>`. */
export type QueryResponseStatus =
  | { type: 'Ready'; response: Response; at: number }
  | { type: 'Pending'; timeout: number }
  | { type: 'NotFound' }
  | { type: 'UnexpectedVersion' };

export interface QueryHandler {
  /** A new query id expecting a response from `responder` (querier `matchQuerier`) until block `timeout`. */
  newQuery(responder: Location, timeout: number, matchQuerier: Location): bigint;
  /**
   * Prepends `SetAppendix([ReportError { destination: us as responder sees us, query_id, max_weight: 0 }])` to
   * `message` and registers the query. Throws `XcmFailure(LocationNotInvertible)`.
   */
  reportOutcome(message: Xcm, responder: Location, timeout: number): { message: Xcm; queryId: bigint };
  /** Removes and returns a ready response. */
  takeResponse(queryId: bigint): QueryResponseStatus;
}
