/**
 * A collator whose database is lost comes back by syncing: the relay chain still holds Crust's head, which the new
 * collator (genesis only) does not have; it fetches that block and its ancestors from a Crust full node over the
 * block request protocol, then builds on it, and Crust's head on the relay chain moves on.
 */

import { HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { HeadDataCodec, wellKnownKeys } from '@xstorage/runtime/parachains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChainProcess,
  diagnostics,
  type HeaderJson,
  headerNumber,
  killAll,
  removeDir,
  startChainNode,
  tempDir,
  waitFor,
} from './chain-process.ts';

let dir: string;
let relay: ChainProcess;
let collator: ChainProcess;
let full: ChainProcess;

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

async function crustHead(): Promise<{ number: number; hash: string }> {
  const raw = await relay.rpc<string>('state_getStorage', [hex(wellKnownKeys.paraHead(2008))]);
  const header = HeaderCodec.decode(HeadDataCodec.decode(Buffer.from(raw.slice(2), 'hex')));
  return { number: header.number, hash: hex(headerHash(header)) };
}

/** Crust's head on the relay once it has not moved for 3 relay blocks. */
async function settledHead(): Promise<{ number: number; hash: string }> {
  let last = await crustHead();
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await crustHead();
    if (now.hash !== last.hash) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= 3000) return last;
  }
}

const startCollator = (bootnodes: string[]) =>
  startChainNode('crust-collator', [
    '--chain',
    'crust',
    '--base-path',
    `${dir}/collator`,
    '--p2p-port',
    '0',
    '--collator',
    '//Alice',
    '--relay-rpc',
    relay.ready.rpcUrl,
    '--relay-bootnode',
    relay.ready.listenAddresses[0],
    ...(bootnodes.length ? ['--bootnodes', bootnodes.join(',')] : []),
  ]);

beforeAll(async () => {
  dir = await tempDir('recovery');
  relay = await startChainNode('relay', [
    '--chain',
    'relay',
    '--base-path',
    `${dir}/relay`,
    '--p2p-port',
    '0',
    '--validator',
    '//Alice',
    '--block-time',
    '1000',
  ]);
  collator = await startCollator([]);
  full = await startChainNode('crust-full', [
    '--chain',
    'crust',
    '--base-path',
    `${dir}/full`,
    '--p2p-port',
    '0',
    '--bootnodes',
    collator.ready.listenAddresses[0],
    '--relay-rpc',
    relay.ready.rpcUrl,
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([full, collator, relay].map((n) => n?.stop().catch(() => {})));
  await killAll();
  if (dir) await removeDir(dir);
});

describe('a collator that lost its database', () => {
  it('fetches the head the relay chain holds from a full node and builds on it', async () => {
    const diag = () => diagnostics([relay, collator, full]);
    await waitFor(
      async () => (await crustHead()).number >= 3,
      30_000,
      () => `Crust #3 included; ${diag()}`,
    );
    // A collation in flight when the collator stops may still be included; if the full node had not fetched that
    // block yet, nobody has it (we have no availability recovery of PoVs from validators, as Polkadot has), so the
    // database is only thrown away once the head the relay chain settles on is on the full node.
    let held: { number: number; hash: string } | undefined;
    for (let attempt = 0; attempt < 3 && !held; attempt++) {
      await collator.stop();
      const settled = await settledHead();
      const onFull = await waitFor(
        () => full.rpc<HeaderJson | null>('chain_getHeader', [settled.hash]),
        3000,
        'the settled head on the full node',
      ).catch(() => null);
      if (onFull) held = settled;
      else {
        collator = await startCollator([full.ready.listenAddresses[0]]);
        await waitFor(
          async () => (await crustHead()).number > settled.number,
          20_000,
          () => `Crust past #${settled.number}; ${diag()}`,
        );
      }
    }
    if (!held) throw new Error(`the full node never had the head the relay chain held; ${diag()}`);
    await removeDir(`${dir}/collator`);
    collator = await startCollator([full.ready.listenAddresses[0]]);
    expect(collator.ready.bestNumber).toBe(0);
    const after = await waitFor(
      async () => {
        const h = await crustHead();
        return h.number > held.number && h;
      },
      30_000,
      () => `Crust's head past #${held.number}; ${diag()}`,
    );
    // The new collator built the new head on the chain it fetched: it has every block up to it.
    const onCollator = await collator.rpc<HeaderJson>('chain_getHeader', [after.hash]);
    expect(headerNumber(onCollator)).toBe(after.number);
    expect(await collator.rpc('chain_getBlockHash', [held.number])).toBe(held.hash);
    expect(await collator.rpc('chain_getBlockHash', [1])).toBe(await full.rpc('chain_getBlockHash', [1]));
  });
});
