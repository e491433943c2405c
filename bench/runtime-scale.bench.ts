/**
 * SCALE codec throughput on a realistic block: a header with a BABE digest and 1,000 signed v4
 * `balances.transferKeepAlive` extrinsics (MultiAddress::Id signer, Sr25519 signature, mortal era, Compact nonce
 * and tip, Compact<u128> value), each `Vec<u8>`-wrapped. One operation = decode the block bytes (both levels) and
 * encode the value back. Baseline: @polkadot/types with Polkadot's metadata doing the same on the same bytes.
 */
import { Block, makeBlock, polkadotJsRegistry } from '../packages/runtime/test/scale/block-model.ts';
import { type BenchSuite, opsPerSecond, result } from './lib.ts';

const suite: BenchSuite = {
  name: 'runtime SCALE codec',
  async run() {
    const bytes = Block.encode(makeBlock(1000));
    const registry = polkadotJsRegistry();

    // Both sides must agree on the bytes, or the comparison means nothing.
    const pjsBytes = registry.createType('Block', bytes).toU8a();
    if (Buffer.compare(Buffer.from(pjsBytes), Buffer.from(bytes)) !== 0)
      throw new Error('polkadot-js re-encodes the block differently');
    if (Buffer.compare(Buffer.from(Block.encode(Block.decode(bytes))), Buffer.from(bytes)) !== 0)
      throw new Error('our codec does not round-trip the block');

    // The machine is shared: interleave rounds and keep each side's best, so a burst of load elsewhere does not
    // land on one side only.
    let ours = 0;
    let theirs = 0;
    for (let round = 0; round < 3; round++) {
      ours = Math.max(
        ours,
        opsPerSecond(
          () => {
            Block.encode(Block.decode(bytes));
          },
          1,
          1000,
        ),
      );
      theirs = Math.max(
        theirs,
        opsPerSecond(
          () => {
            registry.createType('Block', bytes).toU8a();
          },
          1,
          1000,
        ),
      );
    }

    return [
      result(
        'runtime.scale.block_1000_xt',
        ours,
        'blocks/s',
        { name: '@polkadot/types 16.5.6', value: theirs },
        10,
        'higher',
      ),
    ];
  },
};

export default suite;
