/**
 * `sp_runtime::generic::Block { header, extrinsics: Vec<OpaqueExtrinsic> }`. Each extrinsic keeps its own compact
 * length prefix (an UncheckedExtrinsic encodes like a `Vec<u8>`), so a block body is a Vec of self-delimited
 * extrinsics; here each is held as its full encoding, prefix included, exactly what `encode()` of it yields.
 */
import { Codec, type Reader, readCompactNumber, struct, vec, bytes, type Writer } from '../scale/index.ts';
import type { StateVersion } from '../trie/trie.ts';
import { orderedTrieRoot } from '../trie/root.ts';
import { type Header, HeaderCodec } from './header.ts';

export const OpaqueExtrinsicCodec = new Codec<Uint8Array>(
  (w: Writer, v: Uint8Array) => {
    const [len, after] = readCompactNumber(v, 0);
    if (after + len !== v.length)
      throw new Error('OpaqueExtrinsic: value must be a length-prefixed extrinsic');
    w.bytes(v);
  },
  (r: Reader) => {
    const start = r.offset;
    const [len, after] = readCompactNumber(r.bytes, r.offset);
    r.offset = after;
    if (len > r.remaining) r.fail(`OpaqueExtrinsic: length ${len} exceeds the ${r.remaining} bytes left`);
    r.offset += len;
    return r.bytes.slice(start, r.offset);
  },
  () => ({
    path: ['sp_runtime', 'OpaqueExtrinsic'],
    params: [],
    def: { kind: 'composite', fields: [{ type: bytes, typeName: 'Vec<u8>' }] },
    docs: [],
  }),
  1,
);

export interface Block {
  header: Header;
  /** Each extrinsic's full encoding (compact length prefix included). */
  extrinsics: Uint8Array[];
}

export const BlockCodec: Codec<Block> = struct(
  { header: HeaderCodec, extrinsics: vec(OpaqueExtrinsicCodec) },
  { header: 'Header', extrinsics: 'Vec<Extrinsic>' },
).named(['sp_runtime', 'generic', 'block', 'Block'], {
  params: [
    { name: 'Header', type: HeaderCodec },
    { name: 'Extrinsic', type: OpaqueExtrinsicCodec },
  ],
});

/**
 * The extrinsics root as frame_system computes it: ordered trie root of the encoded extrinsics, with the layout
 * `RuntimeVersion::extrinsics_root_state_version()` picks — V0 for system_version 0 and 1, V1 from 2 on.
 */
export function extrinsicsRoot(extrinsics: Uint8Array[], systemVersion: number): Uint8Array {
  return orderedTrieRoot(extrinsics, extrinsicsRootStateVersion(systemVersion));
}

export function extrinsicsRootStateVersion(systemVersion: number): StateVersion {
  return systemVersion >= 2 ? 1 : 0;
}
