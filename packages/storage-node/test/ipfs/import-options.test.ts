/**
 * `ipfs add` CIDs must equal Kubo's. Every expected CID below was produced by Kubo / go-ipfs, not by us:
 * - ipfs/kubo test/sharness/t0040-add-and-cat.sh (empty file, "Hello Worlds!", "Hello Venus!", "Hello Mars!",
 *   "IPFS", "base32 test" with --cid-base=base32, --raw-leaves and --cid-version=1 variants, --chunker checks)
 * - ethereum/solidity test/libsolutil/IpfsHash.cpp (zero-filled files at the chunk and 174-link boundaries,
 *   multi-level trees; solc embeds `ipfs add` hashes of metadata and checks them against go-ipfs)
 * - an Erlang Kubo-client test suite run against the ipfs/go-ipfs image (ipfs_SUITE.erl: 1 MiB and 100 MiB of
 *   zeros, with Kubo's `Size` field 1048832 / 104882589)
 */
import { MemoryBlockstore } from 'blockstore-core/memory';
import { describe, expect, it } from 'vitest';
import {
  addBytes,
  InvalidImportOptionError,
  kuboAddOptionsFromQuery,
  kuboImporterOptions,
  parseChunker,
} from '../../src/ipfs/import-options.ts';

const text = (s: string) => new TextEncoder().encode(s);

/** `n` zero bytes as a stream of 1 MiB chunks (no giant allocation). */
function* zeros(n: number): Generator<Uint8Array> {
  const chunk = new Uint8Array(1 << 20);
  for (let left = n; left > 0; left -= chunk.length)
    yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

async function cidOf(source: Uint8Array | Iterable<Uint8Array>, opts = {}) {
  return (await addBytes(new MemoryBlockstore(), source, opts)).cid.toString();
}

describe('Kubo-identical ipfs add (default options)', () => {
  it('small files (kubo t0040-add-and-cat.sh)', async () => {
    expect(await cidOf(new Uint8Array())).toBe('QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH');
    expect(await cidOf(text('hello world\n'))).toBe('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o');
    expect(await cidOf(text('Hello Worlds!\n'))).toBe('QmVr26fY1tKyspEJBniVhqxQeEjhF78XerGiqWAwraVLQH');
    expect(await cidOf(text('Hello Venus!\n'))).toBe('QmU5kp3BH3B8tnWUU2Pikdb2maksBNkb92FHRr56hyghh4');
    expect(await cidOf(text('Hello Jupiter!\n'))).toBe('QmUnvPcBctVTAcJpigv6KMqDvmDewksPWrNVoy1E1WP5fh');
    expect(await cidOf(text('Hello Neptune!\nHello Pluton!'))).toBe(
      'QmZDhWpi8NvKrekaYYhxKCdNVGWsFFe1CREnAjP1QbPaB3',
    );
    expect(await cidOf(text('IPFS\n'))).toBe('QmdFyxZXsFiP4csgfM5uPu99AvFiKH62CSPDw5TP92nr7w');
    // `--cid-base=base32` prints the CIDv0 root upgraded to v1 (same DAG).
    const v0 = (await addBytes(new MemoryBlockstore(), text('base32 test\n'))).cid;
    expect(v0.toV1().toString()).toBe('bafybeibyosqxljd2eptb4ebbtvk7pb4aoxzqa6ttdsflty6rsslz5y6i34');
  });

  it('the chunker option does not change a one-chunk file (kubo t0040)', async () => {
    expect(await cidOf(text('Hello Worlds!\n'), { chunker: 'size-64' })).toBe(
      'QmVr26fY1tKyspEJBniVhqxQeEjhF78XerGiqWAwraVLQH',
    );
  });

  it('zero-filled files around the 256 KiB chunk boundary (solidity IpfsHash.cpp)', async () => {
    expect(await cidOf(text('x'))).toBe('QmULKig5Fxrs2sC4qt9nNduucXfb92AFYQ6Hi3YRqDmrYC');
    expect(await cidOf(text('Solidity\n'))).toBe('QmSsm9M7PQRBnyiz1smizk8hZw3URfk8fSeHzeTo3oZidS');
    expect(await cidOf(new Uint8Array(200))).toBe('QmSXR1N23uWzsANi8wpxMPw5dmmhqBVUAb4hUrHVLpNaMr');
    expect(await cidOf(new Uint8Array(10250))).toBe('QmVJJBB3gKKBWYC9QTywpH8ZL1bDeTDJ17B63Af5kino9i');
    expect(await cidOf(new Uint8Array(100000))).toBe('QmYgKa25YqEGpQmmZtPPFMNK3kpqqneHk6nMSEUYryEX1C');
    expect(await cidOf(new Uint8Array(121071))).toBe('QmdMdRshQmqvyc92N82r7AKYdUF5FRh4DJo6GtrmEk3wgj');
    expect(await cidOf(new Uint8Array(131071))).toBe('QmSxYSToKHsPqqRdRnsM9gmr3EYS6dakhVaHgbFdgYQWi6');
    expect(await cidOf(new Uint8Array(262143))).toBe('QmbNDspMkzkMFKyS3eCJGedG7GWRQHSCzJCZLjxP7wyVAx');
    expect(await cidOf(new Uint8Array(262145))).toBe('QmbVuw4C4vcmVKqxoWtgDVobvcHrSn51qsmQmyxjk4sB2Q');
    expect(await cidOf(new Uint8Array(1310710))).toBe('QmNg7BJo8gEMDK8yGQbHEwPtycesnE6FUULX5iVd5TAL9f');
  });

  it('balanced layout: 174 links per node, then a second level (solidity IpfsHash.cpp)', async () => {
    expect(await cidOf(zeros(45613056))).toBe('QmY4HSz1oVGdUzb8poVYPLsoqBZjH6LZrtgnme9wWn2Qko');
    expect(await cidOf(zeros(45613057))).toBe('QmehMASWcBsX7VcEQqs6rpR5AHoBfKyBVEgmkJHjpPg8jq');
    expect(await cidOf(zeros(46661632))).toBe('QmaTb1sT9hrSXJLmf8bxJ9NuwndiHuMLsgNLgkS2eXu3Xj');
  });

  it("1 MiB and 100 MiB of zeros, with Kubo's cumulative Size (go-ipfs client suite)", async () => {
    const one = await addBytes(new MemoryBlockstore(), zeros(1 << 20));
    expect(one.cid.toString()).toBe('QmVkbauSDEaMP4Tkq6Epm9uW75mWm136n81YH8fGtfwdHU');
    expect(one.dagSize).toBe(1048832);
    expect(one.size).toBe(1 << 20);
    const hundred = await addBytes(new MemoryBlockstore(), zeros(100 << 20));
    expect(hundred.cid.toString()).toBe('Qmca3PNFKuZnYkiVv1FpcV1AfDUm4qCSHoYjPTBqDAsyk8');
    expect(hundred.dagSize).toBe(104882589);
  });
});

describe('CIDv1 and raw leaves, as Kubo does them (kubo t0040-add-and-cat.sh)', () => {
  it('--raw-leaves keeps CIDv0 roots but a one-chunk file becomes its raw leaf', async () => {
    expect(await cidOf(new Uint8Array(), { rawLeaves: true })).toBe(
      'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
    );
    expect(await cidOf(text('Hello Mars!\n'), { rawLeaves: true })).toBe(
      'bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4',
    );
  });

  it('--cid-version=1 turns raw leaves on unless --raw-leaves=false', async () => {
    expect(await cidOf(text('Hello Venus!\n'), { cidVersion: 1 })).toBe(
      'bafkreihfsphazrk2ilejpekyltjeh5k4yvwgjuwg26ueafohqioeo3sdca',
    );
    expect(await cidOf(text('Hello Mars!\n'), { cidVersion: 1, rawLeaves: false })).toBe(
      'bafybeiawta2ntdmsy24aro35w3homzl4ak7svr3si7l7gesvq4erglyye4',
    );
    expect(await cidOf(text('Hello Venus!\n'), { cidVersion: 1, rawLeaves: false })).toBe(
      'bafybeicvkvhs2fr75ynebtdjqpgm4g2fc63abqbmysupwpmcjl4gx7mzrm',
    );
  });

  it('a multi-chunk CIDv1 file links raw leaves from a dag-pb root', async () => {
    const store = new MemoryBlockstore();
    const { cid } = await addBytes(store, zeros(600_000), { cidVersion: 1 });
    expect(cid.version).toBe(1);
    expect(cid.code).toBe(0x70);
    const smaller = await addBytes(new MemoryBlockstore(), zeros(600_000), {
      cidVersion: 1,
      chunker: 'size-1024',
    });
    expect(smaller.cid.equals(cid)).toBe(false);
  });
});

describe('import options and the Kubo RPC query', () => {
  it('passes every Kubo default explicitly', () => {
    const o = kuboImporterOptions();
    expect(o.cidVersion).toBe(0);
    expect(o.rawLeaves).toBe(false);
    expect(o.reduceSingleLeafToSelf).toBe(true);
    expect(o.leafType).toBe('file');
    expect(typeof o.chunker).toBe('function');
    expect(typeof o.layout).toBe('function');
    expect(kuboImporterOptions({ cidVersion: 1 }).rawLeaves).toBe(true);
    expect(kuboImporterOptions({ cidVersion: 1, rawLeaves: false }).rawLeaves).toBe(false);
  });

  it('maps the add query (Go booleans, cid-version, chunker)', () => {
    expect(
      kuboAddOptionsFromQuery(new URLSearchParams('cid-version=1&raw-leaves=false&chunker=size-1024')),
    ).toEqual({
      cidVersion: 1,
      rawLeaves: false,
      chunker: 'size-1024',
    });
    expect(kuboAddOptionsFromQuery({ 'raw-leaves': 'T', hash: 'sha2-256', trickle: 'false' })).toEqual({
      rawLeaves: true,
    });
    expect(kuboAddOptionsFromQuery({})).toEqual({});
  });

  it('refuses what it cannot reproduce, naming the option', () => {
    const bad: Array<[Record<string, string>, string]> = [
      [{ 'cid-version': '9' }, 'cid-version'],
      [{ 'cid-version': 'one' }, 'cid-version'],
      [{ 'raw-leaves': 'maybe' }, 'raw-leaves'],
      [{ chunker: 'rabin' }, 'chunker'],
      [{ chunker: 'rabin-36-512-1024' }, 'chunker'],
      [{ chunker: 'buzhash' }, 'chunker'],
      [{ chunker: 'size-0' }, 'chunker'],
      [{ chunker: 'size--5' }, 'chunker'],
      [{ chunker: `size-${2 ** 21}` }, 'chunker'],
      [{ chunker: 'size-99999999999999999999999' }, 'chunker'],
      [{ chunker: 'potato' }, 'chunker'],
      [{ hash: 'blake2b-256' }, 'hash'],
      [{ trickle: 'true' }, 'trickle'],
      [{ inline: '1' }, 'inline'],
    ];
    for (const [query, option] of bad) {
      let caught: unknown;
      try {
        kuboAddOptionsFromQuery(query);
      } catch (err) {
        caught = err;
      }
      expect(caught, JSON.stringify(query)).toBeInstanceOf(InvalidImportOptionError);
      expect((caught as InvalidImportOptionError).option).toBe(option);
    }
    expect(() => kuboImporterOptions({ cidVersion: 2 as never })).toThrow(InvalidImportOptionError);
    expect(parseChunker('size-1048576')).toBe(1048576);
  });

  it('an aborted signal stops an add with a typed abort', async () => {
    const c = new AbortController();
    c.abort();
    await expect(addBytes(new MemoryBlockstore(), text('x'), { signal: c.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
