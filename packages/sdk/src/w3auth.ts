/**
 * The W3Auth header Crust's gateways check: `Authorization: Basic base64("<chain>-<address>:<signature>")`, the
 * signature over the address string itself (`sub-` for Substrate accounts, `eth-` with `personal_sign` for Ethereum).
 */
import { stringToU8a, u8aToHex } from '@polkadot/util';
import type { XstorageSigner } from './signers.ts';

/**
 * The `Authorization` header value for `signer`.
 *
 * @example
 * await fetch(`${gateway}/api/v0/add`, { method: 'POST', headers: { authorization: await w3AuthHeader(signer) }, body });
 */
export async function w3AuthHeader(signer: XstorageSigner): Promise<string> {
  const prefix = signer.kind === 'ethereum' ? 'eth' : 'sub';
  const signature = u8aToHex(await signer.signMessage(stringToU8a(signer.address)));
  const token = `${prefix}-${signer.address}:${signature}`;
  return `Basic ${btoa(token)}`;
}
