/**
 * W3Auth, as Crust's IPFS W3Auth gateways check it (crustio/ipfs-w3auth-gateway, `@crustio/ipfs-w3auth-handler`):
 *
 *   Authorization: Basic base64("<chain>-<address>:<signature>")
 *
 * The signed message is the address string itself. `<chain>` defaults to `sub` when the `-` is absent.
 * Substrate (`sub`, `substrate`, `crust`, `cru`): sr25519 / ed25519 / ecdsa over the raw address bytes, or over
 * `<Bytes>address</Bytes>` (what the polkadot-js extension's signRaw produces). Ethereum (`eth`, `ethereum`,
 * `polygon`, `pol`): an EIP-191 `personal_sign` signature; the recovered address must equal the claimed one.
 *
 * The gateway takes any {@link Authorizer}, so quotas or allow-lists can wrap this one later.
 */
import type { IncomingMessage } from 'node:http';
import { hexToU8a, isHex, stringToU8a, u8aConcat } from '@polkadot/util';
import {
  cryptoWaitReady,
  decodeAddress,
  ethereumEncode,
  keccakAsU8a,
  secp256k1Recover,
  signatureVerify,
} from '@polkadot/util-crypto';
import { ed25519Verify, initCrypto, sr25519Verify } from '@xstorage/runtime/crypto';
import { UnauthorizedError } from './errors.ts';

export type ChainFamily = 'substrate' | 'ethereum';

/** Who signed a write request. */
export interface Identity {
  chain: ChainFamily;
  /** As given in the header (SS58 for Substrate, 0x-hex for Ethereum). */
  address: string;
}

/** What the request is about to do; a quota-aware authorizer can look at it. */
export interface WriteAction {
  /** Kubo RPC command, e.g. `add`, `pin/add`, `pin/rm`. */
  command: string;
  /** `Content-Length` of the body when the client sent one. */
  declaredBytes?: number;
}

/** Resolves to the caller's identity or throws {@link UnauthorizedError}. */
export type Authorizer = (req: IncomingMessage, action: WriteAction) => Promise<Identity>;

const CHAIN_ALIASES: Record<string, ChainFamily> = {
  substrate: 'substrate',
  sub: 'substrate',
  crust: 'substrate',
  cru: 'substrate',
  ethereum: 'ethereum',
  eth: 'ethereum',
  polygon: 'ethereum',
  pol: 'ethereum',
};

/** Longest Authorization header we look at; anything longer cannot be a W3Auth token. */
const MAX_AUTH_HEADER = 1024;

export interface W3AuthCredentials {
  chain: ChainFamily;
  address: string;
  signature: string;
}

/** Parses the header; throws {@link UnauthorizedError} with Crust's messages. */
export function parseW3AuthHeader(header: string | undefined): W3AuthCredentials {
  if (header === undefined || !header.includes('Basic ')) throw new UnauthorizedError('Empty Signature');
  if (header.length > MAX_AUTH_HEADER) throw new UnauthorizedError('Invalid Signature');
  const token = header.trim().split(' ')[1] ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw new UnauthorizedError('Invalid Signature');
  const credentials = Buffer.from(token, 'base64').toString('latin1');
  const colon = credentials.indexOf(':');
  if (colon <= 0) throw new UnauthorizedError('Invalid Signature');
  const passed = credentials.slice(0, colon);
  const signature = credentials.slice(colon + 1);
  const dash = passed.indexOf('-');
  const chainName = dash < 0 ? 'sub' : passed.slice(0, dash);
  const address = dash < 0 ? passed : passed.slice(dash + 1);
  const chain = CHAIN_ALIASES[chainName.trim().toLowerCase()];
  if (chain === undefined) throw new UnauthorizedError('Unsupported web3 signature');
  if (address === '' || signature === '') throw new UnauthorizedError('Invalid Signature');
  return { chain, address, signature };
}

/** Substrate: the signature over the address string (raw, or `<Bytes>`-wrapped) verifies for that address. */
export function verifySubstrateSignature(address: string, signature: string): boolean {
  const sig = normalizeHex(signature);
  if (sig === undefined) return false;
  const message = stringToU8a(address);
  const wrapped = u8aConcat(stringToU8a('<Bytes>'), message, stringToU8a('</Bytes>'));
  try {
    if (sig.length === 64) {
      // sr25519 or ed25519, with the node's own verifiers: @polkadot/util-crypto 14 checks sr25519 in pure JS
      // (~10 ms of event loop), which anyone can make us run with headers signed by keys made in bulk; the
      // node's wasm sr25519 takes a fraction of that.
      const publicKey = decodeAddress(address);
      return [message, wrapped].some(
        (m) => sr25519Verify(sig, m, publicKey) || ed25519Verify(sig, m, publicKey),
      );
    }
    // ecdsa (65 bytes) and type-prefixed MultiSignatures, as polkadot-js reads them.
    return signatureVerify(message, sig, address).isValid || signatureVerify(wrapped, sig, address).isValid;
  } catch {
    // Undecodable address or malformed signature.
    return false;
  }
}

/** EIP-191 `personal_sign` digest: keccak256("\x19Ethereum Signed Message:\n" + len + message). */
export function personalMessageHash(message: Uint8Array): Uint8Array {
  const prefix = stringToU8a(`\x19Ethereum Signed Message:\n${message.length}`);
  return keccakAsU8a(u8aConcat(prefix, message), 256);
}

/** Recovers the checksummed address that produced a 65-byte `personal_sign` signature, or undefined. */
export function recoverPersonalSignAddress(message: Uint8Array, signature: string): string | undefined {
  const sig = normalizeHex(signature);
  if (sig === undefined || sig.length !== 65) return undefined;
  const v = sig[64]!;
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) return undefined;
  try {
    // The default output is the 33-byte compressed key, which ethereumEncode expands and hashes.
    const publicKey = secp256k1Recover(personalMessageHash(message), sig.subarray(0, 64), recovery);
    return ethereumEncode(publicKey);
  } catch {
    return undefined;
  }
}

/** Ethereum: the address recovered from a `personal_sign` of the address string is the address. */
export function verifyEthereumSignature(address: string, signature: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return false;
  const recovered = recoverPersonalSignAddress(stringToU8a(address), signature);
  return recovered !== undefined && recovered.toLowerCase() === address.toLowerCase();
}

function normalizeHex(signature: string): Uint8Array | undefined {
  const hex = signature.startsWith('0x') ? signature : `0x${signature}`;
  if (!isHex(hex) || hex.length < 4) return undefined;
  return hexToU8a(hex);
}

/** Checks W3Auth credentials; throws {@link UnauthorizedError} ('Invalid Signature') when they do not verify. */
export function verifyW3Auth(header: string | undefined): Identity {
  const { chain, address, signature } = parseW3AuthHeader(header);
  const ok =
    chain === 'substrate'
      ? verifySubstrateSignature(address, signature)
      : verifyEthereumSignature(address, signature);
  if (!ok) throw new UnauthorizedError('Invalid Signature');
  return { chain, address };
}

/** The default {@link Authorizer}: W3Auth on the `Authorization` header. */
export function w3Auth(): Authorizer {
  let ready: Promise<boolean> | undefined;
  return async (req) => {
    // sr25519 verification needs the WASM crypto backends (polkadot-js's for ecdsa, the node's for sr25519).
    ready ??= Promise.all([cryptoWaitReady(), initCrypto()]).then(() => true);
    await ready;
    return verifyW3Auth(req.headers.authorization);
  };
}
