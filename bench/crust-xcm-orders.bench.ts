/**
 * Cross-chain storage orders end to end from all seven chains at once, on one devnet (`xstorage devnet` with Crust
 * and the seven profiles, 1 s relay blocks, no storage nodes), driven through @polkadot/api as wallets would:
 * - crust.xcm_orders_per_s: ORDERS_PER_CHAIN orders from each of the seven chains (`xstorage.placeStorageOrder` in
 *   CRU, each chain's first dev account: //Alice, or Alith signed with her Ethereum key on Moonbeam and Darwinia;
 *   explicit nonces, a distinct CID per order), all submitted at once; orders per second from the first submission
 *   until the last `xstorage.OrderConfirmed` is seen at home. Baseline: the same number of orders placed directly on
 *   Crust (`market.placeStorageOrder`) by the same number of users (seven accounts funded on Crust first), at once,
 *   until the last is in a block, on the same devnet in the same run: what the chain that does the work carries
 *   without the road. No goal from the issue.
 * - crust.xcm_order_exec_relay_blocks: relay blocks from the relay block including the home chain's candidate that
 *   sent the order to the relay block including the Crust candidate that executed it (`messageQueue.Processed` of
 *   the order's message id). Median over the orders. Goal ≤ 2 relay blocks.
 * - crust.xcm_order_confirm_relay_blocks: relay blocks from the relay block including that Crust candidate to the
 *   relay block including the home chain's candidate with `OrderConfirmed`. Median. Goal ≤ 2 relay blocks.
 * - crust.xcm_order_alone_exec_relay_blocks / _confirm_relay_blocks: the same two for one order at a time (each
 *   chain in turn, before the burst): the road's latency without a queue. In the burst Crust's message queue is the
 *   bound: an order's message is charged its XCM weight, mostly proof size (the weigher's fixed proof size per
 *   instruction), and `messageQueue.serviceWeight` (35% of the block) admits about two of them per Crust block, so
 *   the later orders of the burst wait in the queue. The run prints both weights and orders per Crust block.
 * Inclusion comes from the relay chain's own record: `paraInclusion.CandidateIncluded` carries the candidate's para
 * id and `para_head` (the hash of its head data, the parachain block's header, so the block hash). The relay parents
 * the parachain blocks were built on (`parachainSystem.validationData`, the measure of bench/xcm-road.bench.ts) are
 * printed next to it.
 * The devnet runs as the separate process users start (road-kit's `startRoad`, as xcm-road and the seven-profile
 * test do), not in this process: nine chains' block production sharing one event loop with nine @polkadot/api
 * clients decoding every block would slow the chains by the measurement itself. One warm-up order per chain first
 * (not measured): the first message between two chains also starts XCM version discovery.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { ParachainData } from '@xstorage/runtime/runtimes/parachain';
import {
  is,
  type RecordedBlock,
  type RecordedEvent,
  type Road,
  submit,
} from '../packages/node/test/road/road-kit.ts';
import { CRUST, devSigner, MIB, SEVEN, startSeven } from '../packages/node/test/xstorage/chains-kit.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const ORDERS_PER_CHAIN = Number(process.env.XSTORAGE_BENCH_XCM_ORDERS ?? 4);
const GOAL_RELAY_BLOCKS = 2;
const WAIT_MS = 90_000;
const CRU = 10n ** 12n;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A CID of the base32 CIDv1 shape, distinct per chain, run and order. */
const cidOf = (chain: string, tag: string, i: number) => {
  const body = `${chain}${tag}`.toLowerCase().replace(/[^a-z2-7]/g, 'a') + base32(i);
  return `bafybei${body}${'q'.repeat(52 - body.length)}`;
};

/** `i` in RFC 4648 base32 letters (lower case), so CIDs stay in the base32 alphabet and distinct. */
const base32 = (i: number) =>
  [...i.toString(32)].map((d) => 'abcdefghijklmnopqrstuvwxyz234567'[Number.parseInt(d, 32)]).join('');

interface InBlock {
  blockHash: string;
  events: RecordedEvent[];
  /** performance.now() when the client saw it in a block. */
  at: number;
}

/** Sends `txs` signed by `signer` with consecutive explicit nonces, all at once; each one's block and events. */
async function burst(api: ApiPromise, txs: any[], signer: KeyringPair): Promise<InBlock[]> {
  // From state, not `system_accountNextIndex`: the node's RPC takes SS58 or 32-byte ids, not Moonbeam's H160.
  const first = ((await api.query.system.account(signer.address)) as any).nonce.toNumber();
  return Promise.all(
    txs.map(
      (tx, i) =>
        new Promise<InBlock>((resolve, reject) => {
          let unsub: (() => void) | undefined;
          tx.signAndSend(signer, { nonce: first + i }, (r: any) => {
            if (r.isError) {
              unsub?.();
              reject(new Error(`transaction ${r.status.type}`));
              return;
            }
            if (!r.status.isInBlock && !r.status.isFinalized) return;
            unsub?.();
            if (r.dispatchError) {
              reject(new Error(`dispatch error ${r.dispatchError.toString()}`));
              return;
            }
            resolve({
              blockHash: (r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex(),
              events: r.events.map((x: any) => ({
                section: x.event.section,
                method: x.event.method,
                event: x.event,
                extrinsic: undefined,
              })),
              at: performance.now(),
            });
          })
            .then((u: () => void) => {
              unsub = u;
            })
            .catch(reject);
        }),
    ),
  );
}

interface Order {
  chain: ParachainData;
  orderId: string;
  homeBlock: string;
}

/** The relay block that included `paraId`'s block `hash` (its candidate's `para_head`). */
async function includedAt(road: Road, paraId: number, hash: string): Promise<RecordedBlock> {
  const found = await road.rec.relay.waitFor(
    `the inclusion of para ${paraId}'s block ${hash}`,
    is(
      'paraInclusion',
      'CandidateIncluded',
      (d) => d[0].descriptor.paraId.toNumber() === paraId && d[0].descriptor.paraHead.toHex() === hash,
    ),
    WAIT_MS,
  );
  return found.block;
}

/** Places `count` orders from `chain`'s first dev account at once; their ids and home blocks. */
async function placeFrom(road: Road, chain: ParachainData, tag: string, count: number): Promise<Order[]> {
  const api = road.para[chain.id];
  const txs = Array.from({ length: count }, (_, i) =>
    api.tx.xstorage.placeStorageOrder({ Cru: null }, cidOf(chain.id, tag, i), MIB + BigInt(i)),
  );
  const placed = await burst(api, txs, devSigner(chain, 0));
  const orders: Order[] = [];
  // Several orders may share a block: each block's OrderPlaced events, once.
  for (const hash of new Set(placed.map((p) => p.blockHash))) {
    const block = await road.rec[chain.id].waitFor(`${chain.id} block ${hash}`, (_e, b) => b.hash === hash);
    for (const e of block.block.events.filter(is('xstorage', 'OrderPlaced')))
      if (e.event.data.cid.toUtf8().includes(tag))
        orders.push({ chain, orderId: e.event.data.orderId.toHex(), homeBlock: hash });
  }
  if (orders.length !== count) throw new Error(`${chain.id}: ${orders.length} of ${count} orders placed`);
  return orders;
}

interface Followed {
  order: Order;
  crust: RecordedBlock;
  confirmed: RecordedBlock;
  /** The weight Crust's message queue charged for the order's message. */
  weightUsed: { refTime: bigint; proofSize: bigint };
  /** performance.now() when the recorder saw OrderConfirmed. */
  confirmedAt: number;
  /** Relay blocks including: the sending home block, the executing Crust block, the confirming home block. */
  sentIn: number;
  executedIn: number;
  confirmedIn: number;
}

/** Waits for the order's execution on Crust and its confirmation home, and for the relay to include all three. */
async function follow(road: Road, order: Order): Promise<Followed> {
  const { chain, orderId } = order;
  // Both waits start now, so `confirmedAt` is when the recorder saw the answer, not when this got to it.
  const answering = road.rec[chain.id]
    .waitFor(
      `the answer to ${orderId}`,
      (e) =>
        e.section === 'xstorage' &&
        (e.method === 'OrderConfirmed' || e.method === 'OrderFailed') &&
        e.event.data.orderId.toHex() === orderId,
      WAIT_MS,
    )
    .then((found) => ({ found, at: performance.now() }));
  answering.catch(() => {});
  const onCrust = await road.rec.crust.waitFor(
    `messageQueue.Processed of ${orderId}`,
    is('messageQueue', 'Processed', (d) => d.id.toHex() === orderId),
    WAIT_MS,
  );
  if (!onCrust.event.event.data.success.isTrue) throw new Error(`order ${orderId} failed on Crust`);
  const answer = await answering;
  if (answer.found.event.method !== 'OrderConfirmed')
    throw new Error(`order ${orderId} failed: ${answer.found.event.method}`);
  const [sent, executed, confirmed] = await Promise.all([
    includedAt(road, chain.paraId, order.homeBlock),
    includedAt(road, CRUST, onCrust.block.hash),
    includedAt(road, chain.paraId, answer.found.block.hash),
  ]);
  return {
    order,
    crust: onCrust.block,
    confirmed: answer.found.block,
    confirmedAt: answer.at,
    weightUsed: {
      refTime: onCrust.event.event.data.weightUsed.refTime.toBigInt(),
      proofSize: onCrust.event.event.data.weightUsed.proofSize.toBigInt(),
    },
    sentIn: sent.number,
    executedIn: executed.number,
    confirmedIn: confirmed.number,
  };
}

const suite: BenchSuite = {
  name: 'cross-chain storage orders from the seven chains at once (devnet: relay + Crust + seven)',
  async run(signal): Promise<BenchResult[]> {
    const tStart = performance.now();
    const road = await startSeven();
    console.log(
      `  devnet of ${SEVEN.length + 2} chains up in ${((performance.now() - tStart) / 1000).toFixed(1)} s`,
    );
    try {
      const crust = road.para.crust;
      const keyring = new Keyring({ type: 'sr25519' });
      const users = SEVEN.map((_, i) => keyring.addFromUri(`//bench/crust-user/${i}`));

      // Set-up (not measured): seven users funded on Crust for the baseline, and a warm-up order per chain.
      await submit(
        crust,
        crust.tx.utility.batchAll(
          users.map((u) => crust.tx.balances.transferKeepAlive(u.address, 1_000n * CRU)),
        ),
        keyring.addFromUri('//Alice'),
      );
      const warm = await Promise.all(SEVEN.map((c) => placeFrom(road, c, 'warm', 1)));
      const warmed = await Promise.all(warm.flat().map((o) => follow(road, o)));
      console.log(
        `  warm-up (one order per chain): exec ${warmed.map((f) => f.executedIn - f.sentIn).join(', ')}, confirm ${warmed.map((f) => f.confirmedIn - f.executedIn).join(', ')} relay blocks`,
      );

      // One order at a time, each chain in turn: the latency of an order alone on the road.
      const alone: Followed[] = [];
      for (const c of SEVEN) {
        signal.throwIfAborted();
        const [o] = await placeFrom(road, c, 'alone', 1);
        alone.push(await follow(road, o));
      }

      // Measured: ORDERS_PER_CHAIN from every chain at once.
      signal.throwIfAborted();
      const total = SEVEN.length * ORDERS_PER_CHAIN;
      const t0 = performance.now();
      const placed = (
        await Promise.all(SEVEN.map((c) => placeFrom(road, c, 'run', ORDERS_PER_CHAIN)))
      ).flat();
      const followed = await Promise.all(placed.map((o) => follow(road, o)));
      // The recorders walk each chain per new head: an OrderConfirmed is seen a little after its block was built.
      const lastConfirmedAt = Math.max(...followed.map((f) => f.confirmedAt));
      const xcmPerS = (total * 1000) / (lastConfirmedAt - t0);
      const exec = followed.map((f) => f.executedIn - f.sentIn);
      const confirm = followed.map((f) => f.confirmedIn - f.executedIn);
      const byRelayParent = followed.map((f) => {
        const home = road.rec[f.order.chain.id].blocks.find((b) => b.hash === f.order.homeBlock)!;
        return [f.crust.relayParent! - home.relayParent!, f.confirmed.relayParent! - f.crust.relayParent!];
      });

      // Baseline: as many orders placed directly on Crust by seven users, at once, until in blocks.
      signal.throwIfAborted();
      const t1 = performance.now();
      const direct = await Promise.all(
        users.map((u, k) =>
          burst(
            crust,
            Array.from({ length: ORDERS_PER_CHAIN }, (_, i) =>
              crust.tx.market.placeStorageOrder(cidOf(`crust${k}`, 'direct', i), MIB + BigInt(i), 0, ''),
            ),
            u,
          ),
        ),
      );
      const directPerS = (total * 1000) / (Math.max(...direct.flat().map((d) => d.at)) - t1);

      console.log(
        `  ${total} cross-chain orders (${ORDERS_PER_CHAIN} from each of ${SEVEN.map((c) => c.id).join(', ')}): all confirmed home after ${((lastConfirmedAt - t0) / 1000).toFixed(1)} s`,
      );
      console.log(
        `  relay blocks, by inclusion: exec ${exec.join(',')} (median ${median(exec)}, max ${Math.max(...exec)}); confirm ${confirm.join(',')} (median ${median(confirm)}, max ${Math.max(...confirm)})`,
      );
      console.log(
        `  relay blocks, by relay parent (xcm-road's measure): exec median ${median(byRelayParent.map((x) => x[0]))}, confirm median ${median(byRelayParent.map((x) => x[1]))}`,
      );
      const service = (crust.consts.messageQueue.serviceWeight as any).unwrapOr(undefined);
      const orderWeight = followed[0].weightUsed;
      const perCrustBlock = new Map<string, number>();
      for (const f of followed) perCrustBlock.set(f.crust.hash, (perCrustBlock.get(f.crust.hash) ?? 0) + 1);
      console.log(
        `  on Crust: ${perCrustBlock.size} blocks executed the ${total} orders (at most ${Math.max(...perCrustBlock.values())} in one); an order's message weighs ${orderWeight.refTime} ref time / ${orderWeight.proofSize} proof; messageQueue.serviceWeight ${service ? `${service.refTime.toBigInt()} / ${service.proofSize.toBigInt()}` : 'none'}`,
      );
      console.log(`  ${total} orders directly on Crust by seven users: ${directPerS.toFixed(2)}/s`);
      const aloneExec = alone.map((f) => f.executedIn - f.sentIn);
      const aloneConfirm = alone.map((f) => f.confirmedIn - f.executedIn);
      console.log(
        `  one order alone from each chain: exec ${aloneExec.join(',')} (median ${median(aloneExec)}), confirm ${aloneConfirm.join(',')} (median ${median(aloneConfirm)}) relay blocks`,
      );
      const goal = { name: `goal: ${GOAL_RELAY_BLOCKS} relay blocks`, value: GOAL_RELAY_BLOCKS };
      return [
        result(
          'crust.xcm_orders_per_s',
          xcmPerS,
          'orders/s',
          {
            name: `the same ${total} orders placed directly on Crust by 7 users at once, until in blocks (same devnet)`,
            value: directPerS,
          },
          null,
          'higher',
        ),
        result('crust.xcm_order_exec_relay_blocks', median(exec), 'relay blocks', goal, 1, 'lower'),
        result('crust.xcm_order_confirm_relay_blocks', median(confirm), 'relay blocks', goal, 1, 'lower'),
        result(
          'crust.xcm_order_alone_exec_relay_blocks',
          median(aloneExec),
          'relay blocks',
          goal,
          1,
          'lower',
        ),
        result(
          'crust.xcm_order_alone_confirm_relay_blocks',
          median(aloneConfirm),
          'relay blocks',
          goal,
          1,
          'lower',
        ),
      ];
    } finally {
      await road.stop();
    }
  },
};

export default suite;
