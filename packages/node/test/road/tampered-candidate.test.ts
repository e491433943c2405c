/**
 * A candidate with a tampered state root is refused by the relay chain and the parachain goes on from its last good
 * block. The devnet runs in this process (the `Devnet` class `xstorage devnet` runs) so the test can stand in for a
 * malicious collator through the devnet's `alterCollation` test hook: once, it takes Acala's honest collation, changes
 * the block's state root, seals the header again and re-signs the candidate, so everything the validator checks before
 * executing the block (PoV hash, collator signature, head data) is consistent — only the execution disagrees. Then,
 * through @polkadot/api: the validator reports it `invalid` (`ExecutionFailed`: `StateRootMismatch`), the relay never
 * includes it (`paraInclusion.CandidateIncluded`, `paras.heads`), the collator builds the same height again on the
 * last included head, and Acala's blocks are included again, one after the other, the honest-but-abandoned block off
 * the canonical chain.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { type Header, HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { collatorSignaturePayload, headDataHash } from '@xstorage/runtime/parachains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAuthorityKey, sealHeader, signWith } from '../../src/chain/aura.ts';
import { withoutSeal } from '../../src/chain/pov-recorder.ts';
import { type Collation, decodePov, encodePov, povHash } from '../../src/collation/collation.ts';
import { Devnet } from '../../src/devnet/devnet.ts';
import type { BackingEvent } from '../../src/relay/backing.ts';
import { connectApi } from '../chain/helpers.ts';
import { ChainRecorder, is } from './road-kit.ts';

const ACALA = 2000;
const collatorKey = devAuthorityKey('//Alice');

/** The collation with the block's state root changed, sealed and signed again as its collator would. */
function tamperStateRoot(c: Collation): { collation: Collation; honest: Header; tampered: Header } {
  const pov = decodePov(c.pov);
  const honest = pov.block.header;
  const unsealed = withoutSeal(honest);
  const stateRoot = unsealed.stateRoot.slice();
  stateRoot[0] ^= 0xff;
  const tampered = sealHeader({ ...unsealed, stateRoot }, collatorKey);
  const newPov = encodePov({
    block: { header: tampered, extrinsics: pov.block.extrinsics },
    proof: pov.proof,
  });
  const head_data = HeaderCodec.encode(tampered);
  const descriptor = {
    ...c.receipt.descriptor,
    pov_hash: povHash(newPov),
    para_head: headDataHash(head_data),
  };
  descriptor.signature = signWith(collatorKey, collatorSignaturePayload(descriptor));
  return {
    collation: { receipt: { descriptor, commitments: { ...c.receipt.commitments, head_data } }, pov: newPov },
    honest,
    tampered,
  };
}

let devnet: Devnet;
let relay: ApiPromise;
let acala: ApiPromise;
let relayRec: ChainRecorder;
const candidates: BackingEvent[] = [];
let arm: (() => void) | undefined;
let tamperedOnce: Promise<{ honest: Header; tampered: Header }>;

beforeAll(async () => {
  await cryptoWaitReady();
  let armed = false;
  let done: (v: { honest: Header; tampered: Header }) => void = () => {};
  tamperedOnce = new Promise((r) => {
    done = r;
  });
  arm = () => {
    armed = true;
  };
  devnet = new Devnet({
    tmp: true,
    parachains: ['acala'],
    blockTimeMs: 1000,
    rpcPort: 0,
    onCandidate: (e) => candidates.push(e),
    onError: () => {},
    alterCollation(collation, para) {
      if (!armed || para.paraId !== ACALA) return collation;
      armed = false;
      const t = tamperStateRoot(collation);
      done({ honest: t.honest, tampered: t.tampered });
      return t.collation;
    },
  });
  const endpoints = await devnet.start();
  relay = await connectApi(endpoints.relay.ws);
  acala = await connectApi(endpoints.parachains.acala.ws);
  relayRec = await ChainRecorder.start('relay', relay);
}, 90_000);

afterAll(async () => {
  relayRec?.stop();
  await relay?.disconnect().catch(() => {});
  await acala?.disconnect().catch(() => {});
  await devnet?.stop();
});

/** Acala heads the relay included, in relay block order: [relay block, para header]. */
function includedHeads(): Array<{ relayBlock: number; header: any }> {
  return relayRec
    .findAll(is('paraInclusion', 'CandidateIncluded', (d) => d[0].descriptor.paraId.toNumber() === ACALA))
    .map(({ block, event }) => ({
      relayBlock: block.number,
      header: acala.createType('Header', event.event.data[1].toU8a(true)),
    }));
}

describe('a candidate with a tampered state root', () => {
  it('is refused by the relay validator and never included; Acala goes on from its last good block', async () => {
    // A couple of honest blocks first.
    await relayRec.waitFor('an Acala inclusion', is('paraInclusion', 'CandidateIncluded'));
    arm!();
    const { honest, tampered } = await tamperedOnce;
    const tamperedHash = u8aToHex(headerHash(tampered));
    const honestHash = u8aToHex(headerHash(honest));
    const lastGood = u8aToHex(honest.parentHash);

    // The validator executes the block against its proof and disagrees with its state root.
    const deadline = Date.now() + 20_000;
    let refused: BackingEvent | undefined;
    while (!refused && Date.now() < deadline) {
      refused = candidates.find((e) => e.kind === 'invalid' && e.para === ACALA);
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toMatchObject({ kind: 'invalid', para: ACALA, reason: 'ExecutionFailed' });
    expect(refused!.kind === 'invalid' && refused!.message).toMatch(/StateRootMismatch/);
    expect(refused!.kind === 'invalid' && refused!.message).toContain(u8aToHex(tampered.stateRoot).slice(2));

    // The chain goes on: two more Acala blocks included after the refusal, the first at the refused height on the
    // last good block.
    await relayRec.waitFor(
      'Acala included past the refused height',
      is(
        'paraInclusion',
        'CandidateIncluded',
        (d) =>
          d[0].descriptor.paraId.toNumber() === ACALA &&
          acala.createType('Header', d[1].toU8a(true)).number.toNumber() >= honest.number + 1,
      ),
      30_000,
    );
    const heads = includedHeads();
    const hashes = heads.map((h) => h.header.hash.toHex());
    expect(hashes).toContain(lastGood);
    expect(heads.length).toBeGreaterThanOrEqual(3);
    expect(hashes).not.toContain(tamperedHash);
    expect(hashes).not.toContain(honestHash);
    const replacement = heads.find((h) => h.header.number.toNumber() === honest.number)!;
    expect(replacement.header.parentHash.toHex()).toBe(lastGood);
    // Included one after the other: each head builds on the one before, no gap, no height twice.
    for (let i = 1; i < heads.length; i++) {
      expect(heads[i].header.number.toNumber()).toBe(heads[i - 1].header.number.toNumber() + 1);
      expect(heads[i].header.parentHash.toHex()).toBe(hashes[i - 1]);
    }
    // The relay's head of Acala is on that chain, and Acala's canonical block at the height is the replacement.
    const relayHead = acala.createType(
      'Header',
      ((await relay.query.paras.heads(ACALA)) as any).unwrap().toU8a(true),
    );
    expect(relayHead.number.toNumber()).toBeGreaterThanOrEqual(honest.number + 1);
    expect((await acala.rpc.chain.getBlockHash(honest.number)).toHex()).toBe(replacement.header.hash.toHex());
    const finalized = await acala.rpc.chain.getHeader(await acala.rpc.chain.getFinalizedHead());
    expect(finalized.number.toNumber()).toBeGreaterThanOrEqual(honest.number);
  });
});
