/**
 * A parachain's XCM configuration: what executes the messages MessageQueue holds (from the relay: `Parent`; from
 * siblings: `Sibling(id)`).
 * TODO(xcm): the executor is being wired; until then every message is left unprocessed (success: false).
 */
import { weight } from '../../frame/weights.ts';
import type { ProcessMessageArgs, ProcessMessageOutcome } from '../../pallets/message-queue/index.ts';
import type { AggregateMessageOrigin } from '../../pallets/parachain-system/index.ts';
import type { ParachainData } from './chains.ts';

export function parachainProcessMessage(
  _data: ParachainData,
): (args: ProcessMessageArgs<AggregateMessageOrigin>) => ProcessMessageOutcome {
  return () => ({ ok: true, success: false, weightUsed: weight(0) });
}
