/**
 * Header, digest and block vectors from outside: Polkadot's genesis header (hash 0x91b171bb…, state root
 * 0x29d0d972… as published on polkadot.js apps / subscan for block #0), real blocks shipped with polkadot-js as
 * RPC fixtures (@polkadot/types-support/json/SignedBlock.*.json: their headers' extrinsicsRoot must equal our
 * ordered trie root of their extrinsics), and headers with BABE digests hashed by @polkadot/types.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { BlockCodec, extrinsicsRoot, extrinsicsRootStateVersion } from '../../src/block/block.ts';
import { DigestItemCodec, engineId } from '../../src/block/digest.ts';
import { type Header, HeaderCodec, headerHash } from '../../src/block/header.ts';
import { ScaleDecodeError } from '../../src/scale/index.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));
const require = createRequire(import.meta.url);
const fixture = (name: string) =>
  JSON.parse(readFileSync(require.resolve(`@polkadot/types-support/json/${name}`), 'utf8')).result;

const registry = new TypeRegistry();

function headerFromRpc(json: any): Header {
  return {
    parentHash: hex(json.parentHash),
    number: Number(json.number),
    stateRoot: hex(json.stateRoot),
    extrinsicsRoot: hex(json.extrinsicsRoot),
    digest: {
      logs: json.digest.logs.map((l: unknown) =>
        DigestItemCodec.decode(typeof l === 'string' ? hex(l) : registry.createType('DigestItem', l).toU8a()),
      ),
    },
  };
}

describe('Header', () => {
  it('hashes the Polkadot genesis header to 0x91b171bb…', () => {
    const genesis: Header = {
      parentHash: new Uint8Array(32),
      number: 0,
      stateRoot: hex('0x29d0d972cd27cbc511e9589fcb7a4506d5eb6a9e8df205f00472e5ab354a4e17'),
      extrinsicsRoot: hex('0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314'),
      digest: { logs: [] },
    };
    expect(u8aToHex(headerHash(genesis))).toBe(
      '0x91b171bb158e2d3848fa23a9f1c25182fb8e20313b2c1eb49219da7a70ce90c3',
    );
    // The empty extrinsics root is the empty-trie root in either layout.
    expect(u8aToHex(extrinsicsRoot([], 0))).toBe(u8aToHex(genesis.extrinsicsRoot));
  });

  it('round-trips real headers with BABE PreRuntime/Seal digests and hashes them like @polkadot/types', () => {
    for (const name of ['Header.001.json', 'Header.002.json', 'Header.003.json', 'Header.004.json']) {
      const json = fixture(name);
      const ours = headerFromRpc(json);
      const theirs = registry.createType('Header', json);
      expect(u8aToHex(HeaderCodec.encode(ours))).toBe(theirs.toHex());
      expect(u8aToHex(headerHash(ours))).toBe(theirs.hash.toHex());
      expect(HeaderCodec.decode(HeaderCodec.encode(ours))).toEqual(ours);
    }
    const babe = headerFromRpc(fixture('Header.004.json'));
    expect(babe.digest.logs.map((l) => l.type)).toEqual(['PreRuntime', 'Seal']);
    expect((babe.digest.logs[0].value as [Uint8Array, Uint8Array])[0]).toEqual(engineId('BABE'));
  });

  it('rejects malformed headers and digest items', () => {
    const good = HeaderCodec.encode(headerFromRpc(fixture('Header.004.json')));
    expect(() => HeaderCodec.decode(good.subarray(0, good.length - 1))).toThrow(ScaleDecodeError);
    expect(() => HeaderCodec.decode(Uint8Array.from([...good, 0]))).toThrow(ScaleDecodeError);
    expect(() => DigestItemCodec.decode(Uint8Array.from([7, 0]))).toThrow(ScaleDecodeError); // no variant 7
    expect(() => DigestItemCodec.decode(Uint8Array.from([6, 0x61, 0x75, 0x72]))).toThrow(ScaleDecodeError);
  });
});

// Real blocks as returned by chain_getBlock, published in public docs/examples:
// Kusama #0x67103a (GetBlock.io ksm chain_getBlock docs; requested by hash 0x255bc009…) and
// Polkadot #6722195 (a polkadot-js api example's logged output), whose body has a 145-byte signed transfer.
const KUSAMA_6754362 = {
  hash: '0x255bc00927df8d33d561792635cbc6bde480a0a505eef5ff28630ece3fc15b32',
  header: {
    parentHash: '0x570e3f417a41646d9b978bf2ac3d68be48bb0f73082825f438af58a37cfe0ef8',
    number: '0x67103a',
    stateRoot: '0x176c67eca385c24403ba774550ff75dcfa652d6d6cf2d2ecbccf56e513db601c',
    extrinsicsRoot: '0xada254ef8321e28a6667ad75659be6464944174bd5540667da94590a0a4a596f',
    digest: {
      logs: [
        '0x0642414245b50103920000001c5b3410000000008c38422de44e2d4810819bffdc072324d552348581a3ee4d08f5d16782e82b1413e24956b9c637cc18b99964298c662274aa7e68fe1e55372e61a65185eddf015588b5d1c11e93a39ef29db473e91b225390cd155dfdb9bff7d29dd7cf897003',
        '0x0542414245010114a5c414eb433fef25d514ac35937c1c2b83ffbac8a47479f02393172f622d02789eb0e3c4a8281f9a169a5fcf19cb1c8285f6382fc7ce3d0b71f82ca3f03582',
      ],
    },
  },
  extrinsics: ['0x280403000b406017cb7b01'],
};

const POLKADOT_6722195 = {
  header: {
    parentHash: '0x3fe1a1087ad1e872b148e98cb5c1ba45d63e7d73bc71e14679fc3530f5331ad3',
    number: 6722195,
    stateRoot: '0xb0e6c4afdaf3951473baf53300cc7a40ceaeaf190cefe6fbda47b03582773ec5',
    extrinsicsRoot: '0x27b2eaa3751f2cefcbfd99fb052660477b21c65254a2e936e99870521549ac1b',
  },
  logs: [
    { type: 'PreRuntime', value: [engineId('BABE'), hex('0x0268000000bc624f1000000000')] },
    {
      type: 'Other',
      value: hex('0x4d4d5252ca8029e0f913e61d0d5b492d1da509bd5ab821bf2c86a44e18e11f084a4237c6'),
    },
    {
      type: 'Seal',
      value: [
        engineId('BABE'),
        hex(
          '0x3abcb2cbf10a9c0f83c5f794527900cc50c50f420704c631d1e65fa6ae50d165e7c9048237901af2e7aade0de799040dc6ca74e4ad1e58940044d1d7b0879789',
        ),
      ],
    },
  ] as Header['digest']['logs'],
  extrinsics: [
    '0x280403000b41169a447e01',
    '0x450284000ef407af75417a160038262baf376a8ff8147142f860a8be9cb893d6f3a4971e01e0d3bc1bbd34e3ffc00fb927500ca632acbbb38a0f94d87370c00301ad34491f79f3d6e60204ee3df115d4a6c2de3ee19255f77d7952208a4459943fb5267a83f500a90a0004000022636d27fb735196a81a406b2a008016817048a8636732d5d6a1d944ebf971060700c4a5b684',
  ],
};

describe('Block and extrinsics root', () => {
  it('Kusama #6754362: header with BABE digests hashes to the published block hash; extrinsics root matches', () => {
    const header = headerFromRpc(KUSAMA_6754362.header);
    expect(u8aToHex(headerHash(header))).toBe(KUSAMA_6754362.hash);
    expect(u8aToHex(extrinsicsRoot(KUSAMA_6754362.extrinsics.map(hex), 1))).toBe(
      KUSAMA_6754362.header.extrinsicsRoot,
    );
    const block = { header, extrinsics: KUSAMA_6754362.extrinsics.map(hex) };
    const decoded = BlockCodec.decode(BlockCodec.encode(block));
    expect(decoded).toEqual(block);
  });

  it('Polkadot #6722195: LayoutV0 ordered trie root of a body with a 145-byte signed extrinsic', () => {
    const extrinsics = POLKADOT_6722195.extrinsics.map(hex);
    expect(extrinsics[1].length).toBeGreaterThan(32);
    expect(u8aToHex(extrinsicsRoot(extrinsics, 0))).toBe(POLKADOT_6722195.header.extrinsicsRoot);
    // V1 hashes values over 32 bytes, so a system_version 2 runtime would produce another root.
    expect(u8aToHex(extrinsicsRoot(extrinsics, 2))).not.toBe(POLKADOT_6722195.header.extrinsicsRoot);
    const header: Header = {
      parentHash: hex(POLKADOT_6722195.header.parentHash),
      number: POLKADOT_6722195.header.number,
      stateRoot: hex(POLKADOT_6722195.header.stateRoot),
      extrinsicsRoot: hex(POLKADOT_6722195.header.extrinsicsRoot),
      digest: { logs: POLKADOT_6722195.logs },
    };
    const theirs = new TypeRegistry().createType('Header', {
      ...POLKADOT_6722195.header,
      digest: { logs: header.digest.logs.map((l) => u8aToHex(DigestItemCodec.encode(l))) },
    });
    expect(u8aToHex(HeaderCodec.encode(header))).toBe(theirs.toHex());
    const logs = (theirs as unknown as { digest: { logs: { type: string }[] } }).digest.logs;
    expect(logs.map((l) => l.type)).toEqual(['PreRuntime', 'Other', 'Seal']);
  });

  it('picks the extrinsics-root layout from system_version as RuntimeVersion::extrinsics_root_state_version', () => {
    expect(extrinsicsRootStateVersion(0)).toBe(0);
    expect(extrinsicsRootStateVersion(1)).toBe(0);
    expect(extrinsicsRootStateVersion(2)).toBe(1);
  });

  it('rejects blocks whose extrinsic lengths overrun the input', () => {
    const header = headerFromRpc(KUSAMA_6754362.header);
    const good = BlockCodec.encode({ header, extrinsics: KUSAMA_6754362.extrinsics.map(hex) });
    expect(() => BlockCodec.decode(good.subarray(0, good.length - 2))).toThrow(ScaleDecodeError);
    const hostile = Uint8Array.from([...HeaderCodec.encode(header), 4, 0xfe, 0xff, 0xff, 0xff]);
    expect(() => BlockCodec.decode(hostile)).toThrow(ScaleDecodeError);
  });
});
