/**
 * A stand-in for the runtime's validate_transaction: accounts with nonces, as FRAME's CheckNonce does it
 * (provides (who, nonce), requires (who, nonce-1) when ahead of the account nonce, Stale when behind).
 */
import type { TransactionValidityError, ValidityResult } from '../../src/txpool/index.ts';

export interface MockTx {
  who: string;
  nonce: number;
  priority?: number;
  longevity?: number;
  /** Forced outcome. */
  error?: TransactionValidityError;
  noTags?: boolean;
  pad?: number;
  salt?: string;
  requires?: string[];
  provides?: string[];
}

const enc = new TextEncoder();
export const tag = (who: string, nonce: number) => enc.encode(`${who}:${nonce}`);

export function encodeTx(tx: MockTx): Uint8Array {
  return enc.encode(JSON.stringify(tx) + ' '.repeat(tx.pad ?? 0));
}

export class MockRuntime {
  readonly nonces = new Map<string, number>();
  calls = 0;

  validate = async (data: Uint8Array): Promise<ValidityResult> => {
    this.calls++;
    await Promise.resolve();
    const tx = JSON.parse(new TextDecoder().decode(data)) as MockTx;
    if (tx.error) return { ok: false, error: tx.error };
    const current = this.nonces.get(tx.who) ?? 0;
    if (tx.nonce < current) return { ok: false, error: { Invalid: 'Stale' } };
    const requires = tx.requires
      ? tx.requires.map((t) => enc.encode(t))
      : tx.nonce > current
        ? [tag(tx.who, tx.nonce - 1)]
        : [];
    const provides = tx.noTags
      ? []
      : tx.provides
        ? tx.provides.map((t) => enc.encode(t))
        : [tag(tx.who, tx.nonce)];
    return {
      ok: true,
      value: {
        priority: BigInt(tx.priority ?? 1),
        requires,
        provides,
        longevity: BigInt(tx.longevity ?? 64),
        propagate: true,
      },
    };
  };
}
