/**
 * The relay chain's XCM configuration: what executes upward messages from MessageQueue.
 * TODO(xcm): the executor is being wired; until then every message is left unprocessed (success: false).
 */
import type { ProcessMessageArgs, ProcessMessageOutcome } from '../../pallets/message-queue/index.ts';
import { weight } from '../../frame/weights.ts';
import type { RelayMessageOrigin } from './messaging.ts';

export function relayProcessMessage(_args: ProcessMessageArgs<RelayMessageOrigin>): ProcessMessageOutcome {
  return { ok: true, success: false, weightUsed: weight(0) };
}
