/**
 * The network messages against outside encoders, and with malformed, oversized and hostile input:
 * - block announces' handshake and `BlockAnnounce`, and the transactions message, against @polkadot/types (the SCALE
 *   types polkadot-sdk derives: `BlockAnnouncesHandshake` as `(u8, u32, H256, H256)`, the announce as
 *   `Header ++ BlockState ++ Vec<u8>` per its custom Encode, `Transactions` as `Vec<OpaqueExtrinsic>` = `Vec<Bytes>`);
 * - the protobuf `BlockRequest` / `BlockResponse` (polkadot-sdk `api.v1.proto`) against protons-runtime's protobuf
 *   reader/writer (the libp2p ecosystem's implementation), and one request spelled out byte by byte from the proto3
 *   wire format;
 * - the collation result against @polkadot/types with the enum registered.
 */
import { TypeRegistry } from '@polkadot/types';
import { engineId, type Header, HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { encodeCompact } from '@xstorage/runtime/scale';
import { reader as protoReader, writer as protoWriter } from 'protons-runtime';
import { describe, expect, it } from 'vitest';
import { CollationResultCodec, decodeCollationRequest } from '../../src/collation/collation-transport.ts';
import { headerFromJson, RelayRpcError } from '../../src/collation/rpc-relay.ts';
import {
  decodeBlockAnnounce,
  decodeHandshake,
  encodeBlockAnnounce,
  encodeHandshake,
  MAX_BLOCK_ANNOUNCE_BYTES,
  Role,
  rolesName,
} from '../../src/network/block-announce.ts';
import {
  BlockAttribute,
  decodeBlockRequest,
  decodeBlockResponse,
  encodeBlockRequest,
  encodeBlockResponse,
  MAX_BLOCK_REQUEST_BYTES,
} from '../../src/network/block-request.ts';
import { NetworkMessageError } from '../../src/network/errors.ts';
import { chainProtocols, collationProtocol } from '../../src/network/protocols.ts';
import {
  decodeRolesHandshake,
  decodeTransactions,
  encodeTransactions,
} from '../../src/network/transactions-message.ts';

const registry = new TypeRegistry();
const h32 = (n: number) => new Uint8Array(32).fill(n);
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const opaque = (body: Uint8Array) => Uint8Array.from([...encodeCompact(body.length), ...body]);

const header: Header = {
  parentHash: h32(1),
  number: 77,
  stateRoot: h32(2),
  extrinsicsRoot: h32(3),
  digest: {
    logs: [
      { type: 'PreRuntime', value: [engineId('aura'), Uint8Array.of(9, 0, 0, 0, 0, 0, 0, 0)] },
      { type: 'Seal', value: [engineId('aura'), new Uint8Array(64).fill(4)] },
    ] as Header['digest']['logs'],
  },
};
const pjsHeader = () =>
  registry.createType('Header', {
    parentHash: hex(h32(1)),
    number: 77,
    stateRoot: hex(h32(2)),
    extrinsicsRoot: hex(h32(3)),
    digest: {
      logs: [
        { PreRuntime: ['0x61757261', '0x0900000000000000'] },
        { Seal: ['0x61757261', hex(new Uint8Array(64).fill(4))] },
      ],
    },
  });

describe('protocol names', () => {
  it('are namespaced by the genesis hash as Substrate names them', () => {
    const g = h32(0xab);
    const p = chainProtocols(g);
    const gh = 'ab'.repeat(32);
    expect(p).toEqual({
      blockAnnounces: `/${gh}/block-announces/1`,
      sync: `/${gh}/sync/2`,
      transactions: `/${gh}/transactions/1`,
    });
    expect(collationProtocol(g)).toBe(`/${gh}/collation/1`);
  });
});

describe('block announces', () => {
  it('encodes the handshake as polkadot-sdk derives it, and decodes it back', () => {
    const hs = { roles: Role.Authority, bestNumber: 1234, bestHash: h32(5), genesisHash: h32(6) };
    const theirs = registry.createType('(u8, u32, H256, H256)', [4, 1234, hex(h32(5)), hex(h32(6))]).toU8a();
    expect(hex(encodeHandshake(hs))).toBe(hex(theirs));
    expect(decodeHandshake(theirs)).toEqual(hs);
    expect(rolesName(Role.Authority | Role.Full)).toBe('AUTHORITY');
    expect(rolesName(Role.Full)).toBe('FULL');
  });

  it('refuses a short or long handshake', () => {
    const ok = encodeHandshake({ roles: 1, bestNumber: 1, bestHash: h32(1), genesisHash: h32(1) });
    expect(() => decodeHandshake(ok.subarray(0, 40))).toThrow(NetworkMessageError);
    expect(() => decodeHandshake(Uint8Array.from([...ok, 0]))).toThrow(NetworkMessageError);
    expect(() => decodeHandshake(new Uint8Array(0))).toThrow(NetworkMessageError);
  });

  it('encodes an announce as header ++ state ++ data (Substrate custom Encode), hash as polkadot-js', () => {
    const theirs = pjsHeader();
    expect(hex(HeaderCodec.encode(header))).toBe(theirs.toHex());
    expect(hex(headerHash(header))).toBe(theirs.hash.toHex());
    const withState = registry.createType('(Header, u8)', [theirs, 1]).toU8a();
    expect(hex(encodeBlockAnnounce({ header, state: 'Best' }))).toBe(hex(withState));
    const withData = registry.createType('(Header, u8, Bytes)', [theirs, 0, '0x010203']).toU8a();
    expect(hex(encodeBlockAnnounce({ header, state: 'Normal', data: Uint8Array.of(1, 2, 3) }))).toBe(
      hex(withData),
    );
    expect(decodeBlockAnnounce(withData)).toEqual({ header, state: 'Normal', data: Uint8Array.of(1, 2, 3) });
    // A v3 peer's announce: the header alone.
    expect(decodeBlockAnnounce(theirs.toU8a())).toEqual({ header });
  });

  it('takes the optional parts only when they decode, as Substrate does; refuses a bad header or an oversized one', () => {
    const h = HeaderCodec.encode(header);
    expect(decodeBlockAnnounce(Uint8Array.from([...h, 7]))).toEqual({ header });
    expect(decodeBlockAnnounce(Uint8Array.from([...h, 1, 0xff]))).toEqual({ header, state: 'Best' });
    expect(() => decodeBlockAnnounce(h.subarray(0, 50))).toThrow(NetworkMessageError);
    expect(() => decodeBlockAnnounce(new Uint8Array(0))).toThrow(NetworkMessageError);
    // A digest claiming 2^30 items.
    const bomb = Uint8Array.from([...h.subarray(0, 32 + 1 + 64), 0xfe, 0xff, 0xff, 0xff]);
    expect(() => decodeBlockAnnounce(bomb)).toThrow(NetworkMessageError);
    expect(() => decodeBlockAnnounce(new Uint8Array(MAX_BLOCK_ANNOUNCE_BYTES + 1))).toThrow(/above/);
  });
});

describe('transactions', () => {
  it('encodes Vec<OpaqueExtrinsic> as polkadot-js encodes Vec<Bytes>', () => {
    const a = Uint8Array.of(0x84, 1, 2, 3);
    const b = new Uint8Array(300).fill(9);
    const theirs = registry.createType('Vec<Bytes>', [hex(a), hex(b)]).toU8a();
    expect(hex(encodeTransactions([opaque(a), opaque(b)]))).toBe(hex(theirs));
    expect(decodeTransactions(theirs)).toEqual([opaque(a), opaque(b)]);
    expect(decodeTransactions(Uint8Array.of(0))).toEqual([]);
  });

  it('refuses truncated, lying and oversized messages', () => {
    expect(() => decodeTransactions(Uint8Array.of(0x08, 0x03, 0xff, 0xff, 0xff, 0xff))).toThrow(
      NetworkMessageError,
    );
    expect(() => decodeTransactions(Uint8Array.of(0x04, 0x10, 1))).toThrow(NetworkMessageError);
    // 8193 transactions in one message: above the limit before any is read.
    expect(() =>
      decodeTransactions(Uint8Array.from([...encodeCompact(8193), ...new Uint8Array(8193)])),
    ).toThrow(NetworkMessageError);
    expect(() => decodeTransactions(new Uint8Array(16 * 1024 * 1024 + 1))).toThrow(/above/);
    expect(decodeRolesHandshake(Uint8Array.of(4))).toBe(4);
    expect(() => decodeRolesHandshake(Uint8Array.of(4, 4))).toThrow(NetworkMessageError);
    expect(() => decodeRolesHandshake(new Uint8Array(0))).toThrow(NetworkMessageError);
  });
});

// The api.v1.proto messages with protons-runtime, as its generated code would read and write them.
function protonsRequest(r: {
  fields: number;
  hash?: Uint8Array;
  number?: Uint8Array;
  direction: number;
  max: number;
}) {
  const w = protoWriter();
  if (r.fields !== 0) w.uint32(8).uint32(r.fields);
  if (r.hash) w.uint32(18).bytes(r.hash);
  if (r.number) w.uint32(26).bytes(r.number);
  if (r.direction !== 0) w.uint32(40).int32(r.direction);
  if (r.max !== 0) w.uint32(48).uint32(r.max);
  return w.finish();
}

function protonsResponse(bytes: Uint8Array) {
  const r = protoReader(bytes);
  const blocks: Array<{ hash?: Uint8Array; header?: Uint8Array; body: Uint8Array[] }> = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 !== 1) {
      r.skipType(tag & 7);
      continue;
    }
    const inner = protoReader(r.bytes());
    const b: (typeof blocks)[number] = { body: [] };
    while (inner.pos < inner.len) {
      const t = inner.uint32();
      if (t >>> 3 === 1) b.hash = inner.bytes();
      else if (t >>> 3 === 2) b.header = inner.bytes();
      else if (t >>> 3 === 3) b.body.push(inner.bytes());
      else inner.skipType(t & 7);
    }
    blocks.push(b);
  }
  return blocks;
}

describe('block requests (protobuf, api.v1.proto)', () => {
  it('encodes a request as protons-runtime does, with the attributes in the top byte of `fields`', () => {
    const mine = encodeBlockRequest({
      attributes: BlockAttribute.Header | BlockAttribute.Body,
      from: { number: 1000 },
      direction: 'Descending',
      maxBlocks: 64,
    });
    const theirs = protonsRequest({
      fields: 0x0300_0000,
      number: Uint8Array.of(0xe8, 3, 0, 0),
      direction: 1,
      max: 64,
    });
    expect(hex(mine)).toBe(hex(theirs));
    // By hand from the proto3 wire format: 08 <varint 0x03000000> 1a 04 <u32 LE 1000> 28 01 30 40.
    expect(hex(mine)).toBe('0x0880808018' + '1a04e8030000' + '2801' + '3040');
    expect(decodeBlockRequest(theirs)).toEqual({
      attributes: 3,
      from: { number: 1000 },
      direction: 'Descending',
      maxBlocks: 64,
      supportMultipleJustifications: false,
    });
    const byHash = protonsRequest({ fields: 0x0100_0000, hash: h32(8), direction: 0, max: 0 });
    expect(decodeBlockRequest(byHash)).toMatchObject({
      attributes: 1,
      from: { hash: h32(8) },
      direction: 'Ascending',
      maxBlocks: 0,
    });
    expect(
      hex(
        encodeBlockRequest({ attributes: 1, from: { hash: h32(8) }, direction: 'Ascending', maxBlocks: 0 }),
      ),
    ).toBe(hex(byHash));
  });

  it('skips unknown fields, and refuses what Substrate refuses', () => {
    const ok = protonsRequest({
      fields: 0x0100_0000,
      number: Uint8Array.of(1, 0, 0, 0),
      direction: 0,
      max: 1,
    });
    // An unknown field 9 (varint) and field 4 (the old `to_block`) are skipped.
    expect(decodeBlockRequest(Uint8Array.from([...ok, 0x48, 0x05, 0x22, 0x01, 0x00])).from).toEqual({
      number: 1,
    });
    const bad = (b: Uint8Array, re: RegExp) => expect(() => decodeBlockRequest(b)).toThrow(re);
    bad(protonsRequest({ fields: 0x0100_0000, direction: 0, max: 1 }), /missing `from_block`/);
    bad(
      protonsRequest({ fields: 0x0100_0000, number: Uint8Array.of(1), direction: 0, max: 1 }),
      /number of 1 bytes/,
    );
    bad(
      protonsRequest({ fields: 0x0100_0000, hash: h32(1).subarray(0, 31), direction: 0, max: 1 }),
      /hash of 31/,
    );
    bad(
      protonsRequest({ fields: 0x0100_0000, number: Uint8Array.of(1, 0, 0, 0), direction: 2, max: 1 }),
      /direction 2/,
    );
    bad(
      protonsRequest({ fields: 0x4000_0000, number: Uint8Array.of(1, 0, 0, 0), direction: 0, max: 1 }),
      /BlockAttributes/,
    );
    bad(Uint8Array.of(0x08), /truncated varint/);
    bad(Uint8Array.of(0x08, ...new Array(11).fill(0xff)), /longer than 10 bytes/);
    bad(Uint8Array.of(0x12, 0x20, 1, 2), /runs past the end/);
    bad(Uint8Array.of(0x0b), /wire type 3/);
    bad(Uint8Array.of(0x00, 0x00), /field number 0/);
    bad(Uint8Array.of(0x0a, 0x00), /wire type 2/);
    bad(new Uint8Array(MAX_BLOCK_REQUEST_BYTES + 1), /above/);
  });

  it('encodes a response protons-runtime reads, and checks headers against hashes and extrinsics against their prefix', () => {
    const hh = headerHash(header);
    const xt = opaque(Uint8Array.of(0x84, 7, 7));
    const bytes = encodeBlockResponse([
      { hash: hh, header: HeaderCodec.encode(header), body: [xt, opaque(new Uint8Array(0))] },
    ]);
    const theirs = protonsResponse(bytes);
    expect(theirs).toHaveLength(1);
    expect(hex(theirs[0].hash!)).toBe(hex(hh));
    expect(hex(theirs[0].header!)).toBe(hex(HeaderCodec.encode(header)));
    expect(theirs[0].body.map(hex)).toEqual([hex(xt), '0x00']);
    const [b] = decodeBlockResponse(bytes, { needHeader: true });
    expect(b.header).toEqual(header);
    expect(b.body).toEqual([xt, Uint8Array.of(0)]);
    expect(decodeBlockResponse(new Uint8Array(0))).toEqual([]);

    const bad = (blocks: Parameters<typeof encodeBlockResponse>[0], re: RegExp, max?: number) =>
      expect(() =>
        decodeBlockResponse(encodeBlockResponse(blocks), { needHeader: true, maxBlocks: max }),
      ).toThrow(re);
    bad([{ hash: h32(9), header: HeaderCodec.encode(header), body: [] }], /does not hash/);
    bad([{ hash: hh, header: new Uint8Array(0), body: [] }], /header missing/);
    bad([{ hash: hh.subarray(0, 20), header: HeaderCodec.encode(header), body: [] }], /hash of 20/);
    bad([{ hash: hh, header: HeaderCodec.encode(header).subarray(0, 40), body: [] }], /header:/);
    bad([{ hash: hh, header: HeaderCodec.encode(header), body: [Uint8Array.of(0x10, 1)] }], /length prefix/);
    bad([{ hash: hh, header: HeaderCodec.encode(header), body: [Uint8Array.of(0xff)] }], /extrinsic length/);
    const one = { hash: hh, header: HeaderCodec.encode(header), body: [] };
    bad([one, one, one], /more than 2 blocks/, 2);
    expect(() => decodeBlockResponse(new Uint8Array(16 * 1024 * 1024 + 1))).toThrow(/above/);
  });
});

describe('collation protocol messages', () => {
  it('encodes CollationResult as polkadot-js encodes the same enum', () => {
    const reg = new TypeRegistry();
    reg.register({
      CollationResult: {
        _enum: {
          Backed: { candidate_hash: 'H256', relay_parent_number: 'u32' },
          Invalid: { reason: 'Text', message: 'Text' },
          Refused: 'Text',
        },
      },
    } as never);
    const backed = { type: 'Backed', value: { candidate_hash: h32(3), relay_parent_number: 42 } } as const;
    expect(hex(CollationResultCodec.encode(backed))).toBe(
      reg
        .createType('CollationResult', { Backed: { candidate_hash: hex(h32(3)), relay_parent_number: 42 } })
        .toHex(),
    );
    const invalid = { type: 'Invalid', value: { reason: 'PovHashMismatch', message: 'no' } } as const;
    expect(hex(CollationResultCodec.encode(invalid))).toBe(
      reg.createType('CollationResult', { Invalid: { reason: 'PovHashMismatch', message: 'no' } }).toHex(),
    );
    expect(CollationResultCodec.decode(CollationResultCodec.encode(invalid))).toEqual(invalid);
    expect(() => CollationResultCodec.decode(Uint8Array.of(3))).toThrow();
  });

  it('refuses a collation that does not decode with a typed error', () => {
    expect(() => decodeCollationRequest(Uint8Array.of(1, 2, 3))).toThrow(NetworkMessageError);
    expect(() => decodeCollationRequest(new Uint8Array(0))).toThrow(NetworkMessageError);
  });
});

describe("the relay RPC's header JSON", () => {
  const j = {
    parentHash: hex(h32(1)),
    number: '0x4d',
    stateRoot: hex(h32(2)),
    extrinsicsRoot: hex(h32(3)),
    digest: { logs: pjsHeader().digest.logs.map((l) => l.toHex()) },
  };
  it('turns into the header polkadot-js encodes (so its hash is computed, not trusted)', () => {
    expect(hex(HeaderCodec.encode(headerFromJson(j)))).toBe(pjsHeader().toHex());
  });
  it('refuses malformed headers with RelayRpcError', () => {
    for (const bad of [
      null,
      'x',
      { ...j, number: '77' },
      { ...j, number: '0x1ffffffff' },
      { ...j, parentHash: '0x12' },
      { ...j, stateRoot: 'zz' },
      { ...j, digest: {} },
      { ...j, digest: { logs: ['0xff'] } },
    ])
      expect(() => headerFromJson(bad)).toThrow(RelayRpcError);
  });
});
