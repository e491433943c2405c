/**
 * Signs and sends a transaction and resolves once it is in a block, turning the chain's refusals into the SDK's
 * errors: a balance too low for the fee or the transfer is {@link InsufficientBalanceError}, any other dispatch
 * error an {@link OrderFailedError} naming the module error (`market.InsufficientCurrency`).
 */
import type { ApiPromise } from '@polkadot/api';
import { InsufficientBalanceError, OrderFailedError, XstorageError } from './errors.ts';
import type { XstorageSigner } from './signers.ts';

export interface Included {
  blockHash: string;
  blockNumber: number;
  /** The extrinsic's events (`{ event: { section, method, data } }`). */
  events: any[];
}

/** `section.Name` of a DispatchError, e.g. `balances.InsufficientBalance`, `BadOrigin`, `Token.FundsUnavailable`. */
export function dispatchErrorName(api: ApiPromise, err: any): string {
  if (err?.isModule) {
    try {
      const meta = api.registry.findMetaError(err.asModule);
      return `${meta.section}.${meta.name}`;
    } catch {
      return err.toString();
    }
  }
  if (err?.isToken) return `Token.${err.asToken.type}`;
  if (err?.isArithmetic) return `Arithmetic.${err.asArithmetic.type}`;
  return err?.type ?? String(err);
}

const BALANCE_ERRORS =
  /^(balances\.(InsufficientBalance|KeepAlive|Expendability)|assets\.BalanceLow|foreignAssets\.BalanceLow|Token\.(FundsUnavailable|BelowMinimum|OnlyProvider|Frozen)|market\.InsufficientCurrency)$/;

export function signAndWait(
  api: ApiPromise,
  tx: any,
  signer: XstorageSigner,
  what: string,
  signal?: AbortSignal,
): Promise<Included> {
  return new Promise<Included>((resolve, reject) => {
    let unsub: (() => void) | undefined;
    const done = (f: () => void) => {
      unsub?.();
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = () => done(() => reject(signal!.reason ?? new Error('aborted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    tx.signAndSend(signer.txAccount, signer.txOptions, (r: any) => {
      if (r.dispatchError) {
        const name = dispatchErrorName(api, r.dispatchError);
        done(() =>
          reject(
            BALANCE_ERRORS.test(name)
              ? new InsufficientBalanceError(`${what}: ${signer.address} cannot pay (${name})`)
              : new OrderFailedError(name, `${what} failed: ${name}`),
          ),
        );
      } else if (r.status.isInBlock) {
        const blockHash = r.status.asInBlock.toHex();
        api.rpc.chain
          .getHeader(blockHash)
          .then((h: any) =>
            done(() => resolve({ blockHash, blockNumber: h.number.toNumber(), events: r.events })),
          )
          .catch((e: unknown) => done(() => reject(e)));
      } else if (r.isError || r.status.isDropped || r.status.isInvalid || r.status.isUsurped) {
        done(() => reject(new XstorageError('ORDER_FAILED', `${what}: transaction ${r.status.type}`)));
      }
    })
      .then((u: () => void) => {
        unsub = u;
      })
      .catch((err: Error) => {
        const m = err.message ?? String(err);
        done(() =>
          reject(
            /Inability to pay some fees|account balance too low|1010/.test(m)
              ? new InsufficientBalanceError(
                  `${what}: ${signer.address} cannot pay the transaction fee (${m.replace(/^\d+: /, '')}); fund the account`,
                )
              : err,
          ),
        );
      });
  });
}
