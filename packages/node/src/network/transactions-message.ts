/**
 * The transactions protocol's message (`/<genesis>/transactions/1`), as Substrate's
 * (`sc-network-transactions`: `Transactions<E> = Vec<E>`): a SCALE vector of opaque extrinsics, each its full
 * encoding with its compact length. The handshake is the sender's `Roles` byte. Bounded: 16 MiB per message
 * (Substrate's `MAX_TRANSACTIONS_SIZE`) and at most 8192 transactions.
 */
import { OpaqueExtrinsicCodec } from '@xstorage/runtime/block';
import { u8, vec } from '@xstorage/runtime/scale';
import { NetworkMessageError } from './errors.ts';

export const MAX_TRANSACTIONS_MESSAGE_BYTES = 16 * 1024 * 1024;
export const MAX_TRANSACTIONS_PER_MESSAGE = 8192;

const TransactionsCodec = vec(OpaqueExtrinsicCodec, MAX_TRANSACTIONS_PER_MESSAGE);

export function encodeTransactions(txs: readonly Uint8Array[]): Uint8Array {
  return TransactionsCodec.encode([...txs]);
}

export function decodeTransactions(b: Uint8Array): Uint8Array[] {
  if (b.length > MAX_TRANSACTIONS_MESSAGE_BYTES)
    throw new NetworkMessageError(
      'Transactions',
      `${b.length} bytes is above ${MAX_TRANSACTIONS_MESSAGE_BYTES}`,
    );
  try {
    return TransactionsCodec.decode(b);
  } catch (err) {
    throw new NetworkMessageError('Transactions', (err as Error).message);
  }
}

export function encodeRolesHandshake(roles: number): Uint8Array {
  return u8.encode(roles);
}

export function decodeRolesHandshake(b: Uint8Array): number {
  try {
    return u8.decode(b);
  } catch (err) {
    throw new NetworkMessageError('TransactionsHandshake', (err as Error).message);
  }
}
