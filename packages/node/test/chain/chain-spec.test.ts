/**
 * Chain specs: the dev spec's identity, a raw JSON spec written by `chainSpecToJson` and read back gives the same
 * genesis block, and malformed spec files fail with a ChainSpecError naming the problem.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto } from '@xstorage/runtime/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainSpecError,
  chainSpecToJson,
  devChainSpec,
  loadChainSpec,
  parseChainSpec,
} from '../../src/chain-spec/index.ts';
import { Node } from '../../src/node.ts';

let dir = '';
beforeAll(async () => {
  await initCrypto();
  dir = await mkdtemp(join(tmpdir(), 'xstorage-spec-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('chain specs', () => {
  it('dev spec identity', () => {
    const s = devChainSpec();
    expect([s.name, s.id, s.chainType]).toEqual(['xstorage Development', 'dev', 'Development']);
    expect(s.properties).toEqual({ ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'UNIT' });
  });

  it('a raw JSON spec round-trips to the same genesis hash as --dev', async () => {
    const file = join(dir, 'spec.json');
    await writeFile(file, JSON.stringify({ ...chainSpecToJson(devChainSpec()), id: 'dev' }));
    const a = new Node({ chain: 'dev', tmp: true, rpcPort: 0, sealing: { kind: 'manual' } });
    const b = new Node({ chain: file, tmp: true, rpcPort: 0, sealing: { kind: 'manual' } });
    try {
      const ia = await a.start();
      const ib = await b.start();
      expect(ib.genesisHash).toBe(ia.genesisHash);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('malformed specs are refused with a clear ChainSpecError', async () => {
    const bad: Array<[string, RegExp]> = [
      ['not json', /not JSON/],
      ['[]', /"name" must be/],
      ['{"name":"x","id":"x"}', /genesis must be/],
      ['{"name":"x","id":"x","chainType":"Weird","genesis":{}}', /chainType/],
      ['{"name":"x","id":"x","genesis":{"raw":{"top":{"0xzz":"0x00"}}}}', /0x hex/],
      ['{"name":"x","id":"x","genesis":{"raw":{"top":{"0x00":5}}}}', /0x hex/],
    ];
    for (const [text, re] of bad) {
      expect(() => parseChainSpec(text), text).toThrow(ChainSpecError);
      expect(() => parseChainSpec(text), text).toThrow(re);
    }
    await expect(loadChainSpec(join(dir, 'missing.json'))).rejects.toThrow(/cannot read chain spec/);
    expect(
      parseChainSpec('{"name":"p","id":"p","genesis":{"runtimeGenesis":{"preset":"development"}}}').id,
    ).toBe('p');
  });
});
