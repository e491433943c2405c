/** `xstorage node` networking flags and the role a node takes from its chain and flags. */

import { parseNodeArgs } from '@xstorage/cli/commands/node';
import { describe, expect, it } from 'vitest';
import { chooseRole, NodeRoleError } from '../../src/network/node-roles.ts';

const MA = '/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWFhJsVRmMHyyH2vCD9uuzqn4qpbBQJJfu2gptGYGDayDk';

describe('networking flags', () => {
  it('parses ports, hosts, bootnodes (repeated or comma-separated) and dev keys', () => {
    const p = parseNodeArgs([
      '--chain',
      'crust',
      '--base-path',
      '/x',
      '--p2p-port',
      '0',
      '--bootnodes',
      `${MA},${MA}`,
      '--bootnodes',
      MA,
      '--collator',
      '//Alice',
      '--relay-rpc',
      'ws://127.0.0.1:9944',
      '--relay-bootnode',
      MA,
    ]);
    expect(p.net).toMatchObject({
      requested: true,
      p2pPort: 0,
      p2pHost: '127.0.0.1',
      bootnodes: [MA, MA, MA],
    });
    expect(p.net.collator?.publicKey).toHaveLength(32);
    expect(parseNodeArgs(['--dev']).net).toMatchObject({ requested: false, bootnodes: [] });
  });

  it('refuses bad values with the flag named', () => {
    const bad = (args: string[], re: RegExp) => expect(() => parseNodeArgs(['--dev', ...args])).toThrow(re);
    bad(['--p2p-port', '70000'], /--p2p-port/);
    bad(['--p2p-port', 'x'], /--p2p-port/);
    bad(['--bootnodes', '/ip4/127.0.0.1/tcp/1'], /--bootnodes/);
    bad(['--relay-rpc', 'http://x'], /--relay-rpc/);
    bad(['--relay-bootnode', '/ip4/1.2.3.4'], /--relay-bootnode/);
    bad(['--validator', 'Alice'], /dev key path/);
  });
});

describe('chooseRole', () => {
  const key = { publicKey: new Uint8Array(32), secretKey: new Uint8Array(64) };
  const para = { kind: 'parachain', paraId: 2008 } as const;
  it('picks the role from the chain kind and the flags', () => {
    expect(chooseRole({ kind: 'standalone' }, {}).kind).toBe('standalone');
    expect(chooseRole({ kind: 'relay' }, {}).kind).toBe('relay-full');
    expect(chooseRole({ kind: 'relay' }, { validator: key }).kind).toBe('relay-validator');
    expect(chooseRole(para, {})).toEqual({ kind: 'para-full', paraId: 2008, relayRpcUrl: undefined });
    expect(chooseRole(para, { collator: key, relayRpcUrl: 'ws://r', relayValidator: MA })).toMatchObject({
      kind: 'collator',
      paraId: 2008,
      relayRpcUrl: 'ws://r',
      relayValidator: MA,
    });
  });
  it('refuses contradictions', () => {
    expect(() => chooseRole({ kind: 'standalone' }, { validator: key })).toThrow(NodeRoleError);
    expect(() => chooseRole({ kind: 'relay' }, { collator: key })).toThrow(/--collator is for a parachain/);
    expect(() => chooseRole({ kind: 'relay' }, { relayRpcUrl: 'ws://r' })).toThrow(NodeRoleError);
    expect(() => chooseRole(para, { collator: key })).toThrow(/needs --relay-rpc/);
    expect(() => chooseRole(para, { relayValidator: MA })).toThrow(/for a collator/);
    expect(() => chooseRole(para, { validator: key })).toThrow(/for the relay chain/);
  });
});
