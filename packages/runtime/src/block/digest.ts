/**
 * `sp_runtime::generic::Digest { logs: Vec<DigestItem> }`. DigestItem variants keep their Substrate indices:
 * Other=0, Consensus=4, Seal=5, PreRuntime=6, RuntimeEnvironmentUpdated=8.
 */
import { bytes, bytesFixed, enumeration, type EnumValue, struct, tuple, vec } from '../scale/index.ts';

/** `sp_runtime::ConsensusEngineId`: 4 ASCII bytes such as `aura`, `BABE`, `FRNK`. */
export const ConsensusEngineId = bytesFixed(4);

const engineAndData = tuple(ConsensusEngineId, bytes);

export const DigestItemCodec = enumeration({
  Other: [0, bytes],
  Consensus: [4, engineAndData],
  Seal: [5, engineAndData],
  PreRuntime: [6, engineAndData],
  RuntimeEnvironmentUpdated: [8],
}).named(['sp_runtime', 'generic', 'digest', 'DigestItem']);

export type DigestItem = EnumValue<{
  Other: [0, typeof bytes];
  Consensus: [4, typeof engineAndData];
  Seal: [5, typeof engineAndData];
  PreRuntime: [6, typeof engineAndData];
  RuntimeEnvironmentUpdated: [8];
}>;

export const DigestCodec = struct({ logs: vec(DigestItemCodec) }, { logs: 'Vec<DigestItem>' }).named([
  'sp_runtime',
  'generic',
  'digest',
  'Digest',
]);

export interface Digest {
  logs: DigestItem[];
}

export function engineId(ascii: string): Uint8Array {
  if (ascii.length !== 4) throw new Error(`consensus engine id must be 4 ASCII bytes, got '${ascii}'`);
  return Uint8Array.from(ascii, (c) => c.charCodeAt(0));
}
