/**
 * The SDK's pure pieces against outside references: Crust-side accounts of remote users against polkadot-sdk's
 * xcm-builder vectors, W3Auth headers verified by @polkadot/util-crypto (sr25519) and by an EIP-191 recovery,
 * amounts, endpoints and CIDs with hostile input.
 */
import { hexToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import {
  cryptoWaitReady,
  encodeAddress,
  ethereumEncode,
  keccakAsU8a,
  secp256k1Recover,
  signatureVerify,
} from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultDevnetEndpoints, parseEndpoints } from '../src/endpoints.ts';
import { BadInputError } from '../src/errors.ts';
import { DEVNET, KUSAMA, POLKADOT } from '../src/networks.ts';
import { checkCid } from '../src/orders.ts';
import { signerFromSecret } from '../src/signers.ts';
import { formatAmount, parseAmount } from '../src/units.ts';
import { w3AuthHeader } from '../src/w3auth.ts';
import { siblingUserAccount } from '../src/xcm.ts';

beforeAll(async () => {
  await cryptoWaitReady();
});

describe('siblingUserAccount: HashedDescription<DescribeFamily<DescribeAllTerminal>>', () => {
  // polkadot-sdk cumulus/parachains/runtimes/assets/asset-hub-westend/tests/tests.rs `location_conversion_works`:
  // (1, [Parachain(1111), AccountId32([1; 32])]) and (1, [Parachain(1111), AccountKey20([0; 20])]).
  it('matches the Asset Hub Westend vectors for 32- and 20-byte users of para 1111', () => {
    expect(encodeAddress(siblingUserAccount(1111, new Uint8Array(32).fill(1), 'sr25519'), 42)).toBe(
      '5DGRXLYwWGce7wvm14vX1Ms4Vf118FSWQbJkyQigY2pfm6bg',
    );
    expect(encodeAddress(siblingUserAccount(1111, new Uint8Array(20), 'ethereum'), 42)).toBe(
      '5CB2FbUds2qvcJNhDiTbRZwiS3trAy6ydFGMSVutmYijpPAg',
    );
  });
});

describe('W3Auth', () => {
  const decode = (header: string) => {
    expect(header.startsWith('Basic ')).toBe(true);
    const text = Buffer.from(header.slice(6), 'base64').toString('latin1');
    const [who, sig] = text.split(':') as [string, string];
    return { chain: who.slice(0, 3), address: who.slice(4), sig };
  };

  it('sr25519: sub-<ss58>:<signature of the address string> that signatureVerify accepts', async () => {
    const alice = await signerFromSecret('//Alice', 'sr25519');
    const { chain, address, sig } = decode(await w3AuthHeader(alice));
    expect(chain).toBe('sub');
    expect(address).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    expect(signatureVerify(stringToU8a(address), sig, address).isValid).toBe(true);
  });

  it("ethereum: eth-<0x address>:<personal_sign> recovering Alith's published address", async () => {
    const alith = await signerFromSecret('Alith', 'ethereum');
    const { chain, address, sig } = decode(await w3AuthHeader(alith));
    expect(chain).toBe('eth');
    // Moonbeam's docs: Alith is 0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac.
    expect(address).toBe('0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac');
    const msg = stringToU8a(address);
    const digest = keccakAsU8a(u8aConcat(stringToU8a(`\x19Ethereum Signed Message:\n${msg.length}`), msg));
    const s = hexToU8a(sig);
    expect(s).toHaveLength(65);
    const recovered = ethereumEncode(
      secp256k1Recover(digest, s.subarray(0, 64), s[64]! >= 27 ? s[64]! - 27 : s[64]!),
    );
    expect(recovered.toLowerCase()).toBe(address.toLowerCase());
  });

  it('refuses keys of the wrong kind with a message that says which to use', async () => {
    await expect(signerFromSecret('Alith', 'sr25519')).rejects.toThrow(
      /Ethereum dev account: this chain uses sr25519/,
    );
    await expect(signerFromSecret('//Alice', 'ethereum')).rejects.toThrow(/0x private key .* Alith/);
    await expect(signerFromSecret('0x1234', 'ethereum')).rejects.toBeInstanceOf(BadInputError);
  });
});

describe('amounts, endpoints, CIDs', () => {
  it('parses and formats token amounts exactly', () => {
    expect(parseAmount('1.5', 12)).toBe(1_500_000_000_000n);
    expect(parseAmount('0.000000000001', 12)).toBe(1n);
    expect(parseAmount('42', 18)).toBe(42n * 10n ** 18n);
    expect(formatAmount(1_500_000_000_000n, 12, 'CRU')).toBe('1.5 CRU');
    expect(formatAmount(0n, 12)).toBe('0');
    for (const bad of ['', '-1', '1e3', '0x10', '1.2.3', ' 1 2', '0.0000000000001', '9'.repeat(31)])
      expect(() => parseAmount(bad, 12), bad).toThrow(BadInputError);
  });

  it('describes the networks as data and derives the devnet ports from the chain order', () => {
    expect(DEVNET.crust).toMatchObject({ paraId: 2008, xstoragePalletIndex: 127, placeOrderCallIndex: 0 });
    expect(POLKADOT.chains.find((c) => c.id === 'moonbeam')).toMatchObject({
      paraId: 2004,
      accounts: 'ethereum',
    });
    expect(KUSAMA.crust).toMatchObject({ paraId: 2012, token: 'CSM' });
    const e = defaultDevnetEndpoints();
    expect(e.relay.ws).toBe('ws://127.0.0.1:9944');
    expect(e.parachains.crust).toEqual({ paraId: 2008, ws: 'ws://127.0.0.1:9945' });
    expect(e.parachains.darwinia).toEqual({ paraId: 2046, ws: 'ws://127.0.0.1:9952' });
  });

  it('refuses malformed endpoints.json with what is wrong', () => {
    expect(() => parseEndpoints(null)).toThrow(/not a JSON object/);
    expect(() => parseEndpoints({ parachains: {} })).toThrow(/"relay"/);
    expect(() => parseEndpoints({ relay: { ws: 'ws://x' } })).toThrow(/"parachains"/);
    expect(() => parseEndpoints({ relay: { ws: 'ws://x' }, parachains: { acala: { ws: 5 } } })).toThrow(
      /acala/,
    );
    expect(() => parseEndpoints({ relay: { ws: 'ws://x' }, parachains: {}, gateway: 7 })).toThrow(/gateway/);
    expect(
      parseEndpoints({ relay: { ws: 'ws://x' }, parachains: { a: { paraId: 1, ws: 'ws://y' } } }).relay.ws,
    ).toBe('ws://x');
  });

  it('accepts CIDv0/v1 and refuses anything else before signing', () => {
    checkCid('QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG');
    checkCid('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi');
    for (const bad of [
      '',
      'Qm',
      'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbd0',
      '../../etc/passwd',
      'Qm'.padEnd(5000, 'a'),
    ])
      expect(() => checkCid(bad)).toThrow(BadInputError);
  });
});
