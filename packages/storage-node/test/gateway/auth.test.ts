/**
 * W3Auth as Crust's gateways check it (crustio/ipfs-w3auth-gateway + @crustio/ipfs-w3auth-handler):
 * `Basic base64("<chain>-<address>:<sig>")`, the address string as the message. Signatures come from
 * @polkadot/keyring (sr25519/ed25519/ecdsa, raw and `<Bytes>`-wrapped as the polkadot-js extension signs);
 * the Ethereum recovery is checked against @metamask/eth-sig-util's personal_sign vector.
 */
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Authorizer,
  type Gateway,
  parseW3AuthHeader,
  recoverPersonalSignAddress,
  UnauthorizedError,
  verifyEthereumSignature,
  verifySubstrateSignature,
} from '../../src/gateway/index.ts';
import {
  add,
  basic,
  blockCount,
  ethereumAuth,
  startGateway,
  startHelia,
  substrateAuth,
  type TestHelia,
} from './helpers.ts';

beforeAll(async () => {
  await cryptoWaitReady();
});

describe('W3Auth verification', () => {
  it('recovers the personal_sign signer (vector from @metamask/eth-sig-util personal-sign tests)', () => {
    const signature =
      '0x90a938f7457df6e8f741264c32697fc52f9a8f867c52dd70713d9d2d472f2e415d9c94148991bbe1f4a1818d1dff09165782749c877f5cf1eff4ef126e55714d1c';
    const recovered = recoverPersonalSignAddress(new TextEncoder().encode('Hello, world!'), signature);
    expect(recovered?.toLowerCase()).toBe('0x29c76e6ad8f28bb1004902578fb108c507be341b');
    // Same signature without 0x, as some wallets hand it over.
    expect(recoverPersonalSignAddress(new TextEncoder().encode('Hello, world!'), signature.slice(2))).toBe(
      recovered,
    );
    expect(recoverPersonalSignAddress(new TextEncoder().encode('Hello, world?'), signature)).not.toBe(
      recovered,
    );
  });

  it('verifies Ethereum signatures over the address string only', async () => {
    const eth = await ethereumAuth(3);
    expect(verifyEthereumSignature(eth.address, eth.signature)).toBe(true);
    expect(verifyEthereumSignature(eth.address.toLowerCase(), eth.signature)).toBe(false); // message differs
    const other = await ethereumAuth(4);
    expect(verifyEthereumSignature(other.address, eth.signature)).toBe(false);
    expect(verifyEthereumSignature(eth.address, '0x1234')).toBe(false);
    expect(verifyEthereumSignature('0xnot-an-address', eth.signature)).toBe(false);
  });

  it('verifies Substrate signatures raw and <Bytes>-wrapped, for every key type', () => {
    for (const type of ['sr25519', 'ed25519', 'ecdsa'] as const) {
      const pair = new Keyring({ type }).addFromUri('//Dave');
      const raw = u8aToHex(pair.sign(pair.address));
      const wrapped = u8aToHex(pair.sign(u8aWrapBytes(pair.address)));
      expect(verifySubstrateSignature(pair.address, raw), type).toBe(true);
      expect(verifySubstrateSignature(pair.address, wrapped), type).toBe(true);
      const eve = new Keyring({ type }).addFromUri('//Eve');
      expect(verifySubstrateSignature(eve.address, raw), type).toBe(false);
    }
    expect(verifySubstrateSignature('not-an-address', '0x00')).toBe(false);
    expect(verifySubstrateSignature('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', 'zz')).toBe(false);
  });

  it('parses the header like the Crust handler (chain aliases, default sub, error messages)', () => {
    const ok = (s: string) => parseW3AuthHeader(basic(s));
    expect(ok('5Grw:0xab')).toEqual({ chain: 'substrate', address: '5Grw', signature: '0xab' });
    for (const alias of ['sub', 'substrate', 'crust', 'cru', 'SUB'])
      expect(ok(`${alias}-5Grw:0x1`).chain).toBe('substrate');
    for (const alias of ['eth', 'ethereum', 'polygon', 'pol'])
      expect(ok(`${alias}-0xab:0x1`).chain).toBe('ethereum');
    const fails: Array<[string | undefined, string]> = [
      [undefined, 'Empty Signature'],
      ['Bearer abc', 'Empty Signature'],
      ['Basic %%%not-base64', 'Invalid Signature'],
      [basic('no-colon-here'), 'Invalid Signature'],
      [basic('sub-5Grw:'), 'Invalid Signature'],
      [basic('sol-abc:0x01'), 'Unsupported web3 signature'],
      [`Basic ${'A'.repeat(5000)}`, 'Invalid Signature'],
    ];
    for (const [header, message] of fails) {
      expect(() => parseW3AuthHeader(header), String(header).slice(0, 30)).toThrow(UnauthorizedError);
      expect(() => parseW3AuthHeader(header)).toThrow(message);
    }
  });
});

describe('W3Auth on the gateway', () => {
  let helia: TestHelia;
  let gateway: Gateway;
  let url: string;

  beforeAll(async () => {
    helia = await startHelia();
    ({ gateway, url } = await startGateway(helia));
  });
  afterAll(async () => {
    await gateway?.stop();
    await helia?.stop();
  });

  it('refuses missing, garbled, wrong-signature and other-address credentials with 401 and stores nothing', async () => {
    const alice = await substrateAuth('//Alice');
    const bob = await substrateAuth('//Bob');
    const eth = await ethereumAuth(5);
    const otherEth = await ethereumAuth(6);
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'Empty Signature'],
      ['Basic', 'Empty Signature'],
      ['Basic !!!!', 'Invalid Signature'],
      [basic(`sub-${alice.address}:${bob.signature}`), 'Invalid Signature'], // Bob's signature, Alice's address
      [basic(`sub-${bob.address}:${alice.signature}`), 'Invalid Signature'], // claims to be Bob
      [basic(`sub-${alice.address}:0x${'00'.repeat(64)}`), 'Invalid Signature'],
      [basic(`eth-${otherEth.address}:${eth.signature}`), 'Invalid Signature'],
      [basic(`eth-${alice.address}:${alice.signature}`), 'Invalid Signature'], // substrate creds as eth
      [basic(`sol-${alice.address}:${alice.signature}`), 'Unsupported web3 signature'],
    ];
    const before = await blockCount(helia);
    for (const [header, message] of cases) {
      const res = await add(url, header, [{ path: 'secret.txt', content: 'should not be stored' }]);
      expect(res.status, String(header)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(await res.json()).toMatchObject({ Error: message, Message: message, Type: 'error' });
    }
    expect(await blockCount(helia)).toBe(before);
  });

  it('accepts a bare address (chain defaults to substrate) and leaves reads open', async () => {
    const alice = await substrateAuth('//Alice');
    const res = await add(url, basic(`${alice.address}:${alice.signature}`), [
      { path: 'a', content: 'open read' },
    ]);
    expect(res.status).toBe(200);
    const hash = ((await res.json()) as { Hash: string }).Hash;
    const read = await fetch(`${url}/ipfs/${hash}`);
    expect(await read.text()).toBe('open read');
    const cat = await fetch(`${url}/api/v0/cat?arg=${hash}`, { method: 'POST' });
    expect(await cat.text()).toBe('open read');
  });
});

describe('pluggable authorization', () => {
  it('passes the command and declared size to a custom authorizer (e.g. a quota)', async () => {
    const helia = await startHelia();
    const seen: Array<{ command: string; declaredBytes?: number }> = [];
    const quota: Authorizer = async (_req, action) => {
      seen.push(action);
      if ((action.declaredBytes ?? 0) > 1000) throw new UnauthorizedError('quota exceeded');
      return { chain: 'substrate', address: 'anyone' };
    };
    const { gateway, url } = await startGateway(helia, { auth: { authorize: quota } });
    try {
      const small = await add(url, undefined, [{ path: 's', content: 'small' }]);
      expect(small.status).toBe(200);
      await small.arrayBuffer();
      const large = await add(url, undefined, [{ path: 'l', content: 'x'.repeat(5000) }]);
      expect(large.status).toBe(401);
      expect(((await large.json()) as { Error: string }).Error).toBe('quota exceeded');
      expect(seen.map((s) => s.command)).toEqual(['add', 'add']);
      expect(seen[1]!.declaredBytes).toBeGreaterThan(5000);
    } finally {
      await gateway.stop();
      await helia.stop();
    }
  });

  it('auth.required=false opens writes (trusted deployments only)', async () => {
    const helia = await startHelia();
    const { gateway, url } = await startGateway(helia, { auth: { required: false } });
    try {
      const res = await add(url, undefined, [{ path: 'x', content: 'hello world\n' }]);
      expect(((await res.json()) as { Hash: string }).Hash).toBe(
        'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
      );
    } finally {
      await gateway.stop();
      await helia.stop();
    }
  });
});
