/** Substrate's JSON shapes for headers and blocks, and shared decoding of `at` block hashes. */

import type { Header } from '@xstorage/runtime/block';
import { DigestItemCodec } from '@xstorage/runtime/block';
import type { Chain } from '../chain/chain.ts';
import { StatePrunedError, UnknownBlockHashError } from '../chain/errors.ts';
import type { StateView } from '../chain/state-view.ts';
import { RpcError } from '../rpc/index.ts';

export type Hex = `0x${string}`;

export const toHex = (b: Uint8Array): Hex =>
  `0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`;

/** Block numbers are hex strings in Substrate's header JSON (`U256`-style serde). */
export const numberHex = (n: number): Hex => `0x${n.toString(16)}`;

export interface HeaderJson {
  parentHash: Hex;
  number: Hex;
  stateRoot: Hex;
  extrinsicsRoot: Hex;
  digest: { logs: Hex[] };
}

export function headerToJson(h: Header): HeaderJson {
  return {
    parentHash: toHex(h.parentHash),
    number: numberHex(h.number),
    stateRoot: toHex(h.stateRoot),
    extrinsicsRoot: toHex(h.extrinsicsRoot),
    digest: { logs: h.digest.logs.map((l) => toHex(DigestItemCodec.encode(l))) },
  };
}

/** State RPC error codes (sc-rpc-api `state/error.rs`, base 4000). */
export const StateErrorCode = { InvalidBlockRange: 4001, InvalidCount: 4002, Client: 4003 } as const;

/** The state of `at` (default best) or the error Substrate answers: 4003 "Client error: UnknownBlock: …". */
export async function stateAtOrError(chain: Chain, at: Uint8Array | undefined): Promise<StateView> {
  try {
    return await chain.stateAt(at);
  } catch (err) {
    throw stateError(err);
  }
}

export function stateError(err: unknown): unknown {
  if (err instanceof UnknownBlockHashError || err instanceof StatePrunedError) {
    return new RpcError(StateErrorCode.Client, `Client error: UnknownBlock: ${err.message}`);
  }
  return err;
}

/** Runs a state read, mapping unknown/pruned blocks to the state RPC error. */
export async function stateRead<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw stateError(err);
  }
}
