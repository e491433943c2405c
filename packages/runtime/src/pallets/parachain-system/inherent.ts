/**
 * The parachain side's `InherentProvider` for `set_validation_data` (cumulus parachain-system `ProvideInherent`,
 * identifier `sysi1337`): the collator puts `ParachainInherentData` into the inherent data; `create` drops the
 * messages an earlier block already took (sent at or before the last relay parent) and makes the call. There is
 * no separate check: the call's own checks (proof, MQC heads, channels, order) decide whether a block is valid.
 */
import { inherentData, type InherentProvider } from '../../executive/inherents.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import { LastRelayChainBlockNumber } from './items.ts';
import { ParachainSystem } from './pallet.ts';
import {
  PARACHAIN_INHERENT_IDENTIFIER,
  type ParachainInherentData,
  ParachainInherentDataCodec,
} from './types.ts';

export class ParachainInherentDataError extends Error {
  override name = 'ParachainInherentDataError';
}

/** The inherent data entry `[identifier, SCALE(data)]` a collator adds. */
export function parachainInherentDataEntry(data: ParachainInherentData): [Uint8Array, Uint8Array] {
  return [new TextEncoder().encode(PARACHAIN_INHERENT_IDENTIFIER), ParachainInherentDataCodec.encode(data)];
}

/** Reads the `sysi1337` entry (as `InherentData::get_data`: a prefix decode). */
export function readParachainInherentData(data: Map<Uint8Array, Uint8Array>): ParachainInherentData {
  const raw = inherentData(data, PARACHAIN_INHERENT_IDENTIFIER);
  if (raw === undefined)
    throw new ParachainInherentDataError('validation function params are always injected into inherent data');
  try {
    return ParachainInherentDataCodec.decodeAt(raw, 0)[0];
  } catch (err) {
    throw new ParachainInherentDataError(
      `parachain inherent data does not decode: ${(err as Error).message}`,
    );
  }
}

/** `drop_processed_messages_from_inherent`: messages sent at or before the last relay parent were taken already. */
export function dropProcessedMessages(
  data: ParachainInherentData,
  lastRelayBlockNumber: number,
): ParachainInherentData {
  const fresh = <M extends { sent_at: number }>(messages: M[]) => {
    let i = 0;
    while (i < messages.length && messages[i].sent_at <= lastRelayBlockNumber) i++;
    return messages.slice(i);
  };
  return {
    ...data,
    downward_messages: fresh(data.downward_messages),
    horizontal_messages: new Map([...data.horizontal_messages].map(([sender, ms]) => [sender, fresh(ms)])),
  };
}

const isSetValidationData = (call: RuntimeCallValue) =>
  call.type === 'ParachainSystem' && call.value.type === 'set_validation_data';

export const parachainSystemInherent: InherentProvider = {
  identifier: PARACHAIN_INHERENT_IDENTIFIER,
  create(data) {
    const parsed = dropProcessedMessages(readParachainInherentData(data), LastRelayChainBlockNumber.get());
    return ParachainSystem.tx.set_validation_data({ data: parsed });
  },
  isInherent: isSetValidationData,
};
