/**
 * Hostile libp2p peers against a relay validator node process: a garbage handshake, a handshake of another chain,
 * an oversized frame, a block request that does not decode, garbage on the transactions protocol, and a block with a
 * forged seal served in answer to the node's own sync request. Each time the node drops the peer (closes the
 * connection and refuses it for a while) and goes on sealing and serving RPC and honest peers. A request for blocks
 * the node does not have is not an offence: it gets an empty answer.
 */
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { multiaddr } from '@multiformats/multiaddr';
import { type Header, HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotDigest } from '../../src/chain/aura.ts';
import { encodeBlockAnnounce, encodeHandshake, Role } from '../../src/network/block-announce.ts';
import {
  BlockAttribute,
  type BlockRequest,
  decodeBlockResponse,
  encodeBlockRequest,
  encodeBlockResponse,
} from '../../src/network/block-request.ts';
import { createChainHost } from '../../src/network/host.ts';
import { chainProtocols } from '../../src/network/protocols.ts';
import {
  type ChainProcess,
  type HeaderJson,
  headerNumber,
  killAll,
  removeDir,
  startChainNode,
  tempDir,
  waitFor,
} from './chain-process.ts';

let dir: string;
let node: ChainProcess;
let genesis: Uint8Array;
let protocols: ReturnType<typeof chainProtocols>;
const hosts: Libp2p[] = [];

async function peerHost(): Promise<Libp2p> {
  const h = await createChainHost({
    privateKey: await generateKeyPair('Ed25519'),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    isBanned: () => false,
  });
  await h.start();
  hosts.push(h);
  return h;
}

const target = () => multiaddr(node.ready.listenAddresses[0]);
const nodePeer = (h: Libp2p): PeerId | undefined =>
  h.getPeers().find((p) => p.toString() === node.ready.peerId);

async function requestBlocks(h: Libp2p, req: BlockRequest) {
  const s = await h.dialProtocol(target(), protocols.sync, { signal: AbortSignal.timeout(5000) });
  const lp = lpStream(s, { maxDataLength: 16 << 20, maxBufferSize: (16 << 20) + 16 });
  await lp.write(encodeBlockRequest(req));
  const r = decodeBlockResponse((await lp.read({ signal: AbortSignal.timeout(5000) })).subarray());
  await s.close().catch(() => {});
  return r;
}

/** The node hung up on `h` and will not take it back for now. */
async function expectDropped(h: Libp2p): Promise<void> {
  await waitFor(async () => nodePeer(h) === undefined, 5000, 'the node to close the connection');
  await expect(requestBlocks(h, genesisRequest())).rejects.toThrow();
}

/** The node still seals, answers RPC and serves an honest new peer. */
async function expectStillServing(): Promise<void> {
  const n = headerNumber(await node.rpc<HeaderJson>('chain_getHeader'));
  await waitFor(
    async () => headerNumber(await node.rpc<HeaderJson>('chain_getHeader')) > n,
    5000,
    'a new block',
  );
  const honest = await peerHost();
  const blocks = await requestBlocks(honest, genesisRequest());
  expect(blocks).toHaveLength(1);
  expect(Buffer.from(blocks[0].hash)).toEqual(Buffer.from(genesis));
}

const genesisRequest = (): BlockRequest => ({
  attributes: BlockAttribute.Header | BlockAttribute.Body,
  from: { number: 0 },
  direction: 'Ascending',
  maxBlocks: 1,
});

const handshake = (g = genesis) =>
  encodeHandshake({ roles: Role.Full, bestNumber: 0, bestHash: genesis, genesisHash: g });

beforeAll(async () => {
  dir = await tempDir('hostile');
  node = await startChainNode('validator', [
    '--chain',
    'relay',
    '--base-path',
    `${dir}/v`,
    '--p2p-port',
    '0',
    '--validator',
    '//Alice',
    '--block-time',
    '500',
  ]);
  genesis = new Uint8Array(Buffer.from(node.ready.genesisHash.slice(2), 'hex'));
  protocols = chainProtocols(genesis);
}, 60_000);

afterAll(async () => {
  for (const h of hosts) await Promise.resolve(h.stop()).catch(() => {});
  await node?.stop();
  await killAll();
  if (dir) await removeDir(dir);
});

describe('a hostile peer is dropped; the node keeps serving', () => {
  it('answers a request for blocks it does not have with no blocks, and keeps the peer', async () => {
    const h = await peerHost();
    expect(
      await requestBlocks(h, { ...genesisRequest(), from: { hash: new Uint8Array(32).fill(7) } }),
    ).toEqual([]);
    expect(await requestBlocks(h, { ...genesisRequest(), from: { number: 4_000_000_000 } })).toEqual([]);
    const desc = await requestBlocks(h, { ...genesisRequest(), direction: 'Descending', maxBlocks: 0 });
    expect(desc).toHaveLength(1);
    expect(nodePeer(h)).toBeDefined();
  });

  it('drops a peer whose block-announces handshake is garbage', async () => {
    const h = await peerHost();
    const s = await h.dialProtocol(target(), protocols.blockAnnounces);
    await lpStream(s).write(Uint8Array.of(1, 2, 3));
    await expectDropped(h);
    await expectStillServing();
  });

  it("drops a peer whose handshake names another chain's genesis", async () => {
    const h = await peerHost();
    const s = await h.dialProtocol(target(), protocols.blockAnnounces);
    await lpStream(s).write(handshake(new Uint8Array(32).fill(9)));
    await expectDropped(h);
  });

  it('drops a peer that announces a frame over the limit (before its bytes arrive)', async () => {
    const h = await peerHost();
    const s = await h.dialProtocol(target(), protocols.blockAnnounces);
    const lp = lpStream(s);
    await lp.write(handshake());
    // A length prefix of 100 MiB (unsigned varint), then a little of the promised data.
    s.send(Uint8Array.of(0x80, 0x80, 0x80, 0x32, 1, 2, 3, 4));
    await expectDropped(h);
    await expectStillServing();
  });

  it('drops a peer whose block request does not decode, and one that floods the request substream', async () => {
    const h = await peerHost();
    const s = await h.dialProtocol(target(), protocols.sync);
    // Field 1 as a length-delimited field (it is a varint), running past the end.
    await lpStream(s).write(Uint8Array.of(0x0a, 0x7f, 0x01));
    await expectDropped(h);
    const h2 = await peerHost();
    const s2 = await h2.dialProtocol(target(), protocols.sync);
    s2.send(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f));
    s2.send(new Uint8Array(64 * 1024));
    await expectDropped(h2);
    await expectStillServing();
  });

  it('drops a peer that sends garbage on the transactions protocol', async () => {
    const h = await peerHost();
    const s = await h.dialProtocol(target(), protocols.transactions);
    const lp = lpStream(s);
    await lp.write(Uint8Array.of(Role.Full));
    await lp.read({ signal: AbortSignal.timeout(5000) });
    // Two transactions announced, the first claiming 4 GiB.
    await lp.write(Uint8Array.of(0x08, 0x03, 0xff, 0xff, 0xff, 0xff));
    await expectDropped(h);
    await expectStillServing();
  });

  it('drops a peer that serves a block with a forged seal in answer to its sync request', async () => {
    const h = await peerHost();
    const header: Header = {
      parentHash: genesis,
      number: 1,
      stateRoot: new Uint8Array(32).fill(1),
      extrinsicsRoot: new Uint8Array(32).fill(2),
      digest: {
        logs: [
          slotDigest(BigInt(Math.floor(Date.now() / 6000))),
          { type: 'Seal', value: [new TextEncoder().encode('aura'), new Uint8Array(64).fill(5)] } as never,
        ],
      },
    };
    const hash = headerHash(header);
    let asked = false;
    await h.handle(protocols.sync, async (stream) => {
      const lp = lpStream(stream);
      await lp.read();
      asked = true;
      await lp.write(encodeBlockResponse([{ hash, header: HeaderCodec.encode(header), body: [] }]));
      await stream.close();
    });
    const s = await h.dialProtocol(target(), protocols.blockAnnounces);
    const lp = lpStream(s);
    await lp.write(handshake());
    await lp.read({ signal: AbortSignal.timeout(5000) });
    await lp.write(encodeBlockAnnounce({ header, state: 'Best' }));
    await waitFor(async () => asked, 5000, 'the node to request the announced block');
    await expectDropped(h);
    expect(await node.rpc('chain_getHeader', [`0x${Buffer.from(hash).toString('hex')}`])).toBeNull();
    await expectStillServing();
    expect(node.child.exitCode).toBeNull();
  });
});
