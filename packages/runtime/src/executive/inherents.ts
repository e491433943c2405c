/**
 * Inherents (sp_inherents): data the block author puts into the block as bare, Mandatory extrinsics
 * (timestamp.set, parachain validation data). A pallet contributes an `InherentProvider`; the executive builds
 * `BlockBuilder_inherent_extrinsics` and `BlockBuilder_check_inherents` from the runtime's list.
 */
import type { RuntimeCallValue } from '../frame/pallet.ts';
import { bool, btreeMap, bytes, bytesFixed, struct } from '../scale/index.ts';

/** `sp_inherents::InherentData { data: BTreeMap<InherentIdentifier, Vec<u8>> }`, identifiers are 8 bytes. */
export const InherentDataCodec = struct(
  { data: btreeMap(bytesFixed(8), bytes) },
  { data: 'BTreeMap<InherentIdentifier, Vec<u8>>' },
).named(['sp_inherents', 'InherentData']);

export const CheckInherentsResultCodec = struct(
  { okay: bool, fatal_error: bool, errors: InherentDataCodec },
  { okay: 'bool', fatal_error: 'bool', errors: 'InherentData' },
).named(['sp_inherents', 'CheckInherentsResult']);

export interface CheckInherentsResult {
  okay: boolean;
  fatal_error: boolean;
  errors: { data: Map<Uint8Array, Uint8Array> };
}

/** Looks up an inherent's data by its ASCII identifier (e.g. `timstap0`). */
export function inherentData(data: Map<Uint8Array, Uint8Array>, id: string): Uint8Array | undefined {
  for (const [k, v] of data) if (Buffer.from(k).toString('latin1') === id) return v;
  return undefined;
}

export interface InherentProvider {
  /** 8-byte ASCII identifier, e.g. `timstap0`. */
  readonly identifier: string;
  /** The inherent call to include for `data`, if any (`ProvideInherent::create_inherent`). */
  create(data: Map<Uint8Array, Uint8Array>): RuntimeCallValue | undefined;
  /** `is_inherent`: whether `call` is this provider's inherent. */
  isInherent(call: RuntimeCallValue): boolean;
  /** `check_inherent`: an encoded error if the block's inherent disagrees with `data`; `fatal` stops the check. */
  check?(
    call: RuntimeCallValue,
    data: Map<Uint8Array, Uint8Array>,
  ): { error: Uint8Array; fatal: boolean } | undefined;
}
