/**
 * The on-chain pieces of a storage challenge against outside implementations: CID strings and binary CIDs as
 * multiformats parses them, dag-pb links as @ipld/dag-pb encodes and decodes them, and answers built over real UnixFS
 * DAGs made by ipfs-unixfs-importer (what Helia/Kubo-compatible stores hold: CIDv0 dag-pb leaves, CIDv1 raw leaves,
 * trickle layout, data-first nodes). Hostile input ends in a typed error or a failed check, never a throw of another
 * kind.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as dagPb from '@ipld/dag-pb';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced, trickle } from 'ipfs-unixfs-importer/layout';
import { CID } from 'multiformats/cid';
import { sha256 as mfSha256 } from 'multiformats/hashes/sha2';
import * as raw from 'multiformats/codecs/raw';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../../src/crypto/index.ts';
import {
  buildChallengeProof,
  CidError,
  childIndex,
  cidToBinary,
  DagPbError,
  isCheckable,
  parseBinaryCid,
  parseCidString,
  parseDagPbLinks,
  verifyChallengeProof,
} from '../../../src/pallets/storage-challenge/index.ts';

beforeAll(() => initCrypto());

const te = new TextEncoder();

async function cidOf(bytes: Uint8Array, codec: number): Promise<CID> {
  return CID.createV1(codec, await mfSha256.digest(bytes));
}

describe('CIDs', () => {
  it('parses CID strings as multiformats does (v0, v1 base32, v1 base58btc, raw)', async () => {
    const block = te.encode('hello');
    const v1raw = await cidOf(block, raw.code);
    const v1pb = await cidOf(dagPb.encode({ Links: [] }), dagPb.code);
    const cids = [v1raw, v1pb, v1pb.toV0(), CID.parse(v1raw.toString(), undefined)];
    const strings = [
      v1raw.toString(),
      v1pb.toString(),
      v1pb.toV0().toString(),
      v1raw.toString((await import('multiformats/bases/base58')).base58btc),
    ];
    strings.forEach((s, i) => {
      const mine = parseCidString(te.encode(s));
      const theirs = i === 3 ? cids[0] : cids[i];
      expect(mine.version).toBe(theirs.version);
      expect(mine.codec).toBe(theirs.code);
      expect(mine.hashCode).toBe(theirs.multihash.code);
      expect(mine.digest).toEqual(theirs.multihash.digest);
      expect(cidToBinary(mine)).toEqual(theirs.bytes);
      expect(parseBinaryCid(theirs.bytes)).toEqual(mine);
      expect(isCheckable(mine)).toBe(true);
    });
    // The Kubo CID of the empty directory (dag-pb, v0).
    expect(parseCidString(te.encode('QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn'))).toMatchObject({
      version: 0,
      codec: 0x70,
    });
  });

  it('refuses malformed CIDs with CidError', () => {
    const bad = [
      '',
      'Qm',
      'QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3N0', // 0 is not base58
      'bafkreiabc!',
      'bAFKREI', // upper case is another multibase
      'mAXASIA', // base64 not supported
      'b', // empty
      'z1111',
      'x'.repeat(600),
    ];
    for (const s of bad) expect(() => parseCidString(te.encode(s)), s).toThrow(CidError);
    expect(() => parseBinaryCid(new Uint8Array([1, 0x70, 0x12, 0x20, 1, 2]))).toThrow(CidError);
    expect(() => parseBinaryCid(new Uint8Array([2, 0x70]))).toThrow(CidError);
    expect(() =>
      parseBinaryCid(new Uint8Array([1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])),
    ).toThrow(CidError);
    // An identity multihash is a valid CID but cannot be checked by hashing.
    const identity = CID.createV1(raw.code, {
      code: 0,
      size: 3,
      digest: new Uint8Array([1, 2, 3]),
      bytes: new Uint8Array([0, 3, 1, 2, 3]),
    } as never);
    expect(isCheckable(parseBinaryCid(identity.bytes))).toBe(false);
  });
});

describe('dag-pb links', () => {
  it('reads the links @ipld/dag-pb writes, with or without names, sizes and data', async () => {
    const targets = await Promise.all([1, 2, 3].map((i) => cidOf(new Uint8Array([i]), raw.code)));
    const nodes = [
      { Links: [] },
      { Data: new Uint8Array([8, 1]), Links: [] },
      {
        Data: new Uint8Array(300),
        Links: targets.map((c, i) => ({ Hash: c, Name: `f${i}`, Tsize: 2 ** 40 + i })),
      },
      {
        Links: [
          { Hash: targets[0].toV1() },
          { Hash: CID.createV0((await cidOf(new Uint8Array(), dagPb.code)).multihash as never) },
        ],
      },
    ];
    for (const n of nodes) {
      const bytes = dagPb.encode(dagPb.prepare(n as never));
      expect(parseDagPbLinks(bytes).map((l) => Buffer.from(l.hash).toString('hex'))).toEqual(
        dagPb.decode(bytes).Links.map((l) => Buffer.from(l.Hash.bytes).toString('hex')),
      );
    }
  });

  it('refuses what @ipld/dag-pb refuses, with DagPbError', () => {
    const link = dagPb.encode({
      Links: [{ Hash: CID.parse('QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn') }],
    });
    const cases: Array<[string, Uint8Array]> = [
      ['unknown field', new Uint8Array([0x1a, 0x00])],
      ['varint field', new Uint8Array([0x08, 0x01])],
      ['truncated', link.subarray(0, link.length - 3)],
      ['Data twice', new Uint8Array([0x0a, 0x00, 0x0a, 0x00])],
      ['Links on both sides of Data', new Uint8Array([...link, 0x0a, 0x00, ...link])],
      ['PBLink without Hash', new Uint8Array([0x12, 0x02, 0x18, 0x01])],
      ['PBLink fields out of order', new Uint8Array([0x12, 0x04, 0x18, 0x01, 0x0a, 0x00])],
      ['PBLink unknown field', new Uint8Array([0x12, 0x02, 0x20, 0x01])],
      ['overlong varint', new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
    ];
    for (const [what, bytes] of cases) {
      expect(() => dagPb.decode(bytes), what).toThrow();
      expect(() => parseDagPbLinks(bytes), what).toThrow(DagPbError);
    }
    // Data first, then Links: accepted by both.
    const dataFirst = new Uint8Array([0x0a, 0x00, ...link]);
    expect(dagPb.decode(dataFirst).Links).toHaveLength(1);
    expect(parseDagPbLinks(dataFirst)).toHaveLength(1);
  });

  it('never throws anything but DagPbError on random bytes', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(1 + (i % 64));
      try {
        parseDagPbLinks(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(DagPbError);
      }
    }
  });
});

// ---- answers over real DAGs -----------------------------------------------------------------------------------------

class MemoryBlocks {
  readonly map = new Map<string, Uint8Array>();
  async put(cid: CID, bytes: Uint8Array) {
    this.map.set(Buffer.from(cid.bytes).toString('hex'), bytes);
    return cid;
  }
  get = (binaryCid: Uint8Array) => {
    const b = this.map.get(Buffer.from(binaryCid).toString('hex'));
    if (!b) throw new Error('missing block');
    return b;
  };
}

async function importFile(
  content: Uint8Array,
  opts: {
    cidVersion: 0 | 1;
    rawLeaves: boolean;
    chunk: number;
    fanout: number;
    layout?: 'balanced' | 'trickle';
  },
) {
  const blocks = new MemoryBlocks();
  let root: CID | undefined;
  for await (const entry of importer([{ content }], blocks as never, {
    cidVersion: opts.cidVersion,
    rawLeaves: opts.rawLeaves,
    chunker: fixedSize({ chunkSize: opts.chunk }),
    layout:
      opts.layout === 'trickle'
        ? trickle({ maxChildrenPerNode: opts.fanout, layerRepeat: 2 })
        : balanced({ maxChildrenPerNode: opts.fanout }),
  }))
    root = entry.cid;
  return { root: root!, blocks };
}

const seedOf = (n: number) => createHash('sha256').update(`seed ${n}`).digest();

describe('challenge answers over real UnixFS DAGs', () => {
  const content = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) & 0xff);
  const profiles = [
    {
      name: 'CIDv0, dag-pb leaves, balanced',
      cidVersion: 0,
      rawLeaves: false,
      chunk: 1024,
      fanout: 4,
      depth: 4,
    },
    { name: 'CIDv1, raw leaves, balanced', cidVersion: 1, rawLeaves: true, chunk: 2048, fanout: 3, depth: 4 },
    {
      name: 'CIDv1, raw leaves, trickle',
      cidVersion: 1,
      rawLeaves: true,
      chunk: 1024,
      fanout: 2,
      layout: 'trickle',
      depth: 2,
    },
  ] as const;

  for (const profile of profiles) {
    it(`accepts the seed's path and refuses altered answers: ${profile.name}`, async () => {
      const { root, blocks } = await importFile(content, profile);
      const rootCid = parseCidString(te.encode(root.toString()));
      const depths = new Set<number>();
      for (let n = 0; n < 12; n++) {
        const seed = seedOf(n);
        const answer = await buildChallengeProof(root.toString(), seed, blocks.get);
        expect(verifyChallengeProof(rootCid, seed, answer)).toEqual({ ok: true, blocks: answer.length });
        depths.add(answer.length);
        // Another seed takes another path (at least somewhere): this answer does not fit it unless the paths agree.
        const other = await buildChallengeProof(root.toString(), seedOf(n + 100), blocks.get);
        const same =
          other.length === answer.length && other.every((b, i) => Buffer.compare(b, answer[i]) === 0);
        expect(verifyChallengeProof(rootCid, seedOf(n + 100), answer).ok).toBe(same);
        // A changed byte in the leaf, a missing leaf, an extra block, an empty answer.
        const leaf = answer[answer.length - 1].slice();
        leaf[leaf.length - 1] ^= 1;
        expect(verifyChallengeProof(rootCid, seed, [...answer.slice(0, -1), leaf])).toMatchObject({
          ok: false,
        });
        expect(verifyChallengeProof(rootCid, seed, answer.slice(0, -1))).toMatchObject({ ok: false });
        expect(verifyChallengeProof(rootCid, seed, [...answer, answer[answer.length - 1]])).toMatchObject({
          ok: false,
        });
        expect(verifyChallengeProof(rootCid, seed, [])).toMatchObject({ ok: false });
      }
      // Paths of several lengths: intermediate nodes are checked, not only the root.
      expect(Math.max(...depths)).toBeGreaterThanOrEqual(profile.depth);
    });
  }

  it('a single-block file is answered with that block; limits on depth and block size hold', async () => {
    const small = await importFile(te.encode('tiny file'), {
      cidVersion: 1,
      rawLeaves: true,
      chunk: 1024,
      fanout: 4,
    });
    const rootCid = parseCidString(te.encode(small.root.toString()));
    const answer = await buildChallengeProof(small.root.toString(), seedOf(1), small.blocks.get);
    expect(answer).toHaveLength(1);
    expect(verifyChallengeProof(rootCid, seedOf(1), answer)).toEqual({ ok: true, blocks: 1 });
    expect(verifyChallengeProof(rootCid, seedOf(1), answer, { maxDepth: 1, maxBlockSize: 4 })).toMatchObject({
      ok: false,
    });
    const deep = await importFile(content, { cidVersion: 0, rawLeaves: false, chunk: 1024, fanout: 2 });
    const deepRoot = parseCidString(te.encode(deep.root.toString()));
    const path = await buildChallengeProof(deep.root.toString(), seedOf(2), deep.blocks.get);
    expect(
      verifyChallengeProof(deepRoot, seedOf(2), path, { maxDepth: path.length - 1, maxBlockSize: 1 << 20 }),
    ).toMatchObject({
      ok: false,
    });
    await expect(
      buildChallengeProof(deep.root.toString(), seedOf(2), deep.blocks.get, {
        maxDepth: 2,
        maxBlockSize: 1 << 20,
      }),
    ).rejects.toThrow(DagPbError);
  });

  it('hostile answers fail the check without throwing', async () => {
    const { root } = await importFile(content, profiles[0]);
    const rootCid = parseCidString(te.encode(root.toString()));
    for (let i = 0; i < 500; i++) {
      const answer = Array.from({ length: 1 + (i % 5) }, () => randomBytes(i % 300));
      expect(verifyChallengeProof(rootCid, seedOf(i), answer).ok).toBe(false);
    }
  });

  it('childIndex is uniform-ish and stays within the links', () => {
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 7000; i++) counts[childIndex(seedOf(i), i % 5, 7)]++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
    expect(childIndex(seedOf(0), 0, 1)).toBe(0);
  });
});
