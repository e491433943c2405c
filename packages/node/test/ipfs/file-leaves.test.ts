/**
 * The one-copy leaf encoder must write the very bytes ipfs-unixfs + @ipld/dag-pb write (the importer's
 * default leaf path), whatever the chunk length (varint boundaries 127/128, 16383/16384, 2097151/2097152).
 * Kubo-identical CIDs of whole files are checked against Kubo's vectors in import-options.test.ts.
 */
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { describe, expect, it } from 'vitest';
import { encodeFileLeaf } from '../../src/ipfs/file-leaves.ts';

function libraryLeaf(chunk: Uint8Array): Uint8Array {
  return dagPb.encode({ Data: new UnixFS({ type: 'file', data: chunk }).marshal(), Links: [] });
}

describe('encodeFileLeaf', () => {
  it('matches ipfs-unixfs + dag-pb byte for byte', () => {
    for (const n of [
      0, 1, 2, 100, 127, 128, 129, 16_383, 16_384, 65_536, 262_144, 1_048_576, 2_097_151, 2_097_152,
    ]) {
      const chunk = new Uint8Array(n).map((_, i) => (i * 7 + n) & 0xff);
      const ours = encodeFileLeaf(chunk);
      const theirs = libraryLeaf(chunk);
      expect(ours.byteLength, `length for ${n}`).toBe(theirs.byteLength);
      expect(Buffer.from(ours).equals(theirs), `bytes for ${n}`).toBe(true);
    }
  });

  it('does not alias the chunk (a reused input buffer cannot change a stored block)', () => {
    const chunk = new Uint8Array([1, 2, 3]);
    const leaf = encodeFileLeaf(chunk);
    chunk[0] = 9;
    expect(dagPb.decode(leaf).Data).toEqual(
      new UnixFS({ type: 'file', data: new Uint8Array([1, 2, 3]) }).marshal(),
    );
  });
});
