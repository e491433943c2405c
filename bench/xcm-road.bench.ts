/**
 * The cross-chain road end to end on the devnet (`xstorage devnet --parachains acala,crust`, 1 s relay blocks, no
 * storage nodes), driven through @polkadot/api as a wallet would:
 * - xcm.road_latency_relay_blocks: ACA Acala → Crust (`polkadotXcm.transferAssets`) one at a time: relay blocks from
 *   the relay parent of the Acala block that sent it to the relay parent of the Crust block that executed it
 *   (`messageQueue.Processed`). Baseline: 2 relay blocks, Polkadot's floor for sibling messages (DESIGN §5: sent in
 *   one para block, included by the relay, delivered into the recipient's next block). Goal ≤ 1×.
 * - xcm.road_transfers_per_s: a burst of transfers from 6 accounts, from the first submission until the last one has
 *   executed on Crust. Baseline: the same burst of local `balances.transferKeepAlive` on Acala until the last is in a
 *   block. No goal from the issue; the figure says what the road carries.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connectApi } from '../packages/node/test/chain/helpers.ts';
import { spawnDevnet } from '../packages/node/test/devnet/spawn-devnet.ts';
import {
  account32Loc,
  ChainRecorder,
  fungible,
  here,
  is,
  processed,
  sentMessageId,
  siblingLoc,
  submit,
  UNIT12,
} from '../packages/node/test/road/road-kit.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const CRUST = 2008;
const SINGLES = 5;
const BURST = 30;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Sends `txs[i]` signed by `signers[i]` with explicit nonces, all at once; resolves with each one's block hash. */
async function burst(api: ApiPromise, txs: any[], signers: KeyringPair[]): Promise<string[]> {
  const nonces = new Map<string, number>();
  for (const s of new Set(signers))
    nonces.set(s.address, ((await api.rpc.system.accountNextIndex(s.address)) as any).toNumber());
  return Promise.all(
    txs.map(
      (tx, i) =>
        new Promise<string>((resolve, reject) => {
          const signer = signers[i];
          const nonce = nonces.get(signer.address)!;
          nonces.set(signer.address, nonce + 1);
          tx.signAndSend(signer, { nonce }, (r: any) => {
            if (r.isError) reject(new Error(`transaction ${r.status.type}`));
            else if (r.status.isInBlock) {
              if (r.dispatchError) reject(new Error(`dispatch error ${r.dispatchError.toString()}`));
              else resolve(r.status.asInBlock.toHex());
            }
          }).catch(reject);
        }),
    ),
  );
}

const suite: BenchSuite = {
  name: 'the cross-chain road end to end (devnet: Acala → Crust)',
  async run(signal): Promise<BenchResult[]> {
    await cryptoWaitReady();
    const net = await spawnDevnet({
      parachains: ['crust', 'acala'],
      blockTimeMs: 1000,
      extraArgs: ['--storage-nodes', '0'],
    });
    const apis: ApiPromise[] = [];
    const recs: ChainRecorder[] = [];
    try {
      const acala = await connectApi(net.endpoints.parachains.acala.ws);
      const crust = await connectApi(net.endpoints.parachains.crust.ws);
      apis.push(acala, crust);
      const onAcala = await ChainRecorder.start('acala', acala);
      const onCrust = await ChainRecorder.start('crust', crust);
      recs.push(onAcala, onCrust);
      const keyring = new Keyring({ type: 'sr25519' });
      const accounts = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) =>
        keyring.addFromUri(`//${n}`),
      );
      const [alice] = accounts;
      const transfer = (i: number) =>
        acala.tx.polkadotXcm.transferAssets(
          { V4: siblingLoc(CRUST) },
          { V4: account32Loc(accounts[(i + 1) % accounts.length].publicKey) },
          { V4: [fungible(here(), UNIT12 + BigInt(i))] },
          0,
          'Unlimited',
        );
      /** Relay blocks between the sending block's relay parent and the executing block's. */
      const latencyOf = async (blockHash: string, id: string): Promise<number> => {
        const sent = await onAcala.waitFor('the sending block', (_e, b) => b.hash === blockHash);
        const done = await processed(onCrust, id, 60_000);
        if (!done.event.event.data.success.isTrue) throw new Error(`message ${id} failed on Crust`);
        return done.block.relayParent! - sent.block.relayParent!;
      };

      // Warm-up: the first message to Crust also starts XCM version discovery between the two.
      const warm = await submit(acala, transfer(0), alice);
      await processed(onCrust, sentMessageId(warm), 60_000);

      const latencies: number[] = [];
      for (let i = 0; i < SINGLES; i++) {
        signal.throwIfAborted();
        const tx = await submit(acala, transfer(i), alice);
        latencies.push(await latencyOf(tx.blockHash, sentMessageId(tx)));
      }

      // Burst of cross-chain transfers.
      signal.throwIfAborted();
      const signers = Array.from({ length: BURST }, (_, i) => accounts[i % accounts.length]);
      const t0 = performance.now();
      const blocks = await burst(
        acala,
        Array.from({ length: BURST }, (_, i) => transfer(i)),
        signers,
      );
      const ids: Array<[string, string]> = [];
      for (const hash of new Set(blocks)) {
        const b = await onAcala.waitFor('a burst block', (_e, x) => x.hash === hash);
        for (const e of b.block.events.filter(is('polkadotXcm', 'Sent')))
          ids.push([hash, e.event.data.messageId.toHex()]);
      }
      if (ids.length !== BURST) throw new Error(`${ids.length} of ${BURST} transfers were sent`);
      const burstLatencies: number[] = [];
      for (const [hash, id] of ids) burstLatencies.push(await latencyOf(hash, id));
      const last = Math.max(
        ...ids.map(
          ([, id]) => onCrust.find(is('messageQueue', 'Processed', (d) => d.id.toHex() === id))!.block.number,
        ),
      );
      const lastSeenAt = performance.now();
      // The recorder saw the last block a little after it was built: good enough at 1 s blocks (it polls per head).
      const xcmPerS = (BURST * 1000) / (lastSeenAt - t0);

      // Baseline: the same burst of local transfers on Acala.
      const t1 = performance.now();
      await burst(
        acala,
        Array.from({ length: BURST }, (_, i) =>
          acala.tx.balances.transferKeepAlive(
            accounts[(i + 1) % accounts.length].address,
            UNIT12 + BigInt(i),
          ),
        ),
        signers,
      );
      const localPerS = (BURST * 1000) / (performance.now() - t1);

      const lat = median(latencies);
      console.log(
        `  latency (relay blocks) one at a time: ${latencies.join(', ')}; in a burst of ${BURST}: median ${median(burstLatencies)}, max ${Math.max(...burstLatencies)} (last executed in Crust #${last})`,
      );
      console.log(
        `  burst: ${xcmPerS.toFixed(2)} cross-chain transfers/s end to end; ${localPerS.toFixed(2)} local transfers/s on Acala`,
      );
      return [
        result(
          'xcm.road_latency_relay_blocks',
          lat,
          'relay blocks',
          { name: "Polkadot's floor for sibling messages (DESIGN §5)", value: 2 },
          1,
          'lower',
        ),
        result(
          'xcm.road_transfers_per_s',
          xcmPerS,
          'transfers/s',
          {
            name: `the same burst of ${BURST} local transfer_keep_alive on Acala, until in blocks`,
            value: localPerS,
          },
          null,
          'higher',
        ),
      ];
    } finally {
      for (const r of recs) r.stop();
      for (const a of apis) await a.disconnect().catch(() => {});
      await net.dispose();
    }
  },
};
export default suite;
