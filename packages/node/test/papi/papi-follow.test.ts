/**
 * chainHead_v1_follow over 100+ blocks of a node process making a block every 100 ms: polkadot-api's client (which
 * unpins as it goes) keeps following and answering queries, and a raw WebSocket client that unpins each block once
 * finalized checks every guarantee of the spec's follow events (paritytech/json-rpc-interface-spec,
 * chainHead_v1_follow.md): `initialized` first, each `newBlock` after its parent, `bestBlockChanged` and `finalized`
 * naming only reported blocks, the best block never pruned nor a non-last finalized entry, no `stop`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
} from '../integration/node-process.ts';
import { RawWs } from '../rpc/helpers.ts';
import { connectPapi, devSigner, type PapiConnection, until } from './papi-client.ts';

const BLOCKS = 100;

let node: RunningNode;
let base = '';
let papi: PapiConnection;

beforeAll(async () => {
  base = await tempBasePath('papi-follow');
  node = await startNode({ basePath: base, mode: { blockTimeMs: 100 } });
  papi = connectPapi(node.wsUrl);
});

afterAll(async () => {
  papi?.destroy();
  await node?.stop();
  await killAllStarted();
  if (base) await removeDir(base);
});

/** A well-behaved follower: checks each event against what it was told before, unpins what it no longer needs. */
class CheckingFollower {
  readonly known = new Set<string>();
  readonly pinned = new Set<string>();
  readonly problems: string[] = [];
  finalized = '';
  finalizedCount = 0;
  newBlocks = 0;
  best = '';
  stopped = false;
  unpinErrors = 0;
  readonly unpinned: string[] = [];

  constructor(
    readonly ws: RawWs,
    readonly sub: string,
  ) {}

  onEvent(e: any): void {
    const fail = (msg: string) => this.problems.push(`${msg}: ${JSON.stringify(e).slice(0, 200)}`);
    switch (e.event) {
      case 'initialized':
        if (this.known.size > 0) fail('initialized twice');
        for (const h of e.finalizedBlockHashes) this.#pin(h);
        this.finalized = e.finalizedBlockHashes.at(-1);
        break;
      case 'newBlock':
        if (!this.known.has(e.parentBlockHash)) fail('newBlock before its parent');
        if (this.known.has(e.blockHash)) fail('newBlock twice');
        if (e.newRuntime !== null) fail('newRuntime without a runtime change');
        this.#pin(e.blockHash);
        this.newBlocks++;
        break;
      case 'bestBlockChanged':
        if (!this.known.has(e.bestBlockHash)) fail('best block not reported');
        this.best = e.bestBlockHash;
        break;
      case 'finalized': {
        const f: string[] = e.finalizedBlockHashes;
        for (const h of [...f, ...e.prunedBlockHashes]) if (!this.known.has(h)) fail('unknown block');
        if (f.slice(0, -1).includes(this.best) || e.prunedBlockHashes.includes(this.best))
          fail('best block finalized below the tip or pruned');
        const done = [this.finalized, ...f.slice(0, -1), ...e.prunedBlockHashes];
        this.finalized = f.at(-1)!;
        this.finalizedCount += f.length;
        for (const h of done) this.pinned.delete(h);
        this.unpinned.push(...done);
        // As a client would: let go of everything below the new finalized block.
        void this.ws.call('chainHead_v1_unpin', [this.sub, done]).then((r) => {
          if (r.error) this.unpinErrors++;
        });
        break;
      }
      case 'stop':
        this.stopped = true;
        break;
      default:
        if (!e.operationId) fail('unexpected event');
    }
  }

  #pin(h: string): void {
    this.known.add(h);
    this.pinned.add(h);
  }
}

describe('a chainHead_v1 follow subscription over 100 blocks', () => {
  it('polkadot-api and a raw client follow 100 blocks with unpins, no stop, every guarantee kept', async () => {
    const ws = await RawWs.open(node.wsUrl);
    try {
      // Listening before subscribing: the first events can arrive in the same read as the subscription id.
      const early: any[] = [];
      let follower: CheckingFollower | undefined;
      ws.ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.method !== 'chainHead_v1_followEvent') return;
        if (!follower) early.push(m);
        else if (m.params.subscription === follower.sub) follower.onEvent(m.params.result);
      });
      const r = await ws.call('chainHead_v1_follow', [true]);
      follower = new CheckingFollower(ws, r.result);
      for (const m of early) if (m.params.subscription === r.result) follower.onEvent(m.params.result);
      const start = await papi.client.getFinalizedBlock();
      const last = await until<{ number: number; hash: string }>(
        (next, error) => papi.client.finalizedBlock$.subscribe({ next, error }),
        (b) => b.number >= start.number + BLOCKS,
        BLOCKS * 100 + 30_000,
        `${BLOCKS} finalized blocks seen by polkadot-api`,
      );
      // PAPI still answers from the latest finalized block it holds.
      const alice = await devSigner('//Alice');
      const api: any = papi.client.getUnsafeApi();
      const acc = await api.query.System.Account.getValue(alice.address, { at: last.hash });
      expect(acc.data.free).toBe(1_000_000n * 10n ** 12n);
      const papiStops = papi.received.filter(
        (m) => m.method === 'chainHead_v1_followEvent' && m.params.result.event === 'stop',
      );
      expect(papiStops).toEqual([]);

      expect(follower.problems).toEqual([]);
      expect(follower.stopped).toBe(false);
      expect(follower.newBlocks).toBeGreaterThanOrEqual(BLOCKS);
      expect(follower.finalizedCount).toBeGreaterThanOrEqual(BLOCKS - 5);
      expect(follower.unpinErrors).toBe(0);
      // Unpinning keeps a handful of blocks pinned, not one per block.
      expect(follower.pinned.size).toBeLessThan(10);
      // The current finalized block is still readable; an unpinned one is no longer this subscription's.
      const header = await ws.call('chainHead_v1_header', [r.result, follower.finalized]);
      expect(header.result).toMatch(/^0x[0-9a-f]+$/);
      const old = follower.unpinned[0];
      const gone = await ws.call('chainHead_v1_header', [r.result, old]);
      expect(gone.error).toMatchObject({ code: -32801, message: 'Invalid block hash' });
      const st = await ws.call('chainHead_v1_storage', [
        r.result,
        follower.finalized,
        [{ key: '0x3a636f6465', type: 'hash' }],
        null,
      ]);
      expect(st.result).toMatchObject({ result: 'started', discardedItems: 0 });
      const items = await ws.next(
        (m) => m.params?.result?.operationId === st.result.operationId && m.params.result.items,
      );
      expect(items.params.result.items[0].key).toBe('0x3a636f6465');
    } finally {
      ws.close();
    }
  });
});
