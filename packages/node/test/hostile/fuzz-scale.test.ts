/**
 * Bounded fuzz of the SCALE decoders a node runs on bytes from the network (the dev runtime's extrinsic, call,
 * header and block codecs): every input decodes or fails with the decoder's typed error. The longer run is
 * `npx tsx scripts/fuzz.ts --duration 10m`.
 */
import { expect, it } from 'vitest';
import { fuzzScaleDecoders } from './fuzz-targets.ts';

it('SCALE decoders: random and extrinsic-shaped bytes (~5 s)', async () => {
  const report = await fuzzScaleDecoders(5_000);
  console.log(`fuzz scale decoders: ${report.runs} inputs in ${Math.round(report.ms)} ms`);
  expect(report.runs).toBeGreaterThan(1000);
});
